"""Exercise 7 (the seven blindspots audit): every autograded point is earned on the student's own
evidence table.

The rules encoded are issue 18's "proof per question" and the master's own test cells
(exercises/07-seven-blindspots.ipynb), run by otter's rule for points (support.variants); the
held-out organisations (socialkit/course/heldout.py) stay as they were."""
from __future__ import annotations

import pytest

from socialkit.course import variants
from socialkit.models import blindspots
from support.variants import (PUBLIC, STUDENTS, graded_as, prove_blank_earns_nothing, prove_full_points,
                              prove_kit_alias_earns_nothing, prove_public_values_earn_nothing)

STEM = "07-seven-blindspots"
QUESTIONS = ("q1", "q2", "q3")
#: each question's function, and the kit's own answer under that name, as a student would write it
KIT_UNDER_ANOTHER_NAME = {
    "q1": ("severity", "def severity(value, good, blind):\n    return blindspots.severity(value, good, blind)"),
    "q2": ("audit", "def audit(table):\n    return blindspots.audit_from_table(table)"),
    "q3": ("most_urgent", "def most_urgent(scores):\n    return blindspots.most_urgent(scores)"),
}
#: the questions that ask for values, and those values (question 1 asks for a function only)
VALUES = {"q2": ("cc_scores",), "q3": ("cc_urgent",)}


@pytest.mark.parametrize("student", [*STUDENTS, PUBLIC])
@pytest.mark.parametrize("name", QUESTIONS)
def test_the_solution_earns_full_points_on_every_variant(name, student):
    prove_full_points(STEM, name, student)


@pytest.mark.parametrize("student", STUDENTS)
@pytest.mark.parametrize("name", sorted(VALUES))
def test_the_public_values_typed_in_earn_nothing(name, student):
    prove_public_values_earn_nothing(STEM, name, student, VALUES[name])


@pytest.mark.parametrize("name", QUESTIONS)
def test_the_kits_function_under_another_name_earns_nothing(name):
    prove_kit_alias_earns_nothing(STEM, name, *KIT_UNDER_ANOTHER_NAME[name])


@pytest.mark.parametrize("name", QUESTIONS)
def test_blank_answers_earn_nothing(name):
    prove_blank_earns_nothing(STEM, name)


def test_each_student_has_their_own_evidence_with_other_urgent_blindspots():
    public = variants.generate(STEM)["table"]
    urgent = blindspots.most_urgent(blindspots.audit_from_table(public))
    seen = set()
    for k in range(20):
        with graded_as(f"s{k:04d}"):
            table = variants.current(STEM)["table"]
        assert blindspots.most_urgent(blindspots.audit_from_table(table)) != urgent
        assert table[["blindspot", "indicator", "good", "blind"]].equals(public[["blindspot", "indicator", "good", "blind"]])
        seen.add(tuple(table["value"]))
    assert len(seen) == 20

"""Exercise 7 (the seven blindspots audit): every autograded point is earned on the student's own
evidence table.

The rules encoded are issue 18's "proof per question" and the master's own test cells
(exercises/07-seven-blindspots.ipynb), run by otter's rule for points (support.variants); the
held-out organisations (socialkit/course/heldout.py) stay as they were."""
from __future__ import annotations

from socialkit.course import variants
from socialkit.models import blindspots
from support.variants import graded_as, proof_tests

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


(test_the_solution_earns_full_points_on_every_variant, test_the_public_values_typed_in_earn_nothing,
 test_the_kits_function_under_another_name_earns_nothing, test_blank_answers_earn_nothing) = \
    proof_tests(STEM, QUESTIONS, VALUES, KIT_UNDER_ANOTHER_NAME)


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

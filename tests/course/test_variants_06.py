"""Exercise 6 (from tools to outcomes): every autograded point is earned on the student's own
weekly figures.

The rules encoded are issue 18's "proof per question" and the master's own test cells
(exercises/06-from-tools-to-outcomes.ipynb), run by otter's rule for points (support.variants);
the held-out seeds and structures (socialkit/course/heldout.py) stay as they were."""
from __future__ import annotations

import pytest

from socialkit.course import variants
from socialkit.models import outcomes
from support.variants import (PUBLIC, STUDENTS, graded_as, prove_blank_earns_nothing, prove_full_points,
                              prove_kit_alias_earns_nothing, prove_public_values_earn_nothing)

STEM = "06-from-tools-to-outcomes"
QUESTIONS = ("q1", "q2")
#: each question's function, and the kit's own answer under that name, as a student would write it
KIT_UNDER_ANOTHER_NAME = {
    "q1": ("lagged_correlation", "def lagged_correlation(data, metric, lag):\n"
                                 "    return outcomes.lagged_correlation(data, metric, lag)"),
    "q2": ("vanity_metrics", "def vanity_metrics(data):\n    return outcomes.vanity_metrics(data)"),
}
#: the questions that ask for values, and those values (question 1 asks for a function only)
VALUES = {"q2": ("vanity",)}


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


def test_each_student_has_their_own_figures_with_other_vanity_metrics():
    public = variants.generate(STEM)["data"]
    vanity = sorted(outcomes.vanity_metrics(public))
    seen = set()
    for k in range(20):
        with graded_as(f"s{k:04d}"):
            data = variants.current(STEM)["data"]
        theirs = sorted(outcomes.vanity_metrics(data))
        assert theirs != vanity and 0 < len(theirs) < len(outcomes.SOCIAL_METRICS)
        seen.add(int(data["bookings"].sum()))
    assert len(seen) == 20

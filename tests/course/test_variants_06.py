"""Exercise 6 (from tools to outcomes): every autograded point is earned on the student's own
weekly figures.

The rules encoded are issue 18's "proof per question" and the master's own test cells
(exercises/06-from-tools-to-outcomes.ipynb), run by otter's rule for points (support.variants);
the held-out seeds and structures (socialkit/course/heldout.py) stay as they were."""
from __future__ import annotations

from socialkit.course import variants
from socialkit.models import outcomes
from support.variants import graded_as, proof_tests

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


(test_the_solution_earns_full_points_on_every_variant, test_the_public_values_typed_in_earn_nothing,
 test_the_kits_function_under_another_name_earns_nothing, test_blank_answers_earn_nothing) = \
    proof_tests(STEM, QUESTIONS, VALUES, KIT_UNDER_ANOTHER_NAME)


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

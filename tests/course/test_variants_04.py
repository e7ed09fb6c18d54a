"""Exercise 4 (listen first): every autograded point is earned on the student's own year of posts.

The rules encoded are issue 18's "proof per question" and the master's own test cells
(exercises/04-listen-first.ipynb), run by otter's rule for points (support.variants)."""
from __future__ import annotations

from socialkit.course import variants
from socialkit.models import listening
from support.variants import graded_as, proof_tests

STEM = "04-listen-first"
QUESTIONS = ("q1", "q2", "q3")
#: each question's function, and the kit's own answer under that name, as a student would write it
KIT_UNDER_ANOTHER_NAME = {
    "q1": ("channel_table", "def channel_table(posts):\n"
                            "    return listening.channel_summary(posts)[['posts', 'response_rate', 'median_response_hours']]"),
    "q2": ("gap_channel", "def gap_channel(posts):\n    return listening.listening_gap(posts)"),
    "q3": ("top_unmet_need", "def top_unmet_need(posts):\n    return listening.unmet_needs(posts).index[0]"),
}
#: the questions that ask for values, and those values
VALUES = {"q2": ("biggest_gap", "gap_posts"), "q3": ("unmet_need", "unmet_posts")}



(test_the_solution_earns_full_points_on_every_variant, test_the_public_values_typed_in_earn_nothing,
 test_the_kits_function_under_another_name_earns_nothing, test_blank_answers_earn_nothing) = \
    proof_tests(STEM, QUESTIONS, VALUES, KIT_UNDER_ANOTHER_NAME)


def test_each_student_has_their_own_year_with_other_answers():
    public = variants.generate(STEM)["posts"]
    gap, need = listening.listening_gap(public), listening.unmet_needs(public).index[0]
    seen = set()
    for k in range(25):
        with graded_as(f"s{k:04d}"):
            posts = variants.current(STEM)["posts"]
        assert listening.listening_gap(posts) != gap and listening.unmet_needs(posts).index[0] != need
        assert listening.validate_posts(posts).equals(posts)
        seen.add((len(posts), int((~posts["answered"]).sum())))
    assert len(seen) == 25

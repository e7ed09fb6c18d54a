"""Exercise 4 (listen first): every autograded point is earned on the student's own year of posts.

The rules encoded are issue 18's "proof per question" and the master's own test cells
(exercises/04-listen-first.ipynb), run by otter's rule for points (support.variants)."""
from __future__ import annotations

import pytest

from socialkit.course import variants
from socialkit.models import listening
from support.variants import (PUBLIC, STUDENTS, graded_as, prove_blank_earns_nothing, prove_full_points,
                              prove_kit_alias_earns_nothing, prove_public_values_earn_nothing)

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

"""Exercise 4 (listen first): every autograded point is earned on the student's own year of posts.

The rules encoded are issue 18's "proof per question" and the master's own test cells
(exercises/04-listen-first.ipynb), run by otter's rule for points (support.variants)."""
from __future__ import annotations

import pytest

from socialkit.course import variants
from socialkit.models import listening
from support.variants import (PUBLIC, STUDENTS, answers_for, case_results, graded_as, score,
                              shortcut_constants, solution_namespace, value_points, written)

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



def _same(a, b) -> bool:
    """Whether two answers are equal (tables and Series compared as a whole)."""
    return bool(a.equals(b)) if hasattr(a, "equals") else bool(a == b)

@pytest.mark.parametrize("student", [*STUDENTS, PUBLIC])
@pytest.mark.parametrize("name", QUESTIONS)
def test_the_solution_earns_full_points_on_every_variant(name, student):
    earned, possible = score(STEM, name, answers_for(STEM, name, solution_namespace(STEM, student)), student)
    assert possible > 0 and earned == pytest.approx(possible), (name, student, earned, possible)


@pytest.mark.parametrize("student", STUDENTS)
@pytest.mark.parametrize("name", sorted(VALUES))
def test_the_public_values_typed_in_earn_nothing(name, student):
    constants = shortcut_constants(STEM, name)
    assert set(constants) == set(VALUES[name])
    solved = answers_for(STEM, name, solution_namespace(STEM, student))
    for value in VALUES[name]:  # every student's answers differ from the public ones
        assert not _same(solved[value], constants[value]), (name, student, value)
    assert value_points(STEM, name, {**solved, **constants}, student) == 0


@pytest.mark.parametrize("name", QUESTIONS)
def test_the_kits_function_under_another_name_earns_nothing(name):
    function, source = KIT_UNDER_ANOTHER_NAME[name]
    for student in (STUDENTS[0], PUBLIC):
        namespace = solution_namespace(STEM, student)
        answers = {**answers_for(STEM, name, namespace), **written(source, namespace)}
        results = case_results(STEM, name, answers, student)
        assert sum(points for points, ok, takes in results if ok and function in takes) == 0, (name, student)


@pytest.mark.parametrize("name", QUESTIONS)
def test_blank_answers_earn_nothing(name):
    blank = {n: ... for n in answers_for(STEM, name, solution_namespace(STEM, PUBLIC))}
    assert score(STEM, name, blank, STUDENTS[0])[0] == 0


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

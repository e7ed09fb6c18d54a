"""Exercise 0 (exercises/00-python-for-this-book.ipynb): every autograded point is earned on the
student's own numbers (socialkit/course/variants/primer.py), as issue 18 asks.

Per question, with the master's own solution and test cells (tests/support/variants.py):
(a) the solution earns full points for three students and for the public variant;
(b) what the solution computes on the public variant, typed in as constants, earns nothing on
    another student's numbers; Questions 1 to 3 ask only for functions, so for them a function
    that remembers the public answers stands in for the constants;
(c) the kit's own analysis under another name earns nothing where it could stand in for a
    function the question asks for (Question 3's reply rates, Question 4's counts);
(d) blank answers earn nothing; the form checks carry no points, so points come only from tests
    on the student's own numbers or on inputs the student never sees.
"""
from __future__ import annotations

import numpy as np
import pytest

from socialkit import listening, variants
from socialkit.course.variants import primer
from support.variants import (PUBLIC, STUDENTS, answers_for, case_results,
                              prove_form_checks_free_and_blank_worthless, prove_full_points, score,
                              shortcut_constants, solution_namespace, value_points, written)

STEM = "00-python-for-this-book"
AUTOGRADED = ("q1", "q2", "q3", "q4")


@pytest.mark.parametrize("name", AUTOGRADED)
@pytest.mark.parametrize("student", (*STUDENTS, PUBLIC))
def test_a_the_solution_earns_full_points(name, student):
    prove_full_points(STEM, name, student)


@pytest.mark.parametrize("name", AUTOGRADED)
def test_d_form_checks_carry_no_points_and_blank_answers_earn_none(name):
    prove_form_checks_free_and_blank_worthless(STEM, name)


def test_each_student_has_their_own_year_and_their_own_top_complaints_channel():
    public = primer.most_complaints(variants.generate(STEM).numbers["posts"])
    for student in STUDENTS:
        mine = variants.generate(STEM, student).numbers
        assert primer.most_complaints(mine["posts"]) != public
        assert mine["posts_per_channel"].tolist() != primer.numbers(None)["posts_per_channel"].tolist()


def test_every_seed_has_another_top_complaints_channel_than_the_book():
    """The book's answer ("locals_group") is wrong for every student, not only the proof's three."""
    public = primer.most_complaints(primer.numbers(None)["posts"])
    for seed in range(0, 2**32, 2**32 // 40):
        assert primer.most_complaints(primer.numbers(seed)["posts"]) != public, seed


def test_b_the_books_complaints_channel_typed_in_earns_nothing():
    constants = shortcut_constants(STEM, "q4")
    assert constants == {"most_complaints": "locals_group"}
    for student in STUDENTS:
        answers = {**answers_for(STEM, "q4", solution_namespace(STEM, student)), **constants}
        assert value_points(STEM, "q4", answers, student) == 0
        assert score(STEM, "q4", answers, student)[0] < score(STEM, "q4", answers_for(
            STEM, "q4", solution_namespace(STEM, student)), student)[0]


@pytest.mark.parametrize("name, source", [
    ("q1", "def minutes_each(weekly_hours, people):\n    return 80.0"),
    ("q2", "def pilot_weeks(n):\n    return [1, 2, 3, 4]"),
    ("q3", "def reply_rate(answered, posts):\n"
           "    return np.array([0.64, 0.94, 0.05, 0.52])[:len(posts)]"),
    ("q4", "shipped = listening.load_posts()\n"
           "def complaints_by_channel(posts):\n"
           "    return shipped.loc[shipped['kind'] == 'complaint', 'channel'].value_counts()"),
])
def test_b_functions_that_remember_the_public_answers_earn_nothing(name, source):
    for student in STUDENTS:
        namespace = {**solution_namespace(STEM, student), "np": np, "listening": listening}
        answers = {**answers_for(STEM, name, namespace), **written(source, namespace)}
        answers = {n: v for n, v in answers.items() if n in answers_for(STEM, name, {})}
        function_points = score(STEM, name, answers, student)[0] - value_points(STEM, name, answers, student)
        assert function_points == 0, (name, student)


@pytest.mark.parametrize("name, source", [
    ("q3", "def reply_rate(answered, posts):\n"
           "    return listening.response_rate(mine['posts']).reindex(keys).to_numpy()"),
    ("q4", "def complaints_by_channel(table):\n"
           "    return listening.filter_posts(posts, kind='complaint')['channel'].value_counts()"),
])
def test_c_the_kits_analysis_of_the_students_own_posts_earns_nothing(name, source):
    """The kit's functions, on the student's own posts rather than on the input given, pass the
    form check but none of the graded ones."""
    for student in STUDENTS:
        namespace = {**solution_namespace(STEM, student), "listening": listening}
        function = written(source, namespace)
        answers = {**answers_for(STEM, name, namespace), **function}
        own = {n: v for n, v in answers.items() if callable(v)}
        graded = [points for points, ok, takes in case_results(STEM, name, answers, student)
                  if ok and set(takes) <= set(own)]
        assert sum(graded) == 0, (name, student)


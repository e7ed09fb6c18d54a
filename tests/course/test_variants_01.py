"""Exercise 1 (exercises/01-ignorance-arrogance-irrelevance.ipynb): every autograded point is earned
on the student's own numbers (socialkit/course/variants/relevance.py), as issue 18 asks.

Per question, with the master's own solution and test cells (tests/support/variants.py):
(a) the solution earns full points for three students and for the public variant;
(b) what the solution computes on the public variant (the listening share 0.75, the cost ratio,
    the peak year, the share moved by then), typed in as constants, earns nothing on another
    student's numbers, and neither do functions written for the public numbers;
(c) the kit's own functions under the names the questions ask for earn nothing:
    ``bass.cumulative_adoption`` as ``bass_F``, ``relevance.relevance_lost`` (the lesson's typical
    p and q) as ``relevance_lost_by_delay``;
(d) blank answers earn nothing, and the form checks carry no points.
"""
from __future__ import annotations

import pytest

from socialkit import variants
from socialkit.course.variants import relevance as numbers_module
from support.variants import (PUBLIC, STUDENTS, answers_for, case_results,
                              prove_form_checks_free_and_blank_worthless, prove_full_points,
                              shortcut_constants, solution_namespace, value_points, written)

STEM = "01-ignorance-arrogance-irrelevance"
AUTOGRADED = ("q1", "q2", "q3")


@pytest.mark.parametrize("name", AUTOGRADED)
@pytest.mark.parametrize("student", (*STUDENTS, PUBLIC))
def test_a_the_solution_earns_full_points(name, student):
    prove_full_points(STEM, name, student)


def test_a_the_solution_computes_what_the_numbers_module_says():
    for student in (*STUDENTS, PUBLIC):
        namespace = solution_namespace(STEM, student)
        expected = numbers_module.answers(variants.generate(STEM, student).numbers)
        assert namespace["cc_listening_share"] == pytest.approx(expected["listening_share"])
        assert namespace["times_as_costly"] == pytest.approx(expected["times_as_costly"])
        assert namespace["peak_year"] == pytest.approx(expected["peak_year"])
        assert namespace["moved_at_peak"] == pytest.approx(expected["moved_at_peak"])


@pytest.mark.parametrize("name", AUTOGRADED)
def test_d_form_checks_carry_no_points_and_blank_answers_earn_none(name):
    prove_form_checks_free_and_blank_worthless(STEM, name)


@pytest.mark.parametrize("name", ("q2", "q3"))
def test_b_the_public_answers_typed_in_earn_nothing(name):
    constants = shortcut_constants(STEM, name)
    assert constants and not any(callable(v) for v in constants.values())
    for student in STUDENTS:
        answers = {**answers_for(STEM, name, solution_namespace(STEM, student)), **constants}
        assert value_points(STEM, name, answers, student) == 0, (name, student)


def test_b_a_function_written_for_the_public_numbers_earns_nothing():
    public_function = ("def relevance_lost_by_delay(k):\n"
                       "    return relevance.relevance_lost(k, listening_share=0.75, p=0.02, q=0.5)")
    for student in STUDENTS:
        namespace = solution_namespace(STEM, student)
        answers = {**answers_for(STEM, "q2", namespace), **written(public_function, namespace)}
        assert _function_points("q2", answers, student) == 0


@pytest.mark.parametrize("name, source", [
    ("q1", "def bass_F(t, p, q):\n    return bass.cumulative_adoption(t, p, q)"),
    ("q1", "bass_F = bass.cumulative_adoption"),
    ("q2", "def relevance_lost_by_delay(k):\n"
           "    return relevance.relevance_lost(k, listening_share=cc_listening_share)"),
    ("q2", "relevance_lost_by_delay = relevance.relevance_lost"),
])
def test_c_the_kits_function_under_another_name_earns_nothing(name, source):
    for student in (*STUDENTS, PUBLIC):
        namespace = solution_namespace(STEM, student)
        answers = {**answers_for(STEM, name, namespace), **written(source, namespace)}
        assert _function_points(name, answers, student) == 0, (name, student)


def _function_points(name: str, answers: dict, student: str) -> float:
    """Points of the cases that take only functions."""
    functions = {n for n, v in answers.items() if callable(v)}
    return sum(points for points, ok, takes in case_results(STEM, name, answers, student)
               if ok and set(takes) <= functions)


def test_every_seed_keeps_each_answer_clearly_away_from_the_public_one():
    public = numbers_module.answers(numbers_module.numbers(None))
    for seed in range(0, 2**32, 2**32 // 200):
        values = numbers_module.numbers(seed)
        assert values["weekly_hours"] / 2 < values["listening_hours"] < values["weekly_hours"]
        mine = numbers_module.answers(values)
        for key, margin in numbers_module.MARGINS.items():
            scale = public[key] if key == "times_as_costly" else 1
            assert abs(mine[key] - public[key]) > margin * scale, (seed, key)

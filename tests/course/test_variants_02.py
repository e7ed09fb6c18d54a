"""Exercise 2 on each student's own market: every autograded point is earned on the student's
numbers (socialkit/course/variants/channels.py), by the proof of issue 18 (tests/support/variants.py).

(a) the master's solution earns full points for several students and the public variant;
(b) the values the solution computes on the public variant (the lesson's market: best_n_slow = 1,
    best_n_quick = 6), typed in as constants, earn nothing on another student's numbers;
(c) the kit's own functions under another name earn nothing: the numbers module's own
    focus_values for value_of_focus (Q2), the kit's strategies for my_strategy (Q3);
(d) blank answers earn nothing.
"""
from __future__ import annotations

import numpy as np
import pytest

from socialkit import channels, variants
from socialkit.course.variants import channels as market_numbers
from support.variants import (PUBLIC, STUDENTS, answers_for, graded_as, prove_full_points, score,
                              shortcut_constants, solution_namespace, value_points, written)

STEM = "02-shiny-object-syndrome"
AUTOGRADED = ("q1", "q2", "q3")


def test_every_student_has_a_market_whose_answers_differ_from_the_lessons():
    public = market_numbers.numbers(None)
    lesson = market_numbers.best_numbers_of_channels(public)
    assert lesson == (1, 6)  # what chapter 2 prints
    lesson_year = channels.simulate(channels.STRATEGIES, public["market"], budget=4).totals()
    for seed in range(0, 4000, 97):  # 42 students' seeds, spread out
        mine = market_numbers.numbers(seed)
        slow, quick = market_numbers.best_numbers_of_channels(mine)
        assert slow != lesson[0] and quick != lesson[1], seed
        year = channels.simulate(channels.STRATEGIES, mine["market"], budget=mine["weekly_hours"]).totals()
        ratio, lesson_ratio = (y["focus_on_customers"] / y["chase_newest"] for y in (year, lesson_year))
        assert abs(ratio - lesson_ratio) > 1e-3 * lesson_ratio, seed
        assert any(abs(year[k] - lesson_year[k]) > 1e-3 * lesson_year[k] for k in year), seed
        assert mine == market_numbers.numbers(seed)  # the same seed, the same market


def test_the_first_cell_shows_whose_numbers_they_are():
    text = repr(variants.generate(STEM, "s1001"))
    assert "s1001" in text and "hours a week" in text and "Glint in week" in text
    assert "public numbers" in repr(variants.generate(STEM))


@pytest.mark.parametrize("student", [*STUDENTS, PUBLIC])
@pytest.mark.parametrize("name", AUTOGRADED)
def test_a_the_solution_earns_full_points(name, student):
    prove_full_points(STEM, name, student)


@pytest.mark.parametrize("student", STUDENTS)
@pytest.mark.parametrize("name", ("q1", "q2"))
def test_b_the_public_values_typed_in_earn_nothing(name, student):
    answers = answers_for(STEM, name, solution_namespace(STEM, student))
    answers.update(shortcut_constants(STEM, name))
    assert value_points(STEM, name, answers, student) == 0


def test_b_the_lessons_printed_answers_earn_nothing():
    for student in STUDENTS:
        assert value_points(STEM, "q2", {"value_of_focus": solution_namespace(STEM, student)["value_of_focus"],
                                         "best_n_slow": 1, "best_n_quick": 6}, student) == 0


@pytest.mark.parametrize("student", STUDENTS)
def test_c_the_numbers_modules_own_function_earns_nothing_for_value_of_focus(student):
    ns = dict(solution_namespace(STEM, student))
    ns["market_numbers"] = market_numbers
    mine = written("def value_of_focus(n, mastery_hours):\n"
                   "    return market_numbers.focus_values(mine.numbers, mastery_hours)[n]\n", ns)
    answers = answers_for(STEM, "q2", {**ns, **mine})
    assert mine["value_of_focus"](2, 20) == pytest.approx(ns["value_of_focus"](2, 20))  # right values...
    earned, _ = score(STEM, "q2", {"value_of_focus": answers["value_of_focus"],
                                   "best_n_slow": ..., "best_n_quick": ...}, student)
    assert earned == 0  # ...but not written by the student


@pytest.mark.parametrize("student", STUDENTS)
@pytest.mark.parametrize("source", [
    "my_strategy = channels.focus_on_customers",
    "def my_strategy(week, state):\n    return channels.focus_on(2)(week, state)",
])
def test_c_the_kits_strategies_under_another_name_earn_nothing(student, source):
    ns = dict(solution_namespace(STEM, student))
    answers = {"my_strategy": written(source, ns)["my_strategy"]}
    assert score(STEM, "q3", answers, student)[0] == 0


@pytest.mark.parametrize("student", [STUDENTS[0], PUBLIC])
@pytest.mark.parametrize("name", AUTOGRADED)
def test_d_blank_answers_earn_nothing(name, student):
    blank = {n: ... for n in answers_for(STEM, name, {})}
    assert score(STEM, name, blank, student)[0] == 0


def test_the_solution_wins_in_many_students_own_markets():
    """Question 3's part on the student's own market is fair: the master's strategy passes it for
    many students, a strategy that reads `state` without adapting passes it too, and chasing fails."""
    from support.exercises import chasing_newest_by_hand, run_hidden_tests

    solution = solution_namespace(STEM, PUBLIC)["my_strategy"]

    def top_two(week, state):
        hours = np.zeros(state.n_channels)
        hours[state.top(2)] = state.budget / 2
        return hours

    for k in range(12):
        with graded_as(f"class-{k}"):
            assert run_hidden_tests(STEM, "q3", my_strategy=solution)[-1] is None, k
            assert run_hidden_tests(STEM, "q3", my_strategy=top_two)[-1] is None, k
            assert "chasing the newest network" in run_hidden_tests(STEM, "q3", my_strategy=chasing_newest_by_hand)[-1]


def test_question_3s_random_markets_can_be_private(monkeypatch):
    """The eight random markets come from held-out seeds (socialkit/course/heldout.py): the master
    declares the public ones, and an autograder made with private seeds uses those instead."""
    from socialkit.course import assign, heldout
    from support.exercises import question

    public = heldout.declared_in(assign.MASTERS_DIR / f"{STEM}.ipynb")["q3_markets"]
    assert len(public) == 8
    seen, real = [], channels.Market.random
    monkeypatch.setattr(channels.Market, "random",
                        classmethod(lambda cls, seed, **kw: seen.append(seed) or real(seed, **kw)))
    (random_markets, *_) = question(STEM, "q3").hidden_tests
    private = list(range(501, 509))
    exec(random_markets, {heldout.VARIABLE: {STEM: {"q3_markets": private}},
                          "my_strategy": solution_namespace(STEM, PUBLIC)["my_strategy"]})
    assert seen == private

"""Exercise 2: the hidden strategy tests reward reading `state`, not hard-coding; otter grades it.

The generic checks (committed copies current, no answers leaked, solutions full marks, blank
notebook zero) run for every exercise in ``test_exercises.py``. Here:

(a) the hidden tests of question 3, run directly on many candidate strategies: sensible ones
    that read ``state`` beat chasing, only the ones that adapt when customers move beat every kit
    strategy, the kit's own strategies fail under any name, chasing, spreading and hard-coded
    ones fail;
(b) ``otter run`` gives a hard-coded strategy part of question 3's points;
(c) ``grader.check`` in the student notebook explains a bad strategy in plain words.
"""
from __future__ import annotations

import numpy as np
import pytest

from socialkit import channels, variants
from socialkit.course import assign
from socialkit.course.checks import Hint
from support import exercises
from support.exercises import (answer_cell, chasing_newest_by_hand, check_outputs,
                               committed_student_notebook, execute, otter_grade, read_nb)

STEM = "02-shiny-object-syndrome"


def run_hidden_tests(name: str, **answers) -> list[str | None]:
    return exercises.run_hidden_tests(STEM, name, **answers)


@pytest.fixture(autouse=True)
def public_variant(monkeypatch):
    """The hidden tests check against the public variant here (the lesson's market), whatever
    variant another test's notebook used last (tests/conftest.py forgets those)."""
    monkeypatch.delenv(variants.GRADING_VARIABLE, raising=False)


# --- candidate strategies ----------------------------------------------------------------------
def top_two(week, state):
    hours = np.zeros(state.n_channels)
    hours[state.top(2)] = state.budget / 2
    return hours


def top_three(week, state):
    hours = np.zeros(state.n_channels)
    hours[state.top(3)] = state.budget / 3
    return hours


def in_proportion(week, state):
    reach = np.where(state.launched, state.customers, 0.0)
    return state.budget * reach / reach.sum()


def first_two_listed(week, state):  # hard-coded positions
    hours = np.zeros(state.n_channels)
    hours[:2] = state.budget / 2
    return hours


def first_listed(week, state):
    hours = np.zeros(state.n_channels)
    hours[0] = state.budget
    return hours


def by_name(week, state):  # hard-coded names: crashes where there is no such channel
    hours = np.zeros(state.n_channels)
    hours[state.names.index("Google Maps reviews")] = state.budget
    return hours


def cobble_and_chain_only(week, state):  # the right hours for the lesson's market only
    return [2, 2] + [0] * 9


def all_on_a_clear_favourite(ratio):
    """Top two channels, or all hours on the top one when it has ``ratio`` times the second's customers."""
    def strategy(week, state):
        reach = np.where(state.launched, state.customers, -1.0)
        first, second = np.argsort(reach)[::-1][:2]
        hours = np.zeros(state.n_channels)
        if reach[first] >= ratio * reach[second]:
            hours[first] = state.budget
        else:
            hours[[first, second]] = state.budget / 2
        return hours
    strategy.__name__ = f"all_on_a_clear_favourite_{ratio}"
    return strategy


@pytest.mark.parametrize("strategy", [all_on_a_clear_favourite(1.5), all_on_a_clear_favourite(2.0),
                                      all_on_a_clear_favourite(1.3)])
def test_strategies_that_adapt_to_moving_customers_pass(strategy):
    assert run_hidden_tests("q3", my_strategy=strategy) == [None, None, None, None]


@pytest.mark.parametrize("strategy", [top_two, top_three, in_proportion, all_on_a_clear_favourite(1.0)])
def test_strategies_that_read_state_beat_chasing_but_fixed_rules_do_not_beat_the_kit(strategy):
    """Following where the customers are beats chasing; a fixed rule (the kit's focus_on_customers
    or focus_on(1) written out by hand, or hours in proportion) ties with the kit's own or loses."""
    random_markets, harder_markets, customers_move, own_market = run_hidden_tests("q3", my_strategy=strategy)
    assert random_markets is None and harder_markets is None and own_market is None
    assert customers_move and "When most of the customers gather on one channel" in customers_move


KIT_ANSWERS = {  # the kit's strategies handed in under another name, as a notebook cell would
    "alias": "my_strategy = channels.focus_on_customers",
    "factory": "my_strategy = channels.focus_on(1)",
    "wrapper": "def my_strategy(week, state):\n    return channels.chase_newest(week, state)",
    "dict": "def my_strategy(week, state):\n    return channels.STRATEGIES['spread_evenly'](week, state)",
    "hidden-factory": "_plan = channels.focus_on(1)\n\ndef my_strategy(week, state):\n    return _plan(week, state)",
    "hidden-switching": "_plan = channels.switch_every(13)\n\ndef my_strategy(week, state):\n"
                        "    return _plan(week, state)",
}


@pytest.mark.parametrize("name", list(KIT_ANSWERS))
def test_the_kits_strategies_fail_every_test_under_any_name(name):
    namespace = {"__name__": "__main__", "channels": channels, "np": np}
    exec(compile(KIT_ANSWERS[name], "<ipython-input-1-x>", "exec"), namespace)
    outcomes = run_hidden_tests("q3", my_strategy=namespace["my_strategy"])
    assert all(o and o.startswith("Write my_strategy yourself instead of ") for o in outcomes), outcomes
    (public,) = [c.source for c in read_nb(assign.MASTERS_DIR / f"{STEM}.ipynb").cells
                 if "def q3_valid(" in c.source]
    with pytest.raises(Hint, match="^Write my_strategy yourself"):
        exec(public, dict(namespace))


@pytest.mark.parametrize("strategy", [chasing_newest_by_hand, first_two_listed, first_listed, by_name, cobble_and_chain_only])
def test_chasing_spreading_and_hard_coding_fail(strategy):
    outcomes = run_hidden_tests("q3", my_strategy=strategy)
    assert outcomes[1] and outcomes[2], f"{strategy.__name__} passed the harder hidden markets"
    assert all("Traceback" not in o for o in outcomes if o)


def test_chasing_fails_every_hidden_test_with_a_useful_hint():
    first, second, third, own = run_hidden_tests("q3", my_strategy=chasing_newest_by_hand)
    assert "hidden market 1 of 8" in first and "channels.compare" in first
    assert "value points" in second and "value points" in third
    assert "In your own market" in own and "chasing the newest network" in own


def test_the_solution_adapts_with_room_to_spare(monkeypatch):
    """The master's solution beats the best kit strategy by at least 4% in each of the four markets
    where customers move, so that other reasonable adaptive strategies pass too."""
    namespace = {"np": np, "channels": channels}
    for kind, source in exercises.question(STEM, "q3").solutions:
        if kind == "code":
            exec(source, namespace)
    margins = []
    simulate = channels.simulate

    def recording(strategies, market=None, **settings):
        result = simulate(strategies, market, **settings)
        totals = result.totals()
        if market is not None and market.moves and "focus_on(1)" in totals:  # against every kit team
            mine = totals.pop("my_strategy")
            margins.append(mine / max(totals.values()))
        return result

    monkeypatch.setattr(channels, "simulate", recording)
    assert run_hidden_tests("q3", my_strategy=namespace["my_strategy"]) == [None, None, None, None]
    assert len(margins) == 4 and min(margins) > 1.04, margins


def test_wrong_answers_to_questions_1_and_2_fail():
    year = channels.simulate(channels.STRATEGIES).totals()
    assert run_hidden_tests("q1", year_values=year, best_strategy="focus_on_customers",
                            focus_vs_chase=year["focus_on_customers"] / year["chase_newest"]) == [None, None]
    wrong = run_hidden_tests("q1", year_values=year, best_strategy="spread_evenly",
                             focus_vs_chase=year["chase_newest"] / year["focus_on_customers"])
    assert wrong[0] is None and "best_strategy" in wrong[1]

    def value_of_focus(n, mastery_hours):
        return channels.simulate(channels.focus_on(n), mastery_hours=mastery_hours).cumulative[0, -1]

    assert run_hidden_tests("q2", value_of_focus=value_of_focus, best_n_slow=1, best_n_quick=6) == [None, None]
    swapped = run_hidden_tests("q2", value_of_focus=value_of_focus, best_n_slow=6, best_n_quick=1)
    assert swapped[0] is None and "best_n_slow = 6" in swapped[1]


# --- otter ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> assign.Outputs:
    return assign.assign(assign.MASTERS_DIR / f"{STEM}.ipynb", tmp_path_factory.mktemp("assign"))


@pytest.mark.grading
def test_hard_coded_strategy_gets_part_of_question_3(outputs, tmp_path):
    nb = read_nb(outputs.autograder_notebook)
    (cell,) = [c for c in nb.cells if c.source.startswith("def my_strategy")]
    cell.source = ("def my_strategy(week, state):\n    hours = np.zeros(state.n_channels)\n"
                   "    hours[:2] = state.budget / 2\n    return hours")
    scores = otter_grade(outputs, nb, tmp_path)
    # q3: valid hours and the random markets, not the harder ones nor the markets where customers move
    assert {q: s for q, (s, _) in scores.items()} == {"q1": 3, "q2": 4, "q3": 3}


@pytest.mark.grading
def test_check_explains_a_bad_strategy_without_a_traceback(tmp_path):
    nb = read_nb(committed_student_notebook(STEM))
    answer_cell(nb, "def my_strategy").source = (
        "def my_strategy(week, state):\n    return [state.budget] * state.n_channels")
    text = check_outputs(execute(nb, tmp_path, STEM))["q3"]
    assert "Hint: my_strategy in week 0 spends 44 hours, but the team has only 4 hours a week." in text
    assert "Traceback" not in text and "File " not in text


@pytest.mark.grading
def test_blank_notebook_checks_give_hints(tmp_path):
    outputs = check_outputs(execute(read_nb(committed_student_notebook(STEM)), tmp_path, STEM))
    assert set(outputs) == {"q1", "q2", "q3"}
    for name, text in outputs.items():
        assert "failed" in text and "Hint:" in text and "Traceback" not in text, (name, text)
    assert "my_strategy in week 0 returned None" in outputs["q3"]

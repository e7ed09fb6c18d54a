"""Chapter 2's channel simulator: the rules by hand, the story it tells, friendly errors, figures."""
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from socialkit import case, channels as ch
from socialkit.course import chapter_checks
from socialkit.course.checks import Hint
from socialkit.figures import channels as figs


def only(index, hours=4.0):
    def strategy(week, state):
        out = np.zeros(state.n_channels)
        out[index] = hours
        return out
    return strategy


# --- the market -------------------------------------------------------------------------------
def test_cobble_and_chain_market_uses_the_case_channels():
    m = ch.Market.cobble_and_chain()
    assert m.names[:8] == tuple(c.name for c in case.CHANNELS)
    assert m.customer_shares[:8] == tuple(c.customer_share for c in case.CHANNELS)
    assert m.launch_weeks[:8] == (None,) * 8
    assert m.n_channels == 11 and m.is_new.sum() == 3
    assert all(0 < w < ch.WEEKS for w in m.launch_weeks[8:])


def test_markets_are_reproducible_and_vary_with_the_seed():
    assert ch.Market.cobble_and_chain(7) == ch.Market.cobble_and_chain(7)
    assert ch.Market.random(3) == ch.Market.random(3)
    assert len({ch.Market.random(s) for s in range(20)}) == 20


def test_hype_and_customers_by_hand():
    m = ch.Market(("Old", "New"), (0.5, 0.2), (None, 10), hype_half_life=4.0, weeks=30)
    t = m.timeline()
    assert t["launched"][:10, 1].sum() == 0 and t["launched"][10:, 1].all()
    assert np.all(t["customers"][:, 0] == 0.5) and np.all(t["hype"][:, 0] == 0)
    assert t["hype"][10, 1] == 1.0 and t["hype"][14, 1] == pytest.approx(0.5)
    assert t["customers"][10, 1] == 0.0 and t["customers"][14, 1] == pytest.approx(0.1)
    assert t["age"][14, 1] == 4 and np.isnan(t["age"][9, 1]) and np.isinf(t["age"][0, 0])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_random_markets_are_valid(seed):
    m = ch.Market.random(seed)
    assert 7 <= m.n_channels <= 13
    t = m.timeline()
    assert np.all((t["hype"] >= 0) & (t["hype"] <= 1))
    assert np.all((t["customers"] >= 0) & (t["customers"] <= np.array(m.customer_shares) + 1e-12))
    # Hype only fades and customers only arrive once a network is live.
    new = m.is_new
    assert np.all(np.diff(t["customers"][:, new], axis=0) >= -1e-12)


@pytest.mark.parametrize("kwargs, message", [
    (dict(names=(), customer_shares=(), launch_weeks=()), "at least one channel"),
    (dict(names=("A", "A"), customer_shares=(0.1, 0.2), launch_weeks=(None, None)), "distinct"),
    (dict(names=("A",), customer_shares=(1.2,), launch_weeks=(None,)), r"customer_shares\['A'\] must be in the range"),
    (dict(names=("A", "B"), customer_shares=(0.1,), launch_weeks=(None, None)), "same length"),
    (dict(names=("A",), customer_shares=(0.1,), launch_weeks=(60,)), r"launch_weeks\['A'\]"),
    (dict(names=("A",), customer_shares=(0.1,), launch_weeks=(None,), hype_half_life=0), "hype_half_life"),
    (dict(names=("A",), customer_shares=(0.1,), launch_weeks=(None,), weeks=0), "weeks must be"),
])
def test_bad_markets_are_explained(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ch.Market(**kwargs)


def test_bad_seeds_and_counts():
    with pytest.raises(TypeError, match="seed must be a whole number"):
        ch.Market.random(-1)
    with pytest.raises(ValueError, match="new_networks must be"):
        ch.Market.cobble_and_chain(new_networks=20)


# --- the rules, by hand -------------------------------------------------------------------------
def test_mastery_curve():
    assert float(ch.mastery(20.0, 20.0)) == 0.5
    assert ch.mastery([0.0, 10.0, 40.0], 20.0) == pytest.approx([0.0, 0.2, 0.8])
    with pytest.raises(ValueError, match="mastery_hours must be"):
        ch.mastery(1.0, 0.0)
    with pytest.raises(ValueError, match="practice"):
        ch.mastery([-1.0])


def test_one_channel_by_hand():
    m = ch.Market(("A", "B"), (0.5, 0.3), (None, None), weeks=3)
    r = ch.simulate({"a": only(0, 3.0)}, m, mastery_hours=10, forget=0.1, restart_hours=1)
    practice = [2.0, 0.9 * 2 + 3, 0.9 * 4.8 + 3]  # week 0 pays the restart hour
    expected = [0.5 * p * p / (p * p + 100) for p in practice]
    assert r.value[0] == pytest.approx(expected)
    assert r.cumulative[0, -1] == pytest.approx(sum(expected))
    assert r.mastery[0, :, 1].max() == 0 and r.hours[0, :, 0].tolist() == [3, 3, 3]


def test_a_break_costs_a_restart():
    m = ch.Market(("A",), (1.0,), (None,), weeks=3)

    def on_off_on(week, state):
        return [0.0 if week == 1 else 2.0]

    r = ch.simulate(on_off_on, m, mastery_hours=1, forget=0.0, restart_hours=1.5)
    practice = np.array([0.5, 0.5, 1.0])
    assert r.mastery[0, :, 0] == pytest.approx(practice**2 / (practice**2 + 1))


def test_strategies_see_only_the_past_and_cannot_change_it():
    seen = []

    def spy(week, state):
        seen.append((week, state.week, state.last_hours.copy(), state.mastery.copy()))
        with pytest.raises(ValueError):
            state.customers[0] = 1.0  # read-only
        return np.full(state.n_channels, state.budget / state.n_channels) * state.launched

    ch.simulate(spy, ch.Market.cobble_and_chain())
    assert [w for w, *_ in seen] == list(range(ch.WEEKS))
    assert all(w == sw for w, sw, *_ in seen)
    assert not seen[0][2].any() and not seen[0][3].any()
    assert seen[5][2].sum() == pytest.approx(4.0 * 8 / 11)  # last week: the 8 live channels


def test_strategies_run_side_by_side_give_the_same_results_as_alone():
    m = ch.Market.random(11)
    together = ch.simulate(ch.STRATEGIES, m)
    for name, strategy in ch.STRATEGIES.items():
        alone = ch.simulate({name: strategy}, m)
        assert alone.total(name) == pytest.approx(together.total(name))


# --- the built-in strategies and the story they tell --------------------------------------------
def test_built_in_strategies_by_rule():
    r = ch.simulate(ch.STRATEGIES)
    m = r.market
    first_launch = min(w for w in m.launch_weeks if w is not None)
    chase = r.hours[r.names.index("chase_newest")]
    assert chase[first_launch].tolist() == [0] * 8 + [4, 0, 0]
    assert chase[0] == pytest.approx([0.5] * 8 + [0] * 3)
    focus = r.hours[r.names.index("focus_on_customers")]
    assert np.all(focus[:, :2] == 2) and np.all(focus[:, 2:] == 0)
    spread = r.hours[r.names.index("spread_evenly")]
    assert np.allclose(spread.sum(axis=1), 4) and spread[-1] == pytest.approx([4 / 11] * 11)


def test_lesson_story():
    totals = ch.simulate(ch.STRATEGIES).totals()
    assert totals["focus_on_customers"] > 3 * totals["spread_evenly"] > 3 * totals["chase_newest"]


def test_best_number_of_channels_grows_when_learning_is_quick():
    def best(hours):
        values = [ch.simulate(ch.focus_on(n), mastery_hours=hours).cumulative[0, -1] for n in range(1, 9)]
        return int(np.argmax(values)) + 1
    assert [best(h) for h in (5, 10, 20, 40)] == [6, 4, 2, 1]


def test_switching_every_week_wastes_half_the_hours():
    r = ch.simulate({"restless": ch.switch_every(1), "steady": ch.switch_every(52)})
    assert r.switches("restless") == ch.WEEKS - 1 and r.switches("steady") == 0
    assert r.total("steady") > 3 * r.total("restless")
    assert r.total("steady") == pytest.approx(ch.simulate(ch.focus_on_customers).total("focus_on_customers"))


def test_focus_beats_chasing_on_random_markets():
    result = ch.compare(ch.focus_on_customers, seeds=range(60))
    assert result["wins"] == 1.0 and result["median_ratio"] > 2


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.floats(2.0, 80.0), st.floats(0.0, 0.3))
def test_value_is_bounded_and_never_decreases(seed, hours, forget):
    m = ch.Market.random(seed)
    r = ch.simulate(ch.STRATEGIES, m, mastery_hours=hours, forget=forget)
    assert np.all(r.value >= 0) and np.all(np.diff(r.cumulative, axis=1) >= 0)
    most = m.timeline()["customers"].sum(axis=1)  # every channel fully mastered
    assert np.all(r.value <= most + 1e-9)
    assert np.all((r.mastery >= 0) & (r.mastery < 1))


def test_more_hours_never_hurt_a_fixed_plan():
    m = ch.Market.random(4)
    values = [ch.simulate(ch.focus_on_customers, m, budget=b).cumulative[0, -1] for b in (2, 4, 8, 16)]
    assert values == sorted(values)


def test_state_top():
    s = ch._example_state()
    assert s.top(3).tolist() == [0, 1]  # the unlaunched channel is never chosen
    assert s.top(0).tolist() == []
    with pytest.raises(ValueError, match="by must name"):
        s.top(1, by="names")


# --- friendly errors for a strategy's mistakes -----------------------------------------------------
@pytest.mark.parametrize("returned, message", [
    (None, "returned None.*forget `return`"),
    ("lots", "must return 11 numbers"),
    ([1.0, 1.0], "returned 2 number.*exactly 11 numbers"),
    (np.ones((2, 11)), r"shape \(2, 11\)"),
    ([np.nan] + [0.0] * 10, "not NaN or infinity"),
    ([-1.0] + [0.0] * 10, "-1 hours to 'Google Maps reviews'.*cannot be negative"),
    ([3.0, 3.0] + [0.0] * 9, "spends 6 hours.*only 4 hours a week"),
    ([0.0] * 10 + [1.0], "'Whirl', which has not launched yet"),
])
def test_bad_allocations_are_explained(returned, message):
    with pytest.raises(ch.AllocationError, match=message) as info:
        ch.simulate({"mine": lambda week, state: returned})
    assert str(info.value).startswith("mine in week 0")


def test_errors_inside_a_strategy_name_the_week():
    def broken(week, state):
        return ch.focus_on_customers(week, state) if week < 3 else state.nope

    with pytest.raises(ch.StrategyError, match="broken raised AttributeError in week 3"):
        ch.simulate(broken)


@pytest.mark.parametrize("kwargs, exc, message", [
    (dict(budget=0), ValueError, "budget must be in the range"),
    (dict(mastery_hours=-5), ValueError, "mastery_hours must be"),
    (dict(forget=1.0), ValueError, "forget must be"),
    (dict(restart_hours=5), ValueError, "restart_hours must be"),
    (dict(market="Cobble"), TypeError, "market must be a Market"),
])
def test_bad_simulation_settings(kwargs, exc, message):
    with pytest.raises(exc, match=message):
        ch.simulate(ch.STRATEGIES, **kwargs)


@pytest.mark.parametrize("strategies, exc, message", [
    ({}, ValueError, "at least one"),
    (42, TypeError, "strategies must be a function"),
    ([ch.chase_newest, "x"], TypeError, "must be functions"),
    ([ch.chase_newest, ch.chase_newest], ValueError, "repeated names"),
])
def test_bad_strategy_collections(strategies, exc, message):
    with pytest.raises(exc, match=message):
        ch.simulate(strategies)


def test_head_to_head_turns_problems_into_hints():
    assert chapter_checks.head_to_head(ch.focus_on_customers)[0] > chapter_checks.head_to_head(ch.chase_newest)[0]
    with pytest.raises(Hint, match="not defined yet"):
        chapter_checks.head_to_head(...)
    with pytest.raises(Hint, match="should be a function"):
        chapter_checks.head_to_head(3)
    with pytest.raises(Hint, match="returned None"):
        chapter_checks.head_to_head(lambda week, state: None, name="my_strategy")
    with pytest.raises(Hint, match="raised TypeError in week 0"):
        chapter_checks.head_to_head(lambda week: [0.0])


def test_factories_validate():
    with pytest.raises(ValueError, match="n_channels must be"):
        ch.focus_on(0)
    with pytest.raises(ValueError, match="weeks must be"):
        ch.switch_every(0)
    with pytest.raises(ValueError, match="pool must be"):
        ch.switch_every(4, n_channels=3, pool=2)



# --- figures --------------------------------------------------------------------------------------
def alts(box):
    stack = box.children[-1]
    frames = [f for inner in stack.children for f in getattr(inner, "children", [inner])]
    return [re.search(r'alt="([^"]*)"', frame.value).group(1) for frame in frames]


def test_spread_explorer_grid_and_alt_text():
    box = figs.spread_explorer()
    texts = alts(box)
    assert len(texts) == len(figs.N_CHANNELS_VALUES) * len(figs.MASTERY_VALUES) == len(set(texts))
    assert box.children[0].index == figs.N_CHANNELS_VALUES.index(2)
    total = ch.simulate(ch.focus_on(2)).cumulative[0, -1]
    assert "over the 2 channel(s) with the most customers, when 20 hours" in figs.describe_spread(2, 20.0)
    assert f"earns {total:.0f} value points" in figs.describe_spread(2, 20.0)
    assert "6 channel(s) earn the most" in figs.describe_spread(1, 5.0)


def test_switching_explorer_grid_and_alt_text():
    texts = alts(figs.switching_explorer())
    assert len(texts) == len(figs.SWITCH_VALUES) * len(figs.MASTERY_VALUES) == len(set(texts))
    assert "never switches" in figs.describe_switching(52, 20.0)
    assert "every 4 week(s)" in figs.describe_switching(4, 20.0)


def test_hours_explorer_and_still_alt_texts():
    texts = alts(figs.hours_explorer())
    assert len(texts) == 3 and "switches channels 3 times" in texts[0]
    assert "Google Maps reviews 70%" in figs.describe_customers()
    assert "Glint launches in week" in figs.describe_market()
    totals = ch.simulate(ch.STRATEGIES).totals()
    assert f"focus on customers {totals['focus_on_customers']:.0f}" in figs.describe_value()


def test_frames_fit_the_page_budget():
    boxes = [figs.hours_explorer(), figs.spread_explorer(), figs.switching_explorer()]
    size = sum(len(v) for box in boxes for v in re.findall(r'src="([^"]+)"', str(
        [f.value for inner in box.children[-1].children for f in getattr(inner, "children", [inner])])))
    assert size < 900_000, f"{size:,} bytes of frames"


def test_hours_figure_takes_names_or_labels():
    assert figs.describe_hours("Spread evenly") == figs.describe_hours("spread_evenly")
    with pytest.raises(ValueError, match="strategy must be one of"):
        figs.describe_hours("chase")


# --- customers who move to a new network (Exercise 2, question 3) --------------------------------
def test_customers_move_by_hand():
    market = ch.Market(("Old", "Other", "New"), (0.6, 0.4, 0.1), (None, None, 2), hype_half_life=2.0,
                       weeks=12)
    c = market.with_move("New", 5, 0.5).timeline()["customers"]
    before = market.timeline()["customers"]
    assert np.array_equal(c[:5], before[:5])  # nobody moves before week 5
    moved = [0.5 * (1 - 0.5 ** ((w - 5 + 1) / ch.MOVE_HALF_LIFE)) for w in range(5, 12)]
    assert c[5:, 0] == pytest.approx([0.6 * (1 - x) for x in moved])
    assert c[5:, 1] == pytest.approx([0.4 * (1 - x) for x in moved])
    assert c[5:, 2] == pytest.approx(before[5:, 2] + moved)
    assert c[5 + 3, 0] == pytest.approx(0.6 * (1 - 0.25))  # half of those who move, within four weeks


def test_a_move_leaves_the_market_without_it_unchanged():
    cc = ch.Market.cobble_and_chain()
    moved = cc.with_move("Glint", 20, 0.8)
    assert cc.moves == () and moved.moves == (("Glint", 20, 0.8),) and moved != cc
    assert round(ch.simulate(ch.STRATEGIES, cc).total("focus_on_customers"), 1) == 39.4
    totals = ch.simulate(ch.STRATEGIES, moved).totals()
    assert totals["focus_on_customers"] < 39.4  # the two favourite channels lose their customers
    assert totals["chase_newest"] > ch.simulate(ch.STRATEGIES, cc).total("chase_newest")


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 4), st.integers(0, 51), st.floats(0.05, 1.0))
def test_customers_only_leave_the_established_channels_for_the_new_network(seed, which, week, share):
    base = ch.Market.random(seed)
    new = [n for n, w in zip(base.names, base.launch_weeks) if w is not None]
    network = new[which % len(new)]
    week = max(week, base.launch_weeks[base.names.index(network)])
    m = base.with_move(network, week, share)
    c, c0 = m.timeline()["customers"], base.timeline()["customers"]
    old, j = ~m.is_new, m.names.index(network)
    assert np.all(c[:, old] <= c0[:, old] + 1e-12) and np.all(np.diff(c[:, old], axis=0) <= 1e-12)
    assert np.all(c[:, j] >= c0[:, j] - 1e-12) and np.all(c <= 1.0)
    others = [i for i in range(m.n_channels) if m.is_new[i] and i != j]
    assert np.array_equal(c[:, others], c0[:, others])
    assert c[-1, old] == pytest.approx(c0[-1, old] * (1 - share * (1 - 0.5 ** ((m.weeks - week) / ch.MOVE_HALF_LIFE))))


@pytest.mark.parametrize("move, message", [
    (("Maps", 10, 0.5), "one of the new networks"),
    (("Nowhere", 10, 0.5), "one of the new networks"),
    (("Glint", 3, 0.5), r"range \[13, 51\] \(not before it launches\)"),
    (("Glint", 52, 0.5), r"range \[13, 51\]"),
    (("Glint", 20.5, 0.5), "whole week"),
    (("Glint", 20, 0.0), "share of customers moving to 'Glint'"),
    (("Glint", 20, 1.5), "share of customers moving to 'Glint'"),
])
def test_bad_moves_are_explained(move, message):
    with pytest.raises(ValueError, match=message):
        ch.Market.cobble_and_chain().with_move(*move)


def test_moves_cannot_add_up_to_more_than_everyone():
    with pytest.raises(ValueError, match="add up to 1.2"):
        ch.Market.cobble_and_chain().with_move("Glint", 20, 0.7).with_move("Fizz", 30, 0.5)
    with pytest.raises(ValueError, match="moves must be a tuple"):
        ch.Market(("A", "B"), (0.5, 0.1), (None, 1), moves=[("B", 2, 0.5)])
    with pytest.raises(ValueError, match=r"each move must be a tuple \(network, week, share\)"):
        ch.Market(("A", "B"), (0.5, 0.1), (None, 1), moves=(("B", 2),))

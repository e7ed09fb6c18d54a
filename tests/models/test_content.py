"""Chapter 5's posting model: the rules by hand, its properties, friendly errors, the lesson's
numbers, the figures, and the exercise's hidden tests against shortcut answers.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings, strategies as st

from socialkit import case
from socialkit.course import assign
from support import exercises
from socialkit.figures import content as figs
from socialkit.models import content as C

STEM = "05-be-social-not-a-billboard"
shares = st.floats(0.0, 1.0, allow_nan=False)
seeds = st.integers(0, 100_000)


def quiet(**changes) -> C.Market:
    """A small market with no luck, so that the rules can be followed by hand."""
    base = dict(followers=100.0, reachable=1000.0, discovery=2.0, sharing=0.01, ready=0.1,
                pull=0.5, annoyance=0.1, fatigue=0.05, comeback=0.25, luck=0.0, weeks=3)
    return C.Market(**{**base, **changes})


# --- the rules by hand ----------------------------------------------------------------------------
def test_one_week_by_hand():
    # 10 posts: 5 helpful, 3 promotional, 2 filler.
    year = C.simulate(0.3, 0.2, 10, quiet())
    a0 = 100.0
    new = 5 * (2.0 + 0.01 * a0) * (1000 - a0) / 1000
    left = a0 * (1 - 0.9 ** 3 * 0.95 ** 2)
    sales = a0 * 0.1 * (1 - 0.5 ** 3)
    assert year.new[0] == pytest.approx(new)
    assert year.left[0] == pytest.approx(left)
    assert year.sales[0] == pytest.approx(sales)
    assert year.back[0] == 0.0
    a1, lost1 = a0 + new - left, left
    assert year.audience[1] == pytest.approx(a1) and year.lost[1] == pytest.approx(lost1)
    assert year.back[1] == pytest.approx(0.25 * lost1)
    assert year.new[1] == pytest.approx(5 * (2.0 + 0.01 * a1) * (1000 - a1 - lost1) / 1000)


def test_luck_is_seeded_with_mean_one():
    m = C.Market.cobble_and_chain()
    assert np.array_equal(m.luck_by_week(), C.Market.cobble_and_chain().luck_by_week())
    assert not np.array_equal(m.luck_by_week(), C.Market.cobble_and_chain(seed=6).luck_by_week())
    many = C.Market(followers=1, reachable=2, weeks=520, seed=3).luck_by_week()
    assert many.mean() == pytest.approx(1.0, abs=0.05)
    assert np.all(quiet().luck_by_week() == 1.0)


def test_vectorised_runs_equal_single_runs():
    promo = np.array([0.0, 0.2, 0.5])[:, None]
    filler = np.array([0.0, 0.3])[None, :]
    year = C.simulate(promo, filler, 5)
    assert year.shape == (3, 2) and year.audience.shape == (C.WEEKS, 3, 2)
    for i, p in enumerate([0.0, 0.2, 0.5]):
        for j, f in enumerate([0.0, 0.3]):
            single = C.simulate(p, f, 5)
            assert year.total_sales[i, j] == pytest.approx(single.total_sales)
            assert np.allclose(year.audience[:, i, j], single.audience)


def test_a_constant_weekly_plan_is_the_same_year():
    plan = C.simulate_weeks([0.2] * C.WEEKS, 0.1, 4)
    same = C.simulate(0.2, 0.1, 4)
    assert plan.total_sales == pytest.approx(same.total_sales)
    assert np.allclose(plan.audience, same.audience)
    assert isinstance(plan.final_audience, float)


def test_cobble_and_chain_market_comes_from_the_case():
    m = C.Market.cobble_and_chain()
    assert (m.followers, m.reachable) == (case.FOLLOWERS, case.LOCAL_RIDERS)
    assert m.replace(annoyance=0.04).annoyance == 0.04 and m.annoyance == 0.02
    assert C.Market.cobble_and_chain(pull=0.5).pull == 0.5
    table = m.describe()
    assert list(table.index) == list(C.PARAMETERS) and table.loc["followers", "value"] == 700


# --- properties ---------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(seeds, shares, shares, st.floats(0.5, 20.0))
def test_the_year_keeps_its_books(seed, promo, filler, posts):
    assume(promo + filler <= 1.0)
    market = C.Market.random(seed)
    year = C.simulate(promo, filler, posts, market)
    for name in ("audience", "lost", "new", "left", "back", "sales"):
        assert np.all(getattr(year, name) >= -1e-9), name
    # Nobody is counted twice: followers and people who left are some of the reachable people.
    assert np.all(year.audience + year.lost <= market.reachable * (1 + 1e-9))
    # Every week's change is explained by the four flows.
    change = np.diff(year.audience)
    assert np.allclose(change, (year.new - year.left + year.back)[:-1])
    assert np.allclose(np.diff(year.lost), (year.left - year.back)[:-1])


@settings(max_examples=30, deadline=None)
@given(seeds, st.floats(0.5, 20.0))
def test_only_promotion_sells_and_only_promotion_and_filler_drive_people_away(seed, posts):
    market = C.Market.random(seed)
    helpful_only = C.simulate(0.0, 0.0, posts, market)
    assert helpful_only.total_sales == 0.0
    assert np.all(helpful_only.left == 0.0) and np.all(np.diff(helpful_only.audience) >= 0)
    assert C.simulate(0.05, 0.0, posts, market).total_sales > 0


@settings(max_examples=30, deadline=None)
@given(seeds, st.floats(0.0, 0.6), st.floats(0.0, 0.35), st.floats(0.01, 0.05))
def test_filler_never_helps(seed, promo, filler, more):
    market = C.Market.random(seed)
    less, extra = C.year_sales(promo, np.array([filler, filler + more]), 5, market)
    assert extra <= less * (1 + 1e-12)


@settings(max_examples=25, deadline=None)
@given(seeds, st.sampled_from([1, 2, 5, 9]), st.sampled_from([0.0, 0.2]))
def test_the_best_share_beats_every_other_share_on_the_grid(seed, posts, filler):
    market = C.Market.random(seed)
    best = C.best_promo_share(market, posts, filler)
    grid = np.round(np.arange(0, 1 - filler + 1e-9, 0.01), 10)
    assert best in grid
    sales = C.year_sales(grid, filler, posts, market)
    assert C.year_sales(best, filler, posts, market) == pytest.approx(sales.max())


@settings(max_examples=40, deadline=None)
@given(seeds)
def test_random_markets_are_valid_and_reproducible(seed):
    market = C.Market.random(seed)
    assert market == C.Market.random(seed)
    assert 100 <= market.followers <= 5000 and market.followers < market.reachable
    assert 0.3 <= market.pull <= 0.85


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(C.KINDS), min_size=1, max_size=60))
def test_mix_of_counts_shares(kinds):
    mix = C.mix_of(kinds)
    assert list(mix) == list(C.KINDS)
    assert sum(mix.values()) == pytest.approx(1.0)
    for kind in C.KINDS:
        assert mix[kind] * len(kinds) == pytest.approx(kinds.count(kind))


@settings(max_examples=20, deadline=None)
@given(seeds, st.floats(0.5, 6.0))
def test_sample_feeds_are_reproducible_and_well_formed(seed, posts):
    feed = C.sample_feed(seed, posts_per_week=posts, weeks=20)
    assert feed.equals(C.sample_feed(seed, posts_per_week=posts, weeks=20))
    assert tuple(feed.columns) == C.FEED_COLUMNS
    assert feed["week"].between(1, 20).all() and feed["kind"].isin(C.KINDS).all()
    assert all(topic in C.TOPICS[kind] for kind, topic in zip(feed["kind"], feed["topic"]))
    assert feed["date"].is_monotonic_increasing


def test_a_feed_follows_its_mix():
    feed = C.sample_feed(1, weeks=520, posts_per_week=4.0, mix=(0.6, 0.3, 0.1))
    mix = C.mix_of(feed["kind"])
    assert mix["helpful"] == pytest.approx(0.6, abs=0.03) and mix["filler"] == pytest.approx(0.1, abs=0.03)
    assert C.mix_of(C.sample_feed(2, mix=(0.5, 0.5, 0.0))["kind"])["filler"] == 0.0


# --- friendly errors ------------------------------------------------------------------------------
@pytest.mark.parametrize("args, error, message", [
    ((1.2,), ValueError, r"promo_share must be in the range \[0, 1\]; got 1.2"),
    ((0.6, 0.6), ValueError, r"promo_share \+ filler_share must be at most 1"),
    ((0.2, 0.0, 0), ValueError, "posts_per_week must be more than 0"),
    ((0.2, 0.0, 60), ValueError, r"posts_per_week must be in the range \[0, 50\]"),
    ((float("nan"),), ValueError, "promo_share must hold finite numbers"),
    (("a lot",), TypeError, "promo_share must be a number or an array of numbers"),
    ((True,), TypeError, "promo_share must be a number"),
    (([],), ValueError, "promo_share must hold at least one number"),
    ((0.2, -0.1), ValueError, r"filler_share must be in the range \[0, 1\]; got -0.1"),
    ((0.2, 0.0, 5, "Cobble & Chain"), TypeError, "market must be a Market"),
])
def test_simulate_explains_bad_arguments(args, error, message):
    with pytest.raises(error, match=message):
        C.simulate(*args)


@pytest.mark.parametrize("changes, message", [
    (dict(followers=7000.0), r"followers \(7000\) cannot be more than reachable \(6000\)"),
    (dict(annoyance=0.9), r"annoyance must be in the range \[0, 0.5\]; got 0.9"),
    (dict(pull=-0.1), r"pull must be in the range \[0, 1\]"),
    (dict(weeks=0), r"weeks must be a whole number in the range \[1, 520\]"),
    (dict(seed=-1), "seed must be a whole number"),
    (dict(luck=float("inf")), "luck must be a finite number"),
    (dict(loyalty=0.5), "'loyalty' is not a parameter of Market; the parameters are followers"),
])
def test_markets_explain_bad_assumptions(changes, message):
    with pytest.raises((ValueError, TypeError), match=message):
        C.Market.cobble_and_chain().replace(**changes)


def test_other_functions_explain_bad_arguments():
    with pytest.raises(TypeError, match="followers must be a number"):
        C.Market(followers="700", reachable=6000)
    with pytest.raises(TypeError, match="seed must be a whole number >= 0"):
        C.Market.random(-3)
    with pytest.raises(ValueError, match="promo_share must be a number or a sequence of 52 numbers"):
        C.simulate_weeks([0.2] * 10)
    with pytest.raises(ValueError, match="posts_per_week must be more than 0"):
        C.simulate_weeks(0.2, 0.0, [5] * 51 + [0])
    with pytest.raises(ValueError, match=r"posts_per_week must be in the range \(0, 50\]"):
        C.best_promo_share(posts_per_week=0)
    with pytest.raises(ValueError, match=r"filler_share must be in the range \[0, 1\]"):
        C.best_promo_share(filler_share=1.5)
    with pytest.raises(ValueError, match="mix must be three shares"):
        C.sample_feed(1, mix=(0.5, 0.2, 0.2))
    with pytest.raises(ValueError, match=r"weeks must be a whole number in the range \[1, 520\]"):
        C.sample_feed(1, weeks=0)
    with pytest.raises(ValueError, match="start must be a date"):
        C.sample_feed(1, start="someday")
    with pytest.raises(TypeError, match="seed must be a whole number"):
        C.sample_feed(1.5)
    with pytest.raises(ValueError, match="every kind must be one of helpful, promotional, filler; found 'advert'"):
        C.mix_of(["helpful", "advert"])
    with pytest.raises(ValueError, match="at least one post"):
        C.mix_of([])
    with pytest.raises(TypeError, match=r"feed\['kind'\], not the whole table"):
        C.mix_of(C.cobble_and_chain_feed())
    with pytest.raises(TypeError, match="kinds must be a list"):
        C.mix_of("helpful")



# --- the case --------------------------------------------------------------------------------------
def test_drafts_fit_the_case():
    labels = [d.label for d in case.DRAFTS]
    assert labels == sorted(set(labels))
    for draft in case.DRAFTS:
        assert draft.kind in C.KINDS and draft.by in case.TEAM
        assert case.account(draft.channel).since is not None  # the shop has an account there
    assert {d.kind for d in case.DRAFTS} == set(C.KINDS)
    habits = case.POSTING_2025
    assert sum(habits[k] for k in C.KINDS) == pytest.approx(1.0)


# --- the numbers the lesson and the quiz state -------------------------------------------------------
def test_lesson_numbers_the_best_mix():
    best = C.best_promo_share(posts_per_week=5)
    assert best == 0.2
    year = C.simulate(np.array([0.0, best, 0.5, 1.0]), 0.0, 5)
    none, top, half, only = year.total_sales
    assert none == 0.0
    assert round(top, -1) == 540 and round(half, -1) == 370 and round(only, -1) == 170
    assert round(year.final_audience[1], -1) == 1320 and 1.8 < year.final_audience[1] / case.FOLLOWERS < 2  # "nearly doubles"
    assert 0.6 < half / top < 0.7  # "a third less"
    assert only / top < 1 / 3  # "less than a third of the best"


def test_lesson_numbers_posts_per_week():
    best = {p: C.best_promo_share(posts_per_week=p) for p in (1, 2, 3, 5, 7, 10)}
    assert best[2] == pytest.approx(0.5, abs=0.02) and best[10] == pytest.approx(0.1, abs=0.015)
    assert all(best[a] > best[b] for a, b in [(2, 3), (3, 5), (5, 7), (7, 10)])
    # "about one a week", whatever the frequency (two posts or more)
    assert all(0.95 <= best[p] * p <= 1.15 for p in (2, 3, 5, 7, 10))
    # one post a week: the offer sells most, but the shop ends smaller
    assert best[1] == 1.0
    assert round(C.simulate(1.0, 0.0, 1).final_audience, -1) == 390


def test_lesson_numbers_what_ifs():
    table = C.what_ifs(5)
    best = table["best promotional share"]
    assert best["The lesson's assumptions"] == 0.2
    assert best["Customers expect more (promotion annoys twice as much)"] == 0.15
    row = table.loc["Customers expect more (promotion annoys twice as much)"]
    assert 0.5 < row["sales at 50%"] / row["sales at the best share"] < 0.6  # "little more than half"
    assert best["Promotion annoys half as much"] == pytest.approx(0.25, abs=0.011)
    assert best["Most of the town already follows"] == pytest.approx(0.25, abs=0.011)
    assert best["Posts are shared half as much"] == 0.24
    assert best["Lost followers never come back"] == 0.17
    assert best.min() >= 0.15 and best.max() <= 0.26  # "between about 15% and 25%"
    assert (table["sales at the best share"] > table["sales at 50%"]).all()


def test_lesson_numbers_shouting():
    best = C.best_promo_share(posts_per_week=5)
    plan = np.full(C.WEEKS, best)
    plan[20:24] = 0.8
    steady, shouting = C.simulate(best), C.simulate_weeks(plan)
    before, after = shouting.audience[20], shouting.audience[24]
    assert round(before, -1) == 920 and round(after, -1) == 710 and (before - after) / before > 0.2
    assert 180 < steady.final_audience - shouting.final_audience < 190  # "about 185"
    assert round(shouting.total_sales, -1) == 490 and round(steady.total_sales, -1) == 540
    assert shouting.sales[20:24].sum() > steady.sales[20:24].sum()  # the month itself sells more


def test_lesson_numbers_feed_and_drafts():
    feed = C.cobble_and_chain_feed()
    mix = C.mix_of(feed["kind"])
    assert round(mix["promotional"], 1) == 0.5 and 0.25 < mix["filler"] < 1 / 3 and mix["helpful"] < 0.2
    assert round(len(feed) / 52, 1) == 1.7
    drafts = C.mix_of(d.kind for d in case.DRAFTS)
    assert (drafts["helpful"], drafts["promotional"], drafts["filler"]) == (3 / 8, 3 / 8, 2 / 8)
    year = C.simulate(drafts["promotional"], drafts["filler"], 5)
    assert round(year.total_sales, -1) == 340 and round(year.final_audience, -1) == 430


# --- figures ---------------------------------------------------------------------------------------
def alts(box):
    import re
    return [re.search(r'alt="([^"]*)"', frame.value).group(1)
            for inner in box.children[-1].children for frame in inner.children]


def test_explorers_have_small_grids_and_distinct_alt_texts():
    mix = figs.mix_explorer()
    texts = alts(mix)
    assert len(texts) == len(figs.PROMO_VALUES) * len(figs.FILLER_VALUES) <= 15
    assert len(set(texts)) == len(texts)
    assert mix.children[0].index == figs.PROMO_VALUES.index(0.5)
    freq = figs.frequency_explorer()
    texts = alts(freq)
    assert len(texts) == len(figs.POSTS_VALUES) * len(figs.WHAT_IF_VALUES) <= 15
    assert any("peak of 541 at 20% promotional (1.0 promotional posts a week)" in t for t in texts)


def test_alt_texts_state_the_model_numbers():
    year = C.simulate(0.5, 0.3, 5)
    text = figs.describe_mix(0.5, 0.3)
    assert f"Followers go from 700 to {year.final_audience:.0f}" in text
    assert f"{year.total_sales:.0f} sales in the year" in text
    assert "best mix (20% promotional, no filler)" in text
    text = figs.describe_frequency(10, "The lesson's assumptions")
    assert "peak of" in text and "at 11% promotional" in text
    assert "weeks 21 to 24" in figs.describe_shouting()
    assert "90 posts" in figs.describe_feed(C.cobble_and_chain_feed())
    with pytest.raises(ValueError, match="promo_share must be one of"):
        figs.describe_mix(0.25, 0.0)
    with pytest.raises(ValueError, match="what_if must be one of"):
        figs.describe_frequency(5, "Nobody minds adverts")


def test_drafts_table_hides_the_team_sorting():
    table = figs.drafts_table()
    assert list(table.index) == [d.label for d in case.DRAFTS]
    assert "kind" not in table.columns and table.loc["B", "channel"].startswith("Lindenford Locals")


def test_sorting_report_is_friendly():
    blank = figs.sorting_report({d.label: "" for d in case.DRAFTS})
    assert "Not sorted yet: A, B, C, D, E, F, G, H" in blank
    typo = figs.sorting_report({**{d.label: d.kind for d in case.DRAFTS}, "B": "helpfull", "Z": "filler"})
    assert "Draft B: 'helpfull' is not a kind" in typo and "no drafts called Z" in typo
    assert "Your week" not in typo
    assert "should be a dictionary" in figs.sorting_report(["helpful"])
    team = figs.sorting_report({d.label: d.kind.upper() for d in case.DRAFTS})
    assert "38% helpful, 38% promotional, 25% filler" in team
    assert "342 sales" in team and "431 followers" in team
    assert "You sorted 8 of the 8 drafts as the team did" in team


# --- the exercise: hidden tests against shortcut answers ------------------------------------------
def run_hidden_tests(name: str, **answers) -> list[str | None]:
    return exercises.run_hidden_tests(STEM, name, preset={"np": np, "pd": pd}, **answers)


def right_best(market, posts_per_week):
    grid = np.linspace(0, 1, 101)
    return grid[np.argmax(C.year_sales(grid, 0.0, posts_per_week, market))]


def finer_best(market, posts_per_week):  # another correct search: a finer grid
    grid = np.linspace(0, 1, 1001)
    return float(grid[np.argmax(C.year_sales(grid, 0.0, posts_per_week, market))])


CC = C.Market.cobble_and_chain()
RIGHT_CC = dict(cc_best_share=C.best_promo_share(CC, 5), cc_best_share_10=C.best_promo_share(CC, 10))


@pytest.mark.parametrize("function", [right_best, finer_best])
def test_computed_answers_pass_question_1(function):
    assert run_hidden_tests("q1", best_promo_share=function, **RIGHT_CC) == [None, None]


def kit_under_another_name(market, posts_per_week):
    return C.best_promo_share(market, posts_per_week)


def kit_with_a_fallback(market, posts_per_week):  # calls the kit, and remembers the lesson's answer
    try:
        return C.best_promo_share(market, posts_per_week)
    except Exception:
        return 0.2


def remembered(market, posts_per_week):
    return 0.2


def remembers_the_shop(market, posts_per_week):  # right for Cobble & Chain only
    return {5: 0.2, 10: 0.11}.get(posts_per_week, 0.2)


def ignores_the_frequency(market, posts_per_week):
    return right_best(market, 5)


@pytest.mark.parametrize("function", [C.best_promo_share, kit_under_another_name, kit_with_a_fallback,
                                      remembered, remembers_the_shop])
def test_shortcuts_score_zero_on_the_hidden_tests_of_question_1(function):
    outcomes = run_hidden_tests("q1", best_promo_share=function, **RIGHT_CC)
    assert len(outcomes) == 2 and all(outcomes), f"{function.__name__} passed a hidden test"
    assert all("Traceback" not in o for o in outcomes)


def test_the_kit_is_switched_off_with_a_plain_message_and_switched_back_on():
    outcomes = run_hidden_tests("q1", best_promo_share=kit_under_another_name, **RIGHT_CC)
    assert "content.best_promo_share is switched off while this question is graded" in outcomes[0]
    assert C.best_promo_share(CC, 5) == 0.2  # restored after the tests, even though they failed


def test_question_1_catches_partial_mistakes():
    first, second = run_hidden_tests("q1", best_promo_share=ignores_the_frequency, **RIGHT_CC)
    assert first is None and "posts_per_week" in second
    typed = run_hidden_tests("q1", best_promo_share=right_best, cc_best_share=0.25, cc_best_share_10=0.11)
    assert typed[0] is None and "cc_best_share" in typed[1]


def right_mix(feed):
    shares = feed["kind"].value_counts(normalize=True)
    return {kind: float(shares.get(kind, 0.0)) for kind in C.KINDS}


FEED = C.cobble_and_chain_feed()
RIGHT_MIX = C.mix_of(FEED["kind"])
HABIT = C.year_sales(RIGHT_MIX["promotional"], RIGHT_MIX["filler"], 5, CC)


def test_computed_answers_pass_question_2():
    assert run_hidden_tests("q2", content_mix=right_mix, cc_mix_2025=right_mix(FEED), habit_sales=HABIT) == [None, None]
    as_series = lambda feed: feed["kind"].value_counts(normalize=True).reindex(list(C.KINDS), fill_value=0.0)  # noqa: E731
    assert run_hidden_tests("q2", content_mix=as_series, cc_mix_2025=as_series(FEED), habit_sales=HABIT) == [None, None]


@pytest.mark.parametrize("function", [
    lambda feed: C.mix_of(feed["kind"]),  # the kit's function under another name
    lambda feed: dict(RIGHT_MIX),  # the remembered 2025 mix
    lambda feed: feed["kind"].value_counts(normalize=True).to_dict(),  # forgets kinds with no posts
])
def test_shortcuts_and_a_common_slip_fail_question_2(function):
    outcomes = run_hidden_tests("q2", content_mix=function, cc_mix_2025=dict(RIGHT_MIX), habit_sales=HABIT)
    assert outcomes[0] is not None
    assert all("Traceback" not in o for o in outcomes if o)
    assert C.mix_of(["helpful"]) == {"helpful": 1.0, "promotional": 0.0, "filler": 0.0}


def test_remembered_numbers_fail_both_hidden_tests_of_question_2():
    remembered_mix = lambda feed: dict(RIGHT_MIX)  # noqa: E731
    assert all(run_hidden_tests("q2", content_mix=remembered_mix, cc_mix_2025=dict(RIGHT_MIX), habit_sales=HABIT))


# --- the same shortcuts, graded by otter ------------------------------------------------------------
@pytest.mark.grading
def test_otter_gives_shortcut_answers_nothing(tmp_path):
    """The kit's own functions under other names: 0 from the hidden tests, and the public form
    checks carry no points (issue 18: every point is earned)."""
    from support.exercises import otter_grade, read_nb

    outputs = assign.assign(assign.MASTERS_DIR / f"{STEM}.ipynb", tmp_path / "assign")
    nb = read_nb(outputs.autograder_notebook)
    (q1,) = [c for c in nb.cells if c.source.startswith("def best_promo_share")]
    q1.source = ("best_promo_share = content.best_promo_share\n"
                 "cc_best_share = best_promo_share(cc_market, 5)\n"
                 "cc_best_share_10 = best_promo_share(cc_market, 10)")
    (q2,) = [c for c in nb.cells if c.source.startswith("def content_mix")]
    q2.source = ("def content_mix(feed):\n    return content.mix_of(feed['kind'])\n\n"
                 "cc_mix_2025 = content_mix(feed_2025)\n"
                 "habit_sales = content.year_sales(cc_mix_2025['promotional'], cc_mix_2025['filler'], 5, cc_market)")
    scores = otter_grade(outputs, nb, tmp_path)
    assert scores["q1"] == pytest.approx((0, 6), abs=1e-4)
    assert scores["q2"] == pytest.approx((0, 4), abs=1e-4)


def test_exercise_numbers_the_2025_habit_sells_less_than_the_best():
    """Question 3's words, for the public numbers and every student's: offers were "a large part"
    of the 2025 feed, and its mix "sells less than the best mix of question 1"."""
    from socialkit.course.variants import content as numbers
    habit = C.year_sales(RIGHT_MIX["promotional"], RIGHT_MIX["filler"], 5, CC)
    assert 0.45 < habit / C.year_sales(C.best_promo_share(CC, 5), 0.0, 5, CC) < 0.55
    for seed in [None, *range(0, 2**32, 2**32 // 12)]:
        own = numbers.numbers(seed)
        mix = C.mix_of(own["feed"]["kind"])
        best = C.year_sales(C.best_promo_share(own["market"], 5), 0.0, 5, own["market"])
        assert mix["promotional"] >= 0.35, seed
        assert C.year_sales(mix["promotional"], mix["filler"], 5, own["market"]) < 0.9 * best, seed

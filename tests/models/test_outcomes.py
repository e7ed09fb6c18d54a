"""Chapter 6: the synthetic weekly figures, their known causal structure, the analysis, the
silo-or-integrated model, the figures, the lesson's numbers and the exercise's hidden tests."""
from __future__ import annotations

import html
import re
import sys

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from socialkit.course import assign
from support import exercises
from socialkit.data import case
from socialkit.data import outcomes as D
from socialkit.data.paths import REPO
from socialkit.figures import outcomes as F
from socialkit.models import outcomes as M

STEM = "06-from-tools-to-outcomes"
LESSON = REPO / "notebooks" / f"{STEM}.ipynb"


@pytest.fixture(scope="module")
def data():
    return M.make_outcomes()


@pytest.fixture(scope="module")
def calm(data):
    return M.deseasonalise(data)


def tiny(n=30, **columns):
    """A hand-made table of ``n`` weeks: zeros unless given."""
    table = pd.DataFrame({"week": pd.date_range("2024-01-01", periods=n, freq="7D")})
    for column in D.COLUMNS:
        if column != "week":
            table[column] = columns.get(column, np.zeros(n, dtype=int))
    if "followers" not in columns:
        table["followers"] = 100 + np.cumsum(table["new_followers"]) - table["new_followers"].iloc[0]
    return table


# --- the data ---------------------------------------------------------------------------------------
def test_shipped_csv_is_the_seeded_generation(data):
    pd.testing.assert_frame_equal(M.load_outcomes(), data)


def test_shipped_csv_bytes_match_a_fresh_write(data, tmp_path):
    fresh = D.write_outcomes(data, tmp_path / "outcomes.csv")
    assert D.DATA_PATH.parent == D.DATA_DIR  # found through socialkit.data.paths, wherever it lives
    assert fresh.read_bytes() == D.DATA_PATH.read_bytes(), \
        "outcomes.csv is stale: run `make data` (python -m socialkit.data.outcomes --seed 2026)"


def test_table_shape_and_types(data):
    assert list(data.columns) == list(D.COLUMNS)
    assert len(data) == D.DEFAULT_WEEKS == 104
    assert data["week"].iloc[0] == pd.Timestamp(D.START) and data["week"].dt.day_of_week.eq(0).all()
    assert data["week"].iloc[-1] < pd.Timestamp("2026-01-01")  # before the story's "now"
    assert (data["followers"].diff().iloc[1:] == data["new_followers"].iloc[1:]).all()
    for column in ("followers", "likes", "questions_answered", "review_replies", "bookings"):
        assert data[column].dtype == np.int64 and (data[column] >= 0).all()


def test_facts_agree_with_the_case(data):
    # Instagram is one of the shop's accounts: never more followers than follow any account.
    assert data["followers"].max() <= case.FOLLOWERS
    # What Maya watched in 2025 are the chapter's vanity metrics (followers through their weekly change).
    watched = {"new_followers" if m == "followers" else m for m in case.WATCHED_METRICS_2025}
    assert watched <= set(M.vanity_metrics(data))
    assert M.social_business_stage({k: v[0] for k, v in case.STAGE_SELF_ASSESSMENT.items()}) == "Engagement"
    assert set(case.STAGE_SELF_ASSESSMENT) == set(M.STAGE_NAMES)
    assert M.Integration().hours == case.WEEKLY_SOCIAL_HOURS


def test_altimeter_figures_as_the_article_reports_them():
    assert list(D.ALTIMETER_2013.values()) == [0.34, 0.28, 0.12, 0.50]
    assert "about 700" in D.ALTIMETER_SAMPLE and "not a random sample" in D.ALTIMETER_SAMPLE
    assert M.STAGE_NAMES == ("Planning", "Presence", "Engagement", "Formalized", "Strategic", "Converged")


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = M.make_outcomes(5, 40), M.make_outcomes(5, 40), M.make_outcomes(6, 40)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert len(M.make_outcomes(5, weeks=20)) == 20


@settings(max_examples=10, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), season=st.floats(0, 0.8), noise=st.floats(0, 10),
       driver=st.sampled_from(D.DRIVER_CANDIDATES), lag=st.integers(0, D.MAX_LAG))
def test_any_structure_gives_a_valid_table(seed, season, noise, driver, lag):
    table = M.make_outcomes(seed, 30, effects={driver: {lag: 0.5}}, season=season, noise=noise)
    pd.testing.assert_frame_equal(M.validate_outcomes(table), table)
    assert M.true_drivers({driver: {lag: 0.5}}) == (driver,)


@pytest.mark.parametrize("call, exc, message", [
    (lambda: M.make_outcomes(seed=-1), TypeError, "seed must be a whole number"),
    (lambda: M.make_outcomes(seed=True), TypeError, "seed"),
    (lambda: M.make_outcomes(seed=1.5), TypeError, "seed"),
    (lambda: M.make_outcomes(weeks=5), ValueError, "weeks must be between 20 and 520"),
    (lambda: M.make_outcomes(weeks="two years"), TypeError, "weeks must be a whole number"),
    (lambda: M.make_outcomes(effects={"followers": {1: 0.1}}), ValueError, "use new_followers"),
    (lambda: M.make_outcomes(effects={"bookings": {1: 0.1}}), ValueError, "effects keys must be among"),
    (lambda: M.make_outcomes(effects={"likes": {9: 0.1}}), ValueError, "from 0 to 4"),
    (lambda: M.make_outcomes(effects={"likes": {1.5: 0.1}}), ValueError, "whole numbers of weeks"),
    (lambda: M.make_outcomes(effects={"likes": {1: -0.1}}), ValueError, r"effects\['likes'\]\[1\] must be between 0 and 5"),
    (lambda: M.make_outcomes(effects={"likes": {1: "lots"}}), TypeError, "must be a number"),
    (lambda: M.make_outcomes(effects={"likes": {}}), TypeError, "non-empty dict"),
    (lambda: M.make_outcomes(effects=[("likes", 1)]), TypeError, "effects must be a dict"),
    (lambda: M.make_outcomes(season=2), ValueError, "season must be between 0 and 0.8"),
    (lambda: M.make_outcomes(noise=float("nan")), TypeError, "noise must be a number"),
])
def test_bad_generator_arguments(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_zero_effects_are_dropped():
    assert M.check_effects({"likes": {1: 0.0}, "review_replies": {2: 0.5}}) == {"review_replies": {2: 0.5}}
    assert M.true_drivers({}) == () and M.true_drivers() == ("questions_answered", "review_replies")


def test_command_line(tmp_path, capsys):
    out = tmp_path / "sub" / "outcomes.csv"
    assert D.main(["--seed", "9", "--weeks", "52", "--out", str(out)]) == 0
    assert "52 synthetic weeks (seed 9)" in capsys.readouterr().out
    pd.testing.assert_frame_equal(M.load_outcomes(out), M.make_outcomes(9, 52))
    assert D.main(["--weeks", "3", "--out", str(out)]) == 2
    assert "between 20 and 520" in capsys.readouterr().err


def test_load_missing_file_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m socialkit.data.outcomes --seed 2026"):
        M.load_outcomes(tmp_path / "nope.csv")


def _broken(change):
    table = M.make_outcomes(1, 30)
    change(table)
    return table


@pytest.mark.parametrize("table, exc, message", [
    ([1, 2], TypeError, "must be a pandas DataFrame"),
    (M.make_outcomes(1, 30).drop(columns=["likes"]), ValueError, "missing the column.*'likes'"),
    (M.make_outcomes(1, 30).iloc[:10], ValueError, "at least 20 weeks"),
    (M.make_outcomes(1, 30).iloc[::-1], ValueError, "seven days apart, in order"),
    (M.make_outcomes(1, 30).drop(index=[4]), ValueError, "no gaps"),
    (_broken(lambda t: t.__setitem__("week", "soon")), ValueError, "'week' must hold dates"),
    (_broken(lambda t: t.__setitem__("likes", -3)), ValueError, "'likes' must hold whole numbers, 0 or more"),
    (_broken(lambda t: t.__setitem__("bookings", 2.5)), ValueError, "'bookings' must hold whole numbers"),
    (_broken(lambda t: t.__setitem__("bookings", "many")), TypeError, "'bookings' must hold whole numbers"),
    (_broken(lambda t: t.loc.__setitem__((3, "likes"), np.nan)), ValueError, "'likes' has empty values"),
    (_broken(lambda t: t.loc.__setitem__((3, "new_followers"), 40)), ValueError, "each week's change in 'followers'"),
])
def test_bad_tables_are_explained(table, exc, message):
    with pytest.raises(exc, match=message):
        M.validate_outcomes(table)


def test_validate_reads_text_dates_drops_extra_columns_and_keeps_the_input():
    table = M.make_outcomes(1, 30)
    table["week"] = table["week"].dt.strftime("%Y-%m-%d")
    table["note"] = "x"
    clean = M.validate_outcomes(table)
    assert "note" not in clean.columns and clean["week"].dtype == "datetime64[ns]"
    assert "note" in table.columns
    assert (M.validate_outcomes(tiny(new_followers=np.r_[0, -np.ones(29, dtype=int)]))["new_followers"] < 0).any()


# --- lagged correlations ------------------------------------------------------------------------------
def test_lagged_correlation_pairs_each_figure_with_later_bookings():
    x = np.arange(30) % 7  # a repeating pattern, not a trend
    bookings = np.r_[0, 0, x[:-2]] * 3 + 5  # bookings copy the figure two weeks later
    table = tiny(likes=x, bookings=bookings)
    assert M.lagged_correlation(table, "likes", 2) == pytest.approx(1.0)
    assert M.lagged_correlation(table, "likes", 0) < 0.5
    assert M.strongest_lag(table, "likes", [0, 1, 2, 3], seasonal=True) == 2
    assert M.lagged_correlation(table, "likes", 0) == pytest.approx(table["likes"].corr(table["bookings"]))


@settings(max_examples=15, deadline=None, derandomize=True)
@given(lag=st.integers(0, 4), scale=st.floats(0.1, 100), offset=st.floats(-50, 50),
       metric=st.sampled_from(D.SOCIAL_METRICS))
def test_correlation_ignores_units_and_flips_with_sign(data, lag, scale, offset, metric):
    r = M.lagged_correlation(data, metric, lag)
    moved = data.assign(**{metric: data[metric] * scale + offset})
    flipped = data.assign(**{metric: -data[metric]})
    assert -1 <= r <= 1
    assert M.lagged_correlation(moved, metric, lag) == pytest.approx(r, abs=1e-9)
    assert M.lagged_correlation(flipped, metric, lag) == pytest.approx(-r, abs=1e-9)


def test_lagged_correlations_table(data):
    table = M.lagged_correlations(data)
    assert list(table.index) == [0, 1, 2, 3, 4] and list(table.columns) == list(D.SOCIAL_METRICS)
    assert table.loc[2, "likes"] == pytest.approx(M.lagged_correlation(data, "likes", 2))
    assert list(M.lagged_correlations(data, "likes", [1]).columns) == ["likes"]


@pytest.mark.parametrize("call, exc, message", [
    (lambda d: M.lagged_correlation(d, "hearts", 1), ValueError, "'hearts' is not a column"),
    (lambda d: M.lagged_correlation(d, "likes", -1), ValueError, "lag must be a whole number of weeks from 0 to 26"),
    (lambda d: M.lagged_correlation(d, "likes", 1.5), ValueError, "lag must be a whole number"),
    (lambda d: M.lagged_correlation(d.iloc[:20], "likes", 19), ValueError, "smaller than the number of weeks"),
    (lambda d: M.lagged_correlation("table", "likes", 1), TypeError, "data must be a pandas DataFrame"),
    (lambda d: M.lagged_correlations(d, lags=[1, 1]), ValueError, "each once"),
    (lambda d: M.lagged_correlations(d, lags=3), TypeError, "lags must be a list"),
    (lambda d: M.lagged_correlations(d, metrics=[]), ValueError, "at least one column"),
    (lambda d: M.linked_metrics(d, threshold=0), ValueError, "threshold must be"),
    (lambda d: M.linked_metrics(d.drop(columns="bookings")), ValueError, "missing the column.*'bookings'"),
    (lambda d: M.deseasonalise(d.iloc[:10]), ValueError, "at least 20 weeks"),
    (lambda d: M.deseasonalise(d[["week"]]), ValueError, "no columns of numbers"),
    (lambda d: M.deseasonalise(d.assign(likes=np.nan)), ValueError, "empty values"),
    (lambda d: M.lag_effects(d.iloc[:20], lags=[1, 2, 3, 4]), ValueError, "too few weeks"),
])
def test_bad_analysis_arguments(data, call, exc, message):
    with pytest.raises(exc, match=message):
        call(data)


# --- removing the season ------------------------------------------------------------------------------
def test_deseasonalise_removes_a_pure_season_and_a_trend():
    t = np.arange(104)
    season = 40 + 12 * np.cos(2 * np.pi * (t - 28) / M.WEEKS_PER_YEAR) + 0.2 * t
    table = tiny(104, bookings=np.round(season * 100).astype(int))
    calm = M.deseasonalise(table)
    assert np.abs(calm["bookings"]).max() < 1.0  # rounding only, out of about 4,000
    assert calm.index.name == "week" and "week" not in calm.columns


@settings(max_examples=10, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), a=st.floats(0.5, 5), b=st.floats(-20, 20))
def test_deseasonalise_is_linear(seed, a, b):
    table = M.make_outcomes(seed, 40)
    scaled = table.assign(likes=table["likes"] * a + b)
    np.testing.assert_allclose(M.deseasonalise(scaled)["likes"], a * M.deseasonalise(table)["likes"],
                               atol=1e-8)


def test_the_season_fools_a_naive_correlation(data, calm):
    same_week = {m: M.lagged_correlation(data, m, 0) for m in D.SOCIAL_METRICS}
    assert max(same_week, key=same_week.get) == "likes"  # the naive winner is a vanity metric
    assert min(same_week, key=same_week.get) == "review_replies"  # ... and a driver looks worst
    assert max(M.lagged_correlation(calm, "likes", lag) for lag in M.LINK_LAGS) < M.LINK_THRESHOLD


# --- the causal structure is recoverable ----------------------------------------------------------------
def test_shipped_structure_is_recovered(data):
    assert M.linked_metrics(data) == list(M.true_drivers())
    assert M.vanity_metrics(data) == ["new_followers", "likes"]
    assert M.strongest_lag(data, "questions_answered") == 1
    assert M.strongest_lag(data, "review_replies") == 2
    effects = M.lag_effects(data, D.SOCIAL_METRICS, [1, 2])
    for metric, by_lag in D.DEFAULT_EFFECTS.items():
        assert effects.loc[metric].sum() == pytest.approx(sum(by_lag.values()), abs=0.12)
    assert abs(effects.loc["likes"].sum()) < 0.05


def _recovered(seeds, effects=None):
    return sum(M.linked_metrics(M.make_outcomes(seed, effects=effects)) == list(M.true_drivers(effects))
               for seed in seeds)


def test_the_rule_finds_the_truth_in_99_of_100_other_data_sets():
    """The lesson's sentence: seeds 0 to 99, exactly the true figures in 99."""
    assert _recovered(range(100)) == 99


@pytest.mark.parametrize("effects", [
    {"likes": {2: 0.08}}, {"questions_answered": {3: 0.4}}, {}, {"new_followers": {1: 1.0}},
    {"new_followers": {1: 1.0}, "review_replies": {2: 0.8}},
])
def test_other_structures_are_recovered_most_of_the_time(effects):
    assert _recovered(range(200, 215), effects) >= 14


def test_linked_and_vanity_split_the_metrics(data):
    linked, vanity = M.linked_metrics(data), M.vanity_metrics(data)
    assert sorted(linked + vanity) == sorted(D.SOCIAL_METRICS) and not set(linked) & set(vanity)
    assert M.linked_metrics(data, threshold=0.99) == [] and M.vanity_metrics(data, threshold=0.01) == []


def test_contributions(data):
    table = M.contributions(data, ["questions_answered", "review_replies"])
    assert table.loc["questions_answered", "weekly_average"] == pytest.approx(data["questions_answered"].mean())
    assert table["bookings_per_week"].to_numpy() == pytest.approx(
        (table["weekly_average"] * table["bookings_per_unit"]).to_numpy())
    assert 0.2 < table["share_of_bookings"].sum() < 0.6


# --- the six stages -----------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.lists(st.booleans(), min_size=6, max_size=6))
def test_stage_is_the_end_of_the_first_run_of_yes(answers):
    stage = M.social_business_stage(answers)
    run = next((i for i, yes in enumerate(answers) if not yes), 6)
    assert stage == (M.STAGE_NAMES[run - 1] if run else "Not yet at Planning")
    assert M.social_business_stage(dict(zip(M.STAGE_NAMES, answers))) == stage


@pytest.mark.parametrize("answers, exc, message", [
    ([True] * 5, ValueError, "exactly six True/False"),
    (["yes"] * 6, ValueError, "exactly six True/False"),
    ({"Planning": True}, ValueError, "missing"),
    ({**dict.fromkeys(M.STAGE_NAMES, True), "Viral": True}, ValueError, "unknown"),
    ("yes", TypeError, "six True/False values"),
    (None, TypeError, "six True/False values"),
])
def test_bad_stage_answers(answers, exc, message):
    with pytest.raises(exc, match=message):
        M.social_business_stage(answers)


# --- silo or integrated -------------------------------------------------------------------------------
def test_silo_is_flat_and_linked_effort_builds_up():
    silo = M.effort_bookings(())
    assert np.allclose(silo, 4 * 6 * 0.55)
    for level, links in M.LINK_LEVELS.items():
        curve = M.effort_bookings(links)
        assert np.all(np.diff(curve) >= -1e-12) and np.all(curve >= 0)
        np.testing.assert_allclose(curve, M.effort_bookings(level))
    assert M.effort_bookings(["search"])[0] < silo[0]  # linking costs time first


@settings(max_examples=20, deadline=None, derandomize=True)
@given(short=st.floats(1, 50), extra=st.floats(1, 100), links=st.sampled_from(list(M.LINK_LEVELS.values())[1:]))
def test_longer_lasting_answers_never_bring_fewer_bookings(short, extra, links):
    assert M.effort_bookings(links, half_life=short + extra).sum() >= M.effort_bookings(links, half_life=short).sum()


def test_service_alone_pays_at_any_half_life():
    for half_life in (1, 4, 52):
        assert M.effort_bookings(["service"], half_life=half_life).sum() > M.effort_bookings(()).sum()


@pytest.mark.parametrize("call, exc, message", [
    (lambda: M.effort_bookings(["tiktok"]), ValueError, "each link must be one of"),
    (lambda: M.effort_bookings(["search", "search"]), ValueError, "each link once"),
    (lambda: M.effort_bookings((), weeks=0), ValueError, "weeks must be a whole number from 1"),
    (lambda: M.effort_bookings((), half_life=0), ValueError, "half_life must be"),
    (lambda: M.effort_bookings((), hours=-1), ValueError, "hours must be"),
    (lambda: M.effort_bookings((), mood=1), ValueError, "unknown assumption"),
    (lambda: M.effort_bookings((), assumptions="default"), TypeError, "assumptions must be an Integration"),
    (lambda: M.Integration(link_cost={"search": 0.5, "web": 0.4, "service": 0.2}), ValueError, "add up to less than 1"),
    (lambda: M.Integration(finds_per_week={"search": 1.0}), ValueError, "exactly the keys search, web"),
    (lambda: M.Integration(kept_share=1.5), ValueError, "kept_share must be"),
])
def test_bad_integration_arguments(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_break_even():
    assert M.break_even_week("+ web content", half_life=4) is None
    assert M.break_even_week("+ search", half_life=4) == 24  # just: a fraction of a booking a week
    assert M.break_even_week(["service"]) == 1


# --- the lesson's stated numbers ------------------------------------------------------------------------
def _lesson_text() -> str:
    nb = nbformat.read(LESSON, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_the_lessons_numbers_are_the_models(data, calm):
    text = _lesson_text()
    stated = {
        "0.80": M.lagged_correlation(data, "likes", 0),
        "0.26": M.lagged_correlation(data, "review_replies", 0),
        "0.17": M.lagged_correlation(data, "followers", 0),
        "0.52": M.lagged_correlation(calm, "questions_answered", 1),
        "0.55": M.lagged_correlation(calm, "review_replies", 2),
        "−0.32": M.lagged_correlation(calm, "likes", 3),
    }
    effects = M.lag_effects(data, D.SOCIAL_METRICS, [1, 2]).sum(axis=1)
    stated.update({"0.53": effects["questions_answered"], "0.90": effects["review_replies"],
                   "0.18": effects["new_followers"]})
    for shown, value in stated.items():
        assert f"{value:.2f}".replace("-", "−") == shown, (shown, value)
        assert shown in text, f"the lesson no longer states {shown}"
    assert abs(M.lagged_correlation(calm, "questions_answered", 0)) < 0.1  # "hardly at all in the same week"
    assert f"6 × 0.53 ≈ {6 * effects['questions_answered']:.1f}" in text
    # silo or integrated, half-life 26 weeks and 4 weeks
    silo = M.effort_bookings("Silo").sum()
    full = M.effort_bookings("+ service").sum()
    assert f"{silo:,.0f}" == "1,373" and "1,373" in text
    assert round(full, -1) == 2270 and "2,270" in text
    assert f"{full / silo - 1:.0%}" == "65%" and "65% more" in text
    assert M.break_even_week("+ service") == 4 and "fourth week" in text
    short = {level: M.effort_bookings(level, half_life=4).sum() / silo - 1 for level in M.LINK_LEVELS}
    assert -0.01 < short["+ search"] < 0 and short["+ web content"] < -0.02 and short["+ service"] > 0
    # the self-assessment and the Altimeter figures
    assert "**Engagement**" in text
    for figure in ("34%", "28%", "12%", "about half", "about 700"):
        assert figure in text


def test_the_lessons_assumption_table_is_the_models():
    text = _lesson_text()
    a = M.Integration()
    rows = {"hours a week | 4": a.hours == 4, "answers per hour | 6": a.answers_per_hour == 6,
            "bookings per answer | 0.55": a.bookings_per_answer == 0.55,
            "costs 10% of the hours | 30% of answers": a.link_cost["search"] == 0.1 and a.kept_share == 0.3,
            "found by 0.6 people a week": a.finds_per_week["search"] == 0.6,
            "found by 0.5 more people": a.finds_per_week["web"] == 0.5 and a.link_cost["web"] == 0.1,
            "costs 5% of the hours | the counter": a.link_cost["service"] == 0.05,
            "brings 20% more": a.service_lift == 0.2, "books 0.1 times": a.reader_conversion == 0.1,
            "kept answer | 26 weeks": a.half_life == 26}
    assert sum(D.DEFAULT_EFFECTS["questions_answered"].values()) == pytest.approx(a.bookings_per_answer)
    for phrase, holds in rows.items():
        assert holds and phrase in text, phrase


# --- figures --------------------------------------------------------------------------------------------
def _alts(box):
    return [html.unescape(re.search(r'alt="([^"]*)"', frame.value).group(1))
            for inner in box.children[-1].children for frame in inner.children]


def test_lag_explorer_frames_and_alt_text(data):
    box = F.lag_explorer(data)
    lag, season, stack = box.children
    assert len(stack.children) == len(F.LAG_OPTIONS) and all(len(s.children) == 2 for s in stack.children)
    texts = _alts(box)
    assert len(texts) == len(set(texts)) == 10
    assert texts[0].startswith("Bookings the same week, as recorded: strongest likes (0.80)")
    assert texts[3].startswith("Bookings 1 week later, season removed: strongest questions answered (0.52)")
    assert "Review replies 0.55" in texts[5]


def test_integration_explorer_frames_and_alt_text():
    box = F.integration_explorer()
    texts = _alts(box)
    assert len(texts) == len(set(texts)) == 16
    assert texts[0].startswith("Silo: 1,373 bookings in two years")
    full = texts[F.LEVEL_OPTIONS.index("+ service") * 4 + F.HALF_LIVES.index(26)]
    assert "+65% on the silo's 1,373" in full and "overtakes it in week 4" in full
    assert "never overtakes it" in F.describe_integration("+ web content", 4)
    assert "about the same as the silo's" in F.describe_integration("+ search", 4)


def test_stills_state_their_numbers(data):
    assert "from 484 to 612" in F.describe_timeline(data)
    tree = F.describe_tree(data)
    assert "questions answered, 21 a week" in tree and "about 0.53 extra bookings" in tree
    assert "vanity metrics: new followers, likes" in tree
    for figure in (F.timeline_figure(data), F.tree_figure(data), F.lag_figure(data), F.integration_figure()):
        assert 'src="data:image/png;base64,' in figure.data


def test_tree_with_nothing_linked_still_draws():
    other = M.make_outcomes(3, effects={})
    assert "no figure linked" in F.describe_tree(other)
    assert 'src="data:image/png;base64,' in F.tree_figure(other).data


def test_quiz_loads():
    from socialkit.interactive import quiz
    questions = quiz.load(STEM)
    assert 4 <= len(questions) <= 6


# --- the graded exercise: hidden tests reward computing, not remembering ------------------------------
def run_hidden_tests(name: str, **answers) -> list[str | None]:
    return exercises.run_hidden_tests(STEM, name, **answers)


def my_lagged_correlation(data, metric, lag):
    return data[metric].shift(lag).corr(data["bookings"])


def my_vanity_metrics(data):
    calm = M.deseasonalise(data)
    return [m for m in M.SOCIAL_METRICS
            if max(my_lagged_correlation(calm, m, lag) for lag in [1, 2, 3]) < 0.3]


def test_right_answers_pass_every_hidden_test():
    assert run_hidden_tests("q1", lagged_correlation=my_lagged_correlation) == [None, None]
    shop = M.load_outcomes()
    assert run_hidden_tests("q2", vanity_metrics=my_vanity_metrics,
                            lagged_correlation=my_lagged_correlation,
                            vanity=my_vanity_metrics(shop)) == [None, None]


_ALIAS = M.lagged_correlation


def _wrapper(data, metric, lag):
    return M.lagged_correlation(data, metric, lag)


def _aliased_wrapper(data, metric, lag):  # hides the name: only the call itself gives it away
    return _ALIAS(data, metric, lag)


_SHOP = M.load_outcomes()
_REMEMBERED = {(m, lag): M.lagged_correlation(_SHOP, m, lag) for m in (*D.SOCIAL_METRICS, "followers")
               for lag in range(6)}
_REMEMBERED_CALM = {(m, lag): M.lagged_correlation(M.deseasonalise(_SHOP), m, lag)
                    for m in D.SOCIAL_METRICS for lag in range(6)}


def _remembered(data, metric, lag):  # the shop's numbers, typed in
    return _REMEMBERED_CALM[(metric, lag)] if "week" not in data.columns else _REMEMBERED[(metric, lag)]


def _leads_instead_of_lags(data, metric, lag):
    return data[metric].shift(-lag).corr(data["bookings"])


@pytest.mark.parametrize("shortcut", [M.lagged_correlation, _wrapper, _aliased_wrapper, _remembered,
                                      _leads_instead_of_lags, lambda data, metric, lag: 0.52])
def test_shortcuts_score_zero_on_question_1s_hidden_tests(shortcut):
    outcomes = run_hidden_tests("q1", lagged_correlation=shortcut)
    assert all(outcomes), outcomes
    assert not any("Traceback" in o for o in outcomes)


def test_calling_the_kit_is_named_in_the_hint():
    first, _ = run_hidden_tests("q1", lagged_correlation=_aliased_wrapper)
    assert "calls the kit's outcomes.lagged_correlation" in first


def _vanity_wrapper(data):
    return M.vanity_metrics(data)


_LINKED = M.linked_metrics


def _vanity_from_linked(data):
    return [m for m in M.SOCIAL_METRICS if m not in _LINKED(data)]


@pytest.mark.parametrize("shortcut, vanity", [
    (M.vanity_metrics, ["new_followers", "likes"]),
    (_vanity_wrapper, ["new_followers", "likes"]),
    (_vanity_from_linked, ["new_followers", "likes"]),
    (lambda data: ["new_followers", "likes"], ["new_followers", "likes"]),  # remembered
    (lambda data: ["likes", "new_followers"], ["likes", "new_followers"]),
])
def test_shortcuts_score_zero_on_question_2s_hidden_tests(shortcut, vanity):
    outcomes = run_hidden_tests("q2", vanity_metrics=shortcut, vanity=vanity,
                                lagged_correlation=my_lagged_correlation)
    assert all(outcomes), outcomes


def test_a_remembered_vanity_list_alone_is_not_enough():
    """A right function with a wrong variable loses the first hidden test only."""
    first, second = run_hidden_tests("q2", vanity_metrics=my_vanity_metrics, vanity=["likes"],
                                     lagged_correlation=my_lagged_correlation)
    assert "vanity should be" in first and second is None


def test_the_guard_restores_a_profiler_already_running():
    def profiler(frame, event, arg):
        pass

    sys.setprofile(profiler)
    try:
        run_hidden_tests("q1", lagged_correlation=_remembered)
        assert sys.getprofile() is profiler
    finally:
        sys.setprofile(None)


def test_exercise_solution_uses_only_what_chapters_0_and_6_teach():
    from socialkit.course import syllabus
    used = syllabus.python_used(syllabus.solution_code(assign.MASTERS_DIR / f"{STEM}.ipynb"))
    beyond = used - syllabus.TAUGHT
    assert beyond <= {".shift", ".corr"}, beyond
    lesson = syllabus.python_used(syllabus.notebook_code(LESSON))
    assert {".shift", ".corr"} <= lesson  # the lesson teaches what the exercise adds


@pytest.fixture(scope="module")
def assigned(assigned_exercises):
    return assigned_exercises[STEM]  # assigned once per run (conftest.py)


@pytest.mark.grading
def test_otter_gives_the_kits_function_and_remembered_answers_no_hidden_points(assigned, tmp_path):
    from support.exercises import otter_grade, read_nb
    nb = read_nb(assigned.autograder_notebook)
    (q1,) = [c for c in nb.cells if c.source.startswith("def lagged_correlation")]
    q1.source = "lagged_correlation = outcomes.lagged_correlation"
    (q2,) = [c for c in nb.cells if c.source.startswith("def vanity_metrics")]
    q2.source = "def vanity_metrics(data):\n    return ['new_followers', 'likes']\n\nvanity = vanity_metrics(data)"
    scores = otter_grade(assigned, nb, tmp_path)
    # q1: the public check catches the kit's function too; q2: the remembered list is right for the
    # book's figures only, and the public form check carries no points (issue 18).
    assert scores["q1"][0] == 0, scores
    assert scores["q2"][0] == 0, scores


@pytest.mark.grading
def test_student_checks_give_plain_hints(tmp_path):
    from support.exercises import answer_cell, check_outputs, committed_student_notebook, execute, read_nb
    nb = read_nb(committed_student_notebook(STEM))
    (tmp_path / "blank").mkdir()
    blank = check_outputs(execute(nb, tmp_path / "blank", STEM))
    assert set(blank) == {"q1", "q2"}
    for q, text in blank.items():
        assert "failed" in text and "Hint:" in text and "Traceback" not in text, (q, text)
    nb = read_nb(committed_student_notebook(STEM))
    answer_cell(nb, "def lagged_correlation").source = (
        "def lagged_correlation(data, metric, lag):\n    return outcomes.lagged_correlation(data, metric, lag)")
    answer_cell(nb, "def vanity_metrics").source = (
        "def vanity_metrics(data):\n    return ('likes',)\n\nvanity = vanity_metrics(data)")
    (tmp_path / "wrong").mkdir()
    wrong = check_outputs(execute(nb, tmp_path / "wrong", STEM))
    assert "calls the kit's outcomes.lagged_correlation" in wrong["q1"]
    assert "should return a list of column names" in wrong["q2"] and "tuple" in wrong["q2"]
    assert not any("Traceback" in text for text in wrong.values())

"""Chapter 4: the synthetic posts, their built-in patterns, the analysis functions and the figures."""
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from socialkit import case, listening as L
from socialkit.course import chapter_checks
from socialkit.data import posts as posts_data
from socialkit.figures import listening as F


@pytest.fixture(scope="module")
def posts():
    return L.make_posts()


def tiny(rows):
    """A hand-made posts table: rows of (timestamp, channel, kind, topic, response_hours or None)."""
    return pd.DataFrame({
        "post_id": range(1, len(rows) + 1),
        "timestamp": pd.to_datetime([r[0] for r in rows]),
        "channel": [r[1] for r in rows],
        "kind": [r[2] for r in rows],
        "topic": [r[3] for r in rows],
        "text": ["A post."] * len(rows),
        "answered": [r[4] is not None for r in rows],
        "response_hours": [np.nan if r[4] is None else r[4] for r in rows],
    })


TINY = [
    ("2025-06-02 08:00", "whatsapp", "question", "repairs", 1.0),       # Monday
    ("2025-06-02 09:00", "whatsapp", "complaint", "prices", 3.0),
    ("2025-06-03 12:00", "whatsapp", "question", "early_repairs", None),
    ("2025-06-07 10:00", "locals_group", "question", "early_repairs", None),  # Saturday
    ("2025-06-07 11:00", "locals_group", "suggestion", "ebike_charging", None),
    ("2025-06-08 19:00", "locals_group", "praise", "service", 40.0),    # Sunday
    ("2025-06-08 20:00", "tiktok", "praise", "repairs", None),
]


# --- the data ---------------------------------------------------------------------------------
def test_shipped_csv_is_the_seeded_generation(posts):
    pd.testing.assert_frame_equal(L.load_posts(), posts)
    assert len(posts) == L.DEFAULT_N_POSTS >= 2000


def test_shipped_csv_bytes_match_a_fresh_write(posts, tmp_path):
    fresh = posts_data.write_posts(posts, tmp_path / "posts.csv")
    assert fresh.read_bytes() == posts_data.DATA_PATH.read_bytes(), \
        "the shipped posts.csv is stale: run `make data` (python -m socialkit.data.posts --seed 2026)"


def test_table_shape_and_types(posts):
    assert list(posts.columns) == list(L.COLUMNS)
    assert posts["post_id"].tolist() == list(range(1, len(posts) + 1))
    assert posts["timestamp"].is_monotonic_increasing
    assert posts["timestamp"].dt.year.eq(L.YEAR).all()
    assert set(posts["channel"]) == set(case.CHANNEL_KEYS)
    assert set(posts["kind"]) == set(L.KINDS) and set(posts["topic"]) == set(L.TOPICS)
    assert posts["answered"].dtype == bool
    assert (posts["response_hours"].notna() == posts["answered"]).all()
    assert (posts["response_hours"].dropna() > 0).all()
    assert posts["text"].str.len().gt(10).all()


def test_same_seed_same_posts_other_seed_other_posts():
    a, b, c = L.make_posts(5, n_posts=200), L.make_posts(5, n_posts=200), L.make_posts(6, n_posts=200)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert len(L.make_posts(5, n_posts=50)) == 50


def test_no_praise_about_unmet_needs_and_texts_match_topics(posts):
    assert not ((posts["kind"] == "praise") & posts["topic"].isin(L.UNMET_TOPICS)).any()
    for (kind, topic), texts in posts_data._TEXTS.items():
        chosen = posts[(posts["kind"] == kind) & (posts["topic"] == topic)]["text"]
        assert set(chosen) <= set(texts)


@settings(max_examples=8, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_patterns_hold_for_any_seed(seed):
    """The lesson's findings are built in, not luck of one seed."""
    posts = L.make_posts(seed)
    summary = L.channel_summary(posts)
    assert L.listening_gap(posts) == "locals_group"
    assert summary.index[0] in ("locals_group", "whatsapp")
    assert summary.at["locals_group", "response_rate"] < 0.12
    assert summary.at["whatsapp", "response_rate"] > 0.85
    assert summary.at["tiktok", "response_rate"] == 0
    assert L.unmet_needs(posts).index[0] == "early_repairs"
    days = L.weekday_summary(posts)["median_response_hours"]
    # Friday evening's posts wait over the weekend too, so compare with Monday to Thursday.
    monday_to_thursday = days[list(L.WEEKDAYS[:4])].max()
    assert days["Saturday"] > 2.5 * monday_to_thursday
    assert days["Sunday"] > 1.2 * monday_to_thursday


@pytest.mark.parametrize("call, exc, message", [
    (lambda: L.make_posts(seed=-1), TypeError, "seed must be a whole number"),
    (lambda: L.make_posts(seed=1.5), TypeError, "seed must be a whole number"),
    (lambda: L.make_posts(seed=True), TypeError, "seed"),
    (lambda: L.make_posts(n_posts=10), ValueError, "between 50 and 100000"),
    (lambda: L.make_posts(n_posts="many"), TypeError, "n_posts must be a whole number"),
])
def test_bad_generator_arguments(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_command_line(tmp_path, capsys):
    out = tmp_path / "sub" / "posts.csv"
    assert posts_data.main(["--seed", "9", "--n-posts", "120", "--out", str(out)]) == 0
    assert "120 synthetic posts (seed 9)" in capsys.readouterr().out
    pd.testing.assert_frame_equal(L.load_posts(out), L.make_posts(9, n_posts=120))
    assert posts_data.main(["--n-posts", "3", "--out", str(out)]) == 2
    assert "between 50 and 100000" in capsys.readouterr().err


# --- validation ---------------------------------------------------------------------------------
def test_load_missing_file_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m socialkit.data.posts --seed 2026"):
        L.load_posts(tmp_path / "nope.csv")


def _broken(change):
    table = tiny(TINY)
    change(table)
    return table


@pytest.mark.parametrize("table, exc, message", [
    ([1, 2], TypeError, "must be a pandas DataFrame"),
    (tiny(TINY).drop(columns=["kind"]), ValueError, "missing the column.*'kind'"),
    (_broken(lambda t: t.__setitem__("channel", "myspace")), ValueError, "'channel' holds unknown values.*myspace"),
    (_broken(lambda t: t.__setitem__("kind", "rant")), ValueError, "'kind' holds unknown"),
    (_broken(lambda t: t.__setitem__("topic", "unicycles")), ValueError, "'topic' holds unknown"),
    (_broken(lambda t: t.__setitem__("channel", 3)), TypeError, "'channel' must hold text"),
    (_broken(lambda t: t.__setitem__("timestamp", "yesterday")), ValueError, "'timestamp' must hold dates"),
    (_broken(lambda t: t.__setitem__("answered", "maybe")), ValueError, "'answered' must hold True or False"),
    (_broken(lambda t: t.__setitem__("response_hours", -1.0)), ValueError, "must not be negative"),
    (_broken(lambda t: t.__setitem__("response_hours", 2.0)), ValueError, "exactly for the answered posts"),
    (_broken(lambda t: t.__setitem__("response_hours", "soon")), TypeError, "numbers of hours"),
    (_broken(lambda t: t.__setitem__("post_id", 1.5)), TypeError, "'post_id' must hold whole numbers"),
])
def test_bad_tables_are_explained(table, exc, message):
    with pytest.raises(exc, match=message):
        L.validate_posts(table)


def test_validate_accepts_text_booleans_and_drops_extra_columns():
    table = tiny(TINY)
    table["answered"] = table["answered"].map(str)
    table["mood"] = "sunny"
    clean = L.validate_posts(table)
    assert clean["answered"].dtype == bool and "mood" not in clean.columns
    assert "mood" in table.columns  # the input is untouched


# --- analysis -------------------------------------------------------------------------------------
def test_channel_summary_on_a_hand_made_table():
    table = tiny(TINY)
    before = table.copy()
    summary = L.channel_summary(table)
    pd.testing.assert_frame_equal(table, before)  # pure: input unchanged
    assert summary.index.tolist() == ["whatsapp", "locals_group", "tiktok"]
    assert summary["posts"].tolist() == [3, 3, 1]
    assert summary["unanswered"].tolist() == [1, 2, 1]
    assert summary.at["whatsapp", "response_rate"] == pytest.approx(2 / 3)
    assert summary.at["whatsapp", "median_response_hours"] == 2.0
    assert summary.at["locals_group", "median_response_hours"] == 40.0
    assert np.isnan(summary.at["tiktok", "median_response_hours"])
    assert summary["share_of_posts"].sum() == pytest.approx(1.0)


def test_rates_and_medians_by_group():
    table = tiny(TINY)
    assert L.response_rate(table, by="kind").to_dict() == pytest.approx(
        {"complaint": 1.0, "praise": 0.5, "question": 1 / 3, "suggestion": 0.0})
    by_day = L.median_response_hours(table, by="weekday")
    assert by_day.index.tolist() == list(L.WEEKDAYS)
    assert by_day["Monday"] == 2.0 and by_day["Sunday"] == 40.0 and np.isnan(by_day["Friday"])
    with pytest.raises(ValueError, match="by must be one of 'channel', 'kind', 'topic', 'weekday'"):
        L.response_rate(table, by="month")


def test_weekday_summary_and_answer_speed_add_up(posts):
    days = L.weekday_summary(posts)
    speed = L.answer_speed_by_weekday(posts)
    assert days["posts"].sum() == len(posts)
    assert (speed.sum(axis=1) == days["posts"]).all()
    assert (speed["unanswered"].sum()) == (~posts["answered"]).sum()
    assert L.answer_speed_by_weekday(posts, within_hours=1e6)["later"].sum() == 0
    with pytest.raises(ValueError, match="within_hours must be a positive"):
        L.answer_speed_by_weekday(posts, within_hours=0)


def test_listening_gap_unmet_needs_and_topics():
    table = tiny(TINY)
    # locals_group has 2 unanswered posts, whatsapp and tiktok 1 each.
    assert L.listening_gap(table) == "locals_group"
    assert L.unmet_needs(table).to_dict() == {"early_repairs": 2, "ebike_charging": 1, "secure_parking": 0}
    assert L.topic_counts(table, kind="praise")[["service", "repairs"]].tolist() == [1, 1]
    # A tie goes to the channel listed first in case.CHANNELS (whatsapp before tiktok).
    assert L.listening_gap(tiny([TINY[2], TINY[6]])) == "whatsapp"
    with pytest.raises(ValueError, match="posts is empty"):
        L.listening_gap(tiny([]))


@pytest.mark.parametrize("call, exc, message", [
    (lambda: L.channel_summary("posts.csv"), TypeError, "must be a pandas DataFrame"),
    (lambda: L.response_rate(pd.DataFrame({"channel": ["maps"]})), ValueError, "missing the column"),
    (lambda: L.filter_posts(tiny(TINY), channel="facebook"), ValueError, "channel must be one of"),
    (lambda: L.filter_posts(tiny(TINY), kind="Questions"), ValueError, "kind must be one of"),
])
def test_bad_analysis_arguments(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_filter_posts():
    table = tiny(TINY)
    assert len(L.filter_posts(table, channel="whatsapp")) == 3
    assert len(L.filter_posts(table, channel="locals_group", kind="praise")) == 1
    assert len(L.filter_posts(table)) == len(table)


# --- figures --------------------------------------------------------------------------------------
def _alts(box):
    return [re.search(r'alt="([^"]*)"', frame.value).group(1)
            for inner in box.children[-1].children for frame in inner.children]


def test_explorer_has_a_frame_per_channel_and_kind(posts):
    box = F.listening_explorer(posts)
    channel, kind, stack = box.children
    assert len(stack.children) == len(case.CHANNEL_KEYS)
    assert all(len(inner.children) == len(F.KIND_OPTIONS) == 5 for inner in stack.children)
    assert channel.index == case.CHANNEL_KEYS.index("locals_group") and kind.index == 0
    texts = _alts(box)
    assert len(texts) == len(set(texts)) == 40
    summary = L.channel_summary(posts)
    whatsapp = texts[case.CHANNEL_KEYS.index("whatsapp") * 5]
    assert whatsapp.startswith(f"WhatsApp · all kinds: {summary.at['whatsapp', 'posts']} posts, "
                               f"{summary.at['whatsapp', 'response_rate']:.0%} answered")
    with pytest.raises(ValueError, match="channel must be one of"):
        F.listening_explorer(posts, initial_channel="myspace")


def test_still_figures_state_their_numbers(posts):
    summary = L.channel_summary(posts)
    text = F.describe_channels(posts)
    assert f"Locals group (Facebook) {summary.at['locals_group', 'posts']} posts" in text
    assert "(not offered)" in F.describe_topics(posts)
    weekday = F.describe_weekday(posts, F.ALL_CHANNELS, F.ALL_KINDS)
    saturday = L.weekday_summary(posts).at["Saturday", "median_response_hours"]
    assert f"Sat {saturday:.1f} h" in weekday and f"{len(posts)} posts" in weekday
    for figure in (F.channels_figure(posts), F.topics_figure(posts), F.weekday_figure(posts)):
        assert 'src="data:image/png;base64,' in figure.data


def test_empty_selection_is_described():
    table = tiny(TINY)
    assert "no posts" in F._headline(F._selection(table, "X (Twitter)", "Praise"), "X (Twitter)", "Praise")
    assert F.describe_weekday(table, "X (Twitter)", "Praise").startswith("No synthetic posts")


# --- the graded exercise (beyond what tests/course/test_exercises.py checks for every chapter) -----------
STEM = "04-listen-first"


@pytest.fixture(scope="module")
def assigned(assigned_exercises):
    return assigned_exercises[STEM]  # assigned once per run (conftest.py)


def _student_with(answers: dict[str, str]):
    from support.exercises import answer_cell, committed_student_notebook, read_nb
    nb = read_nb(committed_student_notebook(STEM))
    for contains, source in answers.items():
        answer_cell(nb, contains).source = source
    return nb


VOLUME_NOT_GAP = ("def gap_channel(posts):\n    return posts['channel'].value_counts().idxmax()\n\n"
                  "biggest_gap = gap_channel(posts)\n"
                  "gap_posts = int((~posts['answered'] & (posts['channel'] == biggest_gap)).sum())")


@pytest.mark.grading
def test_blank_exercise_gives_a_hint_for_every_check(tmp_path):
    from support.exercises import check_outputs, execute
    outputs = check_outputs(execute(_student_with({}), tmp_path, STEM))
    assert set(outputs) == {"q1", "q2", "q3"}
    for question, text in outputs.items():
        assert "failed" in text and "Hint:" in text and "returned None" in text, (question, text)
        assert "Traceback" not in text, (question, text)


@pytest.mark.grading
def test_exercise_wrong_answers_get_plain_hints(tmp_path):
    from support.exercises import check_outputs, execute
    nb = _student_with({
        "def channel_table": "def channel_table(posts):\n    return posts.groupby('channel')['answered'].mean()",
        "def top_unmet_need": ("def top_unmet_need(posts):\n    return listening.unmet_needs(posts).index[0]\n\n"
                               "unmet_need = top_unmet_need(posts)\nunmet_posts = 0"),
        "def gap_channel": VOLUME_NOT_GAP,
    })
    outputs = check_outputs(execute(nb, tmp_path, STEM))
    assert "but it returned a Series" in outputs["q1"]
    assert "passed" in outputs["q2"]  # the public check looks at the form only
    assert "instead of calling listening.unmet_needs" in outputs["q3"]
    assert not any("Traceback" in text for text in outputs.values())


@pytest.mark.grading
def test_exercise_right_answers_pass_the_checks(assigned, tmp_path):
    from support.exercises import check_outputs, execute, read_nb
    solutions = {c.id: c.source for c in read_nb(assigned.autograder_notebook).cells}
    nb = _student_with({})
    for cell in nb.cells:
        if cell.cell_type == "code" and "otter_answer_cell" in cell.metadata.get("tags", []):
            cell.source = solutions[cell.id]
    outputs = check_outputs(execute(nb, tmp_path, STEM))
    assert all("passed" in text and "failed" not in text for text in outputs.values()), outputs


@pytest.mark.grading
def test_counting_all_posts_instead_of_unanswered_ones_loses_points(assigned, tmp_path):
    """The busiest channel is the biggest gap in the book's year (and in every student's); the hidden
    tests on other years tell them apart."""
    from support.exercises import otter_grade, read_nb
    nb = read_nb(assigned.autograder_notebook)
    (cell,) = [c for c in nb.cells if c.source.startswith("def gap_channel")]
    cell.source = VOLUME_NOT_GAP
    scores = otter_grade(assigned, nb, tmp_path)
    assert scores["q1"] == (4, 4) and scores["q3"] == (3, 3)
    assert 0 < scores["q2"][0] < 3


def test_check_table_explains_wrong_tables():
    from socialkit.course.checks import Hint
    sample = tiny(TINY)
    expected = L.channel_summary(sample)[["posts", "response_rate", "median_response_hours"]]
    chapter_checks.check_table(expected.iloc[::-1].copy(), "t", expected)  # row order does not matter
    zero_filled = expected.fillna(0)
    with pytest.raises(Hint, match="median_response_hours for 'tiktok' should be NaN, but it is 0"):
        chapter_checks.check_table(zero_filled, "t", expected)
    with pytest.raises(Hint, match="response_rate is missing"):
        chapter_checks.check_table(expected.drop(columns="response_rate"), "t", expected)
    with pytest.raises(Hint, match="one row per channel"):
        chapter_checks.check_table(expected.reset_index(), "t", expected)
    with pytest.raises(Hint, match="should return a pandas DataFrame, but it returned a list"):
        chapter_checks.check_table([1, 2], "t", expected)
    wrong = expected.copy()
    wrong.loc["whatsapp", "response_rate"] = 0.5
    with pytest.raises(Hint, match=r"response_rate for 'whatsapp' should be about 0.6667, but it is 0.5"):
        chapter_checks.check_table(wrong, "t", expected)
    chapter_checks.check_table(wrong, "t", expected, values=False)  # form only


def test_call_on_posts_turns_failures_into_hints():
    from socialkit.course.checks import Hint
    sample = tiny(TINY)
    with pytest.raises(Hint, match="not defined yet"):
        chapter_checks.call_on_posts(..., "f", sample)
    with pytest.raises(Hint, match="should be a function"):
        chapter_checks.call_on_posts(3, "f", sample)
    with pytest.raises(Hint, match=r"Calling f\(posts\) raised KeyError"):
        chapter_checks.call_on_posts(lambda p: p["nope"], "f", sample)
    with pytest.raises(Hint, match="returned None"):
        chapter_checks.call_on_posts(lambda p: None, "f", sample)

    def vandal(p):
        p["channel"] = "x"
        return len(p)
    assert chapter_checks.call_on_posts(vandal, "f", sample) == (len(sample), "f(posts)")
    assert set(sample["channel"]) != {"x"}  # the student's function got a copy

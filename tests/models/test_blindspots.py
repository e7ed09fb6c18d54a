"""Chapter 7: the blindspot audit, its evidence, blindspot 5's model, the figures, the self-audit
and the exercise's hidden tests (shortcuts score zero)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from socialkit import case, listening
from socialkit.course import assign
from socialkit.course import blindspot_checks as bc
from support import exercises
from socialkit.models import organisations as O
from socialkit.figures import blindspots as F
from socialkit.apps import audit as A
from socialkit.models import blindspots as B

REPO = Path(__file__).resolve().parents[2]
STEM = "07-seven-blindspots"
LESSON = REPO / "notebooks" / f"{STEM}.ipynb"
MASTER = REPO / "exercises" / f"{STEM}.ipynb"


@pytest.fixture(scope="module")
def cc():
    return O.evidence_values("cobble_and_chain")


@pytest.fixture(scope="module")
def cc_scores(cc):
    return B.audit(cc)



# --- the blindspots and the criteria ------------------------------------------------------------------
def test_seven_blindspots_each_with_evidence():
    assert [b.number for b in B.BLINDSPOTS] == list(range(1, 8))
    assert len(set(B.BLINDSPOT_KEYS)) == 7
    counts = B.criteria_table().groupby("blindspot").size()
    assert set(counts.index) == set(B.BLINDSPOT_KEYS) and counts.min() >= 2
    assert len(set(B.INDICATORS)) == len(B.CRITERIA)
    for c in B.CRITERIA:
        assert c.good != c.blind and c.low <= min(c.good, c.blind) and max(c.good, c.blind) <= c.high
        assert c.question and c.unit in ("share", "count", "yes/no")


def test_lookups_name_what_is_allowed():
    assert B.blindspot(5).key == "employee_trust" == B.blindspot("employee_trust").key
    with pytest.raises(ValueError, match="strategy_link"):
        B.blindspot("nope")
    with pytest.raises(ValueError, match="1 to 7"):
        B.blindspot(True)
    with pytest.raises(ValueError, match="written_guidelines"):
        B.criterion("nope")


@pytest.mark.parametrize("score, name", [(0, "in sight"), (33.4, "in sight"), (33.5, "partly blind"),
                                         (66.4, "partly blind"), (66.6, "blind"), (100, "blind")])
def test_levels_follow_the_score_as_shown(score, name):
    assert B.level(score) == name


@pytest.mark.parametrize("bad, exc", [(-1, ValueError), (101, ValueError), ("50", TypeError),
                                      (float("nan"), ValueError)])
def test_level_rejects_bad_scores(bad, exc):
    with pytest.raises(exc, match="score"):
        B.level(bad)


# --- severity -----------------------------------------------------------------------------------------
def test_severity_examples():
    assert B.severity(0.6, 0.9, 0.3) == 50.0
    assert B.severity(0.75, 0.9, 0.3) == 25.0          # the quiz's first question
    assert B.severity(0.95, 0.9, 0.3) == 0.0 and B.severity(0.1, 0.9, 0.3) == 100.0
    assert B.severity(0.175, 0.05, 0.3) == pytest.approx(50.0)  # lower is better
    assert B.severity(1.0, 1, 0) == 0.0 and str(B.severity(1.0, 1, 0)) == "0.0"  # never -0.0


def test_severity_keeps_a_series_index_and_works_on_arrays():
    values = pd.Series([0.3, 0.6, 0.9], index=["a", "b", "c"])
    out = B.severity(values, 0.9, 0.3)
    assert isinstance(out, pd.Series) and list(out.index) == ["a", "b", "c"]
    assert out.tolist() == [100.0, 50.0, 0.0]
    assert B.severity(np.array([0.3, 0.9]), np.array([0.9, 0.9]), 0.3).tolist() == [100.0, 0.0]


@pytest.mark.parametrize("args, exc, message", [
    ((0.5, 0.3, 0.3), ValueError, "good and blind must differ"),
    (("x", 0.9, 0.3), TypeError, "value must be a number"),
    ((np.nan, 0.9, 0.3), ValueError, "finite"),
    ((0.5, None, 0.3), TypeError, "good must be a number"),
])
def test_severity_bad_inputs(args, exc, message):
    with pytest.raises(exc, match=message):
        B.severity(*args)


reals = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@given(value=reals, good=reals, blind=reals)
def test_severity_properties(value, good, blind):
    if abs(good - blind) < 1e-6:
        return
    s = B.severity(value, good, blind)
    assert 0.0 <= s <= 100.0
    assert B.severity(good, good, blind) == 0.0 and B.severity(blind, good, blind) == pytest.approx(100.0)
    if min(good, blind) <= value <= max(good, blind):  # swapping the marks mirrors the scale
        assert s + B.severity(value, blind, good) == pytest.approx(100.0, abs=1e-6)
    further = value + (blind - good)  # a step towards blind never lowers the severity
    assert B.severity(further, good, blind) >= s - 1e-9


# --- evidence and the audit ------------------------------------------------------------------------------
def test_audit_at_the_marks():
    assert B.audit({c.indicator: c.good for c in B.CRITERIA}).eq(0).all()
    blind = B.audit({c.indicator: c.blind for c in B.CRITERIA})
    assert blind.eq(100).all() and list(blind.index) == list(B.BLINDSPOT_KEYS)


@pytest.mark.parametrize("change, exc, message", [
    (lambda e: e.drop("approval_share"), ValueError, "missing the indicator.*approval_share"),
    (lambda e: pd.concat([e, pd.Series({"likes": 3.0})]), ValueError, "unknown indicator.*likes"),
    (lambda e: e.replace({e["helpful_share"]: 1.5}), ValueError, "helpful_share must be in the range"),
    (lambda e: e.astype(object).where(e.index != "filler_share", "a lot"), TypeError, "filler_share must be a number"),
    (lambda e: pd.concat([e, e.iloc[:1]]), ValueError, "more than once"),
    (lambda e: list(e), TypeError, "dict or a pandas Series"),
])
def test_bad_evidence_is_explained(cc, change, exc, message):
    with pytest.raises(exc, match=message):
        B.audit(change(cc.copy()))


def test_evidence_as_dict_or_table(cc):
    assert B.audit(cc.to_dict()).equals(B.audit(cc))
    assert B.audit(O.evidence("cobble_and_chain")).equals(B.audit(cc))
    assert B.check_evidence({**cc.to_dict(), "written_guidelines": True})["written_guidelines"] == 1.0


def test_audit_is_the_mean_severity_per_blindspot(cc):
    rows = B.score_indicators(cc)
    manual = rows.groupby("blindspot")["severity"].mean()
    pd.testing.assert_series_equal(B.audit(cc), manual.reindex(list(B.BLINDSPOT_KEYS)),
                                   check_names=False)


def test_audit_from_table_uses_the_tables_own_marks(cc):
    table = B.evidence_table(cc)
    table.loc[table["indicator"] == "written_guidelines", ["good", "blind"]] = [0, 1]  # reversed
    scores = B.audit_from_table(table.sample(frac=1, random_state=1))
    assert scores["employee_trust"] == pytest.approx((44.444444 + 0 + 100) / 3)
    with pytest.raises(ValueError, match="missing the column"):
        B.audit_from_table(table.drop(columns="good"))
    with pytest.raises(ValueError, match="unknown blindspot"):
        B.audit_from_table(table.assign(blindspot="nope"))
    with pytest.raises(TypeError, match="DataFrame"):
        B.audit_from_table(cc)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_any_organisation_audits_to_scores_from_0_to_100(seed):
    evidence = O.random_evidence(seed)
    scores = B.audit(evidence)
    assert list(scores.index) == list(B.BLINDSPOT_KEYS) and scores.between(0, 100).all()
    assert O.random_evidence(seed).equals(evidence)  # seeded
    top = B.most_urgent(scores)
    assert scores[top[0]] >= scores[top[1]] >= scores.drop(top).max()


def test_most_urgent_order_ties_and_bad_arguments():
    scores = pd.Series([50.0, 80.0, 80.0, 10.0], index=list(B.BLINDSPOT_KEYS[:4]))
    assert B.most_urgent(scores) == ["strategy_link", "customer_listening"]  # tie: earlier first
    assert B.most_urgent(scores[::-1]) == ["strategy_link", "customer_listening"]
    assert B.most_urgent(scores, n=3)[-1] == "social_mindset"
    assert B.most_urgent(scores.to_dict()) == ["strategy_link", "customer_listening"]
    with pytest.raises(ValueError, match="n must be a whole number from 1 to 4"):
        B.most_urgent(scores, n=5)
    with pytest.raises(ValueError, match="unknown blindspot"):
        B.most_urgent(pd.Series({"nope": 1.0, "strategy_link": 2.0}))
    with pytest.raises(TypeError, match="Series"):
        B.most_urgent([1, 2])


def test_compare_names_the_organisation_that_is_wrong(cc):
    table = B.compare({"a": cc, "b": cc})
    assert list(table.columns) == ["a", "b"] and table["a"].equals(table["b"].rename("a"))
    with pytest.raises(ValueError, match="^b: evidence is missing"):
        B.compare({"a": cc, "b": cc.drop("helpful_share")})
    with pytest.raises(ValueError, match="empty"):
        B.compare({})
    with pytest.raises(TypeError, match="DataFrame"):
        B.compare([cc])


# --- the organisations' evidence ---------------------------------------------------------------------------
def test_every_organisation_has_a_full_sourced_table():
    for key in O.ORGANISATION_KEYS:
        table = O.evidence(key)
        assert list(table.index) == list(B.INDICATORS)
        assert table["source"].str.len().gt(10).all()
        assert "fictional" in O.organisation(key).description
    with pytest.raises(ValueError, match="cobble_and_chain"):
        O.evidence("nope")
    assert list(O.audit_table("halden_mutual").columns) == ["blindspot", "indicator", "value", "good", "blind"]


def test_cobble_and_chain_evidence_is_computed_from_earlier_chapters(cc):
    posts = listening.load_posts()
    by_kind = listening.response_rate(posts, by="kind")
    assert cc["questions_answered"] == by_kind["question"]
    assert cc["suggestions_answered"] == by_kind["suggestion"]
    summary = listening.channel_summary(posts)
    assert cc["absent_share"] == pytest.approx(summary.loc[["locals_group", "tiktok", "x"], "share_of_posts"].sum())
    public = posts[(posts["channel"] != "whatsapp") & (posts["kind"] == "complaint")]
    assert cc["public_complaints_answered"] == pytest.approx(public["answered"].mean())
    from socialkit.models import content
    mix = content.mix_of(content.cobble_and_chain_feed()["kind"])
    assert (cc["helpful_share"], cc["filler_share"]) == (mix["helpful"], mix["filler"])
    assert cc["team_voices_share"] == pytest.approx(1 / 3)
    assert cc["outcome_metrics_share"] == 0.0  # followers and likes drive no bookings in chapter 6
    sources = O.evidence("cobble_and_chain")["source"]
    assert sources.str.startswith("Chapter 4").sum() == 6 and sources.str.startswith("Chapter 5").sum() == 2


def test_another_year_of_posts_changes_the_computed_evidence():
    other = O.cobble_and_chain_evidence(listening.make_posts(seed=7))
    assert other.loc["questions_answered", "value"] != O.evidence_values("cobble_and_chain")["questions_answered"]
    with pytest.raises(ValueError, match="empty"):
        O.cobble_and_chain_evidence(listening.make_posts(seed=7).iloc[:0])
    with pytest.raises(TypeError, match="seed"):
        O.random_evidence(-1)


# --- the numbers the lesson and the case state ------------------------------------------------------------
def test_numbers_stated_in_the_lesson(cc, cc_scores):
    assert cc_scores.round().astype(int).to_dict() == {
        "social_mindset": 41, "strategy_link": 67, "customer_listening": 74, "market_listening": 77,
        "employee_trust": 81, "social_content": 91, "useful_video": 33}
    assert B.most_urgent(cc_scores) == ["social_content", "employee_trust"]
    assert [B.level(s) for s in cc_scores] == ["partly blind", "blind", "blind", "blind", "blind",
                                               "blind", "in sight"]
    assert 0.17 <= cc["helpful_share"] < 0.23            # "about one post in five"
    assert 0.28 <= cc["filler_share"] < 1 / 3            # "almost one in three"
    assert cc["suggestions_answered"] < 1 / 3            # "under a third"
    assert cc["absent_share"] > 1 / 3                    # "more than a third"
    assert 0.30 <= cc["public_complaints_answered"] <= 0.36  # "only a third"
    assert cc["weeks_in_conversation"] >= 52             # "every week of the year"
    assert B.severity(0.54, 0.9, 0.3) == pytest.approx(60.0)  # the worked example
    profiles = B.compare(O.all_evidence())
    assert profiles.round().astype(int)["halden_mutual"].to_dict()["employee_trust"] == 66
    assert B.level(profiles.at["employee_trust", "halden_mutual"]) == "partly blind"
    halden = B.score_indicators(O.evidence_values("halden_mutual"))["severity"]
    assert halden[["team_voices_share", "written_guidelines", "approval_share"]].round().tolist() == [98, 0, 100]
    assert B.most_urgent(profiles["halden_mutual"]) == ["market_listening", "useful_video"]
    assert B.most_urgent(profiles["fernhill_climbing"]) == ["strategy_link", "social_mindset"]


def test_the_case_timeline_names_the_audits_two_blindspots(cc_scores):
    text = case.decision(7).decision
    for key in B.most_urgent(cc_scores):
        assert f"blindspot {B.blindspot(key).number}" in text


def test_numbers_stated_about_the_sharing_model():
    s = B.TeamSharing()
    assert (s.market, s.followers, s.posts_per_week) == (case.LOCAL_RIDERS, case.FOLLOWERS, case.POSTS_PER_WEEK)
    rounded = lambda o: (round(float(o.reach)), round(float(o.trusted)), round(float(o.mistakes), 2))
    assert rounded(B.share_outcome(0, 0.0)) == (140, 14, 0.0)
    assert rounded(B.share_outcome(2, 0.0)) == (314, 67, 5.2)
    assert rounded(B.share_outcome(2, 0.2)) == (308, 58, 1.25)
    assert round(float(B.share_outcome(2, 0.5).trusted)) == 41
    assert rounded(B.share_outcome(2, 1.0)) == (140, 14, 0.0)
    assert round(float(B.share_outcome(8, 0.0).reach)) < 4 * 314
    best = {cost: B.best_control(2, s.replace(mistake_cost=cost)) for cost in F.COST_VALUES}
    assert best[0] == 0.0 and best[1000] == 0.15 and best[100000] == 0.74


# --- blindspot 5's model --------------------------------------------------------------------------------
@pytest.mark.parametrize("changes, exc, message", [
    ({"brand_reach": 1.5}, ValueError, "brand_reach must be in the range"),
    ({"followers": 1e6}, ValueError, "followers must be in the range"),
    ({"market": 0}, ValueError, "market must be >= 1"),
    ({"halving_control": 0}, ValueError, "halving_control"),
    ({"mistake_cost": -1}, ValueError, "mistake_cost"),
    ({"posts_per_week": "5"}, TypeError, "posts_per_week must be a number"),
    ({"likes": 3}, ValueError, "'likes' is not an assumption of TeamSharing"),
])
def test_bad_sharing_assumptions_are_explained(changes, exc, message):
    with pytest.raises(exc, match=message):
        B.TeamSharing().replace(**changes)


@pytest.mark.parametrize("members, control, exc, message", [
    (-1, 0.2, ValueError, "members must be whole numbers >= 0"),
    (1.5, 0.2, ValueError, "members must be whole numbers"),
    (True, 0.2, ValueError, "members"),
    ("two", 0.2, TypeError, "members must be a whole number"),
    (2, 1.2, ValueError, "control must be from 0"),
    (2, [0.1, np.nan], ValueError, "control must be from 0"),
    (2, "tight", TypeError, "control must be a number"),
])
def test_bad_sharing_arguments_are_explained(members, control, exc, message):
    with pytest.raises(exc, match=message):
        B.share_outcome(members, control)


def test_bad_settings_and_steps():
    with pytest.raises(TypeError, match="TeamSharing"):
        B.share_outcome(1, 0.2, settings={"market": 5})
    with pytest.raises(ValueError, match="steps"):
        B.best_control(2, steps=1)
    with pytest.raises(ValueError, match="one whole number"):
        B.best_control([1, 2])


def test_sharing_broadcasts_over_arrays():
    out = B.share_outcome(np.array([[0], [2], [8]]), np.linspace(0, 1, 5))
    assert out.reach.shape == out.net.shape == (3, 5)
    assert np.allclose(out.reach[0], 140) and np.allclose(out.reach[:, -1], 140)


@settings(max_examples=60, deadline=None)
@given(members=st.integers(0, 30), c1=st.floats(0, 1), c2=st.floats(0, 1),
       trust=st.floats(0.1, 0.9), cost=st.floats(0, 1e5))
def test_sharing_model_properties(members, c1, c2, trust, cost):
    s = B.TeamSharing(member_trust=trust, brand_trust=min(trust, 0.1), mistake_cost=cost)
    low, high = sorted((c1, c2))
    a, b = B.share_outcome(members, low, s), B.share_outcome(members, high, s)
    assert float(b.reach) <= float(a.reach) + 1e-9          # control never widens reach
    assert float(b.mistakes) <= float(a.mistakes) + 1e-9    # nor adds mistakes
    assert float(b.trusted) <= float(a.trusted) + 1e-9      # nor adds trust
    more = B.share_outcome(members + 1, low, s)
    assert float(more.reach) >= float(a.reach) - 1e-9 and float(more.reach) <= s.market + 1e-6
    assert 0 <= float(a.via_team) <= float(a.reach)


@settings(max_examples=25, deadline=None)
@given(members=st.integers(1, 10), cost1=st.floats(0, 2e5), cost2=st.floats(0, 2e5))
def test_costlier_mistakes_never_call_for_less_control(members, cost1, cost2):
    low, high = sorted((cost1, cost2))
    s = B.TeamSharing()
    assert B.best_control(members, s.replace(mistake_cost=low)) <= \
        B.best_control(members, s.replace(mistake_cost=high))


# --- figures ---------------------------------------------------------------------------------------------------
def test_profile_alt_text_and_html(cc_scores):
    text = F.describe_profile(cc_scores, "Cobble & Chain")
    assert "6 Shareable content: 91 (blind)" in text and "Most urgent: Shareable content and Trusting the team" in text
    partial = cc_scores.copy()
    partial[["useful_video"]] = np.nan
    assert "7 Useful videos: no evidence yet" in F.describe_profile(partial)
    html = F.profile_html(partial, "Mine")
    assert html.startswith('<img src="data:image/png;base64,') and 'alt="Bar chart' in html
    with pytest.raises(ValueError, match="unknown blindspot"):
        F.describe_profile(pd.Series({"nope": 3.0}))
    with pytest.raises(TypeError, match="Series"):
        F.profile_figure([1, 2, 3])


def test_comparison_alt_text():
    profiles = B.compare(O.all_evidence())
    text = F.describe_comparison(profiles, {"halden_mutual": "Halden Mutual"})
    assert "2 Strategy link: cobble_and_chain 67, Halden Mutual 0, fernhill_climbing 100" in text
    assert "Halden Mutual: Listening to the market and Useful videos" in text
    with pytest.raises(TypeError, match="DataFrame"):
        F.comparison_scene(profiles["halden_mutual"])


def test_sharing_and_control_alt_texts():
    text = F.describe_sharing(2, "one page of guidelines")
    assert "seen by 308 people (172 through the team), against 140" in text
    assert "58 trust it enough to act, against 14" in text and "mistakes a year: 1.2" in text
    assert "The best control is 0.15" in F.describe_control(1000)
    with pytest.raises(ValueError, match="control must be one of"):
        F.describe_sharing(2, "very tight")


def test_explorers_have_the_expected_frames():
    sharing = F.sharing_explorer(members=2, control="one page of guidelines")
    members, control, stack = sharing.children
    assert len(stack.children) == len(F.MEMBER_VALUES)
    assert all(len(inner.children) == len(F.CONTROL_OPTIONS) for inner in stack.children)
    assert (members.index, control.index) == (2, 1)
    alt = stack.children[2].children[1].value
    assert "alt=\"2 team members sharing under one page of guidelines" in alt
    cost, frames = F.control_explorer().children
    assert len(frames.children) == len(F.COST_VALUES) and cost.index == F.COST_VALUES.index(1000)
    with pytest.raises(ValueError, match="members must be one of"):
        F.sharing_explorer(members=3)
    with pytest.raises(ValueError, match="cost must be one of"):
        F.control_explorer(cost=5)


# --- the self-audit --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, indicator, value, note", [
    ("45%", "questions_answered", 0.45, ""),
    (" 0.45 ", "questions_answered", 0.45, ""),
    ("45", "questions_answered", 0.45, "Read as 45%."),
    ("1", "questions_answered", 1.0, ""),
    ("yes", "written_guidelines", 1.0, ""),
    ("No", "written_guidelines", 0.0, ""),
    ("4", "useful_videos_per_year", 4.0, ""),
    ("", "questions_answered", None, ""),
    ("lots", "questions_answered", None, "Type a number here (45% or 0.45)."),
    ("120%", "questions_answered", None, "Type a value from 0% to 100%."),
    ("60", "weeks_in_conversation", None, "Type a value from 0 to 53."),
    ("4%", "useful_videos_per_year", None, "This one is a number, not a percentage."),
])
def test_parse_value(text, indicator, value, note):
    assert A.parse_value(text, indicator) == (value, note)


def test_parse_value_bad_arguments():
    with pytest.raises(ValueError, match="indicator must be one of"):
        A.parse_value("4", "nope")
    with pytest.raises(TypeError, match="string"):
        A.parse_value(4, "useful_videos_per_year")


def test_partial_scores_match_the_full_audit(cc):
    full = A.score_answers(cc.to_dict())
    pd.testing.assert_series_equal(full, B.audit(cc), check_names=False)
    partial = A.score_answers({"questions_answered": 0.6})
    assert partial["customer_listening"] == 50.0 and partial.drop("customer_listening").isna().all()


def test_self_audit_saves_both_worksheets_and_restores(tmp_path):
    widget = A.show(folder=tmp_path)
    widget.boxes["organisation"].value = "Riverside Books"
    widget.boxes["questions_answered"].value = "60%"
    widget.boxes["written_guidelines"].value = "yes"
    widget.boxes["useful_videos_per_year"].value = "lots"
    scores = json.loads((tmp_path / f"{A.AUDIT_NAME}.answers.json").read_text())["answers"]
    assert scores["customer_listening"] == "50 (partly blind)" and scores["employee_trust"] == "0 (in sight)"
    assert scores["useful_video"] == ""
    evidence = json.loads((tmp_path / f"{A.EVIDENCE_NAME}.answers.json").read_text())["answers"]
    assert evidence["useful_videos_per_year"] == "lots"  # kept as typed, never lost
    assert "Riverside Books" in widget.picture.value and "alt=" in widget.picture.value
    again = A.show(folder=tmp_path)
    assert again.boxes["questions_answered"].value == "60%"
    from socialkit.apps import plan
    assert plan.audit_scores(scores) == {"Not listening to customers": 50.0, "Not trusting employees": 0.0}


def test_self_audit_on_the_book_build_uses_a_temporary_folder(tmp_path, monkeypatch):
    from socialkit.interactive import worksheet
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(worksheet.EPHEMERAL_ENV, "1")
    widget = A.show()
    widget.boxes["questions_answered"].value = "60%"
    assert not list(tmp_path.glob("*.json"))


# --- the exercise: hidden tests refuse shortcuts ---------------------------------------------------------------
def run_hidden(name: str, **answers) -> list[str | None]:
    """Each hidden test of question ``name`` run on ``answers``: None if it passes, else the hint."""
    return exercises.run_hidden_tests(STEM, name, **answers)


def solution_namespace() -> dict:
    """The master's solution cells, run as a student's notebook would run them."""
    namespace: dict = {}
    for q in assign.read_questions(MASTER):
        for kind, text in q.solutions:
            if kind == "code":
                if "cc_table" not in namespace:
                    exec("import numpy as np\nimport pandas as pd\nfrom socialkit.models import organisations\n"
                         "cc_table = organisations.audit_table('cobble_and_chain')", namespace)
                exec(text, namespace)
    return namespace


@pytest.fixture(scope="module")
def solution():
    return solution_namespace()


def test_the_solutions_pass_every_hidden_test(solution):
    assert run_hidden("q1", severity=solution["severity"]) == [None, None]
    assert run_hidden("q2", audit=solution["audit"], cc_scores=solution["cc_scores"]) == [None, None, None]
    assert run_hidden("q3", most_urgent=solution["most_urgent"], cc_urgent=solution["cc_urgent"]) == [None, None]


def test_kit_functions_under_other_names_score_zero(solution, cc_scores):
    compute = B.audit_from_table
    pick = B.most_urgent

    def my_severity(value, good, blind):  # a wrapper around the kit's own function
        return B.severity(value, good, blind)

    def my_audit(table):
        return compute(table)

    def my_urgent(scores):
        return pick(scores)

    for answer in (B.severity, my_severity, lambda v, g, b: np.vectorize(B.severity)(v, g, b)):
        outcomes = run_hidden("q1", severity=answer)
        assert all(outcomes) and all("kit's own functions" in o for o in outcomes), outcomes
    for answer in (compute, my_audit, lambda t: B.audit(B.check_evidence(t.set_index("indicator")["value"]))):
        assert all(run_hidden("q2", audit=answer, cc_scores=cc_scores))
    for answer in (pick, my_urgent):
        assert all(run_hidden("q3", most_urgent=answer, cc_urgent=pick(cc_scores)))
    # the kit's functions work again afterwards
    assert B.severity(0.6, 0.9, 0.3) == 50.0 and B.most_urgent(cc_scores)[0] == "social_content"


def test_remembered_numbers_score_zero(cc_scores):
    remembered = cc_scores.round(1)
    assert all(run_hidden("q1", severity=lambda value, good, blind: 50.0))
    assert all(run_hidden("q2", audit=lambda table: remembered.copy(), cc_scores=cc_scores))
    urgent = ["social_content", "employee_trust"]
    assert all(run_hidden("q3", most_urgent=lambda scores: list(urgent), cc_urgent=list(urgent)))


def test_typical_mistakes_fail_with_a_hint(solution):
    def no_clip(value, good, blind):
        return 100 * (value - good) / (blind - good)

    def one_direction(value, good, blind):  # assumes higher is always better
        share = (good - value) / good
        return 100 * np.where(share < 0, 0, np.where(share > 1, 1, share))

    assert all(run_hidden("q1", severity=no_clip)) and any(run_hidden("q1", severity=one_direction))

    def sum_not_mean(table):
        table["severity"] = solution["severity"](table["value"], table["good"], table["blind"])
        return table.groupby("blindspot")["severity"].sum()

    outcomes = run_hidden("q2", audit=sum_not_mean, cc_scores=solution["cc_scores"])
    assert all(outcomes) and all("the mean of its indicators' severities" in o for o in outcomes)

    def lowest_first(scores):
        ranked = sorted(scores.items(), key=lambda pair: pair[1])
        return [ranked[0][0], ranked[1][0]]

    assert all(run_hidden("q3", most_urgent=lowest_first, cc_urgent=solution["cc_urgent"]))


def test_kit_refused_restores_the_functions_after_an_error():
    with pytest.raises(RuntimeError, match="boom"):
        with bc.kit_refused():
            with pytest.raises(bc.KitShortcut):
                B.severity(1, 2, 3)
            raise RuntimeError("boom")
    assert B.severity(0.6, 0.9, 0.3) == 50.0


# --- our own words ----------------------------------------------------------------------------------------------
SOURCES = REPO.parent / "shared" / "sources"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def _runs(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SOURCES.is_dir(), reason="the source articles are not next to the repository")
def test_no_run_of_eight_words_is_copied_from_the_articles():
    import nbformat

    ours = []
    for path in (LESSON, MASTER):
        ours += [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type != "code"]
    ours.append((REPO / "book" / "rubrics" / f"{STEM}.md").read_text(encoding="utf-8"))
    ours.append((REPO / "socialkit" / "interactive" / "quizzes" / f"{STEM}.json").read_text(encoding="utf-8"))
    for module in (B, O, F, A):
        ours.append(Path(module.__file__).read_text(encoding="utf-8"))
    mine = set().union(*(_runs(t) for t in ours))
    for source in sorted(SOURCES.glob("0*.txt")):
        copied = mine & _runs(source.read_text(encoding="utf-8"))
        assert not copied, f"copied from {source.name}: {[' '.join(r) for r in sorted(copied)][:3]}"


def test_the_lesson_states_its_measured_time():
    import nbformat
    from socialkit.course import syllabus

    text = "\n".join(c.source for c in nbformat.read(LESSON, as_version=4).cells if c.cell_type == "markdown")
    stated = re.search(r"\*\*Time:\*\* (About .*?\.)\n", text)
    assert stated and stated[1] == syllabus.chapter_minutes(LESSON, MASTER).sentence()

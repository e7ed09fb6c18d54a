"""Cobble & Chain's story, as the prose tells it, agrees with the case data (socialkit/data/case.py).

tests/test_case.py checks the case's fixed facts (team, roles, hours of opening, accounts, the
timeline's wording). These tests read every page, lesson, exercise (master and student copy),
rubric, solution and quiz for the facts of the *plan* the chapters build, and fail when a
sentence contradicts what ``socialkit.data.case`` holds:

* weekly hours on a channel ("WhatsApp 1.5 h", "two hours a week on Google Maps") must be the
  hours of ``case.PLAN_HOURS`` for that channel, before or after listening; a channel with no
  hours in the plan gets none in prose;
* who answers in the Lindenford Locals group (``case.GROUP_ANSWERER``), and that nobody joins
  the group "as the shop" (the shop is a member, not a page: ``case.account``);
* how many written guidelines the team writes (``case.GUIDELINES_2026``);
* how many posts a week, and how many of them helpful and promotional (``case.POSTS_PER_WEEK``,
  ``case.WEEKLY_MIX_2026``);
* the outcome metric's period: repair bookings per week, not per month (``case.OUTCOME_PERIOD``);
* the shop's stage of social business, and which stage is its "next step"
  (``case.STAGE_SELF_ASSESSMENT``);
* blindspots are named by their number, not as the "first" or "second".

Each check's recogniser has a test of its own with sentences that must and must not trip it,
so a recogniser that stops matching fails too.
"""
from __future__ import annotations

import re

import pytest

from socialkit.data import case
from socialkit.models import outcomes
from support.prose import REPO, prose_files, rel, sentences, squash, text_of

FILES = prose_files()
FIRST = {full.split()[0]: full for full in case.TEAM}
NUMBER_WORDS = {"no": 0, "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4,
                "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "half an": 0.5,
                "half": 0.5}
#: How prose names each channel (longest first, so "Lindenford Locals group" wins over "group").
CHANNEL_WORDS = {
    "maps": r"Google Maps(?: reviews| listing)?|Maps",
    "whatsapp": r"WhatsApp(?: messages)?",
    "locals_group": r"(?:the )?(?:Lindenford )?Locals(?: \(Facebook group\)| Facebook group| group)?",
    "instagram": r"Instagram", "youtube": r"YouTube", "strava": r"Strava|the club",
    "tiktok": r"TikTok", "x": r"X \(Twitter\)|Twitter",
}


def number(word: str) -> float | None:
    word = word.lower().strip()
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    try:
        return float(word.replace(",", "."))
    except ValueError:
        return None


# --- weekly hours on a channel ------------------------------------------------------------------
_NUM = r"(\d+(?:[.,]\d+)?|(?i:one|two|three|four|half an|an))"
_HOURS_AFTER = re.compile(rf"\b(?P<channel>{'|'.join(CHANNEL_WORDS.values())})\s*(?::\s*)?{_NUM}\s*(?:h|hours?)\b(?! (?:for|to|after|later|before))")
_HOURS_BEFORE = re.compile(rf"\b{_NUM} hours? (?:a week |each week |weekly )?(?:each )?(?:on|in|for|to|goes to|go to|moves to|(?i:a week on)) (?:answering in |answering on |posting on )?(?P<channel>{'|'.join(CHANNEL_WORDS.values())})\b")


def channel_of(name: str) -> str:
    for key, pattern in CHANNEL_WORDS.items():
        if re.fullmatch(pattern, name):
            return key
    raise AssertionError(name)


#: Hours in code: ``hours += 1.5   # Google Maps reviews`` or ``{"maps": 1.5, ...}`` in a plan.
_HOURS_CODE = re.compile(rf"(\d+(?:\.\d+)?)\s*#\s*(?:the )?(?P<channel>{'|'.join(CHANNEL_WORDS.values())})")
_HOURS_DICT = re.compile(r"[\"'](?P<key>maps|whatsapp|locals_group|instagram|youtube|strava|tiktok|x)[\"']:"
                         r"\s*(\d+(?:\.\d+)?)")


def hour_claims(text: str) -> list[tuple[str, float, str]]:
    """(channel key, hours a week, sentence) for each channel given a number of weekly hours."""
    found = []
    for line in text.splitlines():
        if re.search(r"hours|\bplan\b", line):
            found += [(channel_of(m.group("channel")), float(m.group(1)), line.strip())
                      for m in _HOURS_CODE.finditer(line)]
        for plan in re.findall(r"(?:\bplan|hours\w*)\s*=\s*\{([^}]*)\}", line):
            found += [(m.group("key"), float(m.group(2)), plan.strip()) for m in _HOURS_DICT.finditer(plan)]
    for s in sentences(text):
        if not re.search(r"\bweek|\bh\b|hours? (?:each|on|in)|plan", s):
            continue
        for pattern in (_HOURS_AFTER, _HOURS_BEFORE):
            for m in pattern.finditer(s):
                value = number(m.group(2) if pattern is _HOURS_AFTER else m.group(1))
                if value is not None:
                    found.append((channel_of(m.group("channel")), value, s))
    return found


def test_hour_claims_are_recognised():
    assert hour_claims("Plan: Google Maps 2 h, WhatsApp 1.5 h, Lindenford Locals group 1 h.") == [
        ("maps", 2.0, "Plan: Google Maps 2 h, WhatsApp 1.5 h, Lindenford Locals group 1 h."),
        ("whatsapp", 1.5, "Plan: Google Maps 2 h, WhatsApp 1.5 h, Lindenford Locals group 1 h."),
        ("locals_group", 1.0, "Plan: Google Maps 2 h, WhatsApp 1.5 h, Lindenford Locals group 1 h.")]
    assert [c[:2] for c in hour_claims("Two hours a week on Google Maps, answering reviews.")] == [("maps", 2.0)]
    assert [c[:2] for c in hour_claims("One hour a week goes to the Lindenford Locals group.")] == [("locals_group", 1.0)]
    assert [c[:2] for c in hour_claims("Each week the team puts three hours on Instagram.")] == [("instagram", 3.0)]
    assert hour_claims("A Saturday post waits 40 hours for a reply on WhatsApp.") == []
    assert [c[:2] for c in hour_claims("hours_planned += 1.5   # Google Maps reviews")] == [("maps", 1.5)]
    assert [c[:2] for c in hour_claims('plan = {"maps": 2.0, "whatsapp": 1.5}')] == \
        [("maps", 2.0), ("whatsapp", 1.5)]
    assert hour_claims('hours = 4; shares = {"tiktok": 0.1}') == []


def allowed_hours(key: str) -> set[float]:
    return {hours[key] for hours in case.PLAN_HOURS.values() if key in hours}


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_weekly_hours_on_a_channel_are_the_plans(path):
    wrong = [f"“{s}”: {value:g} h a week on {key}, but case.PLAN_HOURS gives it "
             f"{' or '.join(f'{h:g}' for h in sorted(allowed_hours(key))) or 'no hours'}"
             for key, value, s in hour_claims(text_of(path)) if value not in allowed_hours(key)]
    assert not wrong, f"{rel(path)}:\n" + "\n".join(wrong)


def test_the_plan_hours_have_a_person_and_other_work_a_reason():
    after = case.PLAN_HOURS[4]
    assert set(case.HOURS_BY) == set(after) and set(case.HOURS_BY.values()) <= set(case.TEAM)
    assert case.HOURS_BY["locals_group"] == case.GROUP_ANSWERER
    assert not set(case.OUTSIDE_THE_HOURS) & set(after)
    for key in case.OUTSIDE_THE_HOURS:  # work outside the hours is on the shop's own accounts
        assert case.account(key).since is not None and case.account(key).run_by in case.TEAM


def test_chapter_5s_drafts_go_where_someone_has_time():
    for d in case.DRAFTS:
        if d.channel in case.OUTSIDE_THE_HOURS:
            assert d.by == case.account(d.channel).run_by, d.label
        else:
            assert case.HOURS_BY.get(d.channel) == d.by, \
                f"draft {d.label} is for {d.channel}, where {d.by} has no hours in case.PLAN_HOURS[4]"


# --- who answers in the Locals group, and who may speak -----------------------------------------
_GROUP = r"(?:Lindenford Locals|Locals group|the group\b)"
_VERB = r"(?:answer|answers|answering|reply|replies|replying|respond|responds)\b"
_ANSWER = rf"\b{_VERB}"
_AS_THE_SHOP = re.compile(r"\bjoin(?:s|ing)? (?:the )?(?:Lindenford )?(?:Locals )?group as the shop\b"
                          r"|(?<![“\"])\bas the shop\b")


def group_answerers(s: str) -> set[str]:
    """Team members a sentence has answering in the Locals group."""
    named = set()
    for clause in re.split(r";|:|, and |\bwhile\b", s):
        if not (re.search(_GROUP, clause) and re.search(_ANSWER, clause)):
            continue
        for first, full in FIRST.items():
            # the member is the subject of an answering verb within a few words
            if re.search(rf"\b{first}\b(?: and \w+)? (?:[\w,]+ ){{0,5}}?{_VERB}", clause) or \
                    re.search(rf"\b\w+ and {first}\b (?:[\w,]+ ){{0,5}}?{_VERB}", clause):
                named.add(full)
    return named


def test_group_answerers_are_recognised():
    assert group_answerers("Maya answers repair questions in the Locals group.") == {"Maya Okafor"}
    assert group_answerers("Tomás and Priya share the Locals group hour, answering repair "
                           "questions.") == {"Tomás Reyes", "Priya Nair"}
    assert group_answerers("From next week Priya answers rental questions in the Locals group.") == \
        {"Priya Nair"}
    assert group_answerers("Priya answers rental questions on WhatsApp.") == set()
    assert group_answerers("Priya answers on WhatsApp; Maya keeps her hour answering in the "
                           "Locals group.") == {"Maya Okafor"}
    assert _AS_THE_SHOP.search("Month 1: Priya and Tomás join the Locals group as the shop.")
    assert not _AS_THE_SHOP.search('Maya answers in the group; nobody posts "as the shop".')


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_who_answers_in_the_locals_group(path):
    wrong = []
    for s in sentences(text_of(path)):
        others = group_answerers(s) - {case.GROUP_ANSWERER}
        if others:
            wrong.append(f"“{s}” has {', '.join(sorted(others))} answering in the Locals group; "
                         f"case.GROUP_ANSWERER is {case.GROUP_ANSWERER}")
        if re.search(_GROUP, s) and _AS_THE_SHOP.search(s) and case.account("locals_group").use.startswith("a member, not a page"):
            wrong.append(f"“{s}”: the shop is a member of the group, not a page, so nobody posts "
                         "there as the shop")
    assert not wrong, f"{rel(path)}:\n" + "\n".join(wrong)


def test_only_the_public_voices_run_accounts_without_approval():
    """An account looked after by someone who may not speak for the shop says who approves."""
    for a in case.ACCOUNTS:
        private = "direct messages" in case.channel(a.channel).description  # not speaking in public
        if a.run_by and a.run_by not in case.PUBLIC_VOICES and not private:
            approver = case.PUBLIC_VOICES[0].split()[0]
            assert approver in a.use, (a.channel, a.use)
    assert set(case.PUBLIC_VOICES) <= set(case.PUBLIC_VOICES_UNDER_GUIDELINE) <= set(case.TEAM)


# --- guidelines, posts a week, bookings per week -------------------------------------------------
_GUIDELINES = re.compile(r"\b(\w+) (?:written |short |one-page )?guidelines?\b", re.I)


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_how_many_written_guidelines(path):
    wrong = [f"“{s}”: {m.group(0)}, but case.GUIDELINES_2026 is {case.GUIDELINES_2026}"
             for s in sentences(text_of(path)) for m in _GUIDELINES.finditer(s)
             if (n := number(m.group(1))) is not None and n >= 1 and n != case.GUIDELINES_2026
             and m.group(1).lower() not in {"a", "an"}]
    assert not wrong, f"{rel(path)}:\n" + "\n".join(wrong)


_MIX_IN = re.compile(r"\b(\w+) (?:posts )?in (10|ten|five|5) (?:are |is )?(helpful|about the shop|promotional|offers?)")
_MIX_WEEK = re.compile(r"\b(\w+) helpful (?:posts )?and (\w+) (?:offers?|promotional)")
_PLAN_POSTS = re.compile(r"(?:plan is|plan:|plan of|we post|team posts|[Ff]ive posts a week at the best mix"
                         r"|Posts a week) \**(\w+) posts? a week")


def mix_claims(s: str) -> list[tuple[str, float]]:
    """(kind, share of the week's posts) for each mix the sentence states."""
    found = []
    for m in _MIX_IN.finditer(s):
        n, of = number(m.group(1)), number(m.group(2))
        if n is not None and of:
            found.append(("helpful" if m.group(3) == "helpful" else "promotional", n / of))
    for m in _MIX_WEEK.finditer(s):
        h, p = number(m.group(1)), number(m.group(2))
        if h is not None and p is not None and h + p:
            found += [("helpful", h / (h + p)), ("promotional", p / (h + p))]
    return found


def test_mix_claims_are_recognised():
    assert mix_claims("About 7 posts in 10 helpful, 2 in 10 about the shop.") == \
        [("helpful", 0.7), ("promotional", 0.2)]
    assert mix_claims("Five posts a week: four helpful and one offer.") == \
        [("helpful", 0.8), ("promotional", 0.2)]


#: Files that quote a mix other than the team's on purpose (models, 2025's feed, exercises' markets).
MIX_CHAPTERS = ("book/sample-plan.md", "book/case.md", "book/rubrics/", "book/solutions/0",
                "notebooks/05-", "notebooks/08-", "exercises/05-")


@pytest.mark.parametrize("path", [p for p in FILES if rel(p).startswith(MIX_CHAPTERS)], ids=rel)
def test_the_teams_posts_a_week_and_mix(path):
    week = case.POSTS_PER_WEEK
    mix = {k: v / week for k, v in case.WEEKLY_MIX_2026.items()}
    wrong = []
    for s in sentences(text_of(path)):
        if not re.search(r"Cobble|shop|team|plan|\bwe\b|\bour\b|Maya|[Ff]ive posts", s) or "=" in s:
            continue
        for kind, share in mix_claims(s):
            if abs(share - mix[kind]) > 1e-9 and not re.search(r"\b2025\b|model|drafted|as drafted", s):
                wrong.append(f"“{s}”: {share:.0%} {kind}, but case.WEEKLY_MIX_2026 makes it {mix[kind]:.0%}")
        for m in _PLAN_POSTS.finditer(s):
            if number(m.group(1)) != week:
                wrong.append(f"“{s}”: {m.group(1)} posts a week, but case.POSTS_PER_WEEK is {week}")
    assert not wrong, f"{rel(path)}:\n" + "\n".join(wrong)


def test_the_weekly_mix_adds_up():
    assert sum(case.WEEKLY_MIX_2026.values()) == case.POSTS_PER_WEEK
    assert case.WEEKLY_MIX_2026["filler"] == 0


_BOOKINGS = re.compile(r"\bbookings (?:per|a|each) (week|month|day|year)\b(?! or)")


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_the_outcome_is_counted_per_week(path):
    assert case.METRIC_CHAIN_2026["outcome"].endswith(f"per {case.OUTCOME_PERIOD}")
    wrong = [f"“{s}”: bookings per {m.group(1)}; the plan counts them per {case.OUTCOME_PERIOD}"
             for s in sentences(text_of(path)) for m in _BOOKINGS.finditer(s)
             if m.group(1) != case.OUTCOME_PERIOD and re.search(r"\brepair bookings\b|\boutcome\b", s)
             and not re.search(r"\bmodel\b|\bsimulat|\bin two years\b", s)]
    assert not wrong, f"{rel(path)}:\n" + "\n".join(wrong)


# --- stages and blindspots ---------------------------------------------------------------------
def shops_stage() -> tuple[str, str]:
    reached = outcomes.social_business_stage({k: yes for k, (yes, _) in case.STAGE_SELF_ASSESSMENT.items()})
    names = list(case.STAGE_SELF_ASSESSMENT)
    return reached, names[names.index(reached) + 1]


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_the_shops_next_stage(path):
    reached, following = shops_stage()
    names = list(case.STAGE_SELF_ASSESSMENT)
    wrong = []
    for s in sentences(text_of(path)):
        if not re.search(r"Cobble|the shop|its next step", s) or "next step" not in s:
            continue
        after = s[s.index("next step"):]
        named = [n for n in names if re.search(rf"\b{n}\b", after)]
        numbers = [names[int(k) - 1] for k in re.findall(r"\bstage (\d)\b", after)]
        words = {"an objective measured by": "Strategic"}
        implied = [stage for phrase, stage in words.items() if phrase in after]
        for stage in named + numbers + implied:
            if stage != following:
                wrong.append(f"“{s}”: the shop has reached {reached}, so its next step is "
                             f"{following}, not {stage}")
    assert not wrong, f"{rel(path)}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_blindspots_are_named_by_number(path):
    ordinal = r"\b(first|second|third|fourth|fifth|sixth|seventh) blindspot\b"
    wrong = [s for s in sentences(text_of(path)) if re.search(ordinal, s, re.I)]
    assert not wrong, (f"{rel(path)} calls a blindspot by its place in a sentence, which reads "
                       "as the list's number: " + " / ".join(wrong))


# --- the case page shows who does what --------------------------------------------------------------
def test_the_case_page_shows_who_does_what():
    page = squash(text_of(REPO / "book" / "case.md"))
    words = {1: "one", 5: "five"}
    for key, hours in case.PLAN_HOURS[4].items():
        row = f"| {case.channel(key).name} | {hours:g} | {case.HOURS_BY[key]} |"
        assert row in page, f"book/case.md should have the row {row}"
    first = case.GROUP_ANSWERER.split()[0]
    assert f"{first} answers there in her own name" in page
    assert f"{words[case.POSTS_PER_WEEK]} posts a week" in page
    assert f"repair bookings per {case.OUTCOME_PERIOD}" in page
    assert f"{words[case.GUIDELINES_2026]} written guideline" in page

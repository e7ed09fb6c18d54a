"""Cobble & Chain is one story: what the book says about the case agrees with ``socialkit.data.case``.

The case's facts (team and roles, opening hours, channels, the shop's accounts and since when,
the decisions of each chapter) are held once, in :mod:`socialkit.data.case`. These tests read the
book's pages, lessons, exercises (masters and student copies), rubrics, quizzes and data, and
check the facts that can be checked:

* every social network the book names is one of the case's channels (or a listed exception);
* what the shop says about its accounts ("no TikTok account", "follow us on Instagram") is true;
* the shop's opening hours in the data and the prose agree with the case;
* the team's roles in the introduction, the case page and every other page agree with the case;
* the case page shows the case module's facts, and the lessons follow its timeline: their
  titles, the plan of Chapter 2, the change of plan in Chapter 4, the "Your plan" worksheets.

New chapters are covered automatically: the files are found by the globs of ``test_sources``.
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from socialkit import case, statements
from socialkit.data import posts as posts_data
from support.exercises import run_hidden_tests
from support.prose import REPO, prose_files, rel, sentences, squash, text_of

CASE_PAGE = REPO / "book" / "case.md"
INTRO = REPO / "book" / "intro.md"

FILES = prose_files()
#: The shop's own words: its statements in the data set (the bike-shop rows).
SHOP_STATEMENTS = [s for s in statements.load() if s.business == "bike shop"]
#: What customers wrote in the synthetic posts (every text the generator can produce).
POST_TEXTS = [t for texts in posts_data._TEXTS.values() for t in texts]

# --- channels and accounts -------------------------------------------------------------------
#: How the book names each of the case's channels.
CHANNEL_NAMES = {
    "maps": [r"Google Maps"], "whatsapp": [r"WhatsApp"],
    "locals_group": [r"Lindenford Locals", r"Locals group", r"Facebook"],
    "instagram": [r"Instagram"], "youtube": [r"YouTube"],
    "strava": [r"Strava", r"Lindenford Riders"], "tiktok": [r"TikTok"],
    "x": [r"X \(Twitter\)", r"Twitter", r"(?<=\bon )X\b", r"\bX(?= account)"],
}
#: Real networks a page might name. Any of them that is not a case channel needs a reason below.
NETWORKS = ("LinkedIn", "Pinterest", "Vine", "Snapchat", "Threads", "Mastodon", "Reddit", "Nextdoor",
            "Tumblr", "Google Plus", "GooglePlus", "Google+", "Bluesky", "Telegram", "Discord", "Yelp",
            "Tripadvisor", "TripAdvisor", "MySpace", "Myspace", "Flickr", "Foursquare", "Quora",
            "Trustpilot", "BeReal", "Twitch", "Threema", "Signal", "WeChat")
#: Networks that are not the case's channels but may be named in one file, and why.
ALLOWED_ELSEWHERE = {
    ("book/references.md", "LinkedIn"): "where the source article was published, not a channel",
}


def mentions(text: str, key: str) -> bool:
    return any(re.search(pattern, text) for pattern in CHANNEL_NAMES[key])


def test_channel_names_cover_the_case():
    assert set(CHANNEL_NAMES) == set(case.CHANNEL_KEYS)
    for c in case.CHANNELS:
        assert mentions(c.name, c.key), c.name
        assert mentions(posts_data.CHANNEL_LABELS[c.key], c.key), posts_data.CHANNEL_LABELS[c.key]


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_every_network_named_is_a_case_channel(path):
    text = text_of(path)
    named = [n for n in NETWORKS if re.search(rf"(?<![\w+]){re.escape(n)}(?![\w+])", text)]
    odd = [n for n in named if (rel(path), n) not in ALLOWED_ELSEWHERE]
    assert not odd, (f"{rel(path)} names {', '.join(odd)}, which Cobble & Chain's case does not know. "
                     f"Use a channel of socialkit.data.case ({', '.join(c.name for c in case.CHANNELS)}), "
                     "or add the file and name to ALLOWED_ELSEWHERE in tests/data/test_case.py with a reason.")


def account_claims(text: str) -> list[tuple[str, bool, str]]:
    """(channel key, whether the words say the shop has an account there, the words)."""
    claims = []
    for s in sentences(text):
        for key in case.CHANNEL_KEYS:
            for pattern in CHANNEL_NAMES[key]:
                name = rf"(?:{pattern})"
                if re.search(rf"\bno {name} account|\bhas no account on {name}", s):
                    claims.append((key, False, s))
                if re.search(rf"\b(?:[Ff]ollow|[Ff]ind|[Mm]essage|[Jj]oin) us on {name}"
                             rf"|\bthe shop's (?:own )?{name} (?:account|channel|page|listing)"
                             rf"|\bour {name} (?:account|channel|page|listing)", s):
                    claims.append((key, True, s))
    return claims


def test_account_claims_are_recognised():
    assert account_claims("The shop has no TikTok account, so nobody answers.") == \
        [("tiktok", False, "The shop has no TikTok account, so nobody answers.")]
    assert [k for k, has, _ in account_claims("Follow us on Instagram! Daily.") if has] == ["instagram"]
    assert account_claims("Follow us on TikTok today.")[0][:2] == ("tiktok", True)


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_what_the_book_says_about_the_shops_accounts_is_true(path):
    wrong = [(key, words) for key, has, words in account_claims(text_of(path))
             if has != (case.account(key).since is not None)]
    assert not wrong, "\n".join(
        f"{rel(path)}: “{words}” — but case.account({key!r}).since is {case.account(key).since}"
        for key, words in wrong)


def test_the_shops_statements_name_only_its_accounts():
    wrong = [(s.id, key) for s in SHOP_STATEMENTS for key, has, _ in account_claims(s.text)
             if has != (case.account(key).since is not None)]
    assert not wrong, f"bike-shop statements that invite customers to accounts the shop lacks: {wrong}"


def years_by_channel(text: str) -> list[tuple[str, int, str]]:
    """(channel, year, clause) for every clause that names one channel and one year."""
    found = []
    for clause in re.split(r"[,;:.()\n]|\band\b", text):
        keys = [k for k in case.CHANNEL_KEYS if mentions(clause, k)]
        years = {int(y) for y in re.findall(r"\b(20[0-3]\d)\b", clause)}
        if len(keys) == 1 and len(years) == 1 and re.search(r"\bsince\b|\bopened\b|\bjoined\b", clause):
            found.append((keys[0], years.pop(), clause.strip()))
    return found


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_since_when_the_shop_has_each_account(path):
    wrong = [(k, y, c) for k, y, c in years_by_channel(text_of(path)) if case.account(k).since != y]
    assert not wrong, "\n".join(f"{rel(path)}: “{c}” — but the shop's {k} account dates from "
                                f"{case.account(k).since}" for k, y, c in wrong)


def test_exercise_1_goes_back_to_the_year_the_group_started():
    since = case.account("locals_group").since
    for path in (REPO / "exercises" / "01-ignorance-arrogance-irrelevance.ipynb", CASE_PAGE):
        assert f"spring of {since}" in text_of(path) or f"spring {since}" in text_of(path), rel(path)
    assert f"{since}" in case.decision(1).decision


def test_the_lesson_table_of_channel_keys_is_the_case():
    text = (REPO / "notebooks" / "04-listen-first.ipynb").read_text(encoding="utf-8")
    (row,) = re.findall(r"\| `channel` \|[^\n]*", text)
    assert set(re.findall(r"`(\w+)`", row)) - {"channel"} == set(case.CHANNEL_KEYS)


# --- opening hours -----------------------------------------------------------------------------
def minutes(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


OPEN_DAYS = {day: (minutes(a), minutes(b)) for day, hours in case.OPENING_HOURS.items()
             if hours is not None for a, b in [hours]}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_TIME = re.compile(r"\b(before|by|from|until|till|at|after|closes at|opens at)\s+"
                   r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b", re.IGNORECASE)


def clock(hour: str, minute: str | None, half: str | None) -> int:
    h = int(hour) % 12 if half else int(hour)
    if (half or "").lower() == "pm" or (not half and h < 8):  # "closes at 6" is 6 pm
        h += 12
    return h * 60 + int(minute or 0)


def test_clock_reads_times_as_a_shop_would():
    assert clock("9", "30", None) == 570 and clock("6", None, None) == 18 * 60
    assert clock("7", "30", "am") == 450 and clock("9", None, "pm") == 21 * 60


def test_opening_hours_are_well_formed():
    assert set(case.OPENING_HOURS) == {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                        "Saturday", "Sunday"}
    assert all(a < b for a, b in OPEN_DAYS.values())


def test_the_shops_own_statements_keep_its_hours():
    """A time the shop names (drop off by, open until, closes at) falls within its opening hours."""
    wrong = []
    for s in SHOP_STATEMENTS:
        for m in _TIME.finditer(s.text):
            t = clock(*m.groups()[1:])
            if not any(a <= t <= b for a, b in OPEN_DAYS.values()):
                wrong.append((s.id, m.group(0)))
    assert not wrong, f"bike-shop statements name times when the shop is closed: {wrong}"


def test_what_customers_write_about_the_hours_is_true():
    latest_weekday_open = min(OPEN_DAYS[d][0] for d in WEEKDAYS)
    for text in POST_TEXTS:
        for day in re.findall(r"[Cc]losed on (\w+?)s?\b", text):
            assert case.OPENING_HOURS.get(day.capitalize()) is None, text
        for hour in re.findall(r"open till (\d{1,2})\b", text):
            assert clock(hour, None, None) in {b for _, b in OPEN_DAYS.values()}, text
        for hour, day in re.findall(r"[Ss]hut at (\d{1,2}) on (\w+)", text):
            assert OPEN_DAYS[day][1] == clock(hour, None, None), text
        for hour in re.findall(r"open before (\d{1,2})\b", text):
            assert latest_weekday_open >= clock(hour, None, "am"), text


def test_the_unmet_need_falls_before_the_shop_opens():
    posts = posts_data.load_posts()
    early = posts[posts["topic"] == "early_repairs"]
    at = early["timestamp"].dt.hour * 60 + early["timestamp"].dt.minute
    assert (at < min(OPEN_DAYS[d][0] for d in WEEKDAYS)).mean() > 0.6
    assert not posts_data.TOPICS["early_repairs"].offered


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_the_shops_opening_time_in_the_prose(path):
    text = text_of(path)
    for s in sentences(text):
        if re.search(r"Cobble & Chain|the shop\b", s):
            for t in re.findall(r"\bopens at (\d{1,2}:\d{2})", s):
                assert minutes(t) in {a for a, _ in OPEN_DAYS.values()}, f"{rel(path)}: “{s}”"
        for t in re.findall(r"\bearly drop-offs? (?:from|at) (\d{1,2}:\d{2})", s):
            assert t.lstrip("0") in case.decision(4).decision, f"{rel(path)}: “{s}”"


# --- the team ---------------------------------------------------------------------------------
FIRST_NAMES = {name: name.split()[0] for name in case.TEAM}
#: Words that belong to one member's role alone (from case.TEAM).
ROLE_WORDS = {"Maya Okafor": (r"\bowner\b", r"\bowns\b", r"\bthe books\b"),
              "Tomás Reyes": (r"\bmechanic\b",),
              "Priya Nair": (r"\bpart[- ]time\b", r"\brental fleet\b", r"\brental bookings\b")}


def test_role_words_come_from_the_case():
    for name, patterns in ROLE_WORDS.items():
        assert all(re.search(p, case.TEAM[name]) or p == r"\bowns\b" for p in patterns), name


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_each_role_belongs_to_its_member(path):
    wrong = []
    for s in sentences(text_of(path)):
        named = [full for full, first in FIRST_NAMES.items() if re.search(rf"\b{first}\b", s)]
        if len(named) != 1:
            continue
        for other, patterns in ROLE_WORDS.items():
            if other != named[0] and any(re.search(p, s) for p in patterns):
                wrong.append(f"“{s.strip()}” gives {named[0]} part of {other}'s role ({case.TEAM[other]})")
        if re.search(r"front desk", s):
            wrong.append(f"“{s.strip()}”: the case has a counter (Maya's), not a front desk")
    assert not wrong, f"{rel(path)}:\n" + "\n".join(wrong)


def test_the_intro_gives_each_member_their_role():
    text = text_of(INTRO)
    for name, role in case.TEAM.items():
        title = role.split(";")[0]  # owner, mechanic, part-time
        (s,) = [s for s in sentences(text.replace(";", ".")) if f"**{name}**" in s]
        assert title in s, f"the introduction should call {name} the {title}: “{s}”"
        duties = [d.strip() for d in re.split(r",| and ", role.split(";")[1]) if d.strip()]
        assert sum(d.split()[-1] in s for d in duties) >= 2, f"{name}'s duties in the intro: “{s}”"


# --- the case page and the timeline ---------------------------------------------------------------
def test_the_case_page_is_in_the_book():
    toc = (REPO / "_toc.yml").read_text(encoding="utf-8")
    assert "file: book/case" in toc
    assert "{doc}`case`" in text_of(INTRO)


def test_the_case_page_shows_the_team_hours_and_customers():
    page = text_of(CASE_PAGE)
    assert str(case.FOUNDED) in page and case.NOW in page and case.NAME in page
    hours = {4.0: "four hours a week"}[case.WEEKLY_SOCIAL_HOURS]
    assert hours in page
    for name, role in case.TEAM.items():
        assert f"| {name} | {role} |" in page
    for day, span in case.OPENING_HOURS.items():
        shown = "closed" if span is None else f"{span[0]}–{span[1]}"
        assert re.search(rf"\| {day} \| {re.escape(shown)}\b", page), day
    for segment, need in case.SEGMENTS.items():
        assert f"| {segment} | {need} |" in page


def test_the_case_page_shows_every_channel_and_account():
    page = text_of(CASE_PAGE)
    for c in case.CHANNELS:
        a = case.account(c.key)
        since = "no account" if a.since is None else f"since {a.since}"
        row = f"| {c.name} | {c.customer_share:.0%} | {since} | {a.run_by or 'nobody'} | {a.use} |"
        assert row in page, f"the case page's row for {c.key} should read: {row}"


def test_the_case_page_tells_the_timeline():
    page = squash(text_of(CASE_PAGE))
    for d in case.TIMELINE:
        line = f"{d.chapter}. **{d.title}.** {squash(d.decision)}"
        assert line in page, f"book/case.md should list chapter {d.chapter} as: {line}"


def lesson(chapter: int) -> Path | None:
    found = sorted((REPO / "notebooks").glob(f"{chapter:02d}-*.ipynb"))
    return found[0] if found else None


def plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@pytest.mark.parametrize("d", case.TIMELINE, ids=lambda d: f"chapter {d.chapter}")
def test_each_lesson_is_the_chapter_of_the_timeline(d):
    path = lesson(d.chapter)
    if path is None:
        pytest.skip(f"chapter {d.chapter} has no lesson yet")
    title = text_of(path).lstrip().splitlines()[0]
    assert title.startswith("# ") and plain(title).startswith(plain(d.title)), \
        f"{rel(path)} is titled {title!r}; case.TIMELINE calls chapter {d.chapter} {d.title!r}"


def test_chapter_2_ends_with_the_focus_plan():
    text = text_of(lesson(2))
    plan = text[text.index("## The plan"):]
    for key in ("maps", "whatsapp"):
        assert mentions(case.decision(2).decision, key) and mentions(plan, key)
    assert "two hours a week" in plan and "two hours each" in case.decision(2).decision
    assert "Chapter 4" in plan and "changes this plan" in plan


def test_chapter_4_says_listening_changes_the_chapter_2_plan():
    text = text_of(lesson(4))
    section = text[text.index("## What listening changes: the plan from Chapter 2"):]
    assert "changes that plan" in section
    decision = case.decision(4).decision
    assert "plan of chapter 2 changes" in decision
    for words in ("one hour a week", "Locals group", "7:30 on Tuesdays and Thursdays",
                  "WhatsApp keeps one hour", "Google Maps keeps its two hours"):
        assert words.lower() in section.lower(), words
    for words in ("one hour a week", "group", "WhatsApp", "keeps one", "Google Maps keeps its two hours"):
        assert words in decision, words
    assert "7:30 on Tuesdays and Thursdays" in decision and "spring 2026" in decision


def test_exercise_samples_follow_the_timeline():
    ex2 = text_of(REPO / "exercises" / "02-shiny-object-syndrome.ipynb")
    assert "Google Maps reviews and WhatsApp" in ex2
    ex4 = text_of(REPO / "exercises" / "04-listen-first.ipynb")
    assert "WhatsApp's second hour should move to the group" in ex4 and "Google Maps keeps its two hours" in ex4
    assert "7:30 on Tuesdays and Thursdays" in ex4


# --- the "Your plan" worksheets -------------------------------------------------------------------
def plan_keys(path: Path) -> list[str]:
    """Keys of the questions in the notebook's ``worksheet.show("my-strategy", ...)`` cells."""
    keys = []
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] != "code" or '"my-strategy"' not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "Question":
                keys.append(ast.literal_eval(node.args[0]))
    return keys


def test_the_plan_worksheets_of_chapters_2_to_4():
    assert plan_keys(lesson(2)) == ["ch2_channels"]
    assert plan_keys(lesson(3)) == ["business"]
    assert plan_keys(lesson(4)) == ["ch4_findings", "ch4_revised_channels"]


@pytest.mark.parametrize("path", sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb")), ids=rel)
def test_plan_questions_carry_their_chapters_key(path):
    chapter = int(path.name[:2])
    for key in plan_keys(path):
        assert key.startswith(f"ch{chapter}_") or (key == "business" and chapter == 3), \
            f"{rel(path)} asks {key!r} in my-strategy; chapter {chapter}'s keys start with ch{chapter}_"


# --- Exercise 1 uses Lindenford's assumed p and q throughout -------------------------------------
def test_exercise_1_grades_the_cost_of_waiting_with_lindenfords_p_and_q(monkeypatch):
    from socialkit import relevance, variants

    variants.forget()  # the public variant: p = 0.02, q = 0.5, 3 of 4 hours
    stem = "01-ignorance-arrogance-irrelevance"

    def lost(k, **p_and_q):
        return relevance.relevance_lost(k, listening_share=0.75, **p_and_q)

    right = dict(cc_listening_share=0.75, relevance_lost_by_delay=lambda k: lost(k, p=0.02, q=0.5),
                 times_as_costly=lost(4, p=0.02, q=0.5) / lost(1, p=0.02, q=0.5))
    assert run_hidden_tests(stem, "q2", **right) == [None, None, None, None]
    typical = dict(right, relevance_lost_by_delay=lambda k: lost(k), times_as_costly=lost(4) / lost(1))
    share, lindenford, any_delay, ratio = run_hidden_tests(stem, "q2", **typical)
    assert share is None and "typical p and q" in lindenford and "typical p and q" in ratio
    assert any_delay is not None


# --- the plan's hours, held once in case.PLAN_HOURS ------------------------------------------------
def test_plan_hours_use_the_teams_hours_on_case_channels():
    for chapter, hours in case.PLAN_HOURS.items():
        assert set(hours) <= set(case.CHANNEL_KEYS) and chapter in {d.chapter for d in case.TIMELINE}
        assert sum(hours.values()) == case.WEEKLY_SOCIAL_HOURS, chapter
        assert all(case.account(key).since is not None for key in hours), \
            f"the chapter {chapter} plan spends hours where the shop has no account"


NUMBER_WORDS = {1.0: "one", 2.0: "two", 3.0: "three", 4.0: "four"}


def test_the_timeline_and_lessons_state_the_plan_hours():
    before, after = case.PLAN_HOURS[2], case.PLAN_HOURS[4]
    assert set(before) == {"maps", "whatsapp"} and all(h == 2.0 for h in before.values())
    assert "two hours each on Google Maps and WhatsApp" in case.decision(2).decision
    ch4 = text_of(lesson(4))
    for key, words in (("maps", "Google Maps keeps its {} hours"), ("whatsapp", "WhatsApp keeps {} hour"),
                       ("locals_group", "{} hour a week goes to the Lindenford Locals group")):
        phrase = words.format(NUMBER_WORDS[after[key]])
        assert phrase.lower() in ch4.lower(), f"chapter 4 should say: {phrase}"
    decision = case.decision(4).decision
    assert f"Google Maps keeps its {NUMBER_WORDS[after['maps']]} hours" in decision
    assert f"keeps {NUMBER_WORDS[after['whatsapp']]}" in decision
    assert f"{NUMBER_WORDS[after['locals_group']]} hour a week moves to answering in the group" in decision

"""The capstone's one-page plan, assembled from the worksheets a student filled in along the way.

Chapters 1 to 7 each end with a short "Your plan" worksheet, all saved in one file,
``my-strategy.answers.json``; the plan takes chapters 2 to 7's answers under fixed question keys
(:data:`STRATEGY_SOURCES`; chapter 1's question, why now, warms the reader up and stays in the file). Chapter 3's
customer questions live in ``03-cobble-and-chain.answers.json`` and Chapter 7's self-audit in
``07-blindspot-audit.answers.json``. :func:`assemble` reads the three files from one folder and
puts their answers into the order a manager reads a plan: customers and their questions, where
they are, channels and weekly hours, what to post, what to measure, what to fix first, the first
90 days.

Nothing here is an error for a student who has skipped a question: a missing or blank answer
becomes a *gap* (:attr:`Plan.gaps`) that names the chapter and the question to go back to, and a
damaged file is reported in :attr:`Plan.notes` and read as empty. For Cobble & Chain the plan
also carries numbers the book's models compute (:func:`case_evidence`); for a business of the
student's choice the capstone worksheet asks for that business's facts instead
(:func:`capstone_questions`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..data import case
from ..interactive import worksheet as ws

__all__ = ["STRATEGY", "CHAPTER3", "AUDIT", "Source", "STRATEGY_SOURCES", "CHAPTER3_SOURCES",
           "Entry", "Section", "Plan", "read_worksheets", "assemble", "is_case_business",
           "capstone_questions", "CAPSTONE_QUESTIONS", "OWN_BUSINESS_QUESTIONS", "show",
           "parse_hours", "customer_weighted_share", "case_evidence", "audit_scores",
           "SAMPLE_ANSWERS", "sample_answers", "SAMPLE_DATE", "write_sample", "sample_plan", "status"]

#: The three worksheet files the plan is made of.
STRATEGY, CHAPTER3, AUDIT = "my-strategy", "03-cobble-and-chain", "07-blindspot-audit"
CAPSTONE_TITLE = "Your plan: the first 90 days"
_SHEET_TITLES = {STRATEGY: "the “Your plan” worksheet",
                 CHAPTER3: "the worksheet of customer-centric questions",
                 AUDIT: "the blindspot self-audit"}


@dataclass(frozen=True)
class Source:
    """Where one answer of the plan comes from: a worksheet, a key, the chapter that asks it."""

    worksheet: str
    key: str
    chapter: int
    prompt: str

    def where(self) -> str:
        """``Chapter 4, Listen first``: the chapter to go back to for this answer."""
        return f"Chapter {self.chapter}, {case.decision(self.chapter).title}"


def _strategy(key: str, chapter: int, prompt: str) -> Source:
    return Source(STRATEGY, key, chapter, prompt)


#: The contract between the chapters and the capstone: each "Your plan" key, its chapter, and
#: the question as the plan's gap message names it.
STRATEGY_SOURCES = {s.key: s for s in (
    _strategy("business", 3, "Which business is the plan for? (blank: Cobble & Chain Cycles)"),
    _strategy("ch2_channels", 2, "Which channels, and how many hours a week on each, before "
              "listening?"),
    _strategy("ch4_findings", 4, "What did listening show: where customers talk, what they ask, "
              "and the gaps?"),
    _strategy("ch4_revised_channels", 4, "Which channels, and how many hours a week on each, "
              "after listening?"),
    _strategy("ch5_content_mix", 5, "What will you post: the mix of helpful, promotional and "
              "filler posts, with examples?"),
    _strategy("ch6_objective", 6, "What is the one business objective?"),
    _strategy("ch6_metric_chain", 6, "Which activity, leading metric and outcome metric go with "
              "it?"),
    _strategy("ch7_urgent_blindspots", 7, "Which two blindspots are most urgent, and what is "
              "the evidence?"),
    _strategy("ch7_first_actions", 7, "What are the first actions against them?"),
    _strategy("ch8_first_90_days", 8, "What will you do in the first 90 days?"),
)}
#: Chapter 3's worksheet, by key (the questions of ``worksheet.CHAPTER3_QUESTIONS``).
CHAPTER3_SOURCES = {q.key: Source(CHAPTER3, q.key, 3, q.prompt) for q in ws.CHAPTER3_QUESTIONS}

#: The capstone's own questions, saved in ``my-strategy`` beside the chapters' answers.
CAPSTONE_QUESTIONS = (
    ws.Question("ch8_first_90_days", "What will you do in the first 90 days?",
                "Three steps, one a month, each with who does it and how you will know it "
                "worked. Build on your first actions from Chapter 7.", "The first 90 days"),
    ws.Question("ch8_prepared_by", "Who prepared this plan, and for whom?",
                "For example: Prepared by Sam Lee for Maya Okafor, owner. It goes at the top "
                "of the page.", "The first 90 days"),
)
#: Asked only when the plan is for a business of the student's choice: the facts that the book
#: holds for Cobble & Chain (team, hours, what it sells, its accounts).
OWN_BUSINESS_QUESTIONS = (
    ws.Question("ch8_business_facts", "What does the business sell, where, and to whom?",
                "Two or three sentences a stranger would understand: what, where, which "
                "customers.", "Your business's facts"),
    ws.Question("ch8_team_hours", "Who will do the work, and how many hours a week can they "
                "give social media in total?", "Names or roles, and one number of hours a "
                "week that the team can keep up.", "Your business's facts"),
    ws.Question("ch8_accounts", "Which accounts does the business have today, since when, "
                "and who looks after each?", "Include places it is absent from but its "
                "customers use.", "Your business's facts"),
)
_CAPSTONE_SOURCES = {q.key: Source(STRATEGY, q.key, 8, q.prompt)
                     for q in CAPSTONE_QUESTIONS + OWN_BUSINESS_QUESTIONS}


# --- reading the worksheets -------------------------------------------------------------------
def _folder(folder) -> Path:
    folder = Path.cwd() if folder is None else Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder must be an existing folder with the worksheets; {folder} is "
                         "not.")
    return folder


def read_worksheets(folder=None) -> tuple[dict[str, dict[str, str]], list[str]]:
    """The answers of the three worksheets in ``folder`` (default: the current folder).

    Returns ``({worksheet name: {key: answer}}, notes)``. A file that does not exist gives an
    empty set of answers; a damaged one gives an empty set and a note saying what is wrong and
    what to do. Nothing is written.
    """
    folder = _folder(folder)
    answers, notes = {}, []
    for name in (STRATEGY, CHAPTER3, AUDIT):
        path = folder / f"{name}{ws.SUFFIX}"
        try:
            answers[name] = ws.read_answers(path) or {}
        except (ws.WorksheetFileError, OSError) as err:
            answers[name] = {}
            notes.append(f"{path.name} could not be read ({err}). Open the chapter that writes "
                         "it and run its worksheet cell: a damaged file is kept as a backup "
                         "copy, and the worksheet starts again.")
    return answers, notes


def is_case_business(business: str) -> bool:
    """True when the plan is for the book's case: a blank answer, or one naming Cobble & Chain."""
    text = (business or "").strip().lower()
    return not text or "cobble" in text


def _business_name(answer: str) -> str:
    if is_case_business(answer):
        return case.NAME
    first = answer.strip().splitlines()[0].strip().rstrip(".")
    return first if len(first) <= 80 else first[:77].rstrip() + "..."


# --- the plan ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One answer on the plan: what it is called there, the text, and where it comes from."""

    label: str
    text: str
    source: Source

    @property
    def missing(self) -> bool:
        return not self.text.strip()

    def gap(self) -> str:
        """The sentence the plan shows in place of a missing answer."""
        sheet = _SHEET_TITLES.get(self.source.worksheet, self.source.worksheet)
        return f"To fill in: {self.source.prompt} ({self.source.where()}: {sheet})"


@dataclass
class Section:
    """A part of the one-page plan: a heading, answers, and (for the case) numbers as evidence."""

    key: str
    title: str
    entries: list[Entry]
    evidence: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """A student's plan, ready to show or export (see ``socialkit.apps.report``)."""

    business: str
    is_case: bool
    prepared: str
    prepared_by: str
    about: list[str]
    sections: list[Section]
    hours: dict[str, float]
    hours_source: str
    audit: dict[str, float]
    notes: list[str] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [e for s in self.sections for e in s.entries]

    @property
    def gaps(self) -> list[Entry]:
        """Answers still missing, in the order they appear on the plan."""
        return [e for e in self.entries if e.missing]

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(f"There is no section {key!r}; the sections are "
                       f"{', '.join(s.key for s in self.sections)}.")

    def summary(self) -> str:
        """One sentence: how complete the plan is."""
        total, gaps = len(self.entries), len(self.gaps)
        if not gaps:
            return f"All {total} parts of the plan are filled in."
        return (f"{total - gaps} of {total} parts of the plan are filled in; {gaps} "
                f"{'is' if gaps == 1 else 'are'} still to do (marked “To fill in”).")


def _entry(label, answers, source: Source) -> Entry:
    return Entry(label, answers.get(source.worksheet, {}).get(source.key, "") or "", source)


def assemble(folder=None, *, today: date | None = None, evidence: bool = True) -> Plan:
    """The plan from the worksheets in ``folder`` (default: the current folder).

    ``evidence=False`` leaves out the numbers from the book's models (quicker, for a status).

    Never fails for missing or damaged worksheets: see :attr:`Plan.gaps` and :attr:`Plan.notes`.
    """
    answers, notes = read_worksheets(folder)
    today = today or date.today()
    mine = answers[STRATEGY]
    business_answer = mine.get("business", "")
    is_case = is_case_business(business_answer)
    S, C = STRATEGY_SOURCES, CHAPTER3_SOURCES

    def e(label, source):
        return _entry(label, answers, source)

    sections = [
        Section("customers", "Our customers and what they ask", [
            e("Who they are and what problems they have", C["customer"]),
            e("What they ask, in their own words", C["asking"]),
            e("What they expect from us", C["expect"]),
            e("Whom they trust for advice", C["trusted"]),
        ]),
        Section("where", "Where they are", [
            e("Where they go online, and why", C["where"]),
            e("What listening showed", S["ch4_findings"]),
        ]),
        Section("channels", "Channels and weekly hours", [
            e("After listening (the plan)", S["ch4_revised_channels"]),
            e("Before listening (Chapter 2, for comparison)", S["ch2_channels"]),
        ]),
        Section("content", "What we post", [
            e("The content mix, with examples", S["ch5_content_mix"]),
            e("How we behave as a helpful member of the community", C["neighbour"]),
        ]),
        Section("measure", "What we measure", [
            e("The objective", S["ch6_objective"]),
            e("Activity → leading metric → outcome metric", S["ch6_metric_chain"]),
        ]),
        Section("blindspots", "What we fix first", [
            e("The two most urgent blindspots, with evidence", S["ch7_urgent_blindspots"]),
            e("First actions", S["ch7_first_actions"]),
        ]),
        Section("first90", "The first 90 days", [
            e("Month by month", S["ch8_first_90_days"]),
        ]),
    ]
    own = {k: _entry(k, answers, s) for k, s in _CAPSTONE_SOURCES.items()}
    if is_case:
        team = ", ".join(f"{name} ({role.split(';')[0]})" for name, role in case.TEAM.items())
        about = [f"{case.NAME}: a bike repair and rental shop in {case.TOWN}, open since "
                 f"{case.FOUNDED}.",
                 f"Team: {team}; {case.WEEKLY_SOCIAL_HOURS:g} hours a week for social media in "
                 "all."]
        for s in sections:
            s.evidence = case_evidence(s.key) if evidence else []
    else:
        facts = [own["ch8_business_facts"], own["ch8_team_hours"], own["ch8_accounts"]]
        labels = ("What it does", "Team and hours", "Accounts today")
        about = []
        sections.insert(0, Section("facts", "The business", [
            Entry(label, f.text, f.source) for label, f in zip(labels, facts)]))
    revised, before = mine.get("ch4_revised_channels", ""), mine.get("ch2_channels", "")
    hours = parse_hours(revised, case_channels=is_case)
    hours_source = "after listening (Chapter 4)"
    if not hours:
        hours, hours_source = parse_hours(before, case_channels=is_case), "before listening (Chapter 2)"
    audit = audit_scores(answers[AUDIT])
    return Plan(business=_business_name(business_answer), is_case=is_case,
                prepared=f"{today:%d %B %Y}".lstrip("0"),
                prepared_by=own["ch8_prepared_by"].text.strip(), about=about,
                sections=sections, hours=hours, hours_source=hours_source if hours else "",
                audit=audit, notes=notes)


# --- weekly hours from free text ----------------------------------------------------------------
#: Words that name each of Cobble & Chain's channels in students' answers.
CHANNEL_ALIASES = {
    "maps": ("google maps", "maps", "google reviews", "reviews", "google"),
    "whatsapp": ("whatsapp", "whats app"),
    "locals_group": ("lindenford locals", "locals group", "locals", "facebook group", "facebook",
                     "town group", "community group"),
    "instagram": ("instagram", "insta"),
    "youtube": ("youtube", "videos"),
    "strava": ("strava", "riders club", "club"),
    "tiktok": ("tiktok", "tik tok"),
    "x": ("x (twitter)", "twitter"),
}
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)\s*(hours?|hrs?|h\b|minutes?|mins?|min\b)?", re.I)
_FILLER = re.compile(r"\b(a|an|the|on|in|for|per|each|every|week|weekly|hours?|hrs?|h|"
                     r"minutes?|mins?|min|about|around|of|and|to|answering|posting)\b", re.I)


def _channel_key(label: str) -> str | None:
    text = label.lower()
    best = None
    for key, aliases in CHANNEL_ALIASES.items():
        for alias in aliases:
            if re.search(rf"(?<![a-z]){re.escape(alias)}(?![a-z])", text):
                if best is None or len(alias) > best[1]:
                    best = (key, len(alias))
    return best[0] if best else None


def parse_hours(text: str, *, case_channels: bool = True) -> dict[str, float]:
    """Weekly hours per channel read from a free-text answer, e.g. "Google Maps 1.5 h, WhatsApp
    1.5 h, Locals group 1 h" -> ``{"maps": 1.5, "whatsapp": 1.5, "locals_group": 1.0}``.

    Each line or comma/semicolon-separated part that holds one number and a channel counts;
    minutes are turned into hours. With ``case_channels`` the channels are Cobble & Chain's keys
    (parts naming no known channel are skipped); otherwise the label is the rest of the part.
    An answer with no such part gives ``{}``: the plan then shows the text alone.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__}.")
    hours: dict[str, float] = {}
    # Parts are split at new lines, semicolons, "+", "and" and commas (but not decimal commas).
    for part in re.split(r"[\n;•]+|(?<!\d),|,(?!\d)|\s+\+\s+|\band\b", text):
        numbers = _NUMBER.findall(part)
        if len(numbers) != 1:
            continue
        value = float(numbers[0][0].replace(",", "."))
        if numbers[0][1].lower().startswith("m"):
            value /= 60
        if not 0 <= value <= 168:
            continue
        if case_channels:
            label = _channel_key(part)
        else:
            label = _FILLER.sub(" ", _NUMBER.sub(" ", part))
            label = re.sub(r"[\s:–—()\-]+", " ", label).strip(" .:-") or None
            label = label[:1].upper() + label[1:] if label else None
        if label:
            hours[label] = round(hours.get(label, 0.0) + value, 2)
    return hours


def customer_weighted_share(hours: dict[str, float]) -> float:
    """Where the team's time goes, in customers: the average share of Cobble & Chain's customers
    on the channel of each hour spent (hours times each channel's customer share, divided by
    all hours). 0.60 means an average hour is spent where 60% of the customers are."""
    if not isinstance(hours, dict) or not hours:
        raise ValueError("hours must be a non-empty dict of channel key -> weekly hours; got "
                         f"{hours!r}.")
    total = 0.0
    weighted = 0.0
    for key, h in hours.items():
        share = case.channel(key).customer_share  # ValueError lists the keys
        if isinstance(h, bool) or not isinstance(h, (int, float)) or h < 0:
            raise ValueError(f"hours[{key!r}] must be a number of hours >= 0; got {h!r}.")
        total += h
        weighted += h * share
    if total <= 0:
        raise ValueError("hours must give at least one channel more than 0 hours.")
    return weighted / total


# --- the chapter 7 audit ------------------------------------------------------------------------
_SCORE = re.compile(r"^\s*(\d+(?:\.\d+)?)")


def audit_scores(answers: dict[str, str]) -> dict[str, float]:
    """Scores of the Chapter 7 self-audit (0 = in sight, 100 = blind), by blindspot name, in the
    order of the 2009 list. Answers that do not start with a number are skipped."""
    names = _blindspot_names()
    scores = {}
    for key in sorted(answers or {}, key=lambda k: (list(names).index(k) if k in names else 99, k)):
        match = _SCORE.match(answers[key] or "")
        if match:
            scores[names.get(key, key.replace("_", " ").capitalize())] = float(match[1])
    return scores


def _blindspot_names() -> dict[str, str]:
    """The blindspots' names by audit key, from Chapter 7's model."""
    from ..models import blindspots

    return {b.key: b.name for b in blindspots.BLINDSPOTS}


# --- numbers from the book's models, for Cobble & Chain -------------------------------------------
@lru_cache(maxsize=1)
def _case_numbers() -> dict:
    from ..models import channels, listening

    posts = listening.load_posts()
    summary = listening.channel_summary(posts)
    weekdays = listening.weekday_summary(posts)
    unmet = listening.unmet_needs(posts)
    gap = listening.listening_gap(posts)
    totals = channels.simulate(channels.STRATEGIES).totals()
    from ..models import organisations
    from ..models import blindspots
    evidence = organisations.cobble_and_chain_evidence(posts)
    audit = blindspots.audit(evidence)
    return {
        "audit": audit,
        "evidence": evidence["value"],
        "shares": {c.key: c.customer_share for c in case.CHANNELS},
        "names": {c.key: c.name for c in case.CHANNELS},
        "summary": summary,
        "gap": gap,
        "unanswered_share": summary.loc[gap, "unanswered"] / summary["unanswered"].sum(),
        "weekday_median": weekdays["median_response_hours"],
        "unmet": unmet,
        "focus_vs_chase": totals["focus_on_customers"] / totals["chase_newest"],
    }


def case_evidence(section: str) -> list[str]:
    """Numbers from the book's models that back a section of Cobble & Chain's plan.

    Channel shares are the case's assumptions; post counts come from the synthetic year of
    posts of Chapter 4; the strategy ratio from Chapter 2's simulator.
    """
    n = _case_numbers()
    names, summary = n["names"], n["summary"]
    if section == "where":
        top = sorted(n["shares"], key=n["shares"].get, reverse=True)[:3]
        gap = n["gap"]
        return [
            "Share of the shop's customers on each channel (the case's assumptions): "
            + ", ".join(f"{names[k]} {n['shares'][k]:.0%}" for k in top) + ".",
            f"A year of customer posts (synthetic, Chapter 4): most were in the "
            f"{names[gap]}, {summary.loc[gap, 'posts']:.0f} posts, of which the shop answered "
            f"{summary.loc[gap, 'response_rate']:.0%}; that is "
            f"{n['unanswered_share']:.0%} of all unanswered posts.",
        ]
    if section == "customers":
        need, count = n["unmet"].index[0], int(n["unmet"].iloc[0])
        from ..models import listening
        return [f"The need customers raised most that the shop does not meet: "
                f"{listening.TOPICS[need].label.lower()} ({count} posts in the year, synthetic)."]
    if section == "blindspots":
        scores = n["audit"]
        worst = scores.sort_values(ascending=False).index[:2]
        names = _blindspot_names()
        return ["Chapter 7's audit of the shop, from the evidence of Chapters 2 to 6 (0 = in "
                "sight, 100 = blind): most blind on "
                + " and ".join(f"{names[k].lower()} ({scores[k]:.0f})" for k in worst) + "."]
    if section == "channels":
        return [
            f"Chapter 2's simulator: focusing on the channels where most customers are earned "
            f"{n['focus_vs_chase']:.1f} times the value of chasing each new network.",
            f"WhatsApp: {summary.loc['whatsapp', 'response_rate']:.0%} of messages answered, "
            f"in a median of {summary.loc['whatsapp', 'median_response_hours']:.0f} hours. On all "
            f"channels together, Saturday posts wait a median of "
            f"{n['weekday_median']['Saturday']:.0f} hours for a reply, against "
            f"{n['weekday_median'].drop(['Saturday', 'Sunday']).min():.0f} to "
            f"{n['weekday_median'].drop(['Saturday', 'Sunday']).max():.0f} on weekdays.",
        ]
    return []


# --- the capstone worksheet -----------------------------------------------------------------------
def capstone_questions(business: str = "") -> tuple[ws.Question, ...]:
    """The capstone's questions: the first 90 days, and the business's facts when the plan is
    not for Cobble & Chain."""
    if not isinstance(business, str):
        raise TypeError(f"business must be a string; got {type(business).__name__}.")
    if is_case_business(business):
        return CAPSTONE_QUESTIONS
    return OWN_BUSINESS_QUESTIONS + CAPSTONE_QUESTIONS


def show(folder=None):
    """The capstone's "Your plan" worksheet (saved in ``my-strategy`` with the other chapters')."""
    kwargs = {} if folder is None else {"folder": folder}
    business = ""
    try:
        answers, _ = read_worksheets(folder)
        business = answers[STRATEGY].get("business", "")
    except ValueError:
        pass
    intro = ("Your plan is for " + (case.NAME if is_case_business(business) else
                                    _business_name(business))
             + ". (To change that, edit the first question of Chapter 3's “Your plan”.)")
    return ws.show(STRATEGY, CAPSTONE_TITLE, capstone_questions(business), intro=intro, **kwargs)


def status(folder=None):
    """A table of every answer the plan uses: chapter, question, and whether it is filled in."""
    import pandas as pd

    plan = assemble(folder, evidence=False)
    rows = [{"chapter": e.source.chapter, "part of the plan": e.label,
             "filled in": "yes" if not e.missing else "not yet"} for e in plan.entries]
    return pd.DataFrame(rows).sort_values("chapter", kind="stable").reset_index(drop=True)


# --- a filled-in example --------------------------------------------------------------------------
def sample_answers() -> dict[str, dict[str, str]]:
    """One good set of answers for Cobble & Chain: the team's answers held in the case
    (``case.SAMPLE_PLAN_ANSWERS``), with the numbers they quote filled in from the book's models.
    The sample plan in the book, and the "filled" case of the tests (also as ``SAMPLE_ANSWERS``)."""
    n = _case_numbers()
    summary, gap, evidence = n["summary"], n["gap"], n["evidence"]
    fields = {
        "group_posts": f"{summary.loc[gap, 'posts']:.0f}",
        "group_rate": f"{summary.loc[gap, 'response_rate']:.0%}",
        "group_gap_share": f"{n['unanswered_share']:.0%}",
        "unmet_posts": f"{int(n['unmet'].iloc[0])}",
        "saturday_hours": f"{n['weekday_median']['Saturday']:.0f}",
        "content_score": f"{n['audit']['social_content']:.0f}",
        "trust_score": f"{n['audit']['employee_trust']:.0f}",
        "helpful_share": f"{evidence['helpful_share']:.0%}",
        "filler_share": f"{evidence['filler_share']:.0%}",
    }
    return {sheet: {key: text.format(**fields) for key, text in answers.items()}
            for sheet, answers in case.SAMPLE_PLAN_ANSWERS.items()} | {AUDIT: {}}


def __getattr__(name):  # SAMPLE_ANSWERS is computed on first use: it needs the models
    if name == "SAMPLE_ANSWERS":
        return sample_answers()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: The date on the sample plan: the end of the month in which the book's story is set.
SAMPLE_DATE = date(2026, 1, 30)


def sample_plan() -> Plan:
    """The plan assembled from :data:`SAMPLE_ANSWERS` (written to a temporary folder)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="socialkit-sample-plan-") as folder:
        write_sample(folder)
        return assemble(folder, today=SAMPLE_DATE)


def write_sample(folder, *, only: tuple[str, ...] | None = None) -> list[Path]:
    """Write :data:`SAMPLE_ANSWERS` as worksheet files in ``folder`` (for the book's sample plan
    and the tests). ``only`` limits it to some keys of ``my-strategy`` and ``03-cobble-and-chain``."""
    folder = _folder(folder)
    written = []
    for name, answers in sample_answers().items():
        chosen = {k: v for k, v in answers.items() if only is None or k in only}
        if not chosen:
            continue
        questions = [ws.Question(k, k.replace("_", " ")) for k in chosen]
        sheet = ws.Worksheet(name, name, questions, folder=folder)
        for key, text in chosen.items():
            sheet.answers[key] = text
        sheet.save()
        written.append(sheet.path)
    if only is None:  # the audit's scores, as Chapter 7 computes them for the shop
        from ..models import blindspots
        scores = _case_numbers()["audit"]
        sheet = ws.Worksheet(AUDIT, AUDIT, [ws.Question(k, k) for k in scores.index], folder=folder)
        for key, score in scores.items():
            sheet.answers[key] = f"{score:.0f} ({blindspots.level(score)})"
        sheet.save()
        written.append(sheet.path)
    return written

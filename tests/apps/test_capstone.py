"""The capstone: the plan is assembled from the worksheets, and exported for a manager to read.

(a) :func:`plan.assemble` puts each saved answer in its place, shows a missing one as a gap that
    names its chapter, reads a damaged file as empty with a note, and asks a business of the
    student's choice for its facts;
(b) the free-text hours and the customer-weighted share are read and computed correctly;
(c) the export, on a filled and on a half-empty set of worksheets in temporary folders, writes
    Markdown, a self-contained HTML page and a PDF that pypdf reads back; without a browser the
    PDF says what to do instead and the other two are still written;
(d) the numbers the plan and the sample answers state are the models' own, and the book's sample
    page is current.
"""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialkit.data import case
from socialkit.apps import plan, report
from socialkit.interactive import worksheet

pypdf = pytest.importorskip("pypdf")

HALF = ("business", "ch2_channels", "ch4_findings", "ch6_objective", "customer", "asking")
TODAY = date(2026, 2, 14)
needs_browser = pytest.mark.skipif(report.find_browser() is None,
                                   reason="no Chromium-family browser to print with")


@pytest.fixture
def filled(tmp_path) -> Path:
    plan.write_sample(tmp_path)
    return tmp_path


@pytest.fixture
def half(tmp_path) -> Path:
    plan.write_sample(tmp_path, only=HALF)
    return tmp_path


def save(folder: Path, name: str, answers: dict[str, str]) -> None:
    sheet = worksheet.Worksheet(name, name, [worksheet.Question(k, k) for k in answers], folder=folder)
    sheet.answers.update(answers)
    sheet.save()


# --- (a) assembling --------------------------------------------------------------------------------
def test_filled_plan_puts_every_answer_in_its_place(filled):
    p = plan.assemble(filled, today=TODAY)
    assert p.is_case and p.business == case.NAME and not p.gaps and not p.notes
    assert p.prepared == "14 February 2026"
    sample = plan.SAMPLE_ANSWERS
    for entry in p.entries:
        assert entry.text == sample[entry.source.worksheet][entry.source.key], entry.label
    keys = {(e.source.worksheet, e.source.key) for e in p.entries}
    assert {(plan.STRATEGY, k) for k in plan.STRATEGY_SOURCES if k not in ("business",)} <= keys
    assert [s.title for s in p.sections] == [
        "Our customers and what they ask", "Where they are", "Channels and weekly hours",
        "What we post", "What we measure", "What we fix first", "The first 90 days"]
    assert p.hours == case.PLAN_HOURS[4]  # the sample follows the chapter 4 decision
    assert p.hours_source == "after listening (Chapter 4)"
    assert len(p.audit) == 7 and all(0 <= v <= 100 for v in p.audit.values())
    assert p.prepared_by.startswith("Prepared for Maya Okafor")


def test_half_empty_plan_shows_gaps_not_errors(half):
    p = plan.assemble(half, today=TODAY)
    present = {e.source.key for e in p.entries if not e.missing}
    assert present == {"ch2_channels", "ch4_findings", "ch6_objective", "customer", "asking"}
    assert len(p.gaps) == len(p.entries) - 5
    gap = next(e for e in p.gaps if e.source.key == "ch5_content_mix")
    assert gap.gap().startswith("To fill in: What will you post")
    assert "Chapter 5, Be social, not a billboard" in gap.gap()
    assert p.hours == {"maps": 2.0, "whatsapp": 2.0}  # Chapter 2's plan when 4's is missing
    assert p.hours_source == "before listening (Chapter 2)"
    assert p.summary().startswith("5 of 15 parts of the plan are filled in")


def test_empty_folder_gives_a_plan_of_gaps(tmp_path):
    p = plan.assemble(tmp_path)
    assert len(p.gaps) == len(p.entries) == 15 and p.hours == {} and p.audit == {}
    assert p.is_case and p.business == case.NAME


def test_damaged_worksheet_is_a_note_not_an_error(half):
    (half / f"{plan.CHAPTER3}{worksheet.SUFFIX}").write_text("{ not json", encoding="utf-8")
    p = plan.assemble(half)
    assert any("03-cobble-and-chain.answers.json could not be read" in n for n in p.notes)
    assert all(e.missing for e in p.entries if e.source.worksheet == plan.CHAPTER3)
    assert {e.source.key for e in p.entries if not e.missing} == {"ch2_channels", "ch4_findings",
                                                                  "ch6_objective"}
    assert "Note." in report.to_markdown(p)


def test_a_business_of_ones_own_asks_for_its_facts(tmp_path):
    save(tmp_path, plan.STRATEGY, {"business": "Bramble Bakery, Hove\nA small bakery",
                                   "ch8_team_hours": "Ana and Joe, 3 hours a week",
                                   "ch4_revised_channels": "Instagram 2 h; Nextdoor 1 hour"})
    p = plan.assemble(tmp_path)
    assert not p.is_case and p.business == "Bramble Bakery, Hove"
    facts = p.section("facts")
    assert [e.source.key for e in facts.entries] == ["ch8_business_facts", "ch8_team_hours",
                                                     "ch8_accounts"]
    assert [e.missing for e in facts.entries] == [True, False, True]
    assert all(not s.evidence for s in p.sections)  # the book's numbers are Cobble & Chain's
    assert p.hours == {"Instagram": 2.0, "Nextdoor": 1.0}
    questions = [q.key for q in plan.capstone_questions("Bramble Bakery")]
    assert questions[:3] == ["ch8_business_facts", "ch8_team_hours", "ch8_accounts"]
    assert [q.key for q in plan.capstone_questions("")] == ["ch8_first_90_days", "ch8_prepared_by"]
    assert plan.capstone_questions("Cobble & Chain Cycles") == plan.CAPSTONE_QUESTIONS


def test_the_capstone_worksheet_keeps_the_chapters_answers(half):
    box = plan.show(half)
    box.boxes["ch8_first_90_days"].value = "Month 1: answer in the group."
    saved = json.loads((half / f"{plan.STRATEGY}{worksheet.SUFFIX}").read_text())["answers"]
    assert saved["ch8_first_90_days"] == "Month 1: answer in the group."
    assert saved["ch2_channels"] == plan.SAMPLE_ANSWERS[plan.STRATEGY]["ch2_channels"]


def test_status_lists_every_part(half):
    table = plan.status(half)
    assert len(table) == 15 and (table["filled in"] == "yes").sum() == 5
    assert list(table["chapter"]) == sorted(table["chapter"])


def test_bad_arguments_say_what_is_wrong(tmp_path):
    with pytest.raises(ValueError, match="must be an existing folder"):
        plan.assemble(tmp_path / "missing")
    with pytest.raises(TypeError, match="plan must be a Plan"):
        report.to_markdown("a plan")
    with pytest.raises(ValueError, match="formats must be some of md, html, pdf"):
        report.export(plan.assemble(tmp_path), tmp_path, formats=("docx",))
    with pytest.raises(TypeError, match="business must be a string"):
        plan.capstone_questions(None)


# --- (b) hours and the customer-weighted share ------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Google Maps 1.5 h, WhatsApp 1.5 h, Lindenford Locals group 1 h",
     {"maps": 1.5, "whatsapp": 1.5, "locals_group": 1.0}),
    ("1.5 hours on Google Maps\n1,5 hours on WhatsApp\nLocals: 60 min",
     {"maps": 1.5, "whatsapp": 1.5, "locals_group": 1.0}),
    ("Maps 2h; whatsapp 2h. Nothing on TikTok or X until customers are there.",
     {"maps": 2.0, "whatsapp": 2.0}),
    ("Focus where our customers are.", {}),
    ("", {}),
])
def test_parse_hours_reads_common_ways_of_writing_them(text, expected):
    assert plan.parse_hours(text) == expected


def test_parse_hours_rejects_non_text():
    with pytest.raises(TypeError, match="text must be a string"):
        plan.parse_hours(None)


def test_customer_weighted_share():
    assert plan.customer_weighted_share({"maps": 1.5, "whatsapp": 1.5, "locals_group": 1.0}) \
        == pytest.approx((1.5 * 0.70 + 1.5 * 0.60 + 1.0 * 0.45) / 4)
    assert plan.customer_weighted_share({"tiktok": 4}) == pytest.approx(0.10)
    for bad, message in [({}, "non-empty dict"), ({"glint": 1}, "key must be one of"),
                         ({"maps": -1}, r"hours\['maps'\] must be a number"),
                         ({"maps": 0}, "more than 0 hours"), ({"maps": "2"}, "must be a number")]:
        with pytest.raises(ValueError, match=message):
            plan.customer_weighted_share(bad)


@given(st.dictionaries(st.sampled_from(case.CHANNEL_KEYS), st.floats(0.1, 40), min_size=1))
def test_weighted_share_lies_between_the_channels_shares(hours):
    shares = [case.channel(k).customer_share for k in hours]
    assert min(shares) - 1e-12 <= plan.customer_weighted_share(hours) <= max(shares) + 1e-12


# --- (c) the export ------------------------------------------------------------------------------------
class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.outside, self.images, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            if value and not value.startswith(("data:", "#")):
                self.outside.append(value)
        if tag == "img":
            self.images.append(attrs)
        if tag in ("script", "link", "iframe"):
            self.outside.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def read_html(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def pdf_text(path: Path) -> tuple[int, str]:
    reader = pypdf.PdfReader(path)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    """Text as a reader sees it: ligatures (the PDF's "ﬁ") split, runs of space made one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


@needs_browser
def test_export_of_a_filled_plan(filled):
    p = plan.assemble(filled, today=TODAY)
    files = report.export(p, filled)
    assert set(files) == {"md", "html", "pdf"} and all(isinstance(f, Path) for f in files.values())
    md = files["md"].read_text(encoding="utf-8")
    assert md.startswith("# Cobble & Chain Cycles: our social media strategy on one page")
    assert "To fill in" not in md and "| Google Maps reviews | 2 | 70% |" in md
    share = plan.customer_weighted_share(case.PLAN_HOURS[4])
    assert f"An average hour of this plan is spent where {share:.0%} of the shop's customers are." in md
    page = read_html(files["html"])
    assert not page.outside, f"the HTML page loads outside files: {page.outside}"
    assert len(page.images) == 2 and all(i["alt"] for i in page.images)  # hours and audit
    assert "The first 90 days" in "".join(page.text)
    pages, text = pdf_text(files["pdf"])
    assert pages == 1, "a filled-in plan fits on one A4 page"
    text = _flat(text)
    for phrase in ("Cobble & Chain Cycles: our social media strategy on one page",
                   "Channels and weekly hours", "The first 90 days", "Month 1: Maya answers"):
        assert phrase in text, phrase


@needs_browser
def test_export_of_a_half_empty_plan(half):
    p = plan.assemble(half, today=TODAY)
    files = report.export(p, half)
    md = files["md"].read_text(encoding="utf-8")
    assert md.count("*To fill in:") == 10 and "## Still to fill in (10)" in md
    page = read_html(files["html"])
    assert not page.outside and len(page.images) == 1  # hours from Chapter 2; no audit yet
    pages, text = pdf_text(files["pdf"])
    text = _flat(text)
    assert pages >= 1 and "To fill in: What will you do in the first 90 days?" in text
    assert "Still to fill in (10)" in text


def test_without_a_browser_the_pdf_says_what_to_do(half, monkeypatch):
    monkeypatch.setenv(report.BROWSER_ENV, str(half / "no-such-browser"))
    assert report.find_browser() is None
    p = plan.assemble(half)
    with pytest.raises(report.PdfUnavailable, match="choose Print, then Save as PDF"):
        report.to_pdf(p, half / "plan.pdf")
    files = report.export(p, half)
    assert files["md"].is_file() and files["html"].is_file()
    assert isinstance(files["pdf"], str) and "No PDF engine here" in files["pdf"]
    assert not (half / "my-strategy-plan.pdf").exists()


def test_export_while_the_book_builds_writes_nothing_here(half, monkeypatch):
    monkeypatch.setenv(worksheet.EPHEMERAL_ENV, "1")
    monkeypatch.chdir(half)
    files = report.export(plan.assemble(half), formats=("md",))
    assert files["md"].parent != half and not (half / "my-strategy-plan.md").exists()


def test_command_line_exports(half, tmp_path_factory, capsys):
    out = tmp_path_factory.mktemp("out")
    assert report.main([str(half), "--out", str(out), "--formats", "md,html"]) == 0
    assert (out / "my-strategy-plan.md").is_file() and (out / "my-strategy-plan.html").is_file()
    assert "5 of 15 parts" in capsys.readouterr().out
    assert report.main([str(half / "missing")]) == 2


# --- (d) the numbers are the models' ----------------------------------------------------------------
def test_case_evidence_states_the_models_numbers():
    from socialkit.models import organisations
    from socialkit.models import blindspots, channels, listening

    posts = listening.load_posts()
    summary = listening.channel_summary(posts)
    where = " ".join(plan.case_evidence("where"))
    assert f"{summary.loc['locals_group', 'posts']:.0f} posts" in where
    assert f"answered {summary.loc['locals_group', 'response_rate']:.0%}" in where
    totals = channels.simulate(channels.STRATEGIES).totals()
    ratio = totals["focus_on_customers"] / totals["chase_newest"]
    assert f"{ratio:.1f} times" in " ".join(plan.case_evidence("channels"))
    unmet = listening.unmet_needs(posts)
    assert f"({unmet.iloc[0]} posts" in plan.case_evidence("customers")[0]
    scores = blindspots.audit(organisations.cobble_and_chain_evidence(posts))
    worst = scores.sort_values(ascending=False)
    line = plan.case_evidence("blindspots")[0]
    assert f"({worst.iloc[0]:.0f})" in line and f"({worst.iloc[1]:.0f})" in line
    assert plan.case_evidence("first90") == []


def test_sample_answers_state_the_models_numbers():
    """The sample plan quotes results of Chapters 4, 5 and 7: a model change must update it."""
    from socialkit.models import organisations
    from socialkit.models import blindspots, listening

    posts = listening.load_posts()
    summary = listening.channel_summary(posts)
    mine = plan.SAMPLE_ANSWERS[plan.STRATEGY]
    findings = mine["ch4_findings"]
    assert f"({summary.loc['locals_group', 'posts']:.0f} posts" in findings
    assert f"we answered {summary.loc['locals_group', 'response_rate']:.0%}" in findings
    assert f"({listening.unmet_needs(posts)['early_repairs']} posts)" in findings
    saturday = listening.weekday_summary(posts).loc["Saturday", "median_response_hours"]
    assert f"about {saturday:.0f} hours" in findings
    evidence = organisations.cobble_and_chain_evidence(posts)["value"]
    scores = blindspots.audit(organisations.cobble_and_chain_evidence(posts))
    urgent = mine["ch7_urgent_blindspots"]
    assert f"only {evidence['helpful_share']:.0%} of our posts" in urgent
    assert f"{evidence['filler_share']:.0%} were filler" in urgent
    assert f"(audit score {scores['social_content']:.0f})" in urgent
    assert f"employees ({scores['employee_trust']:.0f})" in urgent
    assert blindspots.most_urgent(scores) == ["social_content", "employee_trust"]


def test_the_books_sample_page_is_current():
    committed = Path(__file__).resolve().parents[2] / report.SAMPLE_PAGE
    assert committed.read_text(encoding="utf-8") == report.sample_page(), \
        "book/sample-plan.md is out of date: run python -m socialkit.apps.report --sample"

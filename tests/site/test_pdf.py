"""`make pdf`: the whole book and one handout per chapter, printed by Chromium from the built
site (socialkit/site/pdf.py). Checked in the PDFs themselves, read back with pypdf: page
count, every chapter's title in the text layer, figures embedded, links between chapters
resolved inside the PDF, quizzes printed with their answers, no solutions unless asked for;
and the printed document fetches nothing from outside while it is drawn."""
from __future__ import annotations

import re

import pypdf
import pytest
import yaml

from support.browser import PageWatch, chromium, copy_site
from socialkit.site import pdf, pdfquiz

pytestmark = [pytest.mark.book, pytest.mark.browser]
ROOT = pdf.REPO


@pytest.fixture(scope="module")
def site(book_html, tmp_path_factory):
    return copy_site(book_html, tmp_path_factory.mktemp("book") / "html")


@pytest.fixture(scope="module")
def entries(site):
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return pdf.reading_order(toc)


@pytest.fixture(scope="module")
def written(site, tmp_path_factory):
    return pdf.build(site, tmp_path_factory.mktemp("pdf"))


def read(path) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(str(path))
    return reader, "\n".join(page.extract_text() or "" for page in reader.pages)


def norm(text: str) -> str:
    """Text with its line breaks undone: spaces collapsed, a hyphen at a line's end joined."""
    return " ".join(re.sub(r"-\s*\n", "-", text).split())


@pytest.fixture(scope="module")
def book(written):
    return read(written["book"])


def test_one_pdf_for_the_book_and_one_per_chapter(written, entries, site):
    lessons = sorted({e.chapter for e in entries if e.chapter.startswith("notebooks/")})
    assert len(lessons) == 9
    assert sorted(k for k in written if k != "book") == lessons
    for head in lessons:
        reader, text = read(written[head])
        assert len(reader.pages) >= 3, f"{head}'s handout has {len(reader.pages)} pages"
        assert norm(pdf.page_title(site, head)) in norm(reader.pages[0].extract_text())


def test_page_count_and_every_chapter_title_in_the_text_layer(book, site, entries):
    reader, text = book
    # a title page, the contents, then every printed page of the book starting on a page of its own
    assert len(entries) + 2 <= len(reader.pages) <= 400, len(reader.pages)
    contents = norm(reader.pages[1].extract_text() + reader.pages[2].extract_text())
    for entry in entries:
        title = norm(pdf.page_title(site, entry.page))
        assert title in norm(text), f"{title!r} ({entry.page}) is not in the PDF's text"
        assert title in contents, f"{title!r} is not in the contents"
    assert "Customers, Not Channels" in norm(reader.pages[0].extract_text())


def test_handouts_hold_their_chapter_only(written, site, entries):
    for head, path in written.items():
        if head == "book":
            continue
        _, text = read(path)
        own = [e for e in entries if e.chapter == head]
        others = [e for e in entries if e.chapter.startswith("notebooks/") and e.chapter != head]
        for entry in own:
            assert norm(pdf.page_title(site, entry.page)) in norm(text), (head, entry.page)
        contents = norm(pypdf.PdfReader(str(path)).pages[1].extract_text())
        for entry in others:
            assert norm(pdf.page_title(site, entry.page)) not in contents, (head, entry.page)


def top_level_explorers(site, page) -> int:
    models = pdf._widget_models((site / page).read_text(encoding="utf-8"))
    inside = {kid.removeprefix("IPY_MODEL_") for m in models.values() if m["model_name"] == "StackModel"
              for kid in m["state"].get("children", [])}
    return sum(1 for key, m in models.items() if m["model_name"] == "StackModel" and key not in inside)


def test_every_slider_prints_its_default_frame_and_description(written, site, entries, book):
    reader, text = book
    explorers = {e.page: top_level_explorers(site, e.page) for e in entries}
    assert sum(explorers.values()) >= 9
    images = sum(len(page.images) for page in reader.pages)
    assert images >= sum(explorers.values()), f"{images} images for {sum(explorers.values())} sliders"
    assert text.count("Figure, in words:") >= sum(explorers.values())
    for head, path in written.items():
        if head != "book" and explorers.get(head):
            handout = pypdf.PdfReader(str(path))
            assert sum(len(p.images) for p in handout.pages) >= explorers[head], head


def link_annotations(reader):
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                yield annotation


def test_links_between_chapters_resolve_inside_the_pdf(book, site, entries):
    reader, _ = book
    destinations = set(reader.named_destinations)
    internal = [a["/Dest"] for a in link_annotations(reader) if "/Dest" in a]
    outside = [a["/A"].get("/URI", "") for a in link_annotations(reader) if "/A" in a]
    assert len(internal) >= len(entries), "the contents alone links to every page"
    missing = {str(d) for d in internal if str(d).lstrip("/") not in {x.lstrip("/") for x in destinations}}
    assert not missing, f"links to destinations the PDF lacks: {sorted(missing)[:5]}"
    # every other link goes to the web (a source, a launch service), none to a file or the site
    assert not [u for u in outside if not re.match(r"^(https?|mailto):", str(u))], outside
    # A link in the prose from one chapter to another (Chapter 2's page links to Chapter 5's).
    chapter_links = [d for d in internal if str(d).lstrip("/").startswith("p-notebooks-")]
    assert chapter_links, "no link from one chapter to another became a link inside the PDF"


def test_quizzes_print_questions_and_answers_at_the_chapter_end(book, site, entries):
    _, text = book
    chapters_with_quiz = {e.chapter for e in entries
                          if "data-shufflequestions" in (site / e.page).read_text(encoding="utf-8")}
    assert len(chapters_with_quiz) >= 7
    assert norm(text).count("Answers to the quiz") == len(chapters_with_quiz)
    page = "notebooks/02-shiny-object-syndrome.html"
    source = (site / page).read_text(encoding="utf-8")
    quiz_id = re.search(r'<div id="([^"]+)" data-shufflequestions', source).group(1)
    questions = pdfquiz.questions_of(source, quiz_id)
    first = norm(questions[0]["question"])
    right = next(a for a in questions[0]["answers"] if a["correct"])
    body = norm(text)
    assert first in body
    # the right answer appears twice: among the printed choices, and in the answer key after them
    assert body.count(norm(right["answer"])) >= 2
    assert body.index(first) < body.rindex(norm(right["feedback"])[:60])


def test_exercises_without_solutions_unless_asked(book, site, tmp_path):
    _, text = book
    assert "Exercise 2" in text
    assert "BEGIN SOLUTION" not in text
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    teacher = [e for e in pdf.reading_order(toc, solutions=True) if e.page.startswith("book/solutions/")]
    assert teacher, "the toc has a solutions appendix"
    contents = norm(book[0].pages[1].extract_text() + book[0].pages[2].extract_text())
    for entry in teacher:
        assert norm(pdf.page_title(site, entry.page)) not in contents, entry.page
    with_solutions = pdf.build(site, tmp_path, solutions=True, handouts=False)
    reader, full = read(with_solutions["book"])
    assert with_solutions["book"].name == "customers-not-channels-with-solutions.pdf"
    for entry in teacher:
        assert norm(pdf.page_title(site, entry.page)) in norm(full), entry.page
    assert len(reader.pages) > len(book[0].pages)


def test_the_printed_document_fetches_nothing_from_outside(site, entries, tmp_path):
    source = pdf.document(site, entries, title="Customers, Not Channels", subtitle="test",
                          solutions=False)
    assert not re.search(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="https?://', source)
    path = tmp_path / "book.html"
    path.write_text(source, encoding="utf-8")
    with chromium() as browser:
        context = browser.new_context()
        watch = PageWatch(None).attach(context)  # file: and data: only
        try:
            page = context.new_page()
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000)
            page.evaluate("() => MathJax.startup.promise")
            watch.wait_quiet(page)
            raw = page.evaluate("() => document.querySelectorAll('.math:not(:has(mjx-container))').length")
        finally:
            context.close()
    assert not watch.outside_requests(), watch.outside_requests()
    assert not watch.problems(), watch.problems()
    assert raw == 0, f"{raw} formulas are not typeset in the printed document"

"""The whole book as one PDF, and one PDF per chapter as a handout: ``make pdf``.

    python -m socialkit.site.pdf [--site _build/html] [--out _build/pdf] [--solutions]

The built site (``make book``) is the source: each page's article, in the order of
``_toc.yml``, is put into one printable HTML document, which Chromium prints (the capstone's
helper, :func:`socialkit.apps.report.print_with_browser`). What the screen shows interactively
becomes paper:

* a slider shows its default frame, the slider's name and position, and the figure's text
  description (:func:`static_widget`);
* a quiz becomes numbered questions with lettered answers, and its answers, with their
  explanations, go to the end of the chapter (:mod:`socialkit.site.pdfquiz`);
* links to another page of the book become links inside the PDF; images are embedded;
* exercises show their questions; the solutions appendix and the instructor pages are printed
  only with ``--solutions`` (``make pdf SOLUTIONS=1``).

Everything the document needs is a local file or inside it: nothing is fetched while printing.
"""
from __future__ import annotations

import argparse
import base64
import html
import json
import mimetypes
import posixpath
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..data.paths import REPO
from . import pdfquiz
from ..apps.report import PdfUnavailable, find_browser, print_with_browser

SITE = REPO / "_build" / "html"
OUT = REPO / "_build" / "pdf"
BOOK_STEM = "customers-not-channels"
#: Pages printed only with --solutions: the answers and the instructors' part.
TEACHER_ONLY = ("book/solutions/", "book/instructor-guide", "book/rubrics/")
#: Waiting for MathJax to typeset before printing (Chromium's virtual time, not wall time).
MATHS_BUDGET_MS = 30_000


@dataclass
class Entry:
    """One page of the book in reading order: its built path and the chapter it belongs to."""
    page: str
    part: str
    chapter: str  # the toc entry that heads its chapter (itself for a chapter page)

    @property
    def key(self) -> str:
        return page_key(self.page)


def page_key(page: str) -> str:
    """An id for a built page, usable as an HTML id and a PDF destination.

    >>> page_key("notebooks/02-shiny-object-syndrome.html")
    'p-notebooks-02-shiny-object-syndrome'
    """
    return "p-" + re.sub(r"[^A-Za-z0-9-]+", "-", page.removesuffix(".html")).strip("-")


def reading_order(toc: dict, *, solutions: bool = False) -> list[Entry]:
    """The book's pages in the order of ``toc`` (as read from _toc.yml).

    >>> toc = {"root": "book/intro", "parts": [{"caption": "Chapters", "chapters": [
    ...     {"file": "notebooks/01-a", "sections": [{"file": "exercises/student/01-a/01-a"}]}]},
    ...     {"caption": "Appendix", "chapters": [{"file": "book/solutions/01-a"}, {"file": "book/references"}]}]}
    >>> [(e.page, e.chapter) for e in reading_order(toc)]  # doctest: +NORMALIZE_WHITESPACE
    [('book/intro.html', 'book/intro.html'), ('notebooks/01-a.html', 'notebooks/01-a.html'),
     ('exercises/student/01-a/01-a.html', 'notebooks/01-a.html'),
     ('book/references.html', 'book/references.html')]
    """
    def html_of(file: str) -> str:
        return re.sub(r"\.(md|ipynb)$", "", file) + ".html"

    entries = [Entry(html_of(toc["root"]), "", html_of(toc["root"]))]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            head = html_of(chapter["file"])
            entries.append(Entry(head, part.get("caption", ""), head))
            entries += [Entry(html_of(section["file"]), part.get("caption", ""), head)
                        for section in chapter.get("sections", [])]
    if solutions:
        return entries
    return [entry for entry in entries if not entry.page.startswith(TEACHER_ONLY)]


# --- one page's article, made printable ---------------------------------------------------------
def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _widget_models(text: str) -> dict:
    found = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>',
                      text, re.S)
    return json.loads(found.group(1))["state"] if found else {}


def static_widget(model_id: str, models: dict) -> str:
    """A widget as paper shows it: a slider's name and position, a stack's shown child, an
    HTML widget's content with each figure's description below it, a text box's label."""
    model = models.get(model_id)
    if model is None:
        return ""
    name, state = model["model_name"], model["state"]
    kids = [kid.removeprefix("IPY_MODEL_") for kid in state.get("children") or []]
    if name == "StackModel":
        index = state.get("selected_index") or 0
        return static_widget(kids[index], models) if kids else ""
    if name in {"VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"}:
        return "".join(static_widget(kid, models) for kid in kids)
    if "Slider" in name or name in {"DropdownModel", "ToggleButtonsModel", "RadioButtonsModel"}:
        labels = state.get("_options_labels") or []
        index = state.get("index")
        value = labels[index] if labels and isinstance(index, int) else state.get("value")
        options = f" (one of {', '.join(labels)})" if labels else ""
        return (f'<p class="control"><strong>{html.escape(state.get("description", ""))}</strong> '
                f'{html.escape(str(value))}{html.escape(options)}</p>')
    if name == "HTMLModel":
        value = state.get("value", "")
        alts = re.findall(r'<img[^>]*\balt="([^"]*)"', value)
        described = "".join(f'<p class="figure-text"><em>Figure, in words:</em> {alt}</p>'
                            for alt in alts)
        return f'<div class="widget-html">{value}</div>{described}'
    if name in {"TextareaModel", "TextModel"}:
        label = state.get("description") or state.get("placeholder") or "Your answer"
        return f'<div class="answer-box"><span>{html.escape(label)}</span></div>'
    return ""


def _resolve(page: str, href: str) -> tuple[str, str]:
    """The site path and the fragment a link on ``page`` points at."""
    parts = urlsplit(href)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) \
        if parts.path else page
    return target, parts.fragment


def _rewrite_links(article, entry: Entry, printed: dict[str, str]) -> None:
    """Links to printed pages point inside the PDF; links to other pages of the site become
    plain text; links to the web stay."""
    for link in article.find_all("a", href=True):
        href = link["href"]
        if urlsplit(href).scheme in {"http", "https", "mailto"}:
            continue
        target, fragment = _resolve(entry.page, href)
        if target in printed:
            link["href"] = "#" + (f"{printed[target]}--{fragment}" if fragment else printed[target])
        else:
            link.unwrap()


def _embed_images(article, site: Path, entry: Entry) -> None:
    for image in article.find_all("img", src=True):
        if image["src"].startswith("data:"):
            continue
        path = site / _resolve(entry.page, image["src"])[0]
        if path.is_file():
            image["src"] = _data_uri(path)
        image.attrs.pop("loading", None)


def printable_article(site: Path, entry: Entry, printed: dict[str, str], quizzes: list,
                      *, solutions: bool) -> str:
    """The article of one built page as printable HTML (widgets, quizzes, links, images done);
    the page's quiz questions are appended to ``quizzes`` for the chapter's answers."""
    from bs4 import BeautifulSoup

    text = (site / entry.page).read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "html.parser")
    article = soup.find("article", class_="bd-article")
    models = _widget_models(text)
    for view in article.find_all("script", type="application/vnd.jupyter.widget-view+json"):
        model_id = json.loads(view.string)["model_id"]
        view.replace_with(BeautifulSoup(static_widget(model_id, models), "html.parser"))
    for number, quiz in enumerate(article.find_all("div", attrs={"data-shufflequestions": True})):
        questions = pdfquiz.questions_of(text, quiz.get("id", ""))
        first = sum(len(q) for q in quizzes) + 1
        quizzes.append(questions)
        quiz.replace_with(BeautifulSoup(pdfquiz.printed_questions(questions, first), "html.parser"))
    selectors = ["a.headerlink", "button", "script", "style", ".copybtn", "div.toggle-hidden"]
    if not solutions:
        selectors += [".solution", "div.solution"]
    for selector in selectors:
        for element in article.select(selector):
            element.decompose()
    for element in article.find_all(id=True):
        element["id"] = f"{entry.key}--{element['id']}"
    _rewrite_links(article, entry, printed)
    _embed_images(article, site, entry)
    return f'<section class="page" id="{entry.key}">{article.decode_contents()}</section>'


def page_title(site: Path, page: str) -> str:
    """A built page's title: its first heading, without the link mark."""
    text = (site / page).read_text(encoding="utf-8")
    found = re.search(r"<h1>(.*?)</h1>", text, re.S)
    title = re.sub(r"<[^>]+>", "", found.group(1)) if found else page
    return html.unescape(title).rstrip("#").strip()


# --- the document ---------------------------------------------------------------------------------
PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
body { font-variant-ligatures: none; font-family: "DejaVu Serif", Georgia, serif; font-size: 10.5pt; line-height: 1.45; color: #111; }
h1, h2, h3, h4, .quiz-title, .title-page { font-family: "DejaVu Sans", Arial, sans-serif; }
h1 { font-size: 20pt; margin: 0 0 0.6em 0; }
h2 { font-size: 14pt; margin-top: 1.2em; } h3 { font-size: 12pt; }
h2, h3, h4 { break-after: avoid; }
section.page + section.page { break-before: page; }
.title-page { break-after: page; text-align: center; padding-top: 30%; }
.title-page h1 { font-size: 30pt; } .title-page p { font-size: 13pt; color: #444; }
nav.contents { break-after: page; } nav.contents ol { list-style: none; padding-left: 0; }
nav.contents li li { padding-left: 1.5em; } nav.contents a { color: #111; text-decoration: none; }
nav.contents .part { font-weight: bold; margin-top: 0.8em; }
a { color: #0b5394; }
img { max-width: 100%; height: auto; break-inside: avoid; }
pre { white-space: pre-wrap; font-size: 8.5pt; background: #f4f4f4; padding: 0.5em; border-radius: 3px; break-inside: avoid; }
code { font-size: 90%; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 9.5pt; break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; }
.admonition, div.quiz, .answer-box { border: 1px solid #bbb; border-left: 4px solid #0072B2; padding: 0.3em 0.8em;
  margin: 0.8em 0; break-inside: avoid; }
.admonition-title, .quiz-title { font-weight: bold; margin: 0.2em 0; }
.answer-box { min-height: 4em; border-left-color: #999; color: #555; }
.control { margin: 0.3em 0; font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9.5pt; }
.figure-text { font-size: 9pt; color: #333; margin-top: 0.2em; }
.quiz-note { font-size: 9pt; color: #555; }
.answers { break-before: page; }
.cell_output .output.stderr, .tag_remove-cell, .toggle-hidden { display: none; }
"""
MATHJAX_CONFIG = {  # as the site's (myst-nb's classes), plus the parts the site loads
    "loader": {"load": ["input/tex", "output/chtml"]},
    "options": {"processHtmlClass": "tex2jax_process|mathjax_process|math|output_area",
                "ignoreHtmlClass": "tex2jax_ignore|mathjax_ignore"},
}


def _contents(entries: list[Entry], titles: dict[str, str]) -> str:
    items, part = [], None
    for entry in entries:
        if entry.part != part and entry.part:
            items.append(f'<li class="part">{html.escape(entry.part)}</li>')
        part = entry.part
        indent = entry.page != entry.chapter
        link = f'<a href="#{entry.key}">{html.escape(titles[entry.page])}</a>'
        items.append(f"<li><ol><li>{link}</li></ol></li>" if indent else f"<li>{link}</li>")
    return f'<nav class="contents"><h1>Contents</h1><ol>{"".join(items)}</ol></nav>'


def document(site: Path, entries: list[Entry], *, title: str, subtitle: str,
             solutions: bool) -> str:
    """The printable HTML of ``entries``: title page, contents, chapters with their quiz answers."""
    site = Path(site)
    titles = {entry.page: page_title(site, entry.page) for entry in entries}
    printed = {entry.page: entry.key for entry in entries}
    body, quizzes = [], []
    for number, entry in enumerate(entries):
        body.append(printable_article(site, entry, printed, quizzes, solutions=solutions))
        last_of_chapter = number + 1 == len(entries) or entries[number + 1].chapter != entry.chapter
        if last_of_chapter:
            body.append(pdfquiz.answer_key(quizzes, f"{page_key(entry.chapter)}--answers"))
            quizzes = []
    startup = (site / "_static" / "vendor" / "mathjax" / "startup.js").resolve().as_uri()
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{PRINT_CSS}</style>",
        f"<script>window.MathJax = {json.dumps(MATHJAX_CONFIG)};</script>",
        f'<script defer src="{startup}"></script></head><body>',
        f'<div class="title-page"><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p>'
        f'<p>{time.strftime("%d %B %Y")}</p></div>',
        _contents(entries, titles), *body, "</body></html>"])


# --- printing -------------------------------------------------------------------------------------
#: Chromium waits (in virtual time) for MathJax; every host but none is unknown to it, so a
#: stray outside address cannot be fetched; headings become the PDF's outline.
PRINT_ARGS = (f"--virtual-time-budget={MATHS_BUDGET_MS}", "--host-resolver-rules=MAP * ~NOTFOUND",
              "--generate-pdf-document-outline")


def print_document(source: str, pdf_path: Path, *, browser: str | None = None,
                   timeout: float = 300.0) -> Path:
    """Print the HTML ``source`` to ``pdf_path`` with Chromium (the capstone report's helper)."""
    browser = browser or find_browser()
    if not browser:
        raise PdfUnavailable("make pdf needs Chromium, Google Chrome or Microsoft Edge "
                             "(on Debian: apt-get install chromium).")
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="socialkit-book-pdf-") as tmp:
        html_path = Path(tmp) / (pdf_path.stem + ".html")
        html_path.write_text(source, encoding="utf-8")
        print_with_browser(browser, html_path, pdf_path, timeout, PRINT_ARGS)
    return pdf_path


def chapters(entries: list[Entry]) -> dict[str, list[Entry]]:
    """The handouts: each lesson (``notebooks/``) with the pages under it, by lesson page."""
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.chapter.startswith("notebooks/"):
            grouped.setdefault(entry.chapter, []).append(entry)
    return grouped


def build(site: Path = SITE, out: Path = OUT, *, solutions: bool = False,
          handouts: bool = True) -> dict[str, Path]:
    """Write the book's PDF and (with ``handouts``) one PDF per chapter; return {name: path}."""
    import yaml

    site, out = Path(site), Path(out)
    if not (site / "_static").is_dir():
        raise FileNotFoundError(f"{site} is not a built book: run `make book` first.")
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    entries = [e for e in reading_order(toc, solutions=solutions) if (site / e.page).is_file()]
    edition = "with solutions, for instructors" if solutions else "student edition"
    book_title = page_title(site, entries[0].page)
    written = {}
    stem = BOOK_STEM + ("-with-solutions" if solutions else "")
    written["book"] = print_document(
        document(site, entries, title=book_title, subtitle=f"The whole book, {edition}",
                 solutions=solutions), out / f"{stem}.pdf")
    if handouts:
        for head, pages in chapters(entries).items():
            title = page_title(site, head)
            written[head] = print_document(
                document(site, pages, title=title, subtitle=f"{book_title}: a chapter handout",
                         solutions=solutions),
                out / "chapters" / (Path(head).stem + ("-with-solutions" if solutions else "") + ".pdf"))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialkit.site.pdf", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, default=SITE, help="the built book (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write (default: %(default)s)")
    parser.add_argument("--solutions", action="store_true",
                        help="print the solutions appendix and the instructor pages too")
    parser.add_argument("--no-handouts", action="store_true", help="only the whole book")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        written = build(args.site, args.out, solutions=args.solutions, handouts=not args.no_handouts)
    except (FileNotFoundError, PdfUnavailable, RuntimeError) as err:
        print(err, file=sys.stderr)
        return 1
    for path in written.values():
        print(f"Wrote {path}")
    print(f"{len(written)} PDF(s) in {time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

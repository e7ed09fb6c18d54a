"""The book builds with warnings as errors, and its pages load nothing from another host."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
LESSON = HTML / "notebooks" / "01-ignorance-arrogance-irrelevance.html"

pytestmark = pytest.mark.book

# Attributes that make a browser fetch something when the page loads.
LOADED = {("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"),
          ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data")}
LINK_RELS_LOADED = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                    "shortcut icon", "apple-touch-icon"}


class ResourceFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for (t, attr) in LOADED:
            if tag == t and attrs.get(attr):
                self.loaded.append(attrs[attr])
        if tag == "link" and attrs.get("href") and (attrs.get("rel") or "").lower() in LINK_RELS_LOADED:
            self.loaded.append(attrs["href"])
        if attrs.get("style"):
            self.loaded.extend(re.findall(r"url\(\s*['\"]?([^'\")]+)", attrs["style"]))


def is_external(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url.strip(), re.I))


@pytest.fixture(scope="module")
def built_book(book_html):
    return book_html  # built once per session in conftest.py


def test_pages_exist(built_book):
    for page in ["index.html", "book/intro.html", "book/how-to-use.html", "book/references.html",
                 "book/instructor-guide.html", "notebooks/01-ignorance-arrogance-irrelevance.html",
                 "exercises/student/01-ignorance-arrogance-irrelevance/01-ignorance-arrogance-irrelevance.html",
                 "book/solutions/01-ignorance-arrogance-irrelevance.html"]:
        assert (built_book / page).is_file(), page


def test_no_page_loads_anything_from_another_host(built_book):
    offenders = []
    for page in built_book.rglob("*.html"):
        finder = ResourceFinder()
        finder.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page.relative_to(built_book)}: {url}" for url in finder.loaded if is_external(url)]
    for sheet in (built_book / "_static").rglob("*.css"):
        for url in re.findall(r"(?:url\(|@import\s+)\s*['\"]?([^'\")\s]+)", sheet.read_text(errors="ignore")):
            if is_external(url):
                offenders.append(f"{sheet.relative_to(built_book)}: {url}")
    assert not offenders, "\n".join(offenders[:40])


def test_lesson_page_serves_its_own_widget_manager_and_mathjax(built_book):
    page = LESSON.read_text(encoding="utf-8")
    assert "_static/vendor/html-manager/embed.js" in page
    # MathJax's start-up part, which loads the parts _config.yml lists from beside it
    assert "_static/vendor/mathjax/startup.js" in page
    assert (built_book / "_static/vendor/html-manager/embed.js").is_file()
    for part in ("startup", "input/tex", "output/chtml", "a11y/assistive-mml"):
        assert (built_book / f"_static/vendor/mathjax/{part}.js").is_file(), part


def test_lesson_page_carries_widget_state_and_quiz(built_book):
    page = LESSON.read_text(encoding="utf-8")
    state = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>',
                      page, re.S)
    assert state, "widget state is not embedded in the page"
    models = json.loads(state.group(1))["state"]
    names = {m["model_name"] for m in models.values()}
    assert {"SelectionSliderModel", "StackModel", "HTMLModel", "LinkModel"} <= names
    views = re.findall(r'application/vnd.jupyter.widget-view\+json', page)
    assert len(views) >= 2
    assert "Check your understanding" in page and "var questionsquiz_" in page


def test_student_exercise_page_has_no_solutions(built_book):
    page = (built_book / "exercises/student/01-ignorance-arrogance-irrelevance/"
            "01-ignorance-arrogance-irrelevance.html").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in page and "BEGIN TESTS" not in page

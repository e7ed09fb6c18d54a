"""The static book in a real browser: offline, every widget live, every quiz answering,
accessible, no broken link, within its weight budget.

Debian's Chromium, driven by Playwright for Python, loads every page of the built book from a
local server on 127.0.0.1 with every other host cut off. The tests discover the pages (from
``_toc.yml``), the widgets and the quizzes (from each page itself), so a new chapter is
covered without new test code.
"""
from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from support.browser import AXE_JS, NOT_READY, PAGE_READY, PageWatch, serve, site_pages

ROOT = Path(__file__).resolve().parents[2]
LINKCHECK_OUT = ROOT / "_build" / "linkcheck"

# No skipping when Chromium is missing: the browser fixture fails, saying what to install.
pytestmark = [pytest.mark.browser, pytest.mark.book]


def toc_pages() -> list[str]:
    """Every page the book has, as the built .html path, read from _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({key: value for key, value in toc.items() if key != "root"})
    return [re.sub(r"\.(md|ipynb)$", "", page) + ".html" for page in found]


PAGES = toc_pages()
NOTEBOOK_PAGES = [page for page in PAGES if (ROOT / page).with_suffix(".ipynb").is_file()]


# --- opening a page -----------------------------------------------------------------------------
# Helpers the tests call inside the page: what a figure shows, which controls a page has.
KIT_JS = r"""
window.__kit = {
  visible(el) {
    return el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  },
  // Number every widget area and control, so the test can address each one.
  controls() {
    const kinds = [['.widget-slider', 'slider'], ['.widget-dropdown', 'dropdown'],
                   ['.widget-toggle-buttons', 'toggle buttons'], ['.widget-radio', 'radio buttons'],
                   ['.widget-select', 'select'], ['.widget-select-multiple', 'multiple select']];
    const found = [];
    document.querySelectorAll('.widget-subarea').forEach((root, r) => {
      root.dataset.kitRoot = r;
      for (const [selector, kind] of kinds) {
        root.querySelectorAll(selector).forEach(control => {
          if (control.dataset.kitControl !== undefined) return;
          control.dataset.kitControl = found.length;
          const label = control.querySelector('.widget-label');
          found.push({index: found.length, root: r, kind,
                      label: (label ? label.textContent.trim() : '') || `${kind} ${found.length + 1}`});
        });
      }
    });
    return found;
  },
  // What the figure linked to a control shows now: its visible images and texts.
  figure(root) {
    const area = document.querySelector(`[data-kit-root="${root}"]`);
    const images = Array.from(area.querySelectorAll('img')).filter(img => this.visible(img))
      .map(img => ({alt: (img.getAttribute('alt') || '').trim(),
                    src: (img.getAttribute('src') || '').length + ':' + (img.getAttribute('src') || '').slice(-80)}));
    const texts = Array.from(area.querySelectorAll('.widget-html-content, .widget-output'))
      .filter(el => this.visible(el)).map(el => el.innerText.trim()).filter(Boolean);
    return JSON.stringify({images, texts});
  },
  readout(control) {
    const el = document.querySelector(`[data-kit-control="${control}"] .widget-readout`);
    return el ? el.textContent.trim() : null;
  },
  quizzes() {
    return Array.from(document.querySelectorAll('div[data-shufflequestions]')).map(div => ({
      id: div.id,
      questions: window['questions' + div.id] || null,
      shuffleQuestions: div.dataset.shufflequestions === 'True',
      shuffleAnswers: div.dataset.shuffleanswers === 'True',
      shown: Array.from(div.querySelectorAll('.Quiz')).map(wrap => ({
        id: wrap.id, qnum: Number(wrap.dataset.qnum),
        text: (wrap.querySelector('[id^="quizQn"]') || {innerText: ''}).innerText,
        answers: Array.from(wrap.querySelectorAll('label.MCButton')).map(label => ({
          id: label.id, text: label.innerText})),
      })),
    }));
  },
};
"""


def _norm(text: str) -> str:
    return " ".join((text or "").split())


def wait_ready(page, what: str, watch: PageWatch) -> None:
    """Wait until the page's widgets, quizzes and maths are drawn; fail naming what is not,
    and what the page logged (usually the reason)."""
    try:
        page.wait_for_function(PAGE_READY, timeout=20_000)
    except Exception:  # Playwright's TimeoutError: say what never appeared, and why
        not_ready = page.evaluate(NOT_READY)
        pytest.fail(f"{what} is not fully drawn after 20 s: " + "; ".join(not_ready)
                    + "".join(f"\n  {problem}" for problem in watch.problems()))


@contextlib.contextmanager
def opened(browser, url: str, *, origin: str | None, color_scheme: str = "light"):
    """Open ``url`` in a fresh context (empty cache) cut off from every host but ``origin``."""
    context = browser.new_context(color_scheme=color_scheme,
                                  viewport={"width": 1280, "height": 900})
    watch = PageWatch(origin).attach(context)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(url, wait_until="load")
        wait_ready(page, url, watch)
        page.evaluate(KIT_JS)
        yield page, watch
    finally:
        context.close()


def page_source(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


# --- the site as a whole ------------------------------------------------------------------------
def test_every_built_page_is_in_the_toc(site):
    """The tests below cover the pages _toc.yml lists; the build must hold exactly those."""
    assert sorted(site_pages(site)) == sorted(PAGES), (
        "The built book and _toc.yml list different pages; every page must be in _toc.yml "
        "(only_build_toc_files) so that these tests cover it.")
    index = page_source(site, "index.html")
    target = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', index)
    assert target and target.group(1) == PAGES[0], "index.html should forward to the first page"


# --- offline: nothing from another host, no console error, maths rendered -----------------------
RAW_TEX_JS = r"""
() => {
  const walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                           NodeFilter.SHOW_TEXT);
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest('pre, code, script, style, textarea, mjx-container, .highlight')) continue;
    if (/\\\(|\\\)|\\\[|\\\]|\$\$/.test(node.textContent)) found.push(node.textContent.trim().slice(0, 80));
  }
  return found;
}
"""


def offline_problems(tab, watch: PageWatch, site: Path, page: str) -> list[str]:
    """What a reader without internet would find broken on the open page: requests to other
    hosts or that fail, console errors, maths not typeset, widgets not drawn."""
    pending = watch.wait_quiet(tab, timeout_ms=60_000)  # generous: CI machines are shared
    problems = [f"request never ended: {url}" for url in pending]
    problems += [f"maths not typeset: {text!r}" for text in tab.evaluate(RAW_TEX_JS)]
    problems += [f"MathJax error: {text!r}" for text in tab.locator("mjx-merror").all_inner_texts()]
    broken_widgets = tab.get_by_text(re.compile(r"Error (displaying|rendering) widget")).count()
    if broken_widgets:
        problems.append(f"{broken_widgets} widget(s) show an error instead of the widget")
    widget_views = page_source(site, page).count("application/vnd.jupyter.widget-view+json")
    drawn = tab.locator(".widget-subarea > .jupyter-widgets").count()
    if drawn < widget_views:
        problems.append(f"only {drawn} of the page's {widget_views} widgets are drawn")
    return problems + watch.problems()


def test_pages_work_from_file_urls(browser, site):
    """The built folder opened straight from disk: everything draws, nothing is fetched."""
    failures = []
    for page in PAGES:
        with opened(browser, (site / page).as_uri(), origin=None) as (tab, watch):
            pass  # opened() waits until widgets, quizzes and maths are drawn
        failures += [f"{page}: {problem}" for problem in watch.problems()]
    assert not failures, "\n".join(failures)


# --- every widget live: mouse and keyboard ------------------------------------------------------
class Slider:
    """An ipywidgets slider (noUiSlider): a handle with role="slider"."""

    def __init__(self, tab, index):
        self.tab = tab
        self.handle = tab.locator(f'[data-kit-control="{index}"] [role="slider"]')
        self.track = tab.locator(f'[data-kit-control="{index}"] .noUi-base')

    def _aria(self, name) -> int:
        return round(float(self.handle.get_attribute(name)))

    def positions(self) -> int:
        return self._aria("aria-valuemax") - self._aria("aria-valuemin") + 1

    def position(self) -> int:
        return self._aria("aria-valuenow") - self._aria("aria-valuemin")

    def key_first(self):
        self.handle.focus()
        self.tab.keyboard.press("Home")

    def key_next(self):
        self.handle.focus()
        self.tab.keyboard.press("ArrowRight")

    def mouse_to(self, position: int):
        box, handle = self.track.bounding_box(), self.handle.bounding_box()
        x = box["x"] + box["width"] * position / (self.positions() - 1)
        y = handle["y"] + handle["height"] / 2
        self.tab.mouse.move(handle["x"] + handle["width"] / 2, y)
        self.tab.mouse.down()
        self.tab.mouse.move(x, y, steps=8)
        self.tab.mouse.up()


class Dropdown:
    """An ipywidgets dropdown: a <select>."""

    def __init__(self, tab, index):
        self.tab = tab
        self.select = tab.locator(f'[data-kit-control="{index}"] select')

    def positions(self) -> int:
        return self.select.evaluate("s => s.options.length")

    def position(self) -> int:
        return self.select.evaluate("s => s.selectedIndex")

    def key_first(self):
        self.select.focus()
        self.tab.keyboard.press("Home")

    def key_next(self):
        self.select.focus()
        self.tab.keyboard.press("ArrowDown")

    def mouse_to(self, position: int):
        self.select.select_option(index=position)


DRIVERS = {"slider": Slider, "dropdown": Dropdown}


def _wait_for(tab, expression: str, arg, what: str, timeout: int = 5_000):
    try:
        tab.wait_for_function(expression, arg=arg, timeout=timeout)
    except Exception:
        pytest.fail(what)


def _figure(tab, root) -> str:
    return tab.evaluate("root => window.__kit.figure(root)", root)


def _check_alt(figure: str, where: str) -> None:
    images = json.loads(figure)["images"]
    unnamed = [image["src"][-30:] for image in images if not image["alt"]]
    assert not unnamed, f"{where}: an image of the figure has no alt text"


def operate(tab, control: dict, page: str) -> list[str]:
    """Walk a control through every position by keyboard, then jump back with the mouse.

    Every step must change the linked figure, show a different figure from every other
    position, and give each visible image a text alternative. The mouse must bring back the
    figure the keyboard showed at that position.
    """
    where = f"{page}, {control['kind']} {control['label']!r}"
    driver = DRIVERS[control["kind"]](tab, control["index"])
    root = control["root"]
    count = driver.positions()
    assert count >= 2, f"{where} has {count} position(s): nothing to explore"

    before = _figure(tab, root)
    if driver.position() != 0:
        driver.key_first()
        _wait_for(tab, "([root, before]) => window.__kit.figure(root) !== before", [root, before],
                  f"{where}: the Home key did not change the figure")
    assert driver.position() == 0, f"{where}: the Home key did not go to the first position"
    seen = [_figure(tab, root)]
    readouts = [tab.evaluate("c => window.__kit.readout(c)", control["index"])]
    for step in range(1, count):
        driver.key_next()
        _wait_for(tab, "([root, before]) => window.__kit.figure(root) !== before",
                  [root, seen[-1]],
                  f"{where}: pressing the arrow key (to position {step + 1} of {count}) did "
                  "not change the figure")
        assert driver.position() == step, f"{where}: the arrow key did not move one position"
        seen.append(_figure(tab, root))
        readouts.append(tab.evaluate("c => window.__kit.readout(c)", control["index"]))
    for position, figure in enumerate(seen):
        _check_alt(figure, f"{where}, position {position + 1}")
    assert len(set(seen)) == count, f"{where}: two positions show the same figure"
    if readouts[0] is not None:
        assert len(set(readouts)) == count, f"{where}: the readout does not follow the slider"

    driver.mouse_to(0)
    _wait_for(tab, "([root, wanted]) => window.__kit.figure(root) === wanted", [root, seen[0]],
              f"{where}: moving it back to the start with the mouse did not bring back the "
              "first figure")
    return seen


@pytest.mark.parametrize("page", PAGES)
def test_every_widget_is_live(browser, base_url, site, page):
    if "application/vnd.jupyter.widget-view+json" not in page_source(site, page):
        return  # no widget on this page (without embedded widget views nothing can draw one)
    with opened(browser, base_url + page, origin=base_url) as (tab, watch):
        controls = tab.evaluate("() => window.__kit.controls()")
        movable = re.findall(r'"_model_name": ?"(\w*(?:Slider|Dropdown|ToggleButtons|RadioButtons|Select)\w*Model)"',
                             page_source(site, page))
        if not controls and not movable:
            return  # widgets without a control to move (e.g. a worksheet's text boxes)
        assert controls, f"{page} embeds {', '.join(sorted(set(movable)))}, but the test found no control to move"
        unknown = [c for c in controls if c["kind"] not in DRIVERS]
        assert not unknown, (
            f"{page} has controls the test cannot operate yet: "
            + ", ".join(f"{c['kind']} {c['label']!r}" for c in unknown)
            + ". Add a driver for them to DRIVERS in tests/browser/test_browser.py.")
        for control in controls:
            operate(tab, control, page)
    assert not watch.problems(), "\n".join(watch.problems())


def test_widget_drivers_operate_every_control_kind(browser, site, tmp_path):
    """The drivers above work on every kind of control they claim, not only on the kinds the
    book uses today: a page of our own with a dropdown and a slider, each linked to a figure."""
    import ipywidgets as widgets
    from ipywidgets.embed import embed_data

    def explorer(control):
        frames = [widgets.HTML(f'<img alt="frame {n}" src="data:image/svg+xml;utf8,<svg xmlns='
                               f'%22http://www.w3.org/2000/svg%22 width=%2240%22 height=%2220%22>'
                               f'<text y=%2215%22>{n}</text></svg>">') for n in range(3)]
        stack = widgets.Stack(frames, selected_index=0)
        widgets.jslink((control, "index"), (stack, "selected_index"))
        return widgets.VBox([control, stack])

    views = [explorer(widgets.Dropdown(options=[("a", 0), ("b", 1), ("c", 2)], description="Pick")),
             explorer(widgets.SelectionSlider(options=[("x", 0), ("y", 1), ("z", 2)], description="Move"))]
    data = embed_data(views=views)
    cells = "".join(f'<div class="cell_output"><script type="application/vnd.jupyter.widget-view+json">'
                    f"{json.dumps(spec)}</script></div>" for spec in data["view_specs"])
    (tmp_path / "_static").symlink_to(site / "_static")
    (tmp_path / "controls.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Controls</title>'
        '<script src="_static/vendor/html-manager/embed.js"></script></head><body><main>'
        '<script type="application/vnd.jupyter.widget-state+json">'
        f'{json.dumps(data["manager_state"])}</script>{cells}</main></body></html>')
    with serve(tmp_path) as url, opened(browser, url + "controls.html", origin=url) as (tab, watch):
        controls = tab.evaluate("() => window.__kit.controls()")
        assert sorted(c["kind"] for c in controls) == ["dropdown", "slider"], controls
        for control in controls:
            operate(tab, control, "controls.html")
    assert not watch.problems(), "\n".join(watch.problems())


# --- every quiz answers -------------------------------------------------------------------------
QUIZ_TYPES = ("multiple_choice", "many_choice")


def _match(shown: list[dict], wanted: str, index: int, shuffled: bool, what: str) -> dict:
    """The shown item whose text is ``wanted`` (or, when not shuffled, the one at ``index``)."""
    for item in shown:
        if _norm(item["text"]) == _norm(wanted):
            return item
    if not shuffled and index < len(shown):
        return shown[index]  # its text is typeset maths or markup; the order is fixed
    pytest.fail(f"{what}: {wanted!r} is not on the page")


def _feedback(tab, question_id: str):
    return tab.locator(f"#{question_id} .Feedback")


def _expect_feedback(tab, question_id, answer, correct: bool, how: str, where: str):
    wanted = "correct" if correct else "incorrect"
    feedback = _feedback(tab, question_id)
    _wait_for(tab, "([id, cls]) => document.querySelector(`#${id} .Feedback`).classList.contains(cls)",
              [question_id, wanted],
              f"{where}: {how} the {'right' if correct else 'wrong'} answer {answer['answer']!r} "
              f"did not mark the answer {wanted}")
    text = feedback.inner_text()
    if "$" not in answer["feedback"]:
        assert _norm(text) == _norm(answer["feedback"]), (
            f"{where}: {how} {answer['answer']!r} showed {text!r}, "
            f"not its feedback {answer['feedback']!r}")
    else:
        assert _norm(text), f"{where}: {how} {answer['answer']!r} showed no feedback"


@pytest.mark.parametrize("page", PAGES)
def test_every_quiz_answers(browser, base_url, site, page):
    if "data-shufflequestions" not in page_source(site, page):
        return  # no quiz on this page
    with opened(browser, base_url + page, origin=base_url) as (tab, watch):
        quizzes = tab.evaluate("() => window.__kit.quizzes()")
        assert quizzes, f"{page} embeds a quiz, but the test found none"
        for quiz in quizzes:
            where = f"{page}, quiz #{quiz['id']}"
            questions = quiz["questions"]
            assert questions, (f"{where}: its questions are not in the page as "
                               f"var questions{quiz['id']} (how socialkit.interactive.quiz.show embeds them)")
            assert len(quiz["shown"]) == len(questions), (
                f"{where} shows {len(quiz['shown'])} of its {len(questions)} questions")
            for number, question in enumerate(questions):
                what = f"{where}, question {number + 1}"
                assert question["type"] in QUIZ_TYPES, (
                    f"{what} is of type {question['type']!r}; the test answers only {QUIZ_TYPES}")
                shown = _match(quiz["shown"], question["question"], number,
                               quiz["shuffleQuestions"], what)
                answers = shown["answers"]
                wrong = next(i for i, a in enumerate(question["answers"]) if not a.get("correct"))
                right = next(i for i, a in enumerate(question["answers"]) if a.get("correct"))
                wrong_label = _match(answers, question["answers"][wrong]["answer"], wrong,
                                     quiz["shuffleAnswers"], what)
                right_label = _match(answers, question["answers"][right]["answer"], right,
                                     quiz["shuffleAnswers"], what)
                # The wrong answer with the keyboard (Tab to its radio button, Space) ...
                tab.locator(f'[id="{wrong_label["id"]}"] input').focus()
                tab.keyboard.press("Space")
                _expect_feedback(tab, shown["id"], question["answers"][wrong], False,
                                 "choosing with the keyboard", what)
                # ... and the right one with the mouse.
                tab.locator(f'[id="{right_label["id"]}"]').click()
                _expect_feedback(tab, shown["id"], question["answers"][right], True,
                                 "clicking", what)
    assert not watch.problems(), "\n".join(watch.problems())


# --- accessible, in light and dark mode ---------------------------------------------------------
AXE_RUN = """
async (context) => {
  // Colours settle once transitions end (a chosen quiz answer fades to its colour).
  await Promise.all(document.getAnimations()
    .filter(animation => animation.effect && animation.effect.getComputedTiming().endTime !== Infinity)
    .map(animation => animation.finished.catch(() => null)));
  const result = await axe.run(context || document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact}: ${v.id} (${v.help}) at ` +
              v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' [' +
                (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160) + ']').join('; '));
}
"""
UNNAMED_IMAGES_JS = """
() => Array.from(document.querySelectorAll('main img, main svg[role="img"], main [role="img"]'))
  .filter(el => !el.closest('[aria-hidden="true"]'))  // decorative icons, hidden from readers
  .filter(el => !(el.getAttribute('alt') || el.getAttribute('aria-label') ||
                  el.getAttribute('aria-labelledby') || el.getAttribute('title') || '').trim())
  .map(el => el.outerHTML.slice(0, 120))
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page", PAGES)
def test_page_works_offline_and_is_accessible(browser, base_url, site, page, scheme):
    """One visit per page and colour scheme checks both (each visit costs seconds): the page as
    a reader without internet sees it, then axe-core's accessibility rules."""
    with opened(browser, base_url + page, origin=base_url, color_scheme=scheme) as (tab, watch):
        offline = offline_problems(tab, watch, site, page)
        theme = tab.evaluate("document.documentElement.dataset.theme")
        assert theme == scheme, f"{page}: the theme shows {theme} mode when the reader prefers {scheme}"
        tab.add_script_tag(path=str(AXE_JS))  # inlined from node_modules: no request
        violations = tab.evaluate(AXE_RUN, None)
        unnamed = tab.evaluate(UNNAMED_IMAGES_JS)
        # Quiz feedback appears only after an answer: answer each question wrongly, check again.
        quizzes = tab.locator(".Quiz")
        for n in range(quizzes.count()):
            quizzes.nth(n).locator("label.MCButton[data-correct='false']").first.click()
        if quizzes.count():
            violations += tab.evaluate(AXE_RUN, {"include": [[".Quiz"]]})
    assert not offline, f"{page} offline, in {scheme} mode:\n  " + "\n  ".join(offline)
    problems = [f"axe {v}" for v in dict.fromkeys(violations)]
    problems += [f"image without a text alternative: {html}" for html in unnamed]
    assert not problems, f"{page} in {scheme} mode:\n  " + "\n  ".join(problems)


# --- links: no broken internal link or anchor; external links listed, not fetched --------------
class LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def _parse(path: Path) -> LinkFinder:
    finder = LinkFinder()
    finder.feed(path.read_text(encoding="utf-8"))
    return finder


def test_no_broken_internal_link_or_anchor(site):
    """Every link in every built page (theme, prose and notebook outputs alike) that stays
    inside the book reaches an existing file and, when it names an anchor, that anchor."""
    parsed = {path: _parse(path) for path in site.rglob("*.html")
              if not path.relative_to(site).parts[0].startswith((".", "_sources"))}
    broken, external = [], set()
    for path, finder in parsed.items():
        page_url = path.relative_to(site).as_posix()
        for href in finder.links:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto", "tel") or href.startswith("//"):
                external.add(href)
                continue
            if parts.scheme or href.startswith("javascript:"):
                continue
            resolved = urlsplit(urljoin("http://book/" + page_url, href))
            target = (site / unquote(resolved.path.lstrip("/"))) if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page_url}: {href} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page_url}: {href} (no anchor #{parts.fragment})")
    LINKCHECK_OUT.mkdir(parents=True, exist_ok=True)
    (LINKCHECK_OUT / "external-links.txt").write_text("\n".join(sorted(external)) + "\n")
    print(f"{len(external)} external links (listed in {LINKCHECK_OUT / 'external-links.txt'}, "
          "not fetched):\n  " + "\n  ".join(sorted(external)))
    assert not broken, "Broken links in the built book:\n  " + "\n  ".join(sorted(set(broken)))


LINKCHECK = textwrap.dedent("""
    import sys
    from pathlib import Path
    from jupyter_book.sphinx import build_sphinx
    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    sys.exit(build_sphinx(root, out / "output", noconfig=True, path_config=str(root / "_config.yml"),
                          doctreedir=out / ".doctrees", builder="linkcheck",
                          confoverrides={"external_toc_path": str(root / "_toc.yml"),
                                         "latex_individualpages": False,
                                         "linkcheck_ignore": [r"^(https?:)?//"]},
                          quiet=True))
""")


def test_sphinx_linkcheck_finds_no_broken_link(book_html):
    """Sphinx's own linkcheck, with every external link listed as ignored (there is no
    network to fetch it from): no local link may be broken."""
    LINKCHECK_OUT.mkdir(parents=True, exist_ok=True)
    run = subprocess.run([sys.executable, "-c", LINKCHECK, str(ROOT), str(LINKCHECK_OUT)],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    report = LINKCHECK_OUT / "output" / "output.json"
    assert report.is_file(), f"linkcheck wrote no report:\n{run.stdout[-3000:]}{run.stderr[-3000:]}"
    results = [json.loads(line) for line in report.read_text().splitlines() if line.strip()]
    broken = [f"{r['filename']}:{r['lineno']}: {r['uri']} {r['info']}" for r in results
              if r["status"] == "broken"]
    assert not broken, "Sphinx linkcheck found broken links:\n  " + "\n  ".join(broken)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    ignored = sorted({r["uri"] for r in results if r["status"] == "ignored"})
    print(f"linkcheck listed {len(ignored)} external links without fetching them:\n  "
          + "\n  ".join(ignored))


# --- download and launch buttons ----------------------------------------------------------------
@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_download_and_launch_buttons_point_at_the_notebook(site, page):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo_url = config["repository"]["url"].rstrip("/")
    branch = config["repository"].get("branch", "main")
    owner_repo = urlsplit(repo_url).path.strip("/")
    notebook = page[:-len(".html")] + ".ipynb"
    hrefs = _parse(site / page).links

    download = [h for h in hrefs if h.endswith("_sources/" + notebook)]
    assert download, f"{page}: no download link to its .ipynb"
    assert (site / page).parent.joinpath(download[0]).resolve().is_file(), (
        f"{page}: the download link {download[0]} points at no file")

    launch = config.get("launch_buttons", {})
    wanted = {
        "binderhub_url": f"{launch.get('binderhub_url', '').rstrip('/')}/v2/gh/{owner_repo}/"
                         f"{branch}?urlpath=lab/tree/{notebook}",
        "colab_url": f"{launch.get('colab_url', '').rstrip('/')}/github/{owner_repo}/blob/"
                     f"{branch}/{notebook}",
        "jupyterhub_url": f"{launch.get('jupyterhub_url', '').rstrip('/')}/hub/user-redirect/"
                          f"git-pull?repo=",
    }
    for key, url in wanted.items():
        if not launch.get(key):
            continue
        matches = [h for h in hrefs if h.startswith(url)]
        assert matches, f"{page}: no {key.split('_')[0]} launch button opening {url}"
        if key == "jupyterhub_url":
            assert f"urlpath=lab/tree/{owner_repo.split('/')[-1]}/{notebook}" in matches[0], matches[0]
            assert f"branch={branch}" in matches[0], matches[0]


def test_binder_installs_the_kit():
    """Binder builds from binder/: the pinned requirements, then socialkit itself."""
    requirements = (ROOT / "binder" / "requirements.txt").read_text().split()
    assert "../requirements.txt" in requirements, "binder/requirements.txt must -r ../requirements.txt"
    post_build = ROOT / "binder" / "postBuild"
    assert post_build.stat().st_mode & 0o111, "binder/postBuild must be executable"
    assert "pip install" in post_build.read_text() and "-e ." in post_build.read_text()
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


# Page weight: tests/browser/test_pageweight.py (every page's first visit within its budget).

""""Try it in your browser" end to end: the book's notebooks run in JupyterLite (Pyodide) in
headless Chromium, with every request to a host other than the local server refused.

One book build (the shared ``book_html`` fixture, which includes the in-browser Python) and one
browser context for the module, as a reader would have: chapter 0 runs top to bottom with its
checked outputs equal to the book's (computed by CPython when the book was built) and a figure;
exercise 0 with the solutions typed in passes the kit's checks, *File ▸ Download* hands the
student a valid notebook with those answers and checks (which the kit's grader scores in full),
and the typed work is still there after a reload (JupyterLite keeps it in the browser's storage);
chapter 1's explorer sliders, moved with the mouse and the keyboard, show the figure of each new
value. The solutions are those of the exercise's master
(exercises/00-python-for-this-book.ipynb, otter's ``# BEGIN SOLUTION`` blocks).
"""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from socialkit.course.grading import batch
from socialkit.course.grading.intake.autograder import available_assignments
from support.browser import (PageWatch, chromium, copy_site, serve, visible_figure,
                             wait_for_change)
from support.grading import quick_limits

pytestmark = [pytest.mark.browser, pytest.mark.book]

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_S = 420  # Pyodide's first start, then every cell; typically 20-60 s here
#: What JupyterLite 0.5 itself logs on every start, harmless: an uncaught error of its contents
#: manager when the kernel looks for a file that is not there (Python's import system probing the
#: notebook's folder); JupyterLab's warning that no language pack is installed (English is built
#: in); two menu entries its notebook view registers twice; and *File ▸ Download*, which the site
#: adds as a default of the main menu's settings (socialkit/site/lite.py, ``DOWNLOAD_MENU``): the
#: settings merge that default with itself and warn, the menu shows it once.
KNOWN_LITE_MESSAGES = ("reading 'last_modified'", "Language pack 'en' not installed",
                       "Menu entry for command 'filemenu:close-and-cleanup' is duplicated",
                       "Menu entry for command 'application:close' is duplicated",
                       "Menu entry for command 'docmanager:download' is duplicated")
#: Chromium asks every site for /favicon.ico by itself; the book has none (not this test's subject).
ROOT_FAVICON = re.compile(r"http://127\.0\.0\.1:\d+/favicon\.ico\b")


@pytest.fixture(scope="module")
def site(book_html, tmp_path_factory):
    site = copy_site(book_html, tmp_path_factory.mktemp("lite-site") / "html")
    assert (site / "lite" / "static" / "pyodide" / "pyodide.asm.wasm").is_file(), \
        "make book did not build the in-browser Python into lite/"
    with serve(site) as base_url:
        yield site, base_url


@pytest.fixture(scope="module")
def browser_context(site):
    with chromium() as browser:
        context = browser.new_context()
        watch = PageWatch(site[1]).attach(context)
        yield context, watch
        context.close()


def open_from_book(context, base_url: str, page_path: str):
    """Open a book page and follow its "Try it in your browser" link; return the lite page."""
    page = context.new_page()
    page.goto(base_url + page_path)
    link = page.locator(".lite-launch a")
    assert link.count() == 1, f"{page_path} has no Try-it link"
    assert "browser's storage" in page.locator(".lite-launch").inner_text()
    link.click()
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60_000)
    wait_for_kernel(page)
    return page


def wait_for_kernel(page) -> None:
    """Wait until every cell is drawn and Python has started (the kernel says it is idle)."""
    started, cells, steady = time.monotonic(), -1, 0
    status = page.locator(".jp-NotebookKernelStatus, .jp-Notebook-ExecutionIndicator")
    while time.monotonic() - started < RUN_TIMEOUT_S:
        page.wait_for_timeout(1000)
        count = page.locator(".jp-Cell").count()
        steady, cells = (steady + 1 if count == cells else 0), count
        text = " ".join(status.evaluate_all("nodes => nodes.map(n => n.textContent)"))
        if steady >= 2 and "Idle" in text and "Connecting" not in text and "Unknown" not in text:
            return
    pytest.fail(f"Python did not start in the browser in {RUN_TIMEOUT_S} s ({text!r})")


def run_all(page) -> float:
    """Run every cell from the Run menu; return the seconds until the last one finished."""
    wait_for_kernel(page)
    started = time.monotonic()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    while time.monotonic() - started < RUN_TIMEOUT_S:
        page.wait_for_timeout(1000)
        # (a cell with its input hidden shows no prompt; a queued one shows [*])
        texts = [t for t in prompts.evaluate_all("nodes => nodes.map(n => n.textContent)") if t.strip()]
        if texts and not any("*" in text for text in texts):
            if all(re.search(r"\[\d+\]", text) for text in texts):
                return time.monotonic() - started
            if time.monotonic() - started > 10:  # Run All stopped: a cell raised an error
                errors = [cell["text"][-800:] for cell in cell_outputs(page) if cell["error"]]
                pytest.fail(f"a cell failed in the browser: {errors}")
    pytest.fail(f"the notebook did not finish in {RUN_TIMEOUT_S} s: prompts {prompts.all_inner_texts()}")


def cell_outputs(page) -> list[dict]:
    """Each code cell's source and the text of its outputs, and whether one is an error."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.jp-CodeCell')).map(cell => ({
        source: cell.querySelector('.cm-content') ? cell.querySelector('.cm-content').innerText : '',
        text: Array.from(cell.querySelectorAll('.jp-OutputArea-output')).map(o => o.innerText).join('\\n'),
        stdout: Array.from(cell.querySelectorAll('[data-mime-type="application/vnd.jupyter.stdout"]'))
                     .map(o => o.innerText).join('\\n'),
        error: cell.querySelector('[data-mime-type="application/vnd.jupyter.error"]') !== null,
        images: cell.querySelectorAll('.jp-OutputArea-output img').length}))""")


def assert_clean_run(page, watch, book_page: Path) -> list[dict]:
    """No cell failed, the checked outputs are the book's, and nothing left the local server."""
    cells = cell_outputs(page)
    failed = [cell["source"][:80] for cell in cells if cell["error"]]
    assert not failed, f"cells that raised an error in the browser: {failed}"
    book_text = " ".join(BeautifulSoup(book_page.read_text(encoding="utf-8"), "html.parser")
                         .get_text(" ").split())
    # the cells nbval checks, or (in a notebook without any) every cell that prints
    checked = ([cell for cell in cells if "NBVAL_CHECK_OUTPUT" in cell["source"]]
               or [cell for cell in cells if cell["stdout"]])
    assert checked, "no cell printed anything"
    for cell in checked:
        for line in filter(None, (" ".join(line.split()) for line in cell["stdout"].splitlines())):
            assert line in book_text, f"the browser printed {line!r}, the book (CPython) did not"
    assert any(cell["images"] for cell in cells), "no figure was drawn"
    assert watch.outside_requests() == [], watch.outside_requests()
    problems = [p for p in watch.problems() if not any(k in p for k in KNOWN_LITE_MESSAGES)
                and not ROOT_FAVICON.search(p)]
    assert not problems, "\n".join(problems)
    return cells


def master_solutions(stem: str) -> list[str]:
    """The solution cells of an exercise master, as a student would type them."""
    master = json.loads((ROOT / "exercises" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    cells, solutions, inside = master["cells"], [], False
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "raw" and source.strip() in ("# BEGIN SOLUTION", "# END SOLUTION"):
            inside = source.strip() == "# BEGIN SOLUTION"
            continue
        if inside and cell["cell_type"] == "code":
            lines = [re.sub(r"\s*# SOLUTION$", "", line) for line in source.splitlines()
                     if line.strip() not in ("# BEGIN SOLUTION", "# END SOLUTION")]
            solutions.append("\n".join(lines))
    return solutions


def type_into_cell(page, first_line: str, text: str) -> None:
    editor = page.locator(".jp-CodeCell .cm-content", has_text=first_line).first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(text)


def test_chapter_0_runs_in_the_browser(site, browser_context):
    context, watch = browser_context
    page = open_from_book(context, site[1], "notebooks/00-python-for-this-book.html")
    seconds = run_all(page)
    cells = assert_clean_run(page, watch, site[0] / "notebooks" / "00-python-for-this-book.html")
    text = "\n".join(cell["text"] for cell in cells)
    assert "Each of the 3 people gets 80.0 minutes a week." in text
    assert "❌ Hint" in text  # the chapter shows what a failed check looks like, on purpose
    print(f"chapter 0 ran in the browser in {seconds:.0f} s")
    page.close()


@pytest.mark.grading
def test_exercise_0_checks_pass_in_the_browser_and_the_work_persists_and_downloads(
        site, browser_context, assign_dir, tmp_path):
    context, watch = browser_context
    page = open_from_book(context, site[1],
                          "exercises/student/00-python-for-this-book/00-python-for-this-book.html")
    solutions = master_solutions("00-python-for-this-book")
    assert len(solutions) == 4
    for solution in solutions:
        type_into_cell(page, solution.splitlines()[0], solution)
    run_all(page)
    cells = cell_outputs(page)
    assert not [cell["source"][:80] for cell in cells if cell["error"]]
    results = "\n".join(cell["text"] for cell in cells if "grader.check" in cell["source"])
    for question in ("q1", "q2", "q3", "q4"):
        assert f"{question}: ✅ all checks passed." in results, results
    assert "❌" not in results
    # handing in, as README and book/how-to-use.md tell a student: File ▸ Download, with no save
    # first (the command saves), gives a valid notebook with the typed answers and their checks
    downloaded = download_notebook(page, tmp_path)
    # named after its place in the site, as book/how-to-use.md says
    assert downloaded.name == ("exercises_student_00-python-for-this-book_"
                               "00-python-for-this-book.ipynb")
    notebook = nbformat.read(downloaded, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    sources = "\n".join(cell.source for cell in code)
    for solution in solutions:
        assert solution in sources, f"the downloaded notebook lacks the typed answer {solution!r}"
    printed = "\n".join(output.get("text", "") + output.get("data", {}).get("text/plain", "")
                        for cell in code for output in cell.outputs)
    for question in ("q1", "q2", "q3", "q4"):
        assert f"{question}: ✅ all checks passed." in printed, printed
    # handed in, the kit's grader (what `make grade` runs, with otter) gives it full marks
    handed_in = tmp_path / "submissions" / "student"
    handed_in.mkdir(parents=True)
    shutil.copy(downloaded, handed_in)
    graded = batch.grade_class(available_assignments(assign_dir)["00-python-for-this-book"],
                               handed_in.parent, tmp_path / "grades", limits=quick_limits(),
                               workers=1, progress=False)
    row = graded.by_student["student"]
    assert row["status"] == "ok" and row["total"] == row["possible"], row
    # Download saved the notebook in the browser's storage: it is still there after a reload
    page.reload()
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60_000)
    wait_for_kernel(page)
    sources = page.locator(".jp-CodeCell .cm-content").all_inner_texts()
    assert any("return weekly_hours * 60 / people" in source for source in sources)
    assert watch.outside_requests() == []
    page.close()


def download_notebook(page, folder: Path) -> Path:
    """File ▸ Download in the in-browser notebook; returns the file the browser saved."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^File$")).first.click()
    entry = page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Download$"))
    assert entry.count() == 1, f"the File menu has {entry.count()} Download entries"
    with page.expect_download(timeout=30_000) as download:
        entry.click()
    name = download.value.suggested_filename
    assert name.endswith(".ipynb"), f"File ▸ Download gave {name!r}, not a notebook"
    path = folder / name
    download.value.save_as(path)
    return path


def drag_to_far_end(page, slider) -> None:
    """Drag a slider's knob with the mouse to the end of its track farther from it."""
    slider.scroll_into_view_if_needed()  # the mouse acts in the window; Run All scrolled away
    handle = slider.locator('[role="slider"]')
    at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
    box, knob = slider.locator(".noUi-base").bounding_box(), handle.bounding_box()
    y = knob["y"] + knob["height"] / 2
    page.mouse.move(knob["x"] + knob["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + (0 if at_end else box["width"]), y, steps=8)
    page.mouse.up()


def test_a_lesson_with_widgets_runs_and_its_sliders_change_the_figure(site, browser_context):
    """Chapter 1's explorer (socialkit/interactive/widgets.py, ``explorer``): each slider, moved
    with the mouse or an arrow key, shows the figure drawn for its new value. The first slider
    picks a Stack of Stacks, the second turns every inner Stack, both through ``jslink`` in the
    page; the readout and the figure's alt text print the value alike (the lesson's slider
    formats and socialkit/figures/adoption.py, ``describe_adoption``)."""
    context, watch = browser_context
    page = open_from_book(context, site[1], "notebooks/01-ignorance-arrogance-irrelevance.html")
    run_all(page)
    assert_clean_run(page, watch, site[0] / "notebooks" / "01-ignorance-arrogance-irrelevance.html")
    explorer = page.locator(".jp-OutputArea-output", has=page.locator(".widget-slider")).first
    explorer.wait_for(timeout=30_000)
    sliders = explorer.locator(".widget-slider")
    assert sliders.count() == 2, "chapter 1's first explorer has a slider for p and one for q"
    figure = visible_figure(explorer)
    assert len(json.loads(figure)) == 1, "the explorer should show one figure at a time"
    moves = [(index, "mouse") for index in range(sliders.count())] + [(0, "arrow key")]
    for index, move in moves:
        slider = sliders.nth(index)
        readout = slider.locator(".widget-readout")
        label, value = slider.locator(".widget-label").inner_text(), readout.inner_text()
        if move == "mouse":
            drag_to_far_end(page, slider)
        else:  # the arrow keys belong to the focused slider, not to the notebook's shortcuts
            handle = slider.locator('[role="slider"]')
            at_start = handle.get_attribute("aria-valuenow") == handle.get_attribute(
                "aria-valuemin")
            handle.focus()
            page.keyboard.press("ArrowRight" if at_start else "ArrowLeft")
        figure = wait_for_change(page, explorer, figure, f"moving the slider {label!r} ({move}) "
                                 "did not change the figure in the browser")
        shown = json.loads(figure)
        assert len(shown) == 1, "the explorer should show one figure at a time"
        assert readout.inner_text() != value, f"the readout of {label!r} did not follow ({move})"
        assert re.search(rf"= {re.escape(readout.inner_text())}\b", shown[0][0]), \
            f"{label!r} reads {readout.inner_text()} but the figure shows {shown[0][0]!r}"
    page.close()

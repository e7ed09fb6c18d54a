"""The kit in JupyterLab, as a student uses it: a real server, real kernels, a real browser.

JupyterLab runs on 127.0.0.1 with a random token over a private copy of the lesson and student
notebooks; Debian's Chromium, driven by Playwright, opens the Chapter 1 lesson, runs every cell,
moves a slider and answers the quiz, then opens the Chapter 1 exercise, types a correct answer,
runs its check and sees it pass, then a wrong one and sees the friendly failure.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.browser import PageWatch, free_port, visible_figure, wait_for_change
from support.prose import glossary_terms

ROOT = Path(__file__).resolve().parents[2]
LESSON = "notebooks/01-ignorance-arrogance-irrelevance.ipynb"
EXERCISE = ("exercises/student/01-ignorance-arrogance-irrelevance/"
            "01-ignorance-arrogance-irrelevance.ipynb")
JUPYTER_LAB = Path(sys.executable).with_name("jupyter-lab")

# No skipping when Chromium is missing: the browser fixture fails, saying what to install.
pytestmark = pytest.mark.browser

#: JupyterLab settings for a quiet, predictable test session: no news pop-up; every cell kept in
#: the page (not only the visible ones) so the test can find any of them; and the notebook's own
#: kernel started without asking (when kernel specs load slowly, JupyterLab may otherwise show
#: "Select Kernel" even though the notebook names its kernel).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none", "autoStartDefaultKernel": True},
}
SERVER_CONFIG = {"LabApp": {"news_url": None,
                            "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}}

# What a student types for question 1: the Bass formula, then the same without its return.
CORRECT_Q1 = '''def bass_F(t, p, q):
    """Share of customers who have moved to the connected channel by time t (years)."""
    decay = np.exp(-(p + q) * t)
    return (1 - decay) / (1 + q / p * decay)
'''
WRONG_Q1 = '''def bass_F(t, p, q):
    """Share of customers who have moved to the connected channel by time t (years)."""
    decay = np.exp(-(p + q) * t)
    share = (1 - decay) / (1 + q / p * decay)
'''


@dataclass
class Lab:
    url: str
    token: str
    runtime_dir: Path
    log: Path

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _get(url: str, timeout: float = 2.0):
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1
        return response.status, response.read()


def _stop(process: subprocess.Popen, lab: Lab) -> None:
    """Shut JupyterLab and its kernels down: politely, then by process group, then by pid."""
    try:
        request = urllib.request.Request(f"{lab.url}api/shutdown?token={lab.token}", method="POST")
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - 127.0.0.1
        process.wait(timeout=20)
    except Exception:
        pass
    if process.poll() is None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=10)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue
    # Kernels run in sessions of their own: end any that outlived the server, by pid. They are
    # ours when their connection file lies in this server's private runtime folder.
    import psutil

    for proc in psutil.process_iter(["pid", "cmdline"]):
        if any(str(lab.runtime_dir) in part for part in (proc.info["cmdline"] or [])):
            try:
                proc.kill()
            except psutil.Error:
                pass


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a copy of the lessons and student exercises."""
    base = tmp_path_factory.mktemp("lab")
    work = base / "work"
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    shutil.copytree(ROOT / "notebooks", work / "notebooks", ignore=ignore)
    shutil.copytree(ROOT / "exercises" / "student", work / "exercises" / "student", ignore=ignore)
    for name, value in LAB_SETTINGS.items():
        path = base / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    (base / "config").mkdir()
    (base / "config" / "jupyter_server_config.json").write_text(json.dumps(SERVER_CONFIG))
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(base / "config"),
               JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"))
    token, log = secrets.token_hex(16), base / "jupyterlab.log"
    for attempt in range(2):  # a port taken between choosing and binding it: try once more
        port = free_port()
        command = [str(JUPYTER_LAB), "--no-browser", "--ServerApp.ip=127.0.0.1", f"--port={port}",
                   "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
                   f"--ServerApp.root_dir={work}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # CI containers run as root
        with log.open("w") as out:
            process = subprocess.Popen(command, cwd=work, env=env, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        server = Lab(f"http://127.0.0.1:{port}/", token, base / "runtime", log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if _get(f"{server.url}api/status?token={token}")[0] == 200:
                    break
            except OSError:
                time.sleep(0.25)
        else:
            _stop(process, server)
            if attempt == 0:
                continue
            pytest.fail("JupyterLab did not start within 60 s:\n" + server.log_tail())
        break
    try:
        yield server
    finally:
        _stop(process, server)


# --- driving JupyterLab -------------------------------------------------------------------------
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
KERNEL_IDLE = f'{PANEL} .jp-Notebook-ExecutionIndicator[data-status="idle"]'
#: True once no cell is running or queued, and either every code cell has run or one failed.
RUN_FINISHED = """
(panel) => {
  const root = document.querySelector(panel);
  if (!root) return false;
  const indicator = root.querySelector('.jp-Notebook-ExecutionIndicator');
  if (!indicator || indicator.dataset.status !== 'idle') return false;
  // A cell whose source is collapsed (the hidden set-up cell) shows a placeholder, no prompt.
  const prompts = Array.from(root.querySelectorAll('.jp-CodeCell .jp-InputArea .jp-InputPrompt'))
    .map(prompt => prompt.textContent.trim());
  if (prompts.some(prompt => prompt.includes('*'))) return false;
  const failed = root.querySelector('[data-mime-type="application/vnd.jupyter.error"]');
  return Boolean(failed) || prompts.every(prompt => /\\[\\d+\\]/.test(prompt));
}
"""


PROMPTS = """
(panel) => Array.from(document.querySelectorAll(`${panel} .jp-CodeCell .jp-InputArea .jp-InputPrompt`))
  .map(prompt => prompt.textContent.trim()).join(' ')
"""
#: True once a code cell's prompt changed: it is queued, running or has run.
RUN_STARTED = f"([panel, before]) => ({PROMPTS.strip()})(panel) !== before"


class Notebook:
    """One notebook open in JupyterLab, in a workspace of its own."""

    def __init__(self, tab, lab: Lab, path: str):
        self.tab, self.lab, self.path = tab, lab, path

    restarted = False  # set when the kernel had to be restarted to come up

    def open(self) -> "Notebook":
        workspace = Path(self.path).stem
        self.tab.goto(f"{self.lab.url}lab/workspaces/{workspace}/tree/{self.path}"
                      f"?token={self.lab.token}&reset")
        self.tab.wait_for_selector(f"{PANEL} .jp-Cell", timeout=60_000)
        self.wait_for_kernel()
        return self

    def wait_for_kernel(self) -> None:
        """Wait for an idle kernel; restart it once if it does not come up (DESIGN.md)."""
        select = self.tab.locator(".jp-Dialog", has_text="Select Kernel")
        try:  # if JupyterLab still asks which kernel to use, take the one it proposes
            select.wait_for(timeout=3_000)
            select.locator(".jp-mod-accept").click()
        except Exception:
            pass
        try:
            self.tab.wait_for_selector(KERNEL_IDLE, timeout=60_000)
            return
        except Exception:
            pass
        # The retry: JupyterLab logs "Session has no kernel" while the kernel restarts; expected.
        self.restarted = True
        self.command("Kernel", "kernelmenu:restart")
        self.tab.locator(".jp-Dialog .jp-mod-accept").click()
        try:
            self.tab.wait_for_selector(KERNEL_IDLE, timeout=60_000)
        except Exception:
            pytest.fail(f"The kernel of {self.path} did not start, even after a restart:\n"
                        + self.lab.log_tail())

    def command(self, menu: str, command: str) -> None:
        """Choose a command from the menu bar, as a student does."""
        self.tab.locator(".lm-MenuBar-item", has_text=menu).first.click()
        self.tab.locator(f'.lm-Menu-item[data-command="{command}"]').first.click()

    def run_all(self, timeout_ms: int = 60_000) -> None:
        # Just after a kernel starts, JupyterLab can show it idle before it takes requests, and
        # then Run All does nothing at all. Ask again (twice at most) until a cell starts.
        before = self.tab.evaluate(PROMPTS, PANEL)
        for _ in range(3):
            self.command("Run", "runmenu:run-all")
            try:
                self.tab.wait_for_function(RUN_STARTED, arg=[PANEL, before], timeout=15_000)
                break
            except Exception:
                continue
        try:
            self.tab.wait_for_function(RUN_FINISHED, arg=PANEL, timeout=timeout_ms)
        except Exception:
            prompts = self.tab.locator(f"{PANEL} .jp-CodeCell .jp-InputArea .jp-InputPrompt")
            shot = self.lab.log.with_name(f"{Path(self.path).stem}.png")
            self.tab.screenshot(path=str(shot))
            pytest.fail(f"(screenshot: {shot}) "
                        f"Running all cells of {self.path} did not finish in {timeout_ms / 1000:.0f} s;"
                        f" the cells' prompts: {' '.join(prompts.all_inner_texts())}\n"
                        + self.lab.log_tail())
        errors = self.tab.locator(f'{PANEL} [data-mime-type="application/vnd.jupyter.error"]')
        assert errors.count() == 0, (f"Running all cells of {self.path} failed:\n"
                                     + "\n".join(errors.all_inner_texts())[-3000:])

    def cell(self, text: str):
        """The code cell whose source contains ``text``."""
        cells = self.tab.locator(f"{PANEL} .jp-CodeCell").filter(
            has=self.tab.locator(".cm-content", has_text=text))
        assert cells.count() >= 1, f"{self.path} has no code cell containing {text!r}"
        return cells.first

    def output_text(self, cell) -> str:
        return cell.locator(".jp-OutputArea").inner_text()


# --- the tests ----------------------------------------------------------------------------------
#: jupyterlab-myst's console message for a {term} role: JupyterLab has no glossary to look in.
UNRESOLVED_TERM = re.compile(r"^(?:console error: )?Cross reference target was not found: "
                             r"term-(.+?)(?: \(http\S*\))?$")


def only_glossary_words(problem: str) -> bool:
    """True if ``problem`` only says that {term} links to words of book/glossary.md found no target.

    The lessons link a word to the book's glossary where they first use it. The book's build
    resolves those links (tests/book/test_glossary.py); JupyterLab shows the word in link colour
    but, with no glossary page beside the notebook, jupyterlab-myst logs each one as an error.
    A link to a word the glossary does not define is still a problem.
    """
    lines = [UNRESOLVED_TERM.match(line.strip()) for line in problem.strip().splitlines()]
    return all(lines) and all(m[1].lower() in glossary_terms() for m in lines)


def problems_seen(watch: PageWatch, notebook: Notebook) -> list[str]:
    """Console errors and failed requests, less warnings, the messages of a kernel retry and
    glossary links that JupyterLab cannot follow (:func:`only_glossary_words`)."""
    problems = [p for p in watch.problems() if "console warning" not in p]
    if notebook.restarted:
        problems = [p for p in problems if "Session has no kernel" not in p]
    return [p for p in problems if not only_glossary_words(p)]


def test_only_glossary_words_are_forgiven():
    logged = ("console error: Cross reference target was not found: term-bass model\n"
              "Cross reference target was not found: term-ln (http://127.0.0.1:1/lab/x.js?v=1:1)")
    assert only_glossary_words(logged)
    assert not only_glossary_words(logged.replace("term-ln", "term-no such word"))
    assert not only_glossary_words(logged + "\nTypeError: x is undefined")
    assert not only_glossary_words("console error: Cross reference target was not found: fig-1")


def test_lesson_runs_and_its_widgets_and_quiz_work(lab, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    watch = PageWatch(lab.url).attach(context)
    try:
        tab = context.new_page()
        notebook = Notebook(tab, lab, LESSON).open()
        notebook.run_all()

        # A slider: keyboard, then mouse; the figure beside it changes each time.
        slider = tab.locator(f"{PANEL} .jp-OutputArea-output .widget-slider").first
        slider.wait_for(timeout=30_000)
        root = slider.locator("xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')]")
        handle = slider.locator('[role="slider"]')
        readout = slider.locator(".widget-readout")
        figure, value = visible_figure(root), readout.inner_text()
        assert json.loads(figure), "The explorer shows no figure in JupyterLab"
        assert all(alt for alt, _ in json.loads(figure)), "A widget image has no alt text"
        handle.focus()
        tab.keyboard.press("ArrowRight" if handle.get_attribute("aria-valuenow") != handle.get_attribute("aria-valuemax") else "ArrowLeft")
        figure = wait_for_change(tab, root, figure,
                                 "Pressing an arrow key on the slider did not change the figure")
        assert readout.inner_text() != value, "The slider's readout did not follow the arrow key"
        box, knob = slider.locator(".noUi-base").bounding_box(), handle.bounding_box()
        y = knob["y"] + knob["height"] / 2
        end = box["x"] + (box["width"] if knob["x"] < box["x"] + box["width"] / 2 else 0)
        tab.mouse.move(knob["x"] + knob["width"] / 2, y)
        tab.mouse.down()
        tab.mouse.move(end, y, steps=8)
        tab.mouse.up()
        wait_for_change(tab, root, figure, "Dragging the slider with the mouse did not change "
                        "the figure")

        # The quiz: its JavaScript runs in JupyterLab too; a wrong and a right answer.
        quiz = tab.locator(f"{PANEL} .jp-OutputArea-output div[data-shufflequestions]").first
        try:
            quiz.locator(".Quiz").first.wait_for(timeout=10_000)
        except Exception:
            mathjax = tab.evaluate("typeof MathJax === 'undefined' ? 'no MathJax' : "
                                   "`MathJax ${MathJax.version} with typeset: ${typeof MathJax.typeset}`")
            pytest.fail("The quiz shows no questions in JupyterLab 10 s after its cell ran: its "
                        f"JavaScript did not run or is still waiting (window has {mathjax}).")
        question = quiz.locator(".Quiz").first
        for correct, wanted in (("false", "incorrect"), ("true", "correct")):
            answer = question.locator(f'label.MCButton[data-correct="{correct}"]').first
            answer.click()
            feedback = question.locator(".Feedback")
            tab.wait_for_function("([el, cls]) => el.classList.contains(cls)",
                                  arg=[feedback.element_handle(), wanted], timeout=5_000)
            assert " ".join(feedback.inner_text().split()) == " ".join(
                answer.get_attribute("data-feedback").split())
    finally:
        context.close()
    assert not problems_seen(watch, notebook), "\n".join(problems_seen(watch, notebook))


def test_student_checks_an_answer(lab, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    watch = PageWatch(lab.url).attach(context)
    try:
        tab = context.new_page()
        notebook = Notebook(tab, lab, EXERCISE).open()
        notebook.run_all()  # as a student does first: the checks say what is still missing
        check = notebook.cell('grader.check("q1")')
        assert "q1 passed" not in notebook.output_text(check), "q1 passes before it is answered"

        def answer_and_check(code: str) -> str:
            answer = notebook.cell("def bass_F")
            answer.locator(".cm-content").click()
            tab.keyboard.press("Control+A")
            tab.keyboard.insert_text(code)
            before = check.locator(".jp-InputPrompt").inner_text()
            tab.keyboard.press("Shift+Enter")   # run the answer; the check cell comes next
            active = tab.locator(f"{PANEL} .jp-Cell.jp-mod-active")
            assert 'grader.check("q1")' in active.inner_text(), "Shift+Enter did not move on to the check"
            tab.keyboard.press("Shift+Enter")   # run the check
            tab.wait_for_function(
                "([prompt, before]) => prompt.textContent.trim() !== before && !prompt.textContent.includes('*')",
                arg=[check.locator(".jp-InputPrompt").element_handle(), before], timeout=60_000)
            return notebook.output_text(check)

        passed = answer_and_check(CORRECT_Q1)
        assert "q1 passed" in passed, f"A correct bass_F did not pass its check:\n{passed}"

        failed = answer_and_check(WRONG_Q1)
        assert "q1 passed" not in failed, "A bass_F without return passed its check"
        assert "Did you forget to return the result?" in failed, (
            f"The check did not explain what is wrong:\n{failed}")
        assert "Traceback" not in failed, f"The check shows a traceback, not a hint:\n{failed}"
    finally:
        context.close()
    assert not problems_seen(watch, notebook), "\n".join(problems_seen(watch, notebook))

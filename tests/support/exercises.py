"""Exercise notebooks in tests: run a master's hidden tests directly, grade with otter, run a notebook.

* Shortcut answers (the kit's own function under another name, a remembered number) must fail the
  hidden tests of the question that asks for them: :func:`run_hidden_tests` runs those tests on
  given answers (:func:`run_test_cells` any test cells), and :func:`held_out_statements` makes
  chapter 3's held-out set as its master's hidden tests do, with their public seed.
* :func:`otter_run` grades one notebook with ``otter run`` and an autograder zip; :func:`otter_grade`
  an edited autograder notebook.
* :func:`execute` runs a student notebook in a real kernel; :func:`check_outputs` reads what each
  ``grader.check`` printed; :func:`answer_cell` finds the cell a student writes in.
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
from nbclient import NotebookClient

from socialkit.course import assign
from socialkit.course.checks import Hint

OTTER = Path(sys.executable).with_name("otter")


def question(stem: str, name: str) -> assign.Question:
    """Question ``name`` of the exercise master ``exercises/<stem>.ipynb``."""
    (q,) = [q for q in assign.read_questions(assign.MASTERS_DIR / f"{stem}.ipynb") if q.name == name]
    return q


def run_hidden_tests(stem: str, name: str, /, *, preset: dict | None = None, **answers) -> list[str | None]:
    """Each hidden test cell of question ``name`` run on ``answers``: None if it passes, else the hint.

    ``preset`` names are put in each test's namespace before the answers (e.g. ``np``, ``pd``).
    """
    hidden = question(stem, name).hidden_tests
    assert hidden, f"{stem} {name} has no hidden tests"
    return run_test_cells(hidden, preset=preset, **answers)


def run_test_cells(sources: list[str], /, *, preset: dict | None = None, **answers) -> list[str | None]:
    """Each test cell in ``sources`` run on ``answers`` (after ``preset``) in a namespace of its
    own: None if it passes, else the hint it raised."""
    outcomes = []
    for source in sources:
        namespace = {**(preset or {}), **answers}
        try:
            exec(source, namespace)  # defines the test function and calls it on the answers
            outcomes.append(None)
        except Hint as hint:
            outcomes.append(str(hint))
    return outcomes


def held_out_statements(stem: str = "03-customer-centric-questions") -> list[tuple[str, str]]:
    """Chapter 3's hidden statements ``[(text, label)]`` for the public seed: the hidden tests
    generate them (``socialkit.data.synthetic_statements.generate(seed, 50)``) from the seed
    ``heldout_seeds`` gives them, the master's public default unless the instructor gave a private
    one. Read from the master's hidden tests, so the two cannot drift apart."""
    from socialkit.course import heldout
    from socialkit.data.synthetic_statements import generate

    (seed,) = heldout.declared_in(assign.MASTERS_DIR / f"{stem}.ipynb")["q3_statements"]
    sources = [c.source for c in nbformat.read(assign.MASTERS_DIR / f"{stem}.ipynb", as_version=4).cells
               if c.cell_type == "code" and c.source.startswith("# HIDDEN") and "held_out = " in c.source]
    assert len(sources) == 2 and all("generate(seed, 50)" in s for s in sources), \
        "both hidden tests of question 3 should grade on generate(seed, 50)"
    return [(s.text, s.label) for s in generate(seed, 50)]


def committed_student_notebook(stem: str) -> Path:
    return assign.REPO / assign.STUDENT_SUBDIR / stem / f"{stem}.ipynb"


def read_nb(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def otter_run(zip_path: Path, notebook: Path, out: Path) -> dict[str, tuple[float, float]]:
    """Grade one notebook with ``otter run``: {question: (score, max score)} from results.json."""
    out.mkdir(parents=True, exist_ok=True)
    cmd = [str(OTTER), "run", "--no-logo", "-a", str(zip_path), str(notebook), "-o", str(out)]
    for attempt in (1, 2):  # a kernel that does not start (port race) is retried once
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
            break
        except subprocess.TimeoutExpired:
            if attempt == 2:
                raise
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tests = json.loads((out / "results.json").read_text())["tests"]
    return {t["name"]: (t["score"] or 0, t["max_score"]) for t in tests if t.get("max_score")}


def otter_grade(outputs: assign.Outputs, nb: nbformat.NotebookNode, folder: Path) -> dict[str, tuple[float, float]]:
    """Grade ``nb``, an edited copy of ``outputs``' autograder notebook, as a submission: saved in
    ``folder`` under the exercise's file name and graded by :func:`otter_run` with its zip."""
    submission = folder / outputs.autograder_notebook.name
    nbformat.write(nb, submission)
    return otter_run(outputs.autograder_zip, submission, folder / "results")


def execute(nb: nbformat.NotebookNode, folder: Path, stem: str) -> nbformat.NotebookNode:
    """Save ``nb`` under its own name in ``folder`` (otter reads its tests from it) and run it."""
    nbformat.write(nb, folder / f"{stem}.ipynb")
    for attempt in (1, 2):  # retry once if the kernel does not start
        client = NotebookClient(nb, timeout=120, startup_timeout=60, kernel_name="python3",
                                resources={"metadata": {"path": str(folder)}})
        try:
            return client.execute()
        except RuntimeError as error:
            if attempt == 2 or "Kernel didn't respond" not in str(error):
                raise


def check_outputs(nb: nbformat.NotebookNode) -> dict[str, str]:
    """The text each ``grader.check("qN")`` cell printed, by question."""
    found = {}
    for cell in nb.cells:
        match = re.fullmatch(r'grader\.check\("(\w+)"\)', cell.source.strip())
        if match:
            found[match[1]] = "\n".join(o.get("data", {}).get("text/plain", "") + o.get("text", "")
                                        for o in cell.outputs)
    return found


def answer_cell(nb: nbformat.NotebookNode, contains: str) -> nbformat.NotebookNode:
    (cell,) = [c for c in nb.cells if "otter_answer_cell" in c.metadata.get("tags", [])
               and contains in c.source]
    return cell


def chasing_newest_by_hand(week, state):
    """Chapter 2's ``chase_newest`` written out as a student would (not the kit's function), so
    that the exercise's hidden tests judge it on its merits: all hours on the newest network."""
    newest = np.where(state.launched & state.is_new, state.age, np.inf)
    hours = np.zeros(state.n_channels)
    if np.isfinite(newest).any():
        hours[int(np.argmin(newest))] = state.budget
    else:
        hours[state.launched] = state.budget / state.launched.sum()
    return hours

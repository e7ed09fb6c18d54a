"""Synthetic submissions of any assignment, for the grader's tests, benchmarks and a dry run.

Built from what ``make assign`` writes for an exercise: the student notebook (blank answers) and
otter's autograder notebook (the solutions). Answer cells are the student notebook's cells tagged
``otter_answer_cell``; the autograder notebook has the matching solution cells, tagged
``otter_assign_solution_cell``, in the same order. Each answer cell belongs to the question of the
first ``grader.check("...")`` after it.

* ``correct``: every answer cell holds the solution;
* ``partial``: the first half of the autograded questions are answered, the rest left blank
  (later questions may build on earlier ones, never the reverse, so the answered ones still earn
  full marks and the blank ones none);
* ``blank``: the student notebook as handed out.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import nbformat

from .autograder import ASSIGN_DIR

__all__ = ["KINDS", "assignment_notebooks", "answer_questions", "make_notebook", "make_class"]

KINDS = ("correct", "partial", "blank")
_CHECK = re.compile(r"""grader\.check\(\s*["']([^"']+)["']\s*\)""")


def assignment_notebooks(stem: str, assign_dir: Path = ASSIGN_DIR) -> tuple[Path, Path]:
    """(student notebook, autograder notebook with solutions) that ``make assign`` wrote."""
    base = Path(assign_dir) / stem
    student, solved = base / "student" / f"{stem}.ipynb", base / "autograder" / f"{stem}.ipynb"
    for path in (student, solved):
        if not path.is_file():
            raise ValueError(f"{path} does not exist: run `make assign` first.")
    return student, solved


def _tagged(nb, tag: str) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if tag in c.get("metadata", {}).get("tags", [])]


def answer_questions(nb) -> dict[int, str]:
    """Answer cell index -> the question whose check follows it (autograded questions only)."""
    out = {}
    for index in _tagged(nb, "otter_answer_cell"):
        for cell in nb.cells[index + 1:]:
            match = _CHECK.search(cell.source) if cell.cell_type == "code" else None
            if match:
                out[index] = match.group(1)
                break
    return out


def make_notebook(stem: str, answered: set[str] | None = None,
                  assign_dir: Path = ASSIGN_DIR) -> nbformat.NotebookNode:
    """The student notebook with the solutions of the questions in ``answered`` filled in
    (``None``: all of them)."""
    student_path, solved_path = assignment_notebooks(stem, assign_dir)
    nb = nbformat.read(student_path, as_version=4)
    solved = nbformat.read(solved_path, as_version=4)
    answers, solutions = _tagged(nb, "otter_answer_cell"), _tagged(solved, "otter_assign_solution_cell")
    if len(answers) != len(solutions):
        raise ValueError(f"{stem}: {len(answers)} answer cells but {len(solutions)} solution cells")
    questions = answer_questions(nb)
    for a, s in zip(answers, solutions):
        if a in questions and (answered is None or questions[a] in answered):
            nb.cells[a].source = solved.cells[s].source
    return nb


def make_class(stem: str, folder: Path, n: int, *, seed: int = 0, kinds=KINDS,
               assign_dir: Path = ASSIGN_DIR) -> dict[str, str]:
    """Write ``n`` submissions ``s001_<stem>.ipynb`` ... into ``folder``, cycling through ``kinds``
    in a seeded shuffled order; return {student id: kind}."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number >= 1; got {n!r}.")
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}; choose from {KINDS}.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    student_nb = nbformat.read(assignment_notebooks(stem, assign_dir)[0], as_version=4)
    questions = list(dict.fromkeys(answer_questions(student_nb).values()))
    half = set(questions[: len(questions) // 2])
    notebooks = {"correct": make_notebook(stem, None, assign_dir),
                 "partial": make_notebook(stem, half, assign_dir),
                 "blank": make_notebook(stem, set(), assign_dir)}
    order = [kinds[i % len(kinds)] for i in range(n)]
    random.Random(seed).shuffle(order)
    made = {}
    for i, kind in enumerate(order, start=1):
        student = f"s{i:03d}"
        nbformat.write(notebooks[kind], folder / f"{student}_{stem}.ipynb")
        made[student] = kind
    return made

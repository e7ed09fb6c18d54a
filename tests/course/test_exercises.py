"""The graded exercises: committed copies are current, students see no answers, otter really grades.

(a) ``exercises/student/<stem>/`` and ``book/solutions/<stem>.md`` equal fresh ``socialkit.course.assign``
    output, generated here into a temporary folder;
(b) the student notebook holds no solution code and no hidden test;
(c) ``otter run`` with the autograder zip gives a partly wrong submission something in between
    (full marks for the solutions and 0 for the blank notebooks are checked the way Gradescope
    runs the zips, in tests/course/test_gradescope.py);
(d) inside the student notebook, ``grader.check`` explains a wrong answer in plain words and
    passes a right one.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialkit.course import assign
from support.exercises import (answer_cell, check_outputs, committed_student_notebook, execute, otter_grade,
                               read_nb)

REPO = assign.REPO
MASTERS = assign.available_masters()
STEMS = sorted(MASTERS)
CH1 = "01-ignorance-arrogance-irrelevance"


@pytest.fixture(scope="session")
def fresh(assigned_exercises) -> dict[str, assign.Outputs]:
    """Every master assigned afresh into a temporary root (never the repository; conftest.py)."""
    return {stem: assigned_exercises[stem] for stem in STEMS}


def test_there_are_masters():
    assert CH1 in STEMS


def test_unknown_name_lists_the_masters(capsys):
    assert assign.main(["no-such-exercise"]) == 2
    err = capsys.readouterr().err
    assert "no-such-exercise" in err and CH1 in err


# --- (a) committed copies are up to date -------------------------------------------------------
def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` except the log otter's grader.check leaves beside a notebook."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".OTTER_LOG"}


@pytest.mark.parametrize("stem", STEMS)
def test_committed_student_copy_is_current(stem, fresh):
    committed = REPO / assign.STUDENT_SUBDIR / stem
    assert committed.is_dir(), f"{committed} is missing: run `make assign`"
    assert _files(committed) == _files(fresh[stem].student_dir), \
        f"{committed} is out of date with exercises/{stem}.ipynb: run `make assign`"


@pytest.mark.parametrize("stem", STEMS)
def test_committed_solutions_page_is_current(stem, fresh):
    committed = REPO / assign.SOLUTIONS_SUBDIR / f"{stem}.md"
    assert committed.is_file(), f"{committed} is missing: run `make assign`"
    assert committed.read_text(encoding="utf-8") == fresh[stem].solutions_page.read_text(encoding="utf-8"), \
        f"{committed} is out of date with exercises/{stem}.ipynb: run `make assign`"


def test_no_student_copy_without_a_master():
    student_root = REPO / assign.STUDENT_SUBDIR
    orphans = sorted(p.name for p in student_root.iterdir() if p.is_dir() and p.name not in MASTERS)
    assert not orphans, f"student copies with no master in exercises/: {orphans}"


# --- (b) no answers in the student notebook ----------------------------------------------------
def master_secrets(stem: str) -> tuple[list[str], list[str]]:
    """(solution lines, hidden test function names) of a master, read straight from its cells."""
    solution_lines, hidden_names, block = [], [], None
    for cell in read_nb(MASTERS[stem]).cells:
        first = cell.source.split("\n", 1)[0].strip().upper()
        if cell.cell_type == "raw" and re.match(r"# (BEGIN|END) (SOLUTION|TESTS)$", first):
            block = first.split()[2] if first.split()[1] == "BEGIN" else None
            continue
        if block == "SOLUTION" and cell.cell_type == "markdown":
            solution_lines += [line for line in cell.source.splitlines() if len(line.strip()) > 20]
        elif block == "SOLUTION":
            inside = False
            for line in cell.source.splitlines():
                if line.strip().startswith("# END SOLUTION"):
                    inside = False
                elif inside:
                    solution_lines.append(line)
                elif line.strip().startswith("# BEGIN SOLUTION"):
                    inside = True
                elif re.search(r"#\s*SOLUTION\s*$", line):
                    solution_lines.append(re.sub(r"\s*#\s*SOLUTION\s*$", "", line))
        elif block == "TESTS" and "HIDDEN" in first:
            hidden_names += re.findall(r"^def (\w+)", cell.source, flags=re.MULTILINE)
    return [line.strip() for line in solution_lines if len(line.strip()) >= 8], hidden_names


@pytest.mark.parametrize("stem", STEMS)
def test_student_notebook_has_no_solutions_or_hidden_tests(stem):
    solution_lines, hidden_names = master_secrets(stem)
    assert solution_lines and hidden_names, "found no solutions or hidden tests in the master"
    nb = read_nb(committed_student_notebook(stem))
    sources = "\n".join(cell.source for cell in nb.cells)
    leaked = [line for line in solution_lines if line in sources]
    assert not leaked, f"solution lines in the student notebook: {leaked}"
    whole = committed_student_notebook(stem).read_text(encoding="utf-8")
    assert not [name for name in hidden_names if name in whole], "hidden tests in the student notebook"
    assert "hidden=True" not in whole
    assert all(not cell.get("outputs") for cell in nb.cells), "the student notebook has outputs"


@pytest.mark.parametrize("stem", STEMS)
def test_solutions_page_shows_solutions_but_no_tests(stem):
    solution_lines, hidden_names = master_secrets(stem)
    page = (REPO / assign.SOLUTIONS_SUBDIR / f"{stem}.md").read_text(encoding="utf-8")
    assert all(line in page for line in solution_lines)
    assert not [name for name in hidden_names if name in page]
    assert "grader.check" not in page and "{dropdown}" in page


# --- (c) grading with otter run ----------------------------------------------------------------


@pytest.mark.grading
def test_partly_wrong_submission_scores_in_between(fresh, tmp_path):
    """Using the posting share instead of the listening share costs q2's tests of the share and
    of the losses, but not of their ratio (the share scales every loss alike)."""
    o = fresh[CH1]
    nb = read_nb(o.autograder_notebook)
    right = "cc_listening_share = listening_hours / weekly_hours"
    (cell,) = [c for c in nb.cells if c.source.startswith(right)]
    cell.source = cell.source.replace(right, "cc_listening_share = (weekly_hours - listening_hours) / weekly_hours", 1)
    scores = otter_grade(o, nb, tmp_path)
    assert {q: s for q, (s, _) in scores.items()} == {"q1": 4, "q2": 1, "q3": 3}


# --- (d) grader.check inside the student notebook ---------------------------------------------
@pytest.mark.grading
def test_blank_notebook_runs_and_every_check_gives_a_hint(tmp_path):
    nb = execute(read_nb(committed_student_notebook(CH1)), tmp_path, CH1)
    outputs = check_outputs(nb)
    assert set(outputs) == {"q1", "q2", "q3"}
    for question, text in outputs.items():
        assert "failed" in text and "Hint:" in text and "Traceback" not in text, (question, text)
    assert "returned None" in outputs["q1"]
    assert "cc_listening_share is still ..." in outputs["q2"]


@pytest.mark.grading
def test_check_explains_a_wrong_type_without_a_traceback(tmp_path):
    nb = read_nb(committed_student_notebook(CH1))
    answer_cell(nb, "def bass_F").source = (
        "def bass_F(t, p, q):\n    return [1 - np.exp(-p * x) for x in np.atleast_1d(t)]")
    text = check_outputs(execute(nb, tmp_path, CH1))["q1"]
    assert ("Hint: bass_F(np.array([0.0, 1.0, 2.0]), 0.03, 0.38) should return a numpy array "
            "of shape (3,), but it returned a list.") in text
    assert "Traceback" not in text and "File " not in text


@pytest.mark.grading
def test_check_passes_right_answers(fresh, tmp_path):
    """Put the master's solutions into the student's answer cells (same cell ids) and check."""
    solutions = {c.id: c.source for c in read_nb(fresh[CH1].autograder_notebook).cells}
    nb = read_nb(committed_student_notebook(CH1))
    for cell in nb.cells:
        if cell.cell_type == "code" and "otter_answer_cell" in cell.metadata.get("tags", []):
            cell.source = solutions[cell.id]
    outputs = check_outputs(execute(nb, tmp_path, CH1))
    assert set(outputs) == {"q1", "q2", "q3"}
    for question, text in outputs.items():
        assert "passed" in text and "failed" not in text, (question, text)

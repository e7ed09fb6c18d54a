"""Shared helpers of the grader's tests (tests/grading/): the class of chapter 1 and how to build it.

Test modules import these (``from support import grading``); no test module imports another.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

CH1 = "01-ignorance-arrogance-irrelevance"
#: full marks of chapter 1's autograded questions
FULL = {"q1": 4.0, "q2": 4.0, "q3": 3.0}


def quick_limits():
    """Limits short enough for a quick suite, long enough for a loaded 2-core machine."""
    from socialkit.course.grading import Limits

    return Limits(timeout=300, cell_timeout=15, test_timeout=5, memory_mb=1536, output_limit=200_000)


def namespaces() -> bool:
    """Whether this machine seals sandboxes in namespaces (probed once by the engine)."""
    from socialkit.course.grading.engine import isolation

    return isolation().kind == "namespaces"


def processes_with(marker: str) -> list:
    """The processes on the machine whose command line holds ``marker``."""
    import psutil

    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if marker in " ".join(proc.info["cmdline"] or []):
                found.append(proc)
        except psutil.Error:
            pass
    return found


# --- building notebooks -------------------------------------------------------------------------
def write(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def insert_after_check(nb, question: str, source: str):
    """Insert a code cell right after the cell that runs grader.check(question)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and f'grader.check("{question}")' in cell.source:
            nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))
            return nb
    raise AssertionError(f"no check cell for {question}")


def insert_before_check_all(nb, source: str):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "grader.check_all()" in cell.source:
            nb.cells.insert(i, nbformat.v4.new_code_cell(source))
            return nb
    nb.cells.append(nbformat.v4.new_code_cell(source))
    return nb


def answer_cell(nb) -> int:
    """Index of the answer cell of chapter 1's hand-graded question."""
    begin = next(i for i, c in enumerate(nb.cells) if "<!-- BEGIN QUESTION -->" in c.source)
    return next(i for i in range(begin + 1, len(nb.cells))
                if "otter_answer_cell" in nb.cells[i].metadata.get("tags", []))


def write_csv(path: Path, rows: list[list], delimiter: str = ",") -> Path:
    """A CSV file as a spreadsheet saves it (CRLF, Excel's byte-order mark)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    return path


def read_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# --- Canvas and Moodle rosters -----------------------------------------------------------------------
CANVAS_ITEM = "Exercise 1: Ignorance, arrogance and irrelevance (67890)"
MOODLE_ITEM = "Assignment: Exercise 1 - ignorance, arrogance, irrelevance (Real)"


def canvas_roster(folder: Path, possible: float) -> Path:
    """A roster as Canvas's Grades > Export writes it, for the students of ``gradebook_class``."""
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv(folder / "canvas.csv", [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Quiz 1 (555)", CANVAS_ITEM,
         "Current Points", "Final Points", "Current Score", "Final Score"],
        ["    Points Possible", "", "", "", "", "10", f"{possible:g}", "(read only)", "(read only)",
         "(read only)", "(read only)"],
        ["Smith, Jane", "12345", "S1001", "jsmith", "Section A", "9", "", "9", "9", "90", "90"],
        ["=Hyde, Edward", "34567", "S1003", "ehyde", "Section B", "", "", "", "", "", ""],
        ["Su, Kim", "45678", "S1004", "ksu", "Section A", "", "", "", "", "", ""],
        ["Park, Min", "56789", "S1005", "mpark", "Section B", "", "", "", "", "", ""],
        ["Absent, Amy", "99999", "S1009", "aabsent", "Section A", "", "", "", "", "", ""],
        ["Student, Test", "11111", "", "", "Section A", "", "", "", "", "", ""],
    ])


def moodle_roster(folder: Path) -> Path:
    """A roster as Moodle's Grades > Export > Plain text file writes it."""
    folder.mkdir(parents=True, exist_ok=True)
    header = ["First name", "Last name", "ID number", "Institution", "Department", "Email address",
              MOODLE_ITEM, "Course total (Real)", "Last downloaded from this course"]
    return write_csv(folder / "moodle.csv", [
        header,
        ["Ana", "Lopez", "M01", "", "", "ana.lopez@example.edu", "-", "-", "1764000000"],
        ["Jane", "Smith", "M02", "", "", "jane.smith@example.edu", "-", "-", "1764000000"],
        ["Su", "Kim", "M04", "", "", "su.kim@example.edu", "-", "-", "1764000000"],
        ["Amy", "Absent", "M09", "", "", "amy.absent@example.edu", "-", "-", "1764000000"],
    ])


def gradebook_class(make, subs: Path) -> None:
    """Chapter 1's small class named as Canvas and Moodle name downloads: a full answer, a partial
    one in a Moodle folder, a blank one under an id that starts a formula, a PDF, a duplicate."""
    subs.mkdir(parents=True, exist_ok=True)
    write(make(), subs / "smithjane_12345_67890_exercise1.ipynb")
    write(make({"q1"}), subs / "Ana Lopez_501_assignsubmission_file_" / "exercise1.ipynb")
    write(make(set()), subs / "=hyde_LATE_34567_111_exercise1.ipynb")
    (subs / "kimsu_45678_222_essay.pdf").write_bytes(b"%PDF-1.4\n")
    other = make()
    other.metadata.otter.assignment_name = "another-assignment"
    write(other, subs / "parkmin_56789_1_a.ipynb")
    write(other, subs / "parkmin_56789_2_b.ipynb")


# --- the reference class: grades, feedback, pages and exports that must stay byte-identical -----
#: the grader's options for the reference class (short limits; the class never reaches them)
REFERENCE_OPTIONS = ["--timeout", "300", "--cell-timeout", "30", "--test-timeout", "10",
                     "--memory", "1536", "--workers", "2", "--no-progress"]
#: the files compared byte for byte (and every feedback/*.md)
REFERENCE_FILES = ("grades.csv", "problems.csv", "grades-canvas.csv", "grades-moodle.csv",
                   "by-question/q4.html", "by-question/manual.csv", "summary.png")
#: links into the repository by absolute path, compared as file://REPO/ (the by-question page had
#: them until issue 23; it links relatively now, so one showing up again is a difference)
REPO_MARK = b"file://REPO/"
#: the by-question page says when it was written
WRITTEN_AT = re.compile(rb"Written by socialkit-grade, \d{4}-\d\d-\d\d \d\d:\d\d UTC")
#: the by-question page keeps its work in the browser under the grade folder's random desk id
DESK_KEY = re.compile(rb'"key":"socialkit-desk:([^":]*):[0-9a-f]{16}:')


def reference_class(make, subs: Path) -> None:
    """The gradebook class, plus a written answer, a notebook whose cell raises, and one that
    stops its process after the first check."""
    gradebook_class(make, subs)
    nb = make()
    nb.cells[answer_cell(nb)].source = "Join now: answer <b>repair</b> questions = 3 h a week."
    write(nb, subs / "smithjane_12345_67890_exercise1.ipynb")
    write(insert_after_check(make(), "q1", 'raise ValueError("a bug")'),
          subs / "leeerr_23456_333_exercise1.ipynb")
    write(insert_after_check(make({"q1", "q2"}), "q2", "import sys\nsys.exit(1)"),
          subs / "omar_24680_444_exercise1.ipynb")


def fill_manual(path: Path, points: dict[str, str], comment: str) -> None:
    """Fill in manual.csv as an instructor would (the points and a comment of some students)."""
    rows = read_rows(path)
    with open(path, encoding="utf-8", newline="") as f:
        columns = next(csv.reader(f))
    columns[0] = columns[0].lstrip("\ufeff")
    for row in rows:
        student = row["student"].lstrip("'")
        if student in points:
            row["points"], row["comment"] = points[student], comment
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def grade_reference_class(zip_path: Path, subs: Path, out: Path, rosters: list[Path], *,
                          package_root: Path | None = None) -> Path:
    """Grade the reference class with ``python -m socialkit.course.grading`` (the package found
    under ``package_root``, or the installed one), fill in manual.csv, grade again with the
    Canvas and Moodle exports; returns ``out``."""
    env = dict(os.environ)
    if package_root is not None:
        env["PYTHONPATH"] = str(package_root)
    command = [sys.executable, "-m", "socialkit.course.grading", str(zip_path), str(subs),
               "--out", str(out), *REFERENCE_OPTIONS]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    assert first.returncode == 0, first.stdout + first.stderr
    fill_manual(out / "by-question" / "manual.csv", {"smithjane": "2,5", "=hyde": "1"},
                comment="Use your own numbers.")
    exports = ["--export", "canvas,moodle", "--ungraded", "partial"] + [a for r in rosters for a in ("--roster", str(r))]
    second = subprocess.run(command + exports, capture_output=True, text=True, env=env, timeout=900)
    assert second.returncode == 0, second.stdout + second.stderr
    return out


def reference_outputs(out: Path, repo: Path) -> dict[str, bytes]:
    """{relative path: bytes} of every file of the reference class that must not change, with
    links into the repository ``repo`` written as ``file://REPO/``."""
    files = {name: (out / name).read_bytes() for name in REFERENCE_FILES}
    for path in sorted((out / "feedback").glob("*.md")):
        files[f"feedback/{path.name}"] = path.read_bytes()
    here = f"file://{Path(repo).resolve()}/".encode()
    return {name: DESK_KEY.sub(rb'"key":"socialkit-desk:\1:<id>:',
                               WRITTEN_AT.sub(b"Written by socialkit-grade, <time>", data.replace(here, REPO_MARK)))
            for name, data in files.items()}


def csv_table(path: Path) -> list[list[str]]:
    """Every row of a CSV file the grader wrote (Excel's byte-order mark removed), as lists."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))

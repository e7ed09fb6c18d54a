"""Grades in the import formats of Canvas and Moodle, from the grader's own files.

``socialkit-grade ... --export canvas,moodle [--roster FILE]`` (after grading) or
``python -m socialkit.course.grading.outputs.gradebook OUT --export canvas,moodle [--roster FILE]`` (any
time later) writes ``OUT/grades-canvas.csv`` and ``OUT/grades-moodle.csv``.

**Where the points come from.** The rows of ``OUT/grades.csv`` (as ``report.py`` wrote them,
so points merged in by hand count), each checked against its **signed record** in
``OUT/results/`` before anything is exported: the status and every autograded question's points
must be those the record holds (and, when ``grades.csv`` has no columns beyond the autograder's,
the total too). A row whose record is missing, unsigned or different stops the export: re-run
``socialkit-grade``. Students with no score (``duplicate``, ``error``) are left out of both files
and listed, so the platform keeps what it had until the instructor decides.

**Who is who.** Our student ids come from file and folder names. A *roster* is the platform's
own gradebook export, downloaded by the instructor (Canvas: Grades → Export; Moodle: Grades →
Export → Plain text file). Each id is matched to one roster row, most reliable key first:

* Canvas: the Canvas user id in Canvas's download names (``smithjane_12345_67890_ex.ipynb``,
  ``smithjane_LATE_12345_67890_ex.ipynb``: 12345 is the ``ID`` column), then the id itself as an
  ``ID``, ``SIS User ID`` or ``SIS Login ID``, then the name (``smithjane`` is "Smith, Jane").
* Moodle: the id as an ``Email address``, ``ID number`` or ``Username``, then the full name in
  Moodle's folder names (``Jane Smith_12345_assignsubmission_file_``, graded as ``Jane Smith (12345)``),
  first-last or last-first.

A student in the records but not in the roster, a key that fits several roster rows, and two of
our students on one roster row are left out and listed; students of the roster with nothing
graded are listed too (their grade in the platform is left as it is). Without a roster, Canvas
rows carry the user id from Canvas's file names, and Moodle rows the id itself as an email
address or username; students who cannot be identified that way are listed.

**The files** (the columns the platforms' importers read; rosters are read as in ``rosters.py``):

* ``grades-canvas.csv``: ``Student, ID, SIS User ID, SIS Login ID, Section, <assignment>`` and a
  ``Points Possible`` row under the header, as Canvas's own export has. The assignment column
  is the roster's column for this assignment (``Exercise 1 (67890)``) when one fits, so Canvas
  updates that assignment; otherwise the assignment's name, and Canvas offers to create it.
* ``grades-moodle.csv``: the names and the columns Moodle can match a user on (with a roster,
  under the roster's own column names, in any language; without one, ``Username`` or ``Email
  address``), the grade and a feedback column (the points per question). In Moodle's CSV
  import, map the id column (``useremail``, ``useridnumber`` or ``username``), the grade column
  to the grade item and the feedback column to its feedback.

**The scale** (``--scale``): ``points`` (the default) writes each total out of the exercise's
points, and the platform's item must be worth as much (a Moodle grade item that the import
creates has a maximum of 100; the messages say what to set); ``percent`` writes out of 100.

**Written answers not graded yet** (``--ungraded``). A total that leaves out a written answer
still to be graded by hand is not the student's grade, so by default (``refuse``) nothing is
exported while one is missing; the students and questions are listed and the exit code is 2.
``partial`` writes the totals so far out of every point (the hand-graded ones included), each
such student listed and marked in Moodle's feedback column; ``leave-out`` writes only the
students graded in full (the platform keeps what it has for the others). The hand-graded
questions are the exercise master's (``manual.manual_questions``), so this holds before any
point is given by hand too, and the possible points always count them.

**An earlier export is never lost.** When a file would replace an earlier one that has more
students in it (a re-run without the roster, say), the earlier file is kept beside it as
``grades-<format>.<UTC time>.csv``, the messages say so and the exit code is 1: the instructor
must look. An export with no student at all is not written (exit 1). Advice to change the
points of the platform's item is given only when the roster says the item is worth other than
the points the file's grades are out of (exit 1, the instructor must act).

**Ids are never altered.** A platform matches identity cells exactly, and Moodle's import aborts
entirely on one id it cannot find (``grade/import/csv/classes/load_data.php``), so identity
cells are written as they are. An id that a spreadsheet would run as a formula (``=``, ``+``,
``-``, ``@``, tab, CR) is reported and that student left out, for the instructor to correct. A
Moodle id column that is blank for some student is not offered for matching, because Moodle's
import skips a blank id and gives that row's grade to the student above it. Every other text
cell a spreadsheet would read as a formula is neutralised as in ``grades.csv``.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .report import (GRADES_COLUMNS, STATUSES, GradesMismatch, check_row, point_columns,
                     read_grades)
from .rosters import GradebookError, Roster, name_key, read_roster, words
from .tables import FORMULA_START, rows_bytes
from ..intake.identity import moodle_folder
from ..intake.records import NOT_ATTEMPTED
from ..intake.store import KEY_FILE, atomic_write_bytes, load_record, record_path

__all__ = ["FORMATS", "CANVAS_COLUMNS", "GradebookError", "Roster", "ExportResult", "read_roster",
           "verified_rows", "check_arguments", "UNGRADED", "export_gradebook", "add_arguments", "run_export",
           "build_parser", "main"]

FORMATS = ("canvas", "moodle")
SCALES = ("points", "percent")
#: what to do with totals that leave out written answers still to be graded by hand
UNGRADED = ("refuse", "partial", "leave-out")
FILE_NAMES = {"canvas": "grades-canvas.csv", "moodle": "grades-moodle.csv"}
#: the identity columns of Canvas's gradebook import, in order (the assignment column follows)
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "    Points Possible"
#: the roles of a Moodle roster's columns that our Moodle file carries, in order
MOODLE_ROLES = ("first", "last", "idnumber", "email", "username")
#: the columns Moodle's import can match a user on (grade/import/csv/classes/load_data.php:
#: userid, useridnumber, useremail, username; the export has no user id)
MOODLE_MATCHABLE = ("idnumber", "email", "username")
_ENGLISH = {"first": "First name", "last": "Last name", "idnumber": "ID number",
            "email": "Email address", "username": "Username"}
_CANVAS_FILE = re.compile(r"^[^_/]+_(?:LATE_)?(?P<id>\d+)_\d+_")


def _our_keys(kind: str, student: str, relpath: str) -> list[tuple[str, str]]:
    """The keys of one of our students, most reliable first."""
    keys = []
    if kind == "canvas":
        match = _CANVAS_FILE.match(relpath.rsplit("/", 1)[-1])
        if match:
            keys.append(("canvas-id", match["id"]))
    keys.append(("login", student.casefold()))
    folder = moodle_folder(relpath.split("/", 1)[0])
    if kind == "moodle" and folder:
        keys.append(("name", name_key(folder[0])))
    keys.append(("name", name_key(student)))
    return [(k, v) for k, v in keys if v]


def _unsafe_id(values: dict[str, str]) -> str | None:
    """Why an identity cell cannot be written as it is, or None. Identity cells are never
    altered (a platform matches them exactly; Moodle aborts the whole import on one miss), so one
    that a spreadsheet would run as a formula is reported, not neutralised."""
    for column, value in values.items():
        if value.startswith(FORMULA_START):
            return (f"its {column} {value!r} begins with {value[0]!r}, which a spreadsheet runs as a "
                    "formula; ids are written exactly as they are, so correct it (in the platform or "
                    "the file name) or enter this grade by hand")
    return None


# --- grades.csv, checked against the records -----------------------------------------------------------
def _read_key(out_dir: Path) -> bytes:
    path = out_dir / KEY_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
        return bytes.fromhex(text) if len(text) == 64 else b""
    except (OSError, ValueError):
        return b""


def verified_rows(out_dir: Path) -> tuple[list[dict], list[str], str]:
    """The rows of ``OUT/grades.csv``, each with a score checked against its signed record
    (``report.check_row``, the rule the grader checks its own grades.csv with); returns
    ``(rows, part columns, assignment name)``. Raises :class:`GradebookError` on any mismatch."""
    out_dir = Path(out_dir).expanduser()
    grades = out_dir / "grades.csv"
    if not grades.is_file():
        raise GradebookError(f"{grades} does not exist: grade the class first (socialkit-grade), "
                             "then export its grades.")
    try:
        header, rows = read_grades(grades, strip=True)
    except GradesMismatch as error:
        raise GradebookError(f"The grades file {error}") from None
    missing = [c for c in GRADES_COLUMNS if c not in header]
    if missing:
        raise GradebookError(f"{grades} lacks the columns {missing}: it was not written by socialkit-grade.")
    parts = point_columns(header)
    # grades.csv as report.py writes it (point columns between status and total); with other
    # columns too, its total is taken as it stands
    standard = set(header) == set(GRADES_COLUMNS) | set(parts)
    key = _read_key(out_dir)
    if not key:
        raise GradebookError(f"{out_dir / KEY_FILE} is missing, so the records in {out_dir / 'results'} "
                             "cannot be checked: run socialkit-grade again with the same output folder.")
    assignment = ""
    for row in rows:
        if row["status"] == "duplicate" or not row["total"]:
            continue  # no score to export; nothing to check
        student, relpath = row["student"], row["file"]
        record = load_record(record_path(out_dir, student, relpath), key)
        if record is not None and (record.get("student") != student or record.get("relpath") != relpath):
            record = None
        try:
            check_row(f"{grades}: {student!r}", row, [record] if record else [], parts, totals=standard)
        except GradesMismatch as error:
            raise GradebookError(f"{error}; re-run socialkit-grade before exporting.") from None
        assignment = assignment or record.get("assignment") or ""
    return rows, parts, assignment or out_dir.name


# --- the export ----------------------------------------------------------------------------------------
@dataclass
class ExportResult:
    """What was written, and who was left out and why."""

    files: dict[str, Path] = field(default_factory=dict)        # format -> file
    exported: dict[str, list[str]] = field(default_factory=dict)  # format -> our student ids
    left_out: dict[str, dict[str, str]] = field(default_factory=dict)  # format -> {student: why}
    not_submitted: dict[str, list[str]] = field(default_factory=dict)  # format -> roster names
    notes: list[str] = field(default_factory=list)
    ungraded: dict[str, list[str]] = field(default_factory=dict)  # student -> questions not graded
    must_act: list[str] = field(default_factory=list)  # what the instructor must do (exit 1)

    def messages(self) -> list[str]:
        out = list(self.notes)
        for fmt, path in self.files.items():
            out.append(f"{path.name}: {len(self.exported.get(fmt, []))} student(s).")
            for student, why in sorted(self.left_out.get(fmt, {}).items(), key=lambda kv: kv[0].casefold()):
                out.append(f"  left out of {path.name}: {student!r}: {why}")
            missing = self.not_submitted.get(fmt, [])
            if missing:
                shown = ", ".join(missing[:20]) + (f" and {len(missing) - 20} more" if len(missing) > 20 else "")
                out.append(f"  in the roster but nothing graded (their grade in {fmt.title()} is left as "
                           f"it is): {shown}")
        return out + [f"Action needed: {m}" for m in self.must_act]


def _match(kind: str, roster: Roster | None, scored: list[dict]) -> tuple[dict[str, dict], dict[str, str]]:
    """{student: roster row} and {student: why not}."""
    matched: dict[str, dict] = {}
    why: dict[str, str] = {}
    if roster is None:
        return matched, why
    index: dict[str, dict[str, list[int]]] = {}
    for i, row in enumerate(roster.students):
        for kind_, values in roster.keys(row).items():
            for value in values:
                if value:
                    index.setdefault(kind_, {}).setdefault(value, []).append(i)
    taken: dict[int, list[str]] = {}
    for row in scored:
        student = row["student"]
        for kind_, value in _our_keys(kind, student, row["file"]):
            hits = index.get(kind_, {}).get(value, [])
            if len(hits) == 1:
                matched[student] = roster.students[hits[0]]
                taken.setdefault(hits[0], []).append(student)
                break
            if len(hits) > 1:
                names = "; ".join(roster.name(roster.students[i]) for i in hits[:4])
                why[student] = (f"fits {len(hits)} students of the roster ({names}); rename the file "
                                "or folder after the student's login or id and re-run")
                break
        else:
            why[student] = (f"not in the roster {roster.path.name} (no id, login, email or name "
                            "matches); check the spelling, or whether the student left the course")
    for i, students in taken.items():
        if len(students) > 1:
            for s in students:
                matched.pop(s, None)
                why[s] = (f"{len(students)} of our students fit one roster student "
                          f"({roster.name(roster.students[i])}): {', '.join(sorted(students))}; "
                          "keep one and re-run")
    return matched, why


def _item(kind: str, roster: Roster | None, assignment: str, item: str | None, notes: list[str]) -> str:
    """The assignment column: given, found in the roster, or the assignment's name."""
    if item:
        if roster is not None and item not in roster.items:
            notes.append(f"{kind.title()}: the roster has no column {item!r}; the platform will "
                         "treat it as a new assignment.")
        return item
    if roster is None:
        return assignment
    wanted = words(assignment)
    fits = []
    for column in roster.items:
        name = roster.item_name(column)
        if name_key(name) == name_key(assignment) or (wanted and wanted <= words(name)):
            fits.append(column)
    if len(fits) == 1:
        return fits[0]
    if fits:
        notes.append(f"{kind.title()}: several roster columns fit {assignment!r} ({', '.join(fits)}); "
                     f"the file uses the name {assignment!r}. Choose one with --lms-item.")
    else:
        notes.append(f"{kind.title()}: no column of the roster fits {assignment!r}; the file uses that "
                     "name, and the platform will offer to create it as a new assignment. To grade an "
                     "existing one, pass its column name with --lms-item.")
    return assignment


def _feedback(row: dict, parts: list[str], possible: float, waiting: list[str] = ()) -> str:
    pieces = [f"{q} {row[q]}" for q in parts if row.get(q)]
    text = (f"Points so far: {row['total']} of {possible:g} (written answers not graded yet: "
            f"{', '.join(waiting)}; this grade will change)" if waiting
            else f"Points: {row['total']} of {possible:g}")
    if pieces:
        text += " (" + ", ".join(pieces) + ")"
    if row["status"] != "ok":
        text += f". Status {row['status']}: {STATUSES.get(row['status'], row['status'])}"
    return text + "."


def _grade(row: dict, scale: str, possible: float) -> float:
    """What the platform receives: the points, or a percentage of the possible points."""
    total = float(row["total"])
    if scale == "points":
        return total
    return round(100 * total / possible, 2) if possible else 0.0


def _canvas_identity(row: dict, roster: Roster | None, match: dict | None) -> list[str] | str:
    """The identity cells of one student's Canvas row (CANVAS_COLUMNS), or why there are none."""
    if roster is not None:
        return [roster.name(match), *(roster.value(match, r) for r in ("id", "sis_user", "sis_login",
                                                                        "section"))]
    found = _CANVAS_FILE.match(row["file"].rsplit("/", 1)[-1])
    if not found:
        return ("no Canvas user id in the file name (Canvas names downloads name_12345_67890_file); "
                "give the Canvas gradebook export with --roster")
    return [row["student"], found["id"], "", "", ""]


def _canvas(rows, roster, matched, item, scale, possible, result) -> list[list]:
    table = [[*CANVAS_COLUMNS, item],
             [CANVAS_POINTS_ROW, "", "", "", "", possible if scale == "points" else 100.0]]
    left_out = result.left_out["canvas"]
    for row in rows:
        student = row["student"]
        if student in left_out:
            continue
        ident = _canvas_identity(row, roster, matched.get(student))
        why = ident if isinstance(ident, str) else _unsafe_id(dict(zip(CANVAS_COLUMNS, ident)))
        if why:
            left_out[student] = why
            continue
        table.append([*ident, _grade(row, scale, possible)])
        result.exported["canvas"].append(student)
    return table


def _moodle_identity(student: str, relpath: str, roster: Roster | None,
                     match: dict | None) -> dict[str, str] | str:
    """{column: value} of one student's Moodle row (the roster's own column names), or why not."""
    if roster is not None:
        return {roster.roles[r]: roster.value(match, r) for r in MOODLE_ROLES if r in roster.roles}
    if moodle_folder(relpath.split("/", 1)[0]):
        return ("Moodle's folder names carry the student's full name, which Moodle's import cannot "
                "match; give Moodle's gradebook export with --roster")
    return {_ENGLISH["email"] if "@" in student else _ENGLISH["username"]: student}


def _moodle_match_columns(roster: Roster | None, body: list, result: ExportResult) -> list[str]:
    """The columns Moodle can match users on that the file offers: those filled for every student.

    Moodle's import skips a row whose matching cell is blank and gives its grade to the student
    above it (``map_user_data_with_value`` in grade/import/csv/classes/load_data.php), so a
    column with a blank is not offered; if none is complete, the one with fewest blanks is, and
    the students without it are left out."""
    if roster is not None:
        candidates = [roster.roles[r] for r in MOODLE_MATCHABLE if r in roster.roles]
    else:
        candidates = [_ENGLISH[r] for r in ("username", "email")
                      if any(_ENGLISH[r] in ident for _, ident, _, _ in body)] or [_ENGLISH["username"]]
    blanks = {c: [s for s, ident, _, _ in body if not ident.get(c)] for c in candidates}
    complete = [c for c in candidates if not blanks[c]]
    chosen = complete or [min(candidates, key=lambda c: len(blanks[c]))]
    for column in candidates:
        if column not in chosen:
            shown = ", ".join(blanks[column][:5]) + (" ..." if len(blanks[column]) > 5 else "")
            result.notes.append(f"Moodle: {column!r} is blank for {len(blanks[column])} student(s) "
                                f"({shown}), so it is not in the file: Moodle's import skips a blank "
                                "id and gives that row's grade to the student above. Map "
                                f"{' or '.join(repr(c) for c in chosen)} instead.")
    for student in blanks[chosen[0]] if not complete else ():
        result.left_out["moodle"][student] = (f"no {chosen[0]!r}, the column Moodle matches every "
                                              "row on; give Moodle's gradebook export with --roster "
                                              "(with the id filled in), or enter this grade by hand")
    return chosen


def _moodle(rows, parts, roster, matched, item, scale, possible, result) -> list[list]:
    left_out = result.left_out["moodle"]
    body = []
    for row in rows:
        student = row["student"]
        if student in left_out:
            continue
        ident = _moodle_identity(student, row["file"], roster, matched.get(student))
        why = ident if isinstance(ident, str) else _unsafe_id(ident)
        if why:
            left_out[student] = why
            continue
        body.append((student, ident, _grade(row, scale, possible),
                     _feedback(row, parts, possible, result.ungraded.get(student, []))))
    match_columns = _moodle_match_columns(roster, body, result)
    names = [roster.roles[r] for r in ("first", "last") if r in roster.roles] if roster else []
    ids = names + match_columns
    feedback = (roster.item_name(item) if roster else item) + " (Feedback)"
    table = [[*ids, item, feedback]]
    for student, ident, grade, text in body:
        if student not in left_out:
            table.append([ident.get(c, "") for c in ids] + [grade, text])
            result.exported["moodle"].append(student)
    return table


def _scale_note(fmt: str, scale: str, possible: float, roster: Roster | None, column: str) -> str | None:
    """What the file's numbers mean, and what the platform's item must be set to."""
    if fmt == "moodle":
        if scale == "percent":
            return (f"Moodle: grades are percentages of {possible:g} points, for a grade item whose "
                    "maximum grade is 100.")
        return (f"Moodle: grades are points out of {possible:g}: the grade item's maximum grade must "
                f"be {possible:g} (a grade item the import creates has a maximum of 100), or write "
                "percentages with --scale percent.")
    worth = roster.points.get(column) if roster is not None else None
    wanted = possible if scale == "points" else 100.0
    if worth is not None and abs(worth - wanted) > 1e-9:
        return (f"Canvas: {column!r} is worth {worth:g} points in Canvas, but these grades are "
                + (f"out of {possible:g}" if scale == "points" else "percentages (out of 100)")
                + ". Change its points in Canvas first, or the percentages there will be wrong.")
    return None


def check_arguments(formats, rosters=(), scale: str = "points") -> tuple[list[str], dict[str, Roster]]:
    """The formats asked for (a list, or text such as ``"canvas,moodle"``) and the rosters read,
    by platform; raises :class:`GradebookError` when either, or the scale, is wrong (checked
    before grading)."""
    if scale not in SCALES:
        raise GradebookError(f"unknown scale {scale!r}; choose points (the total, out of the "
                             "exercise's points) or percent (out of 100).")
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    formats = list(dict.fromkeys(str(f).casefold() for f in formats or ()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise GradebookError(f"unknown export format(s) {unknown or formats}; choose from "
                             f"{', '.join(FORMATS)} (comma-separated).")
    by_kind: dict[str, Roster] = {}
    for path in rosters or ():
        roster = read_roster(path)
        if roster.kind in by_kind:
            raise GradebookError(f"two {roster.kind.title()} rosters given ({by_kind[roster.kind].path} "
                                 f"and {roster.path}); give one per platform.")
        if roster.kind not in formats:
            raise GradebookError(f"the roster {roster.path} is a {roster.kind.title()} gradebook export, "
                                 f"but no {roster.kind} file was asked for (--export {','.join(formats)}).")
        by_kind[roster.kind] = roster
    return formats, by_kind


def _hand_graded(rows: list[dict], parts: list[str], assignment: str) -> tuple[dict[str, list[str]], float]:
    """({student: hand-graded questions without points}, the points of hand-graded questions
    that grades.csv has no column for yet), from the exercise master's questions."""
    from .manual import manual_questions

    try:
        questions = {q.name: q.points for q in manual_questions(assignment)}
    except Exception:  # noqa: BLE001 - a master that cannot be read: grades.csv as it stands
        questions = {}
    absent = sum(points for q, points in questions.items() if q not in parts)
    waiting = {}
    for row in rows:
        if row["status"] in NOT_ATTEMPTED or row["status"] == "duplicate" or not row["total"]:
            continue
        missing = [q for q in questions if not row.get(q)]
        if missing:
            waiting[row["student"]] = missing
    return waiting, absent


def _guard_ungraded(ungraded: str, waiting: dict[str, list[str]], result: ExportResult) -> set[str]:
    """Apply the instructor's choice for totals that leave out written answers; the students to
    leave out. Raises :class:`GradebookError` for ``refuse``."""
    if ungraded not in UNGRADED:
        raise GradebookError(f"unknown --ungraded {ungraded!r}; choose from {', '.join(UNGRADED)}.")
    if not waiting:
        return set()
    listed = "; ".join(f"{s} ({', '.join(q)})" for s, q in sorted(waiting.items(), key=lambda kv: kv[0].casefold()))
    if ungraded == "refuse":
        raise GradebookError(
            f"{len(waiting)} student(s) have written answers not graded yet, so their totals are not "
            f"their grades: {listed}. Give the points in by-question/manual.csv and run again; or "
            "export anyway with --ungraded partial (totals so far, marked) or --ungraded leave-out "
            "(only the students graded in full).")
    result.ungraded = waiting
    if ungraded == "partial":
        result.notes.append(f"Totals so far, written answers not graded yet (--ungraded partial), for "
                            f"{len(waiting)} student(s): {listed}. Export again once they are graded.")
        return set()
    result.notes.append(f"Left out until their written answers are graded (--ungraded leave-out): {listed}.")
    return set(waiting)


def _data_rows(path: Path, fmt: str) -> int:
    """How many students an export file holds (0 if it cannot be read)."""
    try:
        _, rows = read_grades(path, strip=True)
    except GradesMismatch:
        return 0
    return sum(1 for r in rows if fmt != "canvas" or not (r.get("Student") or "").strip() == "Points Possible")


def _write_keeping_more(path: Path, data: bytes, fmt: str, students: int, result: ExportResult) -> None:
    """Write ``data``; an earlier file with more students is kept as a timestamped backup, and said."""
    before = _data_rows(path, fmt) if path.is_file() else 0
    if before > students:
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        backup = path.with_name(f"{path.stem}.{stamp}{path.suffix}")
        shutil.copy2(path, backup)
        result.must_act.append(f"{path.name} had {before} student(s) and now has {students}; the earlier "
                               f"file is kept as {backup.name}. Check which one to import (a roster "
                               "missing this time?).")
    atomic_write_bytes(path, data)


def export_gradebook(out_dir: Path, formats=FORMATS, rosters=(), *, item: str | None = None,
                     scale: str = "points", ungraded: str = "refuse") -> ExportResult:
    """Write ``grades-<format>.csv`` into ``out_dir`` for each of ``formats`` (see the module's
    docstring). ``rosters``: gradebook exports of the platforms (at most one per platform);
    ``item``: the assignment column to write (default: the roster's column that fits, or the
    assignment's name); ``scale``: ``"points"`` (the default) or ``"percent"``; ``ungraded``:
    ``"refuse"`` (the default), ``"partial"`` or ``"leave-out"``, for totals that leave out
    written answers still to be graded by hand."""
    out_dir = Path(out_dir).expanduser()
    formats, by_kind = check_arguments(formats, rosters, scale)
    rows, parts, assignment = verified_rows(out_dir)
    result = ExportResult()
    waiting, absent = _hand_graded(rows, parts, assignment)
    held_back = _guard_ungraded(ungraded, waiting, result)
    scored = [r for r in rows if r["status"] != "duplicate" and r["total"] and r["student"] not in held_back]
    unscored = {r["student"]: (f"no score ({r['status']}: "
                               + ("several notebooks; keep one and re-run" if r["status"] == "duplicate"
                                  else "the grader failed on it; re-run to retry") + ")")
                for r in rows if r["status"] == "duplicate" or not r["total"]}
    unscored.update({s: "written answers not graded yet (--ungraded leave-out)" for s in held_back})
    possibles = {r["possible"] for r in rows if r["possible"]}
    possible = float(max(possibles, key=float)) + absent if possibles else 0.0
    if len(possibles) > 1:
        result.notes.append(f"grades.csv gives different possible points ({', '.join(sorted(possibles))}); "
                            f"the grades are taken out of {possible:g}.")
    for fmt in formats:
        roster = by_kind.get(fmt)
        # every student is matched (so a duplicate is not listed as absent); only scores are written
        matched, why = _match(fmt, roster, rows)
        result.left_out[fmt] = {**{s: w for s, w in why.items() if s not in unscored}, **unscored}
        result.exported[fmt] = []
        column = _item(fmt, roster, assignment, item, result.notes)
        if fmt == "canvas":
            table = _canvas(scored, roster, matched, column, scale, possible, result)
            verbatim = len(CANVAS_COLUMNS)
        else:
            table = _moodle(scored, parts, roster, matched, column, scale, possible, result)
            verbatim = len(table[0]) - 2
        note = _scale_note(fmt, scale, possible, roster, column)
        if note:
            (result.must_act if fmt == "canvas" else result.notes).append(note)
        if roster is not None:
            used = {id(r) for r in matched.values()}
            result.not_submitted[fmt] = sorted((roster.name(r) or roster.value(r, "id")
                                                for r in roster.students if id(r) not in used),
                                               key=str.casefold)
        path = out_dir / FILE_NAMES[fmt]
        if not result.exported[fmt]:
            result.must_act.append(f"{path.name} not written: no student could be exported "
                                   + ("(see who was left out, and why)" if rows else "(nobody graded)")
                                   + (f"; the earlier {path.name} is left as it was." if path.exists() else "."))
            continue
        _write_keeping_more(path, rows_bytes(table, verbatim=verbatim), fmt, len(result.exported[fmt]), result)
        result.files[fmt] = path
    return result


# --- command line ----------------------------------------------------------------------------------------
def add_arguments(p: argparse.ArgumentParser, *, standalone: bool) -> None:
    """The export options (also on socialkit-grade, where --export is optional)."""
    p.add_argument("--export", metavar="FORMATS", default=None if not standalone else "canvas,moodle",
                   help="write grades-canvas.csv and/or grades-moodle.csv in OUT for the platform's "
                        "gradebook import: canvas, moodle or canvas,moodle"
                        + (" (default: both)" if standalone else " (after grading)"))
    p.add_argument("--roster", metavar="FILE", type=Path, action="append", default=[],
                   help="the platform's own gradebook export (Canvas: Grades > Export; Moodle: Grades > "
                        "Export > Plain text file), to match students to the platform's ids; once per "
                        "platform")
    p.add_argument("--lms-item", metavar="NAME", default=None,
                   help="the assignment column to write, exactly as in the roster (e.g. "
                        "'Exercise 1 (67890)'); default: the roster's column that fits the assignment")
    p.add_argument("--ungraded", choices=UNGRADED, default="refuse",
                   help="totals that leave out written answers not graded yet: refuse (export "
                        "nothing, the default), partial (totals so far, marked and listed) or "
                        "leave-out (only the students graded in full)")
    p.add_argument("--scale", choices=SCALES, default="points",
                   help="points: each total out of the exercise's points (the platform's item must "
                        "be worth as much); percent: out of 100 (default: points)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m socialkit.course.grading.outputs.gradebook",
        description="Write a graded class's grades in the import formats of Canvas and Moodle, from "
                    "OUT/grades.csv checked against the signed records in OUT/results. See the "
                    "instructor guide, 'Sending grades to Canvas or Moodle'.")
    p.add_argument("out", metavar="OUT", type=Path, help="the output folder of socialkit-grade")
    add_arguments(p, standalone=True)
    return p


def run_export(out_dir: Path, formats: str, rosters, item: str | None, *, prog: str,
               scale: str = "points", ungraded: str = "refuse") -> int:
    """Export and print what happened; 0 written, 1 written but the instructor must act (the
    messages say what), 2 not written (the reason is printed)."""
    try:
        result = export_gradebook(out_dir, formats, rosters, item=item, scale=scale, ungraded=ungraded)
    except GradebookError as error:
        print(f"{prog}: gradebook export not written: {error}", file=sys.stderr)
        return 2
    for line in result.messages():
        print(line, file=sys.stderr if line.startswith("Action needed") else sys.stdout)
    return 1 if result.must_act else 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return run_export(args.out, args.export, args.roster, args.lms_item, scale=args.scale,
                      ungraded=args.ungraded, prog="socialkit.course.grading.outputs.gradebook")


if __name__ == "__main__":
    sys.exit(main())

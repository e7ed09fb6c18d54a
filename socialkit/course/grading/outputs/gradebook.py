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
  Moodle's folder names (``Jane Smith_12345_assignsubmission_file_``), first-last or last-first.

A student in the records but not in the roster, a key that fits several roster rows, and two of
our students on one roster row are left out and listed; students of the roster with nothing
graded are listed too (their grade in the platform is left as it is). Without a roster, Canvas
rows carry the user id from Canvas's file names, and Moodle rows the id itself as an email
address or username; students who cannot be identified that way are listed.

**The files** (the columns the platforms document for import; see the instructor guide for the
links):

* ``grades-canvas.csv``: ``Student, ID, SIS User ID, SIS Login ID, Section, <assignment>`` and a
  ``Points Possible`` row under the header, as Canvas's own export has. The assignment column
  is the roster's column for this assignment (``Exercise 1 (67890)``) when one fits, so Canvas
  updates that assignment; otherwise the assignment's name, and Canvas offers to create it.
* ``grades-moodle.csv``: identity columns (``First name, Last name, ID number, Email address``,
  or ``Username``/``Email address`` without a roster), the grade and a feedback column (the points
  per question). In Moodle's CSV import, map the ``Email address`` column to ``useremail`` (or
  ``ID number`` to ``useridnumber``), the grade column to the grade item and the feedback column
  to its feedback.

Every text cell a spreadsheet would read as a formula is neutralised as in ``grades.csv``.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .report import (GRADES_COLUMNS, STATUSES, GradesMismatch, check_row, point_columns,
                     read_grades)
from .tables import delimiter_of, number, rows_bytes
from ..intake.store import KEY_FILE, atomic_write_bytes, load_record, record_path

__all__ = ["FORMATS", "CANVAS_COLUMNS", "GradebookError", "Roster", "ExportResult", "read_roster",
           "verified_rows", "check_arguments", "export_gradebook", "add_arguments", "run_export",
           "build_parser", "main"]

FORMATS = ("canvas", "moodle")
FILE_NAMES = {"canvas": "grades-canvas.csv", "moodle": "grades-moodle.csv"}
#: the identity columns of Canvas's gradebook import, in order (the assignment column follows)
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_ROW = "    Points Possible"
#: the identity columns of Moodle's gradebook export that we copy from a Moodle roster
MOODLE_COLUMNS = ("First name", "Last name", "ID number", "Email address")
_MOODLE_LAST = ("Last name", "Surname")
#: the columns ``report.write_grades`` writes besides one per autograded question
_CANVAS_FILE = re.compile(r"^[^_/]+_(?:LATE_)?(?P<id>\d+)_\d+_")
_MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<pid>\d+)_assign(?:submission|feedback)_[a-z]*_?$")
_CANVAS_ITEM = re.compile(r"^(?P<name>.+) \((?P<id>\d+)\)$")


class GradebookError(ValueError):
    """The export cannot be made (bad argument, unreadable roster, grades.csv not backed by its
    signed records); the message says what to do."""


# --- small helpers ----------------------------------------------------------------------------------
def _key(text: str) -> str:
    """A name or id compared loosely: accents dropped, case folded, only letters and digits."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c)).casefold()


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[^0-9a-z]+", _key_spaced(text)) if w and not w.isdigit()}


def _key_spaced(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c)).casefold()


def _read_table(path: Path, what: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV (comma, tab or semicolon; a byte-order mark is fine)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GradebookError(f"{what} {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GradebookError(f"{what} {path} cannot be read as UTF-8 text ({error}); download it "
                             "again as CSV.") from None
    first = text.split("\n", 1)[0]
    delimiter = delimiter_of(first)
    try:
        table = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise GradebookError(f"{what} {path} is not a readable CSV file: {error}") from None
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise GradebookError(f"{what} {path} is empty.")
    header = [h.strip() for h in table[0]]
    return header, [dict(zip(header, (c.strip() for c in row))) for row in table[1:]]


# --- the roster ---------------------------------------------------------------------------------------
@dataclass
class Roster:
    """A platform's gradebook export: its students, and its assignment columns."""

    kind: str                       # "canvas" or "moodle"
    path: Path
    columns: list[str]
    students: list[dict]            # one dict per student row, by column name
    items: list[str]                # assignment / grade item columns
    points: dict[str, str] = field(default_factory=dict)   # Canvas: points possible per item

    def name(self, row: dict) -> str:
        if self.kind == "canvas":
            return row.get("Student", "")
        last = next((row[c] for c in _MOODLE_LAST if row.get(c)), "")
        return f"{row.get('First name', '')} {last}".strip()


def read_roster(path: Path) -> Roster:
    """Read a Canvas or Moodle gradebook export (which one is seen from its columns)."""
    path = Path(path).expanduser()
    header, rows = _read_table(path, "The roster")
    if {"Student", "ID"} <= set(header):
        students, points = [], {}
        items = [h for h in header if _CANVAS_ITEM.match(h)]
        for row in rows:
            label = row.get("Student", "")
            if label.strip().casefold() == "points possible":
                points = {h: row.get(h, "") for h in items}
                continue
            if not any(row.get(c) for c in ("ID", "SIS User ID", "SIS Login ID")):
                continue  # "Manual Posting", "Muted" and other rows that are not students
            if label.strip().casefold() == "student, test":
                continue  # Canvas's Test Student
            students.append(row)
        return Roster("canvas", path, header, students, items, points)
    if "Email address" in header or ("First name" in header and set(_MOODLE_LAST) & set(header)):
        items = [h for h in header if re.search(r"\((Real|Percentage|Letter)\)$", h)
                 and not h.casefold().startswith("course total")]
        students = [row for row in rows if any(row.get(c) for c in (*MOODLE_COLUMNS, "Username"))]
        return Roster("moodle", path, header, students, items)
    raise GradebookError(
        f"The roster {path} is neither a Canvas gradebook export (columns Student, ID, SIS User ID, "
        "SIS Login ID, Section, ...) nor a Moodle one (First name, Last name, ..., Email address). "
        f"Its columns are: {', '.join(header[:8])}. Download it from the platform's gradebook "
        "(Canvas: Export; Moodle: Export > Plain text file).")


def _roster_keys(roster: Roster, row: dict) -> dict[str, set[str]]:
    """Keys of one roster row, by how reliable they are."""
    if roster.kind == "canvas":
        name = roster.name(row)
        last, _, first = name.partition(",")
        return {"canvas-id": {row.get("ID", "")},
                "login": {row.get(c, "").casefold() for c in ("ID", "SIS User ID", "SIS Login ID")},
                "name": {_key(last + first), _key(first + last)}}
    last = next((row[c] for c in _MOODLE_LAST if row.get(c)), "")
    return {"login": {row.get(c, "").casefold() for c in ("Email address", "ID number", "Username")},
            "name": {_key(row.get("First name", "") + last), _key(last + row.get("First name", ""))}}


def _our_keys(kind: str, student: str, relpath: str) -> list[tuple[str, str]]:
    """The keys of one of our students, most reliable first."""
    keys = []
    if kind == "canvas":
        match = _CANVAS_FILE.match(relpath.rsplit("/", 1)[-1])
        if match:
            keys.append(("canvas-id", match["id"]))
    keys.append(("login", student.casefold()))
    folder = _MOODLE_FOLDER.match(student)
    if kind == "moodle" and folder:
        keys.append(("name", _key(folder["name"])))
    keys.append(("name", _key(student)))
    return [(k, v) for k, v in keys if v]


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
        return out


def _match(kind: str, roster: Roster | None, scored: list[dict]) -> tuple[dict[str, dict], dict[str, str]]:
    """{student: roster row} and {student: why not}."""
    matched: dict[str, dict] = {}
    why: dict[str, str] = {}
    if roster is None:
        return matched, why
    index: dict[str, dict[str, list[int]]] = {}
    for i, row in enumerate(roster.students):
        for kind_, values in _roster_keys(roster, row).items():
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
    wanted = _words(assignment)
    fits = []
    for column in roster.items:
        name = column
        if kind == "canvas":
            name = _CANVAS_ITEM.match(column)["name"]
        else:
            name = re.sub(r"\s*\((Real|Percentage|Letter)\)$", "", column)
        if _key(name) == _key(assignment) or (wanted and wanted <= _words(name)):
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


def _feedback(row: dict, parts: list[str]) -> str:
    pieces = [f"{q} {row[q]}" for q in parts if row.get(q)]
    text = f"Points: {row['total']} of {row['possible']}"
    if pieces:
        text += " (" + ", ".join(pieces) + ")"
    if row["status"] != "ok":
        text += f". Status {row['status']}: {STATUSES.get(row['status'], row['status'])}"
    return text + "."


def _canvas(rows, parts, roster, matched, item, possible, result) -> list[list]:
    table = [[*CANVAS_COLUMNS, item], [CANVAS_POINTS_ROW, "", "", "", "", possible]]
    left_out = result.left_out["canvas"]
    for row in rows:
        student = row["student"]
        if student in left_out:
            continue
        if roster is not None:
            r = matched[student]
            table.append([r.get("Student", ""), r.get("ID", ""), r.get("SIS User ID", ""),
                          r.get("SIS Login ID", ""), r.get("Section", ""), float(row["total"])])
        else:
            match = _CANVAS_FILE.match(row["file"].rsplit("/", 1)[-1])
            if not match:
                left_out[student] = ("no Canvas user id in the file name (Canvas names downloads "
                                     "name_12345_67890_file); give the Canvas gradebook export with --roster")
                continue
            table.append([student, match["id"], "", "", "", float(row["total"])])
        result.exported["canvas"].append(student)
    return table


def _moodle(rows, parts, roster, matched, item, result) -> list[list]:
    grade_col = item
    feedback_col = re.sub(r"\s*\((Real|Percentage|Letter)\)$", "", item) + " (Feedback)"
    left_out = result.left_out["moodle"]
    body = []
    for row in rows:
        student = row["student"]
        if student in left_out:
            continue
        if roster is not None:
            r = matched[student]
            ident = {c: r.get(c, "") for c in (*MOODLE_COLUMNS, "Username")}
            ident["Last name"] = ident["Last name"] or r.get("Surname", "")
        elif _MOODLE_FOLDER.match(student):
            left_out[student] = ("Moodle's folder names carry the student's full name, which Moodle's "
                                 "import cannot match; give Moodle's gradebook export with --roster")
            continue
        else:
            ident = {"Email address" if "@" in student else "Username": student}
        body.append((ident, float(row["total"]), _feedback(row, parts)))
        result.exported["moodle"].append(student)
    if roster is not None:
        ids = [c for c in MOODLE_COLUMNS if c in roster.columns or (c == "Last name" and "Surname" in roster.columns)]
        ids += ["Username"] if "Username" in roster.columns else []
    else:  # one column Moodle can map: Username, Email address, or both if the ids are mixed
        ids = [c for c in ("Username", "Email address") if any(c in ident for ident, _, _ in body)]
        ids = ids or ["Username"]
    return [[*ids, grade_col, feedback_col]] + [[ident.get(c, "") for c in ids] + [total, text]
                                                for ident, total, text in body]


def check_arguments(formats, rosters=()) -> tuple[list[str], dict[str, Roster]]:
    """The formats asked for (a list, or text such as ``"canvas,moodle"``) and the rosters read,
    by platform; raises :class:`GradebookError` when either is wrong (checked before grading)."""
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


def export_gradebook(out_dir: Path, formats=FORMATS, rosters=(), *, item: str | None = None) -> ExportResult:
    """Write ``grades-<format>.csv`` into ``out_dir`` for each of ``formats`` (see the module's
    docstring). ``rosters``: gradebook exports of the platforms (at most one per platform);
    ``item``: the assignment column to write (default: the roster's column that fits, or the
    assignment's name)."""
    out_dir = Path(out_dir).expanduser()
    formats, by_kind = check_arguments(formats, rosters)
    rows, parts, assignment = verified_rows(out_dir)
    result = ExportResult()
    scored = [r for r in rows if r["status"] != "duplicate" and r["total"]]
    unscored = {r["student"]: (f"no score ({r['status']}: "
                               + ("several notebooks; keep one and re-run" if r["status"] == "duplicate"
                                  else "the grader failed on it; re-run to retry") + ")")
                for r in rows if r["status"] == "duplicate" or not r["total"]}
    possibles = {r["possible"] for r in scored if r["possible"]}
    possible = float(max(possibles, key=float)) if possibles else 0.0
    if len(possibles) > 1:
        result.notes.append(f"grades.csv gives different possible points ({', '.join(sorted(possibles))}); "
                            f"the Canvas Points Possible row says {possible:g}.")
    for fmt in formats:
        roster = by_kind.get(fmt)
        # every student is matched (so a duplicate is not listed as absent); only scores are written
        matched, why = _match(fmt, roster, rows)
        result.left_out[fmt] = {**{s: w for s, w in why.items() if s not in unscored}, **unscored}
        result.exported[fmt] = []
        column = _item(fmt, roster, assignment, item, result.notes)
        if fmt == "canvas":
            table = _canvas(scored, parts, roster, matched, column, possible, result)
            worth = roster.points.get(column, "") if roster is not None else ""
            try:
                if worth and abs(float(worth) - possible) > 1e-9:
                    result.notes.append(f"Canvas: {column!r} is worth {worth} points in Canvas, but these "
                                        f"totals are out of {possible:g}. Change its points in Canvas "
                                        "first, or the percentages there will be wrong.")
            except ValueError:
                pass
        else:
            table = _moodle(scored, parts, roster, matched, column, result)
        if roster is not None:
            used = {id(r) for r in matched.values()}
            result.not_submitted[fmt] = sorted((roster.name(r) or r.get("ID", "") for r in roster.students
                                                if id(r) not in used), key=str.casefold)
        path = out_dir / FILE_NAMES[fmt]
        atomic_write_bytes(path, rows_bytes(table))
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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m socialkit.course.grading.outputs.gradebook",
        description="Write a graded class's grades in the import formats of Canvas and Moodle, from "
                    "OUT/grades.csv checked against the signed records in OUT/results. See the "
                    "instructor guide, 'Sending grades to Canvas or Moodle'.")
    p.add_argument("out", metavar="OUT", type=Path, help="the output folder of socialkit-grade")
    add_arguments(p, standalone=True)
    return p


def run_export(out_dir: Path, formats: str, rosters, item: str | None, *, prog: str) -> int:
    """Export and print what happened; 0 written, 2 not written (the reason is printed)."""
    try:
        result = export_gradebook(out_dir, formats, rosters, item=item)
    except GradebookError as error:
        print(f"{prog}: gradebook export not written: {error}", file=sys.stderr)
        return 2
    for line in result.messages():
        print(line)
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return run_export(args.out, args.export, args.roster, args.lms_item,
                      prog="socialkit.course.grading.outputs.gradebook")


if __name__ == "__main__":
    sys.exit(main())

"""A learning platform's own gradebook export (the *roster*), read the way the platform writes it.

The instructor downloads it (Canvas: Grades → Export; Moodle: Grades → Export → Plain text
file); the gradebook export uses it to find each of our students among the platform's.

**Canvas** (rules of its importer, ``app/models/gradebook_importer.rb``): the header starts
``Student, ID`` or, with separate names, ``LastName, FirstName, ID``; identity columns run to
``Section``; assignment columns read ``Title (id)``; a ``Points Possible`` row may follow the
header. Some locales save it with ``;`` between fields and a decimal comma: Canvas chooses ``;``
when splitting the first three lines on it gives one field count for all of them, and more
fields than ``,`` does, and reads ``1.234,5`` as ``1234.5``. This reader does the same.

**Moodle** (``grade/export/txt``): the user's profile fields (by default first name, last name,
ID number, institution, department, email address, in the site's language), one column per
grade item ending in its display type (``(Real)`` in English), and last the time of the
download (a Unix time on every row). It is recognised by that structure, not by English words:
the last column holds a Unix time on every row and one identity column holds email addresses.
The first two columns are the first and last name; the email column is the one whose values are
addresses; ``ID number`` and ``Username`` are taken from their English headers when present, and
the ID number from the third column when the export has Moodle's default six profile fields.

>>> canvas_number("1.234,5"), canvas_number("14,0"), canvas_number("14"), canvas_number("(read only)")
(1234.5, 14.0, 14.0, None)
>>> split_counts(["a;b;c", "1;2,5;3"], ";"), split_counts(["a;b;c", "1;2,5;3"], ",")
([3, 3], [1, 2])
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["GradebookError", "Roster", "read_roster", "read_table", "canvas_number", "split_counts",
           "name_key", "words", "CANVAS_ITEM"]

#: an assignment column of Canvas's export: ``Exercise 1 (67890)``
CANVAS_ITEM = re.compile(r"^(?P<name>.+) \((?P<id>\d+)\)$")
#: a grade item column of Moodle's export: ``Assignment: Exercise 1 (Real)``, in any language
_MOODLE_ITEM = re.compile(r"^(?P<name>.+?)\s*\((?P<display>[^()]+)\)$")
_UNIX_TIME = re.compile(r"^1\d{9}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_CANVAS_IDS = ("ID", "SIS User ID", "SIS Login ID", "Integration ID")
#: Moodle's default export profile fields (setting grade_export_userprofilefields)
_MOODLE_DEFAULT_FIELDS = ("first", "last", "idnumber", "institution", "department", "email")


class GradebookError(ValueError):
    """The export cannot be made (bad argument, unreadable roster, grades.csv not backed by its
    signed records); the message says what to do."""


def name_key(text: str) -> str:
    """A name or id compared loosely: accents dropped, case folded, only letters and digits.

    >>> name_key("  Mar\u00eda-Jos\u00e9 O'Neil ")
    'mariajoseoneil'
    """
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c)).casefold()


def words(text: str) -> set[str]:
    """The words of a title, loosely, without numbers: ``{"exercise", "listen"}`` for
    ``"Exercise 4: Listen"``."""
    text = unicodedata.normalize("NFKD", text)
    spaced = "".join(c if c.isalnum() else " " for c in text if not unicodedata.combining(c)).casefold()
    return {w for w in spaced.split() if not w.isdigit()}


def canvas_number(text: str) -> float | None:
    """A number as Canvas's importer reads it (its ``decimal_comma_to_period`` converter: the last
    ``,`` or ``.`` is the decimal point, the others group thousands); None if not a number."""
    text = text.strip()
    if not re.fullmatch(r"-?[0-9.,]+", text):
        return None
    parts = re.split(r"[,.]", text)
    last = parts.pop()
    try:
        return float(f"{''.join(parts)}.{last}" if parts else last)
    except ValueError:
        return None


def split_counts(lines: list[str], delimiter: str) -> list[int]:
    """How many fields each of ``lines`` has when split on ``delimiter`` (quotes respected)."""
    return [len(next(csv.reader([line], delimiter=delimiter), [])) for line in lines]


def _delimiter(text: str) -> str:
    """Tab for Moodle's tab-separated export; otherwise Canvas's rule (module docstring)."""
    lines = text.splitlines()[:3]
    if lines and "\t" in lines[0] and len(set(split_counts(lines, "\t"))) == 1:
        return "\t"
    counts = {d: split_counts(lines, d) for d in (";", ",")}
    consistent = {d: (c[0] if c and len(set(c)) == 1 else 0) for d, c in counts.items()}
    return ";" if consistent[";"] > consistent[","] else ","


def read_table(path: Path, what: str) -> tuple[list[str], list[dict]]:
    """Header and rows (dicts by column) of a CSV a platform or spreadsheet saved."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GradebookError(f"{what} {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise GradebookError(f"{what} {path} cannot be read as UTF-8 text ({error}); download it "
                             "again as CSV.") from None
    try:
        table = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    except csv.Error as error:
        raise GradebookError(f"{what} {path} is not a readable CSV file: {error}") from None
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise GradebookError(f"{what} {path} is empty.")
    header = [h.strip() for h in table[0]]
    return header, [dict(zip(header, (c.strip() for c in row))) for row in table[1:]]


@dataclass
class Roster:
    """A platform's gradebook export: its students, its assignment columns, and which of its
    columns plays which part (``roles``: role → the roster's own column name)."""

    kind: str                       # "canvas" or "moodle"
    path: Path
    columns: list[str]
    students: list[dict]            # one dict per student row, by column name
    items: list[str]                # assignment / grade item columns
    roles: dict[str, str] = field(default_factory=dict)
    points: dict[str, float] = field(default_factory=dict)  # Canvas: points possible per item

    def value(self, row: dict, role: str) -> str:
        return row.get(self.roles.get(role, "\0"), "")

    def name(self, row: dict) -> str:
        """The student's name as the platform shows it."""
        if self.kind == "canvas" and "student" in self.roles:
            return self.value(row, "student")
        if self.kind == "canvas":
            return f"{self.value(row, 'last')}, {self.value(row, 'first')}".strip(", ")
        return f"{self.value(row, 'first')} {self.value(row, 'last')}".strip()

    def keys(self, row: dict) -> dict[str, set[str]]:
        """Keys of one roster row, by how reliable they are (see gradebook's matching)."""
        if self.kind == "canvas":
            last, _, first = self.name(row).partition(",")
            return {"canvas-id": {self.value(row, "id")},
                    "login": {self.value(row, r).casefold() for r in ("id", "sis_user", "sis_login")},
                    "name": {name_key(last + first), name_key(first + last)}}
        first, last = self.value(row, "first"), self.value(row, "last")
        return {"login": {self.value(row, r).casefold() for r in ("email", "idnumber", "username")},
                "name": {name_key(first + last), name_key(last + first)}}

    def item_name(self, column: str) -> str:
        """An assignment column's title without the platform's suffix (``(67890)``, ``(Real)``)."""
        pattern = CANVAS_ITEM if self.kind == "canvas" else _MOODLE_ITEM
        match = pattern.match(column)
        return match["name"] if match else column


def read_roster(path: Path) -> Roster:
    """Read a Canvas or Moodle gradebook export (which one is seen from its structure)."""
    path = Path(path).expanduser()
    header, rows = read_table(path, "The roster")
    roster = _canvas(path, header, rows) or _moodle(path, header, rows)
    if roster is None:
        raise GradebookError(
            f"The roster {path} is neither a Canvas gradebook export (columns Student, ID, SIS User "
            "ID, SIS Login ID, Section, ...) nor a Moodle one (names, email address, grade items, and "
            f"the time of the download last). Its columns are: {', '.join(header[:8])}. Download it "
            "from the platform's gradebook (Canvas: Export; Moodle: Export > Plain text file).")
    return roster


def _canvas(path: Path, header: list[str], rows: list[dict]) -> Roster | None:
    """Canvas's export, if the header is one its importer accepts (``row_has_student_headers?``)."""
    if len(header) > 3 and "Student" in header[0] and "ID" in header[1]:
        roles = {"student": header[0], "id": header[1]}
    elif len(header) > 4 and "LastName" in header[0] and "FirstName" in header[1] and "ID" in header[2]:
        roles = {"last": header[0], "first": header[1], "id": header[2]}
    else:
        return None
    for role, title in (("sis_user", "SIS User ID"), ("sis_login", "SIS Login ID"),
                        ("section", "Section")):
        if title in header:
            roles[role] = title
    items = [h for h in header if CANVAS_ITEM.match(h)]
    students, points = [], {}
    for row in rows:
        first = row.get(header[0], "")
        if "Points Possible" in first:
            points = {h: canvas_number(row.get(h, "")) for h in items}
            points = {h: p for h, p in points.items() if p is not None}
            continue
        if not any(row.get(c) for c in _CANVAS_IDS if c in header):
            continue  # "Muted", "Manual Posting" and other rows that are not students
        if first.strip().casefold() == "student, test":
            continue  # Canvas's Test Student
        students.append(row)
    return Roster("canvas", path, header, students, items, roles, points)


def _moodle(path: Path, header: list[str], rows: list[dict]) -> Roster | None:
    """Moodle's export, recognised by structure (module docstring)."""
    if len(header) < 3 or not rows:
        return None
    column = {h: [row.get(h, "") for row in rows] for h in header}
    if not all(_UNIX_TIME.match(v) for v in column[header[-1]]):
        return None
    grade_like = [h for h in header[:-1] if _MOODLE_ITEM.match(h)
                  and all(v in ("", "-") or canvas_number(v) is not None or v.endswith("%")
                          for v in column[h])]
    identity = [h for h in header[:-1] if h not in grade_like]
    emails = [h for h in identity if any(column[h]) and all(not v or _EMAIL.match(v) for v in column[h])]
    if len(identity) < 2 or not emails:
        return None
    roles = {"first": identity[0], "last": identity[1], "email": emails[0]}
    for role, titles in (("idnumber", ("ID number",)), ("username", ("Username",))):
        found = [h for h in identity if h in titles]
        if found:
            roles[role] = found[0]
    if "idnumber" not in roles and len(identity) == len(_MOODLE_DEFAULT_FIELDS) \
            and identity.index(emails[0]) == _MOODLE_DEFAULT_FIELDS.index("email"):
        roles["idnumber"] = identity[_MOODLE_DEFAULT_FIELDS.index("idnumber")]
    items = [h for h in grade_like if not re.match(r"(?i)course total", h)]
    students = [row for row in rows if any(row.get(h) for h in identity)]
    return Roster("moodle", path, header, students, items, roles)

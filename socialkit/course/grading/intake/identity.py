"""Who handed in what: students' identities from the names of submitted files and folders.

The rule (also in the instructor guide), applied to each file's path inside SUBMISSIONS:

1. **A folder per student**: ``<student>/<anything>.ipynb`` (at any depth below the folder): the
   student is the name of the top folder. This is how Moodle and most hubs export.
2. **Files side by side**: ``<student>_<anything>.ipynb``: the student is everything before the
   first underscore. This is how Canvas exports (``smithjane_12345_67890_exercise.ipynb``).

Moodle's download folders, ``<full name>_<participant id>_assignsubmission_file_`` (or without
the last ``_``, since Moodle 4.1), give the readable id ``<full name> (<participant id>)``
(``Amy Lee (12347)``): the name for people, the participant id so two students of one name stay
two, and the folder itself (the file's path) is kept for the platforms' uploads.

A file directly in SUBMISSIONS with no underscore (``01-ignorance-arrogance-irrelevance.ipynb``,
``final.ipynb``) names no student: it is reported as *unidentified* and not graded, never graded
under a guessed name. ``--id-pattern REGEX`` replaces both rules by a regular expression with a
named group ``student``, searched in the path (with ``/`` separators).

Two or more notebooks of the same student (ids compared without regard to case) are all graded
and reported as a *duplicate*: neither is chosen for the student, so the instructor decides, by
naming the file that counts in ``OUT/choices.csv`` (``student,file``, the file as grades.csv and
problems.csv name it; :func:`read_choices`); the next run grades that one alone and lists the
others as set aside. Nothing in the class's files is edited.
A student whose only files are not notebooks (a PDF, a Word file) gets the status
*not-a-notebook*. Hidden files, ``__MACOSX`` and ``.ipynb_checkpoints`` are skipped and counted.

Odd files cost only their own row. A symbolic link (to the solutions, say), a folder link, a
pipe or a device is never followed or opened: it is listed as *not a regular file*. A name
that is not valid UTF-8 is shown with its bytes escaped (``J\\xf6rg``) and graded. A zip member
with an absolute path, ``..``, a link or an impossible size is not unpacked and is listed;
the rest of the export is graded.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

__all__ = ["DEFAULT_PATTERNS", "Submission", "Collection", "student_of", "collect",
           "extract_zip", "safe_name", "display", "moodle_folder", "CHOICES", "read_choices", "apply_choices"]

#: the instructor's choice of the file that counts, for students who handed in several
CHOICES = "choices.csv"

DEFAULT_PATTERNS = (
    re.compile(r"^(?P<student>[^/]+)/.+"),          # a folder per student
    re.compile(r"^(?P<student>[^/_]+)_[^/]*$"),     # <student>_<anything> side by side
)
_SKIPPED_PARTS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__"}
_SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}
#: a zip member larger than this, or an export larger in all, is not unpacked
ZIP_MEMBER_LIMIT = 512 << 20
ZIP_TOTAL_LIMIT = 8 << 30


@dataclass(frozen=True)
class Submission:
    """One file handed in, with the student it belongs to."""

    student: str
    path: Path          # absolute (as the file system names it, even if not UTF-8)
    relpath: str        # inside SUBMISSIONS, with / separators, printable (see ``display``)
    regular: bool = True  # False: a link, a pipe or a device, never opened

    @property
    def is_notebook(self) -> bool:
        return self.regular and self.path.suffix.lower() == ".ipynb"


@dataclass
class Collection:
    """Every file found: by student, plus what could not be attributed."""

    root: Path
    by_student: dict[str, list[Submission]] = field(default_factory=dict)
    unidentified: list[str] = field(default_factory=list)   # relpaths
    skipped: list[str] = field(default_factory=list)        # relpaths of hidden / system files
    unreadable: list[str] = field(default_factory=list)     # folders that could not be listed

    @property
    def students(self) -> list[str]:
        return sorted(self.by_student, key=str.casefold)

    @property
    def submissions(self) -> list[Submission]:
        return [s for student in self.students for s in self.by_student[student]]


def display(text: str) -> str:
    """``text`` (a file name as Python reads it, possibly with undecodable bytes) as printable
    UTF-8: undecodable bytes become ``\\xNN``, so two different names never look the same."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def safe_name(text: str) -> str:
    """``text`` made safe as a file name (feedback files, records), one name per text.

    Letters, digits and ``@ . + -`` are kept; any other run of characters becomes ``_``. When
    that changes the text (or it is too long, or a name Windows reserves), a hash of the whole
    text is added after ``~`` (a character a kept name never has), so two ids that differ only
    in the characters dropped still get two files.
    """
    cleaned = re.sub(r"[^A-Za-z0-9@.+-]+", "_", text).strip("._") or "_"
    if cleaned == text and len(cleaned) <= 100 and cleaned.split(".")[0].upper() not in _RESERVED:
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    return f"{cleaned[:80]}~{digest}"


_MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<participant>\d+)_assign(?:submission|feedback)_[a-z]+_?$")


def moodle_folder(folder: str) -> tuple[str, str] | None:
    """(full name, participant id) of a folder named by Moodle's download, or None.

    >>> moodle_folder("Amy Lee_12347_assignsubmission_file_")
    ('Amy Lee', '12347')
    >>> moodle_folder("Amy Lee_12347_assignsubmission_file"), moodle_folder("amylee")
    (('Amy Lee', '12347'), None)
    """
    found = _MOODLE_FOLDER.match(folder)
    return (found["name"].strip(), found["participant"]) if found and found["name"].strip() else None


def student_of(relpath: str, patterns=DEFAULT_PATTERNS) -> str | None:
    """The student a file belongs to, by the rule above, or ``None`` if it names none.

    >>> student_of("Amy Lee_12347_assignsubmission_file_/exercise5.ipynb")
    'Amy Lee (12347)'
    >>> student_of("smithjane_12345_67890_exercise1.ipynb")
    'smithjane'
    """
    for pattern in patterns:
        match = pattern.search(relpath)
        if match:
            student = (match.group("student") or "").strip()
            moodle = moodle_folder(student) if patterns is DEFAULT_PATTERNS else None
            if moodle:
                student = f"{moodle[0]} ({moodle[1]})"
            if student and not student.startswith("."):
                return student
    return None


def compile_pattern(pattern: str) -> re.Pattern:
    """Check a user-given ``--id-pattern``: valid and with a named group ``student``."""
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise ValueError(f"--id-pattern {pattern!r} is not a valid regular expression: {error}") from None
    if "student" not in compiled.groupindex:
        raise ValueError(f"--id-pattern {pattern!r} needs a named group (?P<student>...) "
                         "that captures the student's id.")
    return compiled


def _unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member must not be unpacked, or ``None``."""
    name = info.filename.replace("\\", "/")
    parts = PurePosixPath(name).parts
    if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]) or "\0" in name:
        return "an absolute path or .. in its name"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link"
    if info.file_size > ZIP_MEMBER_LIMIT:
        return f"larger than {ZIP_MEMBER_LIMIT >> 20} MB unpacked"
    return None


def extract_zip(zip_path: Path, dest: Path) -> tuple[Path, list[dict]]:
    """Unpack an LMS export into ``dest`` (emptied first); returns ``(dest, problems)``.

    A member with an absolute path, ``..``, a link, an impossible size or a name that cannot be
    written is not unpacked: it becomes a problem row (``kind``, ``file``, ``detail``) and the
    rest of the export is unpacked. Raises ``ValueError`` only if the file is not a zip.
    """
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValueError(f"{zip_path} is not a readable zip file.") from None
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    problems: list[dict] = []
    total = 0
    seen: set[str] = set()
    with zf:
        for info in zf.infolist():
            shown = display(info.filename)
            why = _unsafe_member(info)
            if why is None and not info.is_dir():
                key = info.filename.replace("\\", "/").casefold()
                if key in seen:
                    why = "a second member with the same name"
                seen.add(key)
                total += info.file_size
                if total > ZIP_TOTAL_LIMIT:
                    why = f"the export is larger than {ZIP_TOTAL_LIMIT >> 30} GB unpacked"
            if why is not None:
                problems.append({"kind": "unsafe zip member", "student": "", "file": shown,
                                 "detail": f"not unpacked: {why}"})
                continue
            if info.is_dir():
                continue
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            target = dest.joinpath(*parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "xb") as out:
                    copied = 0
                    for block in iter(lambda: src.read(1 << 20), b""):
                        copied += len(block)
                        if copied > ZIP_MEMBER_LIMIT:
                            raise ValueError("larger than it says")
                        out.write(block)
            except (OSError, ValueError, zipfile.BadZipFile, RuntimeError, EOFError) as error:
                try:
                    target.unlink()
                except OSError:
                    pass
                problems.append({"kind": "unsafe zip member", "student": "", "file": shown,
                                 "detail": f"could not be unpacked ({type(error).__name__}: {error})"[:300]})
    return dest, problems


def _skipped(parts: tuple[str, ...]) -> bool:
    return any(p in _SKIPPED_PARTS or p.startswith(".") for p in parts) or parts[-1] in _SKIPPED_NAMES


def collect(root: Path, patterns=DEFAULT_PATTERNS) -> Collection:
    """Every file under ``root`` attributed to a student (see the module's rule).

    Nothing is followed or opened here: links, pipes and devices are listed as submissions
    that are not regular files, and folders that cannot be read are listed in ``unreadable``.
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise ValueError(f"SUBMISSIONS {root} is not a folder.")
    result = Collection(root)
    keys: dict[str, str] = {}  # casefolded id -> the spelling first seen
    found: list[tuple[str, Path, bool]] = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        try:
            rel = where.relative_to(root).as_posix()
        except ValueError:
            rel = str(where)
        result.unreadable.append(display(rel))

    for folder, dirs, files in os.walk(root, onerror=unreadable, followlinks=False):
        here = Path(folder)
        for name in list(dirs):
            if (here / name).is_symlink():  # a folder link: listed, never entered
                dirs.remove(name)
                files.append(name)
        dirs.sort()
        for name in files:
            path = here / name
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                continue
            found.append((path.relative_to(root).as_posix(), path, stat.S_ISREG(mode)))
    for raw_rel, path, regular in sorted(found, key=lambda f: f[0].encode("utf-8", "surrogateescape")):
        relpath = display(raw_rel)
        parts = tuple(relpath.split("/"))
        if regular and _skipped(parts):
            result.skipped.append(relpath)
            continue
        student = student_of(relpath, patterns)
        if student is None:
            result.unidentified.append(relpath)
            continue
        student = keys.setdefault(student.casefold(), student)
        result.by_student.setdefault(student, []).append(Submission(student, path, relpath, regular))
    return result


def read_choices(path: Path) -> dict[str, str]:
    """``{student (casefolded): file}`` from a ``choices.csv`` (columns ``student`` and ``file``,
    perhaps saved by a spreadsheet: a byte-order mark, ``;`` or tab, a leading ``'``); ``{}`` if
    there is none. ``ValueError`` naming the line of a bad row.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "choices.csv"
    >>> _ = p.write_text("student;file\\nparkmin;parkmin_56789_2_b.ipynb\\n", encoding="utf-8")
    >>> read_choices(p)
    {'parkmin': 'parkmin_56789_2_b.ipynb'}
    """
    import csv
    import io

    path = Path(path)
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} cannot be read ({error}); save it as CSV UTF-8.") from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = [h.strip().casefold() for h in rows[0]] if rows else []
    if "student" not in header or "file" not in header:
        raise ValueError(f"{path} needs the columns student and file (the file that counts, as "
                         "grades.csv names it).")
    chosen: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, (c.strip().removeprefix("'") for c in row)))
        student, file = cells.get("student", ""), cells.get("file", "")
        if not student and not file:
            continue
        if not student or not file:
            raise ValueError(f"{path}, line {line}: give both the student and the file that counts.")
        if student.casefold() in chosen and chosen[student.casefold()] != file:
            raise ValueError(f"{path}, line {line}: {student} has two files chosen; keep one row.")
        chosen[student.casefold()] = file
    return chosen


def apply_choices(found: Collection, chosen: dict[str, str]) -> list[dict]:
    """Keep only the chosen notebook of each student with several (``read_choices``); returns
    problem rows: each file set aside, and each choice that names none of the student's files."""
    problems = []
    for student in found.students:
        subs = found.by_student[student]
        wanted = chosen.get(student.casefold())
        if wanted is None or len(subs) < 2:
            continue
        kept = [s for s in subs if s.relpath == wanted] or [s for s in subs if s.path.name == wanted]
        if len(kept) != 1:
            problems.append({"kind": "choice not found", "student": student, "file": wanted,
                             "detail": f"{CHOICES} names a file this student did not hand in (their files: "
                                       + ", ".join(s.relpath for s in subs) + "); all are graded"})
            continue
        for s in subs:
            if s is not kept[0]:
                problems.append({"kind": "set aside", "student": student, "file": s.relpath,
                                 "detail": f"{CHOICES} says {kept[0].relpath} counts; this file was not graded"})
        found.by_student[student] = kept
    return problems

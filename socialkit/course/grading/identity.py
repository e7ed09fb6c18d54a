"""Who handed in what: students' identities from the names of submitted files and folders.

The rule (also in the instructor guide), applied to each file's path inside SUBMISSIONS:

1. **A folder per student**: ``<student>/<anything>.ipynb`` (at any depth below the folder): the
   student is the name of the top folder. This is how Moodle and most hubs export.
2. **Files side by side**: ``<student>_<anything>.ipynb``: the student is everything before the
   first underscore. This is how Canvas exports (``smithjane_12345_67890_exercise.ipynb``).

A file directly in SUBMISSIONS with no underscore (``01-ignorance-arrogance-irrelevance.ipynb``,
``final.ipynb``) names no student: it is reported as *unidentified* and not graded, never graded
under a guessed name. ``--id-pattern REGEX`` replaces both rules by a regular expression with a
named group ``student``, searched in the path (with ``/`` separators).

Two or more notebooks of the same student (ids compared without regard to case) are all graded
and reported as a *duplicate*: neither is chosen for the student, so the instructor decides.
A student whose only files are not notebooks (a PDF, a Word file) gets the status
*not-a-notebook*. Hidden files, ``__MACOSX`` and ``.ipynb_checkpoints`` are skipped and counted.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

__all__ = ["DEFAULT_PATTERNS", "Submission", "Collection", "student_of", "collect",
           "extract_zip", "safe_name"]

DEFAULT_PATTERNS = (
    re.compile(r"^(?P<student>[^/]+)/.+"),          # a folder per student
    re.compile(r"^(?P<student>[^/_]+)_[^/]*$"),     # <student>_<anything> side by side
)
_SKIPPED_PARTS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__"}
_SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class Submission:
    """One file handed in, with the student it belongs to."""

    student: str
    path: Path          # absolute
    relpath: str        # inside SUBMISSIONS, with / separators

    @property
    def is_notebook(self) -> bool:
        return self.path.suffix.lower() == ".ipynb"


@dataclass
class Collection:
    """Every file found: by student, plus what could not be attributed."""

    root: Path
    by_student: dict[str, list[Submission]] = field(default_factory=dict)
    unidentified: list[str] = field(default_factory=list)   # relpaths
    skipped: list[str] = field(default_factory=list)        # relpaths of hidden / system files

    @property
    def students(self) -> list[str]:
        return sorted(self.by_student, key=str.casefold)

    @property
    def submissions(self) -> list[Submission]:
        return [s for student in self.students for s in self.by_student[student]]


def safe_name(text: str) -> str:
    """``text`` made safe as a file name (for feedback files): other characters become ``_``."""
    cleaned = re.sub(r"[^A-Za-z0-9@.+-]+", "_", text).strip("._") or "_"
    return cleaned[:120]


def student_of(relpath: str, patterns=DEFAULT_PATTERNS) -> str | None:
    """The student a file belongs to, by the rule above, or ``None`` if it names none."""
    for pattern in patterns:
        match = pattern.search(relpath)
        if match:
            student = (match.group("student") or "").strip()
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


def extract_zip(zip_path: Path, dest: Path) -> Path:
    """Unpack an LMS export into ``dest`` (emptied first) and return it.

    Members with absolute paths or ``..`` are refused, so a crafted zip cannot write elsewhere.
    """
    try:
        zf = zipfile.ZipFile(zip_path)
    except zipfile.BadZipFile:
        raise ValueError(f"{zip_path} is not a readable zip file.") from None
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    with zf:
        for info in zf.infolist():
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if info.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise ValueError(f"{zip_path} contains an unsafe path {info.filename!r}; "
                                 "unpack it yourself and pass the folder.")
            if info.is_dir():
                continue
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
    return dest


def _skipped(parts: tuple[str, ...]) -> bool:
    return any(p in _SKIPPED_PARTS or p.startswith(".") for p in parts) or parts[-1] in _SKIPPED_NAMES


def collect(root: Path, patterns=DEFAULT_PATTERNS) -> Collection:
    """Every file under ``root`` attributed to a student (see the module's rule)."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise ValueError(f"SUBMISSIONS {root} is not a folder.")
    result = Collection(root)
    keys: dict[str, str] = {}  # casefolded id -> the spelling first seen
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root)
        relpath = rel.as_posix()
        if _skipped(rel.parts):
            result.skipped.append(relpath)
            continue
        student = student_of(relpath, patterns)
        if student is None:
            result.unidentified.append(relpath)
            continue
        student = keys.setdefault(student.casefold(), student)
        result.by_student.setdefault(student, []).append(Submission(student, path, relpath))
    return result

"""Whose numbers a submission is graded on: the student id of its variant.

Every exercise gives each student their own numbers, seeded by the student's id and the course
code (``socialkit.course.variants``). When the grader runs a submission it supplies the numbers
itself (``SOCIALKIT_VARIANT``), so what counts is the id the *grader* gives the submission, never
the one the notebook typed. The rule, also in the instructor guide:

1. **With rosters** (``--roster``, the platforms' own gradebook exports, read by
   ``outputs/rosters.py``) the first roster that lists the submission's student gives the id
   (found by the user id in Canvas's download names, then the id, login or name; Moodle: the
   email, ID number or user name, then the name in Moodle's folder names), and the id is what
   students know and type:

   * Canvas: the ``SIS Login ID`` (the login a student signs in with), else the ``SIS User ID``;
   * Moodle: the ``ID number`` (the institution's student number), else the ``Email address``.

2. **Without a roster**, the student id parsed from the file or folder name
   (``intake/identity.py``): a hub's folder per user name (``amy.lee/ex1.ipynb``, the name the
   notebook's ``JUPYTERHUB_USER`` gives), or ``<id>_<anything>.ipynb``.

A submission a roster does not list keeps the id from its name, and is reported. The id the
notebook typed (its ``student_id = "..."`` line) is only read to warn when it differs.

>>> course_fingerprint(""), len(course_fingerprint("3683114fc78ebcae"))
('', 12)
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ...variants import keys, normalise
from ...variants.otter_plugin import PLUGIN, typed_id
from .identity import moodle_folder

__all__ = ["PLUGIN", "VariantId", "Assigner", "typed_id", "course_fingerprint", "plugin_config",
           "course_for", "grading_value", "typed_another", "ROSTER_COLUMNS"]

#: the roster's columns a variant id is taken from, in order of preference
ROSTER_COLUMNS = {"canvas": ("sis_login", "sis_user"), "moodle": ("idnumber", "email")}
_TITLES = {"sis_login": "SIS Login ID", "sis_user": "SIS User ID", "idnumber": "ID number",
           "email": "Email address"}
_CANVAS_FILE = re.compile(r"^[^_/]+_(?:LATE_)?(?P<id>\d+)_\d+_")


@dataclass(frozen=True)
class VariantId:
    """The id a submission is graded on, where it came from, and what the notebook typed."""

    student: str        # the id whose numbers are supplied
    source: str         # how it was found, in words ("the roster's SIS Login ID", "the file name")
    typed: str = ""     # the notebook's own student_id, if it typed one
    problem: str = ""   # why the id may be wrong (a roster that does not list the student...)

    @property
    def differs(self) -> bool:
        """The notebook typed another student's id (or a misspelt one)."""
        return bool(self.typed) and normalise(self.typed) != normalise(self.student)

    def record(self, course: str, exercise: str | None = None) -> dict:
        """What the signed record keeps: the id, its source, the typed id, a fingerprint of the
        course code (a record is reused only for the same variant) and, with ``exercise``, the
        student's numbers in words (shown in the feedback beside the answers)."""
        kept = {"student": self.student, "source": self.source, "typed": self.typed,
                "course": course_fingerprint(course)}
        if exercise:
            from ...variants import generate

            try:
                kept["numbers"] = generate(exercise, self.student, course).lines()[1:]
            except (ValueError, ImportError):  # an exercise this kit does not know
                pass
        return kept


def course_fingerprint(course: str) -> str:
    """A short one-way fingerprint of a course code ("" for none), for the records."""
    return hashlib.sha256(course.encode()).hexdigest()[:12] if course else ""


def grading_value(student: str, course: str) -> str:
    """The value of ``SOCIALKIT_VARIANT`` that makes the kit supply ``student``'s numbers."""
    return json.dumps({"student": student, "course": course})


def plugin_config(zip_path: Path) -> dict | None:
    """The variant plugin's configuration in an autograder zip (``{"exercise", "course"}``), or
    None if its exercise has no per-student numbers."""
    with zipfile.ZipFile(zip_path) as zf:
        config = json.loads(zf.read("otter_config.json"))
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and PLUGIN in entry:
            value = dict(entry[PLUGIN] or {})
            value["course"] = keys.check_course_code(value.get("course", ""))
            return value
    return None


def course_for(plugin: dict, given: str | None) -> str:
    """The course code to grade with: ``given`` (from the instructor's private file) or else the
    one ``make assign`` wrote into the zip; ``ValueError`` if the two differ, because every
    student would then be graded on numbers they never saw.

    >>> course_for({"course": "3683114fc78ebcae"}, None)
    '3683114fc78ebcae'
    >>> course_for({"course": ""}, "3683114fc78ebcae")
    Traceback (most recent call last):
    ...
    ValueError: --private gives another course secret than the one this autograder was made with (make assign PRIVATE=...); students' notebooks have the course code of the autograder. Run make assign with the same private file, or give the private file it was made with.
    """
    zipped = plugin.get("course", "")
    if given is None or given == zipped:
        return zipped
    raise ValueError("--private gives another course secret than the one this autograder was made "
                     "with (make assign PRIVATE=...); students' notebooks have the course code of the "
                     "autograder. Run make assign with the same private file, or give the private "
                     "file it was made with.")


def typed_another(variant: dict | None) -> bool:
    """Whether a record's variant (``VariantId.record``) says the notebook typed another id."""
    return bool(variant) and bool(variant.get("typed")) and \
        normalise(variant["typed"]) != normalise(variant.get("student", ""))


class Assigner:
    """Gives each submission its variant id by the module's rule (``rosters``: platform exports
    read by ``outputs.rosters.read_roster``, tried in order, the first that lists the student
    giving the id; none: the names)."""

    def __init__(self, rosters=()):
        self.rosters = [r for r in ([rosters] if hasattr(rosters, "students") else rosters or ())]
        self._indexes = []
        for roster in self.rosters:
            index: dict[str, dict[str, list[int]]] = {}
            for i, row in enumerate(roster.students):
                for kind, values in roster.keys(row).items():
                    for value in values:
                        if value:
                            index.setdefault(kind, {}).setdefault(value, []).append(i)
            self._indexes.append(index)

    @staticmethod
    def _our_keys(kind: str, student: str, relpath: str) -> list[tuple[str, str]]:
        from ..outputs.rosters import name_key

        found = []
        canvas = _CANVAS_FILE.match(relpath.rsplit("/", 1)[-1])
        if kind == "canvas" and canvas:
            found.append(("canvas-id", canvas["id"]))
        found.append(("login", student.casefold()))
        folder = moodle_folder(relpath.split("/", 1)[0])
        if kind == "moodle" and folder:
            found.append(("name", name_key(folder[0])))
        found.append(("name", name_key(student)))
        return [(k, v) for k, v in found if v]

    def _row(self, roster, index, student: str, relpath: str) -> dict | None:
        for kind, value in self._our_keys(roster.kind, student, relpath):
            hits = index.get(kind, {}).get(value, [])
            if len(hits) == 1:
                return roster.students[hits[0]]
            if hits:
                return None
        return None

    def variant_id(self, student: str, relpath: str, typed: str | None = None) -> VariantId:
        """The variant id of the file ``relpath`` that intake attributed to ``student``."""
        typed = typed or ""
        if not self.rosters:
            problem = ""
            if moodle_folder(relpath.split("/", 1)[0]):
                problem = ("the id comes from a Moodle folder name, which is not what students "
                           "type: give Moodle's gradebook export with --roster")
            return VariantId(student, "the file or folder name", typed, problem)
        problems = []
        for roster, index in zip(self.rosters, self._indexes):
            row = self._row(roster, index, student, relpath)
            if row is None:
                continue
            for role in ROSTER_COLUMNS[roster.kind]:
                value = roster.value(row, role).strip()
                if value:
                    return VariantId(value, f"the roster's {_TITLES[role]}", typed)
            problems.append(f"the roster {roster.path.name} lists {roster.name(row)!r} without "
                            + " or ".join(_TITLES[r] for r in ROSTER_COLUMNS[roster.kind]))
        problem = "; ".join(problems) or ("not found in the roster "
                                          + " or ".join(r.path.name for r in self.rosters))
        return VariantId(student, "the file or folder name", typed,
                         problem + "; graded on the numbers of the id in the file name")

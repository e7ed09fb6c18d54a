"""An exercise's inputs for one student: :func:`mine` in the notebook, :func:`current` in the tests.

Every exercise gets its numbers (parameters, a year of posts, weekly figures...) from one call
in its first cell::

    student_id = ""   # your id, as your instructor gave it (on a JupyterHub, leave it empty)
    mine = variants.mine("01-ignorance-arrogance-irrelevance", student_id)

* With an id (typed, saved, or the hub user name) the numbers are that student's own variant,
  seeded by the id and the course code (:mod:`.keys`).
* With no id, in the public notebooks, they are the book's **public variant**: the numbers the
  solutions appendix works with. A course's copy (``make assign`` with a secret) asks for the id
  instead, with a clear message.
* When the grader runs a submission it sets ``SOCIALKIT_VARIANT`` (the student it belongs to,
  from the platform's file name or the roster, and the course code), and then every call returns
  that student's numbers, whatever id the notebook typed.

The tests ask :func:`current` for the numbers they check against: the grader's variant while
grading, otherwise the one the notebook last used (so ``grader.check`` checks the student's own).
"""
from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass, field

from . import identity, keys

__all__ = ["EXERCISES", "GRADING_VARIABLE", "Variant", "MissingStudentId", "generate", "mine",
           "current", "forget", "grading_value", "graded_student"]

#: the exercise (master stem) → the module that makes its numbers
EXERCISES = {
    "00-python-for-this-book": "socialkit.course.variants.primer",
    "01-ignorance-arrogance-irrelevance": "socialkit.course.variants.relevance",
    "02-shiny-object-syndrome": "socialkit.course.variants.channels",
    "03-customer-centric-questions": "socialkit.course.variants.statements",
    "04-listen-first": "socialkit.course.variants.listening",
    "05-be-social-not-a-billboard": "socialkit.course.variants.content",
    "06-from-tools-to-outcomes": "socialkit.course.variants.outcomes",
    "07-seven-blindspots": "socialkit.course.variants.blindspots",
}
#: set by the grader around a submission: {"student": id, "course": course code}
GRADING_VARIABLE = "SOCIALKIT_VARIANT"

_LAST: dict[str, "Variant"] = {}


class MissingStudentId(ValueError):
    """A course's exercise was run without the student's id."""


@dataclass(frozen=True)
class Variant:
    """The inputs of one exercise for one student (``student`` empty: the public variant)."""

    exercise: str
    student: str
    seed: int | None
    source: str                      # typed, environment, saved, hub, grader or public
    numbers: dict = field(repr=False)

    @property
    def public(self) -> bool:
        return self.seed is None

    def __getitem__(self, name):
        return self.numbers[name]

    def __getattr__(self, name):
        numbers = self.__dict__.get("numbers", {})
        if name in numbers:
            return numbers[name]
        raise AttributeError(f"This exercise's numbers have no {name!r}; they are: "
                             + ", ".join(numbers))

    def lines(self) -> list[str]:
        """What the student sees: whose numbers these are, then each number in words."""
        module = importlib.import_module(EXERCISES[self.exercise])
        if self.public:
            head = ("The book's public numbers (no student id given): the ones the solutions "
                    "appendix uses. In a course, type your id in student_id and run the cell again.")
        elif self.source == "grader":
            head = f"The numbers of student {self.student}, supplied by the grader."
        else:
            head = f"Your own numbers, for student id {self.student} ({_SOURCES[self.source]})."
        return [head, *module.describe(self.numbers)]

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def _repr_markdown_(self) -> str:
        head, *rest = self.lines()
        return f"**{head}**\n\n" + "\n".join(f"* {line}" for line in rest)


_SOURCES = {"typed": "as typed above", "environment": "set on this computer",
            "saved": "saved when you first typed it", "hub": "your JupyterHub user name"}


def _module(exercise: str):
    if exercise not in EXERCISES:
        raise ValueError(f"exercise must be one of the exercises' names, not {exercise!r}: "
                         + ", ".join(EXERCISES))
    return importlib.import_module(EXERCISES[exercise])


def generate(exercise: str, student_id: str = "", course: str = "", *, source: str = "typed") -> Variant:
    """The variant of ``student_id`` (the public one if empty) for ``exercise``."""
    module = _module(exercise)
    if not identity.normalise(student_id):
        return Variant(exercise, "", None, "public", module.numbers(None))
    seed = keys.seed_for(exercise, student_id, course)
    return Variant(exercise, student_id.strip(), seed, source, module.numbers(seed))


def grading_value() -> dict | None:
    """What the grader set in ``SOCIALKIT_VARIANT`` (``None`` when not grading)."""
    raw = os.environ.get(GRADING_VARIABLE)
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not (isinstance(value, dict) and isinstance(value.get("student"), str)
            and isinstance(value.get("course", ""), str)):
        raise RuntimeError(f"{GRADING_VARIABLE} should be JSON like "
                           '{"student": "s0123", "course": ""}; it is ' + repr(raw[:80]))
    return value


def graded_student(exercise: str) -> Variant | None:
    """The variant the grader supplies, or ``None`` when not grading."""
    value = grading_value()
    if value is None:
        return None
    return generate(exercise, value["student"], keys.check_course_code(value.get("course", "")),
                    source="grader")


def mine(exercise: str, student_id: str = "", course: str = "") -> Variant:
    """The student's own numbers for ``exercise`` (see the module's description)."""
    keys.check_course_code(course)
    graded = graded_student(exercise)
    if graded is not None:
        variant = graded
    else:
        found, source = identity.who(student_id)
        if not found and course:
            raise MissingStudentId(
                "This exercise needs your student id, so that it can give you your own numbers. "
                'Type it between the quotes in the first cell, like student_id = "s0123", and run '
                "the cell again (you only need to do this once).")
        if source == "typed":
            identity.remember(found)
        variant = generate(exercise, found, course, source=source)
    _LAST[exercise] = variant
    return variant


def current(exercise: str) -> Variant:
    """The numbers a test checks against: the grader's variant while grading, else the one the
    notebook last used, else the public variant."""
    graded = graded_student(exercise)
    if graded is not None:
        return graded
    return _LAST.get(exercise) or generate(exercise)


def forget() -> None:
    """Forget the variants the notebook used: :func:`current` gives the public numbers (or the
    grader's) until :func:`mine` runs again. For a fresh start in one Python process, such as a
    test suite's."""
    _LAST.clear()

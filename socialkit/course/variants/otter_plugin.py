"""Each student's own numbers under ``otter run`` and on Gradescope: an otter plugin.

``make assign`` names this plugin in the ``otter_config.json`` of every autograder zip whose
exercise gives each student their own numbers, with the exercise and the course code::

    "plugins": [{"socialkit.course.variants.otter_plugin.VariantPlugin":
                 {"exercise": "01-ignorance-arrogance-irrelevance", "course": "<course code>"}}]

Before the submission runs (otter's ``before_grading`` event) it sets ``SOCIALKIT_VARIANT`` to the
student the submission belongs to, so the notebook's ``variants.mine(...)`` and the hidden tests'
``variants.current(...)`` give that student's numbers, whatever id the notebook typed:

* **on Gradescope**, from ``/autograder/submission_metadata.json``: the first user's ``sid`` (the
  student id of Gradescope's roster), else their ``email`` (Gradescope's metadata, see
  gradescope-autograders.readthedocs.io, *Submission Metadata*; ``sid`` may be null);
* **under** ``otter run``, whose metadata is empty, from the submission's file name,
  ``<id>_<anything>.ipynb`` (the grader's rule, ``grading/intake/identity.py``).

With no id (a file named only after the exercise), nothing is set: the notebook is graded on the
id it typed, and the report says so. After grading, the results' top ``output`` (shown by
Gradescope above the tests) names the student whose numbers were graded, and warns when the
notebook typed another id.

**The limit.** otter runs the tests inside the student's own Python process, after the notebook:
code in the notebook can change the variable, the kit or the tests' modules before they run. The
kit's own grader (``socialkit-grade``) judges in a separate clean process and is the recommended
path for graded work (see the instructor guide).
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from otter.plugins import AbstractOtterPlugin

from . import keys
from .identity import normalise
from .variant import GRADING_VARIABLE

__all__ = ["PLUGIN", "VariantPlugin", "gradescope_student", "file_student", "typed_id"]

#: the name ``make assign`` writes into otter_config.json
PLUGIN = "socialkit.course.variants.otter_plugin.VariantPlugin"
_FILE_ID = re.compile(r"^(?P<student>[^/_]+)_[^/]*$")   # <id>_<anything>, as the grader reads names
_TYPED = re.compile(r"""^student_id\s*=\s*(?:"([^"\n]*)"|'([^'\n]*)')""", re.MULTILINE)


def gradescope_student(metadata) -> tuple[str, str]:
    """(id, where from) of Gradescope's submission metadata: the first user's sid, else email.

    >>> gradescope_student({"users": [{"email": "amy@example.edu", "id": 7, "sid": None}]})
    ('amy@example.edu', "Gradescope's email")
    >>> gradescope_student({"users": [{"email": "amy@example.edu", "sid": "S1001"}]})
    ('S1001', "Gradescope's student id (sid)")
    >>> gradescope_student({})
    ('', '')
    """
    users = metadata.get("users") if isinstance(metadata, dict) else None
    first = users[0] if isinstance(users, list) and users and isinstance(users[0], dict) else {}
    for field, words in (("sid", "Gradescope's student id (sid)"), ("email", "Gradescope's email")):
        value = first.get(field)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip(), words
    return "", ""


def file_student(path) -> tuple[str, str]:
    """(id, where from) of a submission's file name, ``<id>_<anything>.ipynb``.

    >>> file_student("/tmp/x/submission/s1001_exercise1.ipynb")
    ('s1001', 'the file name')
    >>> file_student("01-ignorance-arrogance-irrelevance.ipynb")
    ('', '')
    """
    match = _FILE_ID.match(Path(str(path)).name)
    return (match["student"].strip(), "the file name") if match and match["student"].strip() else ("", "")


def typed_id(sources) -> str | None:
    """The id a notebook's code cells (``sources``) typed in their ``student_id = "..."`` line
    (the last one), or None.

    >>> typed_id(['import numpy as np', 'student_id = "S1001"  # your id\\nmine = 1'])
    'S1001'
    >>> typed_id(["student_id = ''"]) is None
    True
    """
    found = None
    for source in sources:
        for match in _TYPED.finditer(source):
            found = (match[1] if match[1] is not None else match[2]).strip()
    return found or None


def _typed(path) -> str:
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        sources = ["".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source", "")
                   for c in cells if c.get("cell_type") == "code"]
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        return ""
    return typed_id(sources) or ""


class VariantPlugin(AbstractOtterPlugin):
    """Sets the student's numbers before otter runs a submission (see the module docstring)."""

    def _who(self) -> tuple[str, str]:
        student, source = gradescope_student(self.submission_metadata)
        return (student, source) if student else file_student(self.submission_path)

    def before_grading(self, config):
        course = keys.check_course_code((self.plugin_config or {}).get("course", ""))
        student, _ = self._who()
        if student:
            os.environ[GRADING_VARIABLE] = json.dumps({"student": student, "course": course})
        else:
            os.environ.pop(GRADING_VARIABLE, None)

    def report(self) -> str:
        """What the student and the instructor read about the numbers graded."""
        student, source = self._who()
        typed = _typed(self.submission_path)
        if not student:
            return ("No student id found (no Gradescope metadata, and the file is not named "
                    "<id>_<anything>.ipynb): graded on the numbers of the id the notebook typed"
                    + (f", {typed}." if typed else " (none: the book's public numbers)."))
        text = (f"Graded on the numbers of student id {student} (from {source}): your code was run "
                "again on them, so every answer it computes is checked on your own data.")
        if typed and normalise(typed) != normalise(student):
            text += (f" Note: your notebook says student_id = \"{typed}\", not {student}. Your "
                     "functions and calculations were re-run on your own numbers, so they still "
                     "count; answers typed in as numbers worked out for another id score zero.")
        return text

    def after_grading(self, results):
        results.set_output(self.report())

    def generate_report(self) -> str:
        return self.report()

"""The grader's files are byte-identical to those of the grader before its rooms were rebuilt.

``tests/grading/reference/`` holds what the grader wrote for a small class of chapter 1
(``support.grading.reference_class``: full, partial and blank answers, a written answer graded
by hand, a cell that raises, a notebook that stops its process, a PDF, a duplicate, ids that start
a formula) before ``socialkit/course/grading`` was split into engine, intake and outputs (issue 17):
grades.csv, problems.csv, every feedback file, the by-question page and manual.csv, the Canvas and
Moodle exports and summary.png. The same class graded now, by ``python -m socialkit.course.grading``
as an instructor runs it, must give the same bytes. One change since is deliberate (issue 19): the
Canvas file no longer carries ``'=Hyde, Edward`` neutralised, because identity cells are never
altered; that student is reported instead. Issue 18 changed the exercise itself, so the reference
was written again from the grader then (the grades stayed, the feedback's test lists and the
rubric on the by-question page changed): Question 2 asks for other answers, each question's points
come from its hidden tests only (the public ones carry none), and q1 and q2 have four hidden tests.
And the grader now supplies each student's own numbers (issue 18, intake/variant_ids.py):
``grades.csv`` has a ``variant`` column (the id whose numbers were graded: the roster's SIS Login
ID or ID number, else the file name's id), each feedback file names it and lists those numbers,
``problems.csv`` lists the students the rosters lack, and the by-question page shows each
student's numbers beside their answer.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from socialkit.course import assign
from socialkit.course.grading.intake.autograder import available_assignments, load_autograder
from support import grading
from grading import samples

REFERENCE = Path(__file__).parent / "reference"


@pytest.mark.grading
def test_grades_feedback_pages_and_exports_are_byte_identical_to_the_reference(assign_dir, tmp_path):
    ag = load_autograder(available_assignments(assign_dir)[grading.CH1])
    grading.reference_class(lambda answered=None: samples.make_notebook(grading.CH1, answered, assign_dir),
                            tmp_path / "subs")
    rosters = [grading.canvas_roster(tmp_path / "rosters", ag.possible), grading.moodle_roster(tmp_path / "rosters")]
    out = grading.grade_reference_class(ag.path, tmp_path / "subs", tmp_path / "out", rosters)
    now = grading.reference_outputs(out, assign.REPO)
    before = {p.relative_to(REFERENCE).as_posix(): p.read_bytes() for p in sorted(REFERENCE.rglob("*"))
              if p.is_file()}
    assert sorted(now) == sorted(before), "the same files"
    differ = [name for name in before if now[name] != before[name]]
    assert not differ, f"these files differ from the reference: {differ}"

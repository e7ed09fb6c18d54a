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

Changed on purpose by issue 23 (the files were written again by the grader then, and read):
each feedback file opens with the student's total, autograded and by hand, out of all 14
points, naming the written answer still to be graded; summary.png counts the points given by
hand and every student with a total; Ana's id is ``Ana Lopez (501)``, read from Moodle's folder
name (so her feedback file and rows are named so); the exports are made with ``--ungraded
partial`` (three written answers are not graded), so their possible points are 14 and Moodle's
feedback column marks those totals as "so far"; the Canvas roster's item is worth 14 (all the
points), so no advice to change it is given; a duplicate's note names ``choices.csv``.
Issue 23 also made the by-question page the grading desk (``outputs/desk``): its style and
script in files of their own, the rubric's criteria as buttons under each answer, the page's data
(manual.csv's rows, the groups of alike answers) as JSON, links into the repository no longer
absolute ``file://`` paths; the desk's random id in the page is compared as ``<id>``.
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
from socialkit.course.grading.outputs.manual import questions_for
from support import grading
from grading import samples

REFERENCE = Path(__file__).parent / "reference"


@pytest.mark.grading
def test_grades_feedback_pages_and_exports_are_byte_identical_to_the_reference(assign_dir, tmp_path):
    ag = load_autograder(available_assignments(assign_dir)[grading.CH1])
    grading.reference_class(lambda answered=None: samples.make_notebook(grading.CH1, answered, assign_dir),
                            tmp_path / "subs")
    full = ag.possible + sum(q.points for q in questions_for(ag))  # the written answer counts
    rosters = [grading.canvas_roster(tmp_path / "rosters", full), grading.moodle_roster(tmp_path / "rosters")]
    out = grading.grade_reference_class(ag.path, tmp_path / "subs", tmp_path / "out", rosters)
    now = grading.reference_outputs(out, assign.REPO)
    before = {p.relative_to(REFERENCE).as_posix(): p.read_bytes() for p in sorted(REFERENCE.rglob("*"))
              if p.is_file()}
    assert sorted(now) == sorted(before), "the same files"
    differ = [name for name in before if now[name] != before[name]]
    assert not differ, f"these files differ from the reference: {differ}"

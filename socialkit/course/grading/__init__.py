"""Batch grading of a class's notebooks: sandboxed notebooks, a clean-room judge, honest files.

``make grade ASSIGNMENT=<name> SUBMISSIONS=<folder or zip>`` (or ``socialkit-grade``, or
``python -m socialkit.course.grading``) grades every submission against the assignment's otter
autograder zip. Each notebook runs in a sandbox of its own (its own process, namespaces where
the system has them, limits on time, memory, processes and file size) and hands over its
answers as plain data; a judge process in which no student code has ever run applies the
autograder's public and hidden tests to them, calling the student's functions back through the
sandbox. Several submissions are graded side by side. Then ``grades.csv``, ``problems.csv``,
``feedback/<student>.md`` and ``summary.png`` are written to the output folder from signed
records, and ``grades.csv`` is checked against them.

Three rooms, each a folder, and the pipeline that walks through them:

* ``intake/``: what comes in: the autograder zip (``autograder``), who handed in what and safe
  names (``identity``), is it a notebook of this assignment (``prepare``), snapshots and tamper
  checks (``snapshots``), what a record holds (``records``) and the signed record store (``store``);
* ``engine/``: grading one snapshot under limits (``runner.grade_one``): the sealed process tree
  (``sandbox``), the student process (``worker``), the clean-room ``judge``, plain data across
  the wall (``plain``), every message between them (``protocol``), and many submissions through
  one executor, here or on a Dask cluster (``dispatch``, ``cluster``);
* ``outputs/``: ``grades.csv``, feedback, the figure and table (``report``), written answers by
  question and ``manual.csv`` merged back (``manual``), Canvas and Moodle imports (``gradebook``),
  every CSV through one module with the spreadsheet-safety rule (``tables``);
* ``batch`` (the pipeline for a class) and ``cli`` (the command).

Student code still runs with the grader's user rights where the system offers no namespaces;
the instructor guide says what the grader does and does not protect against.
"""
from .batch import ClassResult, grade_class
from .engine.runner import Limits
from .intake.autograder import Autograder, load_autograder, resolve_assignment

__all__ = ["Autograder", "ClassResult", "Limits", "grade_class", "load_autograder",
           "resolve_assignment"]

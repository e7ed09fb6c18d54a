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

Modules, one concept each: ``autograder`` (find and read the zip), ``identity`` (who handed in
what; safe names), ``prepare`` (is it a notebook of this assignment), ``plain`` (plain data
across the wall, no pickle), ``sandbox`` (the sealed process tree), ``worker`` (the student
process: runs the notebook, hands over answers, serves calls), ``judge`` (the tests, clean),
``runner`` (one submission: attempts, retries; many side by side), ``store`` (atomic, signed
records), ``report`` (CSV, feedback, figure, table), ``batch`` (all of it for a class),
``manual`` (written answers gathered by question, ``manual.csv`` merged back), ``gradebook``
(Canvas and Moodle import files from the checked grades), ``distributed`` (the same grading on
a Dask cluster), ``samples`` (synthetic and hostile submissions for tests and benchmarks),
``cli``.

Student code still runs with the grader's user rights where the system offers no namespaces;
the instructor guide says what the grader does and does not protect against.
"""
from .autograder import Autograder, load_autograder, resolve_assignment
from .batch import ClassResult, grade_class
from .runner import Limits

__all__ = ["Autograder", "ClassResult", "Limits", "grade_class", "load_autograder",
           "resolve_assignment"]

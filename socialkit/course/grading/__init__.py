"""Batch grading of a class's notebooks with otter-grader, without Docker.

``make grade ASSIGNMENT=<name> SUBMISSIONS=<folder or zip>`` (or ``socialkit-grade``, or
``python -m socialkit.course.grading``) grades every submission with ``otter run`` against the
assignment's autograder zip, one fresh kernel per submission, several side by side, each with a
wall-time, per-cell, per-test and memory limit; then writes ``grades.csv``, ``problems.csv``,
``feedback/<student>.md`` and ``summary.png`` to the output folder and prints a summary.

Modules, one concept each: ``autograder`` (find and read the zip), ``identity`` (who handed in
what), ``prepare`` (is it a notebook of this assignment; the copy otter runs), ``execution`` (the
child process that runs otter on one submission), ``runner`` (children side by side, limits,
retries), ``store`` (atomic files, one record per submission), ``report`` (CSV, feedback,
figure, table), ``batch`` (all of it for a class), ``samples`` (synthetic submissions for tests
and benchmarks), ``cli``.

This is not a sandbox: student code runs with the grader's user rights. See the instructor guide.
"""
from .autograder import Autograder, load_autograder, resolve_assignment
from .batch import ClassResult, grade_class
from .runner import Limits

__all__ = ["Autograder", "ClassResult", "Limits", "grade_class", "load_autograder",
           "resolve_assignment"]

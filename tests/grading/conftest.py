"""Fixtures of the grader's tests: chapter 1's autograder and its submissions.

``assign_dir`` (every exercise master assigned once per run) comes from tests/conftest.py; the
notebooks are built by ``samples.make_notebook`` from the student notebook and otter's solutions.
"""
from __future__ import annotations

import pytest

from socialkit.course.grading.intake.autograder import available_assignments, load_autograder
from support.grading import CH1
from grading import samples


@pytest.fixture(scope="module")
def ag(assign_dir):
    """Chapter 1's autograder, as ``make assign`` writes it."""
    return load_autograder(available_assignments(assign_dir)[CH1])


@pytest.fixture(scope="module")
def make(assign_dir):
    """make(answered=None, stem=CH1): a submission with those questions answered (None: all)."""
    return lambda answered=None, stem=CH1: samples.make_notebook(stem, answered, assign_dir)

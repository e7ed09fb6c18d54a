"""Each student's own numbers: exercise inputs seeded by the student's id and a course secret.

* :mod:`.identity`: who the student is (the id they typed once, or their hub user name);
* :mod:`.keys`: from the instructor's secret to a course code and each student's seed;
* :mod:`.variant`: :func:`mine` (the notebook's first cell) and :func:`current` (the tests);
* one module per exercise (:mod:`.primer`, :mod:`.relevance`, ...) makes its numbers from a seed:
  ``numbers(seed)`` (``None``: the book's public variant) and ``describe(numbers)``.
"""
from __future__ import annotations

from .identity import normalise
from .keys import course_code, new_secret, seed_for
from .variant import (EXERCISES, GRADING_VARIABLE, MissingStudentId, Variant, current, forget,
                      generate, grading_value, mine)

__all__ = ["EXERCISES", "GRADING_VARIABLE", "MissingStudentId", "Variant", "course_code", "current",
           "forget", "generate", "grading_value", "mine", "new_secret", "normalise", "seed_for"]

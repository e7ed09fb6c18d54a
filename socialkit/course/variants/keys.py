"""From the instructor's secret to each student's numbers, one-way.

The instructor keeps a **course secret** in their private file (outside the repository)::

    [course]
    secret = "…"      # python -m socialkit.course.variants.keys prints a fresh one

From it the kit derives the **course code**, a short string that ``make assign`` writes into the
course's copies of the exercises (never the public ones) and into the autograder zips. A
student's **variant seed** for an exercise comes from the course code, the exercise and their id.
Both steps are keyed hashes (HMAC-SHA256), so the code does not reveal the secret, and nobody
outside the course can tell which numbers a student id gets. Inside the course, students can see
each other's numbers if they share ids; that does not help them, because each student is graded
on their own. Without a course code (the public notebooks), the seed comes from the id alone.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from .identity import normalise

__all__ = ["new_secret", "course_code", "seed_for", "check_secret", "check_course_code"]

_MIN_SECRET = 16


def new_secret() -> str:
    """A fresh course secret (32 random URL-safe characters)."""
    return secrets.token_urlsafe(24)


def check_secret(secret) -> str:
    """The secret, or ``ValueError`` saying why it is not one."""
    if not isinstance(secret, str) or len(secret.strip()) < _MIN_SECRET:
        raise ValueError(f"The course secret must be text of at least {_MIN_SECRET} characters; "
                         "make one with: python -m socialkit.course.variants.keys")
    return secret.strip()


def course_code(secret: str) -> str:
    """The course code derived from the secret: 16 hexadecimal digits.

    >>> course_code("correct horse battery staple")
    '3683114fc78ebcae'
    """
    digest = hmac.new(check_secret(secret).encode(), b"socialkit course code", hashlib.sha256)
    return digest.hexdigest()[:16]


def check_course_code(code) -> str:
    """``code`` if it is empty (the public notebooks) or 16 hexadecimal digits."""
    if code == "" or (isinstance(code, str) and len(code) == 16
                      and all(ch in "0123456789abcdef" for ch in code)):
        return code
    raise ValueError(f"course must be the course code that make assign wrote (16 characters "
                     f"0-9 and a-f), or empty; it is {code!r}. Ask your instructor for a fresh "
                     "copy of the exercise.")


def seed_for(exercise: str, student_id: str, course: str = "") -> int:
    """The variant seed of ``student_id`` for ``exercise`` (a whole number below 2**32).

    The same student, exercise and course always give the same seed; ids are compared with
    :func:`~socialkit.course.variants.identity.normalise`.

    >>> seed_for("01-ignorance-arrogance-irrelevance", "S0123") == seed_for(
    ...     "01-ignorance-arrogance-irrelevance", " s0123")
    True
    >>> seed_for("01-ignorance-arrogance-irrelevance", "s0123", "3683114fc78ebcae") != seed_for(
    ...     "01-ignorance-arrogance-irrelevance", "s0123")
    True
    """
    if not isinstance(exercise, str) or not exercise:
        raise ValueError(f"exercise must be the exercise's name, such as "
                         f"'01-ignorance-arrogance-irrelevance', not {exercise!r}")
    student = normalise(student_id)
    if not student:
        raise ValueError("student_id is empty: a variant needs the student's id.")
    key = ("socialkit variant " + check_course_code(course)).encode()
    digest = hmac.new(key, f"{exercise}\0{student}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


if __name__ == "__main__":  # python -m socialkit.course.variants.keys
    print("[course]\nsecret = " + repr(new_secret()).replace("'", '"'))

"""Chapter 0's checks: the three mistakes nearly every beginner makes, explained when they happen.

In an exercise, ``grader.check("q1")`` runs the question's public tests, which are built from
:mod:`socialkit.course.checks`. Chapter 0's exercise adds plainer hints for the usual first
mistakes: a function without ``return`` (it gives ``None``), a number in quotes or inside an
f-string (text, not a number), and a count that is out by one (``range`` stops *before* its end).
:func:`try_check` runs such a check in the lesson and returns the verdict as text, so a reader
sees a hint before meeting one for real.
"""
from __future__ import annotations

import numbers

from .checks import Hint, call, returns_number

__all__ = ["number_result", "whole_numbers_result", "try_check"]


def _text_hint(text: str, result: str) -> Hint:
    return Hint(f"{text} returned the text {result!r}, not a number. Quotes (or an f-string) "
                "make text; return the calculation itself, without quotes, e.g. "
                "return hours * 60 rather than return f\"{hours * 60} minutes\".")


def number_result(func, name: str, *args) -> float:
    """Call ``func(*args)``; it must return one number. Hints for no return, text and the rest."""
    result, text = call(func, name, *args)
    if isinstance(result, str):
        raise _text_hint(text, result)
    return returns_number(lambda *a: result, name, *args)


def whole_numbers_result(func, name: str, *args) -> list[int]:
    """Call ``func(*args)``; it must return a list (or range) of whole numbers."""
    result, text = call(func, name, *args)
    if isinstance(result, str):
        raise _text_hint(text, result)
    if not isinstance(result, (list, tuple, range)):
        raise Hint(f"{text} should return a list of whole numbers, such as [1, 2, 3]; it "
                   f"returned a {type(result).__name__}. list(range(...)) makes one.")
    values = list(result)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise Hint(f"{text} should hold whole numbers only; it holds {value!r}.")
    return [int(v) for v in values]


def try_check(func, name: str, *args, expected: float | None = None) -> str:
    """Check that ``func(*args)`` returns a number (and ``expected``, if given); say so in words.

    Returns ``"✅ ... passed"`` or ``"❌ Hint: ..."``, the way an exercise check reads.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be the function's name as a string; got {name!r}.")
    shown = f"{name}({', '.join(map(repr, args))})"
    try:
        value = number_result(func, name, *args)
        if expected is not None and abs(value - expected) > 1e-9 * max(1.0, abs(expected)):
            raise Hint(f"{shown} returned {value:g}; it should return {expected:g}.")
    except Hint as hint:
        return f"❌ Hint: {hint}"
    return f"✅ {shown} returned {value:g}: check passed."

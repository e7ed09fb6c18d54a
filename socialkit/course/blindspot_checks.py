"""The answer checks of Chapter 7's exercise: an audit computed by the student, not borrowed from the kit.

The exercise asks students to compute the blindspot audit themselves. A function that simply calls
the kit's own :mod:`socialkit.models.blindspots` (under its own name or another: ``compute =
blindspots.audit_from_table``) would pass any test that compares answers. So the hidden tests call
the student's function with every public function of that module *refusing to run*
(:func:`kit_refused`): the same function objects, whatever name they go by, raise
:class:`KitShortcut`, which :func:`call_refusing_kit` turns into a plain-words
:class:`~socialkit.course.checks.Hint`. The expected answers are computed before and after, never
during, the student's call.
"""
from __future__ import annotations

import types
from contextlib import contextmanager

import numpy as np
import pandas as pd

from ..models import blindspots
from .checks import Hint, call, describe

__all__ = ["KitShortcut", "kit_refused", "call_refusing_kit", "check_scores", "check_urgent"]


class KitShortcut(RuntimeError):
    """Raised when a student's function calls one of the kit's own blindspot functions."""


def _refuse(*args, **kwargs):
    # Runs with the globals of the module whose function it replaces, so it may use builtins only.
    raise __import__("socialkit.course.blindspot_checks", fromlist=["KitShortcut"]).KitShortcut(
        "socialkit-kit-refused")


@contextmanager
def kit_refused(module=blindspots):
    """While inside, every public function of ``module`` raises :class:`KitShortcut` when called."""
    saved = {}
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name, None)
        if isinstance(obj, types.FunctionType) and not obj.__code__.co_freevars:
            saved[obj] = obj.__code__
    try:
        for func in saved:
            func.__code__ = _refuse.__code__
        yield
    finally:
        for func, code in saved.items():
            func.__code__ = code


def call_refusing_kit(func, name: str, *args, shown_as: str | None = None):
    """:func:`socialkit.course.checks.call`, with the kit's blindspot functions refusing to run."""
    text = shown_as or name
    with kit_refused():
        try:
            return call(func, name, *args, shown_as=shown_as)
        except Hint as hint:
            if "socialkit-kit-refused" in str(hint):
                raise Hint(f"{text} calls one of the kit's own functions from "
                           "socialkit.models.blindspots (perhaps under another name). This "
                           "exercise asks you to compute the audit yourself, with pandas and "
                           "numpy.") from None
            raise


def check_scores(result, text: str, expected: pd.Series, *, values: bool = True) -> None:
    """Check a student's profile: a Series with one score per blindspot of ``expected``.

    With ``values=False`` only the form is checked (a Series, the blindspot keys as its index,
    numbers from 0 to 100). The order of the rows does not matter.
    """
    if isinstance(result, pd.DataFrame):
        raise Hint(f"{text} should return a Series (one score per blindspot), but it returned a "
                   "DataFrame. Pick one column before grouping, e.g. table.groupby('blindspot')"
                   "['severity'].mean().")
    if not isinstance(result, pd.Series):
        raise Hint(f"{text} should return a pandas Series of scores, but it returned "
                   f"{describe(result)}.")
    got, wanted = {str(i) for i in result.index}, {str(i) for i in expected.index}
    if got != wanted or len(result) != len(expected):
        raise Hint(f"{text} should have one score per blindspot, with the blindspot keys as its "
                   f"index (what groupby('blindspot') gives); its index is {list(result.index)}.")
    try:
        mine = pd.to_numeric(result).set_axis([str(i) for i in result.index]).loc[
            [str(i) for i in expected.index]].to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"The scores of {text} should be numbers.") from None
    if np.any(~np.isfinite(mine)) or np.any(mine < -1e-9) or np.any(mine > 100 + 1e-9):
        raise Hint(f"The scores of {text} should be numbers from 0 to 100; they run from "
                   f"{np.nanmin(mine):.4g} to {np.nanmax(mine):.4g}. A blindspot's score is the "
                   "mean of its indicators' severities, each from 0 to 100.")
    if not values:
        return
    right = expected.to_numpy(dtype=float)
    wrong = ~np.isclose(mine, right, rtol=1e-6, atol=1e-6)
    if wrong.any():
        i = int(np.argmax(wrong))
        raise Hint(f"{text} gives {expected.index[i]} a score of {mine[i]:.4g}; it should be about "
                   f"{right[i]:.4g}.")


def check_urgent(result, text: str, expected: list[str]) -> None:
    """Check a student's two most urgent blindspots: a list of keys, the higher score first."""
    if isinstance(result, (pd.Index, pd.Series, tuple, np.ndarray)):
        result = list(result)
    if not isinstance(result, list):
        raise Hint(f"{text} should return a list of blindspot keys, but it returned {describe(result)}.")
    if len(result) != len(expected):
        raise Hint(f"{text} should return {len(expected)} blindspot keys; it returned {len(result)}.")
    if any(not isinstance(k, str) or k not in blindspots.BLINDSPOT_KEYS for k in result):
        raise Hint(f"{text} should return blindspot keys such as 'strategy_link'; it returned {result!r}.")
    if result != list(expected):
        raise Hint(f"{text} should be {list(expected)!r}, the highest score first; it is {result!r}.")

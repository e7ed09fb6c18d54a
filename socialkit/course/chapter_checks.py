"""The answer checks of the chapters' exercises that need more than :mod:`socialkit.course.checks`.

Each turns a student's function or table into a plain-words :class:`~socialkit.course.checks.Hint`
when something is wrong, never a traceback: Chapter 2's strategy against a rival in the
simulator, Chapter 4's per-channel tables.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..models.channels import Market, StrategyError, chase_newest, simulate
from .checks import Hint, call, describe, require_function

__all__ = ["head_to_head", "call_on_posts", "check_table", "LISTENING_ANSWERS"]


# --- Chapter 2: a student's strategy -----------------------------------------------------------
def head_to_head(strategy, market: Market | None = None, *, rival=chase_newest,
                 name: str = "my_strategy", **settings) -> tuple[float, float]:
    """Year values ``(strategy, rival)`` on ``market``, for checking a student's strategy.

    Any problem with ``strategy`` (not a function, an error inside it, hours the simulator
    cannot use) becomes a :class:`socialkit.course.checks.Hint` in plain words, never a traceback.
    ``settings`` are passed to :func:`simulate` (``mastery_hours``, ``forget``, ...).

    >>> from socialkit.models.channels import focus_on_customers
    >>> mine, chase = head_to_head(focus_on_customers)
    >>> mine > chase
    True
    """
    require_function(strategy, name, "week, state")
    try:
        result = simulate({name: strategy, "rival": rival}, market, **settings)
    except StrategyError as error:
        raise Hint(str(error)) from None
    mine, theirs = result.cumulative[:, -1]
    return float(mine), float(theirs)


# --- Chapter 4: functions of the posts table ----------------------------------------------------
#: the kit's own answers to Exercise 4, which the student's functions must not call
LISTENING_ANSWERS = tuple(f"listening.{name}" for name in (
    "channel_summary", "response_rate", "median_response_hours", "weekday_summary", "listening_gap",
    "unmet_needs", "topic_counts"))


def call_on_posts(func, name: str, posts: pd.DataFrame, label: str = "posts"):
    """Call a student's ``func`` on a copy of ``posts``; return ``(result, "name(label)")``.

    :func:`socialkit.course.checks.call`, with the table shown by ``label`` rather than printed in
    full, and a copy passed so that a function that changes its table changes nothing else.
    """
    return call(func, name, posts.copy(), shown_as=f"{name}({label})")


def check_table(result, text: str, expected: pd.DataFrame, *, values: bool = True) -> None:
    """Check a student's per-channel table against ``expected`` (same index, columns, values).

    With ``values=False`` only the form is checked: a DataFrame, one row per channel of the
    data, and the expected columns. Missing values (a channel nobody answered) must be NaN.
    """
    if isinstance(result, pd.Series):
        raise Hint(f"{text} should return a DataFrame with the columns "
                   f"{', '.join(expected.columns)}, but it returned a Series. Put the Series "
                   "together with pd.DataFrame({...}) or use .agg(...) with named columns.")
    if not isinstance(result, pd.DataFrame):
        raise Hint(f"{text} should return a pandas DataFrame, but it returned {describe(result)}.")
    missing = [c for c in expected.columns if c not in result.columns]
    if missing:
        raise Hint(f"{text} should have the columns {', '.join(expected.columns)}; "
                   f"{', '.join(missing)} is missing (it has {', '.join(map(str, result.columns)) or 'none'}).")
    rows, wanted = {str(i) for i in result.index}, {str(i) for i in expected.index}
    if rows != wanted or len(result.index) != len(expected.index):
        raise Hint(f"{text} should have one row per channel in the data, with the channel keys "
                   f"as the index (what groupby('channel') gives); its index is "
                   f"{list(result.index)[:10]}.")
    if not values:
        return
    got = result.set_axis([str(i) for i in result.index]).loc[list(expected.index)]
    for column in expected.columns:
        try:
            mine = pd.to_numeric(got[column]).to_numpy(dtype=float)
        except (TypeError, ValueError):
            raise Hint(f"The column {column} of {text} should hold numbers.") from None
        right = expected[column].to_numpy(dtype=float)
        same = np.isclose(mine, right, rtol=1e-6, atol=1e-9) | (np.isnan(mine) & np.isnan(right))
        if not same.all():
            channel = expected.index[int(np.argmin(same))]
            shown = "NaN" if np.isnan(right[~same][0]) else f"about {right[~same][0]:.4g}"
            raise Hint(f"In {text}, {column} for {channel!r} should be {shown}, but it is "
                       f"{mine[~same][0]:.4g}.")


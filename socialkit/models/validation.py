"""Argument checks shared by every model, so each error names the argument and what is allowed.

Models call these at their boundary; the rest of the code can then assume clean numpy input.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["check_number", "check_times", "check_choice"]


def check_number(name: str, value, *, low: float | None = None, high: float | None = None,
                 low_inclusive: bool = True, high_inclusive: bool = True) -> float:
    """Return ``value`` as a float after checking it is a real number within the allowed range.

    Raises ``TypeError`` for a non-number (bools included) and ``ValueError`` for a number
    outside ``[low, high]`` (or the open variant), naming ``name`` and the range in both cases.
    """
    allowed = _describe_range(low, high, low_inclusive, high_inclusive)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number {allowed}; got {value!r} ({type(value).__name__}).")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number {allowed}; got {value}.")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        raise ValueError(f"{name} must be {allowed}; got {value:g}.")
    return value


def check_times(name: str, t) -> np.ndarray:
    """Return ``t`` as a float array of finite, non-negative times (scalars become 0-d arrays)."""
    try:
        arr = np.asarray(t, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a number or an array of numbers (time since launch, >= 0); "
            f"got {t!r}."
        ) from None
    if arr.size and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers; found NaN or infinity.")
    if arr.size and np.any(arr < 0):
        raise ValueError(f"{name} must be >= 0 (time since the new channel appeared); "
                         f"the smallest value given is {arr.min():g}.")
    return arr


def check_choice(name: str, value, allowed) -> object:
    """Return ``value`` if it is one of ``allowed``; otherwise raise a ValueError listing them."""
    allowed = list(allowed)
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name} must be one of {options}; got {value!r}.")
    return value


def _describe_range(low, high, low_inclusive, high_inclusive) -> str:
    if low is None and high is None:
        return "(any finite value)"
    if high is None:
        return f"{'>=' if low_inclusive else '>'} {low:g}"
    if low is None:
        return f"{'<=' if high_inclusive else '<'} {high:g}"
    left = "[" if low_inclusive else "("
    right = "]" if high_inclusive else ")"
    return f"in the range {left}{low:g}, {high:g}{right}"

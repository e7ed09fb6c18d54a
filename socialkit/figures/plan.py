"""Figures of the capstone's one-page plan: weekly hours per channel, and the blindspot audit.

Each ``*_png`` function returns ``(png bytes, alt text)`` so that a report can embed the image
with a description; nothing is drawn when there is nothing to draw (an empty dict gives None).
"""
from __future__ import annotations

import numpy as np

from ..data import case
from ..interactive import style
from ..interactive.widgets import figure_png

__all__ = ["hours_png", "describe_hours", "audit_png", "describe_audit"]

_NAMES = {c.key: c.name for c in case.CHANNELS}
_SHARES = {c.key: c.customer_share for c in case.CHANNELS}


def _label(key: str) -> str:
    return _NAMES.get(key, key)


def describe_hours(hours: dict[str, float], *, is_case: bool = True) -> str:
    """Alt text for :func:`hours_png`."""
    parts = [f"{_label(k)} {h:g} hours" + (f" ({_SHARES[k]:.0%} of customers there)"
                                           if is_case and k in _SHARES else "")
             for k, h in sorted(hours.items(), key=lambda kv: -kv[1])]
    return "Horizontal bars of the plan's weekly hours per channel: " + "; ".join(parts) + "."


def hours_png(hours: dict[str, float], *, is_case: bool = True, budget: float | None = None):
    """Bars of weekly hours per channel (for the case, with each channel's share of customers);
    ``(png, alt)``, or None for an empty plan."""
    if not hours:
        return None
    order = sorted(hours, key=lambda k: hours[k])  # most hours at the top
    height = 0.55 + 0.42 * len(order)
    with style.figure(figsize=(6.4, max(1.6, height))) as (fig, ax):
        y = np.arange(len(order))
        ax.barh(y, [hours[k] for k in order], color=style.PALETTE["blue"], height=0.6)
        labels = [_label(k) + (f"\n{_SHARES[k]:.0%} of customers" if is_case and k in _SHARES
                               else "") for k in order]
        ax.set_yticks(y, labels, fontsize=9)
        for i, k in enumerate(order):
            ax.text(hours[k], i, f" {hours[k]:g} h", va="center", fontsize=9)
        top = max(hours.values())
        ax.set_xlim(0, top * 1.25)
        ax.grid(axis="y", visible=False)
        total = sum(hours.values())
        title = f"Weekly hours: {total:g} in all" + (f" of {budget:g}" if budget else "")
        style.label_axes(ax, x="Hours a week", y="", title=title)
        png = figure_png(fig)
    return png, describe_hours(hours, is_case=is_case)


def describe_audit(scores: dict[str, float]) -> str:
    """Alt text for :func:`audit_png`."""
    return ("Horizontal bars of the blindspot self-audit scores: "
            + "; ".join(f"{k} {v:g}" for k, v in scores.items()) + ".")


def audit_png(scores: dict[str, float]):
    """Bars of the Chapter 7 self-audit scores; ``(png, alt)``, or None with no scores."""
    if not scores:
        return None
    names = list(scores)[::-1]
    with style.figure(figsize=(6.4, 0.9 + 0.3 * len(names))) as (fig, ax):
        y = np.arange(len(names))
        ax.barh(y, [scores[n] for n in names], color=style.PALETTE["vermillion"], height=0.6)
        ax.set_yticks(y, names, fontsize=9)
        top = max(scores.values())
        ax.set_xlim(0, 100 if top <= 100 else top * 1.1)
        ax.grid(axis="y", visible=False)
        style.label_axes(ax, x="Score: 0 = in sight, 100 = blind", y="",
                         title="The blindspot audit (Chapter 7)")
        png = figure_png(fig)
    return png, describe_audit(scores)

"""Chapter 0's figure: where Cobble & Chain's customers are, and where the shop answers them.

A first figure to learn to read: two bars per channel, one the case's assumed share of customers
there (``data/case.py``), the other the share of that channel's posts the shop answered in the
synthetic year of Chapter 4.
"""
from __future__ import annotations

import numpy as np

from ..data import case
from ..interactive import style
from ..interactive.widgets import still
from ..models import listening as L

__all__ = ["reach_scene", "describe_reach", "reach_figure"]

_CUSTOMERS = dict(color=style.PALETTE["blue"], hatch=None)
_ANSWERED = dict(color=style.PALETTE["orange"], hatch="//")


def _rows(posts):
    rates = L.channel_summary(posts)["response_rate"]
    keys = list(case.CHANNEL_KEYS)  # most customers first, as in data/case.py
    return keys, [case.channel(k).customer_share for k in keys], [float(rates.get(k, 0.0)) for k in keys]


def reach_scene(posts):
    """Scene: customers' share and the shop's response rate, side by side for each channel."""
    keys, shares, rates = _rows(posts)

    def scene(ax):
        y = np.arange(len(keys))[::-1]  # first channel at the top
        ax.barh(y + 0.2, shares, height=0.38, label="Customers who use it (assumption)",
                facecolor=_CUSTOMERS["color"], edgecolor="white")
        ax.barh(y - 0.2, rates, height=0.38, label="Posts the shop answered (synthetic year)",
                facecolor=_ANSWERED["color"], hatch=_ANSWERED["hatch"], edgecolor="white")
        ax.set_yticks(y, [L.CHANNEL_LABELS[k] for k in keys], fontsize=9)
        ax.set_xlim(0, 1)
        style.percent_axis(ax, "x")
        ax.grid(axis="y", visible=False)
        style.label_axes(ax, x="Share", y="", title="Where customers are, and where the shop answers")
        ax.legend(loc="lower right", fontsize=9)
        return lambda: []

    return scene


def describe_reach(posts) -> str:
    """Alt text for :func:`reach_figure`."""
    keys, shares, rates = _rows(posts)
    parts = [f"{L.CHANNEL_LABELS[k]}: {s:.0%} of customers, {r:.0%} of posts answered"
             for k, s, r in zip(keys, shares, rates)]
    return ("Pairs of horizontal bars for each channel, the share of Cobble & Chain's customers "
            "who use it and the share of its posts the shop answered: " + "; ".join(parts) + ".")


def reach_figure(posts):
    """The figure, as an image with alt text."""
    return still(reach_scene(posts), describe=lambda: describe_reach(posts), figsize=(7.0, 4.4))

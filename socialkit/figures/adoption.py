"""Figures of the Bass adoption curve: how customers move to a new channel."""
from __future__ import annotations

import numpy as np

from ..models import bass
from ..interactive import style
from ..interactive.widgets import Slider, draw_scene, explorer

__all__ = ["adoption_scene", "draw_adoption", "describe_adoption", "adoption_explorer"]

YEARS = np.linspace(0, 20, 201)
# Slider grids: few enough positions to keep the page light (each one is a stored image).
P_VALUES = (0.01, 0.03, 0.06, 0.1)
Q_VALUES = (0.1, 0.2, 0.38, 0.6, 0.8)


def adoption_scene(ax, years=YEARS):
    """Scene of the adoption curve: axes once, then F(t), f(t) and the peak for any (p, q)."""
    moved, = ax.plot([], [], color=style.PALETTE["blue"], linestyle="-", animated=True,
                     label="Customers who have moved, F(t)")
    rate, = ax.plot([], [], color=style.PALETTE["vermillion"], linestyle="--", animated=True,
                    label="Moving this year, f(t)")
    peak_line = ax.axvline(0, color="0.35", linewidth=1, linestyle=":", animated=True)
    peak_note = ax.text(0, 0.55, "", fontsize=10, color="0.2", animated=True)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(years[0], years[-1])
    ax.set_xticks(np.arange(years[0], years[-1] + 1, 2))
    style.percent_axis(ax)
    style.label_axes(ax, x="Years since the new channel appeared", y="Share of customers",
                     title="How customers move to a new channel (Bass model)")
    ax.legend(loc="center right")

    def update(p: float, q: float):
        moved.set_data(years, bass.cumulative_adoption(years, p, q))
        rate.set_data(years, bass.adoption_rate(years, p, q))
        peak = bass.peak_time(p, q)
        peak_line.set_xdata([peak, peak])
        peak_note.set_position((peak + 0.3, 0.55))
        peak_note.set_text(f"fastest growth:\nyear {peak:.1f}")
        return [moved, rate, peak_line, peak_note]

    return update


def draw_adoption(ax, p: float = bass.TYPICAL_P, q: float = bass.TYPICAL_Q) -> None:
    """Draw F(t) (share who have moved) and f(t) (share moving per year), peak marked."""
    draw_scene(ax, adoption_scene, p=p, q=q)


def describe_adoption(p: float = bass.TYPICAL_P, q: float = bass.TYPICAL_Q) -> str:
    """Alt text for :func:`draw_adoption`: the curve's shape and its key numbers."""
    peak = bass.peak_time(p, q)
    at5, at10, at20 = bass.cumulative_adoption([5.0, 10.0, 20.0], p, q)
    when = ("at once, in year 0" if peak == 0 else f"in year {peak:.1f}")
    return (f"Adoption curve for innovation p = {p:g} and imitation q = {q:g}. "
            f"The share of customers who have moved to the new channel rises to "
            f"{at5:.0%} after 5 years, {at10:.0%} after 10 and {at20:.0%} after 20; "
            f"the number moving each year is largest {when}.")


def adoption_explorer():
    """Two sliders, p and q, over a small grid: the lesson's adoption-curve widget."""
    return explorer(
        adoption_scene,
        {"p": Slider("Innovation p", P_VALUES, "{:g}", initial=bass.TYPICAL_P),
         "q": Slider("Imitation q", Q_VALUES, "{:g}", initial=bass.TYPICAL_Q)},
        describe=describe_adoption,
    )

"""Figures of Chapter 1's relevance model: ignorant, arrogant and connected businesses."""
from __future__ import annotations

import numpy as np

from ..models import bass
from ..interactive import style
from ..models.relevance import ARCHETYPES, HORIZON_YEARS, relevance
from ..interactive.widgets import Slider, draw_scene, explorer

__all__ = ["archetypes_scene", "describe_archetypes", "your_business_scene", "draw_your_business",
           "describe_your_business", "relevance_explorer"]

YEARS = np.linspace(0, HORIZON_YEARS, 151)
ENTRY_VALUES = (0, 2, 4, 6, 8, 10)
LISTENING_VALUES = (0.0, 0.25, 0.5, 0.75, 1.0)
_ARCHETYPE_STYLE = {
    "connected": (style.PALETTE["bluish_green"], "-"),
    "ignorant": (style.PALETTE["orange"], "--"),
    "arrogant": (style.PALETTE["reddish_purple"], "-."),
    "ignorant_and_arrogant": (style.PALETTE["vermillion"], ":"),
}


def _curve(archetype_or_entry, listening_share=None, years=YEARS):
    if listening_share is None:
        a = ARCHETYPES[archetype_or_entry]
        return relevance(years, entry_time=a.entry_time, listening_share=a.listening_share)
    return relevance(years, entry_time=archetype_or_entry, listening_share=listening_share)


def _moved_area(ax, years=YEARS) -> None:
    moved = bass.cumulative_adoption(years)
    ax.fill_between(years, 0, moved, color=style.PALETTE["sky_blue"], alpha=0.18, linewidth=0,
                    label="Customers who have moved")


def _finish(ax, title: str) -> None:
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, HORIZON_YEARS)
    style.percent_axis(ax)
    style.label_axes(ax, x="Years since the connected channel appeared",
                     y="Relevance (share of attention)", title=title)
    ax.legend(loc="lower left", fontsize=9)


def archetypes_scene(ax, names=tuple(ARCHETYPES)):
    """Scene of the named archetypes' relevance: all still, so its update changes nothing."""
    _moved_area(ax)
    for name in names:
        color, dash = _ARCHETYPE_STYLE[name]
        ax.plot(YEARS, _curve(name), color=color, linestyle=dash, label=ARCHETYPES[name].label)
    _finish(ax, "Ignorance + arrogance = irrelevance")
    return lambda: []


def describe_archetypes(names=tuple(ARCHETYPES)) -> str:
    """Alt text for :func:`draw_archetypes`."""
    parts = []
    for name in names:
        curve = _curve(name)
        low = int(np.argmin(curve))
        parts.append(f"{ARCHETYPES[name].label} ends at {curve[-1]:.0%} "
                     f"(lowest {curve[low]:.0%} in year {YEARS[low]:.0f})")
    return ("Relevance over 15 years as customers move to a connected channel. "
            + "; ".join(parts) + ".")


def your_business_scene(ax):
    """Scene of a business you set up, against the three archetypes drawn once."""
    _moved_area(ax)
    for name in ("connected", "ignorant", "arrogant"):
        color, dash = _ARCHETYPE_STYLE[name]
        ax.plot(YEARS, _curve(name), color=color, linestyle=dash, linewidth=1.3, alpha=0.8,
                label=ARCHETYPES[name].label)
    yours, = ax.plot([], [], color="black", linewidth=3, animated=True, label="Your business")
    _finish(ax, "Your business against the three archetypes")

    def update(entry_time: float, listening_share: float):
        yours.set_data(YEARS, _curve(entry_time, listening_share))
        return [yours]

    return update


def draw_your_business(ax, entry_time: float, listening_share: float) -> None:
    """Draw a business with the given entry year and listening share against the archetypes."""
    draw_scene(ax, your_business_scene, entry_time=entry_time, listening_share=listening_share)


def describe_your_business(entry_time: float, listening_share: float) -> str:
    """Alt text for :func:`draw_your_business`."""
    curve = _curve(entry_time, listening_share)
    low = int(np.argmin(curve))
    connected = _curve("connected")[-1]
    return (f"Your business enters the connected channel in year {entry_time:g} and spends "
            f"{listening_share:.0%} of its effort listening. Its relevance falls to "
            f"{curve[low]:.0%} in year {YEARS[low]:.0f} and ends at {curve[-1]:.0%} after "
            f"{HORIZON_YEARS} years, against {connected:.0%} for the connected business.")


def relevance_explorer():
    """Entry year and listening share sliders: the lesson's main widget."""
    return explorer(
        your_business_scene,
        {"entry_time": Slider("Enter in year", ENTRY_VALUES, "{:g}", initial=4),
         "listening_share": Slider("Share of effort spent listening", LISTENING_VALUES,
                                   "{:.0%}", initial=0.5)},
        describe=describe_your_business,
    )

"""One plotting style for the whole kit: readable type, a colour-blind-safe palette, clean axes.

The palette is Okabe and Ito's (2008), designed to stay distinct under the common forms of
colour blindness; lines also differ in dash pattern, so no figure relies on colour alone.
"""
from __future__ import annotations

from contextlib import contextmanager

import matplotlib
import matplotlib.pyplot as plt

__all__ = ["PALETTE", "COLORS", "DASHES", "apply", "figure", "label_axes", "percent_axis"]

#: Okabe–Ito colours by name.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "vermillion": "#D55E00",
    "bluish_green": "#009E73",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
#: Colour order for series (yellow left out: too pale on white for thin lines).
COLORS = [PALETTE[k] for k in ("blue", "vermillion", "bluish_green", "orange",
                               "reddish_purple", "sky_blue", "black")]
#: Dash patterns matched to COLORS, so series differ in shape as well as colour.
DASHES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)), (0, (1, 1))]

_RC = {
    "figure.figsize": (7.0, 3.8),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "legend.fontsize": 10,
    "lines.linewidth": 2.2,
    "axes.prop_cycle": matplotlib.cycler(color=COLORS, linestyle=DASHES),
    "svg.hashsalt": "socialkit",  # deterministic output
}


def apply() -> None:
    """Make the kit's style the default for every figure drawn after this call."""
    plt.rcParams.update(_RC)


@contextmanager
def figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """Yield ``(fig, axes)`` drawn in the kit's style, and close the figure afterwards.

    Closing matters: widgets draw dozens of frames, and open figures would pile up in memory.
    """
    with plt.rc_context(_RC):
        fig, axes = plt.subplots(nrows, ncols, layout="constrained", **kwargs)
        try:
            yield fig, axes
        finally:
            plt.close(fig)


def label_axes(ax, *, x: str, y: str, title: str | None = None) -> None:
    """Label both axes (with units, e.g. "Years since the channel appeared") and optionally title."""
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if title:
        ax.set_title(title, loc="left")


def percent_axis(ax, axis: str = "y") -> None:
    """Show a 0–1 share on ``axis`` as percentages."""
    from matplotlib.ticker import PercentFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))

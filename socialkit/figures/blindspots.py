"""Figures of Chapter 7, *The seven blindspots audit*: profiles, a comparison, and blindspot 5's model.

* :func:`profile_figure`: one organisation's seven scores as bars over three bands (in sight,
  partly blind, blind); :func:`profile_html` draws the same chart for the self-audit widget.
* :func:`comparison_figure`: several organisations' profiles in one dot plot.
* :func:`sharing_explorer`: team members who share × how tight the guidelines are → how many people
  see a post, how many trust it, and the mistakes a year.
* :func:`control_explorer`: what one mistake costs → the control level that pays best.

Every figure has a ``describe_*`` alt text with its numbers. Bars and markers differ by hatching
or shape as well as colour.
"""
from __future__ import annotations

import base64
import html

import numpy as np

from ..interactive import style
from ..interactive.widgets import Slider, explorer, figure_png, still
from ..models import blindspots as B

__all__ = ["LEVEL_STYLE", "profile_scene", "describe_profile", "profile_figure", "profile_html",
           "comparison_scene", "describe_comparison", "comparison_figure", "MEMBER_VALUES",
           "CONTROL_OPTIONS", "sharing_scene", "describe_sharing", "sharing_figure",
           "sharing_explorer", "COST_VALUES", "control_scene", "describe_control",
           "control_explorer"]

PROFILE_FIGSIZE = (7.0, 4.2)
#: How each level is drawn: colour and hatching (so that the bars differ without colour, too).
LEVEL_STYLE = {
    "in sight": dict(color=style.PALETTE["bluish_green"], hatch=None),
    "partly blind": dict(color=style.PALETTE["orange"], hatch=".."),
    "blind": dict(color=style.PALETTE["vermillion"], hatch="//"),
}
_BAND_COLOURS = ("#e8f4ef", "#fbf1dc", "#f8e3d9")
_ORG_MARKERS = [("o", style.PALETTE["blue"]), ("s", style.PALETTE["vermillion"]),
                ("^", style.PALETTE["bluish_green"]), ("D", style.PALETTE["orange"]),
                ("v", style.PALETTE["reddish_purple"])]


def _labels() -> list[str]:
    return [f"{b.number}  {b.label}" for b in B.BLINDSPOTS]


def _bands(ax) -> None:
    """The three levels as shaded vertical bands, named along the top."""
    low = 0.0
    for (name, top), colour in zip(B.LEVELS, _BAND_COLOURS):
        top = min(top + 0.5, 100.0)
        ax.axvspan(low, top, color=colour, zorder=0, linewidth=0)
        ax.text((low + top) / 2, 1.01, name, transform=ax.get_xaxis_transform(), ha="center",
                va="bottom", fontsize=9, color="0.25")
        low = top
    ax.set_xlim(-3, 103)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.grid(axis="y", visible=False)


def _check_scores(scores):
    import pandas as pd

    if not isinstance(scores, pd.Series):
        raise TypeError(f"scores must be a pandas Series from blindspots.audit(...); got "
                        f"{type(scores).__name__}.")
    unknown = [str(k) for k in scores.index if k not in B.BLINDSPOT_KEYS]
    if unknown:
        raise ValueError(f"scores has unknown blindspot(s) {', '.join(unknown)}.")
    return scores.reindex(list(B.BLINDSPOT_KEYS)).astype(float)


# --- one profile -------------------------------------------------------------------------------------
def profile_scene(scores, name: str = ""):
    """Scene: one horizontal bar per blindspot (1 at the top); unscored blindspots say so."""
    scores = _check_scores(scores)

    def scene(ax):
        _bands(ax)
        y = np.arange(len(B.BLINDSPOTS))[::-1]
        for yi, key in zip(y, B.BLINDSPOT_KEYS):
            value = scores[key]
            if np.isnan(value):
                ax.text(1.5, yi, "no evidence yet", va="center", fontsize=9, color="0.35",
                        style="italic")
                continue
            spec = LEVEL_STYLE[B.level(value)]
            ax.barh(yi, max(value, 0.6), height=0.62, facecolor=spec["color"], hatch=spec["hatch"],
                    edgecolor="white", linewidth=0.6, zorder=2)
            inside = value > 88
            ax.text(value - 1.5 if inside else value + 1.5, yi, f"{value:.0f}", va="center",
                    ha="right" if inside else "left", fontsize=9,
                    color="white" if inside else "0.15", zorder=3)
        ax.set_yticks(y, _labels())
        ax.set_ylim(-0.6, len(B.BLINDSPOTS) - 0.4)
        title = f"Blindspot profile: {name}" if name else "Blindspot profile"
        style.label_axes(ax, x="Score: 0 = in sight, 100 = blind", y="")
        ax.set_title(title, loc="left", pad=20)
        return lambda: []

    return scene


def describe_profile(scores, name: str = "") -> str:
    """Alt text for :func:`profile_figure`: every score, its level, and the two most urgent."""
    scores = _check_scores(scores)
    parts = []
    for b in B.BLINDSPOTS:
        value = scores[b.key]
        parts.append(f"{b.number} {b.label}: " + ("no evidence yet" if np.isnan(value)
                                                 else f"{value:.0f} ({B.level(value)})"))
    scored = scores.dropna()
    text = (f"Bar chart of the blindspot profile{' of ' + name if name else ''}, scores from 0 (in "
            "sight) to 100 (blind): " + "; ".join(parts) + ".")
    if len(scored) >= 2:
        top = B.most_urgent(scored)
        text += (" Most urgent: " + " and ".join(B.blindspot(k).label for k in top) + ".")
    return text


def profile_figure(scores, name: str = ""):
    """One organisation's profile as a still image with alt text."""
    return still(profile_scene(scores, name), describe=lambda: describe_profile(scores, name),
                 figsize=PROFILE_FIGSIZE)


def profile_html(scores, name: str = "") -> str:
    """The profile as an ``<img>`` tag with alt text (for widgets that redraw it in the kernel)."""
    with style.figure(figsize=PROFILE_FIGSIZE) as (fig, ax):
        profile_scene(scores, name)(ax)
        png = figure_png(fig)
    alt = html.escape(describe_profile(scores, name), quote=True)
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{alt}" style="max-width:100%;height:auto">'


# --- several profiles -----------------------------------------------------------------------------------
def comparison_scene(table, names: dict | None = None):
    """Scene: a dot plot, one row per blindspot and one marker per organisation (a column of ``table``)."""
    import pandas as pd

    if not isinstance(table, pd.DataFrame) or table.shape[1] == 0:
        raise TypeError("table must be a DataFrame from blindspots.compare(...), one column per "
                        "organisation.")
    if table.shape[1] > len(_ORG_MARKERS):
        raise ValueError(f"table may hold at most {len(_ORG_MARKERS)} organisations; got {table.shape[1]}.")
    table = table.reindex(list(B.BLINDSPOT_KEYS)).astype(float)
    names = {c: (names or {}).get(c, str(c)) for c in table.columns}

    def scene(ax):
        _bands(ax)
        y = np.arange(len(B.BLINDSPOTS))[::-1]
        lows, highs = table.min(axis=1).to_numpy(), table.max(axis=1).to_numpy()
        ax.hlines(y, lows, highs, color="0.6", linewidth=1.2, zorder=2)
        offsets = np.linspace(-0.18, 0.18, table.shape[1]) if table.shape[1] > 1 else [0.0]
        for (column, (marker, colour)), dy in zip(zip(table.columns, _ORG_MARKERS), offsets):
            ax.scatter(table[column].to_numpy(), y + dy, marker=marker, s=60, color=colour,
                       edgecolor="white", linewidth=0.8, zorder=3, label=names[column])
        ax.set_yticks(y, _labels())
        ax.set_ylim(-0.6, len(B.BLINDSPOTS) - 0.4)
        style.label_axes(ax, x="Score: 0 = in sight, 100 = blind", y="")
        ax.set_title("Three organisations, seven blindspots", loc="left", pad=20)
        ax.legend(loc="upper center", bbox_to_anchor=(0.4, -0.16), ncol=table.shape[1],
                  fontsize=9, handletextpad=0.3)
        return lambda: []

    return scene


def describe_comparison(table, names: dict | None = None) -> str:
    """Alt text for :func:`comparison_figure`: each blindspot's scores, organisation by organisation."""
    table = table.reindex(list(B.BLINDSPOT_KEYS)).astype(float)
    names = {c: (names or {}).get(c, str(c)) for c in table.columns}
    rows = []
    for b in B.BLINDSPOTS:
        rows.append(f"{b.number} {b.label}: " + ", ".join(
            f"{names[c]} {table.at[b.key, c]:.0f}" for c in table.columns))
    tops = "; ".join(f"{names[c]}: " + " and ".join(B.blindspot(k).label for k in
                                                     B.most_urgent(table[c]))
                     for c in table.columns)
    return ("Dot plot of blindspot scores from 0 (in sight) to 100 (blind), one row per blindspot "
            "and one marker per organisation. " + "; ".join(rows) + ". Most urgent for each: "
            + tops + ".")


def comparison_figure(table, names: dict | None = None):
    """Organisations' profiles side by side (a dot plot) as a still image with alt text."""
    return still(comparison_scene(table, names), describe=lambda: describe_comparison(table, names),
                 figsize=(7.0, 4.6))


# --- blindspot 5: who shares, under which guidelines ------------------------------------------------------
#: Slider positions of the sharing explorer.
MEMBER_VALUES = (0, 1, 2, 4, 8)
CONTROL_OPTIONS = tuple(B.CONTROL_LEVELS.values())
_CONTROL_BY_LABEL = {label: value for value, label in B.CONTROL_LEVELS.items()}
_BRAND = dict(facecolor=style.PALETTE["blue"], hatch=None, edgecolor="white", linewidth=0.6)
_TEAM = dict(facecolor=style.PALETTE["orange"], hatch="//", edgecolor="white", linewidth=0.6)


def _control(label: str) -> float:
    if label not in _CONTROL_BY_LABEL:
        raise ValueError(f"control must be one of {', '.join(CONTROL_OPTIONS)}; got {label!r}.")
    return _CONTROL_BY_LABEL[label]


def sharing_scene(settings: B.TeamSharing | None = None):
    """Scene: people who see a post and who trust it, from the brand alone and through the team.

    The update takes ``members`` (one of :data:`MEMBER_VALUES`) and ``control`` (a label of
    :data:`CONTROL_OPTIONS`).
    """
    settings = B.TeamSharing() if settings is None else settings
    alone = B.share_outcome(0, 0.0, settings)
    most = B.share_outcome(max(MEMBER_VALUES), 0.0, settings)

    def scene(ax):
        y = np.array([1.0, 0.0])
        brand = ax.barh(y, [0, 0], height=0.5, **_BRAND, label="Brand account only")
        team = ax.barh(y, [0, 0], height=0.5, **_TEAM, label="Through team members")
        for bar in (*brand, *team):
            bar.set_animated(True)
        for yi, value in zip(y, (alone.reach, alone.trusted)):
            ax.plot([value, value], [yi - 0.33, yi + 0.33], color="0.2", linestyle="--",
                    linewidth=1.2)
        ax.text(float(alone.reach), 1.37, "brand alone", ha="center", fontsize=8, color="0.2")
        labels = [ax.text(0, yi, "", va="center", fontsize=9, color="0.15", animated=True)
                  for yi in y]
        risk = ax.text(0.98, 0.5, "", transform=ax.transAxes, ha="right", va="center",
                       fontsize=10, animated=True)
        ax.set_yticks(y, ["People who\nsee a post", "People who\ntrust it enough\nto act"])
        ax.set_ylim(-0.55, 1.6)
        ax.set_xlim(0, float(most.reach) * 1.12)
        ax.grid(axis="y", visible=False)
        style.label_axes(ax, x="People in the market, per post", y="",
                         title="Sharing under guidelines (a model)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)

        def update(members: int, control: str):
            out = B.share_outcome(members, _control(control), settings)
            totals = (float(out.reach), float(out.trusted))
            via = (float(out.via_team), float(out.via_team * out.member_trust))
            for bar, total, part in zip(brand, totals, via):
                bar.set_width(total - part)
            for bar, total, part in zip(team, totals, via):
                bar.set_x(total - part)
                bar.set_width(part)
            for text, total, yi in zip(labels, totals, y):
                text.set_position((total + float(most.reach) * 0.01, yi + 0.3))
                text.set_text(f"{total:.0f}")
            risk.set_text(f"{members} sharing · {control}\nmistakes a year: {float(out.mistakes):.1f}")
            return [*brand, *team, *labels, risk]

        return update

    return scene


def describe_sharing(members: int, control: str, settings: B.TeamSharing | None = None) -> str:
    """Alt text for one frame of :func:`sharing_explorer`."""
    settings = B.TeamSharing() if settings is None else settings
    out = B.share_outcome(members, _control(control), settings)
    alone = B.share_outcome(0, 0.0, settings)
    return (f"{members} team member{'s' if members != 1 else ''} sharing under {control} "
            f"(control {_control(control):g}). A typical post is seen by {float(out.reach):.0f} "
            f"people ({float(out.via_team):.0f} through the team), against {float(alone.reach):.0f} "
            f"for the brand account alone; {float(out.trusted):.0f} trust it enough to act, "
            f"against {float(alone.trusted):.0f}. Expected mistakes a year: {float(out.mistakes):.1f}.")


def sharing_figure(members: int = 2, control: str = "one page of guidelines",
                   settings: B.TeamSharing | None = None):
    """One still of the sharing figure."""
    return still(sharing_scene(settings),
                 describe=lambda members, control: describe_sharing(members, control, settings),
                 members=members, control=control)


def sharing_explorer(settings: B.TeamSharing | None = None, *, members: int = 0,
                     control: str = "no guidelines"):
    """Two sliders, team members who share and how tight the guidelines are: the lesson's widget."""
    if members not in MEMBER_VALUES:
        raise ValueError(f"members must be one of {MEMBER_VALUES}; got {members!r}.")
    _control(control)
    return explorer(
        sharing_scene(settings),
        {"members": Slider("Team members who share", MEMBER_VALUES, initial=members),
         "control": Slider("Guidelines", CONTROL_OPTIONS, initial=control)},
        describe=lambda members, control: describe_sharing(members, control, settings),
    )


# --- what a mistake costs, and the control that pays best ------------------------------------------------
#: Slider positions of the control explorer: trusted views one public mistake undoes.
COST_VALUES = (0, 200, 1000, 4000, 20000, 100000)
_GRID = np.linspace(0.0, 1.0, 101)


def control_scene(members: int = 2, settings: B.TeamSharing | None = None):
    """Scene: net trusted views a year against the control level, for the cost of a mistake chosen.

    The update takes ``cost`` (one of :data:`COST_VALUES`).
    """
    settings = B.TeamSharing() if settings is None else settings
    benefit = B.share_outcome(members, _GRID, settings).trusted_views
    alone = float(B.share_outcome(0, 0.0, settings).trusted_views)

    def scene(ax):
        ax.plot(_GRID, benefit, color="0.55", linewidth=1.5, linestyle=":",
                label="Trusted views, before mistakes")
        ax.axhline(alone, color=style.PALETTE["blue"], linestyle="--", linewidth=1.3,
                   label="Brand account alone")
        net, = ax.plot([], [], color=style.PALETTE["vermillion"], linewidth=2.6, animated=True,
                       label="Net of what mistakes undo")
        best, = ax.plot([], [], marker="o", markersize=9, color="black", linestyle="none",
                        animated=True)
        note = ax.text(0.98, 0.96, "", transform=ax.transAxes, ha="right", va="top", fontsize=10,
                       animated=True)
        for value, label in B.CONTROL_LEVELS.items():
            ax.axvline(value, color="0.85", linewidth=0.8, zorder=0)
        ax.set_xticks(list(B.CONTROL_LEVELS), ["none", "one\npage", "detailed\nrules",
                                               "most\napproved", "all\napproved"])
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(0, float(benefit.max()) * 1.15)
        ax.grid(axis="x", visible=False)
        style.label_axes(ax, x="How tightly the guidelines control the team",
                         y="Trusted views a year",
                         title=f"{members} team members sharing: which control pays best? (a model)")
        ax.legend(loc="lower left", fontsize=9)

        def update(cost: float):
            s = settings.replace(mistake_cost=float(cost))
            out = B.share_outcome(members, _GRID, s)
            net.set_data(_GRID, out.net)
            c = B.best_control(members, s)
            best.set_data([c], [float(B.share_outcome(members, c, s).net)])
            note.set_text(f"a mistake undoes {cost:,} trusted views\nbest control: {c:.2f}")
            return [net, best, note]

        return update

    return scene


def describe_control(cost: float, members: int = 2, settings: B.TeamSharing | None = None) -> str:
    """Alt text for one frame of :func:`control_explorer`."""
    settings = (B.TeamSharing() if settings is None else settings).replace(mistake_cost=float(cost))
    c = B.best_control(members, settings)
    net = B.share_outcome(members, np.array([0.0, c, 1.0]), settings).net
    return (f"Net trusted views a year against the control level, with {members} team members "
            f"sharing and each mistake undoing {cost:,} trusted views. The best control is {c:.2f}, "
            f"giving {net[1]:,.0f} net trusted views a year, against {net[0]:,.0f} with no "
            f"guidelines and {net[2]:,.0f} when every post is approved (the brand alone).")


def control_explorer(members: int = 2, settings: B.TeamSharing | None = None, *, cost: int = 1000):
    """One slider, what a mistake costs, over the net-value curve: the lesson's second widget."""
    if cost not in COST_VALUES:
        raise ValueError(f"cost must be one of {COST_VALUES}; got {cost!r}.")
    return explorer(
        control_scene(members, settings),
        {"cost": Slider("Trusted views one mistake undoes", COST_VALUES, format="{:,}",
                        initial=cost)},
        describe=lambda cost: describe_control(cost, members, settings),
    )

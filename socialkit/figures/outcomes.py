"""Figures of Chapter 6, *From tools to outcomes*: vanity or linked, lags, the metric tree, silo or not.

Each ``*_scene`` draws a figure for :func:`socialkit.interactive.widgets.still` or ``explorer``;
each ``describe_*`` is its alt text, with the numbers a reader who cannot see it needs. The weekly
figures are synthetic, and the titles say so. Bars differ by hatching as well as colour.
"""
from __future__ import annotations

import numpy as np

from ..interactive import style
from ..interactive.widgets import Slider, explorer, still
from ..models import outcomes as M

__all__ = ["LAG_OPTIONS", "SEASON_OPTIONS", "AS_RECORDED", "SEASON_REMOVED", "HALF_LIVES",
           "LEVEL_OPTIONS", "timeline_scene", "describe_timeline", "timeline_figure",
           "lag_scene", "describe_lags", "lag_figure", "lag_explorer", "tree_scene",
           "describe_tree", "tree_figure", "integration_scene", "describe_integration",
           "integration_figure", "integration_explorer"]

AS_RECORDED, SEASON_REMOVED = "as recorded", "season removed"
SEASON_OPTIONS = (AS_RECORDED, SEASON_REMOVED)
#: Delays the lag explorer shows, in weeks.
LAG_OPTIONS = (0, 1, 2, 3, 4)
#: Half-lives of a kept answer the integration explorer shows, in weeks.
HALF_LIVES = (4, 13, 26, 52)
LEVEL_OPTIONS = tuple(M.LINK_LEVELS)
LAG_FIGSIZE = (7.0, 4.0)
_BAR_STYLE = {
    "new_followers": dict(color=style.PALETTE["reddish_purple"], hatch="xx"),
    "likes": dict(color=style.PALETTE["vermillion"], hatch="//"),
    "questions_answered": dict(color=style.PALETTE["blue"], hatch=None),
    "review_replies": dict(color=style.PALETTE["bluish_green"], hatch=".."),
}


def _label(metric: str) -> str:
    return M.METRIC_LABELS[metric]


def _z(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    spread = values.std()
    return (values - values.mean()) / (spread if spread > 0 else 1.0)


# --- two years at a glance --------------------------------------------------------------------------
_TIMELINE = ("bookings", "likes", "questions_answered", "followers")


def timeline_scene(data):
    """Scene: bookings, likes, questions answered and followers over the two years, each in its
    own standard units (0 = its average week), so that their ups and downs can be compared."""
    data = M.validate_outcomes(data)

    def scene(ax):
        for i, column in enumerate(_TIMELINE):
            label = _label(column) + (" (running total)" if column == "followers" else "")
            ax.plot(data["week"], _z(data[column]), color=style.COLORS[i], linestyle=style.DASHES[i],
                    linewidth=2.4 if column == "bookings" else 1.6, label=label)
        ax.axhline(0, color="0.4", linewidth=0.8)
        style.label_axes(ax, x="Week", y="Above (+) or below (−) its average",
                         title="Two years of weekly figures (synthetic)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)
        return lambda: []

    return scene


def describe_timeline(data) -> str:
    """Alt text for :func:`timeline_figure`."""
    data = M.validate_outcomes(data)
    same_week = {m: M.lagged_correlation(data, m, 0) for m in ("likes", "questions_answered", "followers")}
    peak = data.loc[data["bookings"].idxmax(), "week"]
    low = data.loc[data["bookings"].idxmin(), "week"]
    return (f"Lines of synthetic weekly figures from {data['week'].iloc[0]:%B %Y} to "
            f"{data['week'].iloc[-1]:%B %Y}, each scaled to its own average. Repair bookings rise "
            f"to a summer peak ({data['bookings'].max()} in the week of {peak:%d %B %Y}) and fall "
            f"in winter ({data['bookings'].min()} in the week of {low:%d %B %Y}); likes and "
            f"questions answered rise and fall with them (same-week correlations with bookings "
            f"{same_week['likes']:.2f} and {same_week['questions_answered']:.2f}), while followers "
            f"climb steadily from {data['followers'].iloc[0]} to {data['followers'].iloc[-1]} "
            f"(correlation {same_week['followers']:.2f}).")


def timeline_figure(data):
    """Two years of the shop's weekly figures, each in its own standard units."""
    return still(timeline_scene(data), describe=lambda: describe_timeline(data), figsize=(7.0, 4.2))


# --- correlation with bookings, by delay -------------------------------------------------------------
def _lag_tables(data):
    recorded = M.lagged_correlations(data, M.SOCIAL_METRICS, LAG_OPTIONS)
    removed = M.lagged_correlations(M.deseasonalise(data), M.SOCIAL_METRICS, LAG_OPTIONS)
    return {AS_RECORDED: recorded, SEASON_REMOVED: removed}


def _lag_headline(tables, lag: int, season: str) -> str:
    row = tables[season].loc[lag]
    best = row.idxmax()
    when = "the same week" if lag == 0 else f"{lag} week{'s' if lag > 1 else ''} later"
    return f"Bookings {when}, {season}: strongest {_label(best).lower()} ({row[best]:.2f})"


def lag_scene(data):
    """Scene: each social figure's correlation with bookings ``lag`` weeks later, with the season
    as recorded or removed. The update takes ``lag`` (of :data:`LAG_OPTIONS`) and ``season`` (of
    :data:`SEASON_OPTIONS`)."""
    data = M.validate_outcomes(data)
    tables = _lag_tables(data)
    metrics = M.SOCIAL_METRICS
    x = np.arange(len(metrics))

    def scene(ax):
        bars = []
        for i, metric in enumerate(metrics):
            spec = _BAR_STYLE[metric]
            (bar,) = ax.bar([x[i]], [0.0], width=0.6, facecolor=spec["color"], hatch=spec["hatch"],
                            edgecolor="white", linewidth=0.6)
            bar.set_animated(True)
            bars.append(bar)
        values = [ax.text(i, 0, "", ha="center", va="bottom", fontsize=10, animated=True) for i in x]
        headline = ax.text(0.01, 0.98, "", ha="left", va="top", fontsize=10, animated=True,
                           transform=ax.transAxes)
        for level in (M.LINK_THRESHOLD, -M.LINK_THRESHOLD):
            ax.axhline(level, color="0.35", linestyle="--", linewidth=1)
        ax.text(-0.55, -M.LINK_THRESHOLD - 0.02, f"the rule's threshold: ±{M.LINK_THRESHOLD:g}",
                ha="left", va="top", fontsize=8.5, color="0.3")
        ax.axhline(0, color="0.2", linewidth=0.8)
        ax.set_xticks(x, [_label(m) for m in metrics])
        ax.set_xlim(-0.6, len(metrics) - 0.4)
        ax.set_ylim(-0.6, 1.05)
        ax.grid(axis="x", visible=False)
        style.label_axes(ax, x="", y="Correlation with bookings",
                         title="Which figure moves with bookings? (synthetic)")

        def update(lag: int, season: str):
            row = tables[season].loc[lag]
            for bar, text, metric, xi in zip(bars, values, metrics, x):
                r = float(row[metric])
                bar.set_height(r)
                text.set_position((xi, r + (0.02 if r >= 0 else -0.02)))
                text.set_verticalalignment("bottom" if r >= 0 else "top")
                text.set_text(f"{r:.2f}")
            headline.set_text(_lag_headline(tables, lag, season))
            return [*bars, *values, headline]

        return update

    return scene


def describe_lags(data, lag: int, season: str, *, tables=None) -> str:
    """Alt text for one frame of :func:`lag_explorer`."""
    tables = tables or _lag_tables(M.validate_outcomes(data))
    row = tables[season].loc[lag]
    parts = "; ".join(f"{_label(m)} {row[m]:.2f}" for m in M.SOCIAL_METRICS)
    return (f"{_lag_headline(tables, lag, season)}. Bars of the correlation of each synthetic weekly "
            f"figure with repair bookings: {parts}. Dashed lines mark the rule's threshold of "
            f"plus and minus {M.LINK_THRESHOLD:g}.")


def lag_figure(data, lag: int = 0, season: str = AS_RECORDED):
    """One still of the lag figure."""
    tables = _lag_tables(M.validate_outcomes(data))
    return still(lag_scene(data), figsize=LAG_FIGSIZE, lag=lag, season=season,
                 describe=lambda lag, season: describe_lags(data, lag, season, tables=tables))


def lag_explorer(data):
    """Two sliders, the delay in weeks and the season as recorded or removed: the lesson's widget."""
    data = M.validate_outcomes(data)
    tables = _lag_tables(data)
    return explorer(
        lag_scene(data),
        {"lag": Slider("Bookings how many weeks later", LAG_OPTIONS, initial=0),
         "season": Slider("Season", SEASON_OPTIONS, initial=AS_RECORDED)},
        describe=lambda lag, season: describe_lags(data, lag, season, tables=tables),
        figsize=LAG_FIGSIZE,
    )


# --- the metric tree ------------------------------------------------------------------------------
_BOX = dict(boxstyle="round,pad=0.5", linewidth=1.2)


def _tree_numbers(data):
    table = M.contributions(data, M.SOCIAL_METRICS, (1, 2))
    linked = M.linked_metrics(data)
    return table, linked


def tree_scene(data):
    """Scene: a metric tree from the team's activity, through the figures linked to bookings, to
    bookings; the vanity figures set apart. Numbers are estimated from ``data``."""
    data = M.validate_outcomes(data)
    table, linked = _tree_numbers(data)
    vanity = [m for m in M.SOCIAL_METRICS if m not in linked]

    def scene(ax):
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 6)
        ax.axis("off")
        ax.set_title("A metric tree, from activity to outcome (synthetic)", loc="left")
        ax.text(1.4, 3.9, "Activity\nanswer questions and\nreply to reviews,\nwithin a working day",
                ha="center", va="center", fontsize=9.5,
                bbox={**_BOX, "facecolor": "#e8f1f8", "edgecolor": style.PALETTE["blue"]})
        ys = np.linspace(5.0, 2.8, max(len(linked), 1))
        for y, metric in zip(ys, linked):
            row = table.loc[metric]
            ax.text(5.0, y, f"{_label(metric)}\n{row['weekly_average']:.0f} a week",
                    ha="center", va="center", fontsize=9.5,
                    bbox={**_BOX, "facecolor": "white", "edgecolor": style.PALETTE["blue"]})
            ax.annotate("", xy=(3.9, y), xytext=(2.75, 3.9),
                        arrowprops=dict(arrowstyle="->", color="0.3", lw=1.2))
            ax.annotate("", xy=(7.55, 3.9), xytext=(6.15, y),
                        arrowprops=dict(arrowstyle="->", color="0.3", lw=1.2))
            ax.text(6.85, y + (0.25 if y >= 3.9 else -0.25), f"+{row['bookings_per_unit']:.2f} each",
                    ha="center", va="center", fontsize=8.5, color="0.2")
        ax.text(8.7, 3.9, f"Outcome\nrepair bookings\n{data[M.OUTCOME].mean():.0f} a week",
                ha="center", va="center", fontsize=9.5,
                bbox={**_BOX, "facecolor": "#e6f4ef", "edgecolor": style.PALETTE["bluish_green"]})
        if vanity:
            names = ", ".join(f"{_label(m).lower()} ({table.loc[m, 'weekly_average']:.0f} a week)"
                              for m in vanity)
            ax.text(5.0, 1.0, f"Vanity: {names}\nno link to bookings found once the season is removed",
                    ha="center", va="center", fontsize=9, color="0.35",
                    bbox={**_BOX, "facecolor": "#f2f2f2", "edgecolor": "0.6", "linestyle": "--"})
        return lambda: []

    return scene


def describe_tree(data) -> str:
    """Alt text for :func:`tree_figure`."""
    data = M.validate_outcomes(data)
    table, linked = _tree_numbers(data)
    vanity = [m for m in M.SOCIAL_METRICS if m not in linked]
    chain = "; ".join(f"{_label(m).lower()}, {table.loc[m, 'weekly_average']:.0f} a week, each "
                      f"followed by about {table.loc[m, 'bookings_per_unit']:.2f} extra bookings within "
                      f"two weeks" for m in linked) or "no figure linked"
    return (f"A diagram of a metric tree estimated from the synthetic weekly figures. The activity, "
            f"answering questions and replying to reviews within a working day, leads to the "
            f"leading metrics ({chain}), which lead to the outcome, repair bookings, "
            f"{data[M.OUTCOME].mean():.0f} a week on average. Set apart as vanity metrics: "
            f"{', '.join(_label(m).lower() for m in vanity) or 'none'}.")


def tree_figure(data):
    """The metric tree of the chapter, with numbers estimated from ``data``."""
    return still(tree_scene(data), describe=lambda: describe_tree(data), figsize=(7.0, 4.0))


# --- silo or integrated ---------------------------------------------------------------------------
def _integration_curves(assumptions=None, weeks: int = M.DEFAULT_WEEKS):
    return {(level, half_life): M.effort_bookings(links, weeks, assumptions, half_life=half_life)
            for level, links in M.LINK_LEVELS.items() for half_life in HALF_LIVES}


def _integration_headline(curves, level: str, half_life: int) -> str:
    silo = curves[("Silo", half_life)].sum()
    linked = curves[(level, half_life)].sum()
    if level == "Silo":
        return (f"Silo: {silo:,.0f} bookings in two years from the same hours (no answer is kept, "
                f"so a half-life of {half_life} weeks changes nothing)")
    change = linked / silo - 1
    versus = (f"about the same as the silo's {silo:,.0f}" if abs(change) < 0.005
              else f"{change:+.0%} on the silo's {silo:,.0f}")
    return f"{level}, half-life {half_life} weeks: {linked:,.0f} bookings in two years, {versus}"


def integration_scene(assumptions=None, weeks: int = M.DEFAULT_WEEKS):
    """Scene: bookings a week from the team's hours, in a silo (dashed) and linked as chosen. The
    update takes ``level`` (of :data:`LEVEL_OPTIONS`) and ``half_life`` (of :data:`HALF_LIVES`)."""
    curves = _integration_curves(assumptions, weeks)
    t = np.arange(1, weeks + 1)
    top = max(c.max() for c in curves.values())

    def scene(ax):
        ax.plot(t, curves[("Silo", HALF_LIVES[0])], color="0.35", linestyle="--", linewidth=1.6,
                label="Silo: answers stay inside social media")
        (line,) = ax.plot(t, np.zeros_like(t, dtype=float), color=style.PALETTE["blue"],
                          linewidth=2.4, label="Linked as chosen", animated=True)
        headline = ax.text(0.01, 0.98, "", ha="left", va="top", fontsize=10, animated=True,
                           transform=ax.transAxes)
        ax.set_xlim(0, weeks + 1)
        ax.set_ylim(0, top * 1.25)
        style.label_axes(ax, x="Week (the same hours every week)", y="Bookings a week from the hours",
                         title="The same effort, kept in a silo or linked (model)")
        ax.legend(loc="lower right", fontsize=9)

        def update(level: str, half_life: int):
            line.set_ydata(curves[(level, half_life)])
            headline.set_text(_integration_headline(curves, level, half_life))
            return [line, headline]

        return update

    return scene


def describe_integration(level: str, half_life: int, *, curves=None) -> str:
    """Alt text for one frame of :func:`integration_explorer`."""
    curves = curves or _integration_curves()
    linked, silo = curves[(level, half_life)], curves[("Silo", half_life)]
    text = (f"{_integration_headline(curves, level, half_life)}. A line chart of bookings a week over "
            f"two years: the silo stays flat at {silo[0]:.1f} a week")
    if level == "Silo":
        return text + "."
    ahead = np.nonzero(linked > silo + 1e-12)[0]
    when = f"overtakes it in week {ahead[0] + 1}" if ahead.size else "never overtakes it"
    return (text + f"; the linked line starts at {linked[0]:.1f} a week, {when} and ends at "
            f"{linked[-1]:.1f} a week as kept answers build up.")


def integration_figure(level: str = "+ service", half_life: int = 26):
    """One still of the integration figure."""
    curves = _integration_curves()
    return still(integration_scene(), level=level, half_life=half_life, figsize=(7.0, 3.9),
                 describe=lambda level, half_life: describe_integration(level, half_life, curves=curves))


def integration_explorer(assumptions=None):
    """Two sliders, how far the answers are linked and how long a kept answer stays useful."""
    curves = _integration_curves(assumptions)
    return explorer(
        integration_scene(assumptions),
        {"level": Slider("Linked to", LEVEL_OPTIONS, initial="Silo"),
         "half_life": Slider("Half-life of a kept answer (weeks)", HALF_LIVES, initial=26)},
        describe=lambda level, half_life: describe_integration(level, half_life, curves=curves),
        figsize=(7.0, 3.9),
    )

"""Figures of Chapter 5's posting model: content mix, audience, sales, a feed and the drafts."""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..data import case
from ..interactive import style
from ..interactive.widgets import Slider, draw_scene, explorer, still
from ..models import content as C

__all__ = ["mix_scene", "describe_mix", "mix_explorer", "frequency_scene", "describe_frequency",
           "frequency_explorer", "shouting_scene", "describe_shouting", "shouting_figure",
           "SHOUT_WEEKS", "SHOUT_SHARE", "feed_scene", "describe_feed", "feed_figure",
           "drafts_table", "sorting_report", "draw_mix", "PROMO_VALUES", "FILLER_VALUES",
           "POSTS_VALUES", "WHAT_IF_VALUES"]

WEEKS = np.arange(1, C.WEEKS + 1)
#: Slider grids: few positions keep the page light (every position is a stored image).
PROMO_VALUES = (0.0, 0.1, 0.2, 0.35, 0.5)
FILLER_VALUES = (0.0, 0.3)
POSTS_VALUES = (1, 2, 5, 10)
#: The assumptions the second explorer offers (labels of ``C.WHAT_IFS``). "Most of the town
#: already follows" is left to the lesson's table: its sales dwarf the others on one axis.
WHAT_IF_VALUES = ("The lesson's assumptions", "Customers expect more (promotion annoys twice as much)",
                  "Promotion annoys half as much")
#: The month of shouting in :func:`shouting_scene`: weeks 21 to 24 at 80% promotion.
SHOUT_WEEKS = (20, 24)
SHOUT_SHARE = 0.8
_SHARES = np.round(np.linspace(0.0, 1.0, 101), 10)
_KIND_COLORS = {"helpful": style.PALETTE["bluish_green"], "promotional": style.PALETTE["vermillion"],
                "filler": style.PALETTE["orange"]}
_KIND_HATCH = {"helpful": None, "promotional": "//", "filler": ".."}


def _market(what_if: str = "The lesson's assumptions") -> C.Market:
    if what_if not in C.WHAT_IFS:
        raise ValueError(f"what_if must be one of {', '.join(map(repr, C.WHAT_IFS))}; got {what_if!r}.")
    return C.Market.cobble_and_chain().replace(**C.WHAT_IFS[what_if])


@lru_cache(maxsize=None)
def _mix_years() -> C.Year:
    """Every mix of the first explorer, in one vectorised run (promo × filler grid)."""
    promo = np.array(PROMO_VALUES)[:, None]
    filler = np.array(FILLER_VALUES)[None, :]
    return C.simulate(promo, filler, case.POSTS_PER_WEEK)


def _mix_index(promo_share: float, filler_share: float) -> tuple[int, int]:
    if promo_share not in PROMO_VALUES or filler_share not in FILLER_VALUES:
        raise ValueError(f"promo_share must be one of {PROMO_VALUES} and filler_share one of "
                         f"{FILLER_VALUES}; got {promo_share!r} and {filler_share!r}.")
    return PROMO_VALUES.index(promo_share), FILLER_VALUES.index(filler_share)


@lru_cache(maxsize=None)
def _best_year() -> tuple[float, C.Year]:
    best = C.best_promo_share(posts_per_week=case.POSTS_PER_WEEK)
    return best, C.simulate(best, 0.0, case.POSTS_PER_WEEK)


@lru_cache(maxsize=None)
def _curves(what_if: str) -> np.ndarray:
    """Year's sales for every promotional share (rows: POSTS_VALUES), no filler."""
    return C.year_sales(_SHARES[None, :], 0.0, np.array(POSTS_VALUES, dtype=float)[:, None],
                        _market(what_if))


def _split(ax):
    """Turn ``ax`` into the left of two axes side by side; return the new right one."""
    grid = ax.get_subplotspec().subgridspec(1, 2, wspace=0.08)
    ax.set_subplotspec(grid[0])
    return ax.figure.add_subplot(grid[1])


def _mix_words(promo_share: float, filler_share: float) -> str:
    helpful = 1.0 - promo_share - filler_share
    return f"{helpful:.0%} helpful, {promo_share:.0%} promotional, {filler_share:.0%} filler"


# --- explorer 1: the content mix over the year -------------------------------------------------
def mix_scene(ax):
    """Scene: followers (left) and sales so far (right), week by week, for one content mix."""
    years = _mix_years()
    best, best_year = _best_year()
    sales_ax = _split(ax)
    top_audience = float(np.ceil(years.audience.max() / 500 + 0.2) * 500)
    top_sales = float(np.ceil(years.cumulative_sales[-1].max() / 100 + 0.3) * 100)
    grey = "0.55"
    ax.plot(WEEKS, best_year.audience, color=grey, linestyle="--", linewidth=1.5,
            label=f"Best mix ({best:.0%} promotional, no filler)")
    sales_ax.plot(WEEKS, best_year.cumulative_sales, color=grey, linestyle="--", linewidth=1.5)
    audience, = ax.plot([], [], color=style.PALETTE["blue"], linewidth=2.8, animated=True,
                        label="Your mix")
    lost, = ax.plot([], [], color=style.PALETTE["vermillion"], linestyle=":", linewidth=2.0,
                    animated=True, label="People who left")
    sales, = sales_ax.plot([], [], color=style.PALETTE["blue"], linewidth=2.8, animated=True)
    for a, top in ((ax, top_audience), (sales_ax, top_sales)):
        a.set_xlim(1, C.WEEKS)
        a.set_ylim(0, top)
    style.label_axes(ax, x="Week of the year", y="People", title="Followers")
    style.label_axes(sales_ax, x="Week of the year", y="Sales so far", title="Sales from posts")
    ax.legend(loc="upper left", fontsize=8.5)
    note = sales_ax.text(2, top_sales * 0.97, "", fontsize=9.5, va="top", animated=True)
    ax.figure.suptitle(f"A year of {case.POSTS_PER_WEEK} posts a week (synthetic model)",
                       fontsize=11, x=0.02, ha="left")

    def update(promo_share: float, filler_share: float):
        i, j = _mix_index(promo_share, filler_share)
        audience.set_data(WEEKS, years.audience[:, i, j])
        lost.set_data(WEEKS, years.lost[:, i, j])
        sales.set_data(WEEKS, years.cumulative_sales[:, i, j])
        note.set_text(f"{years.total_sales[i, j]:.0f} sales in the year\n"
                      f"(best mix: {best_year.total_sales:.0f})")
        return [audience, lost, sales, note]

    return update


def describe_mix(promo_share: float, filler_share: float) -> str:
    """Alt text for :func:`mix_scene`."""
    i, j = _mix_index(promo_share, filler_share)
    years = _mix_years()
    best, best_year = _best_year()
    return (f"Two line charts over the 52 weeks of a synthetic year of {case.POSTS_PER_WEEK} posts "
            f"a week for {case.NAME}, with {_mix_words(promo_share, filler_share)}. Followers go "
            f"from {case.FOLLOWERS} to {years.final_audience[i, j]:.0f}, and "
            f"{years.final_lost[i, j]:.0f} people who left have not come back by the end. The "
            f"posts bring {years.total_sales[i, j]:.0f} sales in the year. For comparison, the "
            f"best mix ({best:.0%} promotional, no filler) ends with "
            f"{best_year.final_audience:.0f} followers and {best_year.total_sales:.0f} sales.")


def mix_explorer():
    """Sliders: promotional share and filler share; the lesson's first explorer."""
    return explorer(
        mix_scene,
        {"promo_share": Slider("Promotional share", PROMO_VALUES, "{:.0%}", initial=0.5),
         "filler_share": Slider("Filler share", FILLER_VALUES, "{:.0%}", initial=0.3)},
        describe=describe_mix, figsize=(7.6, 3.6))


def draw_mix(ax, promo_share: float = 0.2, filler_share: float = 0.0) -> None:
    """Draw one content mix's year as an ordinary static figure."""
    draw_scene(ax, mix_scene, promo_share=promo_share, filler_share=filler_share)


# --- explorer 2: posts per week × promotional share --------------------------------------------
def frequency_scene(ax):
    """Scene: the year's sales against the promotional share, for one posting frequency."""
    top = float(np.ceil(max(_curves(w).max() for w in WHAT_IF_VALUES) / 200 + 0.2) * 200)
    reference, = ax.plot([], [], color="0.55", linestyle="--", linewidth=1.5, animated=True,
                         label="The lesson's assumptions")
    curve, = ax.plot([], [], color=style.PALETTE["blue"], linewidth=2.8, animated=True,
                     label="Your choice")
    best, = ax.plot([], [], "o", color=style.PALETTE["vermillion"], markersize=9, animated=True,
                    label="Most sales")
    note = ax.text(0.98, top * 0.97, "", ha="right", va="top", fontsize=10, animated=True)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, top)
    style.percent_axis(ax, "x")
    style.label_axes(ax, x="Share of the posts that are promotional (the rest helpful)",
                     y="Sales in the year", title="Posts per week × promotional share → sales")
    ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.86), fontsize=9)

    def update(posts_per_week: int, what_if: str):
        k = POSTS_VALUES.index(posts_per_week)
        sales = _curves(what_if)[k]
        i = int(np.argmax(sales))
        reference.set_data(_SHARES, _curves(WHAT_IF_VALUES[0])[k])
        curve.set_data(_SHARES, sales)
        best.set_data([_SHARES[i]], [sales[i]])
        note.set_text(f"Most sales: {sales[i]:.0f}, at {_SHARES[i]:.0%} promotional\n"
                      f"({_SHARES[i] * posts_per_week:.1f} promotional posts a week)")
        return [reference, curve, best, note]

    return update


def describe_frequency(posts_per_week: int, what_if: str) -> str:
    """Alt text for :func:`frequency_scene`."""
    if posts_per_week not in POSTS_VALUES:
        raise ValueError(f"posts_per_week must be one of {POSTS_VALUES}; got {posts_per_week!r}.")
    sales = _curves(what_if)[POSTS_VALUES.index(posts_per_week)]
    i = int(np.argmax(sales))
    half = int(np.flatnonzero(_SHARES == 0.5)[0])
    return (f"Line chart of the year's sales against the promotional share, for {case.NAME} "
            f"posting {posts_per_week} time(s) a week, under: {what_if}. Sales are 0 with no "
            f"promotion, rise to a peak of {sales[i]:.0f} at {_SHARES[i]:.0%} promotional "
            f"({_SHARES[i] * posts_per_week:.1f} promotional posts a week), and fall to "
            f"{sales[half]:.0f} at 50% and {sales[-1]:.0f} when every post is promotional.")


def frequency_explorer():
    """Sliders: posts per week and an assumption to change; the lesson's second explorer."""
    return explorer(
        frequency_scene,
        {"posts_per_week": Slider("Posts per week", POSTS_VALUES, "{}", initial=case.POSTS_PER_WEEK),
         "what_if": Slider("Assumptions", WHAT_IF_VALUES, "{}", initial=WHAT_IF_VALUES[0])},
        describe=describe_frequency, figsize=(7.0, 3.8))


# --- a month of shouting ------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _shouting() -> tuple[float, C.Year, C.Year]:
    best = C.best_promo_share(posts_per_week=case.POSTS_PER_WEEK)
    plan = np.full(C.WEEKS, best)
    plan[SHOUT_WEEKS[0]:SHOUT_WEEKS[1]] = SHOUT_SHARE
    return best, C.simulate(best), C.simulate_weeks(plan)


def shouting_scene(ax):
    """Followers with a steady mix and with a month of heavy promotion in the spring (still)."""
    best, steady, shout = _shouting()
    ax.axvspan(SHOUT_WEEKS[0] + 0.5, SHOUT_WEEKS[1] + 0.5, color=style.PALETTE["vermillion"],
               alpha=0.12, lw=0)
    ax.text(SHOUT_WEEKS[0] + 1, 40, f"a month at {SHOUT_SHARE:.0%}\npromotion", fontsize=9,
            color="0.25", va="bottom")
    ax.plot(WEEKS, steady.audience, color="0.45", linestyle="--", linewidth=1.8,
            label=f"Steady: {best:.0%} promotional all year")
    ax.plot(WEEKS, shout.audience, color=style.PALETTE["blue"], linewidth=2.6,
            label="The same, with a month of shouting")
    ax.set_xlim(1, C.WEEKS)
    ax.set_ylim(0, float(np.ceil(steady.audience.max() / 250 + 0.2) * 250))
    style.label_axes(ax, x="Week of the year", y="Followers",
                     title="Followers lost by shouting come back slowly (synthetic model)")
    ax.legend(loc="upper left", fontsize=9)
    return lambda: []


def describe_shouting() -> str:
    """Alt text for :func:`shouting_scene`."""
    best, steady, shout = _shouting()
    start, end = SHOUT_WEEKS
    return (f"Line chart of {case.NAME}' followers over a synthetic year of "
            f"{case.POSTS_PER_WEEK} posts a week. With {best:.0%} of the posts promotional all "
            f"year, followers grow from {case.FOLLOWERS} to {steady.final_audience:.0f}. With the "
            f"same mix but {SHOUT_SHARE:.0%} promotion in weeks {start + 1} to {end}, followers "
            f"fall from {shout.audience[start]:.0f} to {shout.audience[end]:.0f} during that "
            f"month, are still {steady.final_audience - shout.final_audience:.0f} behind at the end "
            f"of the year, and the year's sales are {shout.total_sales:.0f} instead of "
            f"{steady.total_sales:.0f}.")


def shouting_figure():
    """The month of shouting as a still image with alt text."""
    return still(shouting_scene, describe=describe_shouting)


# --- a feed -------------------------------------------------------------------------------------
def _monthly(feed: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(feed, pd.DataFrame) or not {"date", "kind"} <= set(feed.columns):
        raise ValueError("feed must be a table with a date and a kind column, like "
                         "content.cobble_and_chain_feed().")
    month = pd.to_datetime(feed["date"]).dt.month
    counts = pd.crosstab(month, feed["kind"]).reindex(index=range(1, 13), columns=list(C.KINDS),
                                                      fill_value=0)
    return counts.fillna(0).astype(int)


def feed_scene(feed: pd.DataFrame):
    """Scene: posts per month of a feed, stacked by kind (returns ``scene(ax)``)."""
    counts = _monthly(feed)

    def scene(ax):
        x = np.arange(1, 13)
        bottom = np.zeros(12)
        for kind in C.KINDS:
            ax.bar(x, counts[kind], bottom=bottom, color=_KIND_COLORS[kind], hatch=_KIND_HATCH[kind],
                   edgecolor="white", linewidth=0.6, label=C.KIND_LABELS[kind])
            bottom += counts[kind].to_numpy()
        ax.set_xticks(x, ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"])
        ax.set_xlim(0.4, 12.6)
        ax.grid(axis="x", visible=False)
        style.label_axes(ax, x="Month", y="Posts", title="The feed, month by month (synthetic)")
        ax.legend(loc="upper right", ncol=3, fontsize=9)
        ax.set_ylim(0, bottom.max() * 1.3 + 1)
        return lambda: []

    return scene


def describe_feed(feed: pd.DataFrame) -> str:
    """Alt text for :func:`feed_scene`."""
    counts = _monthly(feed)
    mix = C.mix_of(feed["kind"])
    return (f"Stacked bar chart of a synthetic feed of {len(feed)} posts, month by month: "
            + ", ".join(f"{mix[k]:.0%} {k}" for k in C.KINDS)
            + f". The busiest month has {counts.sum(axis=1).max()} posts and the quietest "
            f"{counts.sum(axis=1).min()}.")


def feed_figure(feed: pd.DataFrame):
    """A feed's posts per month by kind, as a still image with alt text."""
    return still(feed_scene(feed), describe=lambda: describe_feed(feed), figsize=(7.0, 3.2))


# --- the drafts activity -----------------------------------------------------------------------
def drafts_table() -> pd.DataFrame:
    """The week's drafts from the case, without the team's sorting: label, channel, by, text."""
    names = {c.key: c.name for c in case.CHANNELS}
    return pd.DataFrame([{"draft": d.label, "channel": names[d.channel], "by": d.by.split()[0],
                          "text": d.text} for d in case.DRAFTS]).set_index("draft")


def sorting_report(sorting: dict) -> str:
    """What a reader's sorting of the drafts says: the mix, and what it would do in a year.

    ``sorting`` maps each draft's label ("A", "B", ...) to "helpful", "promotional" or
    "filler". Drafts left blank or with a misspelt kind are listed rather than raising an
    error, so the activity never ends in a traceback.
    """
    labels = [d.label for d in case.DRAFTS]
    if not isinstance(sorting, dict):
        return (f"Your sorting should be a dictionary such as {{\"A\": \"promotional\", ...}}; "
                f"it is a {type(sorting).__name__}.")
    lines, kinds, todo = [], [], []
    for label in labels:
        kind = str(sorting.get(label, "")).strip().lower()
        if kind in C.KINDS:
            kinds.append(kind)
        elif kind:
            lines.append(f"Draft {label}: {kind!r} is not a kind; write helpful, promotional or filler.")
        else:
            todo.append(label)
    extra = sorted(set(map(str, sorting)) - set(labels))
    if extra:
        lines.append(f"There are no drafts called {', '.join(extra)}; the drafts are {', '.join(labels)}.")
    if todo:
        lines.append(f"Not sorted yet: {', '.join(todo)}. Fill in a kind for each and run the cell again.")
    if len(kinds) < len(labels):
        return "\n".join(lines)
    mix = C.mix_of(kinds)
    year = C.simulate(mix["promotional"], mix["filler"], case.POSTS_PER_WEEK)
    best, best_year = _best_year()
    agree = sum(k == d.kind for k, d in zip(kinds, case.DRAFTS))
    lines += [
        f"Your week: {mix['helpful']:.0%} helpful, {mix['promotional']:.0%} promotional, "
        f"{mix['filler']:.0%} filler.",
        f"Posted with this mix, {case.POSTS_PER_WEEK} posts a week for a year: "
        f"{year.total_sales:.0f} sales, and {year.final_audience:.0f} followers at the end "
        f"(they start at {case.FOLLOWERS}).",
        f"The best mix in the model ({best:.0%} promotional, no filler): "
        f"{best_year.total_sales:.0f} sales and {best_year.final_audience:.0f} followers.",
        f"You sorted {agree} of the {len(labels)} drafts as the team did.",
    ]
    return "\n".join(lines)

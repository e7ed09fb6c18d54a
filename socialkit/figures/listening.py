"""Figures of Chapter 4, *Listen first*: where customers talk, what they ask, how fast the shop answers.

Every figure takes the posts table (see :mod:`socialkit.models.listening`) and draws it; the data are
synthetic, and the titles say so. Bars differ by hatching as well as colour.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Patch

from ..data import case
from ..interactive import style
from ..models import listening as L
from ..interactive.widgets import Slider, explorer, still

__all__ = ["ALL_CHANNELS", "ALL_KINDS", "CHANNEL_OPTIONS", "KIND_OPTIONS", "channels_scene",
           "describe_channels", "channels_figure", "topics_scene", "describe_topics",
           "topics_figure", "weekday_scene", "describe_weekday", "weekday_figure",
           "listening_explorer"]

ALL_CHANNELS = "All channels"
ALL_KINDS = "All kinds"
#: Slider positions: channel names (labels of socialkit.models.listening.CHANNEL_LABELS) and kinds.
CHANNEL_OPTIONS = tuple(L.CHANNEL_LABELS[k] for k in case.CHANNEL_KEYS)
KIND_OPTIONS = (ALL_KINDS, *(L.KIND_LABELS[k] for k in L.KINDS))
WEEKDAY_FIGSIZE = (7.0, 4.2)
_CHANNEL_BY_LABEL = {label: key for key, label in L.CHANNEL_LABELS.items()}
_KIND_BY_LABEL = {label: key for key, label in L.KIND_LABELS.items()}

_ANSWERED = dict(color=style.PALETTE["blue"], hatch=None)
_LATER = dict(color=style.PALETTE["sky_blue"], hatch="..")
_UNANSWERED = dict(color=style.PALETTE["vermillion"], hatch="//")
_KIND_STYLE = {
    "question": dict(color=style.PALETTE["blue"], hatch=None),
    "complaint": dict(color=style.PALETTE["vermillion"], hatch="//"),
    "praise": dict(color=style.PALETTE["bluish_green"], hatch=".."),
    "suggestion": dict(color=style.PALETTE["orange"], hatch="xx"),
}


def _bar_style(spec: dict) -> dict:
    return dict(facecolor=spec["color"], hatch=spec["hatch"], edgecolor="white", linewidth=0.6)


def _hours(h: float) -> str:
    return "no replies" if np.isnan(h) else f"{h:.1f} h"


# --- where customers talk ----------------------------------------------------------------------
def channels_scene(posts):
    """Scene: posts per channel, split into answered and unanswered (a still: nothing moves)."""
    summary = L.channel_summary(posts).iloc[::-1]  # most posts at the top

    def scene(ax):
        y = np.arange(len(summary))
        ax.barh(y, summary["answered"], label="Answered by the shop", **_bar_style(_ANSWERED))
        ax.barh(y, summary["unanswered"], left=summary["answered"], label="Not answered",
                **_bar_style(_UNANSWERED))
        for i, (posts_n, rate) in enumerate(zip(summary["posts"], summary["response_rate"])):
            ax.text(posts_n + summary["posts"].max() * 0.01, i, f"{rate:.0%} answered",
                    va="center", fontsize=9, color="0.2")
        ax.set_yticks(y, [L.CHANNEL_LABELS[c] for c in summary.index])
        ax.set_xlim(0, summary["posts"].max() * 1.22)
        ax.grid(axis="y", visible=False)
        style.label_axes(ax, x="Customer posts in the year", y="",
                         title="Posts per channel, answered or not (synthetic)")
        ax.legend(loc="lower right")
        return lambda: []

    return scene


def describe_channels(posts) -> str:
    """Alt text for :func:`channels_figure`."""
    summary = L.channel_summary(posts)
    parts = [f"{L.CHANNEL_LABELS[row.Index]} {row.posts} posts, {row.response_rate:.0%} answered"
             for row in summary.itertuples()]
    return ("Horizontal bars of synthetic customer posts per channel over a year, split into "
            "answered and not answered: " + "; ".join(parts) + ".")


def channels_figure(posts):
    """Posts per channel, answered and not: where customers are and where the shop is."""
    return still(channels_scene(posts), describe=lambda: describe_channels(posts))


# --- what customers ask --------------------------------------------------------------------------
def topics_scene(posts):
    """Scene: posts per topic, stacked by kind; topics the shop does not offer are marked."""
    counts = (posts.groupby(["topic", "kind"]).size().unstack(fill_value=0)
              .reindex(index=list(L.TOPICS), columns=list(L.KINDS), fill_value=0))
    order = counts.sum(axis=1).sort_values(kind="stable").index  # most posts at the top

    def scene(ax):
        y = np.arange(len(order))
        left = np.zeros(len(order))
        for kind in L.KINDS:
            values = counts.loc[order, kind].to_numpy()
            ax.barh(y, values, left=left, label=L.KIND_LABELS[kind], **_bar_style(_KIND_STYLE[kind]))
            left += values
        labels = [L.TOPICS[t].label + ("\n(not offered)" if not L.TOPICS[t].offered else "")
                  for t in order]
        ax.set_yticks(y, labels)
        ax.set_xlim(0, left.max() * 1.06)
        for tick, topic in zip(ax.get_yticklabels(), order):
            if not L.TOPICS[topic].offered:
                tick.set_fontweight("bold")
        ax.grid(axis="y", visible=False)
        style.label_axes(ax, x="Customer posts in the year", y="",
                         title="What customers post about (synthetic)")
        ax.legend(loc="lower right", title="Kind of post", fontsize=9, title_fontsize=9)
        return lambda: []

    return scene


def describe_topics(posts) -> str:
    """Alt text for :func:`topics_figure`."""
    counts = L.topic_counts(posts)
    parts = [f"{L.TOPICS[t].label} {n}" + ("" if L.TOPICS[t].offered else " (not offered)")
             for t, n in counts.items()]
    return ("Horizontal bars of synthetic customer posts per topic over a year, stacked by kind "
            "(question, complaint, praise, suggestion): " + "; ".join(parts) + ".")


def topics_figure(posts):
    """Posts per topic, stacked by kind, with the topics the shop does not offer in bold."""
    return still(topics_scene(posts), describe=lambda: describe_topics(posts), figsize=(7.0, 4.6))


# --- how fast the shop answers, by weekday ------------------------------------------------------
def _selection(posts, channel: str, kind: str):
    key = None if channel == ALL_CHANNELS else _CHANNEL_BY_LABEL[channel]
    kind_key = None if kind == ALL_KINDS else _KIND_BY_LABEL[kind]
    return L.filter_posts(posts, channel=key, kind=kind_key)


def _selector(posts):
    """``select(channel, kind)`` -> (the chosen posts, their headline), each worked out once: a
    figure's frame and its description both ask for them, for each of the explorer's 40 frames."""
    memo = {}

    def select(channel: str, kind: str):
        if (channel, kind) not in memo:
            chosen = _selection(posts, channel, kind)
            memo[channel, kind] = chosen, _headline(chosen, channel, kind)
        return memo[channel, kind]

    return select


def weekday_scene(posts, *, select=None):
    """Scene: for the chosen channel and kind, each weekday's posts by how fast they were answered.

    The update takes ``channel`` (a label from :data:`CHANNEL_OPTIONS` or :data:`ALL_CHANNELS`)
    and ``kind`` (one of :data:`KIND_OPTIONS`). ``select`` (from ``_selector``) shares the
    selections with the figure's description.
    """
    select = select or _selector(posts)
    x = np.arange(len(L.WEEKDAYS))

    def scene(ax):
        layers = []
        for spec in (_ANSWERED, _LATER, _UNANSWERED):
            bars = ax.bar(x, np.zeros(len(x)), width=0.7, **_bar_style(spec))
            for bar in bars:
                bar.set_animated(True)
            layers.append(list(bars))
        counts = [ax.text(i, 1.02, "", ha="center", va="bottom", fontsize=9, color="0.2",
                          animated=True) for i in x]
        headline = ax.text(-0.45, 1.13, "", ha="left", va="bottom", fontsize=10, animated=True)
        ax.set_xticks(x, [d[:3] for d in L.WEEKDAYS])
        ax.set_xlim(-0.6, len(x) - 0.4)
        ax.set_ylim(0, 1.25)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        style.percent_axis(ax)
        ax.grid(axis="x", visible=False)
        style.label_axes(ax, x="Day the customer posted (number of posts above each bar)",
                         y="Share of that day's posts",
                         title="How fast the shop answers, by weekday (synthetic)")
        ax.legend(handles=[Patch(label="Answered within a day", **_bar_style(_ANSWERED)),
                           Patch(label="Answered later", **_bar_style(_LATER)),
                           Patch(label="Not answered", **_bar_style(_UNANSWERED))],
                  loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=9)

        def update(channel: str, kind: str):
            chosen, title = select(channel, kind)
            table = L.answer_speed_by_weekday(chosen)
            totals = table.sum(axis=1).to_numpy()
            shares = table.to_numpy() / np.maximum(totals, 1)[:, None]
            bottom = np.zeros(len(x))
            for layer, column in zip(layers, shares.T):
                for bar, height, base in zip(layer, column, bottom):
                    bar.set_y(base)
                    bar.set_height(height)
                bottom += column
            for text, total in zip(counts, totals):
                text.set_text(f"{total}")
            headline.set_text(title)
            return [bar for layer in layers for bar in layer] + counts + [headline]

        return update

    return scene


def _headline(chosen, channel: str, kind: str) -> str:
    if chosen.empty:
        return f"{channel} · {kind.lower()}: no posts"
    rate = chosen["answered"].mean()
    median = chosen["response_hours"].median()
    return (f"{channel} · {kind.lower()}: {len(chosen)} posts, {rate:.0%} answered, "
            f"median reply {_hours(median)}")


def describe_weekday(posts, channel: str, kind: str, *, select=None) -> str:
    """Alt text for one frame of :func:`listening_explorer` (or :func:`weekday_figure`)."""
    chosen, title = (select or _selector(posts))(channel, kind)
    if chosen.empty:
        return f"No synthetic posts for {channel}, {kind.lower()}."
    table = L.weekday_summary(chosen)
    medians = ", ".join(f"{day[:3]} {_hours(h)}" for day, h in table["median_response_hours"].items())
    return (f"{title}. Stacked bars per weekday of the post show the "
            f"share answered within a day, answered later and not answered. Median hours to a "
            f"reply by weekday: {medians}.")


def weekday_figure(posts, channel: str = ALL_CHANNELS, kind: str = ALL_KINDS):
    """One still of the weekday figure (all channels and kinds unless chosen)."""
    select = _selector(posts)
    return still(weekday_scene(posts, select=select),
                 describe=lambda channel, kind: describe_weekday(posts, channel, kind, select=select),
                 figsize=WEEKDAY_FIGSIZE, channel=channel, kind=kind)


def listening_explorer(posts, initial_channel: str = "locals_group"):
    """Two sliders, channel and kind of post, over the weekday figure: the lesson's widget."""
    L.filter_posts(posts, channel=initial_channel)  # checks the table and the key
    select = _selector(posts)
    return explorer(
        weekday_scene(posts, select=select),
        {"channel": Slider("Channel", CHANNEL_OPTIONS, initial=L.CHANNEL_LABELS[initial_channel]),
         "kind": Slider("Kind of post", KIND_OPTIONS, initial=ALL_KINDS)},
        describe=lambda channel, kind: describe_weekday(posts, channel, kind, select=select),
        figsize=WEEKDAY_FIGSIZE,
    )

"""Chapter 4, *Listen first*: reading a year of customer posts about Cobble & Chain Cycles.

The posts themselves (synthetic, seeded) and their schema live in :mod:`socialkit.data.posts`;
this module is the chapter's analysis. It is pandas on a tidy table, one row per post (see
:data:`COLUMNS`). The functions are pure: they take the table and return a new Series or
DataFrame, never changing their input. Bad input gets a ``ValueError`` or ``TypeError`` that
names the problem.

>>> posts = make_posts(seed=1, n_posts=300)
>>> summary = channel_summary(posts)
>>> summary.index[0] == summary["posts"].idxmax()
True
"""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ..data import case
from ..data.posts import (CHANNEL_LABELS, COLUMNS, DEFAULT_N_POSTS, DEFAULT_SEED, KIND_LABELS,
                          KINDS, TOPICS, UNMET_TOPICS, WEEKDAYS, YEAR, Topic, load_posts,
                          make_posts, validate_posts)
from .validation import check_choice

# The table's schema and its loader are re-exported: lessons use them with the analysis.
__all__ = ["COLUMNS", "KINDS", "KIND_LABELS", "Topic", "TOPICS", "UNMET_TOPICS", "CHANNEL_LABELS",
           "WEEKDAYS", "DEFAULT_SEED", "DEFAULT_N_POSTS", "YEAR", "make_posts", "load_posts",
           "validate_posts", "filter_posts", "response_rate", "median_response_hours", "channel_summary",
           "weekday_summary", "listening_gap", "unmet_needs", "topic_counts",
           "answer_speed_by_weekday"]


def _check_posts(posts) -> pd.DataFrame:
    """Light check for the analysis functions: a DataFrame with the columns they need."""
    if not isinstance(posts, pd.DataFrame):
        raise TypeError(f"posts must be a pandas DataFrame of posts; got {type(posts).__name__}.")
    missing = [c for c in ("timestamp", "channel", "kind", "topic", "answered", "response_hours")
               if c not in posts.columns]
    if missing:
        raise ValueError(f"posts is missing the column(s) {', '.join(map(repr, missing))}; "
                         "load it with load_posts() or make_posts().")
    return posts


_GROUPINGS = ("channel", "kind", "topic", "weekday")


def _groups(posts: pd.DataFrame, by: str):
    check_choice("by", by, _GROUPINGS)
    if by == "weekday":
        key = pd.Categorical(posts["timestamp"].dt.day_name(), categories=WEEKDAYS)
        return posts.groupby(key, observed=False)
    return posts.groupby(by, sort=True)


# --- analysis ---------------------------------------------------------------------------------
def filter_posts(posts: pd.DataFrame, channel: str | None = None, kind: str | None = None) -> pd.DataFrame:
    """The posts on one ``channel`` and/or of one ``kind`` (``None`` keeps all)."""
    posts = _check_posts(posts)
    mask = pd.Series(True, index=posts.index)
    if channel is not None:
        mask &= posts["channel"] == check_choice("channel", channel, case.CHANNEL_KEYS)
    if kind is not None:
        mask &= posts["kind"] == check_choice("kind", kind, KINDS)
    return posts[mask].copy()


def response_rate(posts: pd.DataFrame, by: str = "channel") -> pd.Series:
    """Share of posts the shop answered, per channel (or ``by`` kind, topic or weekday)."""
    posts = _check_posts(posts)
    return _groups(posts, by)["answered"].mean().rename("response_rate")


def median_response_hours(posts: pd.DataFrame, by: str = "channel") -> pd.Series:
    """Median hours to the first reply, over answered posts, per group (NaN if none answered)."""
    posts = _check_posts(posts)
    return _groups(posts, by)["response_hours"].median().rename("median_response_hours")


def channel_summary(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per channel with posts: how much customers talk there and how the shop answers.

    Columns: ``posts``, ``share_of_posts``, ``answered``, ``unanswered``, ``response_rate`` and
    ``median_response_hours``; rows sorted from the most posts to the fewest.
    """
    posts = _check_posts(posts)
    grouped = posts.groupby("channel")
    table = pd.DataFrame({
        "posts": grouped.size(),
        "answered": grouped["answered"].sum().astype("int64"),
    })
    table["unanswered"] = table["posts"] - table["answered"]
    table["share_of_posts"] = table["posts"] / table["posts"].sum()
    table["response_rate"] = table["answered"] / table["posts"]
    table["median_response_hours"] = grouped["response_hours"].median()
    table = table[["posts", "share_of_posts", "answered", "unanswered", "response_rate",
                   "median_response_hours"]]
    order = sorted(table.index, key=lambda c: (-table.at[c, "posts"], case.CHANNEL_KEYS.index(c)))
    return table.loc[order].rename_axis("channel")


def weekday_summary(posts: pd.DataFrame) -> pd.DataFrame:
    """Posts, response rate and median response hours by the weekday of the post (Monday first)."""
    posts = _check_posts(posts)
    grouped = _groups(posts, "weekday")
    return pd.DataFrame({
        "posts": grouped.size(),
        "response_rate": grouped["answered"].mean(),
        "median_response_hours": grouped["response_hours"].median(),
    }).rename_axis("weekday")


def listening_gap(posts: pd.DataFrame) -> str:
    """The channel where customers talk most with nobody answering: the most unanswered posts.

    Ties go to the channel listed first in ``case.CHANNELS``.
    """
    summary = channel_summary(posts)
    if summary.empty:
        raise ValueError("posts is empty: there is no channel to compare.")
    most = summary["unanswered"].max()
    return next(c for c in case.CHANNEL_KEYS if c in summary.index and summary.at[c, "unanswered"] == most)


def topic_counts(posts: pd.DataFrame, kind: str | None = None) -> pd.Series:
    """Posts per topic (optionally of one ``kind``), most first; every topic listed, even at 0."""
    posts = filter_posts(posts, kind=kind)
    counts = posts["topic"].value_counts().reindex(list(TOPICS), fill_value=0)
    return counts.sort_values(ascending=False, kind="stable").rename("posts")


def unmet_needs(posts: pd.DataFrame) -> pd.Series:
    """Posts about each topic the shop does not offer (:data:`UNMET_TOPICS`), most first."""
    counts = topic_counts(posts)
    return counts[counts.index.isin(UNMET_TOPICS)]


def answer_speed_by_weekday(posts: pd.DataFrame, *, within_hours: float = 24.0) -> pd.DataFrame:
    """Per weekday of the post: posts answered within ``within_hours``, answered later, unanswered."""
    posts = _check_posts(posts)
    if isinstance(within_hours, bool) or not isinstance(within_hours, numbers.Real) or within_hours <= 0:
        raise ValueError(f"within_hours must be a positive number of hours; got {within_hours!r}.")
    # Counted with numpy rather than pd.crosstab: the lesson's explorer asks for 40 of these
    # tables when it draws its frames, and crosstab took 15 ms each.
    day = posts["timestamp"].dt.day_of_week.to_numpy()  # Monday 0, as WEEKDAYS
    answered = posts["answered"].to_numpy(dtype=bool)
    fast = answered & (posts["response_hours"].to_numpy(dtype=float) <= within_hours)
    status = np.where(fast, 0, np.where(answered, 1, 2))  # fast, later, unanswered
    counts = np.bincount(day * 3 + status, minlength=len(WEEKDAYS) * 3).reshape(len(WEEKDAYS), 3)
    return pd.DataFrame(counts.astype("int64"), index=pd.Index(list(WEEKDAYS), name="weekday"),
                        columns=["fast", "later", "unanswered"])

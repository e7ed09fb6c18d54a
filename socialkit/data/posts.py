"""The synthetic year of customer posts about Cobble & Chain Cycles (chapter 4's data).

The posts are **synthetic**. :func:`make_posts` invents them from a fixed random seed with a few
patterns built in on purpose, so that a reader has something real to find:

* customers talk most in the town's Facebook group (``locals_group``), where the shop almost
  never answers: the place where customers are and the business is absent;
* Saturdays and Sundays are the shop's rental rush, so answers to posts that arrive at the
  weekend usually wait until Monday;
* one need comes back all year that the shop does not meet: repairs done *before* work, for
  commuters who cannot wait until the shop opens (see ``case.SEGMENTS["commuters"]``).

This module holds the table's schema (:data:`COLUMNS`, :data:`TOPICS`, ...), the seeded
generator, and reading, writing and checking the CSV; ``python -m socialkit.data.posts --seed 2026``
(or ``make data``) writes the shipped file. The chapter's analysis of the table is
:mod:`socialkit.models.listening`. Bad input gets a ``ValueError`` or ``TypeError`` that names
the problem.

>>> posts = make_posts(seed=1, n_posts=300)
>>> len(posts), list(posts.columns) == list(COLUMNS)
(300, True)
"""
from __future__ import annotations

import argparse
import numbers
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import case
from .paths import DATA_DIR

__all__ = ["COLUMNS", "KINDS", "KIND_LABELS", "Topic", "TOPICS", "UNMET_TOPICS", "CHANNEL_LABELS",
           "WEEKDAYS", "DEFAULT_SEED", "DEFAULT_N_POSTS", "YEAR", "DATA_PATH", "make_posts",
           "write_posts", "load_posts", "validate_posts", "main"]


#: The table's columns, in order, with what each holds.
COLUMNS = {
    "post_id": "a number for each post, 1, 2, 3, ... in time order",
    "timestamp": "when the customer posted (local time, to the minute)",
    "channel": "where: one of the keys of socialkit.data.case.CHANNELS",
    "kind": "question, complaint, praise or suggestion",
    "topic": "what the post is about: one of the keys of TOPICS",
    "text": "what the customer wrote (invented, like everything else here)",
    "answered": "True if someone from the shop replied",
    "response_hours": "hours from the post to the shop's first reply; empty if no reply",
}
KINDS = ("question", "complaint", "praise", "suggestion")
KIND_LABELS = {"question": "Questions", "complaint": "Complaints", "praise": "Praise",
               "suggestion": "Suggestions"}
#: Short channel names for slider labels and chart axes.
CHANNEL_LABELS = {
    "maps": "Google Maps", "whatsapp": "WhatsApp", "locals_group": "Locals group (Facebook)",
    "instagram": "Instagram", "youtube": "YouTube", "strava": "Strava club", "tiktok": "TikTok",
    "x": "X (Twitter)",
}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_SEED = 2026
DEFAULT_N_POSTS = 2400
#: The (fictional) year the posts cover.
YEAR = 2025
DATA_PATH = DATA_DIR / "posts.csv"
_TIME_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class Topic:
    """What a post is about, and whether Cobble & Chain offers it today."""

    label: str
    offered: bool


TOPICS = {
    "repairs": Topic("Repairs and servicing", True),
    "rentals": Topic("Bike rentals", True),
    "child_seats": Topic("Child seats and trailers", True),
    "prices": Topic("Prices and quotes", True),
    "opening_hours": Topic("Opening hours", True),
    "second_hand": Topic("Second-hand bikes", True),
    "routes": Topic("Routes and group rides", True),
    "diy_help": Topic("Fix-it-yourself help", True),
    "service": Topic("Staff and service", True),
    "early_repairs": Topic("Repairs before work", False),
    "ebike_charging": Topic("E-bike charging", False),
    "secure_parking": Topic("Secure bike parking", False),
}
#: Topics customers bring up that the shop does not offer: candidate unmet needs.
UNMET_TOPICS = tuple(key for key, topic in TOPICS.items() if not topic.offered)

# --- how the synthetic posts are generated (assumptions, not measurements) --------------------
# Share of all posts made on each channel. Customers talk most in the town's Facebook group.
_CHANNEL_WEIGHTS = {"maps": 0.20, "whatsapp": 0.22, "locals_group": 0.28, "instagram": 0.12,
                    "youtube": 0.05, "strava": 0.06, "tiktok": 0.04, "x": 0.03}
# Chance that the shop replies, by channel: it is on WhatsApp and Maps, absent from the group
# and from TikTok (where it has no account).
_ANSWER_RATE = {"maps": 0.72, "whatsapp": 0.96, "locals_group": 0.04, "instagram": 0.62,
                "youtube": 0.38, "strava": 0.30, "tiktok": 0.0, "x": 0.15}
# Typical hours to a reply on a weekday, by channel.
_MEDIAN_HOURS = {"maps": 14.0, "whatsapp": 1.2, "locals_group": 20.0, "instagram": 6.0,
                 "youtube": 28.0, "strava": 9.0, "tiktok": 24.0, "x": 16.0}
# Replies are a little less likely to praise and suggestions than to questions and complaints.
_KIND_ANSWER_FACTOR = {"question": 1.0, "complaint": 1.0, "praise": 0.7, "suggestion": 0.85}
# What kind of post each channel carries (question, complaint, praise, suggestion).
_KIND_WEIGHTS = {
    "maps": (0.25, 0.20, 0.45, 0.10), "whatsapp": (0.75, 0.10, 0.10, 0.05),
    "locals_group": (0.45, 0.18, 0.15, 0.22), "instagram": (0.30, 0.05, 0.50, 0.15),
    "youtube": (0.55, 0.05, 0.30, 0.10), "strava": (0.40, 0.05, 0.30, 0.25),
    "tiktok": (0.35, 0.15, 0.40, 0.10), "x": (0.30, 0.45, 0.10, 0.15),
}
# What each kind of post is about (weights over TOPICS, in its order).
_TOPIC_WEIGHTS = {
    #            rep ren chi pri ope sec rou diy ser ear ebi par
    "question": (22, 16, 5, 11, 9, 8, 8, 7, 0, 9, 4, 1),
    "complaint": (26, 10, 0, 14, 8, 4, 0, 0, 14, 14, 4, 6),
    "praise": (30, 16, 4, 0, 0, 4, 8, 8, 30, 0, 0, 0),
    "suggestion": (0, 8, 6, 0, 4, 6, 10, 8, 0, 30, 16, 12),
}
# Channels where some topics are much more common than elsewhere.
_TOPIC_BOOST = {
    "youtube": {"diy_help": 10.0},
    "strava": {"routes": 6.0, "ebike_charging": 2.0},
    "locals_group": {"early_repairs": 1.5, "secure_parking": 2.0},
    "maps": {"service": 1.5},
}
# Topics that follow the season: more rentals and rides in summer.
_SEASONAL_TOPICS = ("rentals", "child_seats", "routes")
# Of the replies that would land on a Saturday or Sunday, the share that waits until Monday.
_WEEKEND_WAIT = 0.7

_TEXTS = {
    ("question", "repairs"): [
        "How long does a full service take at the moment?",
        "My gears keep slipping. Can you look at it this week?",
        "Do you fix hydraulic disc brakes, and do I need to book?",
    ],
    ("question", "rentals"): [
        "Have you got two adult bikes free on Saturday morning?",
        "Can we rent bikes for the whole weekend, and when do we bring them back?",
    ],
    ("question", "child_seats"): [
        "Do you rent child seats that fit a rental bike?",
        "Is the kids' trailer free on Sunday?",
    ],
    ("question", "prices"): [
        "Roughly how much for a new chain and cassette?",
        "What does a puncture repair cost if I bring just the wheel?",
    ],
    ("question", "opening_hours"): [
        "Are you open on the bank holiday Monday?",
        "What time do you close on Saturdays?",
    ],
    ("question", "second_hand"): [
        "Any second-hand hybrids under 200 at the moment?",
        "Do you buy used bikes, or only sell them?",
    ],
    ("question", "routes"): [
        "Is the river path to Eastwick OK for a seven-year-old?",
        "Which route to the coast avoids the main road?",
    ],
    ("question", "diy_help"): [
        "Which tyre levers do you use in the video? Mine keep snapping.",
        "How tight should the stem bolts be? No torque wrench here.",
    ],
    ("question", "early_repairs"): [
        "Anyone know a bike shop that can fix a flat before 8? I start at 8:30.",
        "Can I drop my bike off before work, say 7:30, and pick it up after?",
        "Is there anywhere in Lindenford that does repairs before nine?",
    ],
    ("question", "ebike_charging"): [
        "Is there anywhere in town to charge an e-bike while shopping?",
        "Could I top up my e-bike battery at the shop during the ride stop?",
    ],
    ("question", "secure_parking"): [
        "Where can I leave a bike safely all day near the station?",
    ],
    ("complaint", "repairs"): [
        "Service took ten days, not the three I was promised.",
        "Brakes squeal again a week after the repair.",
    ],
    ("complaint", "rentals"): [
        "The rental bike I booked wasn't ready when we arrived.",
        "Rental helmet was far too big and there were no smaller ones.",
    ],
    ("complaint", "prices"): [
        "Fifteen pounds just to look at a wheel seems a lot.",
        "The final bill was higher than the quote, with no call first.",
    ],
    ("complaint", "opening_hours"): [
        "Website said open till 6, door was locked at 5:30.",
        "Shut at 4 on Sunday again, so no repair before the week starts.",
    ],
    ("complaint", "second_hand"): [
        "The second-hand bike I bought needed new brakes within a month.",
    ],
    ("complaint", "service"): [
        "Waited twenty minutes at the counter and nobody came.",
        "Sent a message about my booking and never heard back.",
    ],
    ("complaint", "early_repairs"): [
        "Snapped my chain on the way in and had to take the bus. Nobody's open before 9.",
        "Third late start at work this month because no shop opens early enough.",
    ],
    ("complaint", "ebike_charging"): [
        "Battery died halfway round and there's nowhere in town to charge.",
    ],
    ("complaint", "secure_parking"): [
        "Second bike stolen from outside the station this year. Where is safe?",
        "No covered bike parking anywhere on the high street.",
    ],
    ("praise", "repairs"): [
        "Wheel trued while I waited, and it's never run so smoothly.",
        "Great service, bike feels new again.",
    ],
    ("praise", "rentals"): [
        "Lovely day out on the rental bikes, all in perfect order.",
        "Easy booking and the kids loved their bikes.",
    ],
    ("praise", "child_seats"): [
        "The child seat fitted in two minutes and felt really solid.",
    ],
    ("praise", "second_hand"): [
        "Bought a second-hand commuter bike here, honest advice and a fair price.",
    ],
    ("praise", "routes"): [
        "Thanks for the route tip, the river loop was perfect with the kids.",
    ],
    ("praise", "diy_help"): [
        "Your puncture video saved my Sunday ride, thanks!",
        "Finally fixed my own gears thanks to the how-to.",
    ],
    ("praise", "service"): [
        "Tomás explained everything and didn't try to upsell me.",
        "Friendly, quick and honest. My go-to shop now.",
    ],
    ("suggestion", "rentals"): [
        "Would love to book rentals online instead of by message.",
    ],
    ("suggestion", "child_seats"): [
        "A balance bike to rent for toddlers would be great.",
    ],
    ("suggestion", "opening_hours"): [
        "Late opening one evening a week would help people who work.",
    ],
    ("suggestion", "second_hand"): [
        "Please post your second-hand bikes online so we can see them before coming in.",
    ],
    ("suggestion", "routes"): [
        "Could you lead a gentle Sunday ride for beginners?",
        "A printed map of family-friendly routes at the counter would be handy.",
    ],
    ("suggestion", "diy_help"): [
        "A short video on adjusting brakes, please!",
        "A basic maintenance evening class would fill up fast.",
    ],
    ("suggestion", "early_repairs"): [
        "Please open at 7:30 a couple of days a week. Commuters would queue.",
        "A drop box for bikes before opening, fixed by the evening, would be brilliant.",
    ],
    ("suggestion", "ebike_charging"): [
        "An e-bike charging point outside the shop would bring people in.",
    ],
    ("suggestion", "secure_parking"): [
        "Lockers or a guarded bike park for commuters, maybe with the council?",
    ],
}


# --- making the data --------------------------------------------------------------------------
def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a whole number >= 0 (it fixes the random posts); got {seed!r}.")
    return int(seed)


def _check_n_posts(n_posts) -> int:
    if isinstance(n_posts, bool) or not isinstance(n_posts, numbers.Integral):
        raise TypeError(f"n_posts must be a whole number of posts; got {n_posts!r}.")
    if not 50 <= n_posts <= 100_000:
        raise ValueError(f"n_posts must be between 50 and 100000 posts; got {n_posts}.")
    return int(n_posts)


def _sample_rows(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One index per row of ``probabilities`` (rows summing to 1), drawn with ``rng``."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative[:, -1] = 1.0
    draws = rng.random(len(probabilities))[:, None]
    return (draws > cumulative).sum(axis=1)


def make_posts(seed: int = DEFAULT_SEED, n_posts: int = DEFAULT_N_POSTS) -> pd.DataFrame:
    """A synthetic year of customer posts about Cobble & Chain Cycles (see :data:`COLUMNS`).

    The same ``seed`` always gives the same posts; another seed gives another year with the
    same built-in patterns (see the module's description). ``n_posts`` sets how many posts
    (50 to 100000). The shipped ``posts.csv`` (in :data:`~socialkit.data.paths.DATA_DIR`) is
    ``make_posts(2026)``.

    >>> make_posts(seed=3, n_posts=60).equals(make_posts(seed=3, n_posts=60))
    True
    """
    seed, n = _check_seed(seed), _check_n_posts(n_posts)
    rng = np.random.default_rng(seed)
    channels = np.array(case.CHANNEL_KEYS)
    topics = np.array(list(TOPICS))

    # When: more posts in summer and at the weekend; mornings, lunchtime and evenings.
    days = pd.date_range(f"{YEAR}-01-01", f"{YEAR}-12-31", freq="D")
    season = 1 + 0.45 * np.cos(2 * np.pi * (days.day_of_year.to_numpy() - 196) / 365)
    weekday_factor = np.array([1.1, 1.0, 1.0, 1.0, 1.05, 1.3, 1.2])[days.day_of_week]
    day_weights = season * weekday_factor
    day_index = np.sort(rng.choice(len(days), size=n, p=day_weights / day_weights.sum()))
    post_days = days[day_index]
    post_season = season[day_index]

    channel = rng.choice(channels, size=n, p=[_CHANNEL_WEIGHTS[c] for c in channels])
    kind_probs = np.array([_KIND_WEIGHTS[c] for c in channel])
    kind = np.array(KINDS)[_sample_rows(rng, kind_probs / kind_probs.sum(axis=1, keepdims=True))]

    topic_w = np.array([_TOPIC_WEIGHTS[k] for k in kind], dtype=float)
    for c, boosts in _TOPIC_BOOST.items():
        rows = channel == c
        for t, factor in boosts.items():
            topic_w[rows, list(TOPICS).index(t)] *= factor
    for t in _SEASONAL_TOPICS:
        topic_w[:, list(TOPICS).index(t)] *= post_season
    topic = topics[_sample_rows(rng, topic_w / topic_w.sum(axis=1, keepdims=True))]

    # Time of day: before work, lunchtime or the evening; before-work posts are mostly about
    # getting a repair done before work.
    morning_share = np.where(topic == "early_repairs", 0.7, 0.25)
    slot = _sample_rows(rng, np.column_stack([morning_share, (1 - morning_share) * 0.35,
                                              (1 - morning_share) * 0.65]))
    centre, spread = np.array([7.3, 12.5, 20.0])[slot], np.array([0.8, 1.5, 1.6])[slot]
    hours = np.clip(rng.normal(centre, spread), 5.5, 23.9)
    timestamp = post_days + pd.to_timedelta(np.floor(hours * 60), unit="min")

    # Whether and when the shop answers.
    rate = np.array([_ANSWER_RATE[c] * _KIND_ANSWER_FACTOR[k] for c, k in zip(channel, kind)])
    answered = rng.random(n) < rate
    delay = np.array([_MEDIAN_HOURS[c] for c in channel]) * np.exp(0.8 * rng.standard_normal(n))
    reply = timestamp + pd.to_timedelta(np.round(delay * 60), unit="min")
    # Nobody answers between 21:00 and 08:00: those replies go out the next morning.
    late, early = reply.hour >= 21, reply.hour < 8
    morning = reply.normalize() + pd.Timedelta(hours=8)
    jitter = pd.to_timedelta(np.round(rng.uniform(0, 90, n)), unit="min")
    reply = pd.DatetimeIndex(np.where(late, morning + pd.Timedelta(days=1) + jitter,
                                      np.where(early, morning + jitter, reply)))
    # Weekends are the rental rush: most replies that would go out then wait until Monday.
    weekend = reply.day_of_week >= 5
    waits = weekend & (rng.random(n) < _WEEKEND_WAIT)
    monday = reply.normalize() + pd.to_timedelta(7 - reply.day_of_week, unit="D") + pd.Timedelta(hours=9)
    settle = pd.to_timedelta(np.round(60 * np.exp(rng.normal(0.3, 0.8, n))), unit="min")
    reply = pd.DatetimeIndex(np.where(waits, monday + settle, reply))
    response_hours = ((reply - timestamp) / pd.Timedelta(hours=1)).to_numpy().round(2)
    response_hours = np.where(answered, np.maximum(response_hours, 0.05), np.nan)

    # What they wrote: one of the texts for this kind and topic.
    pick = rng.random(n)
    text = [(options := _TEXTS[(k, t)])[int(p * len(options))] for k, t, p in zip(kind, topic, pick)]

    posts = pd.DataFrame({
        "post_id": np.arange(1, n + 1),
        "timestamp": timestamp,
        "channel": channel,
        "kind": kind,
        "topic": topic,
        "text": text,
        "answered": answered,
        "response_hours": response_hours,
    })
    posts = posts.sort_values("timestamp", kind="stable").reset_index(drop=True)
    posts["post_id"] = np.arange(1, n + 1)
    return validate_posts(posts)


def write_posts(posts: pd.DataFrame, path) -> Path:
    """Write ``posts`` as CSV (timestamps to the minute); return the path written."""
    posts = validate_posts(posts)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    posts.to_csv(path, index=False, date_format=_TIME_FORMAT, lineterminator="\n")
    return path


def load_posts(path=None) -> pd.DataFrame:
    """Read the posts CSV (by default the shipped ``posts.csv``, :data:`DATA_PATH`) and check it.

    Raises ``FileNotFoundError`` if the file is missing and ``ValueError`` naming the column
    if the table is not a posts table.
    """
    path = DATA_PATH if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No posts file at {path}. Generate it with `python -m socialkit.data.posts --seed "
            f"{DEFAULT_SEED}` (it writes the shipped file), or use make_posts({DEFAULT_SEED}) "
            "directly.")
    raw = pd.read_csv(path, keep_default_na=False, na_values={"response_hours": [""]})
    return validate_posts(raw)


# --- checking a table -------------------------------------------------------------------------
def _strings(posts: pd.DataFrame, column: str, allowed=None) -> pd.Series:
    values = posts[column]
    bad = values[~values.map(lambda v: isinstance(v, str))]
    if len(bad):
        raise TypeError(f"column {column!r} must hold text; row {bad.index[0]!r} holds {bad.iloc[0]!r}.")
    if allowed is not None:
        unknown = sorted(set(values) - set(allowed))
        if unknown:
            raise ValueError(f"column {column!r} holds unknown values {unknown}; "
                             f"allowed are {', '.join(allowed)}.")
    return values.astype(str)


def validate_posts(posts) -> pd.DataFrame:
    """Check that ``posts`` is a posts table and return a tidy copy with the standard types.

    Checks the columns (:data:`COLUMNS`), that channels, kinds and topics are known, that
    timestamps parse, that ``answered`` is True/False, and that ``response_hours`` is a
    non-negative number exactly when the post was answered. Extra columns are dropped.
    """
    if not isinstance(posts, pd.DataFrame):
        raise TypeError(f"posts must be a pandas DataFrame of posts; got {type(posts).__name__}.")
    missing = [c for c in COLUMNS if c not in posts.columns]
    if missing:
        raise ValueError(f"posts is missing the column(s) {', '.join(map(repr, missing))}; "
                         f"a posts table has {', '.join(COLUMNS)}.")
    posts = posts.loc[:, list(COLUMNS)].copy()
    try:
        ids = pd.to_numeric(posts["post_id"], downcast=None)
    except (TypeError, ValueError):
        raise TypeError("column 'post_id' must hold whole numbers.") from None
    if not pd.api.types.is_integer_dtype(ids):
        raise TypeError("column 'post_id' must hold whole numbers.")
    posts["post_id"] = ids.astype("int64")
    try:
        stamps = pd.to_datetime(posts["timestamp"], format=_TIME_FORMAT) \
            if not pd.api.types.is_datetime64_any_dtype(posts["timestamp"]) else posts["timestamp"]
    except (TypeError, ValueError):
        raise ValueError(f"column 'timestamp' must hold dates and times like '2025-03-14 07:42'; "
                         f"the first is {posts['timestamp'].iloc[0]!r}.") from None
    if stamps.isna().any():
        raise ValueError("column 'timestamp' has empty values: every post has a time.")
    posts["timestamp"] = stamps.astype("datetime64[ns]")
    posts["channel"] = _strings(posts, "channel", case.CHANNEL_KEYS)
    posts["kind"] = _strings(posts, "kind", KINDS)
    posts["topic"] = _strings(posts, "topic", list(TOPICS))
    posts["text"] = _strings(posts, "text")
    answered = posts["answered"]
    if answered.dtype != bool:
        mapped = answered.map({True: True, False: False, "True": True, "False": False})
        if mapped.isna().any():
            raise ValueError("column 'answered' must hold True or False; found "
                             f"{answered[mapped.isna()].iloc[0]!r}.")
        answered = mapped.astype(bool)
    posts["answered"] = answered
    try:
        hours = pd.to_numeric(posts["response_hours"]).astype("float64")
    except (TypeError, ValueError):
        raise TypeError("column 'response_hours' must hold numbers of hours (empty if unanswered).") from None
    if (hours < 0).any():
        raise ValueError("column 'response_hours' must not be negative: a reply comes after the post.")
    if (hours.notna() != posts["answered"]).any():
        row = posts.index[(hours.notna() != posts["answered"])][0]
        raise ValueError("column 'response_hours' must have a number exactly for the answered posts; "
                         f"row {row!r} disagrees with 'answered'.")
    posts["response_hours"] = hours
    return posts


# --- command line -----------------------------------------------------------------------------
def main(argv=None) -> int:
    """``python -m socialkit.data.posts --seed 2026`` (``--out`` defaults to :data:`DATA_PATH`)"""
    parser = argparse.ArgumentParser(
        prog="python -m socialkit.data.posts",
        description="Generate the synthetic customer posts about Cobble & Chain Cycles.")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--n-posts", type=int, default=DEFAULT_N_POSTS,
                        help=f"number of posts (default {DEFAULT_N_POSTS})")
    parser.add_argument("--out", type=Path, default=DATA_PATH, help="CSV file to write")
    args = parser.parse_args(argv)
    try:
        posts = make_posts(args.seed, args.n_posts)
    except (TypeError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    path = write_posts(posts, args.out)
    print(f"Wrote {len(posts)} synthetic posts (seed {args.seed}) to {path}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

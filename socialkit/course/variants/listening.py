"""Exercise 4's numbers: each student's own synthetic year of customer posts.

A student's year is a fresh draw of :func:`socialkit.data.posts.make_posts` (its own seed and
number of posts) with two changes that move the answers away from the book's year, as if the
shop's habits and its customers' wishes had been a little different:

* the Locals group swaps places with one of the channels the shop does answer (Google Maps,
  WhatsApp or Instagram): there the shop now listens, and the swapped channel is where customers
  go unanswered;
* repairs before work swap places with another need the shop does not meet (e-bike charging or
  secure parking), which becomes the one customers ask for most. The posts' texts follow their
  new topic.

The public variant is the book's own year, the shipped ``posts.csv``.

>>> public = numbers(None)
>>> len(public["posts"])
2400
>>> mine = numbers(12345)
>>> from socialkit.models import listening
>>> listening.listening_gap(mine["posts"]) != listening.listening_gap(public["posts"])
True
>>> listening.unmet_needs(mine["posts"]).index[0] != listening.unmet_needs(public["posts"]).index[0]
True
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...models import listening

EXERCISE = "04-listen-first"
#: channels that may swap places with the Locals group (the shop answers there in the book's year)
SWAPPED_CHANNELS = ("maps", "whatsapp", "instagram")
#: the book's top unmet need, and the needs that may take its place
TOP_NEED = "early_repairs"
OTHER_NEEDS = ("ebike_charging", "secure_parking")


def _swap(column: pd.Series, a: str, b: str) -> pd.Series:
    return column.replace({a: b, b: a})


def _retext(posts: pd.DataFrame, changed: pd.Series, rng: np.random.Generator) -> pd.Series:
    """Texts for the posts whose topic changed, drawn from the year's own texts of that kind and
    topic (or of that topic, when the year has none of that kind)."""
    text = posts["text"].copy()
    original = posts.loc[~changed]
    for (kind, topic), rows in posts[changed].groupby(["kind", "topic"]).groups.items():
        pool = original.loc[(original["kind"] == kind) & (original["topic"] == topic), "text"].unique()
        if not len(pool):
            pool = original.loc[original["topic"] == topic, "text"].unique()
        if len(pool):
            text.loc[rows] = rng.choice(np.sort(pool), size=len(rows))
    return text


def numbers(seed: int | None) -> dict:
    """The book's year of posts (``seed`` None) or a student's own year (see the module)."""
    if seed is None:
        return {"posts": listening.load_posts()}
    rng = np.random.default_rng([seed, 4])
    year_seed, n_posts = int(rng.integers(0, 2**31)), int(rng.integers(18, 29)) * 100
    channel = str(rng.choice(SWAPPED_CHANNELS))
    need = str(rng.choice(OTHER_NEEDS))
    posts = listening.make_posts(seed=year_seed, n_posts=n_posts)
    posts["channel"] = _swap(posts["channel"], "locals_group", channel)
    before = posts["topic"]
    posts["topic"] = _swap(before, TOP_NEED, need)
    posts["text"] = _retext(posts, posts["topic"] != before, rng)
    return {"posts": listening.validate_posts(posts)}


def describe(values: dict) -> list[str]:
    posts = values["posts"]
    return [f"Your year of customer posts: {len(posts)} synthetic posts about Cobble & Chain "
            f"in {listening.YEAR}, in the table posts"]

"""Exercise 0's numbers: a year of customer posts, and Question 3's posts and answers by channel.

The public variant is the book's shipped year of posts (``listening.load_posts()``, chapter 4's
data). A student's year is another synthetic year of the same shop, invented from their seed:
the same kinds of posts and the same habits of answering on each channel, but customers spread
differently over the channels, so that the channel with the most complaints is not the book's
(the Locals group). Like the book's, every post is invented.

>>> public = numbers(None)
>>> public["keys"], public["posts_per_channel"].tolist(), public["answered_per_channel"].tolist()
(['maps', 'whatsapp', 'locals_group', 'instagram'], [465, 536, 703, 280], [298, 503, 34, 145])
>>> mine = numbers(12345)
>>> most_complaints(mine["posts"]) != most_complaints(public["posts"]) == "locals_group"
True
>>> 1800 <= len(mine["posts"]) <= 2600 and bool(mine["posts"]["timestamp"].dt.year.eq(2025).all())
True
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ...models import listening

EXERCISE = "00-python-for-this-book"
#: Question 3's four channels, in the order the exercise lists them
KEYS = ["maps", "whatsapp", "locals_group", "instagram"]
#: the pool a student's year is drawn from is this many times the posts it keeps
_POOL_FACTOR = 4
#: a student's top complaints channel leads the next by at least this many posts, so that any
#: sound way of finding it (idxmax, the first row of value_counts, sort_values) agrees
_MIN_LEAD = 3


def most_complaints(posts: pd.DataFrame) -> str:
    """The channel with the most complaints in ``posts`` (what Question 4 asks for)."""
    return posts.loc[posts["kind"] == "complaint", "channel"].value_counts().idxmax()


def _lead(posts: pd.DataFrame) -> int:
    counts = posts.loc[posts["kind"] == "complaint", "channel"].value_counts()
    return int(counts.iloc[0] - counts.iloc[1])


@lru_cache(maxsize=64)
def _year(seed: int | None) -> pd.DataFrame:
    public = listening.load_posts()
    if seed is None:
        return public
    shares = listening.channel_summary(public)["share_of_posts"]
    for attempt in range(50):
        rng = np.random.default_rng([seed, 0, attempt])
        # the same channels, each busier or quieter than in the book's year; the Locals group
        # quieter, so that another channel collects the most complaints
        factors = rng.uniform(0.6, 1.6, size=len(shares))
        factors[list(shares.index).index("locals_group")] = rng.uniform(0.3, 0.55)
        mix = shares * factors / (shares * factors).sum()
        n_posts = int(rng.integers(1800, 2601))
        pool = listening.make_posts(seed=int(rng.integers(2**31)), n_posts=_POOL_FACTOR * n_posts)
        wanted = rng.multinomial(n_posts, mix.to_numpy())
        kept = [pool[pool["channel"] == channel].sample(
                    n=min(int(n), int((pool["channel"] == channel).sum())), random_state=rng)
                for channel, n in zip(mix.index, wanted)]
        year = pd.concat(kept).sort_values(["timestamp", "post_id"], kind="stable")
        year = year.reset_index(drop=True).assign(post_id=lambda t: np.arange(1, len(t) + 1))
        if most_complaints(year) != most_complaints(public) and _lead(year) >= _MIN_LEAD:
            return listening.validate_posts(year)
    raise RuntimeError(f"no year of posts for seed {seed} after 50 attempts")  # never seen


def numbers(seed: int | None) -> dict:
    """The public numbers (``seed`` None) or a student's: their year of posts, and Question 3's
    posts and answered posts on each of :data:`KEYS`, counted from it."""
    posts = _year(seed).copy()
    summary = listening.channel_summary(posts).reindex(KEYS)
    return {"posts": posts, "keys": list(KEYS),
            "posts_per_channel": summary["posts"].to_numpy(dtype="int64"),
            "answered_per_channel": summary["answered"].to_numpy(dtype="int64")}


def describe(values: dict) -> list[str]:
    """One line per number, for the student."""
    posts = values["posts"]
    return [f"posts: a synthetic year of {len(posts):,} customer posts about the shop (invented, "
            f"like all the book's posts), on {posts['channel'].nunique()} channels",
            f"For Question 3, on the channels {', '.join(values['keys'])}: "
            f"posts_per_channel = {values['posts_per_channel'].tolist()} and "
            f"answered_per_channel = {values['answered_per_channel'].tolist()}"]

"""Exercise 5's numbers: each student's own market for Cobble & Chain and own 2025 feed.

A student's market is Cobble & Chain's (:meth:`~socialkit.models.content.Market.cobble_and_chain`)
with its own followers, reachable riders and responses to each kind of post, drawn around the
lesson's assumptions, and its own weekly luck; it is drawn again until the promotional share that
sells most, at 5 and at 10 posts a week, differs from the book's by at least
:data:`MIN_DIFFERENCE`. A student's feed is a synthetic year of posts
(:func:`~socialkit.models.content.sample_feed`) with its own posting rate and mix, mostly offers
and filler, as the shop's 2025 habit was (offers at least :data:`MIN_OFFERS` of it). The public variant is the lesson's market and feed.

>>> from socialkit.models import content
>>> public = numbers(None)
>>> content.best_promo_share(public["market"], 5), len(public["feed"])
(0.2, 90)
>>> mine = numbers(12345)
>>> abs(content.best_promo_share(mine["market"], 5) - 0.2) >= MIN_DIFFERENCE
True
"""
from __future__ import annotations

import numpy as np

from ...models import content

EXERCISE = "05-be-social-not-a-billboard"
#: posts a week in the exercise's two questions about the best share
POSTS, MORE_POSTS = 5, 10
#: how far a student's best shares lie from the book's, at least
MIN_DIFFERENCE = 0.03
#: the least share of offers in a student's 2025 feed ("a large part", question 3 says)
MIN_OFFERS = 0.35


def _market(rng: np.random.Generator) -> content.Market:
    base = content.Market.cobble_and_chain()
    followers = float(round(rng.uniform(450, 1100)))
    scaled = {name: float(np.round(getattr(base, name) * rng.uniform(low, high), 6))
              for name, low, high in (("annoyance", 0.5, 2.0), ("ready", 0.6, 1.6),
                                      ("sharing", 0.6, 1.6), ("discovery", 0.5, 2.0),
                                      ("pull", 0.7, 1.2))}
    return content.Market.cobble_and_chain(
        seed=int(rng.integers(0, 2**31)), followers=followers,
        reachable=float(round(followers * rng.uniform(6, 12))), **scaled)


def numbers(seed: int | None) -> dict:
    """The lesson's market and feed (``seed`` None) or a student's own (see the module)."""
    if seed is None:
        return {"market": content.Market.cobble_and_chain(), "feed": content.cobble_and_chain_feed()}
    rng = np.random.default_rng([seed, 5])
    public = [content.best_promo_share(content.Market.cobble_and_chain(), n) for n in (POSTS, MORE_POSTS)]
    while True:
        market = _market(rng)
        best = [content.best_promo_share(market, n) for n in (POSTS, MORE_POSTS)]
        if all(abs(b - p) >= MIN_DIFFERENCE for b, p in zip(best, public)):
            break
    while True:  # a feed of mostly offers and filler, as the shop's 2025 habit was
        promotional, helpful = float(rng.uniform(0.4, 0.6)), float(rng.uniform(0.1, 0.3))
        feed = content.sample_feed(int(rng.integers(0, 2**31)),
                                   posts_per_week=float(np.round(rng.uniform(1.5, 3.0), 1)),
                                   mix=(helpful, promotional, 1.0 - helpful - promotional))
        if content.mix_of(feed["kind"])["promotional"] >= MIN_OFFERS:
            return {"market": market, "feed": feed}


def describe(values: dict) -> list[str]:
    market, feed = values["market"], values["feed"]
    return [f"Your market, cc_market: {market.followers:.0f} followers at the start of the year, "
            f"{market.reachable:.0f} riders within reach (the other assumptions: cc_market.describe())",
            f"Your 2025 feed, feed_2025: {len(feed)} synthetic posts over {feed['week'].max()} weeks"]

"""Exercise 6's numbers: each student's own two years of weekly figures.

A student's table is a fresh draw of :func:`socialkit.data.outcomes.make_outcomes` with its own
seed, strength of the season and **causal structure**: which of the social media figures bring
repair bookings, how many and how many weeks later (:data:`EFFECT_RANGES`). The structure is drawn
again until the lesson's rule finds other vanity metrics than in the book's table, and at least
one linked figure and one vanity metric. The public variant is the book's table, the shipped
``outcomes.csv``.

>>> from socialkit.models import outcomes
>>> outcomes.vanity_metrics(numbers(None)["data"])
['new_followers', 'likes']
>>> mine = numbers(12345)["data"]
>>> outcomes.vanity_metrics(mine) != ['new_followers', 'likes']
True
"""
from __future__ import annotations

import numpy as np

from ...models import outcomes

EXERCISE = "06-from-tools-to-outcomes"
#: bookings one more unit of a figure may bring, from ... to ... (a like is worth far less than an
#: answered question, a new follower somewhere in between)
EFFECT_RANGES = {"new_followers": (2.0, 4.0), "likes": (0.05, 0.1),
                 "questions_answered": (0.3, 0.6), "review_replies": (0.5, 1.0)}


def _effects(rng: np.random.Generator) -> dict:
    count = int(rng.integers(1, 3))
    drivers = rng.choice(outcomes.SOCIAL_METRICS, size=count, replace=False)
    return {str(m): {int(rng.integers(1, 4)): float(np.round(rng.uniform(*EFFECT_RANGES[m]), 2))}
            for m in drivers}


def numbers(seed: int | None) -> dict:
    """The book's weekly figures (``seed`` None) or a student's own (see the module)."""
    if seed is None:
        return {"data": outcomes.load_outcomes()}
    rng = np.random.default_rng([seed, 6])
    public = sorted(outcomes.vanity_metrics(outcomes.load_outcomes()))
    while True:
        data = outcomes.make_outcomes(seed=int(rng.integers(0, 2**31)), effects=_effects(rng),
                                      season=float(np.round(rng.uniform(0.3, 0.6), 2)))
        vanity = sorted(outcomes.vanity_metrics(data))
        if vanity != public and 0 < len(vanity) < len(outcomes.SOCIAL_METRICS):
            return {"data": data}


def describe(values: dict) -> list[str]:
    data = values["data"]
    return [f"Your weekly figures, data: {len(data)} synthetic weeks of Cobble & Chain, from "
            f"{data['week'].iloc[0]:%d %B %Y} to {data['week'].iloc[-1]:%d %B %Y}"]

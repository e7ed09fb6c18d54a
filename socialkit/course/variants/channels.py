"""Exercise 2's numbers: each student's own market for Cobble & Chain's team.

A student's market keeps the shop's eight channels (:data:`socialkit.data.case.CHANNELS`) with
their own share of the shop's customers on each, three new networks launching in their own weeks,
their own weekly hours, and their own slow and quick times to learn a channel. Every number is
drawn in a plausible range, and a draw is kept only if the best numbers of channels to focus on
(question 2) differ from the public variant's, 1 and 6, so that the lesson's answers are never
a student's.

>>> public = numbers(None)
>>> public["weekly_hours"], public["slow_hours"], public["quick_hours"]
(4, 40, 5)
>>> public["market"] == Market.cobble_and_chain()
True
>>> mine = numbers(12345)
>>> 3 <= mine["weekly_hours"] <= 8 and 25 <= mine["slow_hours"] <= 60 and 2 <= mine["quick_hours"] <= 9
True
>>> best_numbers_of_channels(mine) != best_numbers_of_channels(public)
True
"""
from __future__ import annotations

import numpy as np

from ...data import case
from ...models.channels import Market, NEW_NETWORK_NAMES, focus_on, simulate

EXERCISE = "02-shiny-object-syndrome"
#: how many new networks launch in a student's year (as in the lesson)
NEW_NETWORKS = 3
#: the channel counts question 2 compares
COUNTS = range(1, 9)
_MAX_DRAWS = 50


def public_numbers() -> dict:
    """The lesson's market and settings: the book's public variant."""
    return {"market": Market.cobble_and_chain(), "weekly_hours": int(case.WEEKLY_SOCIAL_HOURS),
            "slow_hours": 40, "quick_hours": 5}


def _draw(rng) -> dict:
    shares = [float(np.clip(round(c.customer_share * rng.uniform(0.6, 1.4), 2), 0.02, 0.95))
              for c in case.CHANNELS]
    launches = sorted(int(w) for w in rng.choice(np.arange(4, 46), NEW_NETWORKS, replace=False))
    settled = [float(round(s, 2)) for s in rng.uniform(0.02, 0.2, NEW_NETWORKS)]
    market = Market(names=tuple(c.name for c in case.CHANNELS) + NEW_NETWORK_NAMES[:NEW_NETWORKS],
                    customer_shares=tuple(shares) + tuple(settled),
                    launch_weeks=(None,) * len(case.CHANNELS) + tuple(launches),
                    hype_half_life=float(round(rng.uniform(4.0, 8.0), 1)))
    return {"market": market, "weekly_hours": int(rng.integers(3, 9)),
            "slow_hours": int(rng.integers(25, 61)), "quick_hours": int(rng.integers(2, 10))}


def focus_values(values: dict, mastery_hours: float) -> dict[int, float]:
    """Value points in the year of a team focused on ``n`` channels, for each ``n`` of
    :data:`COUNTS`, in ``values``' market (all teams in one run of the simulator)."""
    teams = {str(n): focus_on(n) for n in COUNTS}
    totals = simulate(teams, values["market"], budget=values["weekly_hours"],
                      mastery_hours=mastery_hours).totals()
    return {int(n): value for n, value in totals.items()}


def best_numbers_of_channels(values: dict) -> tuple[int, int]:
    """The numbers of channels (1 to 8) that earn the most with slow and with quick learning."""
    found = []
    for hours in ("slow_hours", "quick_hours"):
        by_count = focus_values(values, values[hours])
        found.append(max(by_count, key=by_count.get))
    return tuple(found)


def numbers(seed: int | None) -> dict:
    """The public numbers (``seed`` None) or a student's, drawn within plausible ranges."""
    public = public_numbers()
    if seed is None:
        return public
    lesson_slow, lesson_quick = best_numbers_of_channels(public)
    for draw in range(_MAX_DRAWS):
        values = _draw(np.random.default_rng([seed, 2, draw]))
        slow, quick = best_numbers_of_channels(values)
        if slow != lesson_slow and quick != lesson_quick:
            return values
    raise RuntimeError(f"no market for seed {seed} in {_MAX_DRAWS} draws")  # never seen; tested


def describe(values: dict) -> list[str]:
    market = values["market"]
    old = [f"{name} {share:.0%}" for name, share, week
           in zip(market.names, market.customer_shares, market.launch_weeks) if week is None]
    new = [f"{name} in week {week} (later {share:.0%} of them)" for name, share, week
           in zip(market.names, market.customer_shares, market.launch_weeks) if week is not None]
    return ["Share of the shop's customers on each channel: " + ", ".join(old),
            "New networks launching: " + ", ".join(new)
            + f"; their buzz halves every {market.hype_half_life:g} weeks",
            f"The team's time for social media: {values['weekly_hours']} hours a week",
            f"Learning a channel (hours of kept-up practice to get halfway to mastery): "
            f"{values['slow_hours']} when it is slow, {values['quick_hours']} when it is quick"]

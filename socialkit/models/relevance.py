"""Chapter 1's model: *ignorance + arrogance = irrelevance*.

Customers move from old channels (shop window, phone, newspaper ad) to a connected channel
along a Bass curve F(t). A business keeps its old standing with the customers who have not
moved yet. With those who have moved it counts only if it is there (``present``) and only as
much as the quality of its presence, which grows with the share of its effort spent
listening and answering rather than broadcasting:

    relevance(t) = old_reach × (1 − F(t)) + F(t) × present(t) × quality

    present(t)   = 0 before entry_time, then rising in a straight line to 1 over
                   build_years (followers and trust take time)  (ignorance: a late entry_time)
    quality      = broadcast_quality + (1 − broadcast_quality) × listening_share
                                                               (arrogance: listening_share near 0)

Relevance is a share between 0 and 1: roughly, the part of its customers' attention the
business still earns. It is a teaching model — a clear rule with parameters a manager can
reason about — not a forecast.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import bass
from .validation import check_number, check_times

__all__ = ["Archetype", "ARCHETYPES", "presence_quality", "relevance", "relevance_lost",
           "HORIZON_YEARS", "DEFAULT_BROADCAST_QUALITY", "DEFAULT_BUILD_YEARS"]

#: How many years the lesson follows a new channel.
HORIZON_YEARS = 15
#: Quality of a presence that only broadcasts, relative to one that fully listens and answers.
DEFAULT_BROADCAST_QUALITY = 0.2
#: Years a new presence takes to reach full strength (an audience and trust are built, not bought).
DEFAULT_BUILD_YEARS = 2.0
#: Latest entry the model accepts, in years after the channel appears.
MAX_ENTRY_YEARS = 30.0


@dataclass(frozen=True)
class Archetype:
    """A kind of business, described by when it arrives and how much of its effort is listening."""

    label: str
    entry_time: float
    listening_share: float
    summary: str


#: The four businesses the lesson compares.
ARCHETYPES: dict[str, Archetype] = {
    "connected": Archetype("Connected", 1.0, 0.8,
                           "arrives early and spends most of its effort listening and answering"),
    "ignorant": Archetype("Ignorant", 8.0, 0.8,
                          "listens well, but only arrives eight years after the channel appears"),
    "arrogant": Archetype("Arrogant", 1.0, 0.0,
                          "arrives early but only broadcasts its own messages"),
    "ignorant_and_arrogant": Archetype("Ignorant + arrogant", 8.0, 0.0,
                                       "arrives late and then only broadcasts"),
}


def presence_quality(listening_share: float,
                     broadcast_quality: float = DEFAULT_BROADCAST_QUALITY,
                   build_years: float = DEFAULT_BUILD_YEARS) -> float:
    """Quality of a presence on the connected channel, from 0 to 1.

    A business that only broadcasts (``listening_share = 0``) earns ``broadcast_quality``;
    one that spends all its effort listening and answering earns 1; in between, in proportion.

    >>> presence_quality(0.0)
    0.2
    >>> round(presence_quality(0.5, broadcast_quality=0.2), 12)
    0.6
    """
    listening_share = check_number("listening_share", listening_share, low=0.0, high=1.0)
    broadcast_quality = check_number("broadcast_quality", broadcast_quality, low=0.0, high=1.0)
    return broadcast_quality + (1.0 - broadcast_quality) * listening_share


def relevance(t, *, entry_time: float, listening_share: float, p: float = bass.TYPICAL_P,
              q: float = bass.TYPICAL_Q, broadcast_quality: float = DEFAULT_BROADCAST_QUALITY,
              old_reach: float = 1.0, build_years: float = DEFAULT_BUILD_YEARS) -> np.ndarray:
    """Relevance of a business at time(s) ``t`` (years since the connected channel appeared).

    Parameters
    ----------
    t : float or array of float
        Times, >= 0. The result has the same shape.
    entry_time : float
        Year the business starts taking part in the connected channel, in [0, 30].
    listening_share : float
        Share of its social effort spent listening and answering rather than broadcasting, in [0, 1].
    p, q : float
        Bass innovation and imitation coefficients of customers moving to the channel.
    broadcast_quality : float
        Quality of a broadcast-only presence relative to a fully listening one, in [0, 1].
    old_reach : float
        Standing with customers still on the old channels, in [0, 1].
    build_years : float
        Years a new presence takes to reach full strength, in [0, 10]; 0 means at once.

    >>> float(relevance(0.0, entry_time=5, listening_share=0.5))   # nobody has moved yet
    1.0
    """
    t = check_times("t", t)
    entry_time = check_number("entry_time", entry_time, low=0.0, high=MAX_ENTRY_YEARS)
    quality = presence_quality(listening_share, broadcast_quality)
    old_reach = check_number("old_reach", old_reach, low=0.0, high=1.0)
    moved = bass.cumulative_adoption(t, p, q)
    build_years = check_number("build_years", build_years, low=0.0, high=10.0)
    if build_years < 1e-9:  # effectively at once (and no overflow dividing by a tiny number)
        present = (t >= entry_time).astype(float)
    else:
        present = np.clip((t - entry_time) / build_years, 0.0, 1.0)
    return old_reach * (1.0 - moved) + moved * present * quality


def relevance_lost(delay: int, *, entry_time: float = 0.0, listening_share: float = 1.0,
                   horizon: int = HORIZON_YEARS, p: float = bass.TYPICAL_P,
                   q: float = bass.TYPICAL_Q,
                   broadcast_quality: float = DEFAULT_BROADCAST_QUALITY,
                   build_years: float = DEFAULT_BUILD_YEARS) -> float:
    """Relevance given up by entering ``delay`` whole years after ``entry_time``.

    Relevance is measured once a year, at t = 0, 1, …, horizon − 1, and the loss is the sum
    of the yearly differences: "relevance-years". One relevance-year is a full year of a
    business's whole customer base's attention.

    >>> relevance_lost(0)
    0.0
    """
    if isinstance(delay, bool) or not isinstance(delay, (int, np.integer)):
        raise TypeError(f"delay must be a whole number of years (an int >= 0); got {delay!r}.")
    if delay < 0:
        raise ValueError(f"delay must be >= 0 years; got {delay}.")
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 1:
        raise ValueError(f"horizon must be a whole number of years >= 1; got {horizon!r}.")
    years = np.arange(horizon, dtype=float)
    common = dict(listening_share=listening_share, p=p, q=q,
                  broadcast_quality=broadcast_quality, build_years=build_years)
    on_time = relevance(years, entry_time=entry_time, **common)
    late = relevance(years, entry_time=min(entry_time + delay, MAX_ENTRY_YEARS), **common)
    return float(np.sum(on_time - late))

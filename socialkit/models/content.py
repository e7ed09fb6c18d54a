"""Chapter 5's model: *be social, not a billboard*, a year of weekly posting.

Every week a business publishes ``posts_per_week`` posts (an average: 2.5 means five every two
weeks), split into three kinds:

* **helpful**: answers to customers' questions, expertise and tips, other people's useful links;
* **promotional**: offers, new stock, "book now" (community offers included);
* **filler**: inspirational quotes, greetings, posts with nothing in them for the reader.

Four rules, applied every week ``t`` to the audience (the people following the business), turn
the posts into followers and sales::

    new[t]    = luck[t] × helpful × (discovery + sharing × audience[t]) × unreached[t] / reachable
    sales[t]  = audience[t] × ready × (1 − (1 − pull) ** promotional)
    left[t]   = audience[t] × (1 − (1 − annoyance) ** promotional × (1 − fatigue) ** filler)
    back[t]   = comeback × lost[t]

    audience[t + 1] = audience[t] + new[t] − left[t] + back[t]
    lost[t + 1]     = lost[t] + left[t] − back[t]

* **Helpful posts are shared and bring followers.** Each wins ``discovery`` followers on its own
  (people who find it through search or a group thread) plus ``sharing`` followers for every
  current follower (people who see it shared by a friend). Only people who do not follow yet
  can join, so growth slows as the ``reachable`` people are used up (``unreached`` =
  reachable − audience − lost). Some weeks a post travels further than others: ``luck`` is a
  seeded random factor around 1.
* **Promotion turns part of the audience into sales.** Each week a share ``ready`` of the
  followers needs something the business sells. A promotional post wins each of them with
  chance ``pull``; a second promotional post in the same week mostly reaches people who have
  already decided, so sales per promotional post fall as the week fills with adverts.
  Only promotion sells in this model: we give it every advantage.
* **Promotion raises unfollows, and filler tires people.** After each promotional post a share
  ``annoyance`` of the followers unfollows or mutes the business; after each filler post a
  share ``fatigue`` does.
* **The audience lost by shouting comes back slowly.** Each week a share ``comeback`` of the
  people who left return.

:class:`Market` holds these parameters (Cobble & Chain's, from :mod:`socialkit.data.case`, or
random ones for testing); :func:`simulate` runs a year for any number of content mixes at once
(numpy arrays, broadcast together); :func:`year_sales` gives the year's sales and
:func:`best_promo_share` the promotional share that sells most. :func:`sample_feed` makes a
synthetic feed of labelled posts and :func:`mix_of` measures its content mix.

This is a teaching model with assumed parameters, not a forecast: its purpose is to let you
reason about what each kind of post does to an audience, with numbers you can change.
"""
from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import pandas as pd

from ..data import case
from .validation import check_number

__all__ = ["KINDS", "KIND_LABELS", "TOPICS", "WEEKS", "LESSON_SEED", "PARAMETERS", "Market", "Year",
           "simulate", "simulate_weeks", "year_sales", "best_promo_share", "SHARE_STEP",
           "WHAT_IFS", "what_ifs", "sample_feed", "cobble_and_chain_feed", "mix_of",
           "FEED_COLUMNS"]

#: The three kinds of post, in the order the kit always uses.
KINDS = ("helpful", "promotional", "filler")
KIND_LABELS = {"helpful": "Helpful", "promotional": "Promotional", "filler": "Filler"}
#: What posts of each kind are about (the ``topic`` column of a feed).
TOPICS = {
    "helpful": ("repair tip", "answer to a question", "useful link (not ours)", "route idea"),
    "promotional": ("discount", "new stock", "rental offer", "community offer"),
    "filler": ("inspirational quote", "weekend greeting", "photo with no story"),
}
#: Weeks in a simulated year.
WEEKS = 52
#: Seed of the weekly luck in the lesson's year.
LESSON_SEED = 5
#: Step of the grid of promotional shares that :func:`best_promo_share` searches.
SHARE_STEP = 0.01

#: Each parameter of :class:`Market`, in business terms, with the range it may take.
PARAMETERS = {
    "followers": ("people following the business at the start of the year", 0.0, 1e7),
    "reachable": ("people within reach who could ever follow it (local riders, visitors)", 1.0, 1e8),
    "discovery": ("new followers a helpful post wins on its own, through search and groups",
                  0.0, 1000.0),
    "sharing": ("new followers a helpful post wins through shares, per current follower",
                0.0, 0.2),
    "ready": ("share of followers who need something the business sells in a given week",
              0.0, 1.0),
    "pull": ("chance that a promotional post turns a ready follower into a sale", 0.0, 1.0),
    "annoyance": ("share of followers who unfollow or mute after each promotional post",
                  0.0, 0.5),
    "fatigue": ("share of followers who unfollow or mute after each filler post", 0.0, 0.5),
    "comeback": ("share of the people who left who come back each week", 0.0, 1.0),
    "luck": ("how much a week's sharing varies by chance (0 = every week alike)", 0.0, 2.0),
}


# --- the market -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Market:
    """The audience a business posts to, and how it responds to each kind of post.

    Every field is explained in :data:`PARAMETERS`; ``seed`` fixes the weekly luck and
    ``weeks`` the length of the year. Build one with :meth:`cobble_and_chain` or
    :meth:`random`, and change assumptions with :meth:`replace`.

    >>> m = Market.cobble_and_chain()
    >>> m.followers, m.reachable
    (700.0, 6000.0)
    """

    followers: float
    reachable: float
    discovery: float = 1.5
    sharing: float = 0.008
    ready: float = 0.015
    pull: float = 0.7
    annoyance: float = 0.02
    fatigue: float = 0.005
    comeback: float = 0.02
    luck: float = 0.4
    seed: int = LESSON_SEED
    weeks: int = WEEKS

    def __post_init__(self):
        for name, (_, low, high) in PARAMETERS.items():
            object.__setattr__(self, name, check_number(name, getattr(self, name), low=low, high=high))
        if self.followers > self.reachable:
            raise ValueError(f"followers ({self.followers:g}) cannot be more than reachable "
                             f"({self.reachable:g}): the followers are some of the reachable people.")
        for name, low, high in (("seed", 0, 2**32 - 1), ("weeks", 1, 520)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) \
                    or not low <= value <= high:
                raise ValueError(f"{name} must be a whole number in the range [{low}, {high}]; "
                                 f"got {value!r}.")
            object.__setattr__(self, name, int(value))

    @classmethod
    def cobble_and_chain(cls, seed: int = LESSON_SEED, **changes) -> "Market":
        """Cobble & Chain's audience: its followers and Lindenford's riders from the case.

        The other parameters are the lesson's assumptions (the defaults of :class:`Market`);
        ``changes`` replaces any of them, e.g. ``annoyance=0.03``.
        """
        return cls(followers=float(case.FOLLOWERS), reachable=float(case.LOCAL_RIDERS),
                   seed=seed).replace(**changes)

    @classmethod
    def random(cls, seed: int) -> "Market":
        """A random market, for testing that an answer is computed rather than remembered.

        A business with 100 to 5,000 followers and 2 to 10 times as many reachable people, and
        every response parameter drawn from a range around the lesson's (a third to three times
        as strong). The same seed always gives the same market.
        """
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
            raise TypeError(f"seed must be a whole number >= 0; got {seed!r}.")
        rng = np.random.default_rng([int(seed), 5])
        base = cls(followers=1.0, reachable=2.0)
        followers = float(round(rng.uniform(100, 5000)))
        scale = {k: float(rng.uniform(np.log(1 / 3), np.log(3))) for k in
                 ("discovery", "sharing", "ready", "annoyance", "fatigue", "comeback")}
        params = {k: float(np.round(getattr(base, k) * np.exp(v), 6)) for k, v in scale.items()}
        return cls(followers=followers, reachable=float(round(followers * rng.uniform(2, 10))),
                   pull=float(round(rng.uniform(0.3, 0.85), 3)), luck=float(round(rng.uniform(0.1, 0.6), 2)),
                   seed=int(seed), **params)

    def replace(self, **changes) -> "Market":
        """A copy with some assumptions changed; unknown names are an error that lists the names."""
        fields = [f.name for f in dataclasses.fields(self)]
        unknown = [k for k in changes if k not in fields]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a parameter of Market; the parameters are "
                             f"{', '.join(fields)}.")
        return dataclasses.replace(self, **changes)

    def luck_by_week(self) -> np.ndarray:
        """The seeded weekly luck factors (mean 1): how far that week's shared posts travel."""
        rng = np.random.default_rng(self.seed)
        return np.exp(rng.normal(-self.luck ** 2 / 2, self.luck, self.weeks))

    def describe(self) -> pd.DataFrame:
        """The parameters as a table: name, value and what it means."""
        return pd.DataFrame([{"parameter": k, "value": getattr(self, k), "meaning": text}
                             for k, (text, _, _) in PARAMETERS.items()]).set_index("parameter")


# --- the simulation -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Year:
    """The outcome of :func:`simulate`: week by week, for every content mix at once.

    Arrays have shape ``(weeks, *shape)``, where ``shape`` is the broadcast shape of the mixes
    given: ``audience`` and ``lost`` at the start of each week, and the week's ``new``
    followers, ``left`` (unfollows), ``back`` (returns) and ``sales``.
    """

    market: Market
    posts: dict  # kind -> array of posts per week, shape (weeks, *shape)
    audience: np.ndarray
    lost: np.ndarray
    new: np.ndarray
    left: np.ndarray
    back: np.ndarray
    sales: np.ndarray

    @property
    def shape(self) -> tuple:
        return self.sales.shape[1:]

    @property
    def total_sales(self) -> np.ndarray:
        """Sales over the whole year, one per mix (a float for a single mix)."""
        return _unwrap(self.sales.sum(axis=0))

    @property
    def cumulative_sales(self) -> np.ndarray:
        """Sales so far, week by week."""
        return np.cumsum(self.sales, axis=0)

    @property
    def final_audience(self) -> np.ndarray:
        """Followers at the end of the year."""
        last = self.audience[-1] + self.new[-1] - self.left[-1] + self.back[-1]
        return _unwrap(last)

    @property
    def final_lost(self) -> np.ndarray:
        """People who had left and not come back by the end of the year."""
        return _unwrap(self.lost[-1] + self.left[-1] - self.back[-1])


def _unwrap(a: np.ndarray):
    return float(a) if np.ndim(a) == 0 else a


def _as_array(name: str, value, low: float, high: float) -> np.ndarray:
    if isinstance(value, (bool, np.bool_)) or (isinstance(value, np.ndarray) and value.dtype == bool):
        raise TypeError(f"{name} must be a number or an array of numbers in [{low:g}, {high:g}]; "
                        f"got {value!r}.")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers in [{low:g}, {high:g}]; "
                        f"got {value!r}.") from None
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one number.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite numbers in [{low:g}, {high:g}]; found NaN or infinity.")
    if arr.min() < low or arr.max() > high:
        bad = arr.min() if arr.min() < low else arr.max()
        raise ValueError(f"{name} must be in the range [{low:g}, {high:g}]; got {bad:g}.")
    return arr


def _check_market(market) -> Market:
    if market is None:
        return Market.cobble_and_chain()
    if not isinstance(market, Market):
        raise TypeError(f"market must be a Market (e.g. Market.cobble_and_chain()); got {market!r}.")
    return market


def _check_mix(promo, filler):
    total = promo + filler
    if np.any(total > 1 + 1e-9):
        i = np.unravel_index(int(np.argmax(total)), total.shape)
        raise ValueError(f"promo_share + filler_share must be at most 1 (the rest of the posts are "
                         f"helpful); got {float(promo[i]):g} + {float(filler[i]):g} = "
                         f"{float(total[i]):g}.")


def _run(helpful: np.ndarray, promo: np.ndarray, filler: np.ndarray, market: Market) -> Year:
    """The four weekly rules, for arrays of posts of shape (weeks, *shape)."""
    m = market
    weeks = m.weeks
    shape = np.broadcast_shapes(helpful.shape[1:], promo.shape[1:], filler.shape[1:])
    helpful, promo, filler = (np.broadcast_to(a, (weeks, *shape)) for a in (helpful, promo, filler))
    luck = m.luck_by_week()
    # Per-week multipliers that do not depend on the audience, computed once for all weeks.
    buy = m.ready * (1.0 - (1.0 - m.pull) ** promo)
    stay = (1.0 - m.annoyance) ** promo * (1.0 - m.fatigue) ** filler
    reach = luck.reshape((weeks,) + (1,) * len(shape)) * helpful
    audience = np.empty((weeks, *shape))
    lost = np.empty_like(audience)
    new, left, back = np.empty_like(audience), np.empty_like(audience), np.empty_like(audience)
    a = np.full(shape, m.followers)
    gone = np.zeros(shape)
    for t in range(weeks):
        audience[t], lost[t] = a, gone
        unreached = np.maximum(m.reachable - a - gone, 0.0)
        new[t] = np.minimum(reach[t] * (m.discovery + m.sharing * a) * unreached / m.reachable,
                            unreached)
        left[t] = a * (1.0 - stay[t])
        back[t] = m.comeback * gone
        a = a + new[t] - left[t] + back[t]
        gone = gone + left[t] - back[t]
    sales = audience * buy
    return Year(m, {"helpful": helpful, "promotional": promo, "filler": filler},
                audience, lost, new, left, back, sales)


def simulate(promo_share, filler_share=0.0, posts_per_week=case.POSTS_PER_WEEK,
             market: Market | None = None) -> Year:
    """A year of posting the same mix every week, for one mix or many at once.

    Parameters
    ----------
    promo_share : number or array
        Share of the posts that are promotional, 0 to 1.
    filler_share : number or array
        Share of the posts that are filler, 0 to 1; the rest (1 − promo − filler) are helpful.
    posts_per_week : number or array
        Posts a week on average, more than 0 and at most 50 (Cobble & Chain's plan: 5).
    market : Market, optional
        The audience; Cobble & Chain's by default.

    The three may be arrays: they are broadcast together (numpy rules), so
    ``simulate(np.linspace(0, 1, 101))`` runs 101 mixes in one go.

    >>> year = simulate(0.2)
    >>> round(year.total_sales)
    541
    """
    promo = _as_array("promo_share", promo_share, 0.0, 1.0)
    filler = _as_array("filler_share", filler_share, 0.0, 1.0)
    posts = _as_array("posts_per_week", posts_per_week, 0.0, 50.0)
    if np.any(posts <= 0):
        raise ValueError("posts_per_week must be more than 0 (and at most 50); got 0.")
    market = _check_market(market)
    promo, filler, posts = np.broadcast_arrays(promo, filler, posts)
    _check_mix(promo, filler)
    helpful_share = np.clip(1.0 - promo - filler, 0.0, 1.0)
    return _run((helpful_share * posts)[None], (promo * posts)[None], (filler * posts)[None], market)


def simulate_weeks(promo_share, filler_share=0.0, posts_per_week=case.POSTS_PER_WEEK,
                   market: Market | None = None) -> Year:
    """A year whose mix changes from week to week (a plan, such as a month of heavy promotion).

    Each argument is a number (the same every week) or a sequence of one number per week
    (``market.weeks`` of them). Returns the :class:`Year` of that single plan.

    >>> plan = [0.2] * 52
    >>> plan[20:24] = [0.8] * 4  # a month of shouting
    >>> round(simulate_weeks(plan).final_audience) < round(simulate(0.2).final_audience)
    True
    """
    market = _check_market(market)
    arrays = []
    for name, value, high in (("promo_share", promo_share, 1.0), ("filler_share", filler_share, 1.0),
                              ("posts_per_week", posts_per_week, 50.0)):
        arr = _as_array(name, value, 0.0, high)
        if arr.ndim > 1 or (arr.ndim == 1 and arr.size != market.weeks):
            raise ValueError(f"{name} must be a number or a sequence of {market.weeks} numbers "
                             f"(one per week); got {arr.size} numbers.")
        arrays.append(np.broadcast_to(arr, (market.weeks,)).astype(float))
    promo, filler, posts = arrays
    if np.any(posts <= 0):
        raise ValueError("posts_per_week must be more than 0 (and at most 50) in every week.")
    _check_mix(promo, filler)
    helpful = np.clip(1.0 - promo - filler, 0.0, 1.0) * posts
    return _run(helpful, promo * posts, filler * posts, market)


def year_sales(promo_share, filler_share=0.0, posts_per_week=case.POSTS_PER_WEEK,
               market: Market | None = None):
    """Sales over the year of each mix: ``simulate(...).total_sales``.

    >>> sales = year_sales(np.array([0.0, 0.2, 1.0]))
    >>> [round(float(s)) for s in sales]
    [0, 541, 168]
    """
    return simulate(promo_share, filler_share, posts_per_week, market).total_sales


def best_promo_share(market: Market | None = None, posts_per_week=case.POSTS_PER_WEEK,
                     filler_share: float = 0.0, *, step: float = SHARE_STEP) -> float:
    """The promotional share, on a grid of ``step``, that sells most over the year.

    The grid runs from 0 to ``1 − filler_share``; among equal sales the smallest share wins.

    >>> best_promo_share()
    0.2
    """
    market = _check_market(market)
    posts = check_number("posts_per_week", posts_per_week, low=0.0, high=50.0, low_inclusive=False)
    filler = check_number("filler_share", filler_share, low=0.0, high=1.0)
    step = check_number("step", step, low=1e-4, high=0.5)
    shares = np.round(np.arange(0.0, 1.0 - filler + 1e-9, step), 10)
    sales = year_sales(shares, filler, posts, market)
    return float(shares[int(np.argmax(sales))])


# --- how the best share depends on the assumptions -------------------------------------------
#: Changes to the lesson's assumptions that the lesson explores: label -> changes to Market.
WHAT_IFS = {
    "The lesson's assumptions": {},
    "Customers expect more (promotion annoys twice as much)": {"annoyance": 0.04},
    "Promotion annoys half as much": {"annoyance": 0.01},
    "Posts are shared half as much": {"sharing": 0.003, "discovery": 0.75},
    "Most of the town already follows": {"followers": 4500.0},
    "Lost followers never come back": {"comeback": 0.0},
}


def what_ifs(posts_per_week=case.POSTS_PER_WEEK) -> pd.DataFrame:
    """Cobble & Chain's best promotional share and its year's sales under each of :data:`WHAT_IFS`.

    Each row changes one assumption of :meth:`Market.cobble_and_chain`; the table also lists the
    sales of a half-promotional feed, for comparison.
    """
    market = Market.cobble_and_chain()
    rows = []
    for label, changes in WHAT_IFS.items():
        m = market.replace(**changes)
        best = best_promo_share(m, posts_per_week)
        sales = year_sales(np.array([best, 0.5]), 0.0, posts_per_week, m)
        rows.append({"what if": label, "best promotional share": best,
                     "sales at the best share": float(sales[0]), "sales at 50%": float(sales[1])})
    return pd.DataFrame(rows).set_index("what if")


# --- feeds: measuring a content mix -----------------------------------------------------------
FEED_COLUMNS = ("date", "week", "kind", "topic")


def sample_feed(seed: int, *, weeks: int = WEEKS, posts_per_week: float = 3.0,
                mix=(0.4, 0.4, 0.2), start: str = "2025-01-06") -> pd.DataFrame:
    """A synthetic feed: one row per post, labelled with its kind and topic.

    Each week has a random number of posts (Poisson, ``posts_per_week`` on average) on random
    days; each post's kind is drawn with the probabilities ``mix`` (helpful, promotional,
    filler) and its topic from :data:`TOPICS`. Columns: ``date``, ``week`` (1 to ``weeks``),
    ``kind``, ``topic``. The same seed always gives the same feed.

    >>> feed = sample_feed(1, weeks=4)
    >>> list(feed.columns)
    ['date', 'week', 'kind', 'topic']
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a whole number >= 0; got {seed!r}.")
    if isinstance(weeks, bool) or not isinstance(weeks, numbers.Integral) or not 1 <= weeks <= 520:
        raise ValueError(f"weeks must be a whole number in the range [1, 520]; got {weeks!r}.")
    posts_per_week = check_number("posts_per_week", posts_per_week, low=0.0, high=50.0,
                                  low_inclusive=False)
    probs = _as_array("mix", mix, 0.0, 1.0)
    if probs.shape != (3,) or abs(probs.sum() - 1.0) > 1e-6:
        raise ValueError(f"mix must be three shares (helpful, promotional, filler) adding up to 1; "
                         f"got {list(np.atleast_1d(probs))}.")
    try:
        first = pd.Timestamp(start)
    except (TypeError, ValueError):
        raise ValueError(f"start must be a date such as '2025-01-06'; got {start!r}.") from None
    rng = np.random.default_rng([int(seed), 55])
    counts = rng.poisson(posts_per_week, weeks)
    # (repeat counts must be the platform's index type: int32 in the browser's 32-bit Python)
    week = np.repeat(np.arange(1, weeks + 1), counts.astype(np.intp))
    day = rng.integers(0, 7, week.size)
    kind_index = rng.choice(3, size=week.size, p=probs / probs.sum())
    kinds = np.array(KINDS)[kind_index]
    topics = [TOPICS[k][rng.integers(len(TOPICS[k]))] for k in kinds]
    dates = first + pd.to_timedelta((week - 1) * 7 + day, unit="D")
    feed = pd.DataFrame({"date": dates, "week": week, "kind": kinds, "topic": topics})
    return feed.sort_values(["date"], kind="stable").reset_index(drop=True)


def cobble_and_chain_feed() -> pd.DataFrame:
    """Cobble & Chain's Instagram feed of 2025 (synthetic), made from the habits in the case.

    >>> len(cobble_and_chain_feed())
    90
    """
    habits = case.POSTING_2025
    return sample_feed(2025, posts_per_week=habits["posts_per_week"],
                       mix=tuple(habits[k] for k in KINDS))


def mix_of(kinds: Iterable[str]) -> dict[str, float]:
    """The content mix of a set of posts: the share of each kind, in the order of :data:`KINDS`.

    ``kinds`` is the kind of each post (a list, or a feed's ``kind`` column). Kinds that do not
    occur get 0.

    >>> mix_of(["helpful", "helpful", "promotional", "filler"])
    {'helpful': 0.5, 'promotional': 0.25, 'filler': 0.25}
    """
    if isinstance(kinds, pd.DataFrame):
        raise TypeError("kinds must be the kinds of the posts, e.g. feed['kind'], not the whole table.")
    if isinstance(kinds, str) or not isinstance(kinds, Iterable):
        raise TypeError(f"kinds must be a list or column of kinds ({', '.join(KINDS)}); got {kinds!r}.")
    kinds = list(kinds)
    if not kinds:
        raise ValueError("kinds must hold at least one post.")
    unknown = sorted({str(k) for k in kinds if k not in KINDS})
    if unknown:
        raise ValueError(f"every kind must be one of {', '.join(KINDS)}; found {', '.join(map(repr, unknown))}.")
    return {k: kinds.count(k) / len(kinds) for k in KINDS}

"""Chapter 2's model: *shiny-object syndrome*, a year of a small team's social media hours.

A team has a weekly budget of hours (Cobble & Chain: four) and splits it over channels. Three
rules, applied every week ``t`` to every channel, turn the hours into value:

    practice[t]  = (1 − forget) × practice[t−1] + useful hours[t]   (hours of practice)
    mastery[t]   = practice² / (practice² + mastery_hours²)          (0 = beginner, 1 = master)
    value[t]     = Σ over channels of customers[t] × mastery[t]      (value points that week)

* **Mastery grows with sustained effort and decays when neglected.** Practice is a stock: the
  week's hours are added, and a share ``forget`` of the old practice fades every week (skills
  go stale, an audience forgets, the platform changes). Mastery follows an S-shaped learning
  curve: a handful of scattered hours teaches little, and ``mastery_hours`` hours of kept-up
  practice take a channel halfway to mastery.
* **Switching costs.** Hours on a channel that had none the week before first pay
  ``restart_hours`` of getting going again (catching up, finding the tools); only the rest are
  *useful hours* that count as practice.
* **Value depends on how many of *the business's* customers are there**, not on how busy the
  network is: ``customers`` is the share of the business's own customers active on a channel.
  One value point a week is what a fully mastered channel with every one of the business's
  customers on it would return.
* **Hot networks appear with hype that fades.** A new network launches at a (seeded) random
  week with hype 1, which halves every ``hype_half_life`` weeks. Its share of the business's
  customers rises from 0 to a *settled share* as the hype fades: the buzz comes first, and the
  customers, if they come at all, come later.

    hype[t]      = 0.5 ** (weeks since launch / hype_half_life)
    customers[t] = settled_share × (1 − hype[t])

* **Customers can move** (only in markets built with :meth:`Market.with_move`). From a given
  week, a share of the business's customers leaves every established channel for one new
  network; half of those who move have moved within ``MOVE_HALF_LIFE`` weeks:

    moved[t]     = share × (1 − 0.5 ** ((weeks since the move began + 1) / MOVE_HALF_LIFE))
    established customers[t] × (1 − moved[t]);  the new network's customers[t] + moved[t]

A *strategy* is a function ``strategy(week, state)`` that returns the hours to spend on each
channel that week (a list or array, one number per channel, adding up to at most the budget).
:func:`simulate` calls it every week with a :class:`State` describing what the team can see.
The three built-in strategies are :func:`chase_newest`, :func:`spread_evenly` and
:func:`focus_on_customers`.

This is a teaching model with assumed parameters, not a forecast: its purpose is to let you
reason about focus, switching and learning with numbers.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from ..data import case
from .validation import check_number

__all__ = ["Market", "State", "Result", "StrategyError", "AllocationError", "simulate", "chase_newest",
           "spread_evenly", "focus_on_customers", "focus_on", "switch_every", "STRATEGIES",
           "mastery", "random_markets", "compare", "WEEKS", "DEFAULT_MASTERY_HOURS",
           "DEFAULT_FORGET", "DEFAULT_RESTART_HOURS", "DEFAULT_HYPE_HALF_LIFE", "NEW_NETWORK_NAMES",
           "MOVE_HALF_LIFE"]

#: Weeks in a simulated year.
WEEKS = 52
#: Hours of kept-up practice that take a channel halfway to mastery (an assumption).
DEFAULT_MASTERY_HOURS = 20.0
#: Share of practice that fades each week (an assumption: about 5% a week).
DEFAULT_FORGET = 0.05
#: Hours lost to getting going again on a channel that had no hours the week before (an assumption).
DEFAULT_RESTART_HOURS = 1.0
#: Weeks for a new network's hype to halve (an assumption).
DEFAULT_HYPE_HALF_LIFE = 6.0
#: Invented names for the hot new networks of the simulation (fictional, like the case).
NEW_NETWORK_NAMES = ("Glint", "Fizz", "Whirl", "Pip", "Zest", "Loop", "Nova", "Blip")
#: Weeks for half of the customers who move to a new network to have moved (an assumption).
MOVE_HALF_LIFE = 4.0
#: Seed of the lesson's market: the year Cobble & Chain's team follows in Chapter 2.
LESSON_SEED = 2


class StrategyError(Exception):
    """A strategy failed in the simulation; the message names it, the week and what to fix."""


class AllocationError(StrategyError, ValueError):
    """A strategy returned hours the simulator cannot use; the message says what to fix."""


# --- the market ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Market:
    """The channels of one simulated year, and the new networks that launch during it.

    Established channels are live all year with a constant share of the business's customers.
    New networks launch at ``launch_weeks``; from then on their hype fades and their customers
    arrive (see the module's docstring). Build one with :meth:`cobble_and_chain` (the case
    business's channels) or :meth:`random` (a random set-up, for testing strategies).
    """

    names: tuple[str, ...]
    customer_shares: tuple[float, ...]  # established: constant; new networks: settled share
    launch_weeks: tuple[int | None, ...]  # None for an established channel
    hype_half_life: float = DEFAULT_HYPE_HALF_LIFE
    weeks: int = WEEKS
    #: customers moving to a new network: ``(network, week, share)`` each; see :meth:`with_move`
    moves: tuple = ()

    def __post_init__(self):
        n = len(self.names)
        if n < 1:
            raise ValueError("names must hold at least one channel name.")
        if len(self.customer_shares) != n or len(self.launch_weeks) != n:
            raise ValueError(f"names, customer_shares and launch_weeks must have the same length; "
                             f"got {n}, {len(self.customer_shares)} and {len(self.launch_weeks)}.")
        if len(set(self.names)) != n or not all(isinstance(s, str) and s for s in self.names):
            raise ValueError(f"names must be distinct, non-empty strings; got {self.names}.")
        if isinstance(self.weeks, bool) or not isinstance(self.weeks, numbers.Integral) \
                or not 1 <= self.weeks <= 520:
            raise ValueError(f"weeks must be a whole number in the range [1, 520]; got {self.weeks!r}.")
        for name, share in zip(self.names, self.customer_shares):
            check_number(f"customer_shares[{name!r}]", share, low=0.0, high=1.0)
        for name, week in zip(self.names, self.launch_weeks):
            if week is not None and (isinstance(week, bool) or not isinstance(week, numbers.Integral)
                                     or not 0 <= week < self.weeks):
                raise ValueError(f"launch_weeks[{name!r}] must be None (an established channel) or "
                                 f"a whole week in the range [0, {self.weeks - 1}]; got {week!r}.")
        check_number("hype_half_life", self.hype_half_life, low=0.5, high=520.0)
        self._check_moves()

    def _check_moves(self) -> None:
        if not isinstance(self.moves, tuple):
            raise ValueError(f"moves must be a tuple of (network, week, share); got {self.moves!r}.")
        new = [n for n, w in zip(self.names, self.launch_weeks) if w is not None]
        total = 0.0
        for move in self.moves:
            if not (isinstance(move, tuple) and len(move) == 3):
                raise ValueError(f"each move must be a tuple (network, week, share); got {move!r}.")
            network, week, share = move
            if network not in new:
                raise ValueError(f"a move's network must be one of the new networks "
                                 f"({', '.join(new) or 'none in this market'}); got {network!r}.")
            launch = self.launch_weeks[self.names.index(network)]
            if (isinstance(week, bool) or not isinstance(week, numbers.Integral)
                    or not launch <= week < self.weeks):
                raise ValueError(f"the week customers start moving to {network!r} must be a whole week "
                                 f"in the range [{launch}, {self.weeks - 1}] (not before it launches); "
                                 f"got {week!r}.")
            total += check_number(f"the share of customers moving to {network!r}", share,
                                  low=0.0, high=1.0, low_inclusive=False)
        if total > 1.0 + 1e-9:
            raise ValueError(f"the shares of customers in moves add up to {total:g}; at most 1 (all "
                             f"of the business's customers) can move.")

    def with_move(self, network: str, week: int, share: float) -> "Market":
        """This market, with a share of the business's customers moving to a new network.

        From ``week`` on, ``share`` of the business's customers leave every established channel
        for ``network`` (one of the new networks, launched by then); half of them have moved
        within :data:`MOVE_HALF_LIFE` weeks. The new network keeps the customers it wins anyway.

        >>> m = Market.cobble_and_chain().with_move("Glint", 20, 0.8)
        >>> c = m.timeline()["customers"]
        >>> round(float(c[19, 0]), 2), round(float(c[51, 0]), 2), round(float(c[51, 8]), 2)
        (0.7, 0.14, 0.93)
        """
        return Market(self.names, self.customer_shares, self.launch_weeks, self.hype_half_life,
                      self.weeks, self.moves + ((network, week, share),))

    # -- constructors ----------------------------------------------------------------------
    @classmethod
    def cobble_and_chain(cls, seed: int = LESSON_SEED, *, new_networks: int = 3,
                         hype_half_life: float = DEFAULT_HYPE_HALF_LIFE,
                         weeks: int = WEEKS) -> "Market":
        """Cobble & Chain's eight channels (from :mod:`socialkit.data.case`) plus new networks.

        The new networks launch at seeded random weeks and settle with a small share of the
        shop's customers (between 2% and 15%, also seeded).

        >>> m = Market.cobble_and_chain()
        >>> len(m.names), m.names[0], m.customer_shares[0]
        (11, 'Google Maps reviews', 0.7)
        """
        _check_count("new_networks", new_networks, 0, len(NEW_NETWORK_NAMES))
        rng = np.random.default_rng(_check_seed(seed))
        launches = _launch_weeks(rng, new_networks, weeks)
        settled = np.round(rng.uniform(0.02, 0.15, new_networks), 2)
        return cls(
            names=tuple(c.name for c in case.CHANNELS) + NEW_NETWORK_NAMES[:new_networks],
            customer_shares=tuple(c.customer_share for c in case.CHANNELS) + tuple(map(float, settled)),
            launch_weeks=(None,) * len(case.CHANNELS) + launches,
            hype_half_life=hype_half_life, weeks=weeks)

    @classmethod
    def random(cls, seed: int, *, weeks: int = WEEKS) -> "Market":
        """A random market set-up like Cobble & Chain's, for testing strategies fairly.

        Five to eight of the case's channels, in a shuffled order, with each customer share
        multiplied by a random factor between 0.5 and 1.5; two to five new networks at random
        weeks, each settling with 2% to 30% of the business's customers; hype that halves in
        3 to 10 weeks. The same seed always gives the same market.
        """
        rng = np.random.default_rng(_check_seed(seed))
        n_old = int(rng.integers(5, len(case.CHANNELS) + 1))
        picked = rng.permutation(len(case.CHANNELS))[:n_old]
        shares = [float(np.clip(round(case.CHANNELS[i].customer_share * rng.uniform(0.5, 1.5), 2),
                                0.01, 0.95)) for i in picked]
        n_new = int(rng.integers(2, 6))
        launches = _launch_weeks(rng, n_new, weeks)
        settled = [float(round(s, 2)) for s in rng.uniform(0.02, 0.30, n_new)]
        names = tuple(case.CHANNELS[i].name for i in picked) + NEW_NETWORK_NAMES[:n_new]
        return cls(names=names, customer_shares=tuple(shares) + tuple(settled),
                   launch_weeks=(None,) * n_old + launches,
                   hype_half_life=float(round(rng.uniform(3.0, 10.0), 1)), weeks=weeks)

    # -- what happens during the year ------------------------------------------------------
    @property
    def n_channels(self) -> int:
        return len(self.names)

    @property
    def is_new(self) -> np.ndarray:
        """True for the networks that launch during the year."""
        return np.array([w is not None for w in self.launch_weeks])

    def timeline(self) -> dict[str, np.ndarray]:
        """Arrays of shape (weeks, channels): ``launched``, ``age``, ``hype``, ``customers``.

        ``age`` is weeks since launch (infinite for an established channel, NaN before launch).

        >>> t = Market.cobble_and_chain().timeline()
        >>> t["customers"].shape
        (52, 11)
        """
        week = np.arange(self.weeks, dtype=float)[:, None]
        launch = np.array([-np.inf if w is None else w for w in self.launch_weeks], dtype=float)
        launched = week >= launch
        with np.errstate(invalid="ignore"):
            age = np.where(launched, week - launch, np.nan)
        hype = np.where(launched & np.isfinite(launch), 0.5 ** (np.nan_to_num(age) / self.hype_half_life), 0.0)
        shares = np.asarray(self.customer_shares, dtype=float)
        customers = np.where(launched, shares * (1.0 - hype), 0.0)
        if self.moves:  # customers leave the established channels for a new network
            gone = np.zeros_like(week)
            for network, start, share in self.moves:
                j = self.names.index(network)
                moved = np.where(week >= start, share * (1.0 - 0.5 ** ((week - start + 1) / MOVE_HALF_LIFE)), 0.0)
                gone += moved
                customers[:, j] = np.minimum(1.0, customers[:, j] + moved[:, 0])
            customers[:, ~self.is_new] *= 1.0 - gone
        return {"launched": launched, "age": age, "hype": hype, "customers": customers}


def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a whole number >= 0; got {seed!r}.")
    return int(seed)


def _check_count(name, value, low, high) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number in the range [{low}, {high}]; got {value!r}.")
    return int(value)


def _launch_weeks(rng, n: int, weeks: int) -> tuple[int, ...]:
    """``n`` distinct launch weeks, spread over the year, in order."""
    if n == 0:
        return ()
    # One launch in each of n equal slices of the year (not in the last few weeks), so that new
    # networks keep coming all year rather than in one clump.
    edges = np.linspace(1, max(2, weeks - 4), n + 1)
    return tuple(int(rng.integers(int(a), max(int(a) + 1, int(b)))) for a, b in zip(edges[:-1], edges[1:]))


# --- what a strategy sees ------------------------------------------------------------------
@dataclass(frozen=True)
class State:
    """What the team knows at the start of a week; a strategy reads it and returns hours.

    Every array has one entry per channel, in the order of ``names``.

    Attributes
    ----------
    week : int
        This week, from 0 to ``weeks - 1``.
    weeks : int
        Weeks in the year.
    budget : float
        Hours the team can spend this week, all channels together.
    names : tuple of str
        The channels' names.
    launched : array of bool
        True for channels that are live this week; only these may get hours.
    is_new : array of bool
        True for the networks that launch during the year (live or not yet).
    age : array of float
        Weeks since each channel launched: ``inf`` for established channels, ``nan`` for
        networks that have not launched yet.
    hype : array of float
        How much buzz each channel has, from 0 to 1 (1 in a new network's launch week).
    customers : array of float
        Share of the business's own customers active on each channel this week, 0 to 1.
    mastery : array of float
        The team's mastery of each channel so far, 0 (beginner) to 1 (master).
    practice : array of float
        Hours of practice the team has kept up on each channel (older hours partly forgotten).
    last_hours : array of float
        The hours the strategy gave each channel last week (zeros in week 0).
    """

    week: int
    weeks: int
    budget: float
    names: tuple
    launched: np.ndarray
    is_new: np.ndarray
    age: np.ndarray
    hype: np.ndarray
    customers: np.ndarray
    mastery: np.ndarray
    practice: np.ndarray
    last_hours: np.ndarray

    @property
    def n_channels(self) -> int:
        return len(self.names)

    def top(self, n: int, by: str = "customers") -> np.ndarray:
        """Indices of the ``n`` live channels with the largest ``by`` (an attribute's name).

        >>> s = _example_state()
        >>> [s.names[i] for i in s.top(2)]
        ['Maps', 'Forum']
        """
        _check_count("n", n, 0, self.n_channels)
        values = getattr(self, by, None)
        if not isinstance(values, np.ndarray) or values.shape != (self.n_channels,) or by == "launched":
            raise ValueError(f"by must name a per-channel number such as 'customers', 'hype' or "
                             f"'mastery'; got {by!r}.")
        score = np.where(self.launched & (values == values), values, -np.inf)  # NaN: last
        order = np.argsort(-score, kind="stable")
        return order[self.launched[order]][:n]


def _example_state() -> State:
    z = np.zeros(3)
    return State(0, 52, 4.0, ("Maps", "Forum", "Fizz"), np.array([True, True, False]),
                 np.array([False, False, True]), np.array([np.inf, np.inf, np.nan]), z.copy(),
                 np.array([0.7, 0.4, 0.0]), z.copy(), z.copy(), z.copy())


# --- built-in strategies --------------------------------------------------------------------
def _even(state: State, channels) -> np.ndarray:
    hours = np.zeros(state.n_channels)
    channels = np.asarray(channels, dtype=int)
    if channels.size:
        hours[channels] = state.budget / channels.size
    return hours


def chase_newest(week: int, state: State) -> np.ndarray:
    """All hours on the newest network that has launched: shiny-object syndrome.

    Until the first new network launches, the hours are spread evenly over every live
    channel, as a team without a plan tends to do.
    """
    live_new = state.launched & state.is_new
    if not live_new.any():
        return spread_evenly(week, state)
    return _even(state, [int(np.argmin(np.where(live_new, state.age, np.inf)))])


def spread_evenly(week: int, state: State) -> np.ndarray:
    """The same hours on every live channel: a little of everything, new networks included."""
    return _even(state, np.flatnonzero(state.launched))


def focus_on_customers(week: int, state: State, *, n_channels: int = 2) -> np.ndarray:
    """The hours split evenly over the ``n_channels`` live channels with the most customers."""
    return _even(state, state.top(n_channels, by="customers"))


def focus_on(n_channels: int) -> Callable[[int, State], np.ndarray]:
    """A strategy that focuses on the ``n_channels`` live channels with the most customers.

    ``focus_on(2)`` is :func:`focus_on_customers`; ``focus_on(8)`` spreads the hours over
    eight channels.
    """
    n_channels = _check_count("n_channels", n_channels, 1, 50)

    def strategy(week, state):
        return _even(state, state.top(min(n_channels, state.n_channels), by="customers"))

    strategy.__name__ = f"focus_on_{n_channels}"
    return strategy


def switch_every(weeks: int, n_channels: int = 2, pool: int = 4) -> Callable[[int, State], np.ndarray]:
    """A restless team: it moves its hours to other channels every ``weeks`` weeks.

    It works on ``n_channels`` channels at a time, taking turns among the ``pool`` live
    channels with the most customers: first the top ``n_channels``, then the next ones, and so
    on, round and round. With ``weeks`` at least as long as the year it never switches and is
    the same as ``focus_on(n_channels)``.
    """
    weeks = _check_count("weeks", weeks, 1, 520)
    n_channels = _check_count("n_channels", n_channels, 1, 50)
    pool = _check_count("pool", pool, n_channels, 50)

    def strategy(week, state):
        ranked = state.top(min(pool, state.n_channels), by="customers")
        turn = week // weeks
        start = (turn * n_channels) % max(1, ranked.size)
        chosen = np.take(ranked, np.arange(start, start + min(n_channels, ranked.size)), mode="wrap")
        return _even(state, chosen)

    strategy.__name__ = f"switch_every_{weeks}"
    return strategy


#: The three strategies the lesson compares, by name.
STRATEGIES: dict[str, Callable] = {
    "chase_newest": chase_newest,
    "spread_evenly": spread_evenly,
    "focus_on_customers": focus_on_customers,
}


# --- the simulation ---------------------------------------------------------------------------
def mastery(practice, mastery_hours: float = DEFAULT_MASTERY_HOURS) -> np.ndarray:
    """The learning curve: mastery from hours of kept-up practice, 0 to 1 (S-shaped).

    >>> float(mastery(20.0, mastery_hours=20.0))
    0.5
    >>> float(mastery(0.0))
    0.0
    """
    mastery_hours = check_number("mastery_hours", mastery_hours, low=0.0, low_inclusive=False)
    x = np.asarray(practice, dtype=float)
    if x.size and (not np.all(np.isfinite(x)) or np.any(x < 0)):
        raise ValueError("practice must hold finite numbers of hours >= 0.")
    x2 = x * x
    return x2 / (x2 + mastery_hours * mastery_hours)


@dataclass(frozen=True)
class Result:
    """The outcome of :func:`simulate`, one row per strategy.

    ``hours``, ``mastery`` have shape (strategies, weeks, channels); ``value`` (weekly value
    points) and ``cumulative`` (value points so far) have shape (strategies, weeks).
    """

    names: tuple[str, ...]
    market: Market
    hours: np.ndarray
    mastery: np.ndarray
    value: np.ndarray
    cumulative: np.ndarray

    def totals(self) -> dict[str, float]:
        """Value points over the whole year, by strategy.

        >>> r = simulate({"focus": focus_on_customers}, Market.cobble_and_chain())
        >>> round(r.totals()["focus"], 1)
        39.4
        """
        return {name: float(total) for name, total in zip(self.names, self.cumulative[:, -1])}

    def total(self, name: str) -> float:
        """Value points over the whole year of the strategy called ``name``."""
        if name not in self.names:
            raise ValueError(f"name must be one of {', '.join(self.names)}; got {name!r}.")
        return float(self.cumulative[self.names.index(name), -1])

    def channels_used(self, name: str, min_hours: float = 0.25) -> int:
        """How many channels strategy ``name`` gave at least ``min_hours`` hours in some week."""
        hours = self.hours[self.names.index(name)]
        return int(np.sum(hours.max(axis=0) >= min_hours))

    def switches(self, name: str) -> int:
        """How many weeks strategy ``name`` moved at least an hour to different channels."""
        hours = self.hours[self.names.index(name)]
        moved = 0.5 * np.abs(np.diff(hours, axis=0)).sum(axis=1)
        return int(np.sum(moved >= 1.0 - 1e-9))


def _read_only(array: np.ndarray) -> np.ndarray:
    view = array.view()
    view.flags.writeable = False
    return view


def _strategy_name(strategy) -> str:
    return getattr(strategy, "__name__", None) or type(strategy).__name__


def _normalise_strategies(strategies) -> dict[str, Callable]:
    if callable(strategies):
        strategies = {_strategy_name(strategies): strategies}
    elif isinstance(strategies, Mapping):
        strategies = dict(strategies)
    elif isinstance(strategies, Sequence) and not isinstance(strategies, str):
        named = {}
        for s in strategies:
            if not callable(s):
                raise TypeError(f"strategies must be functions strategy(week, state); got {s!r}.")
            named[_strategy_name(s)] = s
        if len(named) != len(strategies):
            raise ValueError("strategies have repeated names; pass a dict {name: strategy} instead.")
        strategies = named
    else:
        raise TypeError("strategies must be a function strategy(week, state), a list of them or "
                        f"a dict {{name: strategy}}; got {strategies!r}.")
    if not strategies:
        raise ValueError("strategies must hold at least one strategy.")
    for name, s in strategies.items():
        if not isinstance(name, str) or not callable(s):
            raise TypeError(f"strategies must map names (str) to functions strategy(week, state); "
                            f"got {name!r}: {s!r}.")
    return strategies


def check_allocation(hours, state: State, name: str = "strategy") -> np.ndarray:
    """Return ``hours`` as a float array after checking the simulator can use it.

    Raises :class:`AllocationError` (a ValueError) with a plain-words message that names the
    strategy and the week: wrong length, not numbers, NaN, negative hours, more hours than the
    budget, or hours on a channel that has not launched yet.
    """
    where = f"{name} in week {state.week}"
    n = state.n_channels
    if hours is None:
        raise AllocationError(f"{where} returned None. A strategy must return the hours for each "
                              f"channel, e.g. a list of {n} numbers; did you forget `return`?")
    try:
        arr = np.asarray(hours, dtype=float)
    except (TypeError, ValueError):
        raise AllocationError(f"{where} returned {hours!r}; it must return {n} numbers of hours "
                              f"(a list or numpy array), one per channel.") from None
    if arr.shape == (n,):  # the usual case, checked in one pass; details only on failure
        total = arr.sum()
        if (total == total and arr.min() >= 0 and total <= state.budget * (1 + 1e-9) + 1e-12
                and not (arr > 0)[~state.launched].any()):
            return arr
    if arr.ndim != 1 or arr.size != n:
        got = f"{arr.size} number(s)" if arr.ndim <= 1 else f"an array of shape {arr.shape}"
        raise AllocationError(f"{where} returned {got}; it must return exactly {n} numbers, one "
                              f"per channel, in the order of state.names.")
    if not np.all(np.isfinite(arr)):
        bad = state.names[int(np.flatnonzero(~np.isfinite(arr))[0])]
        raise AllocationError(f"{where} gave {arr[state.names.index(bad)]} hours to {bad!r}. "
                              f"Hours must be ordinary numbers, not NaN or infinity (check for a "
                              f"division by zero).")
    if np.any(arr < 0):
        i = int(np.argmin(arr))
        raise AllocationError(f"{where} gave {arr[i]:g} hours to {state.names[i]!r}. Hours cannot "
                              f"be negative; use 0 for a channel the team skips.")
    if arr.sum() > state.budget * (1 + 1e-9) + 1e-12:
        raise AllocationError(f"{where} spends {arr.sum():g} hours, but the team has only "
                              f"{state.budget:g} hours a week. Scale the hours down, e.g. "
                              f"hours * state.budget / sum(hours).")
    early = arr > 0
    early &= ~state.launched
    if np.any(early):
        i = int(np.flatnonzero(early)[0])
        raise AllocationError(f"{where} gave {arr[i]:g} hours to {state.names[i]!r}, which has not "
                              f"launched yet. Give 0 hours to channels where state.launched is False.")
    return arr


def simulate(strategies, market: Market | None = None, *, budget: float = case.WEEKLY_SOCIAL_HOURS,
             mastery_hours: float = DEFAULT_MASTERY_HOURS, forget: float = DEFAULT_FORGET,
             restart_hours: float = DEFAULT_RESTART_HOURS) -> Result:
    """Run a year of the market for each strategy, side by side, and return the :class:`Result`.

    Parameters
    ----------
    strategies : function, list of functions or dict {name: function}
        Each is called as ``strategy(week, state)`` every week and returns the hours for each
        channel (see :class:`State`). Strategies are run together, week by week, with numpy
        updating all of them and all channels at once.
    market : Market, optional
        The channels and new networks; Cobble & Chain's lesson market by default.
    budget : float
        Hours a week for all channels together, in (0, 168]; the case team's 4 by default.
    mastery_hours : float
        Hours of kept-up practice that take a channel halfway to mastery, in (0, 1000].
    forget : float
        Share of practice that fades each week, in [0, 1).
    restart_hours : float
        Hours it costs to (re)start a channel that had no hours the week before — catching up,
        finding the tools, remembering what works — before practice counts; in [0, budget].

    >>> r = simulate(STRATEGIES)
    >>> {k: round(v, 1) for k, v in r.totals().items()}
    {'chase_newest': 4.1, 'spread_evenly': 11.5, 'focus_on_customers': 39.4}
    """
    strategies = _normalise_strategies(strategies)
    market = Market.cobble_and_chain() if market is None else market
    if not isinstance(market, Market):
        raise TypeError(f"market must be a Market (e.g. Market.cobble_and_chain()); got {market!r}.")
    budget = check_number("budget", budget, low=0.0, high=168.0, low_inclusive=False)
    mastery_hours = check_number("mastery_hours", mastery_hours, low=0.0, high=1000.0,
                                 low_inclusive=False)
    forget = check_number("forget", forget, low=0.0, high=1.0, high_inclusive=False)
    restart_hours = check_number("restart_hours", restart_hours, low=0.0, high=budget)

    names = tuple(strategies)
    funcs = tuple(strategies.values())
    n_s, n_w, n_c = len(funcs), market.weeks, market.n_channels
    # Strategies get read-only views, not copies: cheap, and a strategy cannot change the market.
    line = {k: _read_only(v) for k, v in market.timeline().items()}
    is_new = _read_only(market.is_new)
    hours = np.zeros((n_s, n_w, n_c))
    seen_hours = _read_only(hours.view())
    no_hours = _read_only(np.zeros(n_c))
    level = np.zeros((n_s, n_w, n_c))
    practice = np.zeros((n_s, n_c))
    current = np.zeros((n_s, n_c))
    keep = 1.0 - forget
    half2 = mastery_hours * mastery_hours
    for week in range(n_w):
        launched, age, hype = line["launched"][week], line["age"][week], line["hype"][week]
        customers = line["customers"][week]
        seen_practice, seen_mastery = _read_only(practice), _read_only(current.copy())
        for s, func in enumerate(funcs):
            state = State(week, n_w, budget, market.names, launched, is_new, age, hype, customers,
                          seen_mastery[s], seen_practice[s],
                          seen_hours[s, week - 1] if week else no_hours)
            try:
                given = func(week, state)
            except Exception as error:  # a student's strategy can fail in any way
                raise StrategyError(
                    f"{names[s]} raised {type(error).__name__} in week {week}: {error}. A strategy "
                    f"is called as {names[s]}(week, state); try that call on a State of that "
                    f"week to see where it goes wrong.") from error
            hours[s, week] = check_allocation(given, state, names[s])
        # All strategies and channels at once. A channel that had no hours last week first
        # costs restart_hours of this week's hours; what is left adds to its practice.
        given = hours[:, week]
        restarting = (given > 0) & ((hours[:, week - 1] <= 0) if week else True)
        practice = keep * practice + np.maximum(given - restart_hours * restarting, 0.0)
        x2 = practice * practice
        current = x2 / (x2 + half2)
        level[:, week] = current
    value = np.einsum("swc,wc->sw", level, line["customers"])
    return Result(names, market, hours, level, value, np.cumsum(value, axis=1))


# --- comparing on many markets ------------------------------------------------------------
def random_markets(seeds: Sequence[int]) -> list[Market]:
    """:meth:`Market.random` for each seed."""
    return [Market.random(int(s)) for s in seeds]


def compare(strategy, rival=chase_newest, seeds: Sequence[int] = range(100), *,
            mastery_hours=(10.0, 20.0, 40.0), forget=(0.03, 0.05, 0.08)) -> dict[str, float]:
    """How often ``strategy`` beats ``rival`` over many random markets and team settings.

    Market ``k`` uses :meth:`Market.random` with ``seeds[k]``, and mastery hours and forgetting
    taken in turn from the tuples given. Returns the number of set-ups, the share of them
    ``strategy`` wins, and the median ratio of their yearly values.

    >>> compare(focus_on_customers, seeds=range(20))["wins"]
    1.0
    """
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds must hold at least one seed.")
    mastery_hours, forget = tuple(mastery_hours), tuple(forget)
    ratios = []
    for k, seed in enumerate(seeds):
        result = simulate({"strategy": strategy, "rival": rival}, Market.random(int(seed)),
                          mastery_hours=mastery_hours[k % len(mastery_hours)],
                          forget=forget[(k // len(mastery_hours)) % len(forget)])
        mine, theirs = result.cumulative[:, -1]
        ratios.append(mine / theirs if theirs > 0 else np.inf)
    ratios = np.array(ratios)
    return {"set_ups": len(seeds), "wins": float(np.mean(ratios > 1.0)),
            "median_ratio": float(np.median(ratios))}

"""Two synthetic years of Cobble & Chain's weekly social media figures and repair bookings (chapter 6).

The figures are **synthetic**. :func:`make_outcomes` invents them from a fixed random seed and a
*causal structure* that is known, because it is written down here, so that a reader can check
whether an analysis finds it:

* **what drives bookings**: by default, questions the shop answers online and its replies to
  reviews bring repair bookings one and two weeks later (:data:`DEFAULT_EFFECTS`);
* **what does not**: Instagram followers and likes on the shop's posts have no effect at all;
* **a seasonal confounder**: spring and summer bring more riders, so more bookings *and* more
  likes, more new followers, more questions and more reviews. Everything rises and falls together,
  and a naive correlation credits likes with bookings that the season brought.

The effects can be changed (``effects={"likes": {3: 0.05}}`` makes likes bring bookings three
weeks later, and nothing else does), and so can the strength of the season and the noise, so
tests can regenerate the data under other structures and seeds. The week-to-week effort (how many
of the questions the team manages to answer, how many reviews get a reply) varies for reasons of
its own (busy weeks, holidays), independently of the season: that is what lets an analysis tell
cause from coincidence.

This module holds the table's schema (:data:`COLUMNS`), the seeded generator, reading, writing
and checking the CSV (``python -m socialkit.data.outcomes --seed 2026``, or ``make data``, writes
the shipped file), and the published survey figures the chapter cites
(:data:`ALTIMETER_2013`). The chapter's analysis is :mod:`socialkit.models.outcomes`. Bad input
gets a ``ValueError`` or ``TypeError`` that names the argument.

>>> data = make_outcomes(seed=1)
>>> len(data), list(data.columns) == list(COLUMNS)
(104, True)
"""
from __future__ import annotations

import argparse
import numbers
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from . import case
from .paths import DATA_DIR

__all__ = ["COLUMNS", "SOCIAL_METRICS", "OUTCOME", "DRIVER_CANDIDATES", "METRIC_LABELS",
           "DEFAULT_SEED", "DEFAULT_WEEKS", "START", "MAX_LAG", "DEFAULT_EFFECTS",
           "DEFAULT_SEASON", "DEFAULT_NOISE", "DATA_PATH", "ALTIMETER_2013", "ALTIMETER_SAMPLE",
           "check_effects", "true_drivers", "season_index", "make_outcomes", "write_outcomes",
           "load_outcomes", "validate_outcomes", "main"]

#: The table's columns, in order, with what each holds (one row per week).
COLUMNS = {
    "week": "the Monday the week starts (2024-01-01 to 2025-12-22)",
    "followers": "Instagram followers at the end of the week (a running total)",
    "new_followers": "followers gained that week, minus those who left",
    "likes": "likes on the shop's Instagram posts that week",
    "questions_answered": "customer questions the shop answered online that week "
                          "(Google Maps, WhatsApp, the Locals group)",
    "review_replies": "Google Maps reviews the shop replied to that week",
    "bookings": "repair bookings made that week (at the counter, by phone or by message)",
}
#: The social media figures, in the order tables and charts show them.
#: ``followers`` is left out: a running total is compared with weekly bookings through its weekly
#: change, ``new_followers``.
SOCIAL_METRICS = ("new_followers", "likes", "questions_answered", "review_replies")
#: The business outcome.
OUTCOME = "bookings"
#: Figures that can be given an effect on bookings (the weekly ones).
DRIVER_CANDIDATES = SOCIAL_METRICS
#: Short names for chart labels.
METRIC_LABELS = {"followers": "Followers", "new_followers": "New followers", "likes": "Likes",
                 "questions_answered": "Questions answered", "review_replies": "Review replies",
                 "bookings": "Repair bookings"}
DEFAULT_SEED = 2026
DEFAULT_WEEKS = 104
#: The first Monday of the two years (the data end in the last week of 2025, before ``case.NOW``).
START = "2024-01-01"
#: The longest delay, in weeks, an effect may have.
MAX_LAG = 4
#: Repair bookings brought by one more unit of a figure, by delay in weeks (the built-in truth):
#: each answered question brings 0.25 bookings a week later and 0.15 two weeks later; each reply
#: to a review, 0.6 and 0.4.
DEFAULT_EFFECTS = {"questions_answered": {1: 0.4, 2: 0.15}, "review_replies": {1: 0.25, 2: 0.75}}
#: How far the season swings demand above and below its yearly average (0.45 = plus or minus 45%).
DEFAULT_SEASON = 0.45
#: Bookings that vary for reasons outside the data (standard deviation, bookings a week).
DEFAULT_NOISE = 2.0
DATA_PATH = DATA_DIR / "outcomes.csv"

# --- how the synthetic figures are generated (assumptions, not measurements) ------------------
_PEAK_WEEK = 28            # mid-July: the busiest week of the riding season
_BASE_BOOKINGS = 26.0      # bookings a week that come whatever the shop does online, on average
_QUESTIONS_ASKED = 34.0    # questions a week customers ask online, on average
_REVIEWS = 9.0             # Google Maps reviews a week, on average
_FOLLOWERS_START = 480     # Instagram followers in the first week of January 2024
_NEW_FOLLOWERS = 2.6       # new followers a week, on average (more in summer)
_UNFOLLOW_RATE = 0.0025    # share of followers who leave in a week
_LIKES_PER_FOLLOWER = 0.085  # likes a week per follower, on average (about two posts a week)

#: The Altimeter Group survey the chapter cites, as the YFS Magazine article (source 001) reports
#: it: the share of respondents who felt each statement was true of their organisation.
ALTIMETER_2013 = {
    "social strategy connected to business outcomes": 0.34,
    "holistic approach across the business": 0.28,
    "confident of a plan beyond the next year": 0.12,
    "top executives informed, engaged and aligned": 0.50,
}
#: Who answered it (Li & Solis, 2013; see book/references.md).
ALTIMETER_SAMPLE = ("about 700 social media strategists and executives, surveyed online in late "
                    "2012; people whose job is social media, in organisations that already run "
                    "social media programmes, not a random sample of businesses")


# --- checking arguments -------------------------------------------------------------------------
def _check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a whole number >= 0 (it fixes the random weeks); got {seed!r}.")
    return int(seed)


def _check_weeks(weeks) -> int:
    if isinstance(weeks, bool) or not isinstance(weeks, numbers.Integral):
        raise TypeError(f"weeks must be a whole number of weeks; got {weeks!r}.")
    if not 20 <= weeks <= 520:
        raise ValueError(f"weeks must be between 20 and 520 (ten years); got {weeks}.")
    return int(weeks)


def _check_real(name: str, value, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise TypeError(f"{name} must be a number between {low:g} and {high:g}; got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}; got {value:g}.")
    return float(value)


def check_effects(effects) -> dict[str, dict[int, float]]:
    """Check a causal structure and return it tidied: ``{metric: {lag: bookings per unit}}``.

    ``effects`` maps figures of :data:`DRIVER_CANDIDATES` to ``{lag: effect}``, where ``lag`` is a
    delay of 0 to :data:`MAX_LAG` weeks and ``effect`` the repair bookings that one more unit
    brings that many weeks later (0 to 5). ``None`` means :data:`DEFAULT_EFFECTS`; ``{}`` means
    nothing drives bookings. Zero effects are dropped.
    """
    if effects is None:
        effects = DEFAULT_EFFECTS
    if not isinstance(effects, dict):
        raise TypeError("effects must be a dict such as {'questions_answered': {1: 0.25, 2: 0.15}}; "
                        f"got {type(effects).__name__}.")
    tidy: dict[str, dict[int, float]] = {}
    for metric, by_lag in effects.items():
        if metric not in DRIVER_CANDIDATES:
            raise ValueError(f"effects keys must be among {', '.join(DRIVER_CANDIDATES)} (followers "
                             f"is a running total: use new_followers; bookings is the outcome); "
                             f"got {metric!r}.")
        if not isinstance(by_lag, dict) or not by_lag:
            raise TypeError(f"effects[{metric!r}] must be a non-empty dict of {{lag in weeks: "
                            f"bookings per unit}}, such as {{1: 0.25}}; got {by_lag!r}.")
        for lag, size in by_lag.items():
            if isinstance(lag, bool) or not isinstance(lag, numbers.Integral) or not 0 <= lag <= MAX_LAG:
                raise ValueError(f"lags in effects[{metric!r}] must be whole numbers of weeks from 0 "
                                 f"to {MAX_LAG}; got {lag!r}.")
            size = _check_real(f"effects[{metric!r}][{lag}]", size, 0.0, 5.0)
            if size > 0:
                tidy.setdefault(metric, {})[int(lag)] = size
    return {m: dict(sorted(tidy[m].items())) for m in DRIVER_CANDIDATES if m in tidy}


def true_drivers(effects=None) -> tuple[str, ...]:
    """The figures that drive bookings under ``effects`` (default: the built-in structure)."""
    return tuple(check_effects(effects))


def season_index(weeks) -> np.ndarray:
    """Demand in each week relative to the yearly average (1 = average), before noise.

    ``weeks`` are week numbers counted from :data:`START` (0, 1, 2, ...); the peak is mid-July.
    """
    t = np.asarray(weeks, dtype=float)
    return 1.0 + np.cos(2 * np.pi * (t - _PEAK_WEEK) / (365.25 / 7))


# --- making the data ----------------------------------------------------------------------------
def make_outcomes(seed: int = DEFAULT_SEED, weeks: int = DEFAULT_WEEKS, *, effects=None,
                  season: float = DEFAULT_SEASON, noise: float = DEFAULT_NOISE) -> pd.DataFrame:
    """Weekly social media figures and repair bookings for Cobble & Chain (see :data:`COLUMNS`).

    ``seed`` fixes the random weeks; ``weeks`` is how many (20 to 520, from :data:`START`);
    ``effects`` is the causal structure (see :func:`check_effects`; default
    :data:`DEFAULT_EFFECTS`); ``season`` how strongly demand swings with the seasons (0 to 0.8);
    ``noise`` the spread of bookings that nothing in the table explains (0 to 10). The shipped
    ``outcomes.csv`` is ``make_outcomes(2026)``.

    >>> make_outcomes(seed=3, weeks=30).equals(make_outcomes(seed=3, weeks=30))
    True
    """
    seed, n = _check_seed(seed), _check_weeks(weeks)
    effects = check_effects(effects)
    amplitude = _check_real("season", season, 0.0, 0.8)
    noise = _check_real("noise", noise, 0.0, 10.0)
    rng = np.random.default_rng(seed)

    # MAX_LAG weeks before the first row, so that early bookings have their causes too.
    t = np.arange(-MAX_LAG, n)
    swing = season_index(t) - 1.0
    demand = 1.0 + amplitude * swing  # riders about, relative to the average week
    size = len(t)

    # Effort varies for reasons of its own: busy weeks, holidays, who is on the counter.
    answer_share = np.clip(rng.normal(0.62, 0.17, size), 0.08, 1.0)
    reply_share = np.clip(rng.normal(0.55, 0.3, size), 0.0, 1.0)
    asked = rng.poisson(_QUESTIONS_ASKED * demand)
    questions_answered = rng.binomial(asked, answer_share)
    reviews = rng.poisson(_REVIEWS * demand)
    review_replies = rng.binomial(reviews, reply_share)

    # Followers: a few join each week, more in summer, and a few leave. Nothing here drives bookings.
    gains = rng.poisson(_NEW_FOLLOWERS * demand ** 1.5)
    followers = np.empty(size, dtype=np.int64)
    new_followers = np.empty(size, dtype=np.int64)
    level = _FOLLOWERS_START
    for i in range(size):
        change = gains[i] - rng.binomial(level, _UNFOLLOW_RATE)
        level += change
        followers[i], new_followers[i] = level, change
    # Likes follow the audience and the weather (summer ride photos), with a lot of luck.
    likes = rng.poisson(_LIKES_PER_FOLLOWER * followers * demand ** 1.6
                        * np.exp(rng.normal(-0.045, 0.3, size)))

    weekly = {"new_followers": new_followers, "likes": likes,
              "questions_answered": questions_answered, "review_replies": review_replies}
    expected = _BASE_BOOKINGS * demand
    for metric, by_lag in effects.items():
        values = weekly[metric].astype(float)
        for lag, effect in by_lag.items():
            # bookings in week t respond to the figure of week t - lag; the first weeks' causes
            # lie before the burn-in, so they get the figure's typical level
            caused = np.concatenate([np.full(lag, values.mean()), values[:size - lag]])
            expected += effect * caused
    bookings = np.maximum(np.round(expected + rng.normal(0.0, noise, size)), 0).astype(np.int64)

    keep = slice(MAX_LAG, None)
    data = pd.DataFrame({
        "week": pd.date_range(START, periods=n, freq="7D"),
        "followers": followers[keep],
        "new_followers": new_followers[keep],
        "likes": likes[keep].astype(np.int64),
        "questions_answered": questions_answered[keep].astype(np.int64),
        "review_replies": review_replies[keep].astype(np.int64),
        "bookings": bookings[keep],
    })
    return validate_outcomes(data)


def write_outcomes(data: pd.DataFrame, path) -> Path:
    """Write ``data`` as CSV (weeks as dates); return the path written."""
    data = validate_outcomes(data)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data.to_csv(path, index=False, date_format="%Y-%m-%d", lineterminator="\n")
    return path


def load_outcomes(path=None) -> pd.DataFrame:
    """Read the weekly figures (by default the shipped ``outcomes.csv``) and check them.

    Raises ``FileNotFoundError`` saying how to make the file if it is missing, and ``ValueError``
    naming the column if the table is not a table of weekly figures.
    """
    path = DATA_PATH if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No weekly figures at {path}. Generate them with `python -m socialkit.data.outcomes "
            f"--seed {DEFAULT_SEED}`, or use make_outcomes({DEFAULT_SEED}) directly.")
    return validate_outcomes(pd.read_csv(path))


# --- checking a table ---------------------------------------------------------------------------
def validate_outcomes(data) -> pd.DataFrame:
    """Check that ``data`` is a table of weekly figures and return a tidy copy.

    Checks the columns (:data:`COLUMNS`; extra ones are dropped), that weeks are dates seven days
    apart in order, and that every figure is a whole number, 0 or more, with no gaps.
    """
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame of weekly figures; got {type(data).__name__}.")
    missing = [c for c in COLUMNS if c not in data.columns]
    if missing:
        raise ValueError(f"data is missing the column(s) {', '.join(map(repr, missing))}; a table "
                         f"of weekly figures has {', '.join(COLUMNS)}.")
    if len(data) < 20:
        raise ValueError(f"data must hold at least 20 weeks to compare weeks with each other; "
                         f"it has {len(data)}.")
    week = data["week"]
    try:
        weeks = week.to_numpy(dtype="datetime64[ns]") if pd.api.types.is_datetime64_any_dtype(week) \
            else pd.to_datetime(week, format="%Y-%m-%d").to_numpy(dtype="datetime64[ns]")
    except (TypeError, ValueError):
        raise ValueError("column 'week' must hold dates like '2024-01-01'; the first is "
                         f"{week.iloc[0]!r}.") from None
    if np.isnat(weeks).any() or not (np.diff(weeks) == np.timedelta64(7, "D")).all():
        raise ValueError("column 'week' must hold one date per week, seven days apart, in order, "
                         "with no gaps.")
    columns = {"week": weeks}
    for column in COLUMNS:
        if column == "week":
            continue
        values = data[column].to_numpy()
        if values.dtype.kind not in "iuf":
            try:
                values = pd.to_numeric(data[column]).to_numpy()
            except (TypeError, ValueError):
                raise TypeError(f"column {column!r} must hold whole numbers.") from None
        values = values.astype(float)
        if np.isnan(values).any():
            raise ValueError(f"column {column!r} has empty values: every week has a figure.")
        # new_followers may be negative: a week when more people left than joined.
        low = -np.inf if column == "new_followers" else 0
        bad = (values < low) | (values != np.round(values))
        if bad.any():
            allowed = "whole numbers" if column == "new_followers" else "whole numbers, 0 or more"
            raise ValueError(f"column {column!r} must hold {allowed}; found {values[bad][0]:g}.")
        columns[column] = values.astype(np.int64)
    if (np.diff(columns["followers"]) != columns["new_followers"][1:]).any():
        raise ValueError("column 'new_followers' must be each week's change in 'followers' (this "
                         "week's followers minus last week's).")
    return pd.DataFrame(columns)


# --- command line -------------------------------------------------------------------------------
def main(argv=None) -> int:
    """``python -m socialkit.data.outcomes --seed 2026`` (writes the shipped file unless ``--out``)."""
    parser = argparse.ArgumentParser(
        prog="python -m socialkit.data.outcomes",
        description=f"Generate two synthetic years of {case.NAME}'s weekly social media figures "
                    "and repair bookings.")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--weeks", type=int, default=DEFAULT_WEEKS,
                        help=f"number of weeks (default {DEFAULT_WEEKS})")
    parser.add_argument("--out", type=Path, default=DATA_PATH,
                        help="CSV file to write (default: the package's shipped outcomes.csv)")
    args = parser.parse_args(argv)
    try:
        data = make_outcomes(args.seed, args.weeks)
    except (TypeError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    path = write_outcomes(data, args.out)
    print(f"Wrote {len(data)} synthetic weeks (seed {args.seed}) to {path}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

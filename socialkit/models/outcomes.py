"""Chapter 6, *From tools to outcomes*: which social media figures lead to business results.

Four small tools, each a few lines of numpy or pandas:

* **lagged correlations** (:func:`lagged_correlation`, :func:`lagged_correlations`): does a figure
  in one week move with repair bookings ``lag`` weeks later?
* **removing the season** (:func:`deseasonalise`): spring and summer lift everything at once, so
  each figure is compared with what the time of year would lead you to expect;
* **vanity or linked** (:func:`linked_metrics`, :func:`vanity_metrics`, :func:`lag_effects`,
  :func:`contributions`): the rule the chapter uses to tell figures that lead to bookings from
  figures that only look good, and how many bookings each unit of a linked figure brings;
* **silo or integrated** (:class:`Integration`, :func:`effort_bookings`): the same four hours of
  answering questions, kept inside social media or linked to search, the website and the counter.

The data (synthetic, seeded, with a known causal structure) and their schema live in
:mod:`socialkit.data.outcomes` and are re-exported here. The six stages of social business
(Li & Solis, 2013) are :data:`STAGES`, with :func:`social_business_stage` for a self-assessment.
Functions are pure and check their arguments; errors name the argument and what is allowed.

>>> data = make_outcomes(seed=1)
>>> vanity_metrics(data)
['new_followers', 'likes']
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from ..data import case
from ..data.outcomes import (ALTIMETER_2013, ALTIMETER_SAMPLE, COLUMNS, DEFAULT_EFFECTS,
                             DEFAULT_SEED, DEFAULT_WEEKS, DRIVER_CANDIDATES, MAX_LAG,
                             METRIC_LABELS, OUTCOME, SOCIAL_METRICS, check_effects, load_outcomes,
                             make_outcomes, true_drivers, validate_outcomes)
from .validation import check_choice, check_number

__all__ = [
    # re-exported from socialkit.data.outcomes
    "COLUMNS", "SOCIAL_METRICS", "OUTCOME", "METRIC_LABELS", "DRIVER_CANDIDATES", "MAX_LAG",
    "DEFAULT_SEED", "DEFAULT_WEEKS", "DEFAULT_EFFECTS", "ALTIMETER_2013", "ALTIMETER_SAMPLE",
    "make_outcomes", "load_outcomes", "validate_outcomes", "check_effects", "true_drivers",
    # the analysis
    "WEEKS_PER_YEAR", "LINK_LAGS", "LINK_THRESHOLD", "lagged_correlation", "lagged_correlations",
    "seasonal_fit", "deseasonalise", "linked_metrics", "vanity_metrics", "strongest_lag",
    "lag_effects", "contributions",
    # the six stages
    "Stage", "STAGES", "STAGE_NAMES", "BEFORE_PLANNING", "social_business_stage",
    # silo or integrated
    "LINKS", "LINK_LABELS", "LINK_LEVELS", "Integration", "effort_bookings", "break_even_week",
]

#: Weeks in a year, for the seasonal curve.
WEEKS_PER_YEAR = 365.25 / 7
#: The delays, in weeks, at which the chapter's rule looks for a link to bookings.
LINK_LAGS = (1, 2, 3)
#: The smallest correlation (after removing the season) that the rule counts as a link.
LINK_THRESHOLD = 0.3


# --- checks ---------------------------------------------------------------------------------------
def _check_table(data, columns) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame of weekly figures; got {type(data).__name__}.")
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise ValueError(f"data is missing the column(s) {', '.join(map(repr, missing))}; load it "
                         "with load_outcomes() or make_outcomes().")
    return data


def _check_lag(lag, name: str = "lag") -> int:
    if isinstance(lag, bool) or not isinstance(lag, numbers.Integral) or not 0 <= lag <= 26:
        raise ValueError(f"{name} must be a whole number of weeks from 0 to 26; got {lag!r}.")
    return int(lag)


def _check_lags(lags, name: str = "lags") -> tuple[int, ...]:
    if isinstance(lags, (str, bytes)) or not hasattr(lags, "__iter__"):
        raise TypeError(f"{name} must be a list of whole numbers of weeks, such as [1, 2, 3]; "
                        f"got {lags!r}.")
    lags = tuple(_check_lag(lag, f"each of {name}") for lag in lags)
    if not lags or len(set(lags)) != len(lags):
        raise ValueError(f"{name} must hold at least one lag, each once; got {lags!r}.")
    return lags


def _check_metrics(data, metrics) -> tuple[str, ...]:
    if metrics is None:
        metrics = tuple(m for m in SOCIAL_METRICS if m in data.columns)
    if isinstance(metrics, str):
        metrics = (metrics,)
    metrics = tuple(metrics)
    if not metrics:
        raise ValueError("metrics must name at least one column.")
    for metric in metrics:
        if not isinstance(metric, str) or metric not in data.columns:
            raise ValueError(f"metric {metric!r} is not a column of data; the columns are "
                             f"{', '.join(map(str, data.columns))}.")
    return metrics


# --- lagged correlations --------------------------------------------------------------------------
def lagged_correlation(data: pd.DataFrame, metric: str, lag: int, outcome: str = OUTCOME) -> float:
    """Correlation between ``metric`` in a week and ``outcome`` ``lag`` weeks later.

    ``lag=0`` compares the same week; ``lag=1`` each week's figure with the next week's bookings.
    Pairs with a missing value are left out (shifting leaves ``lag`` weeks without a partner).

    >>> lagged_correlation(make_outcomes(seed=1), "questions_answered", 0) > 0.5  # the season
    True
    """
    data = _check_table(data, [])
    (metric,) = _check_metrics(data, [metric])
    (outcome,) = _check_metrics(data, [outcome])
    lag = _check_lag(lag)
    if lag >= len(data) - 2:
        raise ValueError(f"lag must be smaller than the number of weeks minus 2 ({len(data) - 2}); "
                         f"got {lag}.")
    return float(data[metric].astype(float).shift(lag).corr(data[outcome].astype(float)))


def lagged_correlations(data: pd.DataFrame, metrics=None, lags=range(0, MAX_LAG + 1),
                        outcome: str = OUTCOME) -> pd.DataFrame:
    """A table of :func:`lagged_correlation`: one row per lag (weeks), one column per metric.

    ``metrics`` defaults to the social figures of :data:`SOCIAL_METRICS` found in ``data``.
    """
    data = _check_table(data, [])
    metrics = _check_metrics(data, metrics)
    lags = _check_lags(lags)
    table = pd.DataFrame({m: [lagged_correlation(data, m, lag, outcome) for lag in lags]
                          for m in metrics}, index=pd.Index(lags, name="lag"))
    table.columns.name = "metric"
    return table


# --- removing the season --------------------------------------------------------------------------
def _design(n: int) -> np.ndarray:
    """Columns of the seasonal curve: a level, a steady trend and two yearly waves."""
    t = np.arange(n, dtype=float)
    w = 2 * np.pi * t / WEEKS_PER_YEAR
    return np.column_stack([np.ones(n), t / max(n - 1, 1), np.cos(w), np.sin(w),
                            np.cos(2 * w), np.sin(2 * w)])


def _numeric(data: pd.DataFrame) -> pd.DataFrame:
    numeric = data.drop(columns=[c for c in ("week",) if c in data.columns])
    numeric = numeric.select_dtypes(include="number").astype(float)
    if numeric.empty:
        raise ValueError("data has no columns of numbers to take the season out of.")
    if numeric.isna().any().any():
        raise ValueError("data has empty values; every week needs every figure.")
    if len(numeric) < 20:
        raise ValueError(f"data must hold at least 20 weeks to fit a season; it has {len(numeric)}.")
    return numeric


def seasonal_fit(data: pd.DataFrame) -> pd.DataFrame:
    """What the time of year (and a steady trend) would lead you to expect, week by week.

    For each column of numbers, a least-squares fit of a smooth curve: a level, a straight-line
    trend and a yearly wave with its first overtone (peaks and troughs need not be symmetric).
    The index is ``data["week"]`` if there is one.
    """
    numeric = _numeric(_check_table(data, []))
    design = _design(len(numeric))
    coef, *_ = np.linalg.lstsq(design, numeric.to_numpy(), rcond=None)
    fitted = pd.DataFrame(design @ coef, index=numeric.index, columns=numeric.columns)
    if "week" in data.columns:
        fitted.index = pd.Index(data["week"], name="week")
    return fitted


def deseasonalise(data: pd.DataFrame) -> pd.DataFrame:
    """Each figure minus its :func:`seasonal_fit`: how far each week was above or below what the
    time of year would lead you to expect.

    Keeps every column of numbers (``week``, if present, becomes the index), so the result goes
    straight into :func:`lagged_correlation`. A figure that only follows the seasons is close to
    0 in every week afterwards; what is left is the week-to-week variation that the season does
    not explain.
    """
    numeric = _numeric(_check_table(data, []))
    fitted = seasonal_fit(data)
    result = pd.DataFrame(numeric.to_numpy() - fitted.to_numpy(), index=fitted.index,
                          columns=numeric.columns)
    return result


# --- vanity or linked -----------------------------------------------------------------------------
def _link_arguments(data, lags, threshold):
    data = _check_table(data, [OUTCOME])
    lags = _check_lags(lags)
    threshold = check_number("threshold", threshold, low=0, high=1, low_inclusive=False)
    return data, lags, threshold


def strongest_lag(data: pd.DataFrame, metric: str, lags=LINK_LAGS, *, seasonal: bool = False) -> int:
    """The lag (of ``lags``) at which ``metric`` correlates most with bookings.

    By default the season is taken out first (:func:`deseasonalise`); ``seasonal=True`` uses the
    figures as they are.
    """
    data = _check_table(data, [OUTCOME])
    lags = _check_lags(lags)
    table = data if seasonal else deseasonalise(data)
    values = [lagged_correlation(table, metric, lag) for lag in lags]
    return lags[int(np.nanargmax(values))]


def linked_metrics(data: pd.DataFrame, lags=LINK_LAGS, threshold: float = LINK_THRESHOLD) -> list[str]:
    """The chapter's rule: the social figures linked to later bookings.

    Take the season out (:func:`deseasonalise`); a figure of :data:`SOCIAL_METRICS` is *linked* if
    its correlation with bookings reaches ``threshold`` at one of the delays ``lags`` (default 1,
    2 or 3 weeks later). Returned in the order of :data:`SOCIAL_METRICS`. A correlation is not
    proof of a cause: this is a screen for figures worth testing, not a verdict.
    """
    data, lags, threshold = _link_arguments(data, lags, threshold)
    calm = deseasonalise(data)
    metrics = [m for m in SOCIAL_METRICS if m in data.columns]
    return [m for m in metrics
            if max(lagged_correlation(calm, m, lag) for lag in lags) >= threshold]


def vanity_metrics(data: pd.DataFrame, lags=LINK_LAGS, threshold: float = LINK_THRESHOLD) -> list[str]:
    """The social figures that :func:`linked_metrics` does *not* link to bookings."""
    linked = linked_metrics(data, lags, threshold)
    return [m for m in SOCIAL_METRICS if m in data.columns and m not in linked]


def lag_effects(data: pd.DataFrame, metrics=None, lags=(1, 2)) -> pd.DataFrame:
    """Estimated extra bookings per unit of each figure, at each delay, all figures at once.

    A least-squares fit of the deseasonalised bookings on the deseasonalised figures at the given
    ``lags`` (one row per metric, one column per lag). Fitting all figures together separates
    their effects even when they move together. On the synthetic data the estimates come close to
    the effects the data were made with (:data:`DEFAULT_EFFECTS`).
    """
    data = _check_table(data, [OUTCOME])
    metrics = _check_metrics(data, metrics)
    lags = _check_lags(lags)
    calm = deseasonalise(data)
    longest = max(lags)
    columns = [calm[m].shift(lag).to_numpy() for m in metrics for lag in lags]
    design = np.column_stack([np.ones(len(calm)), *columns])[longest:]
    target = calm[OUTCOME].to_numpy()[longest:]
    if len(target) <= design.shape[1]:
        raise ValueError(f"data has too few weeks ({len(data)}) for {design.shape[1]} estimates.")
    coef, *_ = np.linalg.lstsq(design, target, rcond=None)
    table = pd.DataFrame(coef[1:].reshape(len(metrics), len(lags)), index=pd.Index(metrics, name="metric"),
                         columns=pd.Index(lags, name="lag"))
    return table


def contributions(data: pd.DataFrame, metrics=None, lags=(1, 2)) -> pd.DataFrame:
    """For each figure: its weekly average, the bookings one unit brings (all lags together, from
    :func:`lag_effects`) and the bookings a week it accounts for on average."""
    data = _check_table(data, [OUTCOME])
    effects = lag_effects(data, metrics, lags)
    table = pd.DataFrame({
        "weekly_average": [float(data[m].mean()) for m in effects.index],
        "bookings_per_unit": effects.sum(axis=1).to_numpy(),
    }, index=effects.index)
    table["bookings_per_week"] = table["weekly_average"] * table["bookings_per_unit"]
    table["share_of_bookings"] = table["bookings_per_week"] / float(data[OUTCOME].mean())
    return table


# --- the six stages of social business ------------------------------------------------------------
@dataclass(frozen=True)
class Stage:
    """One of the six stages of social business (names from Li & Solis, 2013; text in our words)."""

    name: str
    summary: str
    check: str


#: The six stages, in order. The names are Li & Solis's (2013); the summaries and the yes/no
#: questions are the kit's own short reading of them for a small business.
STAGES: tuple[Stage, ...] = (
    Stage("Planning", "listening to learn where customers are and what they need, before acting",
          "Have we listened to what our customers say online, and written down what we learned?"),
    Stage("Presence", "accounts on the channels that matter, kept up and recognisably ours",
          "Are we present, and kept up to date, on the channels where most of our customers are?"),
    Stage("Engagement", "conversations: answering questions and complaints, not only posting",
          "Do we answer customers' questions and complaints there, most weeks?"),
    Stage("Formalized", "a routine with an owner, written guidelines and objectives",
          "Does social media have an owner, a weekly routine and written guidelines?"),
    Stage("Strategic", "social media tied to business goals and measured by business results",
          "Is our social media measured by a business outcome, such as bookings, not by followers?"),
    Stage("Converged", "social is part of how the whole business works: service, website, offer",
          "Do what customers say online and what we learn there change our service, website and "
          "offer as a matter of course?"),
)
STAGE_NAMES = tuple(s.name for s in STAGES)
BEFORE_PLANNING = "Not yet at Planning"


def social_business_stage(answers) -> str:
    """The stage an organisation has reached from yes/no answers to the :data:`STAGES` checks.

    ``answers`` is either six True/False values in stage order or a dict ``{stage name: bool}``
    naming all six stages. The stage reached is the last one of the unbroken run of "yes" from
    Planning: a business that skipped a stage has not reached the ones after it yet. All "no"
    gives ``"Not yet at Planning"``.

    >>> social_business_stage([True, True, True, False, False, False])
    'Engagement'
    """
    if isinstance(answers, dict):
        unknown = sorted(set(answers) - set(STAGE_NAMES))
        missing = [n for n in STAGE_NAMES if n not in answers]
        if unknown or missing:
            raise ValueError(f"answers must name each of the six stages ({', '.join(STAGE_NAMES)}) "
                             f"once; missing {missing or 'none'}, unknown {unknown or 'none'}.")
        answers = [answers[n] for n in STAGE_NAMES]
    if isinstance(answers, (str, bytes)) or not hasattr(answers, "__iter__"):
        raise TypeError(f"answers must be six True/False values in stage order, or a dict of them "
                        f"by stage name; got {answers!r}.")
    answers = list(answers)
    if len(answers) != len(STAGES) or not all(isinstance(a, (bool, np.bool_)) for a in answers):
        raise ValueError(f"answers must be exactly six True/False values, one per stage "
                         f"({', '.join(STAGE_NAMES)}); got {answers!r}.")
    reached = BEFORE_PLANNING
    for stage, yes in zip(STAGES, answers):
        if not yes:
            break
        reached = stage.name
    return reached


# --- silo or integrated ---------------------------------------------------------------------------
#: What the team's answers can be linked to, besides social media itself.
LINKS = ("search", "web", "service")
LINK_LABELS = {
    "search": "search: answers kept where people searching find them (the Maps profile's Q&A)",
    "web": "web content: the best answers gathered on the shop's website as how-to pages",
    "service": "service: the counter and workshop see every question and fix the causes",
}
#: The explorer's steps, from social media as a silo to linked to all three.
LINK_LEVELS = {
    "Silo": (),
    "+ search": ("search",),
    "+ web content": ("search", "web"),
    "+ service": ("search", "web", "service"),
}


@dataclass(frozen=True)
class Integration:
    """Assumptions of the silo-or-integrated model, in business terms (all can be changed).

    The defaults are assumptions for a small shop, not measurements; ``bookings_per_answer`` is
    the effect of one answered question built into the chapter's synthetic data (0.4 + 0.15).
    """

    hours: float = case.WEEKLY_SOCIAL_HOURS  # hours a week the team spends answering, in total
    answers_per_hour: float = 6.0            # questions one hour answers
    bookings_per_answer: float = 0.55        # bookings one answered question brings
    kept_share: float = 0.3                  # share of answers worth keeping (common questions)
    finds_per_week: dict = field(default_factory=lambda: {"search": 0.6, "web": 0.5})
    #                                        # people a week who find one kept answer, by link
    reader_conversion: float = 0.1           # a reader books this fraction as often as an asker
    service_lift: float = 0.2                # extra bookings per answer when service is linked
    link_cost: dict = field(default_factory=lambda: {"search": 0.1, "web": 0.1, "service": 0.05})
    #                                        # share of the hours each link takes
    half_life: float = 26.0                  # weeks until a kept answer is found half as often

    def __post_init__(self):
        check_number("hours", self.hours, low=0, high=80)
        check_number("answers_per_hour", self.answers_per_hour, low=0, high=100)
        check_number("bookings_per_answer", self.bookings_per_answer, low=0, high=10)
        check_number("kept_share", self.kept_share, low=0, high=1)
        check_number("reader_conversion", self.reader_conversion, low=0, high=1)
        check_number("service_lift", self.service_lift, low=0, high=5)
        check_number("half_life", self.half_life, low=0, low_inclusive=False, high=1000)
        for name, allowed in (("finds_per_week", ("search", "web")), ("link_cost", LINKS)):
            value = getattr(self, name)
            if not isinstance(value, dict) or set(value) != set(allowed):
                raise ValueError(f"{name} must be a dict with exactly the keys "
                                 f"{', '.join(allowed)}; got {value!r}.")
            for key, number in value.items():
                check_number(f"{name}[{key!r}]", number, low=0, high=50 if name == "finds_per_week" else 1)
        if sum(self.link_cost.values()) >= 1:
            raise ValueError("link_cost must leave some hours for answering: its shares must add "
                             f"up to less than 1; they add up to {sum(self.link_cost.values()):g}.")

    def with_(self, **changes) -> "Integration":
        """A copy with some assumptions changed (checked like the original)."""
        names = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ValueError(f"unknown assumption(s) {unknown}; the assumptions are "
                             f"{', '.join(sorted(names))}.")
        return replace(self, **changes)


def _check_links(links) -> tuple[str, ...]:
    if isinstance(links, str):  # a level of LINK_LEVELS, or one link
        links = LINK_LEVELS[links] if links in LINK_LEVELS else (links,)
    links = tuple(links)
    for link in links:
        check_choice("each link", link, LINKS)
    if len(set(links)) != len(links):
        raise ValueError(f"links must name each link once; got {links!r}.")
    return links


def effort_bookings(links=(), weeks: int = DEFAULT_WEEKS, assumptions: Integration | None = None,
                    **changes) -> np.ndarray:
    """Bookings each week that the team's answering brings, over ``weeks`` weeks.

    ``links`` is a list of :data:`LINKS` (or a name of :data:`LINK_LEVELS`); ``()`` is the silo.
    Each week the hours left after linking (``hours * (1 - sum of link costs)``) answer questions,
    and each answer brings ``bookings_per_answer`` bookings (``1 + service_lift`` times as many
    when service is linked). When answers are linked to search or to web content, the kept share
    of them stays online, found each week by ``finds_per_week`` people per link, each booking
    ``reader_conversion`` times as often as an asker; kept answers lose half their readers every
    ``half_life`` weeks. Assumptions come from ``assumptions`` (default :class:`Integration`())
    with any ``changes`` applied, e.g. ``effort_bookings(["search"], half_life=4)``.
    """
    links = _check_links(links)
    if isinstance(weeks, bool) or not isinstance(weeks, numbers.Integral) or not 1 <= weeks <= 1040:
        raise ValueError(f"weeks must be a whole number from 1 to 1040; got {weeks!r}.")
    a = assumptions if assumptions is not None else Integration()
    if not isinstance(a, Integration):
        raise TypeError(f"assumptions must be an Integration(...); got {type(a).__name__}.")
    a = a.with_(**changes) if changes else a
    answers = a.hours * a.answers_per_hour * (1 - sum(a.link_cost[link] for link in links))
    per_answer = a.bookings_per_answer * (1 + (a.service_lift if "service" in links else 0.0))
    finds = sum(a.finds_per_week[link] for link in links if link in a.finds_per_week)
    kept = answers * a.kept_share if finds > 0 else 0.0
    stay = 0.5 ** (1 / a.half_life)
    t = np.arange(1, weeks + 1)
    # kept answers online at the end of week t: kept * (1 + stay + ... + stay**(t-1))
    online = kept * (1 - stay ** t) / (1 - stay)
    return answers * per_answer + online * finds * per_answer * a.reader_conversion


def break_even_week(links, assumptions: Integration | None = None, weeks: int = 520, **changes):
    """The first week in which ``links`` bring more bookings than the silo (None if never)."""
    linked = effort_bookings(links, weeks, assumptions, **changes)
    silo = effort_bookings((), weeks, assumptions, **changes)
    ahead = np.nonzero(linked > silo + 1e-12)[0]
    return int(ahead[0]) + 1 if ahead.size else None

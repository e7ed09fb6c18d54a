"""Chapter 7, *The seven blindspots audit*: blindspots scored from evidence, and a model of blindspot 5.

The seven blindspots come from a 2009 blog post that summarises Mark Ivey's list in
*MarketingProfs Daily Fix* (see the book's references). The indicators, the thresholds and the
sharing model below are this kit's own: stated in the open, so that a reader can argue with them.

The audit
---------
Each blindspot has two or three **indicators**, numbers an organisation can count or look up (a
response rate, videos made in a year, whether a written guideline exists). Each indicator has two
stated thresholds: ``good``, the value at which the evidence shows no sign of the blindspot, and
``blind``, the value at which the blindspot is plain. In between, the severity rises in a straight
line::

    severity = 100 × clip((value − good) / (blind − good), 0, 1)

0 means *in sight*, 100 *fully blind*, whichever way round the two thresholds lie (for a response
rate higher is better; for the share of filler posts lower is better). A blindspot's **score** is
the mean severity of its indicators, and the seven scores are the organisation's **profile**.

>>> evidence = {c.indicator: c.good for c in CRITERIA}       # an organisation at every "good" mark
>>> float(audit(evidence).max())
0.0

Blindspot 5: a team that shares under guidelines
------------------------------------------------
:func:`share_outcome` compares a brand account alone with team members who also share the
business's posts from their own profiles. Team members reach people the brand does not, and are
trusted more; guidelines prevent mistakes, but the tighter they are (up to approving every post)
the fewer people share and the more their posts sound like the brand. See :class:`TeamSharing`.
"""
from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from ..data import case
from .validation import check_choice, check_number

__all__ = ["Blindspot", "BLINDSPOTS", "BLINDSPOT_KEYS", "blindspot", "Criterion", "CRITERIA",
           "INDICATORS", "criterion", "criteria_table", "LEVELS", "level", "severity",
           "check_evidence", "evidence_table", "audit_from_table", "score_indicators", "audit",
           "compare", "most_urgent", "TeamSharing", "SharingOutcome", "CONTROL_LEVELS",
           "share_outcome", "best_control"]


# --- the seven blindspots -------------------------------------------------------------------------
@dataclass(frozen=True)
class Blindspot:
    """One of the seven blindspots: its number, key, name and a short label for charts."""

    number: int
    key: str
    name: str
    label: str
    meaning: str


#: The seven blindspots, in the order of the 2009 list, each described in the kit's words.
BLINDSPOTS: tuple[Blindspot, ...] = (
    Blindspot(1, "social_mindset", "Not thinking like a social marketer", "Social mindset",
              "treating social media as a run of campaigns to broadcast, rather than open, "
              "lasting relationships in which the business gives real value and some control"),
    Blindspot(2, "strategy_link", "Not connecting social media to the business's strategy",
              "Strategy link",
              "running social media as a separate island, with no business objective and no "
              "link to the rest of the organisation's work"),
    Blindspot(3, "customer_listening", "Not listening to customers", "Listening to customers",
              "talking more than hearing: questions go unanswered, and the business is absent "
              "where its customers talk"),
    Blindspot(4, "market_listening", "Not listening to the market", "Listening to the market",
              "missing what the market says it needs: suggestions and unmet needs pass "
              "unnoticed"),
    Blindspot(5, "employee_trust", "Not trusting employees", "Trusting the team",
              "letting only one official voice speak, or controlling every word the team says, "
              "instead of giving guidelines and then freedom"),
    Blindspot(6, "social_content", "Not creating social (shareable) content", "Shareable content",
              "posting brochure copy and filler that nobody wants to pass on, instead of useful "
              "content worth sharing"),
    Blindspot(7, "useful_video", "Not creating useful videos", "Useful videos",
              "making no videos, or only product videos, instead of videos about customers' "
              "needs"),
)
BLINDSPOT_KEYS = tuple(b.key for b in BLINDSPOTS)


def blindspot(key: str) -> Blindspot:
    """The blindspot with this key (or number 1 to 7); a ValueError lists the keys if there is none."""
    for b in BLINDSPOTS:
        if key == b.key or (isinstance(key, int) and not isinstance(key, bool) and key == b.number):
            return b
    raise ValueError(f"blindspot must be one of {', '.join(BLINDSPOT_KEYS)} (or 1 to 7); got {key!r}.")


# --- the criteria ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Criterion:
    """One indicator of a blindspot and the thresholds that score it.

    ``good`` is the value with no sign of the blindspot (severity 0), ``blind`` the value at which
    it is plain (severity 100); ``low`` and ``high`` bound the values that make sense at all;
    ``unit`` is ``"share"`` (0 to 1), ``"count"`` or ``"yes/no"`` (1 yes, 0 no).
    """

    indicator: str
    blindspot: str
    question: str
    good: float
    blind: float
    low: float
    high: float
    unit: str

    def format(self, value: float) -> str:
        """The value as a reader would say it: 54%, 4, yes."""
        if self.unit == "share":
            return f"{value:.0%}"
        if self.unit == "yes/no":
            return {1.0: "yes", 0.0: "no"}.get(float(value), f"{value:g}")
        return f"{value:g}"


#: The audit's indicators and their thresholds. Shares run from 0 to 1.
CRITERIA: tuple[Criterion, ...] = (
    Criterion("public_complaints_answered", "social_mindset",
              "Share of the complaints made in public that the business answered in public",
              0.9, 0.2, 0, 1, "share"),
    Criterion("weeks_in_conversation", "social_mindset",
              "Weeks of the year in which the business replied to at least one customer in public",
              48, 12, 0, 53, "count"),
    Criterion("outcome_metrics_share", "strategy_link",
              "Share of the figures the team reviews that measure a business outcome or lead to one "
              "(bookings, questions answered), not followers or likes",
              0.6, 0.0, 0, 1, "share"),
    Criterion("jobs_using_social", "strategy_link",
              "How many of four jobs use social media or what it learns: selling, service, shaping "
              "the offer, marketing",
              4, 1, 0, 4, "count"),
    Criterion("questions_answered", "customer_listening",
              "Share of customers' questions that the business answered",
              0.9, 0.3, 0, 1, "share"),
    Criterion("absent_share", "customer_listening",
              "Share of customers' posts written on channels where the business answers fewer than "
              "one in five",
              0.05, 0.4, 0, 1, "share"),
    Criterion("suggestions_answered", "market_listening",
              "Share of customers' suggestions that the business answered",
              0.9, 0.2, 0, 1, "share"),
    Criterion("unmet_needs_answered", "market_listening",
              "Share of customers' posts about needs the business does not meet yet that got a reply",
              0.8, 0.1, 0, 1, "share"),
    Criterion("team_voices_share", "employee_trust",
              "Share of the team who may share and answer for the business in public without asking "
              "first",
              0.6, 0.0, 0, 1, "share"),
    Criterion("written_guidelines", "employee_trust",
              "A short written social media guideline that the team has read (1 yes, 0 no)",
              1, 0, 0, 1, "yes/no"),
    Criterion("approval_share", "employee_trust",
              "Share of the team's public posts about the business that wait for someone's approval",
              0.1, 0.9, 0, 1, "share"),
    Criterion("helpful_share", "social_content",
              "Share of the business's own posts that help: answers, tips, other people's useful links",
              0.6, 0.1, 0, 1, "share"),
    Criterion("filler_share", "social_content",
              "Share of the business's own posts that are filler: quotes, 'happy Monday', nothing to use",
              0.05, 0.3, 0, 1, "share"),
    Criterion("useful_videos_per_year", "useful_video",
              "Videos in the year that answer a customer's question or need",
              12, 0, 0, 1000, "count"),
    Criterion("video_needs_share", "useful_video",
              "Share of the business's videos about customers' needs rather than its own products",
              0.8, 0.2, 0, 1, "share"),
)
INDICATORS = tuple(c.indicator for c in CRITERIA)


def criterion(indicator: str) -> Criterion:
    """The criterion of ``indicator``; a ValueError lists the indicators if there is none."""
    check_choice("indicator", indicator, INDICATORS)
    return next(c for c in CRITERIA if c.indicator == indicator)


def criteria_table() -> pd.DataFrame:
    """The criteria as a table: one row per indicator, in blindspot order."""
    table = pd.DataFrame([{f.name: getattr(c, f.name) for f in fields(Criterion)} for c in CRITERIA])
    return table.set_index("indicator")


#: The three levels and the top of each, on the score shown to readers (rounded to a whole number):
#: 0 to 33 in sight, 34 to 66 partly blind, 67 to 100 blind. Bands in charts end halfway between.
LEVELS = (("in sight", 33), ("partly blind", 66), ("blind", 100))


def level(score: float) -> str:
    """``"in sight"``, ``"partly blind"`` or ``"blind"`` for a score from 0 to 100.

    The level goes with the score as it is shown, rounded to a whole number (half up), so that a
    chart never labels 67 as partly blind:

    >>> level(33.4), level(33.5), level(66.6)
    ('in sight', 'partly blind', 'blind')
    """
    score = check_number("score", score, low=0.0, high=100.0)
    shown = int(np.floor(score + 0.5))
    return next(name for name, top in LEVELS if shown <= top)


# --- scoring ---------------------------------------------------------------------------------------
def _as_numbers(name: str, value):
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name} must be a number or an array of numbers; got {value!r}.")
    try:
        values = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number or an array of numbers; got {value!r}.") from None
    if values.size and not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must hold only finite numbers; found NaN or infinity.")
    return values


def severity(value, good, blind):
    """How blind one piece of evidence shows the organisation to be, from 0 (in sight) to 100 (blind).

    ``100 × clip((value − good) / (blind − good), 0, 1)``. Works on numbers, numpy arrays and pandas
    columns alike (a Series comes back as a Series with the same index).

    >>> severity(0.6, good=0.9, blind=0.3)    # a 60% response rate, halfway between the marks
    50.0
    >>> severity(0.95, good=0.9, blind=0.3)   # better than good is still 0
    0.0
    """
    values = _as_numbers("value", value)
    goods, blinds = _as_numbers("good", good), _as_numbers("blind", blind)
    if np.any(goods == blinds):
        raise ValueError("good and blind must differ: severity rises from the good mark to the "
                         f"blind mark; got good={good!r}, blind={blind!r}.")
    result = 100.0 * np.clip((values - goods) / (blinds - goods), 0.0, 1.0) + 0.0  # no -0.0
    for original in (value, good, blind):
        if isinstance(original, pd.Series):
            return pd.Series(result, index=original.index, name="severity")
    return float(result) if result.ndim == 0 else result


def check_evidence(evidence) -> pd.Series:
    """``evidence`` (a dict or Series, indicator → value) as a Series in :data:`INDICATORS` order.

    Raises a ``TypeError`` or ``ValueError`` that names the indicator and the values allowed.
    """
    if isinstance(evidence, pd.DataFrame) and "value" in evidence.columns:
        evidence = evidence["value"]
    if isinstance(evidence, dict):
        evidence = pd.Series(evidence, dtype=object)
    if not isinstance(evidence, pd.Series):
        raise TypeError("evidence must be a dict or a pandas Series mapping each indicator to its "
                        f"value; got {type(evidence).__name__}.")
    if not evidence.index.is_unique:
        repeated = sorted(set(evidence.index[evidence.index.duplicated()]))
        raise ValueError(f"evidence lists an indicator more than once: {', '.join(map(str, repeated))}.")
    unknown = [str(i) for i in evidence.index if i not in INDICATORS]
    if unknown:
        raise ValueError(f"evidence has unknown indicator(s) {', '.join(unknown)}; the indicators "
                         f"are {', '.join(INDICATORS)}.")
    missing = [i for i in INDICATORS if i not in evidence.index]
    if missing:
        raise ValueError(f"evidence is missing the indicator(s) {', '.join(missing)}.")
    clean = {}
    for c in CRITERIA:
        value = evidence[c.indicator]
        if isinstance(value, (bool, np.bool_)):
            value = float(value)
        if not isinstance(value, (numbers.Real, np.number)) or isinstance(value, complex):
            raise TypeError(f"evidence for {c.indicator} must be a number ({c.question.lower()}); "
                            f"got {value!r}.")
        clean[c.indicator] = check_number(f"evidence for {c.indicator}", float(value),
                                          low=c.low, high=c.high)
    return pd.Series(clean, name="value", dtype=float).rename_axis("indicator")


def evidence_table(evidence) -> pd.DataFrame:
    """The evidence beside its criteria: the table an audit is computed from.

    Columns ``blindspot``, ``indicator``, ``value``, ``good`` and ``blind``; one row per indicator,
    in blindspot order.
    """
    values = check_evidence(evidence)
    criteria = criteria_table()
    return pd.DataFrame({
        "blindspot": criteria["blindspot"],
        "indicator": criteria.index,
        "value": values,
        "good": criteria["good"].astype(float),
        "blind": criteria["blind"].astype(float),
    }).reset_index(drop=True)


def _check_table(table) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame like evidence_table(...); got "
                        f"{type(table).__name__}.")
    missing = [c for c in ("blindspot", "value", "good", "blind") if c not in table.columns]
    if missing:
        raise ValueError(f"table is missing the column(s) {', '.join(missing)}; make it with "
                         "evidence_table(evidence).")
    unknown = sorted(set(table["blindspot"]) - set(BLINDSPOT_KEYS))
    if unknown:
        raise ValueError(f"table has unknown blindspot(s) {', '.join(map(str, unknown))}; the "
                         f"blindspots are {', '.join(BLINDSPOT_KEYS)}.")
    return table


def audit_from_table(table: pd.DataFrame) -> pd.Series:
    """The profile from an evidence table (see :func:`evidence_table`), using the table's own thresholds.

    Each row's severity, then the mean per blindspot; one score per blindspot in the table, in
    blindspot order.
    """
    table = _check_table(table)
    scores = severity(table["value"], table["good"], table["blind"])
    by_blindspot = pd.Series(np.asarray(scores, dtype=float), index=table.index).groupby(
        table["blindspot"]).mean()
    order = [k for k in BLINDSPOT_KEYS if k in by_blindspot.index]
    return by_blindspot.reindex(order).rename("score").rename_axis("blindspot")


def score_indicators(evidence) -> pd.DataFrame:
    """:func:`evidence_table` with each indicator's ``severity`` added (indexed by indicator)."""
    table = evidence_table(evidence)
    table["severity"] = severity(table["value"], table["good"], table["blind"])
    return table.set_index("indicator")


def audit(evidence) -> pd.Series:
    """The profile: one score from 0 (in sight) to 100 (blind) per blindspot, in blindspot order.

    ``evidence`` maps every indicator of :data:`INDICATORS` to its value (a dict or a Series).
    """
    return audit_from_table(evidence_table(evidence))


def compare(evidence_by_organisation) -> pd.DataFrame:
    """Profiles side by side: one row per blindspot, one column per organisation.

    ``evidence_by_organisation`` is a DataFrame with one column of evidence per organisation
    (indicators as its index) or a dict of organisation name → evidence.
    """
    if isinstance(evidence_by_organisation, pd.DataFrame):
        items = {name: evidence_by_organisation[name] for name in evidence_by_organisation.columns}
    elif isinstance(evidence_by_organisation, dict):
        items = dict(evidence_by_organisation)
    else:
        raise TypeError("evidence_by_organisation must be a DataFrame (one column per "
                        "organisation) or a dict of name -> evidence; got "
                        f"{type(evidence_by_organisation).__name__}.")
    if not items:
        raise ValueError("evidence_by_organisation is empty: give at least one organisation.")
    profiles = {}
    for name, evidence in items.items():
        try:
            profiles[name] = audit(evidence)
        except (TypeError, ValueError) as err:
            raise type(err)(f"{name}: {err}") from None
    return pd.DataFrame(profiles).rename_axis("blindspot")


def most_urgent(scores, n: int = 2) -> list[str]:
    """The ``n`` blindspots with the highest scores, highest first (ties: the earlier blindspot first)."""
    if isinstance(scores, dict):
        scores = pd.Series(scores, dtype=float)
    if not isinstance(scores, pd.Series):
        raise TypeError(f"scores must be a pandas Series of scores by blindspot, as audit() "
                        f"returns; got {type(scores).__name__}.")
    unknown = [str(k) for k in scores.index if k not in BLINDSPOT_KEYS]
    if unknown:
        raise ValueError(f"scores has unknown blindspot(s) {', '.join(unknown)}.")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or not 1 <= n <= len(scores):
        raise ValueError(f"n must be a whole number from 1 to {len(scores)} (the blindspots "
                         f"scored); got {n!r}.")
    values = _as_numbers("scores", scores.to_numpy())
    rank = sorted(range(len(scores)),
                  key=lambda i: (-values[i], BLINDSPOT_KEYS.index(scores.index[i])))
    return [scores.index[i] for i in rank[:n]]


# --- blindspot 5: a team that shares, under guidelines --------------------------------------------
#: Named points on the control scale, for sliders and prose.
CONTROL_LEVELS = {
    0.0: "no guidelines",
    0.2: "one page of guidelines",
    0.5: "detailed rules",
    0.8: "most posts approved first",
    1.0: "every post approved first",
}


@dataclass(frozen=True)
class TeamSharing:
    """The assumptions of the sharing model, in business terms. The defaults are Cobble & Chain's.

    ``market``
        people the business could ever serve, the pool every post reaches into (Cobble & Chain:
        ``case.LOCAL_RIDERS``).
    ``followers``, ``brand_reach``
        people following the business's own accounts (``case.FOLLOWERS``), and the share of them
        who see a typical post there.
    ``contacts``, ``member_reach``
        people in the market in one team member's own network (friends, neighbours, club mates),
        and the share of them who see a post that member shares.
    ``brand_trust``, ``member_trust``
        of the people who see a post, the share who trust it enough to act on it: for a post from
        the business, and for one a person they know shares in their own words.
    ``mistake_chance``
        share of the posts a team member shares with no guidelines at all that go wrong (a careless
        reply, a private detail, a promise the business cannot keep).
    ``halving_control``
        how much control halves the mistakes: 0.1 means each tenth of the control scale halves what
        is left, so that the first page of guidelines prevents most of them.
    ``mistake_cost``
        trusted views that one public mistake undoes: small for a bike shop, large for a bank.
    ``posts_per_week``
        posts the business wants to get out each week (``case.POSTS_PER_WEEK``).

    Apart from the case's facts, every number is an assumption for teaching, not a measurement.
    """

    market: float = float(case.LOCAL_RIDERS)
    followers: float = float(case.FOLLOWERS)
    brand_reach: float = 0.2
    contacts: float = 300.0
    member_reach: float = 0.3
    brand_trust: float = 0.10
    member_trust: float = 0.30
    mistake_chance: float = 0.01
    halving_control: float = 0.1
    mistake_cost: float = 1000.0
    posts_per_week: float = float(case.POSTS_PER_WEEK)

    def __post_init__(self):
        for f in fields(self):
            object.__setattr__(self, f.name, check_number(f.name, getattr(self, f.name), low=0.0))
        check_number("market", self.market, low=1.0)
        for name in ("followers", "contacts"):
            check_number(name, getattr(self, name), low=0.0, high=self.market)
        for name in ("brand_reach", "member_reach", "brand_trust", "member_trust", "mistake_chance"):
            check_number(name, getattr(self, name), low=0.0, high=1.0)
        check_number("halving_control", self.halving_control, low=0.0, high=1.0, low_inclusive=False)
        check_number("posts_per_week", self.posts_per_week, low=0.0, high=100.0, low_inclusive=False)

    def replace(self, **changes) -> "TeamSharing":
        """A copy with some assumptions changed; an unknown name is an error that lists the names."""
        names = [f.name for f in fields(self)]
        unknown = [k for k in changes if k not in names]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not an assumption of TeamSharing; they are "
                             f"{', '.join(names)}.")
        return dataclasses.replace(self, **changes)

    @property
    def brand_audience(self) -> float:
        """People who see a typical post on the business's own account."""
        return self.followers * self.brand_reach

    @property
    def member_audience(self) -> float:
        """People who see a typical post one team member shares."""
        return self.contacts * self.member_reach


@dataclass(frozen=True)
class SharingOutcome:
    """What one mix of team members and control gives (arrays broadcast over the inputs).

    Per post: ``reach`` (people who see it at all), ``via_team`` (of whom, people who see it from a
    team member) and ``trusted`` (people who see it *and* trust it enough to act). Per year:
    ``trusted_views`` (trusted reach × posts), ``mistakes`` (expected posts that go wrong) and
    ``net`` (trusted views minus what the mistakes undo). ``sharing`` is the share of members who
    share a given post, ``member_trust`` the trust a member's post earns at this control.
    """

    members: np.ndarray
    control: np.ndarray
    sharing: np.ndarray
    member_trust: np.ndarray
    reach: np.ndarray
    via_team: np.ndarray
    trusted: np.ndarray
    trusted_views: np.ndarray
    mistakes: np.ndarray
    net: np.ndarray


def _members(members) -> np.ndarray:
    try:
        arr = np.asarray(members, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"members must be a whole number of team members (or an array of them); "
                        f"got {members!r}.") from None
    if isinstance(members, bool) or (arr.size and (not np.all(np.isfinite(arr)) or np.any(arr < 0)
                                                   or np.any(arr != np.round(arr)))):
        raise ValueError(f"members must be whole numbers >= 0 (team members who share); got {members!r}.")
    return arr


def _control(control) -> np.ndarray:
    try:
        arr = np.asarray(control, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"control must be a number from 0 (no guidelines) to 1 (every post "
                        f"approved), or an array of them; got {control!r}.") from None
    if isinstance(control, bool) or (arr.size and (not np.all(np.isfinite(arr)) or np.any(arr < 0)
                                                   or np.any(arr > 1))):
        raise ValueError(f"control must be from 0 (no guidelines) to 1 (every post approved); "
                         f"got {control!r}.")
    return arr


def share_outcome(members, control, settings: TeamSharing | None = None) -> SharingOutcome:
    """Reach, trust and risk when ``members`` team members share the business's posts under ``control``.

    ``control`` runs from 0 (no guidelines) through 0.2 (one page of guidelines, then step back)
    to 1 (every post approved first); see :data:`CONTROL_LEVELS`. The rules, per post:

    * share of members who share it: ``1 − control²`` (a page of guidelines puts few people off;
      approval of every post puts almost everyone off);
    * trust in a member's post: ``member_trust − (member_trust − brand_trust) × control`` (the more
      the words are dictated, the more the post sounds like the brand);
    * chance that a shared post goes wrong: ``mistake_chance × 0.5 ** (control / halving_control)``;
    * people reached by at least one member: ``market × (1 − (1 − sharing × member_audience /
      market) ** members)``, and by anyone, with the brand account too:
      ``market × (1 − (1 − brand_audience / market) × (1 − sharing × member_audience / market) ** members)``
      (audiences overlap at random, so a growing team reaches ever more of the same people).

    ``members`` and ``control`` may be arrays; they broadcast like numpy arrays.

    >>> alone = share_outcome(0, 0.0)          # Cobble & Chain's account on its own
    >>> round(float(alone.reach)), round(float(alone.trusted))
    (140, 14)
    """
    s = TeamSharing() if settings is None else settings
    if not isinstance(s, TeamSharing):
        raise TypeError(f"settings must be a TeamSharing(...); got {type(s).__name__}.")
    n, c = np.broadcast_arrays(_members(members), _control(control))
    sharing = 1.0 - c ** 2
    trust = s.member_trust - (s.member_trust - s.brand_trust) * c
    mistake = s.mistake_chance * 0.5 ** (c / s.halving_control)
    missed_by_team = (1.0 - sharing * min(s.member_audience / s.market, 1.0)) ** n
    via_team = s.market * (1.0 - missed_by_team)
    reach = s.market * (1.0 - (1.0 - min(s.brand_audience / s.market, 1.0)) * missed_by_team)
    trusted = (reach - via_team) * s.brand_trust + via_team * trust
    posts = 52.0 * s.posts_per_week
    trusted_views = posts * trusted
    mistakes = posts * n * sharing * mistake
    return SharingOutcome(members=n.astype(float), control=c.astype(float), sharing=sharing,
                          member_trust=trust, reach=reach, via_team=via_team, trusted=trusted,
                          trusted_views=trusted_views, mistakes=mistakes,
                          net=trusted_views - s.mistake_cost * mistakes)


def best_control(members, settings: TeamSharing | None = None, *, steps: int = 101) -> float:
    """The control level (on a grid of ``steps`` points from 0 to 1) with the highest net trusted views.

    >>> best_control(2)
    0.15
    """
    n = _members(members)
    if n.ndim != 0:
        raise ValueError(f"members must be one whole number here; got {members!r}.")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 2:
        raise ValueError(f"steps must be a whole number >= 2; got {steps!r}.")
    grid = np.linspace(0.0, 1.0, int(steps))
    net = share_outcome(n, grid, settings).net
    return round(float(grid[int(np.argmax(net))]), 6)

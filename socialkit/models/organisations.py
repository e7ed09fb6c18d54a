"""Chapter 7's evidence: what each organisation's blindspot audit is computed from.

A model, not a data set: most of the case business's evidence is computed by the models of
earlier chapters, and every table is checked against :mod:`socialkit.models.blindspots`.

Three organisations, all **fictional**:

* **Cobble & Chain Cycles**, the case business, as it ran its social media in 2025. Most of its
  evidence is computed from earlier chapters rather than typed in:

  - chapter 4's year of customer posts (:mod:`socialkit.models.listening`): complaints answered in
    public, weeks in conversation, questions and suggestions answered, posts about unmet needs
    answered, and the share of posts written where the shop is absent (the listening gap);
  - chapter 5's 2025 feed (:mod:`socialkit.models.content`): the content mix;
  - chapter 6's two years of weekly figures (:mod:`socialkit.data.outcomes`), whose known causal
    structure says which figures lead to repair bookings, applied to the figures Maya watched in
    2025 (``case.WATCHED_METRICS_2025``);
  - the case's chapter 7 facts (``case.PUBLIC_VOICES``, ``case.VIDEOS_2025``, ...).

* **Halden Mutual**, a regional home and car insurer, and **Fernhill Climbing Centre**, an
  independent climbing gym: two organisations invented for comparison, with evidence typed in.

Each evidence table has one row per indicator of :data:`socialkit.models.blindspots.INDICATORS`,
with its ``value`` and its ``source`` (where the number comes from).

>>> float(evidence("halden_mutual").loc["written_guidelines", "value"])
1.0
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data import case, outcomes
from . import blindspots, content, listening

__all__ = ["Organisation", "ORGANISATIONS", "ORGANISATION_KEYS", "organisation", "PRIVATE_CHANNELS",
           "ABSENT_BELOW", "cobble_and_chain_evidence", "evidence",
           "evidence_values", "all_evidence", "audit_table", "random_evidence"]


@dataclass(frozen=True)
class Organisation:
    """An organisation in the chapter 7 audit."""

    key: str
    name: str
    description: str


ORGANISATIONS: tuple[Organisation, ...] = (
    Organisation("cobble_and_chain", case.NAME,
                 f"the case business: a bike repair and rental shop in {case.TOWN} with a team "
                 f"of {len(case.TEAM)} (fictional)"),
    Organisation("halden_mutual", "Halden Mutual",
                 "a regional home and car insurer with about 600 staff; a social media team of "
                 "four at head office, and every post approved by compliance (fictional)"),
    Organisation("fernhill_climbing", "Fernhill Climbing Centre",
                 "an independent climbing gym with 28 staff; the instructors post freely from "
                 "their own accounts, with no plan behind it (fictional)"),
)
ORGANISATION_KEYS = tuple(o.key for o in ORGANISATIONS)


def organisation(key: str) -> Organisation:
    """The organisation with this key; a ValueError lists the keys if there is none."""
    for o in ORGANISATIONS:
        if o.key == key:
            return o
    raise ValueError(f"key must be one of {', '.join(ORGANISATION_KEYS)}; got {key!r}.")


#: Channels where customers write to the business privately: not part of its public conversation.
PRIVATE_CHANNELS = ("whatsapp",)
#: A channel where the business answers fewer than this share of posts counts as one it is absent from.
ABSENT_BELOW = 0.2


# --- Cobble & Chain, computed ----------------------------------------------------------------------
def _content_mix() -> dict[str, float]:
    """The shop's 2025 content mix, measured on chapter 5's synthetic feed."""
    return content.mix_of(content.cobble_and_chain_feed()["kind"])


def _leads_to_outcome() -> tuple[str, ...]:
    """Chapter 6's outcome (repair bookings) and the figures that drive it in its data."""
    return (outcomes.OUTCOME, *outcomes.true_drivers())


def cobble_and_chain_evidence(posts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cobble & Chain's 2025 evidence, computed from earlier chapters (columns ``value``, ``source``).

    ``posts`` is chapter 4's posts table (default: the shipped year, ``listening.load_posts()``);
    pass another year to see how the audit would change.
    """
    posts = listening.load_posts() if posts is None else listening.validate_posts(posts)
    if posts.empty:
        raise ValueError("posts is empty: the audit needs a year of customer posts.")
    public = posts[~posts["channel"].isin(PRIVATE_CHANNELS)]
    complaints = public[public["kind"] == "complaint"]
    conversation_weeks = public.loc[public["answered"], "timestamp"].dt.to_period("W").nunique()
    by_kind = listening.response_rate(posts, by="kind")
    summary = listening.channel_summary(posts)
    absent = summary.loc[summary["response_rate"] < ABSENT_BELOW, "share_of_posts"].sum()
    unmet = posts[posts["topic"].isin(listening.UNMET_TOPICS)]
    mix = _content_mix()
    watched = case.WATCHED_METRICS_2025
    useful = _leads_to_outcome()
    videos = case.VIDEOS_2025
    ch4 = "Chapter 4, computed from the year of customer posts"
    rows = {
        "public_complaints_answered": (
            _mean(complaints["answered"]),
            f"{ch4}: complaints outside private messages ({len(complaints)}) that got an answer"),
        "weeks_in_conversation": (
            float(conversation_weeks), f"{ch4}: weeks with at least one public post answered"),
        "outcome_metrics_share": (
            sum(m in useful for m in watched) / len(watched),
            "Chapter 6, from its weekly figures: of those Maya watched in 2025 ("
            + " and ".join(watched) + "), the ones that are bookings or drive them"),
        "jobs_using_social": (
            float(sum(case.SOCIAL_JOBS_2025.values())),
            "Case facts: " + ", ".join(job for job, used in case.SOCIAL_JOBS_2025.items() if used)
            + " (not " + ", ".join(job for job, used in case.SOCIAL_JOBS_2025.items() if not used)
            + ")"),
        "questions_answered": (float(by_kind.get("question", np.nan)),
                               f"{ch4}: response rate to questions"),
        "absent_share": (
            float(absent),
            f"{ch4}: posts on channels where the shop answers fewer than {ABSENT_BELOW:.0%} "
            "(the listening gap)"),
        "suggestions_answered": (float(by_kind.get("suggestion", np.nan)),
                                 f"{ch4}: response rate to suggestions"),
        "unmet_needs_answered": (
            _mean(unmet["answered"]),
            f"{ch4}: posts about needs the shop does not meet ({len(unmet)}) that got a reply"),
        "team_voices_share": (
            len(case.PUBLIC_VOICES) / len(case.TEAM),
            f"Case facts: {len(case.PUBLIC_VOICES)} of {len(case.TEAM)} may speak for the shop "
            "in public (" + ", ".join(case.PUBLIC_VOICES) + ")"),
        "written_guidelines": (float(case.WRITTEN_GUIDELINES), "Case facts: no written guideline"
                               if not case.WRITTEN_GUIDELINES else "Case facts: a written guideline"),
        "approval_share": (float(case.APPROVAL_SHARE),
                           "Case facts: the rest of the team's public posts wait for Maya"),
        "helpful_share": (mix["helpful"], "Chapter 5, computed from the shop's 2025 feed: helpful posts"),
        "filler_share": (mix["filler"], "Chapter 5, computed from the shop's 2025 feed: filler posts"),
        "useful_videos_per_year": (float(videos["customer_needs"]),
                                   "Case facts: Tomás's repair how-tos in 2025"),
        "video_needs_share": (
            videos["customer_needs"] / max(sum(videos.values()), 1),
            "Case facts: videos about customers' needs, of all the shop's videos in 2025"),
    }
    return _table(rows)


def _mean(flags: pd.Series) -> float:
    if flags.empty:
        raise ValueError("posts has no posts of a kind the audit needs (complaints, or posts "
                         "about unmet needs): give it a whole year of posts.")
    return float(flags.mean())


def _table(rows: dict) -> pd.DataFrame:
    table = pd.DataFrame(rows, index=["value", "source"]).T.rename_axis("indicator")
    table["value"] = blindspots.check_evidence(table["value"].astype(float))
    return table.loc[list(blindspots.INDICATORS)]


# --- the two fictional organisations -----------------------------------------------------------------
_TYPED_IN = "Typed in (fictional)"
_HALDEN = {
    "public_complaints_answered": (0.70, "answers in public, then moves the talk to private messages"),
    "weeks_in_conversation": (52, "a service team answers every week of the year"),
    "outcome_metrics_share": (0.70, "reports quotes, claims handled and retention"),
    "jobs_using_social": (4, "selling, service, product and marketing all use it"),
    "questions_answered": (0.85, "service team, office hours"),
    "absent_share": (0.08, "present wherever customers post"),
    "suggestions_answered": (0.15, "suggestions are not anyone's job"),
    "unmet_needs_answered": (0.10, "requests for new cover go unanswered"),
    "team_voices_share": (0.01, "the four people of the social team, of about 600"),
    "written_guidelines": (1, "a 30-page policy"),
    "approval_share": (1.00, "compliance approves every post"),
    "helpful_share": (0.30, "some guides to making a claim"),
    "filler_share": (0.05, "almost none"),
    "useful_videos_per_year": (1, "one video on making a claim"),
    "video_needs_share": (0.10, "the rest are television adverts"),
}
_FERNHILL = {
    "public_complaints_answered": (0.55, "whoever sees a complaint first may answer it"),
    "weeks_in_conversation": (26, "bursts around competitions and new routes"),
    "outcome_metrics_share": (0.00, "nobody reviews any figures"),
    "jobs_using_social": (1, "marketing only"),
    "questions_answered": (0.70, "instructors answer when they see a question"),
    "absent_share": (0.10, "present where climbers talk"),
    "suggestions_answered": (0.60, "route setters reply to route ideas"),
    "unmet_needs_answered": (0.50, "requests for kids' sessions get a reply"),
    "team_voices_share": (0.80, "most instructors post about the centre"),
    "written_guidelines": (0, "no guideline"),
    "approval_share": (0.15, "posts about prices go to the manager first"),
    "helpful_share": (0.55, "technique tips and route news"),
    "filler_share": (0.10, "some motivational posts"),
    "useful_videos_per_year": (40, "technique videos by the instructors"),
    "video_needs_share": (0.70, "mostly technique, some product promotion"),
}


def _typed(rows: dict) -> pd.DataFrame:
    return _table({k: (float(v), f"{_TYPED_IN}: {note}") for k, (v, note) in rows.items()})


# --- access -----------------------------------------------------------------------------------------
def evidence(key: str) -> pd.DataFrame:
    """The evidence table of organisation ``key``: ``value`` and ``source`` per indicator."""
    organisation(key)  # checks the key
    if key == "cobble_and_chain":
        return cobble_and_chain_evidence()
    return _typed(_HALDEN if key == "halden_mutual" else _FERNHILL)


def evidence_values(key: str) -> pd.Series:
    """Just the values of :func:`evidence`, indicator → value."""
    return evidence(key)["value"].astype(float).rename(key)


def all_evidence() -> pd.DataFrame:
    """Every organisation's evidence values side by side: indicators × organisation keys."""
    return pd.DataFrame({key: evidence_values(key) for key in ORGANISATION_KEYS})


def audit_table(key: str) -> pd.DataFrame:
    """Organisation ``key``'s evidence beside the criteria: the table the exercise computes from.

    Columns ``blindspot``, ``indicator``, ``value``, ``good`` and ``blind`` (see
    :func:`socialkit.models.blindspots.evidence_table`).
    """
    return blindspots.evidence_table(evidence_values(key))


def random_evidence(seed: int) -> pd.Series:
    """Evidence of a made-up organisation, for checking that an audit is computed, not remembered.

    Shares are drawn between 0 and 1 (two decimals), counts as whole numbers within each
    indicator's range (weeks 0 to 52, jobs 0 to 4, videos 0 to 40), the guideline as 0 or 1. The
    same seed always gives the same organisation.
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise TypeError(f"seed must be a whole number >= 0; got {seed!r}.")
    rng = np.random.default_rng([int(seed), 7])
    tops = {"weeks_in_conversation": 52, "jobs_using_social": 4, "useful_videos_per_year": 40,
            "written_guidelines": 1}
    values = {}
    for c in blindspots.CRITERIA:
        if c.indicator in tops:
            values[c.indicator] = float(rng.integers(0, tops[c.indicator] + 1))
        else:
            values[c.indicator] = float(np.round(rng.uniform(0.0, 1.0), 2))
    return pd.Series(values, name=f"made-up organisation {seed}").rename_axis("indicator")

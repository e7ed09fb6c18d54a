"""Exercise 1's numbers: Lindenford's assumed Bass coefficients and the team's weekly hours.

A student's ``p`` and ``q`` are drawn in a range one might assume for a small town where
neighbours talk (``p`` from 0.01 to 0.04, ``q`` from 0.35 to 0.65), their hours so that most of
the team's time goes to listening. Each draw is kept only if every number the exercise asks for
(the listening share, how much more a four-year wait costs than a one-year wait, the peak year,
the share moved by then) is clearly not the public variant's, so no public answer passes for a
student's; see :func:`answers`.

>>> numbers(None)
{'p': 0.02, 'q': 0.5, 'weekly_hours': 4, 'listening_hours': 3}
>>> mine = numbers(12345)
>>> 0.01 <= mine["p"] <= 0.04 and 0.35 <= mine["q"] <= 0.65
True
>>> mine["weekly_hours"] / 2 < mine["listening_hours"] < mine["weekly_hours"] <= 7
True
>>> {name: round(value, 3) for name, value in answers(numbers(None)).items()}
{'listening_share': 0.75, 'times_as_costly': 12.686, 'peak_year': 6.19, 'moved_at_peak': 0.48}
"""
from __future__ import annotations

import numpy as np

from ...models import bass
from ...models import relevance as model

EXERCISE = "01-ignorance-arrogance-irrelevance"
PUBLIC = {"p": 0.02, "q": 0.5, "weekly_hours": 4, "listening_hours": 3}
#: how far each answer of a student's variant stays from the public one: several times the
#: tolerance of its hidden test (absolute, except ``times_as_costly``: relative)
MARGINS = {"listening_share": 0.02, "times_as_costly": 0.02, "peak_year": 0.25,
           "moved_at_peak": 0.006}


def answers(values: dict) -> dict:
    """What the exercise's questions 2 and 3 compute from ``values`` (the proof's reference)."""
    p, q = values["p"], values["q"]
    share = values["listening_hours"] / values["weekly_hours"]

    def lost(delay):
        return model.relevance_lost(delay, listening_share=share, p=p, q=q)

    peak = bass.peak_time(p, q)
    return {"listening_share": share, "times_as_costly": lost(4) / lost(1), "peak_year": peak,
            "moved_at_peak": float(bass.cumulative_adoption(peak, p, q))}


def _far_from_public(values: dict) -> bool:
    mine, public = answers(values), answers(PUBLIC)
    relative = {"times_as_costly"}
    return all(abs(mine[k] - public[k]) > margin * (public[k] if k in relative else 1)
               for k, margin in MARGINS.items())


def numbers(seed: int | None) -> dict:
    """The public numbers (``seed`` None) or a student's, drawn within plausible ranges."""
    if seed is None:
        return dict(PUBLIC)
    rng = np.random.default_rng([seed, 1])
    while True:  # about one draw in three is kept
        weekly_hours = int(rng.integers(3, 8))
        values = {"p": round(float(rng.uniform(0.01, 0.04)), 3),
                  "q": round(float(rng.uniform(0.35, 0.65)), 2),
                  "weekly_hours": weekly_hours,
                  "listening_hours": int(rng.integers(weekly_hours // 2 + 1, weekly_hours))}
        if _far_from_public(values):
            return values


def describe(values: dict) -> list[str]:
    """One line per number, for the student."""
    return [f"Lindenford's group, assumed: lindenford_p = {values['p']} and "
            f"lindenford_q = {values['q']}",
            f"The team's time for social media: weekly_hours = {values['weekly_hours']} hours a "
            f"week, listening_hours = {values['listening_hours']} of them for listening and "
            "answering"]

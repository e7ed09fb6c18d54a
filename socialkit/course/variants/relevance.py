"""Exercise 1's numbers: Lindenford's assumed Bass coefficients and the team's weekly hours.

>>> numbers(None)
{'p': 0.02, 'q': 0.5, 'weekly_hours': 4, 'listening_hours': 3}
>>> mine = numbers(12345)
>>> 0.01 <= mine["p"] <= 0.04 and 0.35 <= mine["q"] <= 0.65
True
>>> 2 <= mine["listening_hours"] < mine["weekly_hours"] <= 7
True
"""
from __future__ import annotations

import numpy as np

EXERCISE = "01-ignorance-arrogance-irrelevance"
PUBLIC = {"p": 0.02, "q": 0.5, "weekly_hours": 4, "listening_hours": 3}


def numbers(seed: int | None) -> dict:
    """The public numbers (``seed`` None) or a student's, drawn within plausible ranges."""
    if seed is None:
        return dict(PUBLIC)
    rng = np.random.default_rng([seed, 1])
    weekly_hours = int(rng.integers(3, 8))
    return {"p": round(float(rng.uniform(0.01, 0.04)), 3),
            "q": round(float(rng.uniform(0.35, 0.65)), 2),
            "weekly_hours": weekly_hours,
            "listening_hours": int(rng.integers(2, weekly_hours))}


def describe(values: dict) -> list[str]:
    return [f"Lindenford's group, assumed: p = {values['p']} and q = {values['q']}",
            f"The team's time for social media: {values['weekly_hours']} hours a week, "
            f"{values['listening_hours']} of them for listening and answering"]

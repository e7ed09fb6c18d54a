"""Exercise 7's numbers: each student's own evidence table for Cobble & Chain's audit.

A student's evidence is the shop's 2025 evidence (:func:`socialkit.models.organisations.audit_table`)
as another auditor might have gathered it: every share moved by chance (a spread of
:data:`SHARE_SPREAD`), every count by a sixth of its range between the marks, and the written
guideline present or not. The good and blind marks are the lesson's. The evidence is drawn again
until the two most urgent blindspots differ from the book's. The public variant is the shop's own
table.

>>> from socialkit.models import blindspots
>>> blindspots.most_urgent(blindspots.audit_from_table(numbers(None)["table"]))
['social_content', 'employee_trust']
>>> mine = numbers(12345)["table"]
>>> blindspots.most_urgent(blindspots.audit_from_table(mine)) != ['social_content', 'employee_trust']
True
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ...models import blindspots, organisations

EXERCISE = "07-seven-blindspots"
SHARE_SPREAD = 0.15


def _evidence(base: pd.Series, rng: np.random.Generator) -> pd.Series:
    values = {}
    for indicator, value in base.items():
        c = blindspots.criterion(indicator)
        if c.unit == "share":
            new = np.round(value + rng.normal(0, SHARE_SPREAD), 2)
        elif c.unit == "count":
            new = np.round(value + rng.normal(0, abs(c.good - c.blind) / 6))
        else:
            new = value if rng.random() < 0.7 else 1.0 - value
        values[indicator] = float(np.clip(new, c.low, c.high))
    return pd.Series(values, name="value").rename_axis("indicator")


def numbers(seed: int | None) -> dict:
    """The shop's evidence table (``seed`` None) or a student's own (see the module)."""
    base = organisations.evidence_values("cobble_and_chain")
    public = organisations.audit_table("cobble_and_chain")
    if seed is None:
        return {"table": public}
    rng = np.random.default_rng([seed, 7])
    urgent = blindspots.most_urgent(blindspots.audit_from_table(public))
    while True:
        table = blindspots.evidence_table(_evidence(base, rng))
        if blindspots.most_urgent(blindspots.audit_from_table(table)) != urgent:
            return {"table": table}


def describe(values: dict) -> list[str]:
    return [f"Your evidence table, cc_table: {len(values['table'])} indicators of Cobble & Chain's "
            "seven blindspots, with the lesson's good and blind marks"]

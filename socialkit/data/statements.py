"""Chapter 3's data: the kit's labelled statements, company-centric or customer-centric.

``statements.csv`` (shipped in ``socialkit/data/datasets/``) was written for the kit (see
``socialkit/data/datasets/README.md``); each row is one
statement a business might publish, labelled ``customer`` or ``company``. :func:`load` reads and
checks it; the scorer that tells the two apart is :mod:`socialkit.models.statements`.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .paths import DATA_DIR

__all__ = ["LABELS", "CUSTOMER", "COMPANY", "DATA_PATH", "COLUMNS", "Statement", "load"]

CUSTOMER = "customer"
COMPANY = "company"
#: The two labels, "customer" (customer-centric) first: it is the class a scorer looks for.
LABELS = (CUSTOMER, COMPANY)
#: The shipped data set.
DATA_PATH = DATA_DIR / "statements.csv"
COLUMNS = ("id", "business", "statement", "label")


@dataclass(frozen=True)
class Statement:
    """One labelled statement of the data set."""

    id: str
    business: str
    text: str
    label: str


def load(path: str | Path | None = None) -> list[Statement]:
    """Load and check the labelled statements (default: the kit's shipped ``statements.csv``).

    Raises ``FileNotFoundError`` if the file is missing and ``ValueError`` naming the line and
    the problem for a wrong header, an empty statement, an unknown label or a repeated id.

    >>> data = load()
    >>> len(data) >= 80, data[0].label in LABELS
    (True, True)
    """
    path = DATA_PATH if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No statements file at {path}. The kit ships it as "
                                f"socialkit/data/datasets/statements.csv: reinstall the "
                                f"package (pip install socialkit from the repository).")
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path.name} must have the columns {', '.join(COLUMNS)} in that "
                             f"order; its header is {reader.fieldnames!r}.")
        rows = list(reader)
    statements, seen = [], set()
    for line, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            raise ValueError(f"{path.name}, line {line}: expected {len(COLUMNS)} columns; "
                             "check the quotes around the statement.")
        sid, text, label = row["id"].strip(), row["statement"].strip(), row["label"].strip()
        if not sid:
            raise ValueError(f"{path.name}, line {line}: the id is empty.")
        if sid in seen:
            raise ValueError(f"{path.name}, line {line}: the id {sid!r} is used twice.")
        if not text:
            raise ValueError(f"{path.name}, line {line}: the statement is empty.")
        if label not in LABELS:
            raise ValueError(f"{path.name}, line {line}: label must be one of "
                             f"{', '.join(LABELS)}; got {label!r}.")
        seen.add(sid)
        statements.append(Statement(sid, row["business"].strip(), text, label))
    if not statements:
        raise ValueError(f"{path.name} holds no statements.")
    return statements

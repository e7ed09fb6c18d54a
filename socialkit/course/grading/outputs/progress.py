"""The grader's progress bar: tqdm, on stderr, one tick per graded notebook."""
from __future__ import annotations

import sys

from tqdm import tqdm

__all__ = ["progress_bar"]


def progress_bar(total: int, desc: str, disable: bool = False) -> tqdm:
    return tqdm(total=total, unit="notebook", desc=desc, disable=disable, file=sys.stderr,
                dynamic_ncols=True)

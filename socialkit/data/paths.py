"""Where the kit's files are: the repository root and its shipped data folder.

One place for these paths, so that a module moving within the package cannot break them.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["REPO", "DATA_DIR"]

#: The repository root (the folder holding ``_config.yml``, ``notebooks/`` and ``data/``).
REPO = Path(__file__).resolve().parents[2]
#: The shipped data sets (CSV) and the scripts that regenerate them.
DATA_DIR = REPO / "data"

"""Where the kit's files are: its shipped data sets, and (in a checkout) the repository.

One place for these paths, so that a module moving within the package cannot break them.

The data sets (CSV files) ship **inside the package**, in ``socialkit/data/datasets/``, and are
found with :mod:`importlib.resources`. So ``pip install`` of the package (from a wheel, from the
Git repository on Colab, or editable in a checkout) brings them along, and a notebook finds them
from any folder. Every module names a data file as ``DATA_DIR / "<name>.csv"``; the generators'
command lines (``python -m socialkit.data.posts``, ``make data``) write there too, and
``pyproject.toml`` ships every ``*.csv`` in that folder.
"""
from __future__ import annotations

import atexit
import contextlib
from importlib import resources
from pathlib import Path

__all__ = ["REPO", "DATA_DIR", "DATASETS"]

#: The folder of the data sets, inside the ``socialkit.data`` package.
DATASETS = "datasets"


def _data_dir() -> Path:
    """The data folder as a real path (extracted once if the package is imported from a zip)."""
    folder = resources.files(__package__).joinpath(DATASETS)
    if isinstance(folder, Path):
        return folder
    stack = contextlib.ExitStack()  # a zipped install: extract for the life of the process
    atexit.register(stack.close)
    return Path(stack.enter_context(resources.as_file(folder)))


#: The repository root (the folder holding ``_config.yml``, ``notebooks/`` and ``socialkit/``). Only
#: meaningful in a checkout: the book build, ``assign`` and grading use it, the lessons do not.
REPO = Path(__file__).resolve().parents[2]
#: The shipped data sets (CSV), wherever the package is installed.
DATA_DIR = _data_dir()

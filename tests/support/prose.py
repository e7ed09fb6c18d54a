"""Which files are the book's prose: every page, lesson, exercise (masters and student copies), quiz.

Shared by the tests that read the prose as a reader would (tests/prose/test_sources.py, that no
page copies an article; tests/data/test_case.py, that every page tells the case business's one story).
"""
from __future__ import annotations

from pathlib import Path

from socialkit.data.paths import REPO

#: Every file a reader sees as the book's prose. New chapters match these globs automatically.
GLOBS = ("book/**/*.md", "notebooks/*.ipynb", "exercises/*.ipynb", "exercises/student/**/*.ipynb",
         "socialkit/interactive/quizzes/*.json")


def prose_files() -> list[Path]:
    return sorted({p for pattern in GLOBS for p in REPO.glob(pattern) if p.is_file()})

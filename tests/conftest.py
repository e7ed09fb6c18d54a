"""Fixtures shared by several test modules."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def book_html() -> Path:
    """Build the book once per session (as `make book` does) and return _build/html."""
    run = subprocess.run([sys.executable, "-m", "socialkit.site.book", "build"], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, ("The book does not build:\n" + run.stdout[-4000:]
                                 + run.stderr[-4000:])
    return ROOT / "_build" / "html"

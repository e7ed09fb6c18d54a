"""Fixtures shared by several test modules."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
#: One id per test run, the same in every pytest-xdist worker of that run.
RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


@pytest.fixture(scope="session")
def book_html() -> Path:
    """Build the book once per test run (as `make book` does) and return _build/html.

    Under pytest-xdist (`make test` runs two workers) the first worker that needs the book
    builds it while holding a lock; the others wait for the lock and reuse that build.
    """
    BUILD.mkdir(exist_ok=True)
    built = BUILD / f".book-built-{RUN_ID}"
    with FileLock(str(BUILD / ".book.lock")):
        if not built.exists():
            for stale in BUILD.glob(".book-built-*"):
                stale.unlink(missing_ok=True)
            run = subprocess.run([sys.executable, "-m", "socialkit.site.book", "build"], cwd=ROOT,
                                 capture_output=True, text=True, timeout=900)
            assert run.returncode == 0, ("The book does not build:\n" + run.stdout[-4000:]
                                         + run.stderr[-4000:])
            built.touch()
    return BUILD / "html"

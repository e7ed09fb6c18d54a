"""Fixtures of the browser tests: one private copy of the built book, served, and one Chromium,
per test module (a module may define its own, as the in-browser Python's does)."""
from __future__ import annotations

from pathlib import Path

import pytest

from support.browser import chromium, copy_site, serve


@pytest.fixture(scope="module")
def site(book_html, tmp_path_factory) -> Path:
    """A private copy of the built book, so a rebuild elsewhere cannot change it mid-test."""
    return copy_site(book_html, tmp_path_factory.mktemp("book") / "html")


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched

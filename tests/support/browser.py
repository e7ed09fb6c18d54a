"""Helpers shared by the browser tests (tests/browser/) and the clean-install test's JupyterLab.

* :func:`serve` serves a folder on 127.0.0.1 from a free port, in a background thread, and
  :func:`site_pages` lists a built book's pages; both live in :mod:`socialkit.site.pageweight`,
  whose command uses them too, and are re-exported here;
* :func:`chromium` launches Debian's Chromium through Playwright for Python (never a
  downloaded browser: ``playwright install`` fails on these machines, see DESIGN.md), or fails
  saying what is missing;
* :class:`PageWatch` cuts a browser context off from every host but the local server and
  records what a page asked for, what was blocked, what failed and what it logged;
* :func:`visible_figure` and :func:`wait_for_change` tell what an explorer shows (the images a
  reader can see) and wait until that changes, in JupyterLab and in JupyterLite alike.
"""
from __future__ import annotations

import contextlib
import shutil
import socket
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from socialkit.site import pageweight
from socialkit.site.pageweight import NOT_READY, PAGE_READY, serve, site_pages  # noqa: F401 (re-exported)

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: Console warnings known to be harmless. Anything else a page logs as a warning fails the
#: tests as an error would: a warning is often a real fault (a label MathJax could not typeset).
HARMLESS_WARNINGS = (
    # ajv, the JSON-schema validator inside the widget manager, warns about its own schema.
    "strict mode:",
)


def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    reason = pageweight.chromium_missing_reason()
    if reason is None and not AXE_JS.is_file():
        reason = f"{AXE_JS} is missing: run `npm ci` (axe-core is a devDependency)."
    return reason


@contextlib.contextmanager
def chromium():
    """Debian's Chromium through Playwright (see socialkit.site.pageweight.chromium), or a clear
    error saying what is missing."""
    reason = chromium_missing_reason()
    if reason:
        raise RuntimeError(f"The browser tests cannot run: {reason}")
    with pageweight.chromium() as browser:
        yield browser


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_site(source: Path, destination: Path) -> Path:
    """Copy a built site, so that a concurrent rebuild cannot change it under a test."""
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".*"))
    return destination


@dataclass
class PageWatch:
    """What one browser context asked for and logged.

    Every request to a host other than ``allowed_origin`` is aborted before it leaves the
    browser (and recorded in ``blocked``), so a test sees the page exactly as a reader with
    no internet connection does.
    """

    allowed_origin: str | None
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    network: dict = field(default_factory=dict)  # page -> its QuietNetwork

    def attach(self, context) -> "PageWatch":
        context.route("**/*", self._route)
        context.on("page", self.watch_page)
        return self

    def _route(self, route):
        url = route.request.url
        if self._allowed(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("internetdisconnected")

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"}:
            return True
        if self.allowed_origin is None:
            return parts.scheme == "file"
        return url.startswith(self.allowed_origin)

    def watch_page(self, page) -> None:
        self.network[page] = pageweight.QuietNetwork(page)
        page.on("request", self._request)
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught {error}"))

    def _request(self, request):
        self.requests.append(request.url)

    def _request_failed(self, request):
        if request.url not in self.blocked:
            self.failed.append(f"{request.url}: {request.failure}")

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url}: HTTP {response.status}")

    def _console(self, message):
        text = f"{message.text} ({message.location.get('url', '')}:" \
               f"{message.location.get('lineNumber', '')})"
        if message.type == "error":
            self.errors.append(text)
        elif message.type == "warning" and not any(h in message.text for h in HARMLESS_WARNINGS):
            self.warnings.append(text)

    def wait_quiet(self, page, *, timeout_ms: int = 30_000) -> list[str]:
        """Wait until the page's network has been quiet for half a second; return what is
        still in flight if it never is (see :class:`socialkit.site.pageweight.QuietNetwork`)."""
        return self.network[page].wait(page, timeout_ms=timeout_ms)

    def outside_requests(self) -> list[str]:
        return sorted({url for url in self.requests + self.blocked if not self._allowed(url)})

    def problems(self) -> list[str]:
        """Everything a reader would call broken, as readable lines (empty when all is well)."""
        lines = [f"asked another host for {url}" for url in self.outside_requests()]
        lines += [f"request failed: {text}" for text in self.failed]
        lines += [f"console error: {text}" for text in self.errors]
        lines += [f"console warning: {text}" for text in self.warnings]
        return lines


#: The images under a node that a reader can see (a Stack draws only its selected child, and a
#: hidden one would not count), as [alt text, end of the source] pairs, in JSON.
_VISIBLE_IMAGES = """root => JSON.stringify(Array.from(root.querySelectorAll('img'))
  .filter(img => img.checkVisibility())
  .map(img => [img.getAttribute('alt'), (img.getAttribute('src') || '').slice(-80)]))"""


def visible_figure(root) -> str:
    """What the widget in ``root`` (a locator) shows: its visible images' alt texts and sources."""
    return root.evaluate(_VISIBLE_IMAGES)


def wait_for_change(tab, root, before: str, what: str, *, timeout_ms: int = 5_000) -> str:
    """Wait until :func:`visible_figure` of ``root`` changes from ``before``; if it does not
    within ``timeout_ms``, fail saying ``what``."""
    try:
        tab.wait_for_function(f"([root, before]) => ({_VISIBLE_IMAGES})(root) !== before",
                              arg=[root.element_handle(), before], timeout=timeout_ms)
    except Exception:
        pytest.fail(what)
    return visible_figure(root)

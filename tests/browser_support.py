"""Shared helpers of the browser tests and of ``python -m socialkit.pageweight``.

* :func:`serve` serves a folder on 127.0.0.1 from a free port, in a background thread;
* :func:`chromium` launches Debian's Chromium through Playwright for Python (never a
  downloaded browser: ``playwright install`` fails on these machines, see DESIGN.md);
* :class:`PageWatch` cuts a browser context off from every host but the local server and
  records what a page asked for, what was blocked, what failed and what it logged.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--no-default-browser-check"]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: Console warnings known to be harmless. Anything else a page logs as a warning fails the
#: tests as an error would: a warning is often a real fault (a label MathJax could not typeset).
HARMLESS_WARNINGS = (
    # ajv, the JSON-schema validator inside the widget manager, warns about its own schema.
    "strict mode:",
)


def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).is_file():
        return (f"Chromium is not installed at {CHROMIUM}: run `apt-get install chromium` "
                "(.ci/run does it) or set CHROMIUM=/path/to/chromium.")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is missing: run `make setup` (it is in requirements.txt)."
    if not AXE_JS.is_file():
        return f"{AXE_JS} is missing: run `npm ci`."
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    # Static hosts (GitHub Pages too) serve .js and .mjs as JavaScript, .woff2 as a font.
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript",
                      ".woff2": "font/woff2", ".woff": "font/woff", ".svg": "image/svg+xml"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` at http://127.0.0.1:<free port>/ while the block runs; yield the URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="static-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextlib.contextmanager
def chromium():
    """A headless Chromium (Debian's) driven by Playwright; closed when the block ends."""
    from playwright.sync_api import sync_playwright

    reason = chromium_missing_reason()
    if reason:
        raise RuntimeError(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            yield browser
        finally:
            browser.close()


def copy_site(source: Path, destination: Path) -> Path:
    """Copy a built site, so that a concurrent rebuild cannot change it under a test."""
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".*"))
    return destination


def site_pages(site: Path) -> list[str]:
    """Every page of a built book, relative to its root: all .html but search and the index."""
    skip = {"search.html", "genindex.html", "py-modindex.html"}
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if relative.parts[0] in {"_static", "_sources", "_images"} or relative.name in skip:
            continue
        if any(part.startswith(".") for part in relative.parts):
            continue
        pages.append(relative.as_posix())
    return pages


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
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught {error}"))

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

    def outside_requests(self) -> list[str]:
        return sorted({url for url in self.requests + self.blocked if not self._allowed(url)})

    def problems(self) -> list[str]:
        """Everything a reader would call broken, as readable lines (empty when all is well)."""
        lines = [f"asked another host for {url}" for url in self.outside_requests()]
        lines += [f"request failed: {text}" for text in self.failed]
        lines += [f"console error: {text}" for text in self.errors]
        lines += [f"console warning: {text}" for text in self.warnings]
        return lines

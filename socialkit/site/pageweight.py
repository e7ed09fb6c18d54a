"""How many bytes a reader downloads on a first visit to each page of the built book.

``python -m socialkit.site.pageweight`` serves ``_build/html`` on 127.0.0.1, loads every page in
Chromium (Debian's, driven by Playwright; see DESIGN.md) with an empty cache and every other
host cut off, waits until its widgets, maths and quizzes are drawn and the network is quiet,
and prints a Markdown table of what that first visit fetched (ready for BENCHMARKS.md).

Counted as issue 22 counts it: every request of the first visit, the shared assets (theme,
widget manager, MathJax, fonts, search index) included, each file at its gzip size, as a host
that compresses (GitHub Pages, Netlify, nginx with gzip on) sends it. Budgets: at most 1 MB for
any page, at most 300 kB for a text page (one without widgets, quizzes or maths). The command exits
with status 1 when a page goes over. Raw bytes (as Python's uncompressed server sends them) are
shown beside them; ``own`` and ``shared`` still tell a page's own files from the shared ones.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from ..data.paths import REPO

ROOT = REPO
SITE = ROOT / "_build" / "html"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
#: Launch flags that work on these machines (DESIGN.md). The resolver rule makes every host
#: but 127.0.0.1 unknown to the browser, a second wall behind the request routing below.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--no-default-browser-check",
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
#: Files outside ``_static/`` that every page loads (counted as shared, like ``_static/``).
SHARED_FILES = frozenset({"searchindex.js"})
#: Budgets of a first visit, gzip bytes of every file fetched (issue 22): any page, and a page
#: of text only (no widget, no quiz, no maths).
BUDGET = 1_000_000
TEXT_BUDGET = 300_000
CHAPTER_FOLDERS = ("notebooks/", "exercises/")
SKIPPED_PAGES = {"search.html", "genindex.html", "py-modindex.html"}

#: What on a page is not drawn yet (the book's own markers): widget views the widget manager has
#: not rendered, quizzes without questions, maths MathJax has not typeset. Empty when it is ready.
NOT_READY = """
() => {
  const missing = [];
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
  views.forEach((view, n) => {
    const area = view.previousElementSibling;
    if (!area || !area.classList.contains('widget-subarea') || !area.firstElementChild) {
      missing.push(`widget ${n + 1} of ${views.length} is not drawn`);
    }
  });
  document.querySelectorAll('div[data-shufflequestions]').forEach(quiz => {
    if (!quiz.querySelector('.Quiz')) missing.push(`quiz #${quiz.id} shows no questions`);
  });
  const maths = Array.from(document.querySelectorAll('.math'));
  const raw = maths.filter(math => !math.querySelector('mjx-container'));
  if (raw.length) {
    missing.push(`${raw.length} of ${maths.length} formulas are not typeset, e.g. ` +
                 JSON.stringify(raw[0].textContent.trim().slice(0, 60)));
  }
  return missing;
}
"""
PAGE_READY = f"() => ({NOT_READY.strip()})().length === 0"


# --- a local static server and a browser (shared with the browser tests) -----------------------
class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as a static host does (JavaScript and fonts with their proper types)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".js": "text/javascript", ".mjs": "text/javascript",
                      ".woff2": "font/woff2", ".woff": "font/woff", ".svg": "image/svg+xml"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 from a free port while the block runs; yield its URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
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


def chromium_missing_reason() -> str | None:
    """Why Chromium cannot be driven here, or None when it can."""
    if not Path(CHROMIUM).is_file():
        return (f"Chromium is not installed at {CHROMIUM}: run `apt-get install chromium` "
                "(.ci/run does it) or set CHROMIUM=/path/to/chromium. Never `playwright install`.")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is missing: run `make setup` (it is in requirements.txt)."
    return None


@contextlib.contextmanager
def chromium():
    """A headless Debian Chromium driven by Playwright; closed when the block ends."""
    reason = chromium_missing_reason()
    if reason:
        raise RuntimeError(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def site_pages(site: Path) -> list[str]:
    """The pages of a built book, relative to its root: every .html but the search page, the
    general index and redirects (the root index.html only forwards to the first page)."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        # (lite/ is the in-browser Python, JupyterLite's own pages: see lite.py)
        if relative.name in SKIPPED_PAGES or relative.parts[0] in {"_static", "_sources", "_images", "lite"}:
            continue
        if any(part.startswith(".") for part in relative.parts):
            continue
        if 'http-equiv="Refresh"' in path.read_text(encoding="utf-8", errors="ignore")[:2000]:
            continue
        pages.append(relative.as_posix())
    return pages


# --- measuring ----------------------------------------------------------------------------------
def gzip_size(body: bytes) -> int:
    """Bytes of ``body`` as a host that compresses sends it (gzip, zlib's default level 6).

    >>> gzip_size(b"a" * 10_000) < 100
    True
    """
    return len(gzip.compress(body, compresslevel=6, mtime=0))


@dataclass
class PageWeight:
    """What a first visit to one page fetched: every file's bytes, raw and gzipped."""

    page: str
    own: dict[str, int] = field(default_factory=dict)      # path -> raw bytes, this page's alone
    shared: dict[str, int] = field(default_factory=dict)   # path -> raw bytes, see is_shared
    gzipped: dict[str, int] = field(default_factory=dict)  # path -> gzip bytes, every file
    is_text: bool = False            # no widget, quiz or maths on the page: the text budget applies
    first_paint_ms: float | None = None  # first contentful paint, from the page's own timing

    @property
    def own_bytes(self) -> int:
        return sum(self.own.values())

    @property
    def shared_bytes(self) -> int:
        return sum(self.shared.values())

    @property
    def raw_bytes(self) -> int:
        return self.own_bytes + self.shared_bytes

    @property
    def gzip_bytes(self) -> int:
        """The first visit as the issue counts it: every request, shared assets included."""
        return sum(self.gzipped.values())

    @property
    def requests(self) -> int:
        return len(self.gzipped)

    @property
    def kind(self) -> str:
        return "text" if self.is_text else "interactive or maths"

    @property
    def budget(self) -> int:
        return TEXT_BUDGET if self.is_text else BUDGET

    @property
    def is_chapter(self) -> bool:
        return self.page.startswith(CHAPTER_FOLDERS)

    def largest(self, count: int = 4) -> list[tuple[str, int]]:
        return sorted(self.gzipped.items(), key=lambda item: -item[1])[:count]


class QuietNetwork:
    """Tracks a page's requests so a caller can wait until none has been in flight for a while.

    Playwright's own ``wait_for_load_state("networkidle")`` is not used: with request routing
    on, it sometimes never fires although every request has ended (seen with Chromium 156 on
    two of the book's pages, in CI and here).
    """

    def __init__(self, page):
        self.in_flight: dict[int, str] = {}
        self.last_activity = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request) -> None:
        self.in_flight[id(request)] = request.url
        self.last_activity = time.monotonic()

    def _ended(self, request) -> None:
        self.in_flight.pop(id(request), None)
        self.last_activity = time.monotonic()

    def wait(self, page, *, quiet_ms: int = 500, timeout_ms: int = 30_000) -> list[str]:
        """Wait until no request has been in flight for ``quiet_ms``. Return the URLs still in
        flight when ``timeout_ms`` runs out (an empty list when the network went quiet)."""
        deadline = time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            if not self.in_flight and time.monotonic() - self.last_activity >= quiet_ms / 1000:
                return []
            page.wait_for_timeout(100)  # lets Playwright deliver the page's events meanwhile
        return sorted(set(self.in_flight.values()))


FIRST_PAINT_JS = """() => {
  const entry = performance.getEntriesByName('first-contentful-paint')[0];
  return entry ? entry.startTime : null;
}"""
#: What makes a page more than text: a widget, a quiz, or maths (which needs MathJax).
TEXT_MARKERS = ("application/vnd.jupyter.widget-view+json", "data-shufflequestions",
                'class="math notranslate')


def measure_page(browser, base_url: str, page_path: str, *, timeout_ms: int = 30_000) -> PageWeight:
    """Load one page with an empty cache and record every file it received, raw and gzipped."""
    weight = PageWeight(page_path)
    context = browser.new_context()
    # Nothing leaves the machine: a request to any other host fails at once.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
                  else route.abort("internetdisconnected"))
    responses: list = []
    try:
        page = context.new_page()
        page.on("requestfinished", lambda request: responses.append(request))
        network = QuietNetwork(page)
        page.goto(base_url + page_path, wait_until="load", timeout=timeout_ms)
        page.wait_for_function(PAGE_READY, timeout=timeout_ms)
        pending = network.wait(page, timeout_ms=timeout_ms)
        if pending:
            raise TimeoutError(f"{page_path}: requests still running after {timeout_ms} ms: "
                               + ", ".join(pending))
        weight.first_paint_ms = page.evaluate(FIRST_PAINT_JS)
        prefix = len(urlsplit(base_url).path)
        for request in responses:
            if not request.url.startswith(base_url):
                continue
            response = request.response()
            body = response.body() if response else b""
            path = urlsplit(request.url).path[prefix:]
            sizes = request.sizes()
            raw = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            target = weight.shared if is_shared(path) else weight.own
            target[path] = target.get(path, 0) + raw
            weight.gzipped[path] = weight.gzipped.get(path, 0) + gzip_size(body)
            if path == page_path:
                weight.is_text = not any(marker.encode() in body for marker in TEXT_MARKERS)
    finally:
        context.close()
    return weight


def is_shared(path: str) -> bool:
    """True for a file every page loads and the browser then caches: the assets under
    ``_static/`` and the site's search index (the theme loads it on every page for its search box)."""
    return path.startswith("_static/") or path in SHARED_FILES


def measure(browser, base_url: str, pages: list[str]) -> list[PageWeight]:
    return [measure_page(browser, base_url, page) for page in pages]


def _kb(size: int) -> str:
    return f"{size / 1000:,.0f} kB"


def table(weights: list[PageWeight]) -> str:
    """The Markdown table: each page's first visit (every file it fetched), raw and gzipped."""
    lines = ["| Page | Kind | Requests | Raw | Gzip (first visit) | Budget | Within |",
             "|---|---|---:|---:|---:|---:|:---:|"]
    for weight in weights:
        verdict = "yes" if weight.gzip_bytes <= weight.budget else "**NO**"
        lines.append(f"| `{weight.page}` | {weight.kind} | "
                     f"{weight.requests} | {_kb(weight.raw_bytes)} | {_kb(weight.gzip_bytes)} | "
                     f"{_kb(weight.budget)} | {verdict} |")
    return "\n".join(lines)


def over_budget(weights: list[PageWeight]) -> list[PageWeight]:
    """The pages whose first visit (gzip) is over their budget."""
    return [w for w in weights if w.gzip_bytes > w.budget]


def explain(weight: PageWeight) -> str:
    """One line saying how far a page is over its budget and what weighs most."""
    return (f"{weight.page} ({'text' if weight.is_text else 'interactive'} page): first visit "
            f"{_kb(weight.gzip_bytes)} gzip, budget {_kb(weight.budget)}; largest: "
            + ", ".join(f"{path} {_kb(size)}" for path, size in weight.largest()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialkit.site.pageweight", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", nargs="?", type=Path, default=SITE,
                        help="the built book (default: _build/html; run `make book` first)")
    args = parser.parse_args(argv)
    if not (args.site / "_static").is_dir():
        parser.error(f"{args.site} is not a built book: run `make book` first.")
    pages = site_pages(args.site)
    with serve(args.site) as base_url, chromium() as browser:
        weights = measure(browser, base_url, pages)
    print(table(weights))
    print("\nEvery file a first visit fetched (shared assets included), each counted at its gzip "
          "size (level 6), as a host that compresses sends it.")
    heavy = over_budget(weights)
    for weight in heavy:
        print("\nOver budget: " + explain(weight))
    return 1 if heavy else 0


if __name__ == "__main__":
    raise SystemExit(main())

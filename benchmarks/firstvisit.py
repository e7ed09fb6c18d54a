"""A first visit to every page, before and after a change, measured in one run:
`python benchmarks/firstvisit.py BEFORE_SITE AFTER_SITE [--loads N]`.

Both built sites are served on 127.0.0.1 at once; every page is loaded ``--loads`` times from
each, alternating, every load in a fresh browser context (empty cache) of the same headless
Chromium, so the busy machine weighs on both alike. Per page and site it records what
:func:`socialkit.site.pageweight.measure_page` sees: the requests, the bytes of every file at its
gzip size, and the time to first contentful paint (the browser's own ``first-contentful-paint``
entry), and prints a Markdown table with the median paint time. With ``--slow PAGE ...`` it
measures instead the first paint of those pages over a slow mobile connection (DevTools' Fast 3G
figures) from a local host that compresses every file, as a reader on a phone meets them. Keep a copy of the built site
before changing anything (``cp -r _build/html /tmp/before``) to compare.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import statistics
import threading
import sys
import time
from pathlib import Path

from socialkit.site import pageweight


def measure_both(before: Path, after: Path, loads: int) -> list[dict]:
    pages = pageweight.site_pages(after)
    rows = []
    with pageweight.serve(before) as url_before, pageweight.serve(after) as url_after, \
            pageweight.chromium() as browser:
        for page in pages:
            row = {"page": page, "before": [], "after": []}
            for _ in range(loads):
                for name, url in (("before", url_before), ("after", url_after)):
                    if name == "before" and not (before / page).is_file():
                        continue
                    row[name].append(pageweight.measure_page(browser, url, page))
            rows.append(row)
            print(f"measured {page}", file=sys.stderr)
    return rows


def _summary(weights) -> tuple[int, int, float | None]:
    if not weights:
        return 0, 0, None
    paints = [w.first_paint_ms for w in weights if w.first_paint_ms is not None]
    return (weights[0].requests, weights[0].gzip_bytes,
            statistics.median(paints) if paints else None)


def table(rows: list[dict]) -> str:
    lines = ["| page | requests before | requests after | gzip before (kB) | gzip after (kB) | "
             "budget (kB) | first paint before (ms) | first paint after (ms) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    totals = [0, 0]
    for row in rows:
        (req_b, gz_b, fcp_b), (req_a, gz_a, fcp_a) = _summary(row["before"]), _summary(row["after"])
        totals[0] += gz_b
        totals[1] += gz_a
        budget = row["after"][0].budget // 1000
        lines.append(f"| `{row['page']}` | {req_b} | {req_a} | {gz_b / 1000:,.0f} | {gz_a / 1000:,.0f} | "
                     f"{budget:,} | {fcp_b:,.0f} | {fcp_a:,.0f} |")
    lines.append(f"| **every page, first visits added up** | | | **{totals[0] / 1000:,.0f}** | "
                 f"**{totals[1] / 1000:,.0f}** | | | |")
    return "\n".join(lines)


# --- the same first paint over a slow connection, from a host that compresses ---------------------
#: Chrome DevTools' "Fast 3G" preset: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency (562.5 ms
#: with its own round-trip factor; 150 ms here, the network's own).
SLOW_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8,
                "uploadThroughput": 750e3 / 8}
PAINTED_JS = "() => performance.getEntriesByName('first-contentful-paint').length > 0"


class GzipHandler(pageweight.QuietHandler):
    """A static host that compresses every file it sends (as GitHub Pages does text)."""

    def do_GET(self):  # noqa: N802 - the base class's name
        path = Path(self.translate_path(self.path))
        path = path / "index.html" if path.is_dir() else path
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        packed = "gzip" in self.headers.get("Accept-Encoding", "")
        body = gzip.compress(body, compresslevel=6, mtime=0) if packed else body
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if packed:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve_gzip(directory: Path):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def slow_first_paint(browser, url: str) -> float:
    """Milliseconds to first contentful paint of ``url`` over :data:`SLOW_NETWORK`, empty cache."""
    context = browser.new_context()
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", SLOW_NETWORK)
        page.goto(url, wait_until="commit", timeout=120_000)
        page.wait_for_function(PAINTED_JS, timeout=120_000)
        return page.evaluate(pageweight.FIRST_PAINT_JS)
    finally:
        context.close()


def slow_table(before: Path, after: Path, pages: list[str], loads: int) -> str:
    lines = ["| page | first paint before (ms) | first paint after (ms) |", "|---|---:|---:|"]
    with serve_gzip(before) as url_before, serve_gzip(after) as url_after, \
            pageweight.chromium() as browser:
        for page in pages:
            paints = {"before": [], "after": []}
            for _ in range(loads):
                for name, url in (("before", url_before), ("after", url_after)):
                    paints[name].append(slow_first_paint(browser, url + page))
            lines.append(f"| `{page}` | {statistics.median(paints['before']):,.0f} | "
                         f"{statistics.median(paints['after']):,.0f} |")
            print(f"slow network: measured {page}", file=sys.stderr)
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path, help="the site before the change (a built _build/html)")
    parser.add_argument("after", type=Path, help="the site after it")
    parser.add_argument("--loads", type=int, default=5, help="loads per page and site (default 5)")
    parser.add_argument("--slow", nargs="+", metavar="PAGE", default=None,
                        help="instead: first paint of these pages over a slow connection (Fast 3G) "
                             "from a host that compresses")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.slow:
        print(slow_table(args.before, args.after, args.slow, args.loads))
        print(f"\n{len(args.slow)} pages, {args.loads} loads each per site, in "
              f"{time.perf_counter() - started:.0f} s.")
        return 0
    rows = measure_both(args.before, args.after, args.loads)
    print(table(rows))
    print(f"\n{len(rows)} pages, {args.loads} loads each per site, in "
          f"{time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

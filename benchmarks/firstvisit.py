"""A first visit to every page, before and after a change, measured in one run:
`python benchmarks/firstvisit.py BEFORE_SITE AFTER_SITE [--loads N]`.

Both built sites are served on 127.0.0.1 at once; every page is loaded ``--loads`` times from
each, alternating, every load in a fresh browser context (empty cache) of the same headless
Chromium, so the busy machine weighs on both alike. Per page and site it records what
:func:`socialkit.site.pageweight.measure_page` sees: the requests, the bytes of every file at its
gzip size, and the time to first contentful paint (the browser's own ``first-contentful-paint``
entry), and prints a Markdown table with the median paint time. Keep a copy of the built site
before changing anything (``cp -r _build/html /tmp/before``) to compare.
"""
from __future__ import annotations

import argparse
import statistics
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before", type=Path, help="the site before the change (a built _build/html)")
    parser.add_argument("after", type=Path, help="the site after it")
    parser.add_argument("--loads", type=int, default=5, help="loads per page and site (default 5)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = measure_both(args.before, args.after, args.loads)
    print(table(rows))
    print(f"\n{len(rows)} pages, {args.loads} loads each per site, in "
          f"{time.perf_counter() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

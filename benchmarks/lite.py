"""Benchmarks of the in-browser Python: `python benchmarks/lite.py [--runs N] [--site _build/html]`.

Needs a built book with its ``lite/`` folder (``make book``). For each run, in headless Chromium
with every outside request refused, it opens chapter 0 in the in-browser notebook view, runs all
cells from the Run menu and times (from the click on "Run All Cells"):

* **first result**: the first cell output on the page (Pyodide and the kit's packages loaded, the
  setup cell and the first cell that prints run);
* **all cells**: every cell of chapter 0 finished.

*Cold* is a new browser profile (empty HTTP cache and browser storage); *warm* opens the same
notebook again in the same profile (files from the browser's cache, Pyodide started again). It also
prints the size of the site with and without ``lite/``. Figures are medians of ``--runs``.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from socialkit.site import lite  # noqa: E402
from support.browser import PageWatch, chromium, serve  # noqa: E402

NOTEBOOK = "notebooks/00-python-for-this-book.ipynb"


def time_run(context, base_url: str) -> tuple[float, float]:
    page = context.new_page()
    started = time.monotonic()
    page.goto(f"{base_url}lite/notebooks/index.html?path={NOTEBOOK}")
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60_000)
    cells, steady = -1, 0
    while steady < 2:  # every cell drawn (a Run All before that runs nothing)
        page.wait_for_timeout(500)
        count = page.locator(".jp-Cell").count()
        steady, cells = (steady + 1 if count == cells else 0), count
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()
    first = None
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    while time.monotonic() - started < 240:
        page.wait_for_timeout(250)
        if first is None and page.locator(".jp-OutputArea-output").count():
            first = time.monotonic() - started
        texts = [t for t in prompts.evaluate_all("ns => ns.map(n => n.textContent)") if t.strip()]
        if texts and all(re.search(r"\[\d+\]", text) for text in texts):
            break
    total = time.monotonic() - started
    page.close()
    return first, total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args(argv)
    if not (args.site / "lite" / "index.html").is_file():
        parser.error(f"{args.site} has no lite/ folder: run `make book` first")
    figures = {"cold": [], "warm": []}
    with serve(args.site) as base_url, chromium() as browser:
        for _ in range(args.runs):
            context = browser.new_context()
            watch = PageWatch(base_url).attach(context)
            figures["cold"].append(time_run(context, base_url))
            figures["warm"].append(time_run(context, base_url))
            assert watch.outside_requests() == [], watch.outside_requests()
            context.close()
    print("| chapter 0 in the browser | first result (s) | all cells (s) |\n|---|---|---|")
    for name, runs in figures.items():
        print(f"| {name} | {statistics.median(r[0] for r in runs):.1f} | "
              f"{statistics.median(r[1] for r in runs):.1f} |")
    with_lite = lite.folder_size(args.site)
    lite_bytes = lite.folder_size(args.site / "lite")
    print(f"\nsite: {with_lite / 1e6:.1f} MB with the in-browser Python, "
          f"{(with_lite - lite_bytes) / 1e6:.1f} MB without (lite/ is {lite_bytes / 1e6:.1f} MB; "
          f"the largest files: pyodide.asm.wasm, matplotlib, pandas, numpy)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of Chapter 2's channel simulator: `python benchmarks/channels.py [--runs N]`.

Times one year (52 weeks) of Cobble & Chain's market — its 8 channels plus the 3 new networks
that launch during the year — for the 3 built-in strategies run side by side with
`socialkit.models.channels.simulate`, and prints the median of several runs as a Markdown line for
BENCHMARKS.md. Also times a comparison on 100 random markets (`channels.compare`), which the
lesson runs three times. The machine may be shared: compare medians, not single runs.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from socialkit import channels  # noqa: E402


def median_seconds(fn, runs: int) -> float:
    fn()  # warm up (imports, caches)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=51, help="timed runs (default 51)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    market = channels.Market.cobble_and_chain()
    result = channels.simulate(channels.STRATEGIES, market)
    n_weeks, n_old, n_new = market.weeks, int((~market.is_new).sum()), int(market.is_new.sum())
    year = median_seconds(lambda: channels.simulate(channels.STRATEGIES, market), args.runs)
    compare_runs = max(3, args.runs // 10)
    many = median_seconds(lambda: channels.compare(channels.focus_on_customers, seeds=range(100)),
                          compare_runs)
    print(f"- Channel simulator (`benchmarks/channels.py`): {n_weeks} weeks × {n_old} channels "
          f"(+{n_new} new networks) × {len(result.names)} strategies in **{year * 1e3:.1f} ms** "
          f"(median of {args.runs} runs); a comparison over 100 random markets "
          f"(`channels.compare`, 2 strategies) in {many:.2f} s (median of {compare_runs}).")


if __name__ == "__main__":
    main()

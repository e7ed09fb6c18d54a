"""How long each lesson's explorer takes to draw its frames: `python benchmarks/explorers.py [--runs N]`.

An explorer draws every slider position as an image when its cell runs (DESIGN.md: widgets that
work on the static page), so it is usually the slowest cell of a lesson. Prints a Markdown table,
one row per explorer, each the median of ``--runs`` calls after one warm-up call (which loads
fonts and data). Run it with an older checkout on ``PYTHONPATH`` (e.g. a ``git worktree``) to
compare two versions in one run on a noisy machine.
"""
from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from socialkit import listening  # noqa: E402
from socialkit.figures import adoption, blindspots, channels, content, outcomes, relevance, statements  # noqa: E402
from socialkit.figures import listening as listening_figures  # noqa: E402
from socialkit.models import outcomes as outcomes_model  # noqa: E402


def explorers():
    """(chapter, call) for every explorer the lessons show, with the lessons' arguments."""
    posts = listening.load_posts()
    data = outcomes_model.load_outcomes()
    return [
        ("1 adoption_explorer", adoption.adoption_explorer),
        ("1 relevance_explorer", relevance.relevance_explorer),
        ("2 hours_explorer", channels.hours_explorer),
        ("2 spread_explorer", channels.spread_explorer),
        ("2 switching_explorer", channels.switching_explorer),
        ("3 threshold_explorer", statements.threshold_explorer),
        ("3 explain_explorer", statements.explain_explorer),
        ("4 listening_explorer", lambda: listening_figures.listening_explorer(posts)),
        ("5 mix_explorer", content.mix_explorer),
        ("5 frequency_explorer", content.frequency_explorer),
        ("6 lag_explorer", lambda: outcomes.lag_explorer(data)),
        ("6 integration_explorer", outcomes.integration_explorer),
        ("7 sharing_explorer", blindspots.sharing_explorer),
        ("7 control_explorer", blindspots.control_explorer),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error(f"--runs must be at least 1; got {args.runs}")
    print(f"| chapter, explorer | seconds (median of {args.runs}) |\n|---|---:|")
    for label, call in explorers():
        call()  # warm-up: fonts, caches
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        print(f"| {label} | {statistics.median(times):.2f} |")


if __name__ == "__main__":
    main()

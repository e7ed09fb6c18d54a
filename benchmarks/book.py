"""Benchmarks of the book build and the notebooks: `python benchmarks/book.py [--runs N]`.

`--lessons-only` times the lesson notebooks and nothing else; with `--notebooks DIR` it times the
notebooks of another checkout (e.g. an older commit in a `git worktree`, run with that checkout on
`PYTHONPATH`), so that two versions can be compared in one run on a noisy machine.

Prints a Markdown table for BENCHMARKS.md:

* cold build: `python -m socialkit.site.book build` after deleting `_build/` (the set-up — venv and
  npm — already done, as after a first `make book`), notebooks executed from scratch;
* rebuild with nothing changed;
* each lesson notebook's execution on a fresh kernel (nbclient, as nbval and the book run it),
  and the same with kernel start-up excluded;
* the size of each lesson's HTML page (its embedded widget frames dominate).

Each figure is the median of several runs; the machine is shared, so compare ratios from one run.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def build() -> None:
    run = subprocess.run([sys.executable, "-m", "socialkit.site.book", "build"], cwd=ROOT,
                         capture_output=True, text=True)
    if run.returncode:
        sys.exit(run.stdout[-3000:] + run.stderr[-3000:])


def cold_build() -> float:
    shutil.rmtree(ROOT / "_build" / "html", ignore_errors=True)
    shutil.rmtree(ROOT / "_build" / ".jupyter_cache", ignore_errors=True)
    shutil.rmtree(ROOT / "_build" / "jupyter_execute", ignore_errors=True)
    shutil.rmtree(ROOT / "_build" / ".doctrees", ignore_errors=True)
    return timed(build)


def execute(path: Path) -> tuple[float, float]:
    """(seconds with kernel start, seconds running the cells) on a fresh kernel."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    with client.setup_kernel():
        ready = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    done = time.perf_counter()
    return done - started, done - ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lessons-only", action="store_true", help="time the lessons, not the build")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="folder of lesson notebooks to time (default: this checkout's)")
    args = parser.parse_args()
    if not args.notebooks.is_dir():
        parser.error(f"--notebooks must be a folder of lesson notebooks; {args.notebooks} is not a folder")
    rows = []
    if not args.lessons_only:
        cold = [cold_build() for _ in range(args.runs)]
        rows.append(("Cold build (`python -m socialkit.site.book build`, empty `_build/`)", statistics.median(cold)))
        warm = [timed(build) for _ in range(max(args.runs, 5))]
        rows.append(("Rebuild, nothing changed", statistics.median(warm)))
    for notebook in sorted(args.notebooks.glob("*.ipynb")):
        runs = [execute(notebook) for _ in range(args.runs)]
        rows.append((f"`{notebook.name}` on a fresh kernel", statistics.median(r[0] for r in runs)))
        rows.append((f"`{notebook.name}`, cells only (kernel already up)", statistics.median(r[1] for r in runs)))
    print(f"| measure (median of {args.runs}+ runs) | seconds |\n|---|---:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds:.1f} |")
    if args.lessons_only:
        return
    print("\n| lesson page | HTML bytes |\n|---|---:|")
    for page in sorted((ROOT / "_build" / "html" / "notebooks").glob("*.html")):
        print(f"| `{page.relative_to(ROOT / '_build' / 'html')}` | {page.stat().st_size:,} |")


if __name__ == "__main__":
    main()

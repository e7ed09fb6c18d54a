"""Benchmark of class grading: `python benchmarks/grading.py [--n 40] [--assignment NAME]`.

Generates N submissions of one assignment (a seeded mix of correct, partly answered and blank
notebooks, ``tests/grading/samples.py``), then grades the same folder twice in one run:

1. sequentially with plain ``otter run`` (one process after the other, as a shell loop would);
2. with the kit's batch grader (``python -m socialkit.course.grading``, what ``make grade`` runs after
   ``make assign``), with its default number of workers (the number of cores).

It checks that both give identical per-question scores for every submission and prints a
Markdown snippet for BENCHMARKS.md: seconds per submission, the throughput ratio, peak memory
(the largest sum of resident memory over the process tree, sampled every 0.1 s, so shared pages
are counted more than once: an upper bound), and what one submission costs inside the batch
grader: running its notebook in a sandbox, and judging it in the clean-room judge (mean and
largest, from the records). The machine may be shared: the load average before and after is
printed with the numbers.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import importlib.util  # noqa: E402

# the synthetic class comes from the grader's tests (this script is itself named grading.py)
_spec = importlib.util.spec_from_file_location("grading_samples", ROOT / "tests" / "grading" / "samples.py")
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)
from socialkit.course.grading.batch import default_workers  # noqa: E402
from socialkit.course.grading.intake.autograder import available_assignments, load_autograder  # noqa: E402

OTTER = Path(sys.executable).with_name("otter")
#: the exercise BENCHMARKS.md reports (the first chapter with an autograded function answer)
DEFAULT_ASSIGNMENT = "01-ignorance-arrogance-irrelevance"


class PeakMemory:
    """Samples the resident memory of a process tree in a thread; ``peak`` in bytes."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            total = 0
            try:
                procs = self.root.children(recursive=True)
            except psutil.Error:
                procs = []
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def sequential(zip_path: Path, notebooks: list[Path], out: Path) -> tuple[float, int, dict]:
    """Plain otter run, one submission after the other: (seconds, peak bytes, scores)."""
    scores = {}
    start = time.perf_counter()
    with PeakMemory(os.getpid()) as memory:
        for nb in notebooks:
            folder = out / nb.stem
            folder.mkdir(parents=True)
            proc = subprocess.run([str(OTTER), "run", "--no-logo", "-a", str(zip_path), str(nb),
                                   "-o", str(folder)], capture_output=True, text=True)
            if proc.returncode:
                sys.exit(f"otter run failed on {nb.name}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
            tests = json.loads((folder / "results.json").read_text())["tests"]
            scores[nb.name.split("_")[0]] = {t["name"]: float(t["score"]) for t in tests
                                             if t.get("max_score") is not None}
    return time.perf_counter() - start, memory.peak, scores


def batch(zip_path: Path, folder: Path, out: Path, workers: int, kit: Path = ROOT) -> tuple[float, int, dict]:
    """The kit's batch grader (the one in the checkout ``kit``) on the whole folder:
    (seconds, peak bytes, scores, timing)."""
    start = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(kit))
    proc = subprocess.Popen([sys.executable, "-m", "socialkit.course.grading", str(zip_path), str(folder),
                             "--out", str(out), "--workers", str(workers), "--no-progress"],
                            cwd=kit, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with PeakMemory(proc.pid) as memory:
        output, _ = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"the batch grader failed:\n{output[-3000:]}")
    scores = {}
    timing = {"notebook": [], "judge": [], "isolation": set()}
    for path in sorted((out / "results").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if "judge_seconds" in record:
            timing["notebook"].append(record["notebook_seconds"])
            timing["judge"].append(record["judge_seconds"])
            timing["isolation"].add(record.get("isolation", "?"))
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    questions = [k for k in rows[0] if k not in
                 {"student", "status", "total", "possible", "percent", "file", "note"}]
    for row in rows:
        scores[row["student"]] = {q: float(row[q]) for q in questions}
    return seconds, memory.peak, scores, timing


def compare(zip_path: Path, folder: Path, tmp: Path, workers: int, baseline: Path, rounds: int) -> int:
    """The batch grader of this checkout against the one in ``baseline`` (another checkout, e.g.
    ``git worktree add /tmp/old <commit>``) on the same class, alternating, ``rounds`` times each;
    prints the medians and the ratio."""
    import statistics

    seconds = {"baseline": [], "this checkout": []}
    scores = {}
    for i in range(rounds):
        for name, kit in (("baseline", baseline), ("this checkout", ROOT)):
            secs, _, got, _ = batch(zip_path, folder, tmp / f"{name.replace(' ', '-')}-{i}", workers, kit)
            seconds[name].append(secs)
            scores.setdefault(name, got)
    n = len(list(folder.glob("*.ipynb")))
    print("| grader | runs (s) | median (s) | fastest (s) | submissions per minute (median) |\n"
          "|---|---|---:|---:|---:|")
    for name, runs in seconds.items():
        median = statistics.median(runs)
        print(f"| {name} | {', '.join(f'{s:.1f}' for s in runs)} | {median:.1f} | {min(runs):.1f} | "
              f"{60 * n / median:.1f} |")
    ratio = statistics.median(seconds["baseline"]) / statistics.median(seconds["this checkout"])
    print(f"\nRatio of the fastest runs: {min(seconds['baseline']) / min(seconds['this checkout']):.2f}x.")
    same = scores["baseline"] == scores["this checkout"]
    print(f"\nThroughput of this checkout / baseline: **{ratio:.2f}x**; scores identical: "
          f"**{'yes' if same else 'NO'}**. Load average (1 min) at the end: {os.getloadavg()[0]:.1f}.")
    return 0 if same else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=40, help="submissions to generate (default 40)")
    parser.add_argument("--assignment", default=None,
                        help=f"assignment stem (default: {DEFAULT_ASSIGNMENT}, or the first there is)")
    parser.add_argument("--workers", type=int, default=None, help="batch workers (default: cores)")
    parser.add_argument("--one-worker", action="store_true",
                        help="also time the batch grader with one worker, to tell apart what the "
                             "per-submission savings and the parallel workers each contribute")
    parser.add_argument("--baseline", type=Path, default=None, metavar="CHECKOUT",
                        help="instead of otter run: compare with the batch grader of another checkout "
                             "(alternating runs on the same class)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each grader with --baseline")
    parser.add_argument("--assign-dir", type=Path, default=None, metavar="FOLDER",
                        help="where `make assign` wrote the assignments (default: _build/assign)")
    args = parser.parse_args(argv)
    found = available_assignments(*([args.assign_dir] if args.assign_dir else []))
    if not found:
        print("No autograder zips: run `make assign` first.", file=sys.stderr)
        return 2
    stem = args.assignment or (DEFAULT_ASSIGNMENT if DEFAULT_ASSIGNMENT in found else next(iter(found)))
    if stem not in found:
        print(f"Unknown assignment {stem!r}; have: {', '.join(found)}", file=sys.stderr)
        return 2
    zip_path = found[stem]
    workers = args.workers or default_workers()
    ag = load_autograder(zip_path)
    with tempfile.TemporaryDirectory(prefix="grading-bench-") as tmp:
        tmp = Path(tmp)
        kinds = samples.make_class(stem, tmp / "class", args.n, seed=1,
                                   **({"assign_dir": args.assign_dir} if args.assign_dir else {}))
        notebooks = sorted((tmp / "class").glob("*.ipynb"))
        if args.baseline is not None:
            print(f"### Batch grader before and after ({stem}, {args.n} submissions, {workers} workers)\n")
            return compare(zip_path, tmp / "class", tmp, workers, args.baseline.resolve(), args.rounds)
        load_before = os.getloadavg()
        seq_s, seq_mem, seq_scores = sequential(zip_path, notebooks, tmp / "otter-run")
        load_mid = os.getloadavg()
        bat_s, bat_mem, bat_scores, timing = batch(zip_path, tmp / "class", tmp / "grades", workers)
        one = batch(zip_path, tmp / "class", tmp / "grades-1", 1) if args.one_worker else None
        load_after = os.getloadavg()
    identical = seq_scores == bat_scores and (one is None or one[2] == seq_scores)
    mix = {k: list(kinds.values()).count(k) for k in samples.KINDS}
    n = args.n
    print(f"### Grading a class ({stem}, {n} submissions)\n")
    print(f"{n} generated submissions ({', '.join(f'{v} {k}' for k, v in mix.items())}), "
          f"{ag.possible:g} autograded points; {os.cpu_count()} cores; batch grader with "
          f"{workers} workers. Load average (1 min) before / between / after: "
          f"{load_before[0]:.1f} / {load_mid[0]:.1f} / {load_after[0]:.1f}.\n")
    print("| run | total (s) | s per submission | submissions per minute | peak memory (MiB) |")
    print("|---|---:|---:|---:|---:|")
    runs = [("`otter run`, one after the other", seq_s, seq_mem),
            (f"`make grade` (batch, {workers} workers)", bat_s, bat_mem)]
    if one is not None:
        runs.append(("batch grader, 1 worker", one[0], one[1]))
    for name, secs, mem in runs:
        print(f"| {name} | {secs:.1f} | {secs / n:.2f} | {60 * n / secs:.1f} | {mem / 2**20:.0f} |")
    if timing["judge"]:
        import statistics

        note = (f"\nInside the batch grader ({', '.join(sorted(timing['isolation']))} isolation), one "
                f"submission costs {statistics.fmean(timing['notebook']):.2f} s to run its notebook in its "
                f"sandbox (largest {max(timing['notebook']):.2f} s) and {statistics.fmean(timing['judge']):.2f} s "
                f"to judge (largest {max(timing['judge']):.2f} s), wall time per worker.")
        print(note)
    print(f"\nThroughput ratio: **{seq_s / bat_s:.2f}x**"
          + (f" ({seq_s / one[0]:.2f}x with one worker, {one[0] / bat_s:.2f}x more from "
             f"{workers} workers)" if one is not None else "")
          + f". Scores identical for all {n} submissions: **{'yes' if identical else 'NO'}**.")
    if not identical:
        diff = {k: (seq_scores.get(k), bat_scores.get(k)) for k in set(seq_scores) | set(bat_scores)
                if seq_scores.get(k) != bat_scores.get(k)}
        print(f"\nDifferences: {diff}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())

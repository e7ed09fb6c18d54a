"""Grading many submissions side by side, each in a fresh process and kernel, within limits.

``grade_submissions`` runs one child process per submission (``execution.run_job``), at most
``workers`` at a time. Children are forked from a multiprocessing *forkserver* that imported otter
once, so no submission pays for otter's import. Each child has a memory limit (it and its kernel
each get ``RLIMIT_AS``), and the runner kills the whole process tree (the kernel is a grandchild
in a session of its own, so a process-group kill would miss it) when a submission runs past its
wall-time limit.

Nothing one submission does stops the batch. If a submission kills its kernel or the grading
process, hangs beyond interrupting, or runs out of memory, the cell that was running is replaced
by one that raises and the submission is graded again (up to ``MAX_ATTEMPTS`` times), so the rest
of the notebook still earns its points; the status (``crashed``, ``timeout``, ``memory``) and the
skipped cells are recorded. A kernel that fails to start is retried once; if it fails again the
status is ``error``, which a re-run retries.
"""
from __future__ import annotations

import json
import multiprocessing
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import psutil

from .autograder import Autograder
from .processes import kill_all

__all__ = ["Limits", "Attempt", "grade_one", "grade_submissions", "MAX_ATTEMPTS"]

MAX_ATTEMPTS = 4
_CONTEXT = None
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Limits:
    """Limits for one submission. Validated on creation; every message names the option."""

    timeout: float = 600.0        # seconds of wall time for one attempt at a submission
    cell_timeout: float = 60.0    # seconds for one cell before it is interrupted
    test_timeout: float = 10.0    # seconds for one test case before it fails
    memory_mb: int = 2048         # address space of the grading process and of its kernel, each
    output_limit: int = 1_000_000  # characters of output kept per cell

    def __post_init__(self):
        for name, low in (("timeout", 1), ("cell_timeout", 1), ("test_timeout", 0.1),
                          ("memory_mb", 256), ("output_limit", 1000)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= low:
                raise ValueError(f"{name.replace('_', '-')} must be a number >= {low:g}; got {value!r}.")
        if self.cell_timeout > self.timeout:
            raise ValueError(f"cell-timeout ({self.cell_timeout:g} s) cannot be longer than the "
                             f"timeout for the whole submission ({self.timeout:g} s).")


@dataclass
class Attempt:
    """What one child process reported (or what the runner saw when it had to kill it)."""

    outcome: str          # graded | timeout | memory | kernel-died | killed | kernel-start | no-results | error
    detail: str
    result: dict
    cell: object          # the cell running last (progress file), as prepare.CELL_KEY marks it
    seconds: float


def _context():
    global _CONTEXT
    with _LOCK:
        if _CONTEXT is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["socialkit.course.grading.execution"])
            _CONTEXT = ctx
    return _CONTEXT


def _kernel_tree(pid: int | None) -> list:
    """The kernel with this pid and its children, if it is still an ipykernel (pids are reused)."""
    if not pid:
        return []
    try:
        kernel = psutil.Process(pid)
        if "ipykernel" in " ".join(kernel.cmdline()):
            return [kernel] + kernel.children(recursive=True)
    except psutil.Error:
        pass
    return []


def _kill_tree(pid: int | None, kernel_pid: int | None = None) -> None:
    """Kill a process, all its descendants and (when it is one) the kernel ``kernel_pid``."""
    procs = []
    if pid:
        try:
            root = psutil.Process(pid)
            procs = root.children(recursive=True) + [root]
        except psutil.Error:
            pass
    kill_all(procs + _kernel_tree(kernel_pid), timeout=10)


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def run_attempt(job: dict, timeout: float) -> Attempt:
    """Run one child for ``job`` (see ``execution.run_job``) with a wall-time limit."""
    from . import execution

    workdir = Path(job["workdir"])
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    start = time.perf_counter()
    proc = _context().Process(target=execution.run_job, args=(job,), daemon=True)
    proc.start()
    try:
        proc.join(timeout)
        killed = proc.is_alive()
    finally:
        if proc.is_alive():
            progress = _read_json(workdir / "progress.json") or {}
            _kill_tree(proc.pid, progress.get("kernel_pid"))
            proc.join(10)
    seconds = time.perf_counter() - start
    progress = _read_json(workdir / "progress.json") or {}
    cell = progress.get("cell")
    _kill_tree(None, progress.get("kernel_pid"))  # a kernel left behind by a child that died
    result = _read_json(workdir / "result.json")
    if killed:
        return Attempt("timeout", f"still running after {timeout:g} s; stopped", {}, cell, seconds)
    if result is None:
        code = proc.exitcode
        if code == -9:
            return Attempt("memory", "the grading process was killed (out of memory?)", {}, cell, seconds)
        return Attempt("killed", f"the grading process ended with code {code} and no result", {},
                       cell, seconds)
    return Attempt(result.get("outcome", "error"), result.get("detail", ""), result, cell, seconds)


def _log_tail(workdir: Path, chars: int = 2000) -> str:
    try:
        text = (workdir / "otter.log").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text[-chars:]


_PROBLEM_STATUS = {"timeout": "timeout", "memory": "memory", "kernel-died": "crashed",
                   "killed": "crashed", "no-results": "crashed"}
_REASONS = {"timeout": "it ran past the time limit and could not be interrupted",
            "memory": "it ran out of memory",
            "kernel-died": "it stopped the Python kernel (sys.exit, os._exit or a crash)",
            "killed": "the grading process died while it ran",
            "no-results": "otter could not collect results after it ran"}


def _cell_name(cell) -> str:
    """How a report names a cell: its number in the submission, counted from 1 as in Jupyter's
    "cell N" of a notebook opened in an editor (the grader's own cells are named as such)."""
    if isinstance(cell, int):
        return f"cell {cell + 1}"
    if isinstance(cell, str) and cell.startswith("skipped:"):
        return f"cell {int(cell.split(':')[1]) + 1} (skipped)"
    return {"setup": "the grader's setup cell", "final": "the grader's final check"}.get(str(cell), str(cell))


def grade_one(notebook: Path, autograder: Autograder, limits: Limits, workdir: Path,
              stop: threading.Event | None = None) -> dict | None:
    """Grade one gradable notebook; return the fields of its record that grading decides:
    ``status``, ``detail``, ``questions`` (as otter reported them), ``skipped_cells``,
    ``timed_out_cells``, ``memory_errors``, ``truncated_cells``, ``attempts`` and ``seconds``.
    Returns ``None`` if ``stop`` is set (the batch was interrupted) before it finished."""
    skip: dict[int, str] = {}
    first_problem: str | None = None
    details: list[str] = []
    kernel_start_failures = 0
    seconds = 0.0
    attempts = 0
    test_cases = sum(q.public_cases + q.hidden_cases for q in autograder.questions)
    while attempts < MAX_ATTEMPTS:
        if stop is not None and stop.is_set():
            return None
        attempts += 1
        job = {"workdir": str(workdir / f"attempt-{attempts}"), "notebook": str(notebook),
               "autograder": str(autograder.path), "memory_bytes": limits.memory_mb << 20,
               "cell_timeout": limits.cell_timeout, "test_timeout": limits.test_timeout,
               "output_limit": limits.output_limit, "test_cases": test_cases,
               "skip": {str(k): v for k, v in skip.items()},
               "assignment_name": autograder.assignment_name}
        attempt = run_attempt(job, limits.timeout)
        seconds += attempt.seconds
        if stop is not None and stop.is_set():
            shutil.rmtree(job["workdir"], ignore_errors=True)
            return None
        if attempt.outcome == "graded":
            result = attempt.result
            shutil.rmtree(job["workdir"], ignore_errors=True)
            errors = result.get("errors", [])
            timed_out = [c for c in result.get("timed_out", []) if c is not None]
            memory = [e["cell"] for e in errors if e.get("ename") == "MemoryError"]
            slow_tests = {q: sum(c.get("timed_out", False) for c in r["cases"])
                          for q, r in result["questions"].items()}
            slow_tests = {q: n for q, n in slow_tests.items() if n}
            status = first_problem or ("timeout" if timed_out or slow_tests else
                                       "memory" if memory else "ok")
            if slow_tests:
                details.append(f"test cases stopped at their {limits.test_timeout:g} s limit: "
                               + ", ".join(f"{q} ({n})" for q, n in slow_tests.items()))
            if timed_out:
                details.append(f"cells interrupted after {limits.cell_timeout:g} s: "
                               + ", ".join(map(_cell_name, timed_out)))
            if memory:
                details.append("cells that ran out of memory: " + ", ".join(map(_cell_name, memory)))
            if result.get("truncated"):
                details.append(f"output cut at {limits.output_limit:,} characters in "
                               f"{len(result['truncated'])} cell(s)")
            return {"status": status, "detail": "; ".join(details), "questions": result["questions"],
                    "skipped_cells": skip, "timed_out_cells": timed_out, "memory_errors": memory,
                    "truncated_cells": result.get("truncated", []), "attempts": attempts,
                    "seconds": round(seconds, 2)}
        if attempt.outcome == "kernel-start" and kernel_start_failures == 0:
            kernel_start_failures += 1
            shutil.rmtree(job["workdir"], ignore_errors=True)
            continue
        if attempt.outcome in _PROBLEM_STATUS:
            first_problem = first_problem or _PROBLEM_STATUS[attempt.outcome]
            cell = attempt.cell
            where = _cell_name(cell) if cell is not None else "start-up"
            details.append(f"attempt {attempts}: {attempt.detail or attempt.outcome} (while running {where})")
            shutil.rmtree(job["workdir"], ignore_errors=True)
            if isinstance(cell, int) and cell not in skip:
                skip[cell] = _REASONS[attempt.outcome]
                continue
            break
        # error, or a kernel that failed to start twice: not the student's doing
        details.append(f"attempt {attempts}: {attempt.outcome}: {attempt.detail}\n{_log_tail(Path(job['workdir']))}")
        shutil.rmtree(job["workdir"], ignore_errors=True)
        return {"status": "error", "detail": "\n".join(details), "questions": {},
                "skipped_cells": skip, "timed_out_cells": [], "memory_errors": [],
                "truncated_cells": [], "attempts": attempts, "seconds": round(seconds, 2)}
    # no attempt could be graded: every question scores 0, the status says why
    return {"status": first_problem or "crashed", "detail": "; ".join(details)
            + "; no attempt finished, so no question earned points", "questions": {},
            "skipped_cells": skip, "timed_out_cells": [], "memory_errors": [],
            "truncated_cells": [], "attempts": attempts, "seconds": round(seconds, 2)}


def grade_submissions(jobs, autograder: Autograder, limits: Limits, workers: int, work_root: Path,
                      on_done=None, stop: threading.Event | None = None):
    """Grade ``jobs`` (an iterable of ``(key, notebook_path)``), ``workers`` at a time.

    Calls ``on_done(key, outcome)`` from the main thread as each one finishes (so the caller can
    store it at once) and returns nothing. Ctrl-C stops the children and re-raises.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1; got {workers!r}.")
    jobs = list(jobs)
    if not jobs:
        return
    _context()  # start the forkserver (and import otter in it) before the threads need it
    work_root = Path(work_root)
    stop = stop or threading.Event()

    def task(key, notebook, index):
        if stop.is_set():
            return key, None
        return key, grade_one(Path(notebook), autograder, limits, work_root / f"job-{index}", stop)

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade")
    try:
        futures = [pool.submit(task, key, nb, i) for i, (key, nb) in enumerate(jobs)]
        for future in as_completed(futures):
            key, outcome = future.result()
            if outcome is not None and on_done is not None:
                on_done(key, outcome)
    except BaseException:
        stop.set()
        for child in multiprocessing.active_children():
            _kill_tree(child.pid)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
        shutil.rmtree(work_root, ignore_errors=True)

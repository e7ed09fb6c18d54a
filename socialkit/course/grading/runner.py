"""Grading submissions side by side: a sealed student process and a clean judge for each.

For one submission (``grade_one``):

1. the notebook runs in a sandbox (``sandbox.py``, ``worker.py``): its own process, forked from a
   server that imported otter, numpy, pandas and the kit once, with a time limit per cell and
   for the whole notebook, and memory, CPU, file-size and process limits. The runner watches
   which cell runs; its answers come back as plain data (``plain.py``);
2. the judge (``judge.py``), another process forked from the same clean server, runs the
   autograder's tests on those answers and calls the student's functions through the
   sandbox's pipe; if the student's process dies or hangs in a call, the runner gives the
   judge a fresh one (the notebook run again, in a new sandbox);
3. everything the submission started is ended (``sandbox.stop``).

Nothing one submission does stops the batch. A cell that kills the student's process is run
once more (in case something else killed it), and skipped if it does it again; a cell that
hangs beyond interrupting is skipped; a name whose hand-over kills the process is handed over
as missing; the rest of the notebook still earns its points, and the status (``crashed``,
``timeout``, ``memory``) says what happened. A failure on the grader's side (a sandbox that
could not be set up, a judge that died) retries that submission alone, and after a second
failure gives it the status ``error``, which a re-run retries.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing.reduction import send_handle

from . import judge, sandbox, worker
from .autograder import Autograder

__all__ = ["Limits", "Plan", "make_plan", "grade_one", "grade_submissions", "isolation",
           "run_cells", "MAX_ATTEMPTS"]

MAX_ATTEMPTS = 6
#: seconds a cell may run past its limit (ignoring the interrupt) before its process is killed
CELL_GRACE = 5.0
#: most messages a student process may send, and the largest (the answers included)
MAX_MESSAGE = 256 << 20
_CONTEXT = None
_LOCK = threading.Lock()
_THREAD_VARIABLES = sandbox.THREAD_VARIABLES + ("MPLBACKEND",)


@dataclass(frozen=True)
class Limits:
    """Limits for one submission. Validated on creation; every message names the option."""

    timeout: float = 600.0        # seconds of wall time for running one notebook
    cell_timeout: float = 60.0    # seconds for one cell before it is interrupted
    test_timeout: float = 10.0    # seconds for one test case before it fails
    memory_mb: int = 2048         # address space of the student's process
    output_limit: int = 1_000_000  # characters of output a cell may print before it is noted

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
class Plan:
    """What grading needs from the autograder, read once: its tests (source text), the answer
    names they take, and the folders the sandboxes must not see."""

    autograder: Autograder
    tests: list[tuple[str, str]]
    names: list[str]
    takes_env: bool
    filename: str
    hide: list[str] = field(default_factory=list)
    isolation: sandbox.Isolation | None = None

    @property
    def test_cases(self) -> int:
        return sum(q.public_cases + q.hidden_cases for q in self.autograder.questions)


def make_plan(ag: Autograder, hide=()) -> Plan:
    """Read the autograder's tests (and check that the judge can run them)."""
    with zipfile.ZipFile(ag.path) as zf:
        tests = [(n, zf.read(n).decode("utf-8")) for n in sorted(zf.namelist())
                 if n.startswith("tests/") and n.endswith(".py")]
    names, takes_env = judge.test_parameters(judge.load_tests(tests))
    filename = f"{ag.assignment_name or 'submission'}.ipynb"
    return Plan(ag, tests, names, takes_env, filename, [str(p) for p in hide])


def _context():
    """The fork server every sandbox and judge is forked from (started once, clean)."""
    global _CONTEXT
    with _LOCK:
        if _CONTEXT is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["socialkit.course.grading._preload"])
            saved = {k: os.environ.get(k) for k in _THREAD_VARIABLES}
            os.environ.update({k: "1" for k in sandbox.THREAD_VARIABLES}, MPLBACKEND="Agg")
            try:
                from multiprocessing import forkserver

                forkserver.ensure_running()
            finally:
                for key, value in saved.items():
                    if value is None:
                        os.environ.pop(key, None)
                    else:
                        os.environ[key] = value
            _CONTEXT = ctx
    return _CONTEXT


def isolation() -> sandbox.Isolation:
    """The isolation this machine gives sandboxes (probed once)."""
    return sandbox.available(_context())


# --- one run of the notebook -------------------------------------------------------------------------
@dataclass
class _Run:
    outcome: str                    # ready | died | hung | timeout | setup-failed | protocol | stopped
    proc: object
    spec: sandbox.SandboxSpec
    calls: object                   # the judge's end of the call pipe
    answers: dict = field(default_factory=dict)
    cells: dict = field(default_factory=dict)     # index -> cell-done event
    current: int | None = None      # the cell running when it ended
    exporting: str | None = None    # the name being handed over when it ended
    detail: str = ""
    exitcode: int | None = None


def _read(conn, timeout: float):
    """One JSON message from a student process, ``None`` on timeout, ``EOFError`` at its end."""
    if not conn.poll(max(0.0, timeout)):
        return None
    raw = conn.recv_bytes(MAX_MESSAGE)
    try:
        message = json.loads(raw)
    except (ValueError, RecursionError):
        raise ValueError("a message that is not JSON") from None
    if not isinstance(message, dict) or not isinstance(message.get("event"), str):
        raise ValueError("a message without an event")
    return message


def _start_notebook(plan: Plan, snapshot: bytes, cells, limits: Limits, kind: str, skip: dict,
                    skip_names: list, export: bool, stop: threading.Event | None) -> _Run:
    ctx = _context()
    ctl_main, ctl_child = ctx.Pipe()
    calls_judge, calls_child = ctx.Pipe()
    spec = sandbox.SandboxSpec(kind, memory_bytes=int(limits.memory_mb) << 20,
                               cpu_seconds=int(limits.timeout * 2 + 60), hide=list(plan.hide))
    if kind == "namespaces":
        spec.cgroup = sandbox.make_cgroup(spec.processes)
    job = {"notebook": snapshot, "filename": plan.filename, "cells": cells,
           "skip": {str(k): v for k, v in skip.items()}, "skip_names": list(skip_names),
           "cell_timeout": limits.cell_timeout, "output_limit": limits.output_limit,
           "names": plan.names, "export_all": plan.takes_env, "export": export}
    proc = sandbox.launch(ctx, spec, (ctl_child, calls_child), worker.run, (job,))
    ctl_child.close()
    calls_child.close()
    run = _Run("running", proc, spec, calls_judge)
    start = time.monotonic()
    deadline = start + limits.timeout
    step_deadline = start + 60.0 + limits.cell_timeout  # start-up: the fork and the shell
    try:
        while True:
            now = time.monotonic()
            if stop is not None and stop.is_set():
                run.outcome = "stopped"
                break
            if now >= deadline:
                run.outcome, run.detail = "timeout", f"still running after {limits.timeout:g} s; stopped"
                break
            if now >= step_deadline:
                run.outcome = "hung"
                run.detail = (f"it ran past the {limits.cell_timeout:g} s limit and could not be interrupted"
                              if run.current is not None or run.exporting else "the notebook's process did not start")
                break
            try:
                message = _read(ctl_main, min(deadline, step_deadline, now + 1.0) - now)
            except (EOFError, OSError):
                run.outcome = "died"
                break
            except ValueError as error:
                run.outcome, run.detail = "protocol", f"the notebook's process sent {error}"
                break
            if message is None:
                continue
            event = message["event"]
            now = time.monotonic()
            if event == "setup-failed":
                run.outcome, run.detail = "setup-failed", str(message.get("detail", ""))[:500]
                break
            if event == "started":
                step_deadline = now + 30.0
            elif event == "cell":
                run.current = message.get("index")
                step_deadline = now + limits.cell_timeout + CELL_GRACE
            elif event == "cell-done":
                run.cells[message.get("index")] = message
                run.current = None
                step_deadline = now + 30.0
            elif event == "cell-skipped":
                step_deadline = now + 30.0
            elif event == "exporting":
                run.exporting = str(message.get("name"))
                step_deadline = now + limits.cell_timeout + CELL_GRACE
            elif event == "answer":
                name = message.get("name")
                if isinstance(name, str) and (name in plan.names or plan.takes_env):
                    run.answers[str(name)] = message.get("value")
                run.exporting = None
                step_deadline = now + 30.0
            elif event == "ready":
                run.outcome = "ready"
                break
    finally:
        ctl_main.close()
    if run.outcome != "ready":
        sandbox.stop(proc, spec)
        run.exitcode = proc.exitcode
        if run.outcome == "died" and run.exitcode == sandbox.SETUP_FAILED:
            run.outcome = "setup-failed"
    return run


def run_cells(sources: list[str], names: list[str], *, kind: str | None = None, hide=(),
              limits: Limits | None = None) -> tuple[str, dict, dict]:
    """Run code cells in a sandbox exactly as a submission's cells run, and return
    ``(outcome, {name: value handed over}, {cell index: what happened})``; for the isolation
    tests and for diagnosing a machine. Functions come back as opaque placeholders."""
    import nbformat

    from . import plain

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    plan = Plan(None, [], list(names), False, "probe.ipynb", [str(p) for p in hide])
    limits = limits or Limits(timeout=120, cell_timeout=30)
    kind = kind or isolation().kind
    run = _start_notebook(plan, nbformat.writes(nb).encode(), list(enumerate(sources)), limits, kind,
                          {}, [], True, None)
    try:
        values = {}
        for name, node in run.answers.items():
            if not (isinstance(node, dict) and node.get("$") == "missing"):
                values[name] = plain.decode(node)
        return run.outcome, values, run.cells
    finally:
        sandbox.stop(run.proc, run.spec)


# --- judging -----------------------------------------------------------------------------------------
def _judge(plan: Plan, run: _Run, snapshot, cells, limits: Limits, kind: str, skip: dict,
           skip_names: list, stop) -> tuple[dict | None, str, list[_Run]]:
    """Run the judge on ``run``'s answers; returns (results or None, detail, every run used)."""
    ctx = _context()
    control, control_child = ctx.Pipe()
    job = {"tests": plan.tests, "answers": json.dumps(run.answers), "test_timeout": limits.test_timeout,
           "max_restarts": 6}
    proc = ctx.Process(target=judge.run, args=(control_child, run.calls, job), daemon=True)
    proc.start()
    control_child.close()
    run.calls.close()
    runs = [run]
    budget = plan.test_cases * (limits.test_timeout + judge.CALL_GRACE + 2.0) + 60.0
    deadline = time.monotonic() + budget
    results, detail = None, ""
    try:
        while True:
            if stop is not None and stop.is_set():
                detail = "stopped"
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                detail = f"the judge did not finish within {budget:.0f} s"
                break
            try:
                if not control.poll(min(remaining, 1.0)):
                    continue
                message = json.loads(control.recv_bytes(MAX_MESSAGE))
            except (EOFError, OSError, ValueError):
                detail = f"the judge stopped (exit code {proc.exitcode})"
                break
            event = message.get("event")
            if event == "done":
                results = message.get("results")
                break
            if event == "failed":
                detail = f"the judge failed: {message.get('detail', '')}"
                break
            if event == "need-worker":
                sandbox.stop(runs[-1].proc, runs[-1].spec)
                fresh = _start_notebook(plan, snapshot, cells, limits, kind, skip, skip_names,
                                        export=False, stop=stop)
                runs.append(fresh)
                if fresh.outcome == "ready":
                    control.send_bytes(b'{"ok": true}')
                    send_handle(control, fresh.calls.fileno(), proc.pid)
                    fresh.calls.close()
                else:
                    control.send_bytes(b'{"ok": false}')
    finally:
        control.close()
        if proc.is_alive():
            proc.kill()
        proc.join(10)
        for r in runs:
            sandbox.stop(r.proc, r.spec)
    return results, detail, runs


# --- one submission ------------------------------------------------------------------------------------
_PROBLEM = {"died": "crashed", "hung": "timeout", "timeout": "timeout", "protocol": "crashed"}


def _cell_name(cell) -> str:
    """How a report names a cell: its number in the submission, counted from 1 as in Jupyter's
    "cell N" of a notebook opened in an editor."""
    if isinstance(cell, int):
        return f"cell {cell + 1}"
    return str(cell)


def _outcome(status, detail, questions, skip, timed_out, memory, truncated, attempts, seconds, kind):
    return {"status": status, "detail": detail, "questions": questions,
            "skipped_cells": {str(k): v for k, v in skip.items()}, "timed_out_cells": timed_out,
            "memory_errors": memory, "truncated_cells": truncated, "attempts": attempts,
            "seconds": round(seconds, 2), "isolation": kind}


def grade_one(snapshot: bytes, cells: list, plan: Plan, limits: Limits,
              stop: threading.Event | None = None) -> dict | None:
    """Grade one gradable notebook (its bytes, and its code cells as [(index, source)]).

    Returns the fields of its record that grading decides: ``status``, ``detail``, ``questions``
    (per question the judge's ``score``, ``possible`` and ``cases``), ``skipped_cells``,
    ``timed_out_cells``, ``memory_errors``, ``truncated_cells``, ``attempts``, ``seconds`` and
    ``isolation``. Returns ``None`` if ``stop`` is set (the batch was interrupted) first.
    """
    kind = (plan.isolation or isolation()).kind
    skip: dict[int, str] = {}
    skip_names: list[str] = []
    crashed_once: set = set()
    first_problem: str | None = None
    details: list[str] = []
    grader_failures = 0
    start = time.monotonic()
    attempts = 0
    while attempts < MAX_ATTEMPTS:
        if stop is not None and stop.is_set():
            return None
        attempts += 1
        run = _start_notebook(plan, snapshot, cells, limits, kind, skip, skip_names, True, stop)
        if run.outcome == "stopped":
            return None
        if run.outcome == "setup-failed":
            grader_failures += 1
            details.append(f"attempt {attempts}: the sandbox could not be set up: {run.detail}")
            if grader_failures >= 2:
                break
            continue
        if run.outcome == "ready":
            notebook_seconds = time.monotonic() - start
            judged = time.monotonic()
            results, why, runs = _judge(plan, run, snapshot, cells, limits, kind, skip, skip_names, stop)
            timing = {"notebook_seconds": round(notebook_seconds, 3),
                      "judge_seconds": round(time.monotonic() - judged, 3)}
            if stop is not None and stop.is_set():
                return None
            if results is None:
                grader_failures += 1
                details.append(f"attempt {attempts}: {why}")
                if grader_failures >= 2:
                    break
                continue
            outcome = _finish(results, run, runs, skip, first_problem, details, attempts,
                              time.monotonic() - start, limits, kind)
            outcome.update(timing)
            return outcome
        # the student's process ended or was stopped before it handed over its answers
        where = run.current
        if run.outcome == "died" and run.exporting is not None:
            first_problem = first_problem or "crashed"
            skip_names.append(run.exporting)
            details.append(f"attempt {attempts}: the process stopped while handing over "
                           f"{run.exporting}; it counts as not answered")
            continue
        if run.outcome == "protocol":
            first_problem = "crashed"
            details.append(f"attempt {attempts}: {run.detail}; nothing could be graded")
            return _outcome("crashed", "; ".join(details), {}, skip, [], [], [], attempts,
                            time.monotonic() - start, kind)
        problem = _PROBLEM.get(run.outcome, "crashed")
        reason = {"died": "it stopped the Python process (sys.exit in a function, os._exit, a crash "
                          "or running out of memory)",
                  "hung": "it ran past the time limit and could not be interrupted",
                  "timeout": "the notebook ran past its total time limit"}.get(run.outcome, run.outcome)
        details.append(f"attempt {attempts}: {run.detail or reason} (while running "
                       f"{_cell_name(where) if where is not None else 'start-up'})")
        if isinstance(where, int) and where not in skip:
            if run.outcome == "died" and where not in crashed_once:
                crashed_once.add(where)  # once more, as it was: something else may have killed it
                continue
            first_problem = first_problem or problem
            skip[where] = reason
            continue
        first_problem = first_problem or problem
        if where is None and run.outcome in ("died", "hung"):
            grader_failures += 1
            if grader_failures >= 2:
                break
            continue
        break
    seconds = time.monotonic() - start
    if grader_failures >= 2:
        return _outcome("error", "\n".join(details), {}, skip, [], [], [], attempts, seconds, kind)
    return _outcome(first_problem or "crashed", "; ".join(details)
                    + "; no attempt finished, so no question earned points", {}, skip, [], [], [],
                    attempts, seconds, kind)


def _finish(results: dict, run: _Run, runs, skip, first_problem, details, attempts, seconds,
            limits: Limits, kind: str) -> dict:
    cells = run.cells
    timed_out = sorted(i for i, c in cells.items() if c.get("timed_out"))
    memory = sorted(i for i, c in cells.items() if c.get("error") == "MemoryError")
    truncated = sorted(i for i, c in cells.items() if c.get("truncated"))
    slow_tests = {q: sum(1 for c in r["cases"] if c.get("timed_out")) for q, r in results.items()}
    slow_tests = {q: n for q, n in slow_tests.items() if n}
    status = first_problem or ("timeout" if timed_out or slow_tests else "memory" if memory else "ok")
    if slow_tests:
        details.append(f"test cases stopped at their {limits.test_timeout:g} s limit: "
                       + ", ".join(f"{q} ({n})" for q, n in slow_tests.items()))
    if timed_out:
        details.append(f"cells interrupted after {limits.cell_timeout:g} s: "
                       + ", ".join(map(_cell_name, timed_out)))
    if memory:
        details.append("cells that ran out of memory: " + ", ".join(map(_cell_name, memory)))
    if truncated:
        details.append(f"more than {limits.output_limit:,} characters of output in "
                       f"{len(truncated)} cell(s)")
    restarts = len(runs) - 1
    if restarts:
        details.append(f"the notebook was run {restarts} more time(s) to call its functions after "
                       "a call stopped or hung its process")
    return _outcome(status, "; ".join(details), results, skip, timed_out, memory, truncated, attempts,
                    seconds, kind)


def grade_submissions(jobs, plan: Plan, limits: Limits, workers: int, on_done=None,
                      stop: threading.Event | None = None):
    """Grade ``jobs`` (an iterable of ``(key, snapshot bytes, code cells)``), ``workers`` at a time.

    Calls ``on_done(key, outcome)`` from the main thread as each one finishes (so the caller can
    store it at once) and returns nothing. Ctrl-C stops the sandboxes and re-raises.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1; got {workers!r}.")
    jobs = list(jobs)
    if not jobs:
        return
    if plan.isolation is None:
        plan.isolation = isolation()
    stop = stop or threading.Event()

    def task(key, snapshot, cells):
        if stop.is_set():
            return key, None
        return key, grade_one(snapshot, cells, plan, limits, stop)

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade")
    try:
        futures = [pool.submit(task, key, snap, cells) for key, snap, cells in jobs]
        for future in as_completed(futures):
            key, outcome = future.result()
            if outcome is not None and on_done is not None:
                on_done(key, outcome)
    except BaseException:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)

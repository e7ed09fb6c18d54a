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
from dataclasses import dataclass, field
from multiprocessing.reduction import send_handle

from . import judge, protocol, sandbox, worker
from ..intake.autograder import Autograder

__all__ = ["Limits", "Plan", "make_plan", "grade_one", "isolation", "run_cells", "MAX_ATTEMPTS",
           "GRADER_FAILURES"]

MAX_ATTEMPTS = 6
#: seconds a cell may run past its limit (ignoring the interrupt) before its process is killed
CELL_GRACE = 5.0
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
            ctx.set_forkserver_preload(["socialkit.course.grading.engine.preload"])
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


#: seconds the runner waits for the next event after one that does not start a cell or an answer
_QUIET = 30.0


def _start_notebook(plan: Plan, snapshot: bytes, cells, limits: Limits, kind: str, skip: dict,
                    skip_names: list, export: bool, stop: threading.Event | None,
                    variant: str | None = None) -> _Run:
    """Run the notebook in a new sandbox until it has handed over its answers (``ready``) or
    stopped; the process is left running (serving calls) only when ``ready``."""
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
           "names": plan.names, "export_all": plan.takes_env, "export": export, "variant": variant}
    proc = sandbox.launch(ctx, spec, (ctl_child, calls_child), worker.run, (job,))
    ctl_child.close()
    calls_child.close()
    run = _Run("running", proc, spec, calls_judge)
    try:
        _watch(run, ctl_main, plan, limits, stop)
    finally:
        ctl_main.close()
    if run.outcome != "ready":
        sandbox.stop(proc, spec)
        run.exitcode = proc.exitcode
        if run.outcome == "died" and run.exitcode == sandbox.SETUP_FAILED:
            run.outcome = "setup-failed"
    return run


def _watch(run: _Run, ctl, plan: Plan, limits: Limits, stop) -> None:
    """Follow the student's process's events (``protocol.WORKER_EVENTS``) until it is ready or
    its time is up; sets ``run.outcome``."""
    start = time.monotonic()
    deadline = start + limits.timeout
    step_deadline = start + 60.0 + limits.cell_timeout  # start-up: the fork and the shell
    while True:
        now = time.monotonic()
        if stop is not None and stop.is_set():
            run.outcome = "stopped"
            return
        if now >= deadline:
            run.outcome, run.detail = "timeout", f"still running after {limits.timeout:g} s; stopped"
            return
        if now >= step_deadline:
            run.outcome = "hung"
            run.detail = (f"it ran past the {limits.cell_timeout:g} s limit and could not be interrupted"
                          if run.current is not None or run.exporting else "the notebook's process did not start")
            return
        try:
            message = protocol.read_event(ctl, min(deadline, step_deadline, now + 1.0) - now)
        except (EOFError, OSError):
            run.outcome = "died"
            return
        except protocol.ProtocolError as error:
            run.outcome, run.detail = "protocol", f"the notebook's process sent {error}"
            return
        if message is None:
            continue
        if _on_event(run, message, plan):
            return
        if message["event"] in protocol.WORKER_EVENTS:  # anything else does not extend its time
            busy = message["event"] in (protocol.CELL, protocol.EXPORTING)
            step_deadline = time.monotonic() + (limits.cell_timeout + CELL_GRACE if busy else _QUIET)


def _on_event(run: _Run, message: dict, plan: Plan) -> bool:
    """Note one event in ``run``; True when it ends the watch (ready, or setup failed)."""
    event = message["event"]
    if event == protocol.SETUP_FAILED:
        run.outcome, run.detail = "setup-failed", str(message.get("detail", ""))[:500]
        return True
    if event == protocol.READY:
        run.outcome = "ready"
        return True
    if event == protocol.CELL:
        run.current = message.get("index")
    elif event == protocol.CELL_DONE:
        run.cells[message.get("index")] = message
        run.current = None
    elif event == protocol.EXPORTING:
        run.exporting = str(message.get("name"))
    elif event == protocol.ANSWER:
        name = message.get("name")
        if isinstance(name, str) and (name in plan.names or plan.takes_env):
            run.answers[str(name)] = message.get("value")
        run.exporting = None
    return False


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
           skip_names: list, stop, variant: str | None = None) -> tuple[dict | None, str, list[_Run]]:
    """Run the judge on ``run``'s answers; returns (results or None, detail, every run used)."""
    ctx = _context()
    control, control_child = ctx.Pipe()
    job = {"tests": plan.tests, "answers": json.dumps(run.answers), "test_timeout": limits.test_timeout,
           "max_restarts": 6, "variant": variant}
    proc = ctx.Process(target=judge.run, args=(control_child, run.calls, job), daemon=True)
    proc.start()
    control_child.close()
    run.calls.close()
    runs = [run]

    def fresh_worker() -> None:
        """The judge's ``NEED_WORKER``: the notebook run again, its call pipe handed over."""
        sandbox.stop(runs[-1].proc, runs[-1].spec)
        fresh = _start_notebook(plan, snapshot, cells, limits, kind, skip, skip_names, export=False, stop=stop,
                                variant=variant)
        runs.append(fresh)
        control.send_bytes(protocol.grant(fresh.outcome == "ready"))
        if fresh.outcome == "ready":
            send_handle(control, fresh.calls.fileno(), proc.pid)
            fresh.calls.close()

    budget = plan.test_cases * (limits.test_timeout + judge.CALL_GRACE + 2.0) + 60.0
    try:
        results, detail = _follow_judge(control, proc, time.monotonic() + budget, budget, fresh_worker, stop)
    finally:
        control.close()
        if proc.is_alive():
            proc.kill()
        proc.join(10)
        for r in runs:
            sandbox.stop(r.proc, r.spec)
    return results, detail, runs


def _follow_judge(control, proc, deadline: float, budget: float, fresh_worker, stop) -> tuple[dict | None, str]:
    """Wait for the judge's verdict (``protocol.JUDGE_EVENTS``): (results or None, why not)."""
    while True:
        if stop is not None and stop.is_set():
            return None, "stopped"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None, f"the judge did not finish within {budget:.0f} s"
        try:
            message = protocol.read_event(control, min(remaining, 1.0))
        except (EOFError, OSError, ValueError):
            return None, f"the judge stopped (exit code {proc.exitcode})"
        if message is None:
            continue
        if message["event"] == protocol.DONE:
            return message.get("results"), ""
        if message["event"] == protocol.FAILED:
            return None, f"the judge failed: {message.get('detail', '')}"
        if message["event"] == protocol.NEED_WORKER:
            fresh_worker()


# --- one submission ------------------------------------------------------------------------------------
_PROBLEM = {"died": "crashed", "hung": "timeout", "timeout": "timeout", "protocol": "crashed"}
_REASON = {"died": "it stopped the Python process (sys.exit in a function, os._exit, a crash "
                   "or running out of memory)",
           "hung": "it ran past the time limit and could not be interrupted",
           "timeout": "the notebook ran past its total time limit"}
#: failures on the grader's side (not the student's) after which a submission gets ``error``
GRADER_FAILURES = 2


def _cell_name(cell) -> str:
    """How a report names a cell: its number in the submission, counted from 1 as in Jupyter's
    "cell N" of a notebook opened in an editor."""
    if isinstance(cell, int):
        return f"cell {cell + 1}"
    return str(cell)


@dataclass
class _Attempts:
    """What grading one submission has learnt so far, one attempt (a run of the notebook) after
    another: which cells and answers to leave out next time, and what went wrong."""

    kind: str                                            # the isolation used
    start: float = field(default_factory=time.monotonic)
    count: int = 0                                       # attempts started
    skip: dict = field(default_factory=dict)             # cell index -> why it is not run again
    skip_names: list = field(default_factory=list)       # answers whose hand-over killed the process
    crashed_once: set = field(default_factory=set)       # cells that killed the process once
    first_problem: str | None = None                     # the status the first trouble gives
    details: list = field(default_factory=list)
    grader_failures: int = 0

    def note(self, text: str) -> None:
        self.details.append(f"attempt {self.count}: {text}")

    def grader_failed(self, text: str) -> None:
        self.grader_failures += 1
        self.note(text)

    @property
    def given_up(self) -> bool:
        return self.grader_failures >= GRADER_FAILURES

    def outcome(self, status: str, detail: str, questions: dict | None = None, cells: dict | None = None) -> dict:
        cells = cells or {}
        return {"status": status, "detail": detail, "questions": questions or {},
                "skipped_cells": {str(k): v for k, v in self.skip.items()},
                "timed_out_cells": cells.get("timed_out", []), "memory_errors": cells.get("memory", []),
                "truncated_cells": cells.get("truncated", []), "attempts": self.count,
                "seconds": round(time.monotonic() - self.start, 2), "isolation": self.kind}

    def learn_from(self, run: _Run) -> str:
        """After a run that ended before its answers were handed over: ``"retry"`` (with what
        to leave out), ``"crashed"`` (nothing can be graded) or ``"stop"``."""
        where = run.current
        if run.outcome == "died" and run.exporting is not None:
            self.first_problem = self.first_problem or "crashed"
            self.skip_names.append(run.exporting)
            self.note(f"the process stopped while handing over {run.exporting}; it counts as not answered")
            return "retry"
        if run.outcome == "protocol":
            self.first_problem = "crashed"
            self.note(f"{run.detail}; nothing could be graded")
            return "crashed"
        problem = _PROBLEM.get(run.outcome, "crashed")
        reason = _REASON.get(run.outcome, run.outcome)
        self.note(f"{run.detail or reason} (while running "
                  f"{_cell_name(where) if where is not None else 'start-up'})")
        if isinstance(where, int) and where not in self.skip:
            if run.outcome == "died" and where not in self.crashed_once:
                self.crashed_once.add(where)  # once more, as it was: something else may have killed it
                return "retry"
            self.first_problem = self.first_problem or problem
            self.skip[where] = reason
            return "retry"
        self.first_problem = self.first_problem or problem
        if where is None and run.outcome in ("died", "hung"):
            self.grader_failures += 1
            return "stop" if self.given_up else "retry"
        return "stop"

    def no_grade(self) -> dict:
        """The outcome when no attempt finished."""
        if self.given_up:
            return self.outcome("error", "\n".join(self.details))
        return self.outcome(self.first_problem or "crashed", "; ".join(self.details)
                            + "; no attempt finished, so no question earned points")


def grade_one(snapshot: bytes, cells: list, plan: Plan, limits: Limits,
              stop: threading.Event | None = None, variant: str | None = None) -> dict | None:
    """Grade one gradable notebook (its bytes, and its code cells as [(index, source)]).

    ``variant``: the value of ``SOCIALKIT_VARIANT`` (``intake.variant_ids.grading_value``) for
    this submission's student, or None. The student's process gets it before the notebook runs,
    and the judge sets it for this submission's tests alone, so the kit's loaders and the hidden
    tests' ``variants.current`` give that student's numbers, whatever the notebook typed; the
    judge takes it from the runner, never from the student's process.

    Returns the fields of its record that grading decides: ``status``, ``detail``, ``questions``
    (per question the judge's ``score``, ``possible`` and ``cases``), ``skipped_cells``,
    ``timed_out_cells``, ``memory_errors``, ``truncated_cells``, ``attempts``, ``seconds`` and
    ``isolation``. Returns ``None`` if ``stop`` is set (the batch was interrupted) first.
    """
    state = _Attempts((plan.isolation or isolation()).kind)
    stopped = lambda: stop is not None and stop.is_set()  # noqa: E731
    while state.count < MAX_ATTEMPTS and not state.given_up:
        if stopped():
            return None
        state.count += 1
        run = _start_notebook(plan, snapshot, cells, limits, state.kind, state.skip, state.skip_names,
                              True, stop, variant)
        if run.outcome == "stopped":
            return None
        if run.outcome == "setup-failed":
            state.grader_failed(f"the sandbox could not be set up: {run.detail}")
            continue
        if run.outcome == "ready":
            notebook_seconds = time.monotonic() - state.start
            judged = time.monotonic()
            results, why, runs = _judge(plan, run, snapshot, cells, limits, state.kind, state.skip,
                                        state.skip_names, stop, variant)
            if stopped():
                return None
            if results is None:
                state.grader_failed(why)
                continue
            outcome = _finish(results, run, runs, state, limits)
            outcome.update(notebook_seconds=round(notebook_seconds, 3),
                           judge_seconds=round(time.monotonic() - judged, 3))
            return outcome
        step = state.learn_from(run)
        if step == "crashed":
            return state.outcome("crashed", "; ".join(state.details))
        if step == "stop":
            break
    return state.no_grade()


def _finish(results: dict, run: _Run, runs, state: _Attempts, limits: Limits) -> dict:
    """The outcome of an attempt the judge finished: its status and what went wrong on the way."""
    cells = run.cells
    timed_out = sorted(i for i, c in cells.items() if c.get("timed_out"))
    memory = sorted(i for i, c in cells.items() if c.get("error") == "MemoryError")
    truncated = sorted(i for i, c in cells.items() if c.get("truncated"))
    slow_tests = {q: sum(1 for c in r["cases"] if c.get("timed_out")) for q, r in results.items()}
    slow_tests = {q: n for q, n in slow_tests.items() if n}
    status = state.first_problem or ("timeout" if timed_out or slow_tests else "memory" if memory else "ok")
    details = state.details
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
    return state.outcome(status, "; ".join(details), results,
                         {"timed_out": timed_out, "memory": memory, "truncated": truncated})

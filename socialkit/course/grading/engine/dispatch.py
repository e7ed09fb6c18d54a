"""Many submissions, one loop: grading dispatched through a ``concurrent.futures.Executor``.

The engine grades one snapshot at a time (``runner.grade_one``); a class is many of those side
by side. Where they run is one seam, a :class:`Dispatch`: an executor (anything with ``submit``
and ``shutdown``, as in ``concurrent.futures``), the task it runs on one snapshot, and what to do
with a task that failed. Two exist:

* :func:`local` (the default): a pool of threads on this machine, each driving the sandbox and
  the judge processes of one submission at a time;
* ``cluster.dispatch`` (``--dask``): the executor of a Dask client (``client.get_executor()``),
  each submission one task on a worker.

:func:`grade_all` is the one submit / wait / cancel loop both use: results are handed to
``on_done`` on the calling thread as they finish (so the caller signs and stores each at once),
and Ctrl-C cancels what has not started, stops what runs, and re-raises.
"""
from __future__ import annotations

import threading
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Callable

from . import runner

__all__ = ["Dispatch", "local", "grade_all", "check_workers"]


def check_workers(workers) -> int:
    """``workers`` if it is a whole number >= 1; else a ``ValueError`` naming it."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1; got {workers!r}.")
    return workers


def _identity(outcome):
    return outcome


@dataclass
class Dispatch:
    """Where the submissions of a class are graded.

    ``task(snapshot, cells, variant)`` returns an outcome (``runner.grade_one``'s fields) or ``None``
    (stopped); ``accept`` checks what a task returned before it is used; ``on_failure(error)``
    turns a task that raised into an outcome (``None``: the error stops the batch); ``stop`` is
    set when the batch is interrupted (tasks that see it return ``None``)."""

    executor: Executor
    task: Callable
    description: str
    accept: Callable = _identity
    on_failure: Callable | None = None
    stop: threading.Event | None = None
    #: whether an interrupted batch still waits for running tasks (local ones stop at once)
    wait_when_interrupted: bool = True
    _futures: list = field(default_factory=list, repr=False)

    def submit(self, snapshot: bytes, cells: list, variant: str | None = None):
        """Start grading one snapshot (as ``variant``'s student, see ``runner.grade_one``); its future."""
        future = self.executor.submit(self.task, snapshot, cells, variant)
        self._futures.append(future)
        return future

    def close(self, interrupted: bool = False) -> None:
        if interrupted:
            if self.stop is not None:
                self.stop.set()
            for future in self._futures:
                future.cancel()
        self.executor.shutdown(wait=self.wait_when_interrupted or not interrupted)


def _grade_here(snapshot: bytes, cells: list, variant: str | None = None, *, plan: runner.Plan,
                limits: runner.Limits, stop: threading.Event):
    if stop.is_set():
        return None
    return runner.grade_one(snapshot, cells, plan, limits, stop, variant)


def local(plan: runner.Plan, limits: runner.Limits, workers: int) -> Dispatch:
    """``workers`` submissions at a time on this machine."""
    check_workers(workers)
    if plan.isolation is None:
        plan.isolation = runner.isolation()
    stop = threading.Event()

    def task(snapshot, cells, variant=None):
        return _grade_here(snapshot, cells, variant, plan=plan, limits=limits, stop=stop)

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade")
    return Dispatch(pool, task, f"{workers} workers, {plan.isolation.kind}", stop=stop)


def grade_all(jobs, dispatch: Dispatch, on_done=None) -> None:
    """Grade ``jobs`` (``(key, snapshot bytes, code cells)``, and the student's variant as a fourth
    item where the exercise has one) through ``dispatch``; calls
    ``on_done(key, outcome)`` on this thread as each one finishes; closes ``dispatch``."""
    keys = {}
    interrupted = False
    try:
        for key, snapshot, cells, *variant in jobs:
            keys[dispatch.submit(snapshot, cells, *variant)] = key
        for future in as_completed(keys):
            try:
                outcome = dispatch.accept(future.result())
            except Exception as error:  # noqa: BLE001 - the failure of this task alone, if allowed
                if dispatch.on_failure is None:
                    raise
                outcome = dispatch.on_failure(error)
            if outcome is not None and on_done is not None:
                on_done(keys[future], outcome)
    except BaseException:
        interrupted = True
        raise
    finally:
        dispatch.close(interrupted)

"""Grading one submission: the code that runs in the child process of each submission.

The batch runner (``runner.py``) forks one child per submission from a server process that has
already imported otter (``multiprocessing``'s forkserver), so a submission does not pay otter's
few seconds of import time. The child

1. limits itself (and so the kernel it starts, which inherits the limits): address space
   (``RLIMIT_AS``, the memory limit), file size (``RLIMIT_FSIZE``, 1 GiB) and no core dumps;
   numeric libraries use one thread each, since submissions already run side by side;
2. writes the graded copy of the notebook (``prepare.graded_copy``) and runs **otter run**
   (``otter.run.main``, the function behind the ``otter run`` command) on it, with the
   assignment's autograder zip, in a fresh ``python3`` kernel;
3. writes what otter found to ``result.json`` in its work folder.

Inside otter, notebook execution is nbclient's; the child swaps in a subclass of the
``ExecutePreprocessor`` that otter uses which adds what otter run lacks: a time limit per cell
(the cell is interrupted and marked as timed out, and the rest of the notebook still runs), a cap
on each cell's output, an IPC transport for the kernel (no TCP ports, so kernels started side by
side cannot race for one), and a progress file naming the cell being run, so that the parent can
skip a cell that killed or hung the kernel when it tries again.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

import nbformat
import nbconvert.preprocessors
import otter.run
from nbconvert.preprocessors import ExecutePreprocessor

from . import prepare
from .processes import kill_all

__all__ = ["run_job", "GuardedExecutePreprocessor"]

FILE_SIZE_LIMIT = 1 << 30
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")

#: set by ``run_job`` in the child before otter runs
_JOB: dict = {}


def _write_json(path: Path, data) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _message_size(msg) -> int:
    content = msg.get("content", {})
    if msg.get("msg_type") == "stream":
        return len(content.get("text", ""))
    return sum(len(str(v)) for v in (content.get("data") or {}).values()) + len(str(content.get("traceback", "")))


class GuardedExecutePreprocessor(ExecutePreprocessor):
    """otter's notebook executor with a per-cell time limit, an output cap, an IPC kernel
    transport and a progress file (see the module docstring)."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.interrupt_on_timeout = True
        self.shutdown_kernel = "immediate"  # the kernel is thrown away: no graceful wait
        self.timeout_func = self._cell_timeout
        self.on_cell_execute = self._record_progress
        self._sk_sizes: dict[int, int] = {}
        self._sk_current = None
        self.timed_out: list = []
        self.truncated: list = []

    # --- limits ---
    def _cell_timeout(self, cell) -> int:
        limit = _JOB["cell_timeout"]
        if cell.metadata.get(prepare.CELL_KEY) == "final":  # every test case may use its limit
            return int(limit + _JOB["test_timeout"] * max(1, _JOB["test_cases"]))
        return int(limit)

    async def _async_handle_timeout(self, timeout, cell=None):
        where = cell.metadata.get(prepare.CELL_KEY) if cell is not None else None
        if where not in self.timed_out:
            self.timed_out.append(where)
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs, msg, display_id, cell_index):
        if msg.get("msg_type") != "error":
            used = self._sk_sizes.get(cell_index, 0) + _message_size(msg)
            self._sk_sizes[cell_index] = used
            if used > _JOB["output_limit"]:
                if cell_index not in self.truncated:
                    self.truncated.append(cell_index)
                    outs.append(nbformat.v4.new_output(
                        "stream", name="stderr",
                        text=f"\n[the grader cut this cell's output at {_JOB['output_limit']:,} characters]\n"))
                return None
        return super().output(outs, msg, display_id, cell_index)

    # --- kernel transport and progress ---
    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        km.transport = "ipc"
        km.ip = os.path.join(_JOB["ipc_dir"], "k")
        return km

    def _record_progress(self, cell, cell_index):
        self._sk_current = cell.metadata.get(prepare.CELL_KEY)
        kernel_pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        _write_json(Path(_JOB["workdir"]) / "progress.json",
                    {"cell": self._sk_current, "kernel_pid": kernel_pid})


def _limit_resources(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"


def _redirect_output(log: Path) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)


def _question_results(results) -> dict:
    out = {}
    for name, test in results.results.items():
        cases = []
        for r in test.test_case_results:
            cases.append({"name": r.test_case.name, "hidden": bool(r.test_case.hidden),
                          "points": float(r.test_case.points or 0), "passed": bool(r.passed),
                          "message": None if r.test_case.hidden else (r.message or ""),
                          "timed_out": (not r.passed) and "time limit" in (r.message or "")})
        out[name] = {"score": float(test.score), "possible": float(test.possible), "cases": cases}
    return out


def _errors_in(nb) -> list[dict]:
    found = []
    for cell in nb.cells:
        where = cell.get("metadata", {}).get(prepare.CELL_KEY)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append({"cell": where, "ename": output.get("ename", "")})
    return found


def _kill_descendants() -> None:
    import psutil

    kill_all(psutil.Process().children(recursive=True), timeout=5)


def run_job(job: dict) -> None:
    """Grade one submission (the target of the child process); writes ``result.json``.

    ``job`` holds: ``workdir``, ``notebook`` (the submission), ``autograder`` (zip path),
    ``memory_bytes``, ``cell_timeout``, ``test_timeout``, ``output_limit``, ``test_cases`` (how
    many the autograder has) and ``skip`` ({cell index: reason}).
    """
    workdir = Path(job["workdir"])
    result_path = workdir / "result.json"
    start = time.perf_counter()
    os.setpgrp()  # the child and what it starts (not the kernel: it has its own session)
    ipc_dir = tempfile.mkdtemp(prefix="skg-")  # short path: unix sockets allow ~100 characters
    _JOB.update(job, ipc_dir=ipc_dir)
    result: dict = {"outcome": "error", "detail": "", "questions": {}, "timed_out": [],
                    "truncated": [], "errors": [], "seconds": 0.0}
    try:
        _redirect_output(workdir / "otter.log")
        _limit_resources(int(job["memory_bytes"]))
        tmp = workdir / "tmp"
        tmp.mkdir(exist_ok=True)
        tempfile.tempdir = str(tmp)
        os.environ["TMPDIR"] = str(tmp)

        pristine = workdir / "pristine-tests"
        with zipfile.ZipFile(job["autograder"]) as zf:
            members = [n for n in zf.namelist() if n.startswith("tests/") and not n.endswith("/")]
            zf.extractall(workdir / "pristine", members=members)
        shutil.move(str(workdir / "pristine" / "tests"), pristine)

        nb = prepare.inspect(job["notebook"], None).notebook
        skip = {int(k): v for k, v in job.get("skip", {}).items()}
        graded = prepare.graded_copy(nb, test_timeout=job["test_timeout"],
                                     pristine_tests=str(pristine), skip=skip)
        submission_dir = workdir / "submission"
        submission_dir.mkdir(exist_ok=True)
        # the name the student notebook's own grader = otter.Notebook("<name>.ipynb") expects
        submission = submission_dir / f"{job.get('assignment_name') or 'submission'}.ipynb"
        nbformat.write(graded, submission)

        executors: list[GuardedExecutePreprocessor] = []

        class Executor(GuardedExecutePreprocessor):
            def __init__(self, **kw):
                super().__init__(**kw)
                executors.append(self)

        nbconvert.preprocessors.ExecutePreprocessor = Executor  # otter imports it at call time
        os.chdir(workdir)
        results = otter.run.main(str(submission), autograder=str(job["autograder"]),
                                 output_dir=str(workdir), no_logo=True)
        executor = executors[-1]
        result.update(outcome="graded", questions=_question_results(results),
                      timed_out=executor.timed_out, truncated=executor.truncated,
                      errors=_errors_in(results.notebook) if results.notebook else [])
        if results.has_catastrophic_failure():
            result.update(outcome="no-results", detail=str(results.summary())[:2000])
    except MemoryError:
        result.update(outcome="memory", detail="the grading process ran out of memory")
    except BaseException as error:  # noqa: BLE001 - every failure is reported, none escapes
        name = type(error).__name__
        text = "".join(traceback.format_exception_only(type(error), error)).strip()
        if name == "DeadKernelError":
            result.update(outcome="kernel-died", detail=text)
        elif "Kernel didn't respond" in text or "Kernel died before replying" in text:
            result.update(outcome="kernel-start", detail=text)
        elif name == "CellTimeoutError":
            result.update(outcome="timeout", detail=text)
        else:
            result.update(outcome="error", detail="".join(traceback.format_exception(error))[-3000:])
    finally:
        result["seconds"] = time.perf_counter() - start
        try:
            _write_json(result_path, result)
        finally:
            try:
                _kill_descendants()
            finally:
                shutil.rmtree(ipc_dir, ignore_errors=True)

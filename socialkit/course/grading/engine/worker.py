"""The student process: runs one submitted notebook, hands over its answers, serves calls.

It runs inside a sandbox (``sandbox.py``), forked from a server that already imported numpy,
pandas, matplotlib, IPython, otter and the kit, so a submission pays only for its own cells.

1. **Run the notebook.** Each code cell runs in order in an IPython shell (the same shell a
   Jupyter kernel wraps: magics, ``display``, otter's ``grader.check`` all behave as in
   JupyterLab), with a time limit per cell: the cell is interrupted as a kernel would be, and
   the rest still runs. Output is counted and thrown away. Cells the runner names in ``skip``
   (they killed or hung the process before) are not run. Before each cell the runner is told
   which one runs, so if the process dies it knows where.
2. **Hand over the answers.** Every name the tests ask for is encoded as plain data
   (``plain.py``) and sent to the runner, one by one. A function crosses as a description: a
   reference to call it by, whether it was written in the notebook, and the names its code
   uses (what a test that reads ``func.__code__.co_names`` looks at).
3. **Serve calls.** The judge sends a function reference and arguments (plain data); the
   function is called here, under the judge's time limit, and only plain data goes back: the
   result, or the name and message of the exception it raised.

Nothing here is trusted by the grader: whatever this process sends is only the student's
answer, checked and compared elsewhere.
"""
from __future__ import annotations

import io
import json
import signal
import sys
import time
import types

from . import plain, protocol

__all__ = ["run", "describe_function", "CellTimeout"]

#: a message on the control pipe is at most this large (answers included)
MAX_MESSAGE = plain.MAX_BYTES


class CellTimeout(KeyboardInterrupt):
    """Raised in a cell (or a call) that ran past its time limit, as a kernel interrupt would be."""


class _Sink(io.TextIOBase):
    """stdout/stderr of the student's cells: counted, then thrown away."""

    def __init__(self):
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        n = len(text) if isinstance(text, str) else 0
        self.count += n
        return n

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _alarm(signum, frame):
    raise CellTimeout("the grader's time limit was reached")


def _arm(seconds: float | None) -> None:
    signal.signal(signal.SIGALRM, _alarm)
    if seconds:
        signal.setitimer(signal.ITIMER_REAL, max(0.01, float(seconds)), 1.0)


def _disarm() -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)


def _shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    class GradingShell(InteractiveShell):
        """IPython without a screen: ``%matplotlib`` and GUI event loops are no-ops (Agg)."""

        def enable_gui(self, gui=None):
            return None

        def enable_matplotlib(self, gui=None):
            return gui, "agg"

        def enable_pylab(self, gui=None, import_all=True, welcome_message=False):
            return gui, "agg", False

    config = Config()
    config.HistoryManager.enabled = False
    return GradingShell.instance(config=config)


# --- functions as plain descriptions ---------------------------------------------------------------
_HANDLES: dict[str, object] = {}


def _code_names(code, seen: set, depth: int = 0) -> set[str]:
    names = set(code.co_names)
    if depth < 20:
        for const in code.co_consts:
            if isinstance(const, types.CodeType) and id(const) not in seen:
                seen.add(id(const))
                names |= _code_names(const, seen, depth + 1)
    return names


def _written_here(func) -> bool:
    return (isinstance(func, types.FunctionType) and func.__module__ == "__main__"
            and isinstance(func.__code__.co_filename, str)
            and func.__code__.co_filename.startswith("<ipython-input-"))


def _uses(func, seen: set, depth: int = 0) -> set[str]:
    """Names a notebook function's code uses, followed into the notebook functions it calls and
    through aliases of the kit's functions (``h = bass.cumulative_adoption``)."""
    if id(func) in seen or depth > 10:
        return set()
    seen.add(id(func))
    names = _code_names(func.__code__, set())
    for name in list(names):
        target = func.__globals__.get(name) if isinstance(func.__globals__, dict) else None
        if target is None or isinstance(target, types.ModuleType):
            continue
        if _written_here(target):
            names |= _uses(target, seen, depth + 1)
        elif callable(target):
            real = getattr(target, "__name__", None)
            if isinstance(real, str):
                names.add(real)
    return names


def describe_function(func, ref: str | None = None) -> dict:
    """The plain description of a callable the judge may call back (and register it)."""
    if ref is None:
        ref = f"h{len(_HANDLES) + 1}"
    _HANDLES[ref] = func
    here = _written_here(func)
    module = getattr(func, "__module__", None)
    qualname = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    origin = f"{module}.{qualname}" if isinstance(module, str) and isinstance(qualname, str) else type(func).__name__
    names: list[str] = []
    if here:
        names = sorted(_uses(func, set()))
    elif isinstance(getattr(func, "__code__", None), types.CodeType):
        names = sorted(_code_names(func.__code__, set()))
    name = getattr(func, "__name__", None)
    params = None
    try:
        import inspect

        params = [[p.name, int(p.kind), p.default is not p.empty]
                  for p in inspect.signature(func).parameters.values()]
    except (TypeError, ValueError):
        pass
    return {"$": "fn", "ref": ref, "name": name if isinstance(name, str) else type(func).__name__,
            "notebook": here, "origin": origin[:200], "names": names[:2000], "params": params}


def _resolve(node: dict):
    ref = node.get("ref")
    func = _HANDLES.get(ref) if isinstance(ref, str) else None
    if func is None:
        raise plain.PlainError(f"unknown function reference {str(ref)[:40]!r}")
    return func


# --- talking to the runner and the judge --------------------------------------------------------------
def _encode_answer(name: str, namespace: dict, limit: float) -> dict:
    if name not in namespace:
        return {"$": "missing"}
    value = namespace[name]
    _arm(limit)
    try:
        if callable(value) and not isinstance(value, type):
            return describe_function(value, ref=f"name:{name}")
        return plain.encode(value, functions=describe_function)
    except plain.PlainError as error:
        return {"$": "opaque", "type": type(value).__name__, "reason": str(error)}
    except CellTimeout:
        return {"$": "opaque", "type": type(value).__name__, "reason": "it took too long to read"}
    finally:
        _disarm()


def _run_cells(ctl, shell, cells: list[tuple[int, str]], job: dict) -> None:
    limit = float(job["cell_timeout"])
    output_limit = int(job["output_limit"])
    skip = {int(k) for k in job.get("skip", {})}
    real_out, real_err = sys.stdout, sys.stderr
    for index, source in cells:
        if index in skip:
            protocol.send(ctl, {"event": protocol.CELL_SKIPPED, "index": index})
            continue
        protocol.send(ctl, {"event": protocol.CELL, "index": index})
        sink = _Sink()
        sys.stdout = sys.stderr = sink
        start = time.perf_counter()
        error = None
        timed_out = False
        try:
            _arm(limit)
            result = shell.run_cell(source, store_history=True, silent=False)
            error = result.error_in_exec or result.error_before_exec
        except CellTimeout as stopped:  # raised outside the cell's own code (rare)
            error = stopped
        except BaseException as other:  # noqa: BLE001 - whatever the cell does, the notebook goes on
            error = other
        finally:
            _disarm()
            sys.stdout, sys.stderr = real_out, real_err
        timed_out = isinstance(error, CellTimeout)
        protocol.send(ctl, {"event": protocol.CELL_DONE, "index": index, "seconds": round(time.perf_counter() - start, 3),
                    "error": type(error).__name__ if error is not None else None,
                    "timed_out": timed_out, "truncated": sink.count > output_limit})


def _serve(calls) -> None:
    while True:
        try:
            raw = calls.recv_bytes(MAX_MESSAGE)
        except (EOFError, OSError):
            return
        try:
            request = json.loads(raw)
            func = _resolve({"ref": request["ref"]})
            args = plain.decode(request["args"], functions=_resolve)
            kwargs = plain.decode(request["kwargs"], functions=_resolve)
            limit = float(request["limit"])
        except Exception as error:  # noqa: BLE001 - a request this side cannot read
            protocol.send(calls, {protocol.REPLY_ERROR: {"type": "GraderError", "message": f"bad request: {error}"}})
            continue
        sink = _Sink()
        real_out, real_err = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = sink
        try:
            _arm(limit)
            try:
                value = func(*args, **dict(kwargs))
            finally:
                _disarm()
            reply = {protocol.REPLY_OK: plain.encode(value, functions=describe_function)}
        except CellTimeout:
            reply = {protocol.REPLY_TIMEOUT: True}
        except plain.PlainError as error:
            reply = {protocol.REPLY_OK: {"$": "opaque", "type": "object", "reason": str(error)}}
        except BaseException as error:  # noqa: BLE001 - the student's exception, as plain text
            try:
                message = str(error)
            except BaseException:  # noqa: BLE001
                message = ""
            module = getattr(type(error), "__module__", "")
            reply = {protocol.REPLY_ERROR: {"type": type(error).__name__[:80], "message": message[:2000],
                               "module": module if isinstance(module, str) else ""}}
        finally:
            sys.stdout, sys.stderr = real_out, real_err
        try:
            protocol.send(calls, reply)
        except (TypeError, ValueError):
            protocol.send(calls, {protocol.REPLY_ERROR: {"type": "GraderError", "message": "the result could not be sent"}})


def run(ctl, calls, job: dict) -> None:
    """The student process (the target the sandbox runs); see the module docstring.

    ``job``: ``notebook`` (the snapshot's bytes), ``filename`` (the name the student notebook's
    ``otter.Notebook(...)`` expects), ``cells`` ([(index, source)] of the code cells),
    ``skip`` ({index: reason}), ``cell_timeout``, ``output_limit``, ``names`` (to hand over),
    ``skip_names``, ``export_all`` (hand over every plain global too, for tests that take
    ``env``), ``export`` (False: a fresh worker that only serves calls), ``variant`` (the
    student's ``SOCIALKIT_VARIANT``, set before any cell runs, or None).
    """
    import os

    from ...variants import GRADING_VARIABLE

    if job.get("variant"):
        os.environ[GRADING_VARIABLE] = job["variant"]
    else:
        os.environ.pop(GRADING_VARIABLE, None)

    with open(job["filename"], "wb") as f:
        f.write(job["notebook"])
    shell = _shell()
    protocol.send(ctl, {"event": protocol.STARTED, "pid": os.getpid()})
    _run_cells(ctl, shell, [(int(i), str(s)) for i, s in job["cells"]], job)
    sys.stdout = sys.stderr = _Sink()
    namespace = shell.user_ns
    for name in job["names"]:  # a fresh worker can be called by the same references
        value = namespace.get(name)
        if callable(value) and not isinstance(value, type):
            try:
                describe_function(value, ref=f"name:{name}")
            except Exception:  # noqa: BLE001
                pass
    if job.get("export", True):
        names = list(dict.fromkeys(job["names"]))
        if job.get("export_all"):
            hidden = set(shell.user_ns_hidden) | {"grader", "In", "Out", "exit", "quit", "get_ipython"}
            names += [n for n in list(namespace) if isinstance(n, str) and not n.startswith("_")
                      and n not in hidden and n not in names
                      and not isinstance(namespace[n], types.ModuleType)]
        skip_names = set(job.get("skip_names", []))
        for name in names:
            if name in skip_names:
                continue
            protocol.send(ctl, {"event": protocol.EXPORTING, "name": name})
            value = _encode_answer(name, namespace, float(job["cell_timeout"]))
            try:
                protocol.send(ctl, {"event": protocol.ANSWER, "name": name, "value": value})
            except (TypeError, ValueError, OverflowError):
                protocol.send(ctl, {"event": protocol.ANSWER, "name": name,
                            "value": {"$": "opaque", "type": "object", "reason": "could not be sent"}})
    protocol.send(ctl, {"event": protocol.READY})
    _serve(calls)

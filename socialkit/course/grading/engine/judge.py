"""The clean-room judge: the assignment's tests, run where no student code has ever run.

The judge is a process of its own, forked from a server that imported the kit and never ran a
submission. It receives the student's answers as plain data (``plain.py``) and runs the
autograder's test files, exactly as the exercise masters wrote them (otter's exception-based
format), with an environment in which

* a value answer is the decoded plain value (a float, an array, a table...): the comparisons,
  the expected values and the test code are the judge's own, so nothing the student's code did
  (patching numpy, ``socialkit.checks`` or otter, an import hook, a liar object with its own
  ``__eq__`` or ``astype``) can reach them;
* a function answer is a :class:`RemoteFunction`: calling it sends the judge's arguments as
  plain data to the student's process (``worker.py``), which calls the function and sends back
  only plain data, within the test's time limit. A function that was not written in the
  notebook (``bass_F = bass.cumulative_adoption``, an alias of the kit's own answer) is refused:
  calling it raises, so every test that calls it fails. Its ``__code__.co_names`` are the names
  its code uses, followed into the notebook functions it calls.

Public tests run first, all of them, before any hidden input reaches the student's process, so
the messages of the public tests (shown in feedback) cannot carry a hidden test's inputs. Each
test case has a time limit: one that runs past it fails and is marked as timed out. The judge
reports, per question and test case, the points, whether it passed, whether it timed out, the
message of a public test, and the plain description of a hidden test (the first line of its
docstring, or "a hidden check of <the names it tests>"); never a hidden test's name, code,
inputs or error text.
"""
from __future__ import annotations

import builtins
import inspect
import json
import signal
import time

from . import plain, protocol

__all__ = ["RemoteFunction", "WorkerLink", "TestTimeout", "StudentError", "student_exception", "load_tests",
           "case_parameters", "test_parameters", "describe_hidden", "run_tests", "run"]

#: extra seconds the judge waits for a reply after the student's process should have stopped
CALL_GRACE = 3.0


class TestTimeout(BaseException):
    """A test case ran past its time limit (a BaseException, so no test code can swallow it)."""

    __test__ = False  # not a pytest test class


class StudentError(Exception):
    """An exception the student's function raised, rebuilt from its type's name and message."""


class WorkerUnavailable(Exception):
    """The student's process is gone and no fresh one could be started."""


_ERROR_TYPES: dict[tuple, type] = {}


def student_exception(info: dict) -> StudentError:
    """The exception a student function raised, rebuilt from its plain description (a builtin
    or kit exception type keeps its type, so a check that expects it still sees it)."""
    name = str(info.get("type") or "Exception")[:80]
    module = info.get("module")
    base: type = Exception
    builtin = getattr(builtins, name, None)
    if isinstance(builtin, type) and issubclass(builtin, Exception) and not issubclass(builtin, Warning):
        base = builtin
    elif isinstance(module, str):
        kit = plain.resolve_kit(module, name)
        if isinstance(kit, type) and issubclass(kit, Exception):
            base = kit
    key = (name, base)
    cls = _ERROR_TYPES.get(key)
    if cls is None:
        safe = "".join(c if c.isalnum() or c == "_" else "_" for c in name) or "Exception"
        cls = _ERROR_TYPES[key] = type(safe, (StudentError, base), {"__init__": Exception.__init__,
                                                                      "__str__": Exception.__str__})
    return cls(str(info.get("message") or "")[:2000])


class _CodeInfo:
    """What a test can read of a student function's code: the names it uses."""

    def __init__(self, names):
        self.co_names = tuple(str(n) for n in names)
        self.co_filename = "<notebook>"
        self.co_name = "<student function>"

    def __repr__(self) -> str:
        return "<code of a function in the notebook>"


class RemoteFunction:
    """A student's function, called through their process; only plain data crosses."""

    def __init__(self, link: "WorkerLink", info: dict):
        self._link = link
        self._ref = str(info.get("ref"))
        self._info = info
        name = info.get("name")
        self.__name__ = self.__qualname__ = name if isinstance(name, str) else "function"
        self.__doc__ = None
        self.__code__ = _CodeInfo(info.get("names") or [])
        self.__module__ = "__main__"
        params = info.get("params")
        if isinstance(params, list):
            try:
                self.__signature__ = inspect.Signature(
                    [inspect.Parameter(str(p[0]), int(p[1]), **({"default": None} if p[2] else {}))
                     for p in params])
            except (ValueError, TypeError, IndexError):
                pass

    @property
    def written_in_notebook(self) -> bool:
        return self._info.get("notebook") is True

    def __repr__(self) -> str:
        return f"<function {self.__name__}>"

    def __call__(self, *args, **kwargs):
        if not self.written_in_notebook:
            origin = str(self._info.get("origin") or "something else")
            raise StudentError(f"{self.__name__} is not a function written in this notebook (it is "
                               f"{origin}); write the function yourself with def")
        return self._link.call(self._ref, args, kwargs)


class WorkerLink:
    """The judge's end of the pipe to the student's process, with a deadline per test case."""

    def __init__(self, conn, get_worker=None):
        self.conn = conn
        self.get_worker = get_worker   # asks the runner for a fresh process; returns a Connection
        self.deadline: float | None = None
        self.timed_out = False
        self.restarts = 0

    def _encode_function(self, value):
        if isinstance(value, RemoteFunction):
            return {"$": "ref", "ref": value._ref}
        return None

    def _decode_function(self, node: dict):
        if node.get("$") == "kitfn":  # the kit's own function, handed over by the student
            origin = f"{node.get('module')}.{node.get('qualname')}"
            return RemoteFunction(self, {"ref": None, "name": str(node.get("qualname")),
                                         "notebook": False, "origin": origin})
        if node.get("$") != "fn":
            raise plain.PlainError("unexpected function node")
        return RemoteFunction(self, node)

    def decode(self, node):
        return plain.decode(node, self._decode_function, kit_functions=False)

    def _lost(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001
            pass
        self.conn = None

    def call(self, ref: str, args: tuple, kwargs: dict):
        if self.conn is None:
            if self.get_worker is None:
                raise WorkerUnavailable("the student's process has stopped")
            # the time a fresh process takes to start is not the test's: pause its clock
            paused = signal.setitimer(signal.ITIMER_REAL, 0)
            started = time.monotonic()
            try:
                self.conn = self.get_worker()
            finally:
                spent = time.monotonic() - started
                if self.deadline is not None:
                    self.deadline += spent
                if paused[0] > 0:
                    signal.setitimer(signal.ITIMER_REAL, paused[0], paused[1])
            self.restarts += 1
            if self.conn is None:
                raise WorkerUnavailable("the student's process stopped and could not be restarted")
        remaining = 60.0 if self.deadline is None else self.deadline - time.monotonic()
        if remaining <= 0:
            self.timed_out = True
            raise TestTimeout()
        request = protocol.call_request(ref, plain.encode(tuple(args), self._encode_function),
                                        plain.encode(dict(kwargs), self._encode_function), remaining)
        try:
            protocol.send(self.conn, request)
            if not self.conn.poll(remaining + CALL_GRACE):
                self.timed_out = True
                raise TestTimeout()
            raw = self.conn.recv_bytes(plain.MAX_BYTES)
        except (EOFError, OSError):
            self._lost()
            raise StudentError("the function stopped the notebook's process (for example with "
                               "sys.exit, os._exit or a crash)") from None
        except BaseException:
            # stopped while the student's process was still working: its late reply would
            # answer the next request, so this process is done with (the runner replaces it)
            self.timed_out = True
            self._lost()
            raise
        try:
            reply = json.loads(raw)
        except (ValueError, RecursionError):
            self._lost()
            raise StudentError("the notebook's process sent something that is not plain data") from None
        if not isinstance(reply, dict):
            self._lost()
            raise StudentError("the notebook's process sent something that is not plain data")
        if reply.get(protocol.REPLY_TIMEOUT):
            self.timed_out = True
            raise TestTimeout()
        if protocol.REPLY_ERROR in reply:
            error = reply[protocol.REPLY_ERROR]
            raise student_exception(error if isinstance(error, dict) else {})
        try:
            return self.decode(reply.get(protocol.REPLY_OK))
        except (plain.PlainError, RecursionError, MemoryError) as error:
            raise StudentError(f"the function returned something the grader cannot read ({error})") from None


# --- the tests -----------------------------------------------------------------------------------
def load_tests(sources: list[tuple[str, str]]):
    """otter test files (path, source) parsed as otter does; only the exception-based format."""
    from otter.test_files.exception_test import ExceptionTestFile

    tests = []
    for path, source in sources:
        if "OK_FORMAT = True" in source:
            raise ValueError(f"{path} is an OK-format test file; the judge grades otter's "
                             "exception-based tests (tests: ok_format: false in the master)")
        tests.append(ExceptionTestFile.from_string(source, path=path))
    return tests


def case_parameters(tc) -> list[str]:
    """The parameter names of one otter test case's function (the answers it takes).

    The one place the kit reaches into otter's internals: otter 7 offers no public call for a
    test function's parameters; ``TestCase.body._get_func_params`` is what otter itself uses to
    pass the answers, so the judge asks it too (pinned by requirements.txt; tests/grading checks it).
    """
    return list(tc.body._get_func_params())  # noqa: SLF001 (no public equivalent in otter 7)


def test_parameters(tests) -> tuple[list[str], bool]:
    """The answer names the tests take, and whether any test takes the whole environment."""
    names: list[str] = []
    takes_env = False
    for test in tests:
        for tc in test.test_cases:
            for p in case_parameters(tc):
                if p == "env":
                    takes_env = True
                elif p not in names:
                    names.append(p)
    return names, takes_env


test_parameters.__test__ = False  # not a pytest test


def describe_hidden(tc, index: int, count: int) -> str:
    """The plain description of a hidden test case shown to the student."""
    doc = inspect.getdoc(tc.body.test_func) or ""
    first = doc.strip().splitlines()[0].strip() if doc.strip() else ""
    if first:
        return first.rstrip(".")
    params = [p for p in case_parameters(tc) if p != "env"] or ["your answers"]
    return f"a hidden check of {', '.join(params)} ({index} of {count})"


def _alarm(signum, frame):
    raise TestTimeout()


def _run_case(tc, env: dict, link: WorkerLink, limit: float) -> tuple[bool, bool, str]:
    """(passed, timed_out, message) of one test case."""
    link.deadline = time.monotonic() + limit
    link.timed_out = False
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit + CALL_GRACE + 1.0)
    started = time.monotonic()
    try:
        tc.body.call_func(env)
        passed, message = True, ""
    except TestTimeout:
        passed, message = False, f"this test reached its time limit of {limit:g} s and was stopped"
        link.timed_out = True
    except BaseException as error:  # noqa: BLE001 - a failed check, or the student's error
        passed = False
        message = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        link.deadline = None
    timed_out = link.timed_out or (time.monotonic() - started) > limit
    if timed_out and passed:  # finished, but later than allowed: not a pass
        passed, message = False, f"this test took longer than its time limit of {limit:g} s"
    return passed, timed_out, message[:4000]


def _decode_answers(answers: dict, link: WorkerLink) -> dict:
    env = {}
    for name, node in answers.items():
        if isinstance(node, dict) and node.get("$") == "missing":
            continue
        try:
            env[name] = link.decode(node)
        except (plain.PlainError, RecursionError, MemoryError, TypeError, ValueError) as error:
            env[name] = plain.opaque("object", f"could not be read: {error}")
    return env


def run_tests(tests, answers: dict, link: WorkerLink, test_timeout: float, progress=None) -> dict:
    """Run every test case on the answers; returns {question: {score, possible, cases}}."""
    env = _decode_answers(answers, link)
    order = []
    for public in (True, False):
        for qi, test in enumerate(tests):
            hidden = [tc for tc in test.test_cases if tc.hidden]
            for ci, tc in enumerate(test.test_cases):
                if tc.hidden != public:
                    order.append((qi, ci, tc, hidden.index(tc) + 1 if tc.hidden else 0, len(hidden)))
    outcomes: dict[tuple[int, int], dict] = {}
    for qi, ci, tc, k, n in order:
        passed, timed_out, message = _run_case(tc, env, link, test_timeout)
        case = {"points": float(tc.points or 0), "passed": passed, "hidden": bool(tc.hidden),
                "timed_out": timed_out}
        if tc.hidden:
            case["description"] = describe_hidden(tc, k, n)
        else:
            case["message"] = message
        outcomes[(qi, ci)] = case
        if progress is not None:
            progress(qi, ci)
    results = {}
    for qi, test in enumerate(tests):
        cases = [outcomes[(qi, ci)] for ci in range(len(test.test_cases))]
        possible = sum(c["points"] for c in cases)
        earned = sum(c["points"] for c in cases if c["passed"])
        if test.all_or_nothing:
            earned = possible if all(c["passed"] for c in cases) else 0.0
        results[test.name] = {"score": float(earned), "possible": float(possible), "cases": cases}
    return results


# --- the judge process -----------------------------------------------------------------------------
def _grade_as(variant: str | None) -> None:
    """This job's student numbers for the tests (``variants.current``): set from the runner's job,
    in this process only, before anything of the student's arrives; a judge never reads it from
    the student's process, so nothing the notebook does can change which numbers it checks."""
    import os

    from ...variants import GRADING_VARIABLE, grading_value

    if variant:
        os.environ[GRADING_VARIABLE] = variant
        grading_value()  # a malformed value fails the judge (the grader's error), not the student
    else:
        os.environ.pop(GRADING_VARIABLE, None)


def run(control, calls, job: dict) -> None:
    """The judge process (forked from the clean server): grade ``job["answers"]`` with the tests
    in ``job["tests"]`` and send ``{"event": "done", "results": ...}`` on ``control``.

    When the student's process is gone, it asks the runner on ``control`` for a fresh one
    (``protocol.NEED_WORKER``); the runner answers with ``protocol.grant`` and a pipe (sent as a
    file descriptor).
    """
    from multiprocessing.connection import Connection
    from multiprocessing.reduction import recv_handle

    import os

    from .sandbox import close_inherited, seal_judge_process

    close_inherited({control.fileno(), calls.fileno()})
    seal_judge_process()
    restarts_left = int(job.get("max_restarts", 6))

    def get_worker():
        nonlocal restarts_left
        if restarts_left <= 0:
            return None
        restarts_left -= 1
        protocol.send(control, {"event": protocol.NEED_WORKER})
        reply = protocol.decode(control.recv_bytes(protocol.MAX_REPLY))
        if not reply.get("ok"):
            return None
        return Connection(recv_handle(control))

    link = WorkerLink(calls, get_worker)
    try:
        _grade_as(job.get("variant"))
        tests = load_tests(job["tests"])
        answers = json.loads(job["answers"])
        results = run_tests(tests, answers, link, float(job["test_timeout"]))
        protocol.send(control, {"event": protocol.DONE, "results": results, "restarts": link.restarts})
    except BaseException as error:  # noqa: BLE001 - a failure of the grader's own side
        try:
            protocol.send(control, {"event": protocol.FAILED,
                                    "detail": f"{type(error).__name__}: {error}"[:2000]})
        except OSError:
            pass
    os._exit(0)  # nothing of multiprocessing's own clean-up is needed (its pipes are closed)

"""Every message the runner, the student's process (worker) and the judge exchange, in one place.

Three processes, two kinds of pipe, all messages JSON objects (one per ``send_bytes``):

* **control pipe, worker → runner**: events while the notebook runs, keyed by ``"event"``
  (:data:`STARTED` ... :data:`READY`, and :data:`SETUP_FAILED` from the sandbox);
* **control pipe, judge ↔ runner**: the judge's :data:`NEED_WORKER`, :data:`DONE` and
  :data:`FAILED` events; the runner answers :data:`NEED_WORKER` with :func:`grant` (then the
  new call pipe, passed as a file descriptor with ``multiprocessing.reduction.send_handle``);
* **call pipe, judge ↔ worker**: a :func:`call_request` for a student function, answered by a
  reply holding exactly one of :data:`REPLY_OK`, :data:`REPLY_TIMEOUT` or :data:`REPLY_ERROR`.

The values inside (answers, arguments, results) are plain data (``plain.py``). Nothing a worker
sends is trusted: :func:`read_event` refuses anything that is not a JSON object with an event.

>>> decode(encode({"event": CELL, "index": 3}))
{'event': 'cell', 'index': 3}
>>> sorted(WORKER_EVENTS) == sorted([STARTED, CELL, CELL_DONE, CELL_SKIPPED, EXPORTING, ANSWER,
...                                  READY, SETUP_FAILED])
True
"""
from __future__ import annotations

import json

__all__ = ["STARTED", "CELL", "CELL_DONE", "CELL_SKIPPED", "EXPORTING", "ANSWER", "READY",
           "SETUP_FAILED", "NEED_WORKER", "DONE", "FAILED", "WORKER_EVENTS", "JUDGE_EVENTS",
           "REPLY_OK", "REPLY_TIMEOUT", "REPLY_ERROR", "MAX_MESSAGE", "MAX_REPLY", "ProtocolError",
           "encode", "decode", "send", "read_event", "grant", "call_request"]

# --- worker -> runner (control pipe) ---------------------------------------------------------------
STARTED = "started"
"""The student's process is up (``pid``); the notebook's cells are about to run."""
CELL = "cell"
"""Cell ``index`` starts now: if the process dies or hangs, this is the cell to blame."""
CELL_DONE = "cell-done"
"""Cell ``index`` ended: ``seconds``, ``error`` (the exception's type name or null),
``timed_out`` (interrupted at the cell limit), ``truncated`` (printed past the output limit)."""
CELL_SKIPPED = "cell-skipped"
"""Cell ``index`` was not run: an earlier attempt showed it kills or hangs the process."""
EXPORTING = "exporting"
"""Answer ``name`` is being encoded: if the process dies now, only this answer is lost."""
ANSWER = "answer"
"""Answer ``name`` as plain data (``value``; ``{"$": "missing"}`` when the notebook has none)."""
READY = "ready"
"""Every answer is handed over; the process now serves the judge's calls on the call pipe."""
SETUP_FAILED = "setup-failed"
"""The sandbox could not be set up (``detail``): the grader's failure, never the student's."""

# --- judge -> runner (control pipe) ----------------------------------------------------------------
NEED_WORKER = "need-worker"
"""The student's process is gone in the middle of the tests: the judge asks for a fresh one
(the notebook run again); the runner answers with :func:`grant`."""
DONE = "done"
"""The judge's verdict: ``results`` ({question: {score, possible, cases}}) and ``restarts``."""
FAILED = "failed"
"""The judge itself failed (``detail``): the submission is graded again, or gets ``error``."""

WORKER_EVENTS = frozenset({STARTED, CELL, CELL_DONE, CELL_SKIPPED, EXPORTING, ANSWER, READY,
                           SETUP_FAILED})
JUDGE_EVENTS = frozenset({NEED_WORKER, DONE, FAILED})

# --- judge <-> worker (call pipe) -------------------------------------------------------------------
REPLY_OK = "ok"
"""Reply key: the function's result as plain data."""
REPLY_TIMEOUT = "timeout"
"""Reply key: the function ran past the test's time limit and was interrupted."""
REPLY_ERROR = "error"
"""Reply key: the exception the function raised (``type``, ``message``, ``module``), or a
request the worker could not read (type ``GraderError``)."""

#: the largest message a student process may send (its answers included)
MAX_MESSAGE = 256 << 20
#: the largest reply the runner sends the judge
MAX_REPLY = 1 << 16


class ProtocolError(ValueError):
    """A message that breaks the protocol (not JSON, not an object, no event)."""


def encode(message: dict) -> bytes:
    """One message as bytes (UTF-8; a lone surrogate in a student's string survives)."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")


def decode(raw: bytes):
    """The message in ``raw``; :class:`ProtocolError` if it is not JSON."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise ProtocolError("a message that is not JSON") from None


def send(conn, message: dict) -> None:
    conn.send_bytes(encode(message))


def read_event(conn, timeout: float, max_bytes: int = MAX_MESSAGE) -> dict | None:
    """One event message from ``conn``: ``None`` after ``timeout`` seconds with nothing,
    ``EOFError`` when the other end is gone, :class:`ProtocolError` for a malformed message."""
    if not conn.poll(max(0.0, timeout)):
        return None
    message = decode(conn.recv_bytes(max_bytes))
    if not isinstance(message, dict) or not isinstance(message.get("event"), str):
        raise ProtocolError("a message without an event")
    return message


def grant(ok: bool) -> bytes:
    """The runner's answer to :data:`NEED_WORKER`: a fresh process follows (``True``) or none can
    be started (``False``).

    >>> grant(True)
    b'{"ok":true}'
    """
    return encode({"ok": bool(ok)})


def call_request(ref: str, args, kwargs, limit: float) -> dict:
    """The judge's request to call the student's function ``ref`` with plain ``args`` and
    ``kwargs`` within ``limit`` seconds."""
    return {"ref": ref, "args": args, "kwargs": kwargs, "limit": limit}

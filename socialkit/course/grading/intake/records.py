"""What a record of one graded file holds, and when an earlier one can stand.

A record is made before its notebook runs (:func:`new_record`: who, which file, its checksum,
the autograder and limits), completed with the engine's outcome (:func:`finish_record`, whose
scores are first checked against the autograder by :func:`settle_scores`), signed and stored
(``store.py``). On a re-run, a stored record is reused (:func:`reusable`) only if it is signed,
made by this grader for this very file and autograder, and not an ``error``.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict

from .autograder import Autograder
from .identity import Submission
from .store import RECORD_VERSION

__all__ = ["JUDGE_VERSION", "NOT_ATTEMPTED", "new_record", "finish_record", "settle_scores", "reusable"]

#: records made by another grader (e.g. the otter-run grader before the judge) are not reused
JUDGE_VERSION = "clean-room judge 1"
#: statuses of a file in which no question was attempted (its total is 0, not blank)
NOT_ATTEMPTED = {"not-a-notebook", "wrong-assignment"}


def settle_scores(ag: Autograder, questions: dict) -> tuple[dict[str, float] | None, str]:
    """Per-question points from the judge's results, checked against the autograder: each
    question must report the points the autograder gives it, and a score within [0, max] that
    is no more than the points of the test cases it passed. Returns ``(scores, "")``, or
    ``(None, why)`` when the results are inconsistent (never a corrected, let alone inflated,
    score).
    """
    scores = {}
    for q in ag.questions:
        result = questions.get(q.name)
        if result is None:
            scores[q.name] = 0.0
            continue
        score, possible = float(result["score"]), float(result["possible"])
        passed = sum(c["points"] for c in result.get("cases", []) if c["passed"])
        if abs(possible - q.points) > 1e-9:
            return None, f"{q.name} reported {possible:g} possible points; the autograder gives {q.points:g}"
        if not (0 <= score <= possible + 1e-9) or score > passed + 1e-9:
            return None, (f"{q.name} reported {score:g} points, outside [0, {possible:g}] or more than "
                          f"its passed tests carry ({passed:g})")
        scores[q.name] = round(score, 6)
    return scores, ""


def new_record(sub: Submission, sha: str, ag: Autograder, limits) -> dict:
    """The record of ``sub`` before it is graded (``limits``: the engine's ``Limits``)."""
    return {"version": RECORD_VERSION, "grader": JUDGE_VERSION, "student": sub.student,
            "relpath": sub.relpath, "sha256": sha, "autograder": ag.fingerprint,
            "assignment": ag.assignment_name, "limits": asdict(limits),
            "graded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}


def finish_record(record: dict, outcome: dict, ag: Autograder) -> dict:
    """``record`` completed with ``outcome`` (status, detail, questions...) and its scores."""
    record.update(outcome)
    if record["status"] in NOT_ATTEMPTED:
        record.update(scores=None, total=0.0)
    elif record["status"] == "error":
        record.update(scores=None, total=None)
    else:
        scores, why = settle_scores(ag, record.get("questions") or {})
        if scores is None:
            record.update(status="error", scores=None, total=None,
                          detail=f"inconsistent result, not used: {why}")
        else:
            record.update(scores=scores, total=round(sum(scores.values()), 6))
    record["possible"] = ag.possible
    return record


def reusable(stored: dict | None, student: str, relpath: str, sha: str, ag: Autograder) -> bool:
    """Whether a stored (signature-checked) record stands for this very file in this run."""
    return bool(stored and stored.get("sha256") == sha and stored.get("grader") == JUDGE_VERSION
                and stored.get("autograder") == ag.fingerprint and stored.get("status") != "error"
                and stored.get("student") == student and stored.get("relpath") == relpath)

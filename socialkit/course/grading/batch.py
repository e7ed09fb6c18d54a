"""Grading a class: from a folder or zip of submissions to grades, feedback and a summary.

``grade_class`` ties the pieces together: it reads the autograder (``autograder.py``), finds who
handed in what (``identity.py``), sorts out files that cannot be graded (``prepare.py``), grades
the rest side by side (``runner.py``), stores each result the moment it is known (``store.py``)
and writes the reports (``report.py``). Re-running with the same output folder reuses every
stored result whose file and autograder are unchanged, unless ``redo`` is set.
"""
from __future__ import annotations

import datetime as _dt
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import prepare, report
from .autograder import Autograder, load_autograder
from .identity import DEFAULT_PATTERNS, Submission, collect, extract_zip
from .progress import progress_bar
from .runner import Limits, grade_submissions
from .store import RECORD_VERSION, atomic_write_json, file_sha256, load_record, record_path

__all__ = ["ClassResult", "settle_scores", "grade_class", "default_workers"]


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class ClassResult:
    out_dir: Path
    rows: list[dict]
    problems: list[dict]
    graded: int            # submissions graded in this run
    reused: int            # results reused from an earlier run
    seconds: float
    table: str
    figure: Path | None
    records: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def by_student(self) -> dict[str, dict]:
        return {row["student"]: row for row in self.rows}


def settle_scores(ag: Autograder, questions: dict) -> tuple[dict[str, float] | None, str]:
    """Per-question points from otter's results, checked against the autograder: each question
    must report the points the autograder gives it, and a score within [0, max] that is no more
    than the points of the test cases it passed. Returns ``(scores, "")``, or ``(None, why)``
    when the results are inconsistent (never a corrected, let alone inflated, score).
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


def _base_record(sub: Submission, sha: str, ag: Autograder, limits: Limits) -> dict:
    return {"version": RECORD_VERSION, "student": sub.student, "relpath": sub.relpath,
            "sha256": sha, "autograder": ag.fingerprint, "assignment": ag.assignment_name,
            "limits": asdict(limits),
            "graded_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")}


def _finish_record(record: dict, outcome: dict, ag: Autograder) -> dict:
    record.update(outcome)
    if record["status"] in report.NOT_ATTEMPTED:
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


def _source_folder(submissions: Path, out_dir: Path) -> Path:
    submissions = Path(submissions)
    if not submissions.exists():
        raise ValueError(f"SUBMISSIONS {submissions} does not exist: give a folder of notebooks "
                         "or the zip your learning platform exported.")
    if submissions.is_file():
        if submissions.suffix.lower() != ".zip":
            raise ValueError(f"SUBMISSIONS {submissions} is a file but not a zip: give a folder or a zip.")
        return extract_zip(submissions, out_dir / "submissions")
    root = submissions.resolve()
    if out_dir.resolve().is_relative_to(root):
        raise ValueError(f"The output folder {out_dir} is inside SUBMISSIONS {root}; choose one outside it.")
    return root


def grade_class(autograder_zip: Path, submissions: Path, out_dir: Path, *, limits: Limits | None = None,
                workers: int | None = None, redo: bool = False, id_patterns=DEFAULT_PATTERNS,
                progress: bool = True, title: str | None = None) -> ClassResult:
    """Grade every submission in ``submissions`` (folder or zip) with ``autograder_zip`` into
    ``out_dir``; see the package docstring for what is written there."""
    start = time.perf_counter()
    limits = limits or Limits()
    workers = default_workers() if workers is None else workers
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1; got {workers!r}.")
    out_dir = Path(out_dir).resolve()
    ag = load_autograder(Path(autograder_zip))
    out_dir.mkdir(parents=True, exist_ok=True)
    root = _source_folder(Path(submissions), out_dir)
    found = collect(root, id_patterns)
    title = title or ag.assignment_name or Path(autograder_zip).stem

    records: dict[str, list[dict]] = {}
    problems: list[dict] = [{"kind": "unidentified", "student": "", "file": rel,
                             "detail": "no student id in the file or folder name: not graded"}
                            for rel in found.unidentified]
    problems += [{"kind": "skipped", "student": "", "file": rel,
                  "detail": "hidden or system file: ignored"} for rel in found.skipped]
    pending: list[tuple[tuple[str, int], Path]] = []
    base: dict[tuple[str, int], dict] = {}
    reused = 0
    for student in found.students:
        subs = found.by_student[student]
        notebooks = [s for s in subs if s.is_notebook]
        others = [s for s in subs if not s.is_notebook]
        if not notebooks:
            first = others[0]
            record = _base_record(first, file_sha256(first.path), ag, limits)
            detail = ("no notebook handed in, only: " + ", ".join(s.relpath for s in others)
                      + "; " + prepare.inspect(first.path, ag.assignment_name).detail)
            records[student] = [_finish_record(record, {"status": "not-a-notebook", "detail": detail,
                                                        "questions": {}}, ag)]
            continue
        problems += [{"kind": "not graded", "student": student, "file": s.relpath,
                      "detail": "not a notebook, handed in beside one: ignored"} for s in others]
        records[student] = [None] * len(notebooks)
        for i, sub in enumerate(notebooks):
            sha = file_sha256(sub.path)
            stored = load_record(record_path(out_dir, student, sub.relpath))
            if (not redo and stored and stored.get("sha256") == sha
                    and stored.get("autograder") == ag.fingerprint and stored.get("status") != "error"
                    and stored.get("student") == student):
                records[student][i] = stored
                reused += 1
                continue
            record = _base_record(sub, sha, ag, limits)
            inspection = prepare.inspect(sub.path, ag.assignment_name)
            if inspection.status:
                record = _finish_record(record, {"status": inspection.status,
                                                 "detail": inspection.detail, "questions": {}}, ag)
                atomic_write_json(record_path(out_dir, student, sub.relpath), record)
                records[student][i] = record
                continue
            base[(student, i)] = record
            pending.append(((student, i), sub.path))

    bar = None
    if pending:
        bar = progress_bar(len(pending), f"Grading ({workers} workers)", disable=not progress)

    def done(key, outcome):
        record = _finish_record(base[key], outcome, ag)
        atomic_write_json(record_path(out_dir, record["student"], record["relpath"]), record)
        records[key[0]][key[1]] = record
        if bar is not None:
            bar.update(1)
            if record["status"] != "ok":
                bar.write(f"  {record['student']}: {record['status']}")

    try:
        grade_submissions(pending, ag, limits, workers, out_dir / ".work", on_done=done)
    finally:
        if bar is not None:
            bar.close()

    for student, recs in records.items():
        if len(recs) > 1:
            problems += [{"kind": "duplicate", "student": student, "file": r["relpath"],
                          "detail": f"{len(recs)} notebooks for one student; this one scored "
                                    f"{'-' if r.get('total') is None else format(r['total'], 'g')}"
                                    f"/{ag.possible:g} ({r['status']})"} for r in recs]
        elif recs[0]["status"] != "ok":
            r = recs[0]
            problems.append({"kind": r["status"], "student": student, "file": r["relpath"],
                             "detail": r.get("detail", "")})
    rows = report.student_rows(records, ag)
    report.write_grades(out_dir / "grades.csv", rows, ag)
    report.write_problems(out_dir / "problems.csv", problems)
    report.write_feedback(out_dir / "feedback", records, ag, title)
    figure = report.summary_figure(out_dir / "summary.png", rows, ag, title)
    table = report.summary_table(rows, ag)
    return ClassResult(out_dir, rows, problems, len(pending), reused,
                       time.perf_counter() - start, table, figure, records)

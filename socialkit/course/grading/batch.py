"""Grading a class: from a folder or zip of submissions to grades, feedback and a summary.

``grade_class`` ties the pieces together: it reads the autograder and its tests
(``autograder.py``, ``runner.make_plan``), finds who handed in what (``identity.py``),
**snapshots** every file before anything runs (a notebook that writes into the submissions
folder while the class is graded changes nothing: each is graded as it was when the run
started, and the change is reported), sorts out files that cannot be graded (``prepare.py``),
grades the rest side by side, each in a sandbox with a clean-room judge (``runner.py``), stores
each result the moment it is known as a signed record (``store.py``) and writes the reports
(``report.py``) from those records, then reads ``grades.csv`` back and checks it against them.

Re-running with the same output folder reuses every stored record whose signature, file and
autograder are unchanged (unless ``redo``); a record that does not check out is graded again.

With ``dask`` (a scheduler address, ``"gateway"``, ``"local:N"``, or a ``distributed`` client or
cluster), the gradable submissions are graded as tasks on a Dask cluster (``distributed.py``)
instead of side by side here; everything else, the signing included, stays on this machine.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import manual, prepare, report, sandbox
from .autograder import Autograder, load_autograder
from .identity import DEFAULT_PATTERNS, Submission, collect, extract_zip
from .progress import progress_bar
from .runner import Limits, grade_submissions, isolation as machine_isolation, make_plan
from .store import (RECORD_VERSION, RecordKey, atomic_write_json, load_record, record_path,
                    save_record, sign, verify)

__all__ = ["ClassResult", "settle_scores", "grade_class", "default_workers", "JUDGE_VERSION"]

#: records made by another grader (e.g. the otter-run grader before the judge) are not reused
JUDGE_VERSION = "clean-room judge 1"
_CHANGES_FILE = "changed-during-grading.json"


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
    isolation: str = ""
    feedback: dict[str, str] = field(default_factory=dict)   # student -> feedback file name

    @property
    def by_student(self) -> dict[str, dict]:
        return {row["student"]: row for row in self.rows}


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


def _base_record(sub: Submission, sha: str, ag: Autograder, limits: Limits) -> dict:
    return {"version": RECORD_VERSION, "grader": JUDGE_VERSION, "student": sub.student,
            "relpath": sub.relpath, "sha256": sha, "autograder": ag.fingerprint,
            "assignment": ag.assignment_name, "limits": asdict(limits),
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


def _source_folder(submissions: Path, out_dir: Path) -> tuple[Path, list[dict]]:
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
    return root, []


def _hidden_paths(out_dir: Path, root: Path, submissions: Path, ag: Autograder) -> list[Path]:
    """What no sandbox may see: the grader's state, the class's files, the tests' sources."""
    from .. import assign

    paths = [out_dir, root, Path(submissions).resolve(), ag.path.parent,
             assign.MASTERS_DIR, assign.REPO / "_build"]
    return list(dict.fromkeys(p.resolve() for p in paths))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _current_sha(sub: Submission) -> str | None:
    try:
        data = prepare.read_snapshot(sub.path)
    except OSError:
        return None
    return None if data is None else _sha(data)


def _load_changes(out_dir: Path, key: bytes) -> dict:
    try:
        data = json.loads((out_dir / "results" / _CHANGES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not verify(data, key) or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def grade_class(autograder_zip: Path, submissions: Path, out_dir: Path, *, limits: Limits | None = None,
                workers: int | None = None, redo: bool = False, id_patterns=DEFAULT_PATTERNS,
                progress: bool = True, title: str | None = None, dask=None) -> ClassResult:
    """Grade every submission in ``submissions`` (folder or zip) with ``autograder_zip`` into
    ``out_dir``; see the package docstring for what is written there. ``dask``: grade on a
    Dask cluster (see ``distributed.open_cluster``); ``workers`` then sizes a ``local`` or
    ``gateway`` cluster."""
    start = time.perf_counter()
    limits = limits or Limits()
    workers = default_workers() if workers is None else workers
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number >= 1; got {workers!r}.")
    out_dir = Path(out_dir).resolve()
    ag = load_autograder(Path(autograder_zip))
    plan = make_plan(ag)
    out_dir.mkdir(parents=True, exist_ok=True)
    root, problems = _source_folder(Path(submissions), out_dir)
    iso = machine_isolation()
    plan.isolation = iso
    sandbox.remove_stale_cgroups()
    plan.hide = [str(p) for p in _hidden_paths(out_dir, root, Path(submissions), ag)]
    cluster = None
    if dask is not None:
        from .distributed import open_cluster

        cluster = open_cluster(dask, local_workers=workers)
    # the key stays on disk (hidden) only where every sandbox that could see it has namespaces
    key = RecordKey(out_dir, hidden=iso.kind == "namespaces" and (cluster is None or cluster.all_namespaces))
    try:
        return _grade(ag, plan, root, out_dir, key, problems, limits, workers, redo, id_patterns,
                      progress, title or ag.assignment_name or Path(autograder_zip).stem, start, iso,
                      cluster)
    finally:
        key.release()
        if cluster is not None:
            cluster.close()


def _grade(ag, plan, root, out_dir, key, problems, limits, workers, redo, id_patterns, progress,
           title, start, iso, cluster=None) -> ClassResult:
    found = collect(root, id_patterns)
    problems += [{"kind": "unidentified", "student": "", "file": rel,
                  "detail": "no student id in the file or folder name: not graded"}
                 for rel in found.unidentified]
    problems += [{"kind": "skipped", "student": "", "file": rel,
                  "detail": "hidden or system file: ignored"} for rel in found.skipped]
    problems += [{"kind": "unreadable", "student": "", "file": rel,
                  "detail": "a folder that could not be read: its files were not graded"}
                 for rel in found.unreadable]
    changes = {} if redo else _load_changes(out_dir, key.key)

    # --- the snapshot: every file read once, before anything runs --------------------------------
    snapshots: dict[tuple[str, str], bytes | None] = {}
    shas: dict[tuple[str, str], str | None] = {}
    for sub in found.submissions:
        data = None
        if sub.regular:
            try:
                data = prepare.read_snapshot(sub.path)
            except OSError:
                data = None
        snapshots[(sub.student, sub.relpath)] = data if sub.is_notebook else None
        shas[(sub.student, sub.relpath)] = None if data is None else _sha(data)

    records: dict[str, list[dict]] = {}
    pending: list = []
    base: dict[tuple[str, int], dict] = {}
    reused = 0
    keep_changes: dict = {}

    def store(record: dict) -> dict:
        return save_record(out_dir, record, key.key)

    for student in found.students:
        subs = found.by_student[student]
        special = [s for s in subs if not s.regular]
        notebooks = [s for s in subs if s.is_notebook]
        others = [s for s in subs if s.regular and not s.is_notebook]
        for s in special:
            problems.append({"kind": "not a regular file", "student": student, "file": s.relpath,
                             "detail": "a symbolic link, folder link, pipe or device: never opened, not graded"})
        if not notebooks:
            first = (others or special)[0]
            record = _base_record(first, shas.get((student, first.relpath)) or "", ag, limits)
            if first.regular:
                detail = ("no notebook handed in, only: " + ", ".join(s.relpath for s in others)
                          + "; " + prepare.inspect(first.path, ag.assignment_name).detail)
            else:
                detail = ("no notebook handed in, only a symbolic link or another special file "
                          f"({first.relpath}), which is never opened")
            records[student] = [store(_finish_record(record, {"status": "not-a-notebook", "detail": detail,
                                                              "questions": {}}, ag))]
            continue
        problems += [{"kind": "not graded", "student": student, "file": s.relpath,
                      "detail": "not a notebook, handed in beside one: ignored"} for s in others]
        records[student] = []
        expected = 0
        for i, sub in enumerate(notebooks):
            data = snapshots[(student, sub.relpath)]
            sha = shas[(student, sub.relpath)] or ""
            change = changes.get(sub.relpath)
            tampered = change is not None and change.get("after") == (sha or None)
            if tampered:
                # it changed while an earlier run graded the class: the grade of the file as it
                # was before stands (a file that appeared then is not graded at all)
                keep_changes[sub.relpath] = change
                sha = change.get("before") or ""
                problems.append({"kind": "changed while grading", "student": student, "file": sub.relpath,
                                 "detail": "this file changed (or appeared) while an earlier run was "
                                           "grading; the file as it was before counts"})
                if not sha:
                    continue
            stored = load_record(record_path(out_dir, student, sub.relpath), key.key)
            if (not redo and stored and stored.get("sha256") == sha and stored.get("grader") == JUDGE_VERSION
                    and stored.get("autograder") == ag.fingerprint and stored.get("status") != "error"
                    and stored.get("student") == student and stored.get("relpath") == sub.relpath):
                if ("written" not in stored and data is not None and not tampered  # an older record
                        and stored.get("status") not in report.NOT_ATTEMPTED):
                    notebook = prepare.inspect_bytes(data, sub.path.name, ag.assignment_name).notebook
                    stored = store(dict(stored, written=manual.capture_for(ag, notebook)))
                records[student].append(stored)
                reused += 1
                continue
            if tampered:  # no trusted grade of the file as it was before: nothing to stand on
                continue
            record = _base_record(sub, sha, ag, limits)
            inspection = (prepare.inspect_bytes(data, sub.path.name, ag.assignment_name) if data is not None
                          else prepare.Inspection(prepare.NOT_A_NOTEBOOK, "the file cannot be read"))
            if inspection.status:
                record = _finish_record(record, {"status": inspection.status,
                                                 "detail": inspection.detail, "questions": {}}, ag)
                records[student].append(store(record))
                continue
            expected += 1
            record["written"] = manual.capture_for(ag, inspection.notebook)  # signed with the record
            base[(student, i)] = record
            pending.append(((student, i), data, prepare.code_cells(inspection.notebook)))
        if not records[student] and not expected:
            records.pop(student)

    bar = None
    if pending:
        where = (f"{workers} workers, {iso.kind}" if cluster is None
                 else f"Dask, {len(cluster.workers)} worker(s) at {cluster.description}")
        bar = progress_bar(len(pending), f"Grading ({where})", disable=not progress)

    def done(key_, outcome):
        record = store(_finish_record(base[key_], outcome, ag))
        records.setdefault(key_[0], []).append(record)
        if bar is not None:
            bar.update(1)
            if record["status"] != "ok":
                bar.write(f"  {record['student']}: {record['status']}")

    try:
        if cluster is None:
            grade_submissions(pending, plan, limits, workers, on_done=done)
        else:
            from .distributed import grade_on_cluster

            grade_on_cluster(pending, plan, limits, cluster, on_done=done)
    finally:
        if bar is not None:
            bar.close()
    for recs in records.values():
        recs.sort(key=lambda r: r["relpath"].encode("utf-8", "backslashreplace"))

    # --- did anything change the class's files, or the records, while it was graded? ------------
    after = collect(root, id_patterns)
    now = {(s.student, s.relpath): s for s in after.submissions}
    changed = dict(keep_changes)
    for k, sub in now.items():
        if k not in shas:
            changed[sub.relpath] = {"before": None, "after": _current_sha(sub)}
    for k, sha in shas.items():
        current = _current_sha(now[k]) if k in now else None
        if current != sha and k[1] not in changed:
            changed[k[1]] = {"before": sha, "after": current}
    for relpath in sorted(set(changed) - set(keep_changes)):
        problems.append({"kind": "changed while grading", "student": "", "file": relpath,
                         "detail": "this file changed (or appeared) while the class was being graded; "
                                   "it was graded as it was when the run started"})
    atomic_write_json(out_dir / "results" / _CHANGES_FILE, sign({"files": changed}, key.key))
    for student, recs in records.items():
        for i, record in enumerate(recs):
            on_disk = load_record(record_path(out_dir, record["student"], record["relpath"]), key.key)
            if on_disk != record:
                save_record(out_dir, {k: v for k, v in record.items() if k != "signature"}, key.key)
                problems.append({"kind": "record restored", "student": student, "file": record["relpath"],
                                 "detail": "its record in results/ was changed or removed while grading; "
                                           "it was written again from the grader's own copy"})

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
    names = report.write_feedback(out_dir / "feedback", records, ag, title)
    figure = report.summary_figure(out_dir / "summary.png", rows, ag, title)
    isolation = str(iso) if cluster is None else cluster.isolation
    table = report.summary_table(rows, ag) + f"\nIsolation: {isolation}"
    # grades.csv says what the records on disk say, or the run fails loudly
    from_disk = {s: [load_record(record_path(out_dir, r["student"], r["relpath"]), key.key) for r in recs]
                 for s, recs in records.items()}
    if any(r is None for recs in from_disk.values() for r in recs):
        raise report.GradesMismatch("a record in results/ could not be read back or verified")
    report.check_grades(out_dir / "grades.csv", from_disk, ag)
    return ClassResult(out_dir, rows, problems, len(pending), reused, time.perf_counter() - start,
                       table, figure, records, isolation, names)

"""Grading a class: from a folder or zip of submissions to grades, feedback and a summary.

``grade_class`` runs a short pipeline through the grader's three rooms:

1. **intake** (``intake/``): read the autograder, find who handed in what, **snapshot** every
   file before anything runs (:func:`_intake`), and sort each file out (:func:`_sort_out`): a
   stored record that still stands is reused, a file that cannot be graded gets its record at
   once, the rest is queued;
2. **engine** (``engine/``): the queued snapshots are graded side by side, each in a sandbox with
   a clean-room judge, through one executor (here, or a Dask cluster's); each result is signed
   and stored the moment it is known (:func:`_grade_queue`);
3. **audit** (:func:`_audit`): whatever changed in the class's files or in the records while
   the class was graded is reported (and the records restored);
4. **outputs** (``outputs/``): ``grades.csv``, ``problems.csv``, feedback and the summary
   written from the records, then ``grades.csv`` read back and checked against the signed
   records on disk (:func:`_write_outputs`).

Re-running with the same output folder reuses every stored record whose signature, file and
autograder are unchanged (unless ``redo``); a record that does not check out is graded again.

With ``dask`` (a scheduler address, ``"gateway"``, ``"local:N"``, or a ``distributed`` client or
cluster), the gradable submissions are graded as tasks on a Dask cluster (``engine/cluster.py``)
instead of side by side here; everything else, the signing included, stays on this machine.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .engine import dispatch, sandbox
from .engine.runner import Limits, Plan, isolation as machine_isolation, make_plan
from .intake import prepare, snapshots, variant_ids
from .intake.autograder import Autograder, load_autograder
from .intake.identity import (CHOICES, DEFAULT_PATTERNS, Collection, Submission, apply_choices, collect,
                              extract_zip, read_choices)
from .intake.records import JUDGE_VERSION, NOT_ATTEMPTED, finish_record, new_record, reusable, settle_scores
from .intake.store import RecordKey, load_record, record_path, save_record
from .outputs import manual, report
from .outputs.progress import progress_bar

__all__ = ["ClassResult", "settle_scores", "grade_class", "default_workers", "JUDGE_VERSION"]


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


@dataclass
class _Batch:
    """One run over a class: what it was given, and what it has found and decided so far."""

    ag: Autograder
    plan: Plan
    root: Path
    out_dir: Path
    key: bytes
    limits: Limits
    redo: bool
    id_patterns: tuple
    problems: list[dict]
    records: dict[str, list[dict]] = field(default_factory=dict)   # student -> signed records
    queue: list = field(default_factory=list)                      # (key, snapshot, code cells)
    pending: dict = field(default_factory=dict)                    # key -> record to finish
    reused: int = 0
    snapshots: dict = field(default_factory=dict)
    earlier_changes: dict = field(default_factory=dict)       # found by an earlier run
    earlier_changes_kept: dict = field(default_factory=dict)  # of those, the ones that still stand
    assigner: variant_ids.Assigner | None = None              # None: the exercise has no variants
    course: str = ""                                          # the course code of the variants
    exercise: str = ""                                        # whose numbers module

    def store(self, record: dict) -> dict:
        return save_record(self.out_dir, record, self.key)

    def problem(self, kind: str, student: str, file: str, detail: str) -> None:
        self.problems.append({"kind": kind, "student": student, "file": file, "detail": detail})


# --- the pipeline ------------------------------------------------------------------------------------
def grade_class(autograder_zip: Path, submissions: Path, out_dir: Path, *, limits: Limits | None = None,
                workers: int | None = None, redo: bool = False, id_patterns=DEFAULT_PATTERNS,
                progress: bool = True, title: str | None = None, dask=None, hide=(), roster=(),
                course: str | None = None) -> ClassResult:
    """Grade every submission in ``submissions`` (folder or zip) with ``autograder_zip`` into
    ``out_dir``; see the package docstring for what is written there. ``dask``: grade on a
    Dask cluster (see ``engine.cluster.open_cluster``); ``workers`` then sizes a ``local`` or
    ``gateway`` cluster. ``hide``: more files no sandbox may see (the instructor's private file).
    Where the exercise gives each student their own numbers, each submission is graded on those
    of its student (``intake/variant_ids.py``: ``roster``, the platforms' exports read by
    ``outputs.rosters.read_roster``, or the file names) with ``course``, the course code
    (default: the one ``make assign`` wrote into the zip)."""
    start = time.perf_counter()
    limits = limits or Limits()
    workers = dispatch.check_workers(default_workers() if workers is None else workers)
    out_dir = Path(out_dir).resolve()
    ag = load_autograder(Path(autograder_zip))
    plan = make_plan(ag)
    out_dir.mkdir(parents=True, exist_ok=True)
    root, problems = _source_folder(Path(submissions), out_dir)
    plan.isolation = machine_isolation()
    sandbox.remove_stale_cgroups()
    plan.hide = [str(p) for p in _hidden_paths(out_dir, root, Path(submissions), ag)]
    plan.hide += [str(Path(p).resolve()) for p in hide]
    cluster = _open_cluster(dask, workers)
    # the key stays on disk (hidden) only where every sandbox that could see it has namespaces
    key = RecordKey(out_dir, hidden=plan.isolation.kind == "namespaces"
                    and (cluster is None or cluster.all_namespaces))
    try:
        batch = _Batch(ag, plan, root, out_dir, key.key, limits, redo, id_patterns, problems)
        plugin = variant_ids.plugin_config(ag.path)
        if plugin is not None:
            batch.assigner = variant_ids.Assigner(roster)
            batch.course = variant_ids.course_for(plugin, course)
            batch.exercise = plugin.get("exercise", "")
        found = _intake(batch)
        for student in found.students:
            _sort_out(batch, student, found.by_student[student])
        through = dispatch.local(plan, limits, workers) if cluster is None else \
            _cluster_dispatch(cluster, plan, limits)
        graded = _grade_queue(batch, through, progress)
        _audit(batch)
        where = str(plan.isolation) if cluster is None else cluster.isolation
        return _write_outputs(batch, title or ag.assignment_name or Path(autograder_zip).stem, where,
                              graded, start)
    finally:
        key.release()
        if cluster is not None:
            cluster.close()


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


def _open_cluster(dask, workers: int):
    if dask is None:
        return None
    from .engine.cluster import open_cluster

    return open_cluster(dask, local_workers=workers)


def _cluster_dispatch(cluster, plan: Plan, limits: Limits):
    from .engine import cluster as cluster_module

    return cluster_module.dispatch(cluster, plan, limits)


# --- 1. intake ------------------------------------------------------------------------------------------
def _intake(batch: _Batch) -> Collection:
    """Who handed in what, every file snapshotted, and the changes an earlier run found."""
    found = collect(batch.root, batch.id_patterns)
    for rel in found.unidentified:
        batch.problem("unidentified", "", rel, "no student id in the file or folder name: not graded")
    for rel in found.skipped:
        batch.problem("skipped", "", rel, "hidden or system file: ignored")
    for rel in found.unreadable:
        batch.problem("unreadable", "", rel, "a folder that could not be read: its files were not graded")
    batch.problems += apply_choices(found, read_choices(batch.out_dir / CHOICES))
    batch.earlier_changes = {} if batch.redo else snapshots.load_changes(batch.out_dir, batch.key)
    batch.snapshots = snapshots.take(found)
    return found


def _sort_out(batch: _Batch, student: str, subs: list[Submission]) -> None:
    """One student's files: records for what cannot be graded or stands from before, the rest queued."""
    special = [s for s in subs if not s.regular]
    notebooks = [s for s in subs if s.is_notebook]
    others = [s for s in subs if s.regular and not s.is_notebook]
    for s in special:
        batch.problem("not a regular file", student, s.relpath,
                      "a symbolic link, folder link, pipe or device: never opened, not graded")
    if not notebooks:
        batch.records[student] = [batch.store(_no_notebook(batch, others, special))]
        return
    for s in others:
        batch.problem("not graded", student, s.relpath, "not a notebook, handed in beside one: ignored")
    batch.records[student] = []
    queued = sum(_sort_out_notebook(batch, i, sub) for i, sub in enumerate(notebooks))
    if not batch.records[student] and not queued:
        batch.records.pop(student)


def _no_notebook(batch: _Batch, others: list[Submission], special: list[Submission]) -> dict:
    first = (others or special)[0]
    record = new_record(first, batch.snapshots[(first.student, first.relpath)].sha or "", batch.ag, batch.limits)
    if first.regular:
        detail = ("no notebook handed in, only: " + ", ".join(s.relpath for s in others)
                  + "; " + prepare.inspect(first.path, batch.ag.assignment_name).detail)
    else:
        detail = ("no notebook handed in, only a symbolic link or another special file "
                  f"({first.relpath}), which is never opened")
    return finish_record(record, {"status": "not-a-notebook", "detail": detail, "questions": {}}, batch.ag)


def _sort_out_notebook(batch: _Batch, index: int, sub: Submission) -> bool:
    """Reuse, record or queue one notebook; True if it was queued for grading."""
    ag, student = batch.ag, sub.student
    snapshot = batch.snapshots[(student, sub.relpath)]
    data, sha = snapshot.data, snapshot.sha or ""
    change = batch.earlier_changes.get(sub.relpath)
    tampered = change is not None and change.get("after") == (sha or None)
    if tampered:
        # it changed while an earlier run graded the class: the grade of the file as it was
        # before stands (a file that appeared then is not graded at all)
        batch.earlier_changes_kept[sub.relpath] = change
        sha = change.get("before") or ""
        batch.problem("changed while grading", student, sub.relpath,
                      "this file changed (or appeared) while an earlier run was grading; the file "
                      "as it was before counts")
        if not sha:
            return False
    variant = _variant_of(batch, sub)
    stored = load_record(record_path(batch.out_dir, student, sub.relpath), batch.key)
    if not batch.redo and reusable(stored, student, sub.relpath, sha, ag) \
            and _same_variant(stored, variant, batch.course):
        if ("written" not in stored and data is not None and not tampered  # an older record
                and stored.get("status") not in NOT_ATTEMPTED):
            notebook = prepare.inspect_bytes(data, sub.path.name, ag.assignment_name).notebook
            stored = batch.store(dict(stored, written=manual.capture_for(ag, notebook)))
        batch.records[student].append(stored)
        batch.reused += 1
        return False
    if tampered:  # no trusted grade of the file as it was before: nothing to stand on
        return False
    record = new_record(sub, sha, ag, batch.limits)
    inspection = (prepare.inspect_bytes(data, sub.path.name, ag.assignment_name) if data is not None
                  else prepare.Inspection(prepare.NOT_A_NOTEBOOK, "the file cannot be read"))
    if inspection.status:
        outcome = {"status": inspection.status, "detail": inspection.detail, "questions": {}}
        batch.records[student].append(batch.store(finish_record(record, outcome, ag)))
        return False
    record["written"] = manual.capture_for(ag, inspection.notebook)  # signed with the record
    cells = prepare.code_cells(inspection.notebook)
    batch.pending[(student, index)] = record
    if variant is None:
        batch.queue.append(((student, index), data, cells))
        return True
    typed = variant_ids.typed_id(source for _, source in cells) or ""
    record["variant"] = variant_ids.VariantId(variant.student, variant.source, typed,
                                              variant.problem).record(batch.course, batch.exercise)
    batch.queue.append(((student, index), data, cells,
                        variant_ids.grading_value(variant.student, batch.course)))
    return True


def _variant_of(batch: _Batch, sub: Submission) -> variant_ids.VariantId | None:
    """Whose numbers ``sub`` is graded on (None: the exercise has none); a doubtful id is listed."""
    if batch.assigner is None:
        return None
    variant = batch.assigner.variant_id(sub.student, sub.relpath)
    if variant.problem:
        batch.problem("variant id", sub.student, sub.relpath, variant.problem)
    return variant


def _same_variant(stored: dict, variant: variant_ids.VariantId | None, course: str) -> bool:
    """A stored record stands only if it was graded on the numbers this run would supply."""
    if stored.get("status") in NOT_ATTEMPTED:  # nothing of it ever ran: no numbers involved
        return True
    kept = stored.get("variant")
    if variant is None:
        return kept is None
    return isinstance(kept, dict) and kept.get("student") == variant.student \
        and kept.get("course") == variant_ids.course_fingerprint(course)


# --- 2. the engine ----------------------------------------------------------------------------------------
def _grade_queue(batch: _Batch, through: dispatch.Dispatch, progress: bool) -> int:
    """Grade the queued snapshots through ``through``, storing each record as it comes."""
    bar = progress_bar(len(batch.queue), f"Grading ({through.description})",
                       disable=not progress) if batch.queue else None

    def done(key, outcome):
        record = batch.store(finish_record(batch.pending[key], outcome, batch.ag))
        batch.records.setdefault(key[0], []).append(record)
        if bar is not None:
            bar.update(1)
            if record["status"] != "ok":
                bar.write(f"  {record['student']}: {record['status']}")

    try:
        dispatch.grade_all(batch.queue, through, on_done=done)
    finally:
        if bar is not None:
            bar.close()
    for recs in batch.records.values():
        recs.sort(key=lambda r: r["relpath"].encode("utf-8", "backslashreplace"))
    return len(batch.queue)


# --- 3. the audit ------------------------------------------------------------------------------------------
def _audit(batch: _Batch) -> None:
    """Did anything change the class's files, or the records, while the class was graded?"""
    after = collect(batch.root, batch.id_patterns)
    kept = batch.earlier_changes_kept
    changed = snapshots.changed_since(after, batch.snapshots, kept)
    for relpath in sorted(set(changed) - set(kept)):
        batch.problem("changed while grading", "", relpath,
                      "this file changed (or appeared) while the class was being graded; it was "
                      "graded as it was when the run started")
    snapshots.save_changes(batch.out_dir, changed, batch.key)
    for student, recs in batch.records.items():
        for record in recs:
            on_disk = load_record(record_path(batch.out_dir, record["student"], record["relpath"]), batch.key)
            if on_disk != record:
                save_record(batch.out_dir, {k: v for k, v in record.items() if k != "signature"}, batch.key)
                batch.problem("record restored", student, record["relpath"],
                              "its record in results/ was changed or removed while grading; it was "
                              "written again from the grader's own copy")


# --- 4. outputs --------------------------------------------------------------------------------------------
def _student_problems(batch: _Batch) -> None:
    """A row in problems.csv for each duplicate notebook and each file that was not graded normally."""
    for student, recs in batch.records.items():
        if len(recs) > 1:
            for r in recs:
                total = "-" if r.get("total") is None else format(r["total"], "g")
                batch.problem("duplicate", student, r["relpath"],
                              f"{len(recs)} notebooks for one student; this one scored "
                              f"{total}/{batch.ag.possible:g} ({r['status']})")
        elif recs[0]["status"] != "ok":
            batch.problem(recs[0]["status"], student, recs[0]["relpath"], recs[0].get("detail", ""))
        for r in recs:
            if variant_ids.typed_another(r.get("variant")):
                batch.problem("another id typed", student, r["relpath"],
                              f"the notebook typed student_id {r['variant']['typed']!r}; graded on the "
                              f"numbers of {r['variant']['student']} ({r['variant']['source']})")


def _hand_graded(ag: Autograder) -> report.ManualPoints | None:
    """The questions graded by hand, with no points yet (None if there are none or the master
    cannot be read), so the feedback says which written answers are still to be graded."""
    try:
        questions = manual.questions_for(ag)
    except Exception:  # noqa: BLE001 - a master that cannot be read: the feedback just says less
        return None
    return report.ManualPoints({q.name: q.points for q in questions},
                               {q.name: q.title for q in questions}) if questions else None


def _write_outputs(batch: _Batch, title: str, where: str, graded: int, start: float) -> ClassResult:
    """grades.csv, problems.csv, feedback and the summary from the records; grades.csv then read
    back and checked against the signed records on disk, or the run fails loudly."""
    ag, out_dir = batch.ag, batch.out_dir
    _student_problems(batch)
    rows = report.student_rows(batch.records, ag)
    report.write_grades(out_dir / "grades.csv", rows, ag)
    report.write_problems(out_dir / "problems.csv", batch.problems)
    pending = _hand_graded(ag)  # written answers: none graded until manual.csv is merged
    names = report.write_feedback(out_dir / "feedback", batch.records, ag, title, pending)
    figure = report.summary_figure(out_dir / "summary.png", rows, ag, title, pending)
    table = report.summary_table(rows, ag, pending) + f"\nIsolation: {where}"
    from_disk = {s: [load_record(record_path(out_dir, r["student"], r["relpath"]), batch.key) for r in recs]
                 for s, recs in batch.records.items()}
    if any(r is None for recs in from_disk.values() for r in recs):
        raise report.GradesMismatch("a record in results/ could not be read back or verified")
    report.check_grades(out_dir / "grades.csv", from_disk, ag)
    return ClassResult(out_dir, rows, batch.problems, graded, batch.reused, time.perf_counter() - start,
                       table, figure, batch.records, where, names)

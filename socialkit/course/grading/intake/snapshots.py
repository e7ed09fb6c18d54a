"""Snapshots and tamper checks: every file read once before anything runs, and what changed.

A notebook that writes into the submissions folder while the class is graded changes nothing:
each file is graded as it was when the run started (:func:`take`), and afterwards the folder is
read again (:func:`changed_since`); whatever changed or appeared is reported and written to a
signed ``results/changed-during-grading.json`` (:func:`save_changes`), so the next run grades
the file as it was before, not as the notebook left it (:func:`load_changes`).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import prepare
from .identity import Collection, Submission
from .store import atomic_write_json, sign, verify

__all__ = ["Snapshot", "sha256", "take", "current_sha", "changed_since", "load_changes", "save_changes",
           "CHANGES_FILE"]

CHANGES_FILE = "changed-during-grading.json"


@dataclass(frozen=True)
class Snapshot:
    """A submitted file as it was read at the start: its bytes (notebooks only) and checksum."""

    data: bytes | None      # None: not a notebook, or not readable
    sha: str | None         # None: not readable


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def take(found: Collection) -> dict[tuple[str, str], Snapshot]:
    """Every file of the class read once, by (student, relpath); special files never opened."""
    snapshots = {}
    for sub in found.submissions:
        data = None
        if sub.regular:
            try:
                data = prepare.read_snapshot(sub.path)
            except OSError:
                data = None
        snapshots[(sub.student, sub.relpath)] = Snapshot(data if sub.is_notebook else None,
                                                         None if data is None else sha256(data))
    return snapshots


def current_sha(sub: Submission) -> str | None:
    try:
        data = prepare.read_snapshot(sub.path)
    except OSError:
        return None
    return None if data is None else sha256(data)


def changed_since(after: Collection, snapshots: dict[tuple[str, str], Snapshot], known: dict) -> dict:
    """{relpath: {"before": sha, "after": sha}} of the files that differ from their snapshots
    (``None``: absent), starting from ``known`` (changes found by an earlier run, still standing)."""
    now = {(s.student, s.relpath): s for s in after.submissions}
    changed = dict(known)
    for k, sub in now.items():
        if k not in snapshots:
            changed[sub.relpath] = {"before": None, "after": current_sha(sub)}
    for k, snapshot in snapshots.items():
        current = current_sha(now[k]) if k in now else None
        if current != snapshot.sha and k[1] not in changed:
            changed[k[1]] = {"before": snapshot.sha, "after": current}
    return changed


def load_changes(out_dir: Path, key: bytes) -> dict:
    """The changes an earlier run recorded (signed with ``key``); ``{}`` if none can be trusted."""
    try:
        data = json.loads((out_dir / "results" / CHANGES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not verify(data, key) or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def save_changes(out_dir: Path, changed: dict, key: bytes) -> None:
    atomic_write_json(out_dir / "results" / CHANGES_FILE, sign({"files": changed}, key))

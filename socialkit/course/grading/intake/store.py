"""Writing results so that nothing is lost and nothing planted is believed.

Every file the grader writes goes first to a temporary file in the same folder and is then
renamed over the target (``os.replace``, atomic on POSIX), so an interrupted run never leaves a
half-written ``grades.csv`` or record. Each submission's result is a JSON record in
``OUT/results/``, written the moment it is graded; ``grades.csv`` and the feedback are rebuilt
from the records, so a re-run after an interruption only grades what is missing.

Records are **signed** (HMAC-SHA256) with a key of the output folder (:class:`RecordKey`),
which no submission can read: with namespaces the folder is hidden from every sandbox; without
them the key exists only in the grader's memory while student code runs, and is written back
to disk when the run ends (also on Ctrl-C). A record whose signature does not check out (one
planted or edited by a notebook, or written before the key was lost) is never reused: that
submission is graded again.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from ....data.files import write_atomic
from .identity import safe_name

__all__ = ["atomic_write_bytes", "atomic_write_text", "atomic_write_json", "file_sha256",
           "record_path", "load_record", "save_record", "sign", "verify", "RecordKey",
           "RECORD_VERSION", "KEY_FILE"]

RECORD_VERSION = 2
KEY_FILE = ".grader-key"


# One implementation for the whole kit; the grader's names say what each call writes.
atomic_write_bytes = atomic_write_text = write_atomic


def atomic_write_json(path: Path, data) -> None:
    atomic_write_text(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_path(out_dir: Path, student: str, relpath: str) -> Path:
    """Where the record of one submitted file lives: one per (student, file), never shared."""
    key = hashlib.sha256(f"{student}\0{relpath}".encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return Path(out_dir) / "results" / f"{safe_name(student)}-{key}.json"


# --- signing ------------------------------------------------------------------------------------------
def _canonical(record: dict) -> bytes:
    body = {k: v for k, v in record.items() if k != "signature"}
    return json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()


def sign(record: dict, key: bytes) -> dict:
    """``record`` with its ``signature`` (HMAC-SHA256 of everything else)."""
    record = dict(record)
    record["signature"] = hmac.new(key, _canonical(record), hashlib.sha256).hexdigest()
    return record


def verify(record: dict, key: bytes | None) -> bool:
    """Whether ``record`` was signed with ``key``."""
    signature = record.get("signature") if isinstance(record, dict) else None
    if not key or not isinstance(signature, str):
        return False
    try:
        expected = hmac.new(key, _canonical(record), hashlib.sha256).hexdigest()
    except (TypeError, ValueError):
        return False
    return hmac.compare_digest(expected, signature)


class RecordKey:
    """The signing key of one output folder.

    ``hidden=True`` (the sandboxes cannot see the folder): the key stays in ``OUT/.grader-key``.
    ``hidden=False``: the key is read, then removed from disk until :meth:`release` writes it
    back, so no student code running meanwhile can read it. If the grader is killed before
    that, the key is lost and the next run grades everything again rather than trust records
    it cannot check.
    """

    def __init__(self, out_dir: Path, *, hidden: bool):
        self.path = Path(out_dir) / KEY_FILE
        self.hidden = hidden
        self.fresh = False
        key = None
        try:
            text = self.path.read_text(encoding="ascii").strip()
            key = bytes.fromhex(text) if len(text) == 64 else None
        except (OSError, ValueError):
            key = None
        if key is None:
            key = secrets.token_bytes(32)
            self.fresh = True
        self.key = key
        if hidden:
            self._write()
        else:
            try:
                self.path.unlink()
            except OSError:
                pass

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(self.key.hex())
        os.replace(tmp, self.path)

    def release(self) -> None:
        """Put the key back on disk (no student code runs any more)."""
        self._write()


def save_record(out_dir: Path, record: dict, key: bytes) -> dict:
    signed = sign(record, key)
    atomic_write_json(record_path(out_dir, record["student"], record["relpath"]), signed)
    return signed


def load_record(path: Path, key: bytes | None = None) -> dict | None:
    """A stored record, or ``None`` if there is none, it cannot be read, or (given ``key``) its
    signature does not check out (it is then regraded)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
        return None
    if key is not None and not verify(data, key):
        return None
    return data

"""Files written so that nothing is lost.

:func:`write_atomic` is the kit's one way to save a file that matters (a student's worksheet
answers, a class's grades): readers see the old file or the new one, never a half-written one.
:func:`locked` is its partner for files that several notebooks update (the plan worksheet that
chapters 2 to 8 all write): hold it around *read, merge, write*, and no process can write
between another's read and its write, so no update is lost.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["write_atomic", "locked", "lock_path", "LOCK_TIMEOUT"]

#: Seconds :func:`locked` waits for another process before giving up (a save takes milliseconds).
LOCK_TIMEOUT = 10.0


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` in one step.

    The data goes to a temporary file in the same folder, is flushed to disk, and then
    ``os.replace`` renames it over ``path`` (atomic on POSIX and Windows). If anything fails,
    the temporary file is removed and ``path`` is left as it was. Missing parent folders are
    created.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def lock_path(path: str | Path) -> Path:
    """The lock file that guards ``path``: a hidden ``.<name>.lock`` in the same folder."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


@contextmanager
def locked(path: str | Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[Path]:
    """Hold an exclusive, cross-process lock on ``path`` for the ``with`` block.

    Use it around every *read, merge, write* of a file that other notebooks (other kernels,
    other processes) may update too::

        with locked(answers):
            data = read(answers); data.update(mine); write_atomic(answers, dump(data))

    The lock is an OS file lock (``flock`` on Linux and macOS, ``msvcrt`` on Windows, through
    the `filelock` library) on the hidden file :func:`lock_path` beside ``path``; the OS
    releases it if the process dies, so a crash never leaves it stuck. It only excludes other
    holders of the same lock: plain readers are not blocked (they need no lock, because
    :func:`write_atomic` never shows them a half-written file). Raises ``TimeoutError`` (an
    ``OSError``) naming the file if another process holds the lock for ``timeout`` seconds, and
    ``OSError`` if the folder cannot hold a lock file (read-only, missing).
    """
    import filelock

    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout < 0:
        raise ValueError(f"timeout must be a number of seconds, 0 or more; got {timeout!r}.")
    path = Path(path)
    guard = filelock.FileLock(lock_path(path), timeout=timeout)
    try:
        guard.acquire()
    except filelock.Timeout:
        raise TimeoutError(f"{path.name} is being saved by another notebook and stayed locked "
                           f"for {timeout:g} s; nothing was written. Try again in a moment."
                           ) from None
    try:
        yield path
    finally:
        guard.release()

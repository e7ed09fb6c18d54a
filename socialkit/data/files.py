"""Files written so that nothing is lost.

:func:`write_atomic` is the kit's one way to save a file that matters (a student's worksheet
answers, a class's grades): readers see the old file or the new one, never a half-written one.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_atomic"]


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

"""Before grading: is a file a notebook of this assignment, and which code cells it runs.

``inspect_bytes`` (or ``inspect`` for a file) sorts out, without running anything, the files that
cannot be graded (status ``not-a-notebook`` or ``wrong-assignment``): empty or damaged files,
JSON that is not a notebook, JSON nested so deeply that reading it would exhaust Python's
stack, text that is not UTF-8, a notebook of another exercise. Whatever the file holds, the
answer is an :class:`Inspection`, never an exception. ``code_cells`` lists what the student
process runs: the index (in the notebook, counted from 0) and source of every code cell.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass

import nbformat

__all__ = ["NOT_A_NOTEBOOK", "WRONG_ASSIGNMENT", "Inspection", "inspect", "inspect_bytes",
           "read_snapshot", "code_cells", "MAX_BYTES"]

NOT_A_NOTEBOOK = "not-a-notebook"
WRONG_ASSIGNMENT = "wrong-assignment"
#: larger files are not read (a notebook with its outputs is rarely over a few MB)
MAX_BYTES = 512 << 20
#: deepest nesting of JSON arrays and objects read (a notebook needs about 6)
MAX_JSON_DEPTH = 64


@dataclass
class Inspection:
    status: str | None          # None: gradable
    detail: str
    notebook: nbformat.NotebookNode | None = None


def read_snapshot(path) -> bytes | None:
    """The bytes of a regular file, read once, without following a link; ``None`` if it is not
    a regular file or is larger than ``MAX_BYTES`` (so it is never read in full)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        import stat

        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        chunks, size = [], 0
        while True:
            block = os.read(fd, 1 << 20)
            if not block:
                break
            size += len(block)
            if size > MAX_BYTES:
                return None
            chunks.append(block)
        return b"".join(chunks)
    finally:
        os.close(fd)


_STRING = None


def _too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON ``text`` nests arrays/objects deeper than ``limit`` (strings skipped)."""
    import re

    import numpy as np

    global _STRING
    if _STRING is None:
        _STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
    skeleton = _STRING.sub("", text).encode("utf-8", "replace")
    codes = np.frombuffer(skeleton, dtype=np.uint8)
    steps = np.zeros(codes.shape, dtype=np.int32)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    return bool(steps.size) and int(np.cumsum(steps).max()) > limit


def inspect(path, assignment_name: str | None) -> Inspection:
    """Whether the file ``path`` is a Jupyter notebook of ``assignment_name`` (``None``: any)."""
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() != ".ipynb":
        kind = path.suffix.lower().lstrip(".") or "extension-less"
        return Inspection(NOT_A_NOTEBOOK, f"a {kind} file, not a Jupyter notebook (.ipynb)")
    try:
        raw = read_snapshot(path)
    except OSError as error:
        return Inspection(NOT_A_NOTEBOOK, f"the file cannot be read ({error.strerror or error})")
    if raw is None:
        return Inspection(NOT_A_NOTEBOOK, f"not a regular file of at most {MAX_BYTES >> 20} MB")
    return inspect_bytes(raw, path.name, assignment_name)


def inspect_bytes(raw: bytes, name: str, assignment_name: str | None) -> Inspection:
    """Whether ``raw`` (the bytes of a file called ``name``) is a notebook of ``assignment_name``."""
    if not name.lower().endswith(".ipynb"):
        kind = name.rsplit(".", 1)[-1].lower() if "." in name else "extension-less"
        return Inspection(NOT_A_NOTEBOOK, f"a {kind} file, not a Jupyter notebook (.ipynb)")
    if len(raw) > MAX_BYTES:
        return Inspection(NOT_A_NOTEBOOK, f"the file is {len(raw) / 2**20:,.0f} MB, more than the "
                                          f"{MAX_BYTES / 2**20:,.0f} MB a notebook may have here")
    try:
        return _inspect(raw, assignment_name)
    except (RecursionError, MemoryError) as error:
        return Inspection(NOT_A_NOTEBOOK, f"the file cannot be read as a notebook ({type(error).__name__})")
    except Exception as error:  # noqa: BLE001 - any file must give an answer, not stop the batch
        return Inspection(NOT_A_NOTEBOOK, f"not a valid notebook ({type(error).__name__})")


def _inspect(raw: bytes, assignment_name: str | None) -> Inspection:
    if not raw.strip():
        return Inspection(NOT_A_NOTEBOOK, "the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Inspection(NOT_A_NOTEBOOK, "the file is not text (not UTF-8), so not a notebook")
    if _too_deep(text):
        return Inspection(NOT_A_NOTEBOOK, f"JSON nested more than {MAX_JSON_DEPTH} levels deep: "
                                          "not a notebook")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return Inspection(NOT_A_NOTEBOOK, f"not valid JSON ({error.msg} at line {error.lineno}, "
                                          f"column {error.colno}): the file is damaged")
    if not isinstance(data, dict) or not isinstance(data.get("cells", None), list):
        return Inspection(NOT_A_NOTEBOOK, "valid JSON but not a notebook (no list of cells)")
    if data.get("nbformat") != 4:
        try:
            data = json.loads(nbformat.writes(nbformat.reads(text, as_version=4)))
        except Exception as error:  # an old or broken format nbformat cannot convert
            return Inspection(NOT_A_NOTEBOOK, f"a notebook format nbformat cannot read: "
                                              f"{str(error)[:200] or type(error).__name__}")
    try:
        for cell in data["cells"]:  # cell ids are not needed to grade; drop them, and the
            if isinstance(cell, dict):  # errors a missing or repeated id would raise
                cell.pop("id", None)
                if isinstance(cell.get("source"), list):  # lines, as JSON stores them
                    cell["source"] = "".join(str(line) for line in cell["source"])
        data["nbformat_minor"] = min(int(data.get("nbformat_minor", 4)), 4)
        _, data = nbformat.validator.normalize(data)
        nb = nbformat.from_dict(data)
        nbformat.validate(nb)
    except Exception as error:
        message = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        return Inspection(NOT_A_NOTEBOOK, f"not a valid notebook: {message}")
    otter_meta = nb.metadata.get("otter", {})
    got = otter_meta.get("assignment_name") if isinstance(otter_meta, dict) else None
    if assignment_name and got != assignment_name:
        if got is None:
            detail = ("the notebook has no otter assignment name in its metadata, so it is not a "
                      "copy of this exercise's student notebook (was the work pasted into a new "
                      "notebook?)")
        else:
            detail = f"a notebook of assignment {str(got)[:100]!r}, not {assignment_name!r}"
        return Inspection(WRONG_ASSIGNMENT, detail, nb)
    return Inspection(None, "", nb)


def code_cells(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(index in the notebook, source) of every code cell, in order."""
    def text(source) -> str:
        return "".join(map(str, source)) if isinstance(source, list) else str(source)

    return [(i, text(c.source)) for i, c in enumerate(nb.cells) if c.cell_type == "code"]

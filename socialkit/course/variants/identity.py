"""Who the student is, for their own numbers: the id they typed, saved, or their hub user name.

A student types their id once, in the first cell of an exercise; it is saved (atomically) in
``~/.socialkit/student.json`` so the next exercise finds it. On a JupyterHub the hub's user
name (``JUPYTERHUB_USER``) is used when nothing was typed. ``SOCIALKIT_STUDENT_ID`` overrides
the saved id (for a lab machine set up by the instructor). Ids are compared as typed, without
surrounding spaces and without regard to case (``S123`` and ``s123 `` are one student); an id
is never otherwise rewritten.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ...data.files import write_atomic

__all__ = ["MAX_LENGTH", "ENVIRONMENT_VARIABLE", "HUB_VARIABLE", "saved_path", "normalise",
           "remember", "who"]

MAX_LENGTH = 120
ENVIRONMENT_VARIABLE = "SOCIALKIT_STUDENT_ID"
HUB_VARIABLE = "JUPYTERHUB_USER"


def saved_path() -> Path:
    """Where a typed id is kept between exercises (``SOCIALKIT_HOME`` moves it, for tests)."""
    home = os.environ.get("SOCIALKIT_HOME") or Path.home() / ".socialkit"
    return Path(home) / "student.json"


def normalise(student_id) -> str:
    """The id as the variants compare it: surrounding spaces removed, case folded.

    >>> normalise("  S0123 ")
    's0123'
    >>> normalise("")
    ''
    >>> normalise(123)
    Traceback (most recent call last):
    ...
    ValueError: student_id must be text, such as "s0123" (in quotes); it is the int 123.
    """
    if not isinstance(student_id, str):
        raise ValueError(f'student_id must be text, such as "s0123" (in quotes); it is the '
                         f"{type(student_id).__name__} {student_id!r}.")
    text = student_id.strip()
    if len(text) > MAX_LENGTH:
        raise ValueError(f"student_id is {len(text)} characters long; an id has at most {MAX_LENGTH}.")
    if any(not ch.isprintable() for ch in text):
        raise ValueError("student_id holds a line break or another invisible character: "
                         "type the id on one line, between the quotes.")
    return text.casefold()


def remember(student_id: str) -> bool:
    """Save a typed id for the next exercises. Returns False (and keeps working) if the home
    folder cannot be written, as on some locked-down lab machines."""
    try:
        write_atomic(saved_path(), json.dumps({"student_id": student_id.strip()}) + "\n")
        return True
    except OSError:
        return False


def _saved() -> str:
    try:
        data = json.loads(saved_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    value = data.get("student_id") if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def who(typed: str = "") -> tuple[str, str]:
    """``(id, where it came from)``: the typed id, else the environment's, the saved one, the
    hub user name; ``("", "none")`` when there is none. The id is returned as given (stripped);
    compare ids with :func:`normalise`."""
    normalise(typed)  # validates
    for value, source in ((typed, "typed"), (os.environ.get(ENVIRONMENT_VARIABLE, ""), "environment"),
                          (_saved(), "saved"), (os.environ.get(HUB_VARIABLE, ""), "hub")):
        if value and value.strip():
            return value.strip(), source
    return "", "none"

"""The instructor guide says one true thing about the grader's sandbox.

It once said both that each notebook "runs in a sandbox" and that the grader "is not a sandbox".
socialkit/course/grading/sandbox.py is the source of truth: it seals a notebook with Linux
namespaces where the system allows them, and otherwise falls back to a plain session under the
instructor's own user. The guide must name both kinds, say which is a boundary and which is not,
and never say the grader is not a sandbox.
"""
from __future__ import annotations

import re
from pathlib import Path

from socialkit.course.grading.engine import sandbox

GUIDE = Path(__file__).resolve().parents[2] / "book" / "instructor-guide.md"


def kinds_in_the_code() -> set[str]:
    """The isolation kinds sandbox.py documents (its docstring's ``kind`` entries)."""
    return set(re.findall(r"^``(\w+)`` \(", sandbox.__doc__, flags=re.MULTILINE))


def test_the_guide_never_denies_the_sandbox():
    text = GUIDE.read_text(encoding="utf-8")
    assert not re.search(r"is not a sandbox", text, flags=re.IGNORECASE)


def test_the_guide_names_each_isolation_and_what_it_does_not_protect():
    text = GUIDE.read_text(encoding="utf-8")
    kinds = kinds_in_the_code()
    assert kinds == {"namespaces", "session"}, kinds  # update the guide if sandbox.py changes
    for kind in kinds:
        assert f"**{kind}**" in text, f"the guide does not describe the {kind!r} isolation"
    limits = text[text.index("## Other limits to know"):]
    assert "user namespaces" in limits and "not a security boundary" in limits

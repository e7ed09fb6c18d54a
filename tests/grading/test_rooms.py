"""The grader's layout (issue 17): three rooms, one protocol, public names only.

Read from the sources of ``socialkit/course/grading`` (ast), so a new module that spells a message
type as a bare string, or reaches into another module's private names, fails here.
"""
from __future__ import annotations

import ast
import doctest
from pathlib import Path

import pytest

from socialkit.course.grading.engine import protocol
from socialkit.course.grading.outputs import tables

GRADING = Path(protocol.__file__).resolve().parents[1]
MODULES = sorted(GRADING.rglob("*.py"))
#: the process modules that speak the protocol
SPEAKERS = ["engine/runner.py", "engine/worker.py", "engine/judge.py", "engine/sandbox.py"]


def test_three_rooms_and_the_pipeline():
    rooms = sorted(p.name for p in GRADING.iterdir() if p.is_dir() and not p.name.startswith("__"))
    assert rooms == ["engine", "intake", "outputs"]
    top = sorted(p.name for p in GRADING.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "batch.py", "cli.py"]


def test_every_message_type_has_a_docstring_in_the_protocol_module():
    source = Path(protocol.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    documented = set()
    for node, after in zip(tree.body, tree.body[1:]):
        if (isinstance(node, ast.Assign) and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str)):
            documented |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    events = sorted(protocol.WORKER_EVENTS | protocol.JUDGE_EVENTS)
    assert len(events) == 11
    names = [n for n in protocol.__all__ if n.isupper() and getattr(protocol, n) in events]
    assert sorted(getattr(protocol, n) for n in names) == events
    assert set(names) <= documented, set(names) - documented


def _event_literals(tree) -> list[str]:
    """Message types spelled as literals: ``{"event": "..."}`` or ``message["event"] == "..."``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            found += [v.value for k, v in zip(node.keys, node.values)
                      if isinstance(k, ast.Constant) and k.value == "event" and isinstance(v, ast.Constant)]
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            about_event = any(isinstance(x, ast.Subscript) and isinstance(x.slice, ast.Constant)
                              and x.slice.value == "event" for x in sides)
            if about_event:
                found += [x.value for x in sides if isinstance(x, ast.Constant) and isinstance(x.value, str)]
    return found


@pytest.mark.parametrize("path", SPEAKERS)
def test_no_process_spells_a_message_type_itself(path):
    """Events are built and read through the names in ``protocol``, never spelled out."""
    spelled = _event_literals(ast.parse((GRADING / path).read_text(encoding="utf-8")))
    assert not spelled, f"{path} spells {spelled}; use the names in engine/protocol.py"


def test_the_check_above_sees_a_spelled_event():
    assert sorted(_event_literals(ast.parse('send(c, {"event": "ready"})\nif m["event"] == "done": pass'))) \
        == ["done", "ready"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(GRADING).as_posix())
def test_no_module_imports_another_modules_private_names(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported_modules = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                        and (n.level or (n.module or "").startswith("socialkit")) for a in n.names}
    private_imports = [a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                       for a in n.names if a.name.startswith("_") and a.name != "__future__"
                       and n.module != "__future__"]
    assert not private_imports, f"imports private names {private_imports}"
    reached = sorted({f"{n.value.id}.{n.attr}" for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                      and isinstance(n.value, ast.Name) and n.value.id in imported_modules
                      and n.attr.startswith("_") and not n.attr.startswith("__")})
    assert not reached, f"reaches into private names {reached}"


def test_otter_internals_are_reached_in_one_place():
    users = [p.relative_to(GRADING).as_posix() for p in MODULES
             if "_get_func_params" in p.read_text(encoding="utf-8")]
    assert users == ["engine/judge.py"]


@pytest.mark.parametrize("module", [protocol, tables], ids=lambda m: m.__name__)
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted and not result.failed

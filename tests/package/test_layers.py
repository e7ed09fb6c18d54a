"""The package keeps its layers: every import follows the table in socialkit/README.md.

The rule is the table "Who may import whom" in ``socialkit/README.md``, read from that page, so
the page and this test cannot disagree. Every module's imports are read from its source (``ast``,
not by importing it), so a lazy import inside a function counts as much as one at the top;
relative imports are resolved to full names, and the package root's short names
(``from socialkit import bass``) to the module they stand for (``socialkit.SHORT_NAMES``).
There are no exceptions: a module that needs an arrow the table does not draw moves to the layer
it belongs in.
"""
from __future__ import annotations

import ast
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

import socialkit

PACKAGE = Path(socialkit.__file__).resolve().parent
README = PACKAGE / "README.md"
TABLE_HEADER = "| layer | may import | may not use |"


@dataclass(frozen=True)
class Rule:
    """One row of the table: a layer, the layers it may import, the libraries it may not use."""

    layer: str
    may_import: frozenset[str]
    may_not_use: frozenset[str]


def read_rules(readme: Path = README) -> dict[str, Rule]:
    """The rows of the "Who may import whom" table, by layer, in the page's order."""
    lines = readme.read_text(encoding="utf-8").splitlines()
    assert TABLE_HEADER in lines, f"{readme} has no table headed {TABLE_HEADER!r}"
    rules = {}
    for line in lines[lines.index(TABLE_HEADER) + 2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        assert len(cells) == 3, f"a row of the layer table needs three cells: {line!r}"
        names = [re.findall(r"`([^`]+)`", cell) for cell in cells]
        assert len(names[0]) == 1, f"the first cell names one layer: {line!r}"
        for cell, found in zip(cells[1:], names[1:]):
            assert found or cell == "none", f"write 'none' for an empty cell: {line!r}"
        rules[names[0][0]] = Rule(names[0][0], frozenset(names[1]), frozenset(names[2]))
    return rules


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, package: Path) -> list[tuple[int, str]]:
    """(line, full module name) of every import in the file, relative ones resolved.

    ``from x import y`` counts as importing both ``x`` and ``x.y`` (``y`` may be a module).
    """
    name = module_name(path, package)
    here = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
            found.append((node.lineno, base))
    return found


def short_names(package: Path) -> dict[str, str]:
    """``SHORT_NAMES`` of the package root, read from its source: short name -> full module name."""
    tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(getattr(t, "id", None) == "SHORT_NAMES" for t in targets):
                return ast.literal_eval(node.value)
    return {}


def layer_of(target: str, package: Path, rules: dict[str, Rule]) -> str | None:
    """The layer a ``socialkit`` module belongs to; None for the package root and its dunders.

    Raises ValueError for a name that is in no layer (a typo, or a module outside the layers).
    """
    root = package.name
    shorts = short_names(package)
    parts = target.split(".")
    if len(parts) > 1 and parts[1] in shorts:
        parts = shorts[parts[1]].split(".") + parts[2:]
    if len(parts) == 1 or parts[1].startswith("__") and parts[1].endswith("__"):
        return None  # `import socialkit`, `from socialkit import __version__`
    if parts[1] not in rules:
        raise ValueError(f"{target} is in no layer of {root}")
    return parts[1]


def violations(package: Path = PACKAGE, rules: dict[str, Rule] | None = None) -> list[str]:
    """Every import in ``package`` that its layer's row of the table does not allow."""
    rules = read_rules() if rules is None else rules
    root = package.name
    bad = []
    for layer, rule in rules.items():
        for path in sorted((package / layer).rglob("*.py")):
            where = path.relative_to(package.parent)
            for line, target in imports(path, package):
                top = target.split(".")[0]
                if top == root:
                    try:
                        other = layer_of(target, package, rules)
                    except ValueError as error:
                        bad.append(f"{where}:{line}: {error}")
                        continue
                    if other not in (None, layer) and other not in rule.may_import:
                        bad.append(f"{where}:{line} imports {target}: {layer} may not import {other}")
                elif top in rule.may_not_use:
                    bad.append(f"{where}:{line} imports {target}: {layer} may not use {top}")
    return bad


# --- the package -----------------------------------------------------------------------------------
def test_the_table_has_one_row_per_layer_folder():
    rules = read_rules()
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert sorted(rules) == folders
    for rule in rules.values():
        unknown = rule.may_import - set(rules)
        assert not unknown, f"{rule.layer} may import {sorted(unknown)}, which are not layers"


def test_the_table_runs_downwards_only():
    """Rows run from the floor up: each layer may import only the rows above it in the table, so
    there is no cycle and no arrow upwards."""
    below: set[str] = set()
    for layer, rule in read_rules().items():
        assert rule.may_import <= below, f"{layer} may import {sorted(rule.may_import - below)}, above it"
        below.add(layer)


def test_every_import_follows_the_table():
    assert violations() == []


def test_every_module_lives_in_a_layer():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert not loose, f"modules outside the layers: {loose}; put each in one of {sorted(read_rules())}"
    # the root imports no layer when it is imported (short names load on first use) ...
    assert not [t for _, t in imports(PACKAGE / "__init__.py", PACKAGE) if t.startswith("socialkit")]
    # ... and __main__.py (``python -m socialkit``) is only a door into the top layer's commands
    targets = {t for _, t in imports(PACKAGE / "__main__.py", PACKAGE) if t.startswith("socialkit")}
    assert targets and all(t.startswith("socialkit.site.") for t in targets), targets


def test_short_names_resolve_to_their_modules():
    assert short_names(PACKAGE) == socialkit.SHORT_NAMES
    for short, full in socialkit.SHORT_NAMES.items():
        assert getattr(socialkit, short).__name__ == full
    with pytest.raises(AttributeError):
        socialkit.no_such_module  # noqa: B018


# --- the check itself ------------------------------------------------------------------------------
def fake_package(tmp_path: Path) -> Path:
    """An empty package with the real layer folders and the real short names."""
    fake = tmp_path / "socialkit"
    fake.mkdir()
    shutil.copy(PACKAGE / "__init__.py", fake / "__init__.py")
    for layer in read_rules():
        (fake / layer).mkdir()
        (fake / layer / "__init__.py").write_text("")
    return fake


def forbidden_pairs() -> list[tuple[str, str]]:
    rules = read_rules()
    return [(low, high) for low, rule in rules.items() for high in rules
            if high != low and high not in rule.may_import]


@pytest.mark.parametrize(("layer", "higher"), forbidden_pairs(), ids="-".join)
def test_the_check_catches_each_arrow_the_table_does_not_draw(tmp_path, layer, higher):
    fake = fake_package(tmp_path)
    (fake / layer / "bad.py").write_text(f"def later():\n    from ..{higher} import anything\n")
    found = violations(fake)
    assert len(found) == 2 and all(f"{layer} may not import {higher}" in f for f in found), found


def test_the_check_allows_the_arrows_the_table_draws(tmp_path):
    fake = fake_package(tmp_path)
    for layer, rule in read_rules().items():
        lines = [f"from ..{other} import anything" for other in sorted(rule.may_import)]
        (fake / layer / "good.py").write_text("\n".join(["from . import sibling", "import socialkit",
                                                         "from socialkit import __version__", *lines]))
    assert violations(fake) == []


def test_the_check_reads_short_names_libraries_and_unknown_modules(tmp_path):
    fake = fake_package(tmp_path)
    (fake / "data" / "bad.py").write_text(
        "from socialkit import bass, quiz\nimport matplotlib.pyplot\nfrom socialkit import nowhere\n")
    found = violations(fake)
    assert any("socialkit.bass: data may not import models" in f for f in found), found
    assert any("socialkit.quiz: data may not import interactive" in f for f in found), found
    assert any("data may not use matplotlib" in f for f in found), found
    assert any("socialkit.nowhere is in no layer" in f for f in found), found


def test_the_check_catches_an_upward_import_added_to_the_real_package(tmp_path):
    copy = tmp_path / "socialkit"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.csv", "*.json"))
    assert violations(copy) == []
    with (copy / "models" / "bass.py").open("a", encoding="utf-8") as module:
        module.write("\n\ndef _upward():\n    from ..apps import plan\n")
    assert violations(copy) == [
        f"socialkit/models/bass.py:{len((copy / 'models' / 'bass.py').read_text().splitlines())}"
        " imports socialkit.apps.plan: models may not import apps",
        f"socialkit/models/bass.py:{len((copy / 'models' / 'bass.py').read_text().splitlines())}"
        " imports socialkit.apps: models may not import apps"]


def test_the_table_reader_refuses_a_malformed_row(tmp_path):
    page = tmp_path / "README.md"
    page.write_text(f"{TABLE_HEADER}\n|---|---|---|\n| `data` |  | `otter` |\n")
    with pytest.raises(AssertionError, match="write 'none'"):
        read_rules(page)

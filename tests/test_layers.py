"""The package keeps its layers: imports run downwards only (see socialkit/README.md).

Every module's imports are read from its source (``ast``, not by importing it), so a lazy import
inside a function counts as much as one at the top. Relative imports are resolved to full names.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "socialkit"
#: What each layer may not import: the layers above it, and the libraries of screens and books.
FORBIDDEN = {
    "models": ("socialkit.interactive", "socialkit.figures", "socialkit.course", "socialkit.site",
               "ipywidgets", "matplotlib", "IPython", "otter", "jupyterquiz", "sphinx"),
    "data": ("socialkit.interactive", "socialkit.figures", "socialkit.course", "socialkit.site",
             "ipywidgets", "matplotlib", "IPython", "otter", "jupyterquiz", "sphinx"),
    "interactive": ("socialkit.course", "socialkit.site", "otter"),
    "figures": ("socialkit.course", "socialkit.site", "otter"),
}
LAYERS = ("models", "data", "figures", "interactive", "course", "site")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, full module name) of every import in the file, relative ones resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from socialkit import figures` imports socialkit.figures: count the names too
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
            found.append((node.lineno, base))
    return found


def violations(layer: str) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for line, target in imports(path):
            for prefix in FORBIDDEN[layer]:
                if target == prefix or target.startswith(prefix + "."):
                    bad.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
    return bad


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_lower_layers_do_not_import_higher_ones(layer):
    assert not violations(layer), "\n".join(violations(layer))


def test_every_module_lives_in_a_layer():
    # __main__.py (``python -m socialkit``) is only a door into the top layer's commands
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert not loose, f"modules outside the layers: {loose}; put each in one of {LAYERS}"
    if (PACKAGE / "__main__.py").exists():
        targets = {t for _, t in imports(PACKAGE / "__main__.py") if t.startswith("socialkit")}
        assert targets and all(t.startswith("socialkit.site.") for t in targets), targets
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()) \
        == sorted(LAYERS)


def test_the_layer_check_catches_an_upward_import(tmp_path, monkeypatch):
    fake = tmp_path / "socialkit"
    (fake / "models").mkdir(parents=True)
    (fake / "models" / "bad.py").write_text(
        "def f():\n    from ..figures import adoption\n    import matplotlib.pyplot\n")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert len(violations("models")) == 3  # socialkit.figures, socialkit.figures.adoption, matplotlib.pyplot


def test_short_names_resolve_to_their_modules():
    import socialkit

    for short, full in socialkit.SHORT_NAMES.items():
        assert getattr(socialkit, short).__name__ == full
    with pytest.raises(AttributeError):
        socialkit.no_such_module  # noqa: B018

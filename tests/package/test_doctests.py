"""Docstring examples are tests: every module of the package has its examples run here.

The modules are found by walking ``socialkit/`` (not from a list), so a new module's examples run
without a change here. Each module is imported as a lesson or the grader would import it; a module
whose import needs a library that is not installed is reported as skipped with that library's
name (``make test`` installs everything in requirements.txt, so there nothing is skipped).
"""
from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import socialkit

PACKAGE = Path(socialkit.__file__).resolve().parent
#: Modules whose examples a reader is promised (issue 17 found them never run); they must keep some.
PROMISED = ("socialkit.models.bass", "socialkit.models.relevance", "socialkit.models.statements",
            "socialkit.data.statements", "socialkit.course.checks")


def module_names() -> list[str]:
    """Every module of the package, by its dotted name (``__main__`` doors excluded: importing one
    is harmless, but they hold no examples and run a command when executed)."""
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def import_module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and error.name.split(".")[0] != "socialkit":
            pytest.skip(f"{name} needs {error.name}, which is not installed here")
        raise


def examples(module) -> list[doctest.DocTest]:
    tests = doctest.DocTestFinder().find(module, module.__name__)
    return [test for test in tests if test.examples]


@pytest.mark.parametrize("name", module_names())
def test_the_examples_in_the_docstrings_are_right(name):
    module = import_module(name)
    runner = doctest.DocTestRunner(verbose=False)
    report = []
    for test in examples(module):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)


def test_every_module_is_found_and_the_promised_examples_exist():
    names = module_names()
    assert "socialkit.models.bass" in names and "socialkit.site.book" in names
    assert not [n for n in names if ".__main__" in n]
    for name in PROMISED:
        assert examples(importlib.import_module(name)), f"{name} has lost its examples"

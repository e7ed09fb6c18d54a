"""Imported once by the grader's fork server, so that no submission and no judge pays for it.

numpy, pandas, matplotlib (Agg), IPython's shell, otter and every module of the kit that an
exercise or a test imports. The server imports these and nothing else: it never runs a
submission or a test, so each process forked from it starts clean.
"""
from __future__ import annotations

import importlib
import pkgutil

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot  # noqa: E402,F401
import nbformat  # noqa: E402,F401
import numpy  # noqa: E402,F401
import otter  # noqa: E402,F401
import otter.check.notebook  # noqa: E402,F401
import otter.test_files.exception_test  # noqa: E402,F401
import pandas  # noqa: E402,F401
import psutil  # noqa: E402,F401
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402,F401

import socialkit  # noqa: E402,F401
from . import judge, plain, protocol, sandbox, worker  # noqa: E402,F401

for _package in ("socialkit.data", "socialkit.models", "socialkit.course", "socialkit.interactive"):
    try:
        _pkg = importlib.import_module(_package)
    except Exception:  # noqa: BLE001 - a module being written right now must not stop grading
        continue
    for _info in pkgutil.iter_modules(_pkg.__path__, _package + "."):
        if _info.name.endswith((".assign", ".grading")) or _info.ispkg:
            continue
        try:
            importlib.import_module(_info.name)
        except Exception:  # noqa: BLE001
            pass

# each exercise's numbers, in memory before any submission runs: a judge checks a student's answers
# against numbers made by this code, never by a file a sandbox could reach since
from socialkit.course import variants as _variants  # noqa: E402

for _name in _variants.EXERCISES.values():
    try:
        importlib.import_module(_name)
    except Exception:  # noqa: BLE001 - an exercise without per-student numbers yet
        pass

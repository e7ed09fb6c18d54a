"""Synthetic submissions of any assignment, for the grader's tests, benchmarks and a dry run.

Built from what ``make assign`` writes for an exercise: the student notebook (blank answers) and
otter's autograder notebook (the solutions). Answer cells are the student notebook's cells tagged
``otter_answer_cell``; the autograder notebook has the matching solution cells, tagged
``otter_assign_solution_cell``, in the same order. Each answer cell belongs to the question of the
first ``grader.check("...")`` after it.

* ``correct``: every answer cell holds the solution;
* ``partial``: the first half of the autograded questions are answered, the rest left blank
  (later questions may build on earlier ones, never the reverse, so the answered ones still earn
  full marks and the blank ones none);
* ``blank``: the student notebook as handed out.

``ATTACKS`` holds hostile cells, the tricks a class might try to raise a score or harm a
classmate (patching numpy, the checks or otter, import hooks, liar objects, killing processes,
forging results, daemons that outlive the batch...); ``attack_cell`` and ``insert_cell`` put
them into notebooks, so the grader's tests grade them for real.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import nbformat

from socialkit.course.grading.intake.autograder import ASSIGN_DIR

__all__ = ["KINDS", "assignment_notebooks", "answer_questions", "make_notebook", "make_class",
           "ATTACKS", "attack_cell", "insert_cell"]

KINDS = ("correct", "partial", "blank")
_CHECK = re.compile(r"""grader\.check\(\s*["']([^"']+)["']\s*\)""")


def assignment_notebooks(stem: str, assign_dir: Path = ASSIGN_DIR) -> tuple[Path, Path]:
    """(student notebook, autograder notebook with solutions) that ``make assign`` wrote."""
    base = Path(assign_dir) / stem
    student, solved = base / "student" / f"{stem}.ipynb", base / "autograder" / f"{stem}.ipynb"
    for path in (student, solved):
        if not path.is_file():
            raise ValueError(f"{path} does not exist: run `make assign` first.")
    return student, solved


def _tagged(nb, tag: str) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if tag in c.get("metadata", {}).get("tags", [])]


def answer_questions(nb) -> dict[int, str]:
    """Answer cell index -> the question whose check follows it (autograded questions only)."""
    out = {}
    for index in _tagged(nb, "otter_answer_cell"):
        for cell in nb.cells[index + 1:]:
            match = _CHECK.search(cell.source) if cell.cell_type == "code" else None
            if match:
                out[index] = match.group(1)
                break
    return out


def make_notebook(stem: str, answered: set[str] | None = None,
                  assign_dir: Path = ASSIGN_DIR) -> nbformat.NotebookNode:
    """The student notebook with the solutions of the questions in ``answered`` filled in
    (``None``: all of them)."""
    student_path, solved_path = assignment_notebooks(stem, assign_dir)
    nb = nbformat.read(student_path, as_version=4)
    solved = nbformat.read(solved_path, as_version=4)
    answers, solutions = _tagged(nb, "otter_answer_cell"), _tagged(solved, "otter_assign_solution_cell")
    if len(answers) != len(solutions):
        raise ValueError(f"{stem}: {len(answers)} answer cells but {len(solutions)} solution cells")
    questions = answer_questions(nb)
    for a, s in zip(answers, solutions):
        if a in questions and (answered is None or questions[a] in answered):
            nb.cells[a].source = solved.cells[s].source
    return nb


def make_class(stem: str, folder: Path, n: int, *, seed: int = 0, kinds=KINDS,
               assign_dir: Path = ASSIGN_DIR) -> dict[str, str]:
    """Write ``n`` submissions ``s001_<stem>.ipynb`` ... into ``folder``, cycling through ``kinds``
    in a seeded shuffled order; return {student id: kind}."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a whole number >= 1; got {n!r}.")
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown kinds {sorted(unknown)}; choose from {KINDS}.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    student_nb = nbformat.read(assignment_notebooks(stem, assign_dir)[0], as_version=4)
    questions = list(dict.fromkeys(answer_questions(student_nb).values()))
    half = set(questions[: len(questions) // 2])
    notebooks = {"correct": make_notebook(stem, None, assign_dir),
                 "partial": make_notebook(stem, half, assign_dir),
                 "blank": make_notebook(stem, set(), assign_dir)}
    order = [kinds[i % len(kinds)] for i in range(n)]
    random.Random(seed).shuffle(order)
    made = {}
    for i, kind in enumerate(order, start=1):
        student = f"s{i:03d}"
        nbformat.write(notebooks[kind], folder / f"{student}_{stem}.ipynb")
        made[student] = kind
    return made


# --- hostile submissions: what a class might hand in to cheat or to break the grader ------------------
#: Cells that try to raise a score or harm others from inside a notebook, for the grader's tests.
#: Each is inserted into an otherwise blank (or correct) student notebook. ``{...}`` fields are
#: filled by :func:`attack_cell`. Those marked "namespaces only" must never run outside a PID
#: namespace (they signal every process they can see); they check that first.
ATTACKS = {
    # scores inflated from inside the notebook
    "patch-numpy": '''\
import numpy as np
np.allclose = lambda *a, **k: True
np.isclose = lambda a, b, *x, **k: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)
np.all = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
''',
    "patch-checks": '''\
import numpy as _np
import socialkit.course.checks as _c
import socialkit.course.chapter_checks as _cc
for _m in (_c, _cc):
    for _name in ("require", "close", "require_function", "check_table"):
        if hasattr(_m, _name):
            setattr(_m, _name, lambda *a, **k: None)
_c.returns_array = lambda f, name, *a, shape: _np.zeros(shape)
_c.returns_number = lambda *a, **k: 0.0
_c.is_number = lambda value, name: 0.75
''',
    "patch-otter": '''\
from otter.test_files import abstract_test, exception_test
exception_test.test_case.call_func = lambda self, env: None
abstract_test.TestFile.score = property(lambda self: self.possible)
abstract_test.TestFile.passed_all = property(lambda self: True)
''',
    "import-hook": '''\
import sys, types, importlib.machinery
_fake = types.ModuleType("socialkit.course.checks")
for _n in ("require", "close", "require_function", "returns_array", "returns_number", "is_number", "call"):
    setattr(_fake, _n, lambda *a, **k: 0.75)
_fake.Hint = AssertionError
sys.modules["socialkit.course.checks"] = _fake
class _Hook:
    def find_spec(self, name, path=None, target=None):
        return importlib.machinery.ModuleSpec(name, None) if name.startswith("socialkit.course") else None
sys.meta_path.insert(0, _Hook())
''',
    "fake-package": '''\
import os
os.makedirs("socialkit/course", exist_ok=True)
open("socialkit/__init__.py", "w").write("")
open("socialkit/course/__init__.py", "w").write("")
open("socialkit/course/checks.py", "w").write(
    "import numpy as np\\nclass Hint(AssertionError): pass\\n"
    "def require(*a, **k): pass\\nclose = require_function = require\\n"
    "def returns_array(f, n, *a, shape): return np.zeros(shape)\\n"
    "def returns_number(*a): return 0.0\\ndef is_number(v, n): return 0.75\\n")
''',
    "tamper-files": '''\
tampered = {{}}
for _target in {targets!r}:  # the autograder zip, a classmate's file, the grades...
    try:
        with open(_target, "ab") as _f:
            _f.write(b"tampered")
        tampered[_target] = "written"
    except OSError as _error:
        tampered[_target] = type(_error).__name__
''',
    "forged-result": '''\
import json, os, signal
_fake = {{"outcome": "graded", "status": "ok", "total": 11, "scores": {{"q1": 4, "q2": 4, "q3": 3}}}}
try:
    json.dump(_fake, open("result.json", "w"))
except OSError:
    pass
os.kill(os.getpid(), signal.SIGKILL)
''',
    "liar": '''\
import numpy as np
class _Liar(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __float__(self): return 0.75
    def __hash__(self): return 0
    def __lt__(self, other): return True
    def __gt__(self, other): return True
    def __le__(self, other): return True
    def __ge__(self, other): return True
class _LiarArray(np.ndarray):
    def astype(self, *a, **k): return self.expected
    def __eq__(self, other): return np.ones(np.shape(other), dtype=bool)
def bass_F(t, p, q):
    from socialkit import bass
    out = np.zeros(np.shape(t)).view(_LiarArray)
    out.expected = bass.cumulative_adoption(t, p, q)
    return out
cc_listening_share = _Liar(0.1)
times_as_costly = _Liar(0.0)
peak_year = _Liar(1.0)
moved_at_peak = _Liar(0.0)
''',
    # one submission costing others their grade (namespaces only: it signals every process it sees)
    "kill-everyone": '''\
import os, signal
if os.getpid() == 1:  # only ever inside a PID namespace of its own
    import psutil
    for _p in psutil.process_iter():
        if _p.pid != os.getpid():
            try:
                _p.kill()
            except psutil.Error:
                pass
    os.kill(-1, signal.SIGKILL)
''',
    "overwrite-classmate": '''\
import os
for _path, _data in {writes!r}:
    try:
        with open(_path, "wb") as _f:
            _f.write(_data)
    except OSError:
        pass
''',
    "die-while-answering": '''\
class _Meta(type):
    def __getattr__(cls, name):
        import os
        os._exit(0)
class _Boom(metaclass=_Meta):
    pass
times_as_costly = _Boom()
''',
    # processes that try to outlive their submission
    "double-fork": '''\
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", {marker!r}])
    os._exit(0)
time.sleep(0.3)
''',
    "rewrite-grades-later": '''\
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep({delay!r})
        for _path in {targets!r}:
            try:
                open(_path, "w").write("student,status,total\\nmallory,ok,999\\n")
            except OSError:
                pass
        os._exit(0)
    os._exit(0)
''',
    # output files
    "leak-hidden-inputs": '''\
import inspect
_seen = []
def bass_F(t, p, q):
    _seen.append(repr((np.asarray(t).ravel()[:4].tolist(), p, q)))
    _seen.append(repr([str(f.code_context) for f in inspect.stack()]))
    t = np.asarray(t, dtype=float)
    decay = np.exp(-(p + q) * t)
    return (1 - decay) / (1 + (q / p) * decay)
def relevance_lost_by_delay(k):
    raise ValueError("; ".join(_seen))
''',
    "ignore-time-limit": '''\
def bass_F(t, p, q):
    import signal, time
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    time.sleep(3600)
''',
}


def attack_cell(name: str, **fields) -> str:
    """The source of attack ``name`` with its ``{fields}`` filled in (see ``ATTACKS``)."""
    if name not in ATTACKS:
        raise ValueError(f"unknown attack {name!r}; choose from {', '.join(ATTACKS)}.")
    return ATTACKS[name].format(**fields)


def insert_cell(nb: nbformat.NotebookNode, source: str, *, after_check: str | None = None,
                position: int | None = None) -> nbformat.NotebookNode:
    """``nb`` with a code cell holding ``source`` after the ``grader.check(after_check)`` cell, at
    ``position``, or (neither given) just before ``grader.check_all()`` (the end)."""
    cell = nbformat.v4.new_code_cell(source)
    if nb.get("nbformat_minor", 5) < 5:
        cell.pop("id", None)
    if position is not None:
        nb.cells.insert(position, cell)
        return nb
    for i, existing in enumerate(nb.cells):
        if existing.cell_type != "code":
            continue
        if after_check is not None and f'grader.check("{after_check}")' in existing.source:
            nb.cells.insert(i + 1, cell)
            return nb
        if after_check is None and "grader.check_all()" in existing.source:
            nb.cells.insert(i, cell)
            return nb
    if after_check is not None:
        raise ValueError(f"no grader.check({after_check!r}) cell in the notebook")
    nb.cells.append(cell)
    return nb

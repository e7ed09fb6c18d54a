"""Proof that every autograded point is earned on the student's own numbers.

Each exercise gives every student their own numbers (``socialkit.course.variants``); the grader
supplies them by setting ``SOCIALKIT_VARIANT``. These helpers run a master's own code and its own
test cells, in this process, exactly as the grader's tests will see them:

* :func:`graded_as` sets the grader's variable for a student (the public variant: ``""``);
* :func:`solution_namespace` runs the master's setup and solution cells as that student;
* :func:`answers_for` picks out of a namespace the names a question's tests take;
* :func:`score` runs every test cell of a question (public and hidden) on answers as a student
  and adds up the points each passing case carries, by otter's own rule for points
  (``otter.test_files.abstract_test.TestFile.resolve_test_file_points``: a case's own
  ``points`` from its TEST CONFIG block, the rest of the question's points shared evenly);
* :func:`shortcut_constants` and :func:`written` make the two shortcuts issue 18 names.

The per-exercise proof tests (``tests/course/test_variants_*.py``) then state, per question:
(a) the solution earns full points for several students; (b) the values the solution computes on
the public variant, typed in as constants, earn nothing on another student's numbers; (c) where a
function is asked for, the kit's own function under another name earns nothing.
"""
from __future__ import annotations

import ast
import json
import os
import re
from contextlib import contextmanager
from functools import lru_cache

import nbformat
import yaml

from socialkit.course import assign, variants
from support.exercises import question

#: three students whose numbers the proofs use, and the public variant's "student"
STUDENTS = ("s1001", "s2002", "s3003")
PUBLIC = ""

_CONFIG = re.compile(r'^\s*"""\s*#\s*BEGIN\s*TEST\s*CONFIG(.*?)"""\s*#\s*END\s*TEST\s*CONFIG',
                     re.DOTALL | re.IGNORECASE)


@contextmanager
def graded_as(student: str, course: str = ""):
    """While the block runs, the kit's variants are ``student``'s, as when the grader grades them
    (``""``: the public variant)."""
    saved = os.environ.get(variants.GRADING_VARIABLE)
    if student:
        os.environ[variants.GRADING_VARIABLE] = json.dumps({"student": student, "course": course})
    else:
        os.environ.pop(variants.GRADING_VARIABLE, None)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(variants.GRADING_VARIABLE, None)
        else:
            os.environ[variants.GRADING_VARIABLE] = saved


def _runnable(cell) -> bool:
    if cell.cell_type != "code":
        return False
    source = cell.source.lstrip()
    first = source.split("\n", 1)[0]
    return not (first.startswith("# @title") or "otter.Notebook(" in source
                or source.startswith("grader.check") or first.startswith("# HIDDEN")
                or re.match(r"def q\d+\w*\(", source) or _CONFIG.match(source))


@lru_cache(maxsize=None)
def _solution_cells(stem: str) -> tuple[str, ...]:
    nb = nbformat.read(assign.MASTERS_DIR / f"{stem}.ipynb", as_version=4)
    return tuple(cell.source for cell in nb.cells if _runnable(cell))


_NAMESPACES: dict[tuple[str, str], dict] = {}


def solution_namespace(stem: str, student: str) -> dict:
    """The names the master's setup and solution cells define when ``student`` runs them
    (cached: treat it as read-only, copy what a test changes)."""
    key = (stem, student)
    if key not in _NAMESPACES:
        import matplotlib
        matplotlib.use("Agg")
        namespace: dict = {"__name__": "__main__"}
        with graded_as(student):
            for source in _solution_cells(stem):
                exec(compile(source, f"<{stem}>", "exec"), namespace)
        _NAMESPACES[key] = namespace
    return _NAMESPACES[key]


def _parameters(source: str) -> list[str]:
    """The names a test cell passes to its test function (the call on its last line).

    Otter hands a test function the notebook's values by the function's *parameter* names, so
    a test whose parameters are not the names it is called with would be proved here on one
    answer and graded by otter on another: such a cell is refused.
    """
    body = ast.parse(source).body
    definition = next(node for node in body if isinstance(node, ast.FunctionDef))
    names = [arg.id for arg in body[-1].value.args]
    parameters = [arg.arg for arg in definition.args.args]
    assert parameters == names, (f"{definition.name} takes {parameters} but is called with {names}: "
                                 "otter passes the notebook's values by parameter name")
    return names


def cases(stem: str, name: str) -> list[tuple[bool, str, float]]:
    """(hidden?, source, points) of each test case of question ``name``, by otter's rule."""
    from otter.test_files.abstract_test import TestCase, TestFile

    q = question(stem, name)
    assert q.tests, f"{stem} {name} has no test cells"
    given = []
    for hidden, source in q.tests:
        match = _CONFIG.match(source)
        config = yaml.safe_load(match[1]) if match else {}
        given.append(TestCase(f"case {len(given)}", source, hidden, (config or {}).get("points"), None, None))
    resolved = TestFile.resolve_test_file_points(q.points, given)
    return [(tc.hidden, tc.body, float(tc.points)) for tc in resolved]


def answers_for(stem: str, name: str, namespace: dict) -> dict:
    """The answers question ``name``'s tests take, from ``namespace`` (a missing one is ``...``)."""
    names = {p for _, source, _ in cases(stem, name) for p in _parameters(source)}
    return {n: namespace.get(n, ...) for n in sorted(names)}


def case_results(stem: str, name: str, answers: dict, student: str) -> list[tuple[float, bool, list[str]]]:
    """(points, passed?, the answers it takes) of each test case, run on ``answers`` as ``student``."""
    results = []
    with graded_as(student):
        for _, source, points in cases(stem, name):
            try:
                exec(source, {**answers})
                passed = True
            except Exception:  # a Hint, or the student's code failing: the case earns nothing
                passed = False
            results.append((points, passed, _parameters(source)))
    return results


def score(stem: str, name: str, answers: dict, student: str) -> tuple[float, float]:
    """(points earned, points possible) of question ``name`` on ``answers`` as ``student``."""
    results = case_results(stem, name, answers, student)
    return sum(p for p, ok, _ in results if ok), sum(p for p, _, _ in results)


def shortcut_constants(stem: str, name: str) -> dict:
    """The answers of question ``name`` with every value (not a function) replaced by what the
    solution computes on the public variant: a student who copied the book's numbers."""
    public = answers_for(stem, name, solution_namespace(stem, PUBLIC))
    return {n: v for n, v in public.items() if not callable(v)}


def value_points(stem: str, name: str, answers: dict, student: str) -> float:
    """Points earned by the test cases of ``name`` that check a value (not only functions)."""
    values = {n for n, v in answers.items() if not callable(v)}
    return sum(p for p, ok, takes in case_results(stem, name, answers, student)
               if ok and values & set(takes))


def written(source: str, namespace: dict) -> dict:
    """The names ``source`` defines when run after ``namespace``, as a cell a student wrote
    (for example the kit's own function under another name:
    ``def bass_F(t, p, q): return bass.cumulative_adoption(t, p, q)``)."""
    scope = dict(namespace)
    before = set(scope)
    exec(compile(source, "<student cell>", "exec"), scope)
    return {n: scope[n] for n in scope if n not in before or scope[n] is not namespace.get(n)}


# --- the proof itself: one assertion per shortcut, shared by the exercises' test files -------------
def same(a, b) -> bool:
    """Whether two answers are equal (tables and Series compared as a whole)."""
    return bool(a.equals(b)) if hasattr(a, "equals") else bool(a == b)


def prove_full_points(stem: str, name: str, student: str) -> None:
    """(a) The solution, run on ``student``'s numbers, earns every point of ``name``."""
    earned, possible = score(stem, name, answers_for(stem, name, solution_namespace(stem, student)), student)
    assert possible > 0 and abs(earned - possible) < 1e-9, (name, student, earned, possible)


def prove_public_values_earn_nothing(stem: str, name: str, student: str, values: tuple[str, ...]) -> None:
    """(b) ``values``, the question's value answers, differ between ``student`` and the public
    variant, and typed in from the public variant they earn ``student`` nothing."""
    constants = shortcut_constants(stem, name)
    assert set(constants) == set(values)
    solved = answers_for(stem, name, solution_namespace(stem, student))
    for value in values:
        assert not same(solved[value], constants[value]), (name, student, value)
    assert value_points(stem, name, {**solved, **constants}, student) == 0


def prove_kit_alias_earns_nothing(stem: str, name: str, function: str, source: str) -> None:
    """(c) ``source``, the kit's own answer written as the student's ``function``, earns nothing
    on the cases that call ``function``, on a student's numbers and on the public ones."""
    for student in (STUDENTS[0], PUBLIC):
        namespace = solution_namespace(stem, student)
        answers = {**answers_for(stem, name, namespace), **written(source, namespace)}
        results = case_results(stem, name, answers, student)
        assert sum(points for points, ok, takes in results if ok and function in takes) == 0, (name, student)


def prove_form_checks_free_and_blank_worthless(stem: str, name: str) -> None:
    """(d) The public (form) checks carry no points, and blank answers earn nothing for any
    student, the public variant included."""
    assert all(points == 0 for hidden, _, points in cases(stem, name) if not hidden)
    blank = {n: ... for n in answers_for(stem, name, {})}
    for student in (*STUDENTS, PUBLIC):
        assert score(stem, name, blank, student)[0] == 0


def prove_blank_earns_nothing(stem: str, name: str) -> None:
    """(d) Every answer left as ``...`` earns nothing."""
    blank = {n: ... for n in answers_for(stem, name, solution_namespace(stem, PUBLIC))}
    assert score(stem, name, blank, STUDENTS[0])[0] == 0


def proof_tests(stem: str, questions: tuple[str, ...], values: dict, aliases: dict) -> tuple:
    """The four proofs as pytest tests of one exercise, for a test module to bind::

        (test_the_solution_earns_full_points_on_every_variant, test_the_public_values_typed_in_earn_nothing,
         test_the_kits_function_under_another_name_earns_nothing, test_blank_answers_earn_nothing) = \\
            proof_tests(STEM, QUESTIONS, VALUES, KIT_UNDER_ANOTHER_NAME)

    ``values``: {question: its value answers}; ``aliases``: {question: (function, the kit's
    answer written as that function)}."""
    import pytest

    @pytest.mark.parametrize("student", [*STUDENTS, PUBLIC])
    @pytest.mark.parametrize("name", questions)
    def full(name, student):
        prove_full_points(stem, name, student)

    @pytest.mark.parametrize("student", STUDENTS)
    @pytest.mark.parametrize("name", sorted(values))
    def public(name, student):
        prove_public_values_earn_nothing(stem, name, student, values[name])

    @pytest.mark.parametrize("name", sorted(aliases))
    def alias(name):
        prove_kit_alias_earns_nothing(stem, name, *aliases[name])

    @pytest.mark.parametrize("name", questions)
    def blank(name):
        prove_blank_earns_nothing(stem, name)

    return full, public, alias, blank

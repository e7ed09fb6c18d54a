"""A class of three students, each with their own numbers, for the graders' end-to-end tests.

Built on the proof helpers (``support.variants``) and the contract of issue 18
(/work/brief/VARIANTS.md): every exercise's first cell calls
``mine = variants.mine("<stem>", student_id)``, and the hidden tests check against
``variants.current("<stem>")``, which the grader sets to the student the submission belongs to.

* :func:`typed_cell` writes answers into a notebook as a student who typed the numbers would;
* :func:`class_notebooks` makes the three submissions: a full solution whose ``student_id`` line
  names the wrong student; the solution with the public variant's values typed over its own; and
  the solution with a classmate's values typed over its own, after a cell that tries to make the
  grader use the classmate's numbers;
* :func:`expected_points` says, in this process, what each question must earn on the student's
  own numbers (the same tests, run by ``support.variants.case_results``).
"""
from __future__ import annotations

import base64
import json
import pickle

import nbformat
import numpy as np

from socialkit.course import assign
from support import variants as proofs
from grading import samples

#: the class: student id -> what their notebook does
CLASS = {"s1001": "solution, student_id typed as another student's (S2002)",
         "s2002": "the public numbers' answers typed in",
         "s3003": "a classmate's (s1001's) answers typed in, and the grader's variable changed"}
WRONG_TYPED = "S2002"


def autograded(stem: str) -> list[str]:
    return [q.name for q in assign.read_questions(assign.MASTERS_DIR / f"{stem}.ipynb") if not q.manual]


def _literal(value) -> str:
    """Python source that gives ``value`` back, as a student typing it would (plain values as
    literals; tables and arrays as pickled bytes, which is what typing them amounts to)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    if isinstance(value, np.generic):
        return repr(value.item())
    if isinstance(value, (list, tuple)) and all(isinstance(v, (bool, int, float, str)) for v in value):
        return repr(value)
    data = base64.b64encode(pickle.dumps(value)).decode()
    return f"__import__('pickle').loads(__import__('base64').b64decode({data!r}))"


def typed_cell(values: dict) -> str:
    """A cell that types ``values`` (name -> value) in as constants."""
    return "\n".join(f"{name} = {_literal(value)}" for name, value in sorted(values.items()))


def solution_answers(stem: str, student: str, course: str) -> dict:
    """The names the master's solution defines when ``student`` of the course ``course`` runs it."""
    import matplotlib

    matplotlib.use("Agg")
    namespace: dict = {"__name__": "__main__"}
    with proofs.graded_as(student, course):
        for source in proofs._solution_cells(stem):  # noqa: SLF001 - the proofs' own cell selection
            exec(compile(source, f"<{stem}>", "exec"), namespace)
    return namespace


def value_answers(stem: str, namespace: dict) -> dict:
    """Every autograded question's value answers (not functions) in ``namespace``."""
    out = {}
    for q in autograded(stem):
        out.update({n: v for n, v in proofs.answers_for(stem, q, namespace).items()
                    if not callable(v) and v is not ...})
    return out


def _with_id(nb, typed: str):
    """``nb`` with its ``student_id = ""`` line filled in."""
    for cell in nb.cells:
        if cell.cell_type == "code" and 'student_id = ""' in cell.source:
            cell.source = cell.source.replace('student_id = ""', f'student_id = "{typed}"', 1)
            return nb
    raise AssertionError('the notebook has no student_id = "" line (see VARIANTS.md)')


def class_notebooks(stem: str, assign_dir, course: str, *, tamper: bool = True) -> dict:
    """{student: notebook} of :data:`CLASS`, made from the (course's) student copy in
    ``assign_dir`` with otter's solutions. ``tamper``: s3003's notebook also sets the grader's
    variable to s1001's before typing s1001's answers (the kit's grader must ignore it)."""
    def solved(typed):
        return _with_id(samples.make_notebook(stem, None, assign_dir), typed)

    public = value_answers(stem, proofs.solution_namespace(stem, proofs.PUBLIC))
    classmate = value_answers(stem, solution_answers(stem, "s1001", course))
    s2002, s3003 = solved("s2002"), solved("s3003")
    s2002.cells.append(nbformat.v4.new_code_cell(typed_cell(public)))
    if tamper:
        s3003.cells.append(nbformat.v4.new_code_cell(
            "import os, json\nos.environ['SOCIALKIT_VARIANT'] = json.dumps("
            f"{{'student': 's1001', 'course': {course!r}}})"))
    s3003.cells.append(nbformat.v4.new_code_cell(typed_cell(classmate)))
    return {"s1001": solved(WRONG_TYPED), "s2002": s2002, "s3003": s3003}


def expected_points(stem: str, student: str, course: str) -> dict[str, tuple[float, float]]:
    """{question: (points its student must earn, points of its value cases)} for :data:`CLASS`,
    worked out in this process with the same tests on the student's own numbers: the solution
    run as the student, then the typed cell run in the same namespace, as in the notebook (so a
    function that reads a typed-over value uses it)."""
    namespace = solution_answers(stem, student, course)
    typed = {"s1001": {}, "s2002": value_answers(stem, proofs.solution_namespace(stem, proofs.PUBLIC)),
             "s3003": value_answers(stem, solution_answers(stem, "s1001", course))}[student]
    if typed:
        exec(compile(typed_cell(typed), "<typed>", "exec"), namespace)
    out = {}
    for q in autograded(stem):
        answers = proofs.answers_for(stem, q, namespace)
        results = _case_results(stem, q, answers, student, course)
        values = {n for n, v in answers.items() if not callable(v)}
        earned = sum(p for p, ok, _ in results if ok)
        value_earned = sum(p for p, ok, takes in results if ok and values & set(takes))
        out[q] = (earned, value_earned)
    return out


def _case_results(stem, q, answers, student, course):
    results = []
    with proofs.graded_as(student, course):
        for _, source, points in proofs.cases(stem, q):
            try:
                exec(source, {**answers})
                passed = True
            except Exception:  # noqa: BLE001 - a Hint, or the answer failing: no points
                passed = False
            results.append((points, passed, proofs._parameters(source)))  # noqa: SLF001
    return results


def write_class(notebooks: dict, folder, stem: str, layout: str = "folders") -> dict:
    """Write the class as a hub exports it (``folders``: ``<id>/<stem>.ipynb``) or side by side
    (``files``: ``<id>_<stem>.ipynb``); {student: path}."""
    paths = {}
    for student, nb in notebooks.items():
        path = (folder / student / f"{stem}.ipynb") if layout == "folders" else folder / f"{student}_{stem}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        paths[student] = path
    return paths


def course_of(secret: str) -> str:
    from socialkit.course.variants import course_code

    return course_code(secret)


def private_file(folder, secret: str):
    path = folder / "private.toml"
    path.write_text(f'[course]\nsecret = {json.dumps(secret)}\n', encoding="utf-8")
    return path

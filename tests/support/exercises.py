"""Running an exercise master's hidden tests directly, as the tests of each chapter's exercise do.

Shortcut answers (the kit's own function under another name, a remembered number) must fail the
hidden tests of the question that asks for them; these helpers run those tests on given answers.
"""
from __future__ import annotations

from socialkit.course import assign
from socialkit.course.checks import Hint


def question(stem: str, name: str) -> assign.Question:
    """Question ``name`` of the exercise master ``exercises/<stem>.ipynb``."""
    (q,) = [q for q in assign.read_questions(assign.MASTERS_DIR / f"{stem}.ipynb") if q.name == name]
    return q


def run_hidden_tests(stem: str, name: str, /, *, preset: dict | None = None, **answers) -> list[str | None]:
    """Each hidden test cell of question ``name`` run on ``answers``: None if it passes, else the hint.

    ``preset`` names are put in each test's namespace before the answers (e.g. ``np``, ``pd``).
    """
    outcomes = []
    hidden = question(stem, name).hidden_tests
    assert hidden, f"{stem} {name} has no hidden tests"
    for source in hidden:
        namespace = {**(preset or {}), **answers}
        try:
            exec(source, namespace)  # defines the test function and calls it on the answers
            outcomes.append(None)
        except Hint as hint:
            outcomes.append(str(hint))
    return outcomes


def held_out_statements(stem: str = "03-customer-centric-questions") -> list[tuple[str, str]]:
    """Chapter 3's hidden statements ``[(text, label)]``, read from the master's hidden tests
    (their only home): the one ``held_out = [...]`` list every hidden test cell shares."""
    import ast

    import nbformat

    found = {}
    for cell in nbformat.read(assign.MASTERS_DIR / f"{stem}.ipynb", as_version=4).cells:
        if cell.cell_type == "code" and cell.source.startswith("# HIDDEN") and "held_out = [" in cell.source:
            for node in ast.walk(ast.parse(cell.source)):
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "held_out":
                    found[ast.unparse(node.value)] = ast.literal_eval(node.value)
    assert len(found) == 1, "the hidden tests should hold one and the same held-out list"
    return next(iter(found.values()))

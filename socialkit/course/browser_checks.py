"""The exercise checks in the browser, where otter-grader does not run.

"Try it in your browser" opens an exercise in JupyterLite (Python compiled to WebAssembly, see
``socialkit/site/lite.py``). otter-grader cannot be installed there (it needs packages that are
not built for the browser), so the browser copy of each exercise replaces the cell
``grader = otter.Notebook(...)`` with ``grader = Notebook(...)`` from this module. It runs the
same public tests — the ones ``otter assign`` writes into the notebook's metadata, which call the
kit's friendly checks (:mod:`socialkit.course.checks`) — and prints each failure's hint, so the
student sees the same feedback as with otter. What differs: no score is shown, ``grader.export``
makes no zip (download the notebook instead), and the hidden tests are not there (they never are
in a student notebook).

The test files are otter's own format: a module with ``name``, ``points`` and functions decorated
with ``@test_case``, whose arguments are looked up by name among the notebook's variables::

    >>> source = '''from otter.test_files import test_case
    ... name = "q1"
    ... @test_case(points=None, hidden=False)
    ... def q1_form(double):
    ...     from socialkit.course.checks import require
    ...     require(double(2) == 4, f"double(2) should be 4; it is {double(2)}.")
    ... '''
    >>> grader = Notebook(tests={"q1": source})
    >>> grader.check("q1", {"double": lambda x: 2 * x})
    q1: ✅ all checks passed.
    >>> grader.check("q1", {"double": lambda x: x + 1})
    q1: ❌ Hint: double(2) should be 4; it is 3.
"""
from __future__ import annotations

import inspect
import json
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Notebook", "Result", "test_case"]

_OTTER_IMPORT = "from otter.test_files import test_case"


def test_case(points=None, hidden=False, success_message=None, failure_message=None):
    """Stands in for ``otter.test_files.test_case``: marks a function as one check."""
    def mark(func):
        func.otter_hidden = hidden
        return func
    return mark


@dataclass
class Result:
    """What one question's checks found: its name and the hints of the checks that failed."""

    question: str
    hints: list

    @property
    def passed(self) -> bool:
        return not self.hints

    def __repr__(self) -> str:
        if self.passed:
            return f"{self.question}: ✅ all checks passed."
        return "\n".join(f"{self.question}: ❌ Hint: {hint}" for hint in self.hints)


class Notebook:
    """``grader`` in the browser copy of an exercise: ``grader.check("q1")``.

    ``notebook`` is the exercise's file name, whose metadata holds the public tests (read when a
    check runs, so the saved copy in the browser is used); ``tests`` ({question: test source})
    is given instead in the kit's own tests.
    """

    def __init__(self, notebook: str | None = None, tests: dict | None = None):
        if (notebook is None) == (tests is None):
            raise ValueError("give either notebook (the exercise's file name) or tests, not both")
        self.notebook, self._tests = notebook, tests

    def tests(self) -> dict:
        if self._tests is not None:
            return self._tests
        path = Path(self.notebook)
        if not path.is_file():
            raise FileNotFoundError(f"The checks read the questions' tests from {path.name}, which is "
                                    f"not in this folder ({Path.cwd()}): open the exercise with the "
                                    "book's \"Try it in your browser\" button and keep its name.")
        return json.loads(path.read_text(encoding="utf-8"))["metadata"]["otter"]["tests"]

    def check(self, question: str, env: dict | None = None) -> Result:
        """Run the public checks of ``question`` on the notebook's variables (or ``env``)."""
        tests = self.tests()
        if question not in tests:
            raise ValueError(f"question must be one of {', '.join(sorted(tests))}; got {question!r}.")
        if env is None:
            env = inspect.currentframe().f_back.f_globals  # the notebook's variables
        namespace = {"test_case": test_case}
        exec(compile(tests[question].replace(_OTTER_IMPORT, ""), f"<{question} checks>", "exec"),
             namespace)
        hints = []
        for func in [v for v in namespace.values() if hasattr(v, "otter_hidden")]:
            try:
                func(*[env.get(name) for name in inspect.signature(func).parameters])
            except AssertionError as failed:
                hints.append(str(failed))
            except Exception as error:  # noqa: BLE001 - a student's code may raise anything
                hints.append(f"{type(error).__name__}: {error}")
        return Result(question, hints)

    def check_all(self) -> list:
        env = inspect.currentframe().f_back.f_globals
        return [self.check(question, env) for question in sorted(self.tests())]

    def export(self, *args, **kwargs) -> None:
        print("In the browser there is no zip to export: download the notebook instead "
              "(File ▸ Download, an .ipynb file) and hand that in.")

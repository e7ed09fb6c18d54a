"""Friendly checks for the graded exercises.

Otter shows a failed test as ``<ExceptionName>: <message>`` under the line that failed. The
exercise tests call the helpers here so that every failure is a :class:`Hint` — a sentence
that says what was expected, what came back and, where we can guess, what to try — and never a
traceback from deep inside numpy. Public tests (visible to students) and hidden tests (used
for grading) share these helpers, so feedback reads the same in both.

Each helper returns the checked value, so a test can chain them::

    F = returns_array(bass_F, "bass_F", np.array([0.0, 1.0, 2.0]), 0.03, 0.38, shape=(3,))
    close(F[0], 0.0, "bass_F at t = 0")
"""
from __future__ import annotations

import functools
import numbers
import types

import numpy as np

__all__ = ["Hint", "require", "describe", "require_function", "call", "returns_array", "returns_number",
           "is_number", "close", "names_used", "written_yourself"]


class Hint(AssertionError):
    """A failed check, phrased as advice to the student."""


def require(condition, message: str) -> None:
    """Raise a :class:`Hint` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise Hint(message)


def describe(value) -> str:
    """A short, plain-words description of ``value``'s type (and shape, for arrays)."""
    if value is None:
        return "None"
    if value is Ellipsis:
        return "the placeholder ..."
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return f"a 0-dimensional array ({value.dtype})"
        return f"an array of shape {value.shape}"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, numbers.Real):
        return "a number"
    name = type(value).__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}"


def show(value) -> str:
    """How a call argument is written in a message, e.g. ``np.array([0.0, 1.0, 2.0])``."""
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r})"
    return repr(value)


def require_function(func, name: str, parameters: str = "...") -> None:
    """Raise a :class:`Hint` unless the student's ``func`` (``name`` in the notebook) is a function.

    ``parameters`` is shown in the hint, as in ``def name(parameters):``.
    """
    if func is None or func is Ellipsis:
        raise Hint(f"{name} is not defined yet: write it in its cell and run that cell.")
    if not callable(func):
        raise Hint(f"{name} should be a function (defined with def {name}({parameters}):), "
                   f"but it is {describe(func)}.")
    if getattr(func, "written_in_notebook", True) is False:  # the grader's judge says so
        raise Hint(f"{name} should be a function you write yourself, with def {name}({parameters}): "
                   "in your notebook, not another function given a new name.")


def call(func, name: str, *args, shown_as: str | None = None):
    """Call the student's function ``func`` (called ``name`` in the notebook) with ``args``.

    Turns "not defined", "not a function" and any error raised inside it into a :class:`Hint`.
    Hints show the call as ``shown_as`` if given (e.g. ``"f(posts)"`` for a large table),
    otherwise with every argument written out. Returns ``(result, the call as shown)``.
    """
    text = shown_as or f"{name}({', '.join(show(a) for a in args)})"
    require_function(func, name)
    try:
        result = func(*args)
    except Exception as error:  # the student's code can fail in any way
        raise Hint(f"Calling {text} raised {type(error).__name__}: {error}. "
                   f"Run your cell and try that call yourself to see where it goes wrong.") from None
    if result is None:
        raise Hint(f"{text} returned None. Did you forget to return the result? "
                   f"(A function whose body is still ... returns None.)")
    return result, text


def returns_array(func, name: str, *args, shape: tuple) -> np.ndarray:
    """Call ``func(*args)`` and check it returns a numpy array of ``shape`` with real numbers."""
    result, text = call(func, name, *args)
    if not isinstance(result, np.ndarray):
        tip = (" Work on the whole array with numpy functions such as np.exp rather than "
               "a loop that builds a list." if isinstance(result, (list, tuple)) else "")
        raise Hint(f"{text} should return a numpy array of shape {shape}, "
                   f"but it returned {describe(result)}.{tip}")
    if result.shape != tuple(shape):
        raise Hint(f"{text} should return an array of shape {shape} (one value per time), "
                   f"but it returned {describe(result)}.")
    if not np.issubdtype(result.dtype, np.number) or np.iscomplexobj(result):
        raise Hint(f"{text} should return real numbers, but the array holds {result.dtype}.")
    return np.array(result, dtype=float, subok=False)  # a plain array, whatever class it had


def returns_number(func, name: str, *args) -> float:
    """Call ``func(*args)`` and check it returns a single real number (a 0-d array is fine)."""
    result, text = call(func, name, *args)
    return _as_number(result, f"{text} should return a single number", "it returned")


def is_number(value, name: str) -> float:
    """Check that the variable ``name`` holds a single, finite real number."""
    if value is None:
        raise Hint(f"{name} is not defined yet: run the cell where you set it.")
    if value is Ellipsis:
        raise Hint(f"{name} is still ...: replace the ... with your calculation and run the cell.")
    return _as_number(value, f"{name} should be a single number", "it is")


def close(actual, expected, what: str, *, rtol: float = 1e-6, atol: float = 1e-9) -> None:
    """Check that ``actual`` matches ``expected`` (numbers or arrays) within tolerance."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    if np.allclose(actual, expected, rtol=rtol, atol=atol):
        return
    if actual.ndim == 0:
        raise Hint(f"{what} should be about {float(expected):.4g}, but it is {float(actual):.4g}.")
    gap = np.abs(actual - expected)
    worst = np.unravel_index(int(np.argmax(gap)), gap.shape)
    raise Hint(f"{what} does not match the model: at position {tuple(int(i) for i in worst)} "
               f"it gives {actual[worst]:.4g} instead of about {expected[worst]:.4g}.")


def _as_number(value, expectation: str, verb: str) -> float:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise Hint(f"{expectation}, but {verb} {describe(value)}.")
    # the number itself, never what a subclass's own __float__ claims
    value = (float.__add__(value, 0.0) if isinstance(value, float) else
             float(int.__add__(value, 0)) if isinstance(value, int) else float(value))
    if not np.isfinite(value):
        raise Hint(f"{expectation}, but {verb} {value} (not a finite number).")
    return value


# --- "write it yourself": the kit's own answer under another name ------------------------------
def _code_names(code, depth: int = 0) -> set[str]:
    names = {str(n) for n in code.co_names}
    if depth < 20:
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                names |= _code_names(const, depth + 1)
    return names


def names_used(func) -> frozenset[str]:
    """The names the code of the student's ``func`` uses, to tell whether it calls a kit function.

    Follows the functions of the notebook that ``func`` calls, and gives a function from
    elsewhere by its own name, however the notebook named it: a wrapper
    (``def f(t, p, q): return bass.cumulative_adoption(t, p, q)``), an alias
    (``f = bass.cumulative_adoption``) and a hidden alias (``_g = bass.cumulative_adoption``
    called inside ``def f``) all show ``cumulative_adoption``. In the grader's judge ``func``
    stands for the student's function, and its ``__code__.co_names`` already hold these names.
    """
    home = getattr(func, "__module__", None)
    names: set[str] = set()
    seen: set[int] = set()

    def visit(f, depth: int) -> None:
        for _ in range(10):
            if isinstance(f, functools.partial):
                f = f.func
        if id(f) in seen or depth > 10:
            return
        seen.add(id(f))
        if (isinstance(f, types.FunctionType) and f.__module__ == home
                and not str(home).startswith("socialkit")):  # a function of the notebook
            own = _code_names(f.__code__)
            names.update(own)
            for name in own:
                target = f.__globals__.get(name)
                if callable(target) and not isinstance(target, (type, types.ModuleType)):
                    visit(target, depth + 1)
            return
        if not isinstance(f, types.FunctionType):  # the judge's stand-in for the student's function
            code_names = getattr(getattr(f, "__code__", None), "co_names", ())
            if isinstance(code_names, tuple):
                names.update(str(n) for n in code_names)
        name = getattr(f, "__name__", None)
        if isinstance(name, str) and (f is not func or isinstance(f, types.FunctionType)):
            names.add(name)  # a function from elsewhere, known by its own name

    visit(func, 0)
    return frozenset(names)


def written_yourself(func, name: str, kit_functions, *, how: str = "") -> None:
    """Raise a :class:`Hint` if the student's ``func`` (``name`` in the notebook) calls any of
    ``kit_functions`` (qualified names such as ``"bass.cumulative_adoption"``), directly or under
    another name (see :func:`names_used`). ``how`` is added to the hint ("with pandas").

    >>> from socialkit.models import bass
    >>> written_yourself(bass.cumulative_adoption, "bass_F", ["bass.cumulative_adoption"])
    Traceback (most recent call last):
    ...
    socialkit.course.checks.Hint: Write bass_F yourself instead of calling bass.cumulative_adoption.
    """
    used = names_used(func)
    calls = [q for q in kit_functions if str(q).rsplit(".", 1)[-1] in used]
    if calls:
        raise Hint(f"Write {name}{' ' + how if how else ''} yourself instead of calling {', '.join(calls)}.")

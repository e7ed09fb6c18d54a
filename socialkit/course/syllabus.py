"""What Python each exercise needs, what Chapter 0 teaches, and how long each chapter takes.

Two promises of the book are checked here rather than hoped for:

* **Chapter 0 teaches every piece of Python the exercises need, and nothing they don't.**
  :func:`python_used` reads code with :mod:`ast` (nothing is run) and names each construct in
  it: syntax (``def``, ``for``, an f-string, a slice, setting a column ``table["x"] = ...``),
  the built-in functions called (``max``, ``range``), numpy and pandas functions (``np.exp``,
  ``pd.crosstab``), methods of numpy, pandas and plain Python values (``.groupby``,
  ``.value_counts``, ``.count``) and the options given to them by name (``sorted(reverse=)``).
  The kit's own functions (``bass.peak_time``) are not Python to learn: each exercise explains
  the ones it uses. Neither side of the promise is a hand-written list:
  :func:`exercise_python` derives what the exercise solutions use from the masters, and
  :data:`TAUGHT` is what the Chapter 0 lesson's visible code uses (:func:`taught`).
  :func:`untaught` is the difference, and ``tests/course/test_chapter_0_coverage.py`` fails on
  anything in it, and on a taught function whose name Chapter 0's prose never mentions
  (:func:`unexplained`). Only :data:`FOUNDATIONS`, what Chapter 0 shows although no later
  exercise or lesson needs it, is written by hand, and checked.
* **Each chapter page says how long it takes.** :func:`chapter_minutes` estimates reading and
  exercise time from the notebooks themselves, with the rates in :data:`RATES`, so the times
  change when the chapters do.
"""
from __future__ import annotations

import ast
import builtins
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import nbformat

from ..data import paths

__all__ = ["kit_names", "python_used", "notebook_code", "solution_code", "solution_python",
           "lesson_python", "SET_BY_NAME", "SET_BY_POSITION", "CHAPTER_0", "exercise_python",
           "taught", "untaught", "unexplained", "prose_word", "TAUGHT", "FOUNDATIONS",
           "library_names", "RATES", "Timing", "words", "lesson_minutes", "exercise_minutes",
           "chapter_minutes", "chapter_number"]

#: Names under which notebooks import numpy and pandas.
NUMPY, PANDAS = "np", "pd"
_BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
_IPYTHON = re.compile(r"^\s*[%!]", re.MULTILINE)  # magics and shell lines are not Python


@lru_cache(maxsize=1)
def library_names() -> frozenset[str]:
    """Method and attribute names of the values the book works with: numpy arrays, pandas
    tables, columns and groups, and Python's strings, lists, dicts and sets."""
    import numpy as np
    import pandas as pd
    from pandas.core.groupby import DataFrameGroupBy, SeriesGroupBy

    kinds = (np.ndarray, pd.DataFrame, pd.Series, DataFrameGroupBy, SeriesGroupBy, pd.Index,
             str, list, dict, set, tuple)
    names = set()
    for kind in kinds:
        names |= {n for n in dir(kind) if not n.startswith("_")}
    names |= {n for n in dir(pd.Series.dt) if not n.startswith("_")}
    names |= {n for n in dir(pd.Series.str) if not n.startswith("_")}
    return frozenset(names)


def kit_names(code: str) -> frozenset[str]:
    """Names that ``code`` binds to the kit by importing it (``from socialkit import listening``,
    ``from socialkit.models import content as C``): what follows them is the kit's API, which
    each exercise explains, not Python to learn."""
    names = set()
    for node in ast.walk(ast.parse(_IPYTHON.sub("pass  # ", code))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "socialkit":
            names |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.asname for alias in node.names
                      if alias.name.split(".")[0] == "socialkit" and alias.asname}
    return frozenset(names)


_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**", ast.BitAnd: "&", ast.BitOr: "|", ast.MatMult: "@"}
_CMPOPS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
           ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}
_UNARY = {ast.USub: "unary -", ast.Not: "not", ast.Invert: "~"}
_SYNTAX = {ast.FunctionDef: "def", ast.Return: "return", ast.For: "for", ast.While: "while",
           ast.If: "if", ast.IfExp: "if-else expression", ast.Lambda: "lambda",
           ast.ListComp: "list comprehension", ast.GeneratorExp: "generator expression",
           ast.DictComp: "dict comprehension", ast.SetComp: "set comprehension",
           ast.List: "list", ast.Dict: "dict", ast.Set: "set", ast.Tuple: "tuple",
           ast.JoinedStr: "f-string", ast.AugAssign: "augmented assignment",
           ast.Slice: "slice", ast.Import: "import", ast.ImportFrom: "import",
           ast.Try: "try", ast.With: "with", ast.ClassDef: "class", ast.Break: "break",
           ast.Continue: "continue", ast.Assert: "assert", ast.Global: "global",
           ast.Yield: "yield", ast.AsyncFunctionDef: "async", ast.Await: "async"}


def _dotted(node) -> str | None:
    """``np.random.default_rng`` for an attribute chain on a name; None otherwise."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


#: How :func:`python_used` names setting an item: a table's column or a dictionary's key by its
#: name (``table["severity"] = ...``), or items of an array or list by position (``hours[i] = 2``).
SET_BY_NAME = 'setting a column or key: x["name"] = ...'
SET_BY_POSITION = "setting items by position: x[i] = ..."
_NAMES_NOT_OPTIONS = frozenset({"agg", "aggregate", "assign", "dict"})


def _called_name(func, library: frozenset[str], kit: frozenset[str]) -> str | None:
    """How a called function is named in :func:`python_used` (``sorted``, ``.sort_values``,
    ``np.where``), or None for the kit's own functions and the code's own."""
    if isinstance(func, ast.Name):
        return func.id if func.id in _BUILTINS else None
    if isinstance(func, ast.Attribute):
        name = _dotted(func)
        root = name.split(".")[0] if name else None
        if root in (NUMPY, PANDAS):
            return name
        if func.attr in library and root not in kit:
            return f".{func.attr}"
    return None


def python_used(source: str, *, context: str = "") -> set[str]:
    """Every Python construct and library call in ``source``, each named as in :data:`TAUGHT`.

    ``context`` is the code around it (a notebook's setup cell): the kit modules it imports are
    recognised, so that ``blindspots.compare(...)`` is not taken for pandas' ``.compare``.
    Raises ``SyntaxError`` (with the line) if ``source`` is not Python. IPython magics
    (``%time``) and shell lines (``!pip``) are skipped.
    """
    if not isinstance(source, str):
        raise TypeError(f"source must be Python code as a string; got {type(source).__name__}.")
    tree = ast.parse(_IPYTHON.sub("pass  # ", source))
    library = library_names()
    kit = kit_names(source + "\n" + (context or ""))
    found: set[str] = set()
    for node in ast.walk(tree):
        kind = type(node)
        if kind in _SYNTAX:
            found.add(_SYNTAX[kind])
        if isinstance(node, ast.Assign):
            found.add("assignment")
            if any(isinstance(t, ast.Tuple) for t in node.targets):
                found.add("tuple unpacking")
            for target in node.targets:
                if isinstance(target, ast.Subscript):
                    named = isinstance(target.slice, ast.Constant) and isinstance(target.slice.value, str)
                    found.add(SET_BY_NAME if named else SET_BY_POSITION)
        elif isinstance(node, ast.FunctionDef):
            if ast.get_docstring(node):
                found.add("docstring")
            if node.args.defaults or node.args.kw_defaults:
                found.add("default argument")
        elif isinstance(node, ast.BinOp):
            found.add(f"operator {_BINOPS.get(type(node.op), type(node.op).__name__)}")
        elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            found.add(_UNARY[type(node.op)])
        elif isinstance(node, ast.BoolOp):
            found.add("and" if isinstance(node.op, ast.And) else "or")
        elif isinstance(node, ast.Compare):
            found |= {f"comparison {_CMPOPS[type(op)]}" for op in node.ops}
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            found.add("f-string format")
        elif isinstance(node, ast.Subscript):
            index = node.slice
            if isinstance(index, ast.Tuple):
                found.add("indexing [row, column]")
            elif not isinstance(index, ast.Slice):
                found.add("indexing")
            for part in ([index] if not isinstance(index, ast.Tuple) else index.elts):
                values = [part.lower, part.upper, part.step] if isinstance(part, ast.Slice) else [part]
                if any(isinstance(v, ast.UnaryOp) and isinstance(v.op, ast.USub) for v in values):
                    found.add("negative index")
        elif isinstance(node, ast.Call):
            if node.keywords:
                found.add("keyword argument")
            name = _dotted(node.func)
            called = _called_name(node.func, library, kit)
            # A library's option given by name is Python to learn too (sorted(reverse=)); the
            # names in .agg(posts=("post_id", "size")) are the student's own column names.
            if called and called.lstrip(".") not in _NAMES_NOT_OPTIONS:
                found |= {f"{called}({k.arg}=)" for k in node.keywords if k.arg}
            if isinstance(node.func, ast.Name) and node.func.id in _BUILTINS:
                found.add(f"{node.func.id}()")
            elif isinstance(node.func, ast.Attribute) and node.func.attr in ("agg", "aggregate"):
                for value in [k.value for k in node.keywords] + list(node.args):
                    for const in ast.walk(value):
                        if isinstance(const, ast.Constant) and isinstance(const.value, str) \
                                and const is not getattr(value, "elts", [None])[0]:
                            found.add(f"agg {const.value!r}")
            if name and name.split(".")[0] in (NUMPY, PANDAS):
                continue  # named below, as np.x / pd.x
        elif isinstance(node, ast.Constant):
            if node.value is Ellipsis:
                found.add("...")
            elif isinstance(node.value, bool) or node.value is None:
                found.add(repr(node.value))
        if isinstance(node, ast.Attribute):
            name = _dotted(node)
            root = name.split(".")[0] if name else None
            if root in (NUMPY, PANDAS):
                found.add(name)
            elif node.attr in library and root not in kit:
                found.add(f".{node.attr}")
    # A chain such as np.random.default_rng also names its prefix np.random: keep the full name only.
    dotted = {f for f in found if f.startswith((f"{NUMPY}.", f"{PANDAS}."))}
    found -= {f for f in dotted if any(g.startswith(f + ".") for g in dotted)}
    return found


def notebook_code(path: str | Path, *, tagged_out: tuple[str, ...] = ()) -> str:
    """The code cells of the notebook at ``path``, joined (cells tagged ``tagged_out`` left out)."""
    nb = nbformat.read(Path(path), as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code"
             and not set(tagged_out) & set(c.metadata.get("tags", []))]
    return "\n\n".join(cells)


def solution_python(master: str | Path) -> set[str]:
    """:func:`python_used` of an exercise's solution code, its setup cells as context."""
    return python_used(solution_code(master), context=notebook_code(master))


def lesson_python(lesson: str | Path) -> set[str]:
    """:func:`python_used` of what a lesson shows: its code without the hidden setup cell."""
    return python_used(notebook_code(lesson, tagged_out=("hide-cell",)),
                       context=notebook_code(lesson))


def solution_code(master: str | Path) -> str:
    """The code a student writes in an exercise: every solution cell of the master, with
    otter's markers removed (the lines given to the student around it count too)."""
    from .assign import read_questions

    return "\n\n".join(text for q in read_questions(Path(master))
                       for kind, text in q.solutions if kind == "code")


def chapter_number(stem: str) -> int:
    """The chapter of a notebook stem such as ``04-listen-first`` (4)."""
    match = re.match(r"^(\d+)-", str(stem))
    if not match:
        raise ValueError(f"stem must start with the chapter number and a hyphen, such as "
                         f"'04-listen-first'; got {stem!r}.")
    return int(match[1])


#: The stem of the lesson that teaches the Python of every exercise.
CHAPTER_0 = "00-python-for-this-book"


def _chapter_0() -> Path:
    return paths.REPO / "notebooks" / f"{CHAPTER_0}.ipynb"


def exercise_python(masters: dict[str, Path] | None = None) -> dict[str, tuple[str, ...]]:
    """Every item the exercise solutions use, with the exercises (stems) that use it, derived
    from the masters' solution cells (``masters``: stem -> path; default: every master)."""
    from .assign import available_masters

    masters = available_masters() if masters is None else masters
    users: dict[str, list[str]] = {}
    for stem in sorted(masters):
        for item in solution_python(masters[stem]):
            users.setdefault(item, []).append(stem)
    return {item: tuple(stems) for item, stems in sorted(users.items())}


@lru_cache(maxsize=4)
def _taught(lesson: Path, modified: float) -> frozenset[str]:
    return frozenset(lesson_python(lesson))


def taught(lesson: str | Path | None = None) -> frozenset[str]:
    """What Chapter 0 (or ``lesson``) teaches: every item its visible code uses, by the names of
    :func:`python_used`. Reading a chapter is the only way to learn what it teaches, so this is
    read from the notebook, never listed by hand."""
    path = Path(lesson) if lesson is not None else _chapter_0()
    if not path.is_file():
        raise FileNotFoundError(f"No notebook at {path}.")
    return _taught(path, path.stat().st_mtime)


def untaught(masters: dict[str, Path] | None = None,
             lesson: str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """Items some exercise solution uses that Chapter 0 does not teach, with the exercises."""
    known = taught(lesson)
    return {item: stems for item, stems in exercise_python(masters).items() if item not in known}


_CALLABLE = re.compile(r"^(?:\.|np\.|pd\.)?([A-Za-z_][\w.]*?)(?:\(\))?(?:\((\w+)=\))?$")


def prose_word(item: str) -> str | None:
    """The word a reader must meet in the prose for a function, method or option to count as
    explained: ``.shift`` -> ``shift``, ``sorted(reverse=)`` -> ``reverse``, ``np.exp`` ->
    ``np.exp``, ``agg 'size'`` -> ``size``; None for syntax, which the code itself shows.

    >>> [prose_word(i) for i in (".shift", "max()", "sorted(reverse=)", "np.exp", "np.zeros(dtype=)",
    ...                          "agg 'mean'", "for")]
    ['shift', 'max', 'reverse', 'np.exp', 'dtype', 'mean', None]
    """
    if item.startswith("agg '"):
        return item[5:-1]
    match = _CALLABLE.match(item)
    if match and match[2]:
        return match[2]  # an option: its name is what the reader must meet
    if item.startswith(("np.", "pd.")):
        return item
    if match and (item.startswith(".") or item.endswith("()")):
        return match[1]
    return None


def unexplained(lesson: str | Path | None = None,
                items: set[str] | frozenset[str] | None = None) -> list[str]:
    """Taught functions, methods and options (default: those the exercises use) whose name the
    lesson's text never mentions: shown in code, but not explained."""
    path = Path(lesson) if lesson is not None else _chapter_0()
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    items = set(exercise_python()) & taught(path) if items is None else items
    missing = []
    for item in sorted(items):
        word = prose_word(item)
        if word and not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text):
            missing.append(item)
    return missing


def __getattr__(name: str):
    """``TAUGHT``, read from the Chapter 0 lesson when first asked for (see :func:`taught`)."""
    if name == "TAUGHT":
        return taught()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: What Chapter 0 shows although no exercise solution or later lesson needs it, with the reason:
#: running and reading the book needs them. tests/course/test_chapter_0_coverage.py checks that
#: every other item Chapter 0 teaches is used by an exercise or a later lesson, so that Chapter 0
#: teaches nothing the book does not need.
FOUNDATIONS = frozenset({
    # the placeholder the exercises start from, and showing results
    "...", "print()", "f-string", "f-string format",
    # loading the libraries, and the basic decisions every later rule builds on
    "import", "if", "comparison !=", "comparison <", "comparison >=", "or", "not", "False",
    # lists and text: building, counting, sorting, cutting a post into words
    "list comprehension", "len()", "min()", "sorted()", "round()", "list()", ".lower", ".split",
    # the table and array tools the chapter promises (build, sort, show, round, largest)
    "np.array", "np.arange", "pd.DataFrame", ".sort_values", ".head", ".round", ".max",
    ".sort_values(ascending=)", ".value_counts(normalize=)", "np.asarray(dtype=)",
    # reading a field of one of the case's records (c.name), as the lessons do
    ".name",
})


# --- how long a chapter takes ----------------------------------------------------------------
#: The rates behind every time the book states. Reading: 200 words a minute, a common figure for
#: careful reading of study text (slower than the 238 of Brysbaert's 2019 meta-analysis for
#: non-fiction, because lessons have tables and formulas). Everything else is an allowance per
#: item, chosen so that the estimate errs long for a first-time programmer.
RATES = {
    "words_per_minute": 200,
    "minutes_per_code_cell": 0.5,      # run it, read its output
    "minutes_per_explorer": 2.0,       # predict, move the slider, compare
    "minutes_per_quiz_question": 1.0,
    "minutes_per_worksheet_question": 2.0,
    "minutes_per_code_line": 1.5,      # writing a line of a solution, checking, fixing it
    "minutes_per_autograded_question": 3.0,  # reading the checks' hints, trying again
    "writing_words_per_minute": 10,    # a considered written answer, drafted and revised
}


@dataclass(frozen=True)
class Timing:
    """A chapter's time in minutes: reading the lesson and doing the exercise."""

    reading: float
    exercise: float

    @property
    def total(self) -> float:
        return self.reading + self.exercise

    def rounded(self) -> tuple[int, int]:
        """Reading and exercise minutes rounded up to the next 5, as the pages state them."""
        return _up5(self.reading), _up5(self.exercise)

    def sentence(self) -> str:
        """How a chapter page states it, e.g. *About 35 minutes of reading and 45 for the exercise.*"""
        reading, exercise = self.rounded()
        if exercise == 0:
            return f"About {reading} minutes of reading and trying things out; no graded exercise."
        return (f"About {reading} minutes of reading and trying things out, and "
                f"{exercise} minutes for the exercise.")


def _up5(minutes: float) -> int:
    return int(-(-minutes // 5) * 5) if minutes > 0 else 0


_WORD = re.compile(r"[A-Za-z0-9À-ÿ’'][A-Za-z0-9À-ÿ’'.,%-]*")
_CODE_BLOCK = re.compile(r"```.*?```", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def words(markdown: str) -> int:
    """Words a reader reads in a Markdown text (directive fences, maths and comments left out)."""
    if not isinstance(markdown, str):
        raise TypeError(f"markdown must be a string; got {type(markdown).__name__}.")
    text = _COMMENT.sub(" ", markdown)
    text = re.sub(r"^```\{[^}]*\}.*$|^```\s*$|^:[a-z-]+:.*$", " ", text, flags=re.MULTILINE)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", " formula ", text, flags=re.DOTALL)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are not read
    return len(_WORD.findall(text))


def _read(path) -> nbformat.NotebookNode:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No notebook at {path}.")
    return nbformat.read(path, as_version=4)


def lesson_minutes(lesson: str | Path) -> float:
    """Minutes to read a lesson notebook and try its code, explorers, quiz and worksheets."""
    import json

    nb = _read(lesson)
    r = RATES
    minutes = 0.0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            minutes += words(cell.source) / r["words_per_minute"]
        elif cell.cell_type == "code" and "hide-cell" not in cell.metadata.get("tags", []):
            minutes += r["minutes_per_code_cell"]
            if re.search(r"_explorer\(|explorer\(", cell.source):
                minutes += r["minutes_per_explorer"]
            for name in re.findall(r"quiz\.show\(\s*[\"']([^\"']+)[\"']", cell.source):
                from ..interactive.quiz import QUIZ_DIR
                path = QUIZ_DIR / f"{name}.json"
                if path.is_file():
                    minutes += r["minutes_per_quiz_question"] * len(json.loads(path.read_text("utf-8")))
            minutes += r["minutes_per_worksheet_question"] * cell.source.count("Question(")
            if "plan.show(" in cell.source:
                from ..apps.plan import CAPSTONE_QUESTIONS
                minutes += r["minutes_per_worksheet_question"] * len(CAPSTONE_QUESTIONS)
            if "CHAPTER3_QUESTIONS" in cell.source:
                from ..interactive.worksheet import CHAPTER3_QUESTIONS
                minutes += r["minutes_per_worksheet_question"] * len(CHAPTER3_QUESTIONS)
    return minutes


def exercise_minutes(master: str | Path) -> float:
    """Minutes for an exercise: reading it, writing each solution line, fixing what the checks
    find, and writing the answers graded by hand (at the length each question asks for)."""
    from .assign import read_questions

    r = RATES
    nb = _read(master)
    reading = sum(words(c.source) for c in nb.cells if c.cell_type == "markdown")
    solution_words = set()
    for q in read_questions(Path(master)):
        for kind, text in q.solutions:
            if kind == "markdown":
                solution_words.add(words(text))
    # The sample answers of written questions are not read by the student: leave them out.
    minutes = (reading - sum(solution_words)) / r["words_per_minute"]
    for q in read_questions(Path(master)):
        if q.manual:
            asked = _asked_length(master, q.name)
            written = asked or max([words(t) for k, t in q.solutions if k == "markdown"] or [100])
            minutes += written / r["writing_words_per_minute"]
        else:
            lines = [line for kind, text in q.solutions if kind == "code"
                     for line in text.splitlines()
                     if line.strip() and not line.strip().startswith(("#", '"""'))]
            minutes += r["minutes_per_autograded_question"] + r["minutes_per_code_line"] * len(lines)
    return minutes


def _asked_length(master, question: str) -> int | None:
    """The upper word count a written question asks for ("about 100 to 150 words" -> 150)."""
    nb = _read(master)
    inside = False
    for cell in nb.cells:
        if cell.cell_type == "raw" and cell.source.startswith("# BEGIN QUESTION"):
            inside = f"name: {question}" in cell.source
        elif inside and cell.cell_type == "markdown":
            match = re.search(r"(\d+)\s+(?:to|and|-|–)\s+(\d+)\s+words", cell.source)
            if match:
                return int(match[2])
    return None


def chapter_minutes(lesson: str | Path, master: str | Path | None = None) -> Timing:
    """The :class:`Timing` of a chapter: its lesson notebook and (if any) its exercise master."""
    return Timing(lesson_minutes(lesson), exercise_minutes(master) if master else 0.0)

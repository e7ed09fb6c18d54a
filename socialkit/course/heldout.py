"""Private held-out seeds: what the hidden tests use, kept out of the public repository.

The exercise masters are public, and so are the seeds their hidden tests build unseen markets,
feeds and organisations from. A student who reads the repository could remember the answers
for those seeds. An instructor can therefore give other seeds when making the autograders::

    make assign PRIVATE=private-heldout.toml
    # or: python -m socialkit.course.assign --private private-heldout.toml

The file is TOML: one table per exercise, one list of whole numbers per held-out name, as many as
the public default has (``python -m socialkit.course.assign --heldout`` prints every name with
its public seeds, ready to copy)::

    ["05-be-social-not-a-billboard"]
    q1_markets = [52817, 40913, 7731, 66120]

``assign`` writes the seeds into the autograder zip only (a ``SOCIALKIT_HELDOUT`` line at the top
of each test file that uses them, and ``heldout.json`` beside them): never into the student's
notebook, the solutions page or the book. A hidden test asks for its seeds with
:func:`heldout_seeds`, which reads them from the test file it is called from, so the same test
works wherever the zip's tests run (``otter run``, the clean-room judge, Gradescope) and falls
back to the public default when no private seeds were given.
"""
from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

from .variants import keys

__all__ = ["VARIABLE", "COURSE_TABLE", "heldout_seeds", "Declared", "declared_in", "read_private",
           "read_course_secret", "check_private", "test_file_preamble"]

#: the name of the dict ``assign`` puts at the top of an autograder's test file
VARIABLE = "SOCIALKIT_HELDOUT"
#: seeds numpy's generators and the kit's ``seed`` arguments all accept
MAX_SEED = 2**32 - 1
#: the private file's table for the course secret of the per-student variants (not an exercise)
COURSE_TABLE = "course"


def _valid_seeds(value) -> bool:
    return (isinstance(value, (list, tuple)) and len(value) > 0
            and all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s <= MAX_SEED for s in value))


def heldout_seeds(exercise: str, name: str, default) -> tuple[int, ...]:
    """The seeds of held-out set ``name`` of ``exercise``: the private ones if the autograder was
    made with them, otherwise ``default`` (the public seeds, written in the master).

    Call it from a hidden test, directly (it reads the test file's own ``SOCIALKIT_HELDOUT``)::

        for seed in heldout_seeds("05-be-social-not-a-billboard", "q1_markets", (9101, 9106)):
    """
    if not isinstance(exercise, str) or not exercise:
        raise ValueError(f"exercise must be the exercise's name (its master's stem), not {exercise!r}")
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"name must be the held-out set's name, like 'q1_markets', not {name!r}")
    if not _valid_seeds(default):
        raise ValueError(f"default must be a non-empty tuple of whole numbers from 0 to {MAX_SEED} "
                         f"(the public seeds), not {default!r}")
    private = sys._getframe(1).f_globals.get(VARIABLE)
    if isinstance(private, dict):
        seeds = (private.get(exercise) or {}).get(name)
        if _valid_seeds(seeds) and len(seeds) == len(default):
            return tuple(int(s) for s in seeds)
    return tuple(int(s) for s in default)


# --- at assign time: what a master declares, and what an instructor gives ----------------------
class Declared(dict):
    """{held-out name: public default seeds} of one master."""


def declared_in(master: Path) -> Declared:
    """The held-out sets a master's code cells ask for, with their public seeds.

    Raises ``ValueError`` if a call names another exercise, has no literal name or default, or
    gives one name two defaults.
    """
    import nbformat

    master = Path(master)
    stem = master.stem
    found = Declared()
    nb = nbformat.read(master, as_version=4)
    for number, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "heldout_seeds" not in cell.source:
            continue
        first = cell.source.lstrip().split("\n", 1)[0]
        if not (first.startswith("#") and "hidden" in first.lower()):
            # a public test's messages reach the student, and a solution is printed in the book
            raise ValueError(f"{master.name}, cell {number}: heldout_seeds may be used only in hidden "
                             "test cells (their first line is # HIDDEN)")
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue  # otter reports the cell; not ours to judge
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None))
                    == "heldout_seeds"):
                continue
            where = f"{master.name}, cell {number}"
            try:
                exercise, name, default = (ast.literal_eval(a) for a in node.args)
            except (ValueError, TypeError, SyntaxError):
                raise ValueError(f"{where}: call heldout_seeds with three literal arguments, "
                                 "heldout_seeds('<exercise>', '<name>', (seed, ...))") from None
            if exercise != stem:
                raise ValueError(f"{where}: heldout_seeds names the exercise {exercise!r}; in this "
                                 f"master it must be {stem!r}")
            if not isinstance(name, str) or not name.isidentifier() or not _valid_seeds(default):
                raise ValueError(f"{where}: heldout_seeds({exercise!r}, {name!r}, {default!r}) needs a "
                                 "name like 'q1_markets' and a tuple of whole-number seeds")
            if name in found and found[name] != tuple(default):
                raise ValueError(f"{where}: the held-out set {name!r} has two different defaults")
            found[name] = tuple(default)
    return found


def read_private(path: Path) -> dict[str, dict[str, list[int]]]:
    """Read an instructor's private seeds file (TOML, one table per exercise).

    Checks only the form (tables of lists of whole numbers); :func:`check_private` checks them
    against the masters. The ``[course]`` table, which holds the course secret of the variants
    (:func:`read_course_secret`), is checked and left out. Raises ``ValueError`` saying what is
    wrong, and where.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"The private held-out file {path} does not exist.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not a valid TOML file: {error}") from None
    course = data.pop(COURSE_TABLE, None)
    if course is not None:
        _check_course_table(path, course)
    if not data and course is None:
        raise ValueError(f"{path} holds no held-out seeds: add a table per exercise, e.g.\n"
                         '["05-be-social-not-a-billboard"]\nq1_markets = [52817, 40913, 7731, 66120]')
    for exercise, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"{path}: {exercise!r} should be a table of held-out sets, written "
                             f'["{exercise}"] on a line of its own, followed by name = [seeds]')
        for name, seeds in table.items():
            if not _valid_seeds(seeds):
                raise ValueError(f"{path}: [{exercise}] {name} should be a list of whole numbers from 0 "
                                 f"to {MAX_SEED}, such as [52817, 40913]; it is {seeds!r}")
    return data


def _check_course_table(path: Path, table) -> str:
    if not isinstance(table, dict) or set(table) != {"secret"}:
        raise ValueError(f'{path}: the [{COURSE_TABLE}] table holds one line, secret = "..." '
                         "(python -m socialkit.course.variants.keys prints a fresh one)")
    try:
        return keys.check_secret(table["secret"])
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


def read_course_secret(path: Path) -> str | None:
    """The course secret in the private file's ``[course]`` table, or ``None`` if it has none."""
    path = Path(path)
    read_private(path)  # the same checks, the same messages
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return _check_course_table(path, data[COURSE_TABLE]) if COURSE_TABLE in data else None


def check_private(private: dict, declared: dict[str, Declared], source: str = "the private file") -> None:
    """Check ``private`` (from :func:`read_private`) against what the masters declare
    (``{stem: declared_in(master)}`` of every master there is). Raises ``ValueError``."""
    for exercise, table in private.items():
        if exercise not in declared:
            raise ValueError(f"{source}: there is no exercise {exercise!r}. Exercises:\n  "
                             + "\n  ".join(declared))
        names = declared[exercise]
        for name, seeds in table.items():
            if name not in names:
                listed = ", ".join(names) or "(none: its hidden tests use no held-out seeds)"
                raise ValueError(f"{source}: exercise {exercise} has no held-out set {name!r}. "
                                 f"Its held-out sets: {listed}")
            if len(seeds) != len(names[name]):
                raise ValueError(f"{source}: [{exercise}] {name} needs {len(names[name])} seeds, "
                                 f"as many as the public ones; it has {len(seeds)}")


def test_file_preamble(exercise: str, values: dict[str, list[int]]) -> str:
    """The lines ``assign`` puts at the top of an autograder test file that uses ``values``."""
    data = {exercise: {name: [int(s) for s in seeds] for name, seeds in sorted(values.items())}}
    return ("# Private held-out seeds, given at assign time (make assign PRIVATE=...). They are in\n"
            "# the autograder zip only; socialkit.course.heldout.heldout_seeds reads them.\n"
            f"{VARIABLE} = {data!r}\n\n")


test_file_preamble.__test__ = False  # not a pytest test

"""Make the student notebooks, autograder zips and solutions pages from the exercise masters.

    python -m socialkit.course.assign [NAME ...] [--out DIR] [--run-tests] [--private FILE]

For every master notebook ``exercises/<stem>.ipynb`` (or only the NAMEs given) this

1. runs ``otter assign --no-pdfs`` into ``_build/assign/<stem>/`` (``student/`` and
   ``autograder/``, the zip renamed to ``<stem>-autograder.zip`` so scripts can find it);
2. copies the student folder to ``exercises/student/<stem>/``, the committed copy that the book,
   Binder, Colab and download links use;
3. writes ``book/solutions/<stem>.md``: each question's solution from the master (never its
   tests) in a collapsed MyST dropdown, for self-study readers.

The output is deterministic: otter gives the cells it adds random ids, which are replaced here by
ids derived from the cell's content, so rerunning gives byte-identical files and a test can check
that the committed copies are up to date. ``--out DIR`` writes the same layout under DIR instead
of the repository (the tests use it). ``--run-tests`` also makes otter grade the solutions (slower;
``tests/course/test_exercises.py`` does that anyway).

``--private FILE`` (``make assign PRIVATE=FILE``) gives private held-out seeds for the hidden tests
(a TOML file, see ``socialkit/course/heldout.py``; ``--heldout`` prints the names each master
uses, with their public seeds). They go into the autograder zips only: the student copies and the
solutions pages are the same with or without them. Later runs without ``--private`` (``make grade``
runs ``make assign``) keep the private seeds of the autograders they replace; ``--public`` drops them.
A held-out set whose seeds in the file are still the public ones (a template line left as it was)
is not private: it is reported and the autograder keeps the public seeds for it.

A master is assigned again only when something it is made from has changed: a stamp beside the
autograder zip (``<stem>-autograder.sha256``) holds the hash of the master, the kit's sources,
the private seeds and otter's version; when it matches and every output is there, the master is
skipped (``--force`` assigns it anyway; ``--run-tests`` always runs).

**Each student's own numbers.** An exercise whose first cell calls
``mine = variants.mine("<stem>", student_id)`` gives each student numbers of their own
(``socialkit.course.variants``). Its autograder zip names the kit's otter plugin
(``variants/otter_plugin.py``) in ``otter_config.json``, which supplies each student's numbers
under ``otter run`` and on Gradescope. When the private file has a ``[course]`` table
(``secret = "..."``, made by ``python -m socialkit.course.variants.keys``), the course code
derived from it (never the secret) goes into that plugin's configuration and into the course's
student copies in ``_build/assign/<stem>/student/`` (``course="<code>"`` added to that line); the
committed public copies in ``exercises/student/`` stay as they are. Like the seeds, a later run
without ``--private`` keeps the course code of the autograder it replaces.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from ..data import paths
from . import heldout
from .variants import keys

REPO = paths.REPO
MASTERS_DIR = REPO / "exercises"
BUILD_SUBDIR = Path("_build") / "assign"
STUDENT_SUBDIR = Path("exercises") / "student"
SOLUTIONS_SUBDIR = Path("book") / "solutions"
RUBRICS_SUBDIR = Path("book") / "rubrics"

__all__ = ["Question", "Outputs", "available_masters", "resolve_masters", "read_questions",
           "solutions_markdown", "assign", "main"]


@dataclass
class Question:
    """One question of a master notebook, as otter assign reads it."""

    name: str
    title: str
    points: float | None
    manual: bool
    #: (cell type, source) of each solution cell, with otter's markers removed
    solutions: list[tuple[str, str]] = field(default_factory=list)
    #: source of each hidden test cell
    hidden_tests: list[str] = field(default_factory=list)
    #: (hidden?, source) of every test cell, public and hidden, in the master's order
    tests: list[tuple[bool, str]] = field(default_factory=list)


@dataclass
class Outputs:
    """Where ``assign`` wrote one master's results."""

    stem: str
    build_dir: Path
    autograder_zip: Path
    autograder_notebook: Path
    student_notebook: Path
    solutions_page: Path
    questions: list[Question]
    seconds: float
    #: the held-out sets whose private seeds are in the autograder zip
    private: tuple[str, ...] = ()
    #: the course code of the per-student numbers ("" public; None: the exercise has none)
    course: str | None = None
    #: made by an earlier run from the same master, kit, seeds, course code and otter (not assigned again)
    unchanged: bool = False

    @property
    def student_dir(self) -> Path:
        return self.student_notebook.parent


# --- which masters ---------------------------------------------------------------------------
def available_masters(masters_dir: Path = MASTERS_DIR) -> dict[str, Path]:
    """The master notebooks, by stem, in name order."""
    return {p.stem: p for p in sorted(Path(masters_dir).glob("*.ipynb"))}


def resolve_masters(names, masters_dir: Path = MASTERS_DIR) -> list[Path]:
    """Masters for ``names`` (stems, file names or paths); all of them when ``names`` is empty.

    Raises ``ValueError`` naming the available masters when a name is unknown.
    """
    masters = available_masters(masters_dir)
    if not names:
        if not masters:
            raise ValueError(f"No exercise masters found in {masters_dir}.")
        return list(masters.values())
    chosen, unknown = [], []
    for name in names:
        stem = Path(name).name.removesuffix(".ipynb")
        if stem in masters:
            if masters[stem] not in chosen:
                chosen.append(masters[stem])
        else:
            unknown.append(name)
    if unknown:
        listed = "\n  ".join(masters) or "(none)"
        raise ValueError(f"Unknown exercise {', '.join(map(repr, unknown))}. "
                         f"Masters in {masters_dir}:\n  {listed}")
    return chosen


# --- reading a master ------------------------------------------------------------------------
_MARKER_LINE = re.compile(r"^\s*# (BEGIN|END) SOLUTION( NO PROMPT)?\s*$")
_SOLUTION_SUFFIX = re.compile(r"\s*# ?SOLUTION( NO PROMPT)?\s*$")


def clean_solution(source: str) -> str:
    """A solution cell's code as a reader should see it: otter's markers removed."""
    from otter.assign.solutions import remove_ignored_lines

    lines = remove_ignored_lines(source.split("\n"))
    lines = [_SOLUTION_SUFFIX.sub("", line) for line in lines if not _MARKER_LINE.match(line)]
    return "\n".join(lines).strip("\n")


def read_questions(master: Path) -> list[Question]:
    """The questions of a master notebook with their solutions and hidden tests.

    Uses otter's own block parser, so it reads the notebook exactly as ``otter assign`` does.
    """
    from otter.assign.blocks import (BlockType, extract_all_fenced_otter_cells, get_cell_config,
                                     is_block_boundary_cell)

    nb = nbformat.read(master, as_version=4)
    questions: list[Question] = []
    current: Question | None = None
    block: BlockType | None = None
    for cell in extract_all_fenced_otter_cells(nb.cells):
        if is_block_boundary_cell(cell, BlockType.QUESTION):
            config = get_cell_config(cell)
            current = Question(str(config["name"]), "", config.get("points"),
                               bool(config.get("manual", False)))
            questions.append(current)
            continue
        if is_block_boundary_cell(cell, BlockType.QUESTION, end=True):
            current = None
            continue
        if current is None:
            continue
        for kind in (BlockType.SOLUTION, BlockType.TESTS, BlockType.PROMPT):
            if is_block_boundary_cell(cell, kind):
                block = kind
                break
            if is_block_boundary_cell(cell, kind, end=True):
                block = None
                break
        else:
            if block is BlockType.SOLUTION:
                text = cell.source if cell.cell_type == "markdown" else clean_solution(cell.source)
                current.solutions.append((cell.cell_type, text.strip()))
            elif block is BlockType.TESTS:
                hidden = _is_hidden_test(cell.source)
                current.tests.append((hidden, cell.source))
                if hidden:
                    current.hidden_tests.append(cell.source)
            elif block is None and cell.cell_type == "markdown" and not current.title:
                heading = next((line for line in cell.source.splitlines()
                                if line.startswith("#")), "")
                current.title = heading.lstrip("#").strip()
    for question in questions:
        question.title = question.title or f"Question {question.name}"
    return questions


def _is_hidden_test(source: str) -> bool:
    """Mirror of otter's rule: a first-line comment saying HIDDEN, or ``hidden: true`` config."""
    first = source.lstrip().split("\n", 1)[0]
    if first.startswith("#"):
        return bool(re.search(r"\bhidden\b", first, flags=re.IGNORECASE))
    return bool(re.search(r"BEGIN\s*TEST\s*CONFIG[\s\S]*?hidden:\s*true", source,
                          flags=re.IGNORECASE))


def _exercise_title(master: Path) -> str:
    nb = nbformat.read(master, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return master.stem


# --- the solutions page ----------------------------------------------------------------------
def solutions_markdown(master: Path, questions: list[Question] | None = None) -> str:
    """The self-study solutions page for ``master`` (MyST markdown)."""
    stem = master.stem
    questions = read_questions(master) if questions is None else questions
    rubric = RUBRICS_SUBDIR / f"{stem}.md"
    out = [
        f"# Solutions: {_exercise_title(master)}",
        "",
        f"<!-- Generated by `python -m socialkit.course.assign` from exercises/{stem}.ipynb; "
        "edit the master, not this page. -->",
        "",
        f"Worked solutions to [the exercise](../../{STUDENT_SUBDIR.as_posix()}/{stem}/{stem}.ipynb). "
        "Try each question on your own first: the checks in the notebook tell you a lot before you "
        "need a solution, and comparing an answer you wrote with one you read teaches far more "
        "than reading alone. Each solution stays folded until you open it.",
    ]
    if _has_variants(master):
        out += ["", "The code works on anyone's numbers: run it in your own notebook and it computes "
                "your answers. The sample answers to written questions quote the book's public "
                "numbers (the ones the notebook uses when no student id is given), so yours will "
                "differ."]
    for q in questions:
        out += ["", f"## {q.title}", ""]
        if q.manual:
            line = "This question is graded by hand; below is one good answer, not the only one."
            if (REPO / rubric).exists():
                line += f" The [rubric](../rubrics/{stem}.md) shows what graders look for."
            out += [line, ""]
        out.append("````{dropdown} Show a solution")
        for kind, text in q.solutions:
            if kind == "code":
                out += ["```python", text, "```"]
            else:
                out += [text]
            out.append("")
        if out[-1] == "":
            out.pop()
        out.append("````")
    return "\n".join(out) + "\n"


# --- what the autograder zip carries to Gradescope ------------------------------------------
#: Python of the grading image, stated in the otter config (otter's default, 3.13, is not the
#: Python the kit is pinned and tested on).
GRADING_PYTHON = "3.11"
#: Where Gradescope unpacks an autograder zip: ``<root>/source`` (otter's run_otter.py says so);
#: otter's generate puts ``autograder_files`` under ``files/`` in the zip.
GRADESCOPE_ROOT = "/autograder"
WHEEL_DIR_IN_ZIP = "files"
_wheel_lock = threading.Lock()


def kit_requirements(repo: Path = REPO) -> list[str]:
    """The kit's runtime dependencies (``pyproject.toml``) pinned to ``requirements.txt``.

    >>> any(line.startswith("numpy==") for line in kit_requirements())
    True
    """
    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = {}
    for line in (repo / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name, sep, version = line.strip().partition("==")
        if sep and not name.startswith("#"):
            pins[_normalise(name)] = f"{name}=={version}"
    out, missing = [], []
    for requirement in project["dependencies"]:
        name = _normalise(re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0])
        (out if name in pins else missing).append(pins.get(name, requirement))
    if missing:
        raise RuntimeError(f"requirements.txt pins no version of {', '.join(missing)}, which "
                           "pyproject.toml says the kit needs")
    return out


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _kit_sources() -> list[Path]:
    """The files the kit's wheel is built from."""
    package = REPO / "socialkit"
    return sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and not p.name.endswith((".pyc", ".answers.json")))


def _kit_digest() -> str:
    """The hash of the kit's sources and ``pyproject.toml`` (what its wheel is built from)."""
    digest = hashlib.sha256()
    for path in [*_kit_sources(), REPO / "pyproject.toml"]:
        digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def kit_wheel(build_root: Path) -> Path:
    """A wheel of the kit under ``build_root/_wheel``, built once per source (its files' hash)."""
    sources = _kit_sources()
    folder = build_root / "_wheel" / _kit_digest()[:16]
    with _wheel_lock:
        built = sorted(folder.glob("socialkit-*.whl"))
        if built:
            return built[0]
        shutil.rmtree(build_root / "_wheel", ignore_errors=True)
        with tempfile.TemporaryDirectory() as tmp:  # a copy, so the repository gets no build/
            src = Path(tmp, "src")
            for path in sources:
                (src / path.relative_to(REPO)).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, src / path.relative_to(REPO))
            for name in ("pyproject.toml", "LICENSE"):
                shutil.copy(REPO / name, src / name)
            proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                                   "--no-build-isolation", "--no-index", "--quiet", "-w",
                                   str(Path(tmp, "dist")), str(src)], capture_output=True, text=True)
            if proc.returncode != 0:
                raise RuntimeError(f"could not build the kit's wheel:\n{proc.stdout}{proc.stderr}")
            (wheel,) = Path(tmp, "dist").glob("socialkit-*.whl")
            folder.mkdir(parents=True)
            return Path(shutil.copy2(wheel, folder / wheel.name))


def _gradescope_config(config_source: str, wheel_name: str) -> str:
    """The master's ASSIGNMENT CONFIG cell with what the grading image needs: the Python
    version, the kit's pinned requirements and the kit's wheel, which rides in the zip."""
    header, _, body = config_source.partition("\n")
    config = yaml.safe_load(body) or {}
    config["python_version"] = GRADING_PYTHON
    config["requirements"] = [*kit_requirements(),
                              f"{GRADESCOPE_ROOT}/source/{WHEEL_DIR_IN_ZIP}/{wheel_name}"]
    config["autograder_files"] = [wheel_name]
    return header + "\n" + yaml.safe_dump(config, sort_keys=False)


def _check_carries_the_kit(ag_zip: Path) -> None:
    """Fail if the zip's grading image would not install the wheel it carries (otter moved it)."""
    with zipfile.ZipFile(ag_zip) as zf:
        wheels = [n for n in zf.namelist() if n.endswith(".whl")]
        environment = yaml.safe_load(zf.read("environment.yml"))
    pip = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    if not wheels or any(f"{GRADESCOPE_ROOT}/source/{n}" not in pip for n in wheels):
        raise RuntimeError(f"{ag_zip.name}: the grading image would not install the kit's wheel "
                           f"(zip has {wheels}, environment.yml installs {pip})")


# --- running otter ---------------------------------------------------------------------------
def _otter_assign(master: Path, result: Path, run_tests: bool, wheel: Path) -> None:
    """``otter assign`` on a copy of ``master`` whose config makes the zip carry the kit."""
    otter = Path(sys.executable).with_name("otter")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, master.name)
        nb = nbformat.read(master, as_version=4)
        (config,) = [c for c in nb.cells[:1] if c.source.startswith("# ASSIGNMENT CONFIG")]
        config.source = _gradescope_config(config.source, wheel.name)
        nbformat.write(nb, copy)
        shutil.copy(wheel, Path(tmp, wheel.name))
        cmd = [str(otter) if otter.exists() else "otter", "assign", "--no-pdfs"]
        if not run_tests:
            cmd.append("--no-run-tests")
        cmd += [str(copy), str(result)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)
    if proc.returncode != 0:
        raise RuntimeError(f"otter assign failed for {master.name}:\n{proc.stdout}{proc.stderr}")


def _stable_ids(path: Path, keep: set[str]) -> None:
    """Replace the random ids of the cells otter added by ids derived from their content."""
    nb = nbformat.read(path, as_version=4)
    used: set[str] = set()
    for cell in nb.cells:
        cid = cell.get("id")
        if cid not in keep or cid in used:
            digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()
            cid, n = f"otter-{digest[:8]}", 1
            while cid in used or cid in keep:
                n += 1
                cid = f"otter-{digest[:8]}-{n}"
            cell["id"] = cid
        used.add(cid)
    nbformat.write(nb, path)


def _add_private(ag_zip: Path, stem: str, seeds: dict[str, list[int]]) -> tuple[str, ...]:
    """Put private held-out ``seeds`` into the autograder zip: at the top of each test file that
    asks for them, and all of them in ``heldout.json``. Returns the names used."""
    with zipfile.ZipFile(ag_zip) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    used: set[str] = set()
    out = []
    for info, data in members:
        if info.filename.startswith("tests/") and info.filename.endswith(".py"):
            text = data.decode("utf-8")
            names = {name for name in seeds if re.search(
                rf"""heldout_seeds\(\s*['"]{re.escape(stem)}['"]\s*,\s*['"]{re.escape(name)}['"]""", text)}
            if names:
                text = heldout.test_file_preamble(stem, {n: seeds[n] for n in names}) + text
                used |= names
            data = text.encode("utf-8")
        out.append((info, data))
    unused = sorted(set(seeds) - used)
    if unused:
        raise RuntimeError(f"{stem}: no test in the autograder uses the private held-out set(s) "
                           f"{', '.join(unused)}")
    record = json.dumps({stem: {n: list(seeds[n]) for n in sorted(seeds)}}, indent=2) + "\n"
    partial = ag_zip.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in out:
            zf.writestr(info, data)
        zf.writestr(zipfile.ZipInfo("heldout.json", date_time=out[0][0].date_time), record)
    os.replace(partial, ag_zip)
    return tuple(sorted(used))


def _mine_line(stem: str) -> str:
    """The line of an exercise's first cell that gives the student their numbers (VARIANTS.md)."""
    return f'mine = variants.mine("{stem}", student_id)'


def _has_variants(master: Path) -> bool:
    """Whether the master gives each student their own numbers (its setup calls variants.mine)."""
    nb = nbformat.read(master, as_version=4)
    return any(c.cell_type == "code" and "variants.mine(" in c.source for c in nb.cells)


def _add_variant_plugin(ag_zip: Path, stem: str, course: str) -> None:
    """Name the kit's otter plugin, with the exercise and course code, in the zip's otter_config.json."""
    from .variants.otter_plugin import PLUGIN

    with zipfile.ZipFile(ag_zip) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    partial = ag_zip.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            if info.filename == "otter_config.json":
                config = json.loads(data)
                config["plugins"] = [p for p in config.get("plugins") or []
                                     if not (isinstance(p, dict) and PLUGIN in p) and p != PLUGIN]
                config["plugins"].append({PLUGIN: {"exercise": stem, "course": course}})
                data = (json.dumps(config, indent=2) + "\n").encode()
            zf.writestr(info, data)
    os.replace(partial, ag_zip)


def _previous_course(ag_zip: Path) -> str:
    """The course code in the plugin configuration of an autograder made earlier ("" if none)."""
    from .variants.otter_plugin import PLUGIN

    try:
        with zipfile.ZipFile(ag_zip) as zf:
            config = json.loads(zf.read("otter_config.json"))
        entry = next(p[PLUGIN] for p in config.get("plugins") or [] if isinstance(p, dict) and PLUGIN in p)
        return keys.check_course_code(entry.get("course", ""))
    except (OSError, KeyError, StopIteration, zipfile.BadZipFile, ValueError, AttributeError, TypeError):
        return ""


def _add_course_code(notebook: Path, stem: str, course: str) -> None:
    """The course's student copy: its numbers line with the course code added."""
    nb = nbformat.read(notebook, as_version=4)
    line = _mine_line(stem)
    cells = [c for c in nb.cells if c.cell_type == "code" and line in c.source]
    if len(cells) != 1:
        raise RuntimeError(f"{notebook.name}: the course code goes into the line {line!r}, which "
                           f"should be in exactly one code cell ({len(cells)} found)")
    cells[0].source = cells[0].source.replace(line, line[:-1] + f', course="{course}")')
    nbformat.write(nb, notebook)


def _previous_private(ag_zip: Path, stem: str, declared: dict) -> dict[str, list[int]] | None:
    """The private seeds of an autograder made earlier (its ``heldout.json``), if they still fit
    the master; ``None`` if it had none."""
    try:
        with zipfile.ZipFile(ag_zip) as zf:
            if "heldout.json" not in zf.namelist():
                return None
            seeds = json.loads(zf.read("heldout.json")).get(stem) or None
    except (OSError, zipfile.BadZipFile, ValueError, AttributeError):
        return None
    try:
        heldout.check_private({stem: seeds or {}}, {stem: declared})
    except ValueError as error:
        print(f"Note: the private held-out seeds of {stem}'s previous autograder no longer fit its "
              f"master ({error}); the new autograder has the public seeds.", file=sys.stderr)
        return None
    return seeds


def _stamp(master: Path, private: dict | None, course: str | None = None) -> str:
    """What an autograder is made from, hashed: the master, the kit, the private seeds, the
    course code of the per-student numbers, otter."""
    from importlib.metadata import version

    parts = [master.read_bytes(), _kit_digest().encode(),
             json.dumps(private or {}, sort_keys=True).encode(), version("otter-grader").encode(),
             json.dumps(course).encode()]
    return hashlib.sha256(b"\0".join(hashlib.sha256(p).digest() for p in parts)).hexdigest()


def _stamp_path(build: Path, stem: str) -> Path:
    return build / "autograder" / f"{stem}-autograder.sha256"


def still_public(private: dict[str, list[int]], declared: dict) -> list[str]:
    """The held-out sets of ``private`` whose seeds are the public ones (a template line left as
    it was): they are not private.

    >>> still_public({"q1_markets": [1, 2], "q2_feeds": [7]}, {"q1_markets": (1, 2), "q2_feeds": (3,)})
    ['q1_markets']
    """
    return sorted(n for n, seeds in private.items() if tuple(seeds) == tuple(declared.get(n, ())))


def assign(master: Path, out: Path = REPO, *, run_tests: bool = False,
           private: dict[str, list[int]] | None = None, course: str | None = None,
           force: bool = False) -> Outputs:
    """Run otter assign on one master and write its student copy and solutions page under ``out``.

    ``private`` ({held-out name: seeds}, this master's table of a file read by
    ``heldout.read_private``) puts private held-out seeds into the autograder zip only. Without
    it, the seeds of the autograder made before are kept, if it had any; ``{}`` drops them (the
    public seeds). ``course``: the course code of the per-student numbers (module docstring);
    None keeps the one of the autograder made before, ``""`` makes public ones.
    """
    start = time.perf_counter()
    master, out = Path(master).resolve(), Path(out).resolve()
    stem = master.stem
    declared = heldout.declared_in(master)  # also checks every heldout_seeds call of the master
    if private:
        heldout.check_private({stem: private}, {stem: declared})
        public = still_public(private, declared)
        if public:
            print(f"Note: {stem}: the held-out set(s) {', '.join(public)} still have their public seeds "
                  "in the private file (template lines left as they were), so they are not private; "
                  "replace those seeds by your own.", file=sys.stderr)
            private = {n: v for n, v in private.items() if n not in public}
    build = out / BUILD_SUBDIR / stem
    if private is None:  # keep the private seeds of the autograder made before, if any
        private = _previous_private(build / "autograder" / f"{stem}-autograder.zip", stem, declared)
    varies = _has_variants(master)
    if varies and course is None:  # keep the course code of the autograder made before, if any
        course = _previous_course(build / "autograder" / f"{stem}-autograder.zip")
    course = (keys.check_course_code(course or "")) if varies else None
    stamp = _stamp(master, private, course)
    unchanged = _unchanged(master, out, build, stamp, course)
    if unchanged is not None and not (force or run_tests):
        return unchanged
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    _otter_assign(master, build, run_tests, kit_wheel(out / BUILD_SUBDIR))

    master_ids = {c.get("id") for c in nbformat.read(master, as_version=4).cells} - {None}
    ag_nb, stu_nb = build / "autograder" / master.name, build / "student" / master.name
    for nb_path in (ag_nb, stu_nb):
        _stable_ids(nb_path, master_ids)
    zips = sorted((build / "autograder").glob(f"{stem}-autograder_*.zip"))
    if len(zips) != 1:
        raise RuntimeError(f"expected one autograder zip for {stem}, found {len(zips)}")
    ag_zip = zips[0].rename(build / "autograder" / f"{stem}-autograder.zip")
    _check_carries_the_kit(ag_zip)
    used = _add_private(ag_zip, stem, private) if private else ()
    if varies:
        _add_variant_plugin(ag_zip, stem, course)

    student = out / STUDENT_SUBDIR / stem
    shutil.rmtree(student, ignore_errors=True)
    shutil.copytree(build / "student", student)  # the public copy, before the course's code
    if course:
        _add_course_code(stu_nb, stem, course)

    questions = read_questions(master)
    page = out / SOLUTIONS_SUBDIR / f"{stem}.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(solutions_markdown(master, questions), encoding="utf-8")
    _stamp_path(build, stem).write_text(stamp + "\n", encoding="ascii")
    return Outputs(stem, build, ag_zip, ag_nb, student / master.name, page, questions,
                   time.perf_counter() - start, used, course)


def _unchanged(master: Path, out: Path, build: Path, stamp: str, course: str | None) -> Outputs | None:
    """The outputs of an earlier run made from exactly these inputs (``stamp``), if all are there."""
    start = time.perf_counter()
    stem = master.stem
    ag_zip = build / "autograder" / f"{stem}-autograder.zip"
    outputs = [ag_zip, build / "autograder" / master.name, out / STUDENT_SUBDIR / stem / master.name,
               out / SOLUTIONS_SUBDIR / f"{stem}.md"]
    try:
        if _stamp_path(build, stem).read_text(encoding="ascii").strip() != stamp:
            return None
    except OSError:
        return None
    if not all(p.is_file() for p in outputs):
        return None
    try:
        with zipfile.ZipFile(ag_zip) as zf:
            used = tuple(sorted((json.loads(zf.read("heldout.json")).get(stem) or {})
                                if "heldout.json" in zf.namelist() else ()))
    except (OSError, zipfile.BadZipFile, ValueError):
        return None
    return Outputs(stem, build, ag_zip, outputs[1], outputs[2], outputs[3], read_questions(master),
                   time.perf_counter() - start, used, course, unchanged=True)


def _summary(o: Outputs, out: Path) -> str:
    def pts(q):
        return f"{q.name} {q.points:g}" + (" (by hand)" if q.manual else "") if q.points else q.name
    auto = sum(q.points or 0 for q in o.questions if not q.manual)
    manual = sum(q.points or 0 for q in o.questions if q.manual)
    rel = lambda p: p.relative_to(out).as_posix() if p.is_relative_to(out) else str(p)
    private = f"; private held-out seeds: {', '.join(o.private)}" if o.private else ""
    took = "unchanged, not assigned again" if o.unchanged else f"{o.seconds:.1f} s"
    if o.course is not None:
        private += ("; each student's own numbers, course code in the course's copy" if o.course
                    else "; each student's own numbers (no course secret: public course code)")
    return (f"{o.stem}: {', '.join(pts(q) for q in o.questions)}; "
            f"{auto:g} autograded + {manual:g} by hand{private} ({took})\n"
            f"    {rel(o.student_notebook)}\n    {rel(o.autograder_zip)}\n    {rel(o.solutions_page)}")


def heldout_template(masters) -> str:
    """A private held-out file for ``masters`` with their public seeds (to be replaced)."""
    lines = ["# Private held-out seeds for `make assign PRIVATE=<this file>`. Replace each public",
             "# seed below by one of your own (a whole number from 0 to 4294967295; keep the count),",
             "# delete the sets you keep public, and keep this file out of the public repository."]
    for master in masters:
        declared = heldout.declared_in(master)
        if declared:
            lines += ["", f'["{master.stem}"]']
            lines += [f"{name} = {list(seeds)}" for name, seeds in declared.items()]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialkit.course.assign", description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="master stems (default: every exercises/*.ipynb)")
    parser.add_argument("--out", type=Path, default=REPO,
                        help="root to write _build/assign, exercises/student and book/solutions under "
                             "(default: the repository)")
    parser.add_argument("--run-tests", action="store_true",
                        help="also let otter check that the solutions pass every test (slower)")
    parser.add_argument("--private", type=Path, default=None, metavar="FILE",
                        help="private held-out seeds for the hidden tests (TOML; make assign "
                             "PRIVATE=FILE): they go into the autograder zips only")
    parser.add_argument("--public", action="store_true",
                        help="make autograders with the public held-out seeds, dropping private ones "
                             "kept from an earlier --private (which later runs keep otherwise)")
    parser.add_argument("--force", action="store_true",
                        help="assign every master again, even those whose autograder was made from "
                             "the same master, kit, seeds and otter")
    parser.add_argument("--heldout", action="store_true",
                        help="print the held-out sets of the masters, with their public seeds, as a "
                             "template for --private, and stop")
    args = parser.parse_args(argv)
    try:
        masters = resolve_masters(args.names)
        if args.heldout:
            print(heldout_template(masters))
            return 0
        private = {}
        course = "" if args.public else None
        if args.public and args.private is not None:
            raise ValueError("--public and --private exclude each other: give one of them")
        if args.private is not None:
            # ~ reaches us unexpanded from zsh and from make's quoted "$(PRIVATE)"
            args.private = args.private.expanduser()
            private = heldout.read_private(args.private)
            secret = heldout.read_course_secret(args.private)
            course = keys.course_code(secret) if secret else None
            heldout.check_private(private, {stem: heldout.declared_in(path) for stem, path
                                            in available_masters().items()}, str(args.private))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    start = time.perf_counter()
    # Without --run-tests otter starts no kernel, so masters can be assigned side by side.
    workers = 1 if args.run_tests else min(4, len(masters))
    try:
        with ThreadPoolExecutor(workers) as pool:
            results = list(pool.map(lambda m: assign(m, args.out, run_tests=args.run_tests,
                                                     private={} if args.public else private.get(m.stem),
                                                     course=course, force=args.force),
                                    masters))
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    for o in results:
        print(_summary(o, args.out.resolve()))
    again = sum(not o.unchanged for o in results)
    print(f"Assigned {again} exercise(s) in {time.perf_counter() - start:.1f} s"
          + (f"; {len(results) - again} unchanged since they were last assigned (--force assigns "
             "them again)." if again < len(results) else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())

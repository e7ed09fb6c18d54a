"""Google Colab: the first cell of every lesson and exercise installs what Colab lacks.

Colab opens a notebook straight from the GitHub repository (the launch button), on a machine
that has numpy, pandas, matplotlib and ipywidgets but not this kit. So every lesson and every
exercise master starts with one *Colab set-up* cell, written here once:

* **On Colab** it installs, quietly, the kit's package from the repository at a pinned release
  tag (``v<version>``, the data sets come with it) and the pinned packages Colab lacks
  (jupyterquiz, and otter-grader for an exercise). An exercise also fetches its own student
  notebook from the same tag and writes its public tests to ``tests/``, since otter on Colab
  cannot read tests from a notebook's metadata.
* **Anywhere else** (JupyterLab with the kit installed, a hub, Binder, the book build, nbval) it
  does nothing: it only looks for Colab's ``google.colab`` among the loaded modules (Colab's
  kernel loads it at start; otter tells Colab by the same module).

In an exercise master, otter's own "Initialize Otter" cell would come first in the student copy
(where ``import otter`` fails on a fresh Colab), so :func:`apply_to_notebook` turns otter's
``init_cell`` off and adds the same cell itself, right after the set-up cell.

    python -m socialkit.site.colab            # apply to every lesson and exercise master
    python -m socialkit.site.colab --check    # exit 1 if any notebook lacks the current cell
    python -m socialkit.course.assign         # then regenerate the student copies

The cell is idempotent to apply (found again by its id ``colab-setup``); the release it pins
is read from ``socialkit.__version__`` and the repository from ``_config.yml``.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..data.paths import REPO

__all__ = ["SETUP_ID", "OTTER_INIT_ID", "Release", "release", "pinned", "setup_source",
           "setup_cell", "otter_init_cell", "apply_to_notebook", "notebooks", "fetch_exercise",
           "main"]

#: Cell ids (nbformat 4.5) that mark the cells this module owns, so applying again updates them.
SETUP_ID = "colab-setup"
OTTER_INIT_ID = "otter-init"
#: Packages an exercise needs on Colab besides the kit (pinned from requirements.txt).
LESSON_PACKAGES = ("jupyterquiz",)
EXERCISE_PACKAGES = ("jupyterquiz", "otter-grader")
_GITHUB = re.compile(r"^https://github\.com/(?P<org>[A-Za-z0-9_.-]+)/(?P<repo>[A-Za-z0-9_.-]+?)"
                     r"(?:\.git)?/?$")
_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")
_CONFIG_LINE = re.compile(r"^init_cell\s*:.*$", re.MULTILINE)


@dataclass(frozen=True)
class Release:
    """Where Colab gets the kit: a GitHub repository and a ref (a release tag) in it."""

    url: str
    ref: str

    def __post_init__(self):
        if not isinstance(self.url, str) or not _GITHUB.match(self.url):
            raise ValueError("url must be a GitHub repository address like "
                             f"https://github.com/owner/name (Colab opens only GitHub); got {self.url!r}.")
        if not isinstance(self.ref, str) or not _REF.match(self.ref) or ".." in self.ref:
            raise ValueError(f"ref must be a tag, branch or commit name; got {self.ref!r}.")

    @property
    def owner_and_name(self) -> tuple[str, str]:
        match = _GITHUB.match(self.url)
        return match["org"], match["repo"]

    @property
    def pip_requirement(self) -> str:
        """``socialkit @ git+https://github.com/o/r@ref``: the kit at exactly this ref."""
        return f"socialkit @ git+{self.url.rstrip('/').removesuffix('.git')}@{self.ref}"

    @property
    def raw_base(self) -> str:
        """Base address of the repository's files at this ref."""
        org, repo = self.owner_and_name
        return f"https://raw.githubusercontent.com/{org}/{repo}/{self.ref}"


def _config(repo: Path = REPO) -> dict:
    import yaml

    path = Path(repo) / "_config.yml"
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def release(ref: str | None = None, repo: Path = REPO) -> Release:
    """The repository named in ``_config.yml`` (``repository.url``) at ``ref``.

    ``ref`` defaults to the release tag of this version of the kit, ``v<socialkit.__version__>``:
    tag that commit (``git tag v0.1.0 && git push --tags``) so Colab can install it.
    """
    from .. import __version__

    url = (_config(repo).get("repository") or {}).get("url")
    if not url:
        raise ValueError(f"{Path(repo) / '_config.yml'} has no repository.url; Colab needs it.")
    return Release(url, f"v{__version__}" if ref is None else ref)


def pinned(name: str, repo: Path = REPO) -> str:
    """``name==version`` as pinned in ``requirements.txt`` (names compared as pip does)."""
    def norm(text: str) -> str:
        return re.sub(r"[-_.]+", "-", text).lower()

    path = Path(repo) / "requirements.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and norm(line.split("==", 1)[0]) == norm(name):
            return f"{name}=={line.split('==', 1)[1].strip()}"
    raise ValueError(f"{name} is not pinned (name==version) in {path}.")


# --- the cells ---------------------------------------------------------------------------
def setup_source(rel: Release, packages: tuple[str, ...] | list[str] = (),
                 exercise: str | None = None) -> str:
    """The Colab set-up cell's code.

    ``packages`` are pinned requirements (``name==version``) Colab lacks; ``exercise`` is the
    repository path of an exercise's student notebook (``exercises/student/<stem>/<stem>.ipynb``),
    whose tests the cell fetches on Colab; ``None`` for a lesson.
    """
    if not isinstance(rel, Release):
        raise TypeError(f"rel must be a Release(url, ref); got {type(rel).__name__}.")
    packages = list(packages)
    for spec in packages:
        if not isinstance(spec, str) or not re.fullmatch(r"[A-Za-z0-9_.-]+==[A-Za-z0-9_.+!-]+", spec):
            raise ValueError(f"packages must be pinned as name==version; got {spec!r}.")
    if exercise is not None:
        _student_path(exercise)
    requirements = [rel.pip_requirement, *packages]
    listed = "".join(f'\n         "{r}",' for r in requirements)
    lines = [
        "# @title Setup for Google Colab (run this cell first; elsewhere it does nothing)",
        "# On Colab it installs this book's helper package (release "
        f"{rel.ref}) and what Colab lacks.",
        "# In JupyterLab, on a JupyterHub or on Binder everything is installed already.",
        "import importlib, importlib.util, subprocess, sys",
        "",
        'if "google.colab" in sys.modules and importlib.util.find_spec("socialkit") is None:',
        "    print(\"Installing the book's helper package (about a minute)...\")",
        "    _setup = subprocess.run(",
        '        [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",'
        + listed[:-1] + "],",
        "        capture_output=True, text=True)",
        "    if _setup.returncode != 0:",
        '        raise RuntimeError("Could not install the helper package: " + _setup.stderr[-2000:])',
        "    importlib.invalidate_caches()",
        '    print("Done: the helper package is installed.")',
    ]
    if exercise is not None:
        lines += [
            'if "google.colab" in sys.modules:',
            "    from socialkit.site.colab import fetch_exercise",
            f'    fetch_exercise("{rel.raw_base}", "{exercise}")',
        ]
    return "\n".join(lines)


def _student_path(exercise: str) -> PurePosixPath:
    path = PurePosixPath(exercise)
    if (len(path.parts) != 4 or path.parts[:2] != ("exercises", "student")
            or path.name != f"{path.parts[2]}.ipynb"):
        raise ValueError("exercise must be exercises/student/<stem>/<stem>.ipynb; "
                         f"got {exercise!r}.")
    return path


def setup_cell(rel: Release, packages=(), exercise: str | None = None):
    """The set-up cell as an nbformat cell: left out of the book's pages (``remove-cell``),
    folded in JupyterLab, shown as a titled form on Colab. It is also tagged ``hide-cell``
    like every lesson's hidden setup cell, so tools that skip setup code skip it too."""
    import nbformat

    return nbformat.v4.new_code_cell(
        setup_source(rel, packages, exercise), id=SETUP_ID,
        metadata={"cellView": "form", "jupyter": {"source_hidden": True},
                  "tags": ["hide-cell", "remove-cell"]})


def otter_init_cell(stem: str):
    """Exactly the cell ``otter assign`` writes with ``init_cell: true``, locked like otter's."""
    import nbformat

    return nbformat.v4.new_code_cell(
        f'# Initialize Otter\nimport otter\ngrader = otter.Notebook("{stem}.ipynb")',
        id=OTTER_INIT_ID, metadata={"deletable": False, "editable": False})


# --- applying them -----------------------------------------------------------------------
def _kind(path: Path, nb) -> str:
    if "student" in path.parts:
        raise ValueError(f"{path} is a generated student copy: apply the cell to its master in "
                         "exercises/ and run `python -m socialkit.course.assign`.")
    first = nb.cells[0] if nb.cells else None
    if first is not None and first.cell_type == "raw" and "ASSIGNMENT CONFIG" in first.source:
        return "master"
    return "lesson"


def _without(cells: list, *ids: str) -> list:
    return [c for c in cells if c.get("id") not in ids]


def apply_to_notebook(path: str | Path, rel: Release, repo: Path = REPO, *,
                      write: bool = True) -> bool:
    """Give one lesson (``notebooks/``) or exercise master (``exercises/``) the set-up cell.

    A lesson gets it before its first code cell (after the title, so the page keeps its
    heading); a master right after its assignment configuration, followed by otter's init
    cell, with ``init_cell: false`` in the configuration. An earlier copy of either cell (found
    by its id) is replaced. Returns True if the notebook changed (written only when ``write``):
    applying twice changes nothing the second time.
    """
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    if _kind(path, nb) == "lesson":
        cell = setup_cell(rel, [pinned(p, repo) for p in LESSON_PACKAGES])
        cells = _without(nb.cells, SETUP_ID)
        first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
        nb.cells = cells[:first_code] + [cell] + cells[first_code:]
    else:
        stem = path.stem
        cell = setup_cell(rel, [pinned(p, repo) for p in EXERCISE_PACKAGES],
                          f"exercises/student/{stem}/{stem}.ipynb")
        config, *rest = _without(nb.cells, SETUP_ID, OTTER_INIT_ID)
        if _CONFIG_LINE.search(config.source):
            config.source = _CONFIG_LINE.sub("init_cell: false", config.source, count=1)
        else:
            config.source = config.source.rstrip("\n") + "\ninit_cell: false"
        nb.cells = [config, cell, otter_init_cell(stem), *rest]
    changed = nbformat.writes(nb) != before
    if changed and write:
        nbformat.write(nb, path)
    return changed


def notebooks(repo: Path = REPO) -> list[Path]:
    """Every lesson notebook and every exercise master, in name order."""
    repo = Path(repo)
    return sorted((repo / "notebooks").glob("*.ipynb")) + sorted((repo / "exercises").glob("*.ipynb"))


# --- on Colab, at run time ---------------------------------------------------------------
def fetch_exercise(raw_base: str, exercise: str, folder: str | Path = ".", *,
                   timeout: float = 60) -> list[Path]:
    """Fetch an exercise's student notebook and write its public tests, for otter on Colab.

    Otter on Colab reads tests only from a ``tests/`` folder and reads the notebook's own file,
    neither of which Colab has. This downloads ``<raw_base>/<exercise>`` into ``folder`` under
    its own name and writes each test stored in its metadata to ``folder/tests/<q>.py``. The
    public tests only: the hidden ones were never in the student notebook. Returns the files
    written. ``raw_base`` may be any URL urllib opens (``file://`` in the tests).
    """
    path = _student_path(exercise)
    if not isinstance(raw_base, str) or not raw_base:
        raise ValueError(f"raw_base must be the address of the repository's files; got {raw_base!r}.")
    folder = Path(folder)
    url = f"{raw_base.rstrip('/')}/{urllib.parse.quote(str(path))}"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            data = response.read()
    except OSError as err:
        raise OSError(f"Could not fetch the exercise's tests from {url} ({err}). Check the "
                      "connection, then run this cell again.") from None
    nb = json.loads(data.decode("utf-8"))
    tests = (nb.get("metadata", {}).get("otter") or {}).get("tests") or {}
    if not tests:
        raise ValueError(f"{url} holds no otter tests in its metadata.")
    written = [folder / path.name]
    written[0].write_bytes(data)
    (folder / "tests").mkdir(parents=True, exist_ok=True)
    for name, source in sorted(tests.items()):
        if not re.fullmatch(r"[A-Za-z0-9_]+", name) or not isinstance(source, str):
            raise ValueError(f"{url} has a malformed test {name!r}.")
        target = folder / "tests" / f"{name}.py"
        target.write_text(source, encoding="utf-8")
        written.append(target)
    return written


# --- command line ------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m socialkit.site.colab",
        description="Give every lesson and exercise master its Colab set-up cell (then run "
                    "`python -m socialkit.course.assign` to update the student copies).")
    parser.add_argument("paths", nargs="*", type=Path,
                        help="notebooks (default: notebooks/*.ipynb and exercises/*.ipynb)")
    parser.add_argument("--ref", help="the tag (or branch, commit) Colab installs the kit from "
                                      "(default: v<socialkit version>)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a notebook lacks the current cell")
    args = parser.parse_args(argv)
    try:
        rel = release(args.ref)
        paths = args.paths or notebooks()
        changed = [p for p in paths if apply_to_notebook(p, rel, write=not args.check)]
    except (ValueError, OSError) as err:
        print(err, file=sys.stderr)
        return 2
    for p in changed:
        print(("needs the Colab cell: " if args.check else "updated: ") + str(p))
    print(f"{len(paths)} notebook(s), {len(changed)} "
          + ("to update" if args.check else "updated") + f"; Colab installs {rel.pip_requirement}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())

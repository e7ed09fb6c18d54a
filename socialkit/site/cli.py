"""``python -m socialkit``: the kit's commands with Python alone (no make, no Node).

    python -m socialkit check             is the kit installed, with its data? (a quick self-test)
    python -m socialkit lab [ARGS...]     open JupyterLab on the lessons and exercises
    python -m socialkit links [ARGS...]   JupyterHub links of every notebook (instructors)

For Windows, or a hub without make: after ``python -m pip install -r requirements.txt`` and
``python -m pip install -e .`` in a copy of the repository, ``python -m socialkit lab`` does what
``make lab`` does. It runs JupyterLab with the same Python (``python -m jupyterlab``), so it works
without the ``jupyter`` command on the PATH. Installed, the same commands are ``socialkit lab``...
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from ..data.paths import REPO

__all__ = ["find_course_folder", "check", "lab", "main"]

#: The folders of the course a student works in.
LAB_FOLDERS = ("notebooks", "exercises")


def find_course_folder(start: Path | None = None) -> Path | None:
    """The folder holding ``notebooks/``: ``start`` (default: the current folder) or, for an
    editable install, the repository the package lives in; ``None`` if neither has it."""
    for folder in (Path.cwd() if start is None else Path(start), REPO):
        if (folder / "notebooks").is_dir():
            return folder.resolve()
    return None


def check(out=None) -> int:
    """Print what a student's set-up needs and whether it is there; 0 if the lessons can run."""
    out = out or sys.stdout
    import socialkit
    from ..data import posts, statements
    from ..data.paths import DATA_DIR

    ok = True
    print(f"socialkit {socialkit.__version__} in {Path(socialkit.__file__).parent}", file=out)
    print(f"Python {sys.version.split()[0]} at {sys.executable}", file=out)
    print(f"data sets in {DATA_DIR}:", file=out)
    csvs = sorted(DATA_DIR.glob("*.csv"))
    if not csvs:
        ok = False
        print("  none found: reinstall the package (python -m pip install -e .)", file=out)
    loaders = {"posts.csv": lambda: len(posts.load_posts()),
               "statements.csv": lambda: len(statements.load())}
    for path in csvs:
        try:
            rows = loaders[path.name]() if path.name in loaders else None
            print(f"  {path.name}" + (f": {rows} rows, checked" if rows is not None else ""),
                  file=out)
        except (OSError, ValueError) as err:
            ok = False
            print(f"  {path.name}: cannot be read ({err})", file=out)
    for module, why in (("jupyterlab", "to open the notebooks"),
                        ("ipykernel", "to run them"), ("ipywidgets", "for the sliders"),
                        ("jupyterquiz", "for the quizzes"), ("otter", "to check exercises")):
        found = importlib.util.find_spec(module) is not None
        ok &= found or module == "jupyterlab"  # a hub or Colab may bring its own front end
        print(f"{module:12} {'found' if found else 'MISSING'} ({why})", file=out)
    print("Ready." if ok else "Not ready: install what is missing (python -m pip install -r "
          "requirements.txt, then python -m pip install -e .).", file=out)
    return 0 if ok else 1


def lab(extra: list[str], folder: Path | None = None) -> int:
    """Open JupyterLab on the lessons and exercises of ``folder`` (found if not given)."""
    folder = find_course_folder() if folder is None else Path(folder)
    if folder is None or not (folder / "notebooks").is_dir():
        print("No notebooks/ folder here. Run this command in your copy of the book's "
              "repository (the folder with notebooks/ and exercises/), or pass --folder.",
              file=sys.stderr)
        return 2
    if importlib.util.find_spec("jupyterlab") is None:
        print("JupyterLab is not installed in this Python. Install the kit's packages first: "
              "python -m pip install -r requirements.txt", file=sys.stderr)
        return 2
    # JupyterLab's root is the course folder, so both notebooks/ and exercises/ are in reach
    # (a folder named on jupyter lab's command line would become the root instead).
    command = [sys.executable, "-m", "jupyterlab", *extra]
    shown = ", ".join(f"{name}/" for name in LAB_FOLDERS if (folder / name).is_dir())
    print(f"Opening JupyterLab in {folder} ({shown}); stop it with Ctrl+C.", flush=True)
    if os.name == "posix":  # become JupyterLab: signals and the exit code are its own
        os.chdir(folder)
        os.execv(sys.executable, command)
    try:
        return subprocess.call(command, cwd=folder)
    except KeyboardInterrupt:
        return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m socialkit",
        description="Customers, Not Channels: the kit's commands, with Python alone.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="is the kit installed, with its data?")
    lab_parser = sub.add_parser(
        "lab", help="open JupyterLab on the lessons and exercises",
        description="Open JupyterLab on notebooks/ and exercises/. Any further arguments go to "
                    "JupyterLab, e.g. python -m socialkit lab --no-browser --port 8890")
    lab_parser.add_argument("--folder", type=Path,
                            help="the copy of the repository (default: this folder)")
    sub.add_parser("links", add_help=False,
                   help="JupyterHub (nbgitpuller) links of every notebook; --help for options")
    args, extra = parser.parse_known_args(argv)
    if args.command == "links":
        from .launch import main as links_main
        return links_main(extra)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "check":
        return check()
    return lab(extra, args.folder)


if __name__ == "__main__":
    sys.exit(main())

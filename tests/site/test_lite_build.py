"""The in-browser Python's build (socialkit/site/lite.py): only verified Pyodide files are served,
and socialkit runs on Pyodide's Python 3.12 and package versions.

The hash rules are those of Pyodide's own ``pyodide-lock.json`` (npm ``pyodide@0.27.7``): each
package has a ``file_name`` and the ``sha256`` of that file, and ``depends`` lists the packages it
needs. The Pyodide run uses the npm package's own ``loadPyodide`` under Node.
"""
from __future__ import annotations

import doctest
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from socialkit.course import browser_checks
from socialkit.site import lite, sphinx_lite

ROOT = Path(__file__).resolve().parents[2]
NODE_RUNNER = Path(__file__).with_name("pyodide_doctests.mjs")
#: the layers whose modules must work in the browser (site/ and the grader run on the server)
BROWSER_LAYERS = ("models", "data", "figures", "interactive")
SERVER_ONLY = {"socialkit.course.assign", "socialkit.course.syllabus"}  # nbformat, otter


@pytest.fixture(scope="module")
def carrier() -> Path:
    """The carrier wheel, downloaded once into the build cache (as `make book` does)."""
    try:
        return lite._pip_download(*lite.CARRIER, lite.CACHE / "carrier")
    except lite.LiteBuildError as error:
        pytest.fail(f"the carrier wheel cannot be had: {error}")


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    """The in-browser site's sources (Pyodide, the wheels, the notebooks), staged once."""
    return lite.stage(tmp_path_factory.mktemp("lite") / "src")


def test_doctests():
    for module in (lite, sphinx_lite, browser_checks):
        assert doctest.testmod(module, raise_on_error=False).failed == 0, module.__name__


def tampered_copy(carrier: Path, out: Path, tamper: str | None = None, drop: str | None = None) -> Path:
    """A copy of the carrier with one byte of file ``tamper`` changed, or file ``drop`` left out."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(carrier) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in source.infolist():
            name = Path(info.filename).name
            if not info.filename.startswith(lite.CARRIER_PREFIX) or name == drop:
                continue
            data = source.read(info)
            if name == tamper:
                data = data[:1000] + bytes([data[1000] ^ 0xFF]) + data[1001:]
            copy.writestr(info.filename, data)
    return out


def test_only_files_with_the_official_hash_are_copied(carrier, tmp_path):
    lock = lite.official_lock()
    copied = lite.verified_packages(carrier, lock, ["matplotlib"], tmp_path / "out")
    # matplotlib's whole chain comes along, as the lock's "depends" says
    names = {entry["file_name"]: entry for entry in lock["packages"].values()}
    for package in ("numpy", "pillow", "kiwisolver", "contourpy", "fonttools", "python-dateutil"):
        assert lock["packages"][package]["file_name"] in copied
    for file_name in copied:
        assert lite.sha256((tmp_path / "out" / file_name).read_bytes()) == names[file_name]["sha256"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(copied)


def test_a_tampered_wheel_fails_the_build_with_a_clear_message(carrier, tmp_path):
    numpy = lite.official_lock()["packages"]["numpy"]["file_name"]
    cache = tmp_path / "cache"
    tampered_copy(carrier, cache / "carrier" / carrier.name, tamper=numpy)
    for folder in ("pure", "extensions"):  # reuse the cached PyPI wheels: no download needed
        if (lite.CACHE / folder).is_dir():
            shutil.copytree(lite.CACHE / folder, cache / folder)
    html = tmp_path / "html"
    run = subprocess.run([sys.executable, "-m", "socialkit.site.lite", str(html), "--cache", str(cache)],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    message = run.stderr
    assert numpy in message and "is not the official Pyodide 0.27.7 file" in message
    assert "make book LITE=0" in message
    assert not (html / "lite").exists()  # nothing was served


def test_a_file_the_carrier_lacks_fails_with_a_clear_message(carrier, tmp_path):
    pandas = lite.official_lock()["packages"]["pandas"]["file_name"]
    lacking = tampered_copy(carrier, tmp_path / carrier.name, drop=pandas)
    with pytest.raises(lite.LiteBuildError, match=f"does not carry {pandas}"):
        lite.verified_packages(lacking, lite.official_lock(), ["pandas"], tmp_path / "out")


def test_the_sites_lock_keeps_the_official_entries_and_adds_the_pure_wheels(staged):
    official = lite.official_lock()["packages"]
    served = json.loads((staged / "static" / "pyodide" / "pyodide-lock.json").read_text())["packages"]
    assert {name: served[name] for name in official} == official
    for name in ["socialkit"] + [wheel[0] for wheel in lite.PURE_WHEELS]:
        entry = served[name]
        wheel = staged / "static" / "pyodide" / entry["file_name"]
        assert lite.sha256(wheel.read_bytes()) == entry["sha256"]
        assert set(entry["depends"]) <= set(served), name
    with zipfile.ZipFile(staged / "static" / "pyodide" / served["socialkit"]["file_name"]) as kit:
        names = kit.namelist()
    assert "socialkit/data/datasets/posts.csv" in names and "socialkit/interactive/quizzes/00-python-for-this-book.json" in names


def test_exercises_use_the_kits_checks_in_the_browser(staged):
    exercise = json.loads((staged / "files" / "exercises" / "student" / "00-python-for-this-book"
                           / "00-python-for-this-book.ipynb").read_text())
    sources = ["".join(cell["source"]) for cell in exercise["cells"]]
    assert not any("import otter" in source for source in sources)
    assert 'grader = Notebook("00-python-for-this-book.ipynb")' in "\n".join(sources)
    assert "saved in this browser's storage" in sources[0] and "download the notebook" in sources[0]
    assert exercise["metadata"]["otter"]["tests"]  # the public tests the checks read


def test_socialkit_runs_on_pyodide(staged):
    """Every doctest of the layers a lesson uses, run inside Pyodide (Python 3.12, numpy 2.0,
    pandas 2.2, matplotlib 3.8) from the packages the site serves."""
    if shutil.which("node") is None:
        pytest.fail("node is needed to run Pyodide (it is in the machine's set-up, see GUIDE)")
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "socialkit").rglob("*.py")
        if path.parent.name in BROWSER_LAYERS + ("course",) and not path.name.startswith("__"))
    modules = [m for m in modules if m not in SERVER_ONLY]
    run = subprocess.run(["node", str(NODE_RUNNER), str(staged / "static" / "pyodide"), *modules],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["python"].startswith("3.12")
    assert result["errors"] == {}
    assert result["reports"] == {}
    assert set(result["modules"]) == set(modules)
    assert sum(attempted for _, attempted in result["modules"].values()) > 50


def test_make_book_lite_0_builds_without_it():
    """The documented switch reaches the build (Makefile → book.py --no-lite → SOCIALKIT_LITE=0,
    which turns off the links in sphinx_lite and removes lite/ from the site)."""
    dry = subprocess.run(["make", "-n", "book", "LITE=0"], cwd=ROOT, capture_output=True, text=True)
    assert "socialkit.site.book build  --no-lite" in dry.stdout or "socialkit.site.book build --no-lite" in dry.stdout
    default = subprocess.run(["make", "-n", "book"], cwd=ROOT, capture_output=True, text=True)
    assert "--no-lite" not in default.stdout
    assert not sphinx_lite.lite_enabled({"SOCIALKIT_LITE": "0"})

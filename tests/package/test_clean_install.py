"""The kit outside the repository: a wheel, a fresh virtual environment, every lesson run from a
temporary folder, and the make-free commands (`python -m socialkit check`, `... lab`).

This is what Colab, Binder, a hub or a Windows laptop do with the kit: install the package and
open a notebook somewhere that is not the repository. The wheel is built from a copy of the
package, installed into a new venv (without the repository on any path), and the lessons run
there with a fresh kernel each. The venv borrows the other, pinned packages (numpy, pandas,
JupyterLab...) from the project's .venv through a .pth line, which makes no module of the
repository importable: `socialkit` and its data can only come from the wheel, and the test
checks that they do.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import time
import urllib.request
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest

from socialkit.data.paths import DATA_DIR
from socialkit.site import colab
from support.browser import free_port

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Keep the whole run short: it is one test of the suite, not a build. Measured as CPU time of
#: the processes it starts (wall-clock time depends on what else the machine is running): 65 s
#: of CPU for the wheel, the venv and nine lessons when measured (lessons 0 to 8).
BUDGET_CPU_SECONDS = 120
#: Only a hang takes this long, even on a busy machine.
WALL_LIMIT_SECONDS = 900


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes (and their waited-for children)."""
    try:
        import resource
    except ImportError:  # Windows: not measured
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- quick checks (no wheel) ------------------------------------------------------------------
def package_data_globs() -> list[str]:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = config["tool"]["setuptools"]["package-data"]
    return [f"socialkit/{pkg.removeprefix('socialkit').strip('.').replace('.', '/')}/{pattern}"
            .replace("//", "/") for pkg, patterns in data.items() for pattern in patterns]


def test_every_data_file_is_covered_by_package_data():
    """A CSV added to DATA_DIR ships without a change to pyproject.toml; none is left outside."""
    globs = package_data_globs()
    files = sorted(DATA_DIR.glob("*.csv"))
    assert {"posts.csv", "statements.csv"} <= {p.name for p in files}
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        assert any(fnmatch(rel, g) for g in globs), f"{rel} would not ship (package-data: {globs})"
    stray = sorted(p.name for p in (ROOT / "data").glob("*.csv"))
    assert not stray, (f"CSV files in the top-level data/ folder do not ship with the package: "
                       f"{stray}; move them to {DATA_DIR.relative_to(ROOT)}/ (write them there "
                       "with DATA_DIR)")


def test_data_dir_is_inside_the_package():
    import socialkit

    assert DATA_DIR.is_dir() and DATA_DIR.is_relative_to(Path(socialkit.__file__).parent)


# --- the wheel and the clean environment ------------------------------------------------------
def run(command, **kwargs):
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 300)
    proc = subprocess.run(command, **kwargs)
    assert proc.returncode == 0, f"{command} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def timings():
    """{step: (wall seconds, CPU seconds)} of the steps of this module."""
    return {}


class Timer:
    def __init__(self, timings, step):
        self.timings, self.step = timings, step

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), children_cpu()

    def __exit__(self, *exc):
        self.timings[self.step] = (time.perf_counter() - self.wall, children_cpu() - self.cpu)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory, timings) -> Path:
    """A wheel of socialkit, built from a copy of the package (the repository stays untouched)."""
    with Timer(timings, "wheel"):
        return build_wheel(tmp_path_factory)


def build_wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(ROOT / "socialkit", src / "socialkit",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.answers.json"))
    for name in ("pyproject.toml", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "-w", str(dist), str(src)])
    (built,) = dist.glob("socialkit-*.whl")
    return built


def test_the_wheel_carries_every_data_set_and_quiz(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in sorted(DATA_DIR.glob("*.csv")):
        assert f"socialkit/data/datasets/{path.name}" in names, f"{path.name} is not in the wheel"
    quizzes = sorted((ROOT / "socialkit" / "interactive" / "quizzes").glob("*.json"))
    assert quizzes and all(f"socialkit/interactive/quizzes/{q.name}" in names for q in quizzes)
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requires = [line for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
                if line.startswith("Requires-Dist:")]
    assert any("filelock" in line for line in requires)


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory, timings) -> Path:
    """A new venv with the wheel installed; other packages borrowed from .venv (see above)."""
    with Timer(timings, "venv"):
        return make_venv(wheel, tmp_path_factory)


def make_venv(wheel, tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", "--without-pip", str(home)])
    python = home / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)])
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
                  ).stdout.strip()
    # Borrow the pinned dependencies; a path in a .pth line adds no .pth hooks of its own, so
    # .venv's editable finder for socialkit stays inactive.
    Path(purelib, "zz_borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def clean_env(tmp: Path) -> dict:
    """No repository on any path, Jupyter's own folders in ``tmp`` (no kernelspec from elsewhere)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "JUPYTER", "VIRTUAL_ENV", "SOCIALKIT"))}
    for name in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        env[name] = str(tmp / name.lower())
    env["MPLBACKEND"] = "Agg"
    return env


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A temporary folder with copies of the lessons and exercises, the Colab cell applied."""
    work = tmp_path_factory.mktemp("course")
    (work / "notebooks").mkdir()
    for lesson in LESSONS:
        copy = work / "notebooks" / lesson.name
        shutil.copy(lesson, copy)
        colab.apply_to_notebook(copy, colab.release())  # the cell must be a no-op here
    shutil.copytree(ROOT / "exercises" / "student", work / "exercises" / "student")
    return work


DRIVER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient

    PROBE = '''
    import json, sys, socialkit
    from socialkit.data.paths import DATA_DIR
    print(json.dumps({"python": sys.executable, "socialkit": socialkit.__file__,
                      "data": str(DATA_DIR)}))
    '''
    results = []
    for path in sys.argv[1:]:
        path = Path(path)
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(PROBE))
        start = time.perf_counter()
        client = NotebookClient(nb, timeout=120, kernel_name="python3", startup_timeout=120,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
            error = None
        except Exception as err:  # report every notebook, not only the first failure
            error = f"{type(err).__name__}: {str(err)[-1500:]}"
        probe = None
        if error is None:
            probe = json.loads(nb.cells[-1].outputs[0]["text"])
        results.append({"notebook": path.name, "seconds": round(time.perf_counter() - start, 2),
                        "error": error, "probe": probe})
    print(json.dumps(results))
""")


@pytest.mark.install
def test_every_lesson_runs_from_the_wheel_outside_the_repository(venv, workdir, timings):
    assert LESSONS, "no lesson notebooks found"
    tmp = workdir.parent / f"{workdir.name}-env"
    tmp.mkdir(exist_ok=True)
    driver = tmp / "run_lessons.py"
    driver.write_text(DRIVER)
    with Timer(timings, "lessons"):
        proc = run([str(venv), str(driver), *[str(workdir / "notebooks" / p.name) for p in LESSONS]],
                   cwd=workdir, env=clean_env(tmp), timeout=WALL_LIMIT_SECONDS)
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    failed = {r["notebook"]: r["error"] for r in results if r["error"]}
    assert not failed, f"lessons that do not run from the wheel: {json.dumps(failed, indent=1)}"
    home = venv.parent.parent
    for r in results:
        probe = r["probe"]
        assert Path(probe["python"]).parent.parent == home, f"{r['notebook']}: kernel of {probe['python']}"
        assert Path(probe["socialkit"]).is_relative_to(home), f"socialkit came from {probe['socialkit']}"
        assert Path(probe["data"]).is_relative_to(home), f"the data came from {probe['data']}"
    # the lessons saved their worksheets beside themselves, in the temporary folder
    assert not list(ROOT.glob("notebooks/*.answers.json.lock"))
    print("\nlesson run times (s): " + ", ".join(f"{r['notebook']} {r['seconds']}" for r in results))


@pytest.mark.install
def test_python_m_socialkit_check_from_the_wheel(venv, workdir, tmp_path):
    proc = run([str(venv), "-m", "socialkit", "check"], cwd=workdir, env=clean_env(tmp_path))
    home = venv.parent.parent
    assert "Ready." in proc.stdout and str(home) in proc.stdout
    assert "posts.csv: 2400 rows, checked" in proc.stdout


@pytest.mark.install
def test_python_m_socialkit_lab_serves_the_lessons_without_make(venv, workdir, tmp_path):
    """`python -m socialkit lab` (what a Windows student runs) starts JupyterLab on the lessons."""
    port, token = free_port(), "kit-test-token"
    server = subprocess.Popen(
        [str(venv), "-m", "socialkit", "lab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        cwd=workdir, env=clean_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}"
        deadline, listing = time.monotonic() + 90, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    listing = json.load(response)
                break
            except OSError:
                time.sleep(0.5)
        if listing is None:
            stop(server)
            pytest.fail(f"JupyterLab did not answer:\n{server.communicate(timeout=30)[0][-3000:]}")
        names = {item["name"] for item in listing["content"]}
        assert {p.name for p in LESSONS} <= names
        with urllib.request.urlopen(url.replace("/notebooks?", "/exercises/student?"), timeout=10) as r:
            exercises = {item["name"] for item in json.load(r)["content"]}
        assert exercises == {p.name for p in (ROOT / "exercises" / "student").iterdir() if p.is_dir()}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=10) as page:
            assert page.status == 200 and b"JupyterLab" in page.read()
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    """End the server's own process group (the server and any kernel it started), nothing else."""
    for signal_number in (15, 9):
        try:
            os.killpg(server.pid, signal_number)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            continue


@pytest.mark.install
def test_the_whole_run_stays_within_its_budget(timings):
    assert {"wheel", "venv", "lessons"} <= set(timings), "run the whole module"
    wall = sum(w for w, _ in timings.values())
    cpu = sum(c for _, c in timings.values())
    print("\nclean install: " + ", ".join(f"{k} {w:.1f} s ({c:.1f} s CPU)"
                                          for k, (w, c) in timings.items())
          + f"; total {wall:.1f} s, {cpu:.1f} s CPU")
    assert wall < WALL_LIMIT_SECONDS
    if os.name == "posix":
        assert cpu < BUDGET_CPU_SECONDS, f"the clean-install run used {cpu:.0f} s of CPU"

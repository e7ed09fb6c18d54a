"""Fixtures shared by several test modules."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
#: One id per test run, the same in every pytest-xdist worker of that run.
RUN_ID = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex

# Exercises give each student their own numbers (socialkit.course.variants): no id saved on this
# machine, no hub user and no grader's variant may leak into the tests, the book or the kernels
# they start, which all work with the public variant unless a test asks for another.
for _name in ("SOCIALKIT_STUDENT_ID", "JUPYTERHUB_USER", "SOCIALKIT_VARIANT"):
    os.environ.pop(_name, None)
os.environ["SOCIALKIT_HOME"] = str(Path(os.environ.get("TMPDIR", "/tmp")) / f"socialkit-home-{RUN_ID}")


@pytest.fixture(autouse=True)
def no_variant_left_behind():
    """Each test starts with no variant remembered from a notebook another test ran in this
    process (``variants.current`` then gives the public numbers, or the grader's)."""
    from socialkit.course import variants

    variants.forget()


@pytest.fixture(scope="session")
def book_html() -> Path:
    """Build the book once per test run (as `make book` does) and return _build/html.

    Under pytest-xdist (`make test` runs two workers) the first worker that needs the book
    builds it while holding a lock; the others wait for the lock and reuse that build.
    """
    BUILD.mkdir(exist_ok=True)
    built = BUILD / f".book-built-{RUN_ID}"
    with FileLock(str(BUILD / ".book.lock")):
        if not built.exists():
            for stale in BUILD.glob(".book-built-*"):
                stale.unlink(missing_ok=True)
            run = subprocess.run([sys.executable, "-m", "socialkit.site.book", "build"], cwd=ROOT,
                                 capture_output=True, text=True, timeout=900)
            assert run.returncode == 0, ("The book does not build:\n" + run.stdout[-4000:]
                                         + run.stderr[-4000:])
            built.touch()
    return BUILD / "html"


@pytest.fixture(scope="session")
def assigned_exercises(tmp_path_factory) -> dict:
    """Every exercise master assigned once per test run into a temporary root (never the
    repository): {stem: socialkit.course.assign.Outputs}. Read-only for the tests.

    ``otter assign`` runs each master's solution, about 10 s a master, and a dozen test modules
    grade these assignments: assigning once per run instead of once per module saves minutes.
    Under pytest-xdist the first worker assigns while holding a lock and the others reuse it.
    """
    import pickle
    from concurrent.futures import ThreadPoolExecutor

    from socialkit.course import assign

    shared = tmp_path_factory.getbasetemp().parent / f"assigned-{RUN_ID}"
    shared.mkdir(parents=True, exist_ok=True)
    done = shared / "outputs.pickle"
    with FileLock(str(shared / ".lock")):
        if not done.exists():
            masters = assign.available_masters()
            with ThreadPoolExecutor(4) as pool:  # otter assign is mostly a kernel's start-up
                outputs = dict(zip(masters, pool.map(lambda m: assign.assign(m, shared), masters.values())))
            done.write_bytes(pickle.dumps(outputs))
        return pickle.loads(done.read_bytes())


@pytest.fixture(scope="session")
def assign_dir(assigned_exercises) -> Path:
    """The folder that holds every assigned exercise (as `make assign` writes _build/assign)."""
    return next(iter(assigned_exercises.values())).build_dir.parent

"""``pip install socialkit[grading]`` gives a working grader (pyproject.toml's ``grading`` extra).

The wheel is built from a copy of the package and installed, with the ``grading`` extra and its
dependencies resolved by pip (pinned to requirements.txt's versions by a constraint), into a new
virtual environment that sees nothing of the repository or of .venv. Its ``socialkit-grade``
then grades a small class of chapter 1 (the autograder zip made by ``make assign``) from a
folder outside the repository. The wheel must not carry the attack catalogue (tests/grading/samples.py).
"""
from __future__ import annotations

import csv
import os
import zipfile
from pathlib import Path

import pytest

from socialkit.course import assign
from socialkit.course.grading.intake.autograder import available_assignments, load_autograder
from support import grading, install
from grading import samples

#: pip resolves and installs otter-grader's whole tree (about 100 packages): minutes, not seconds,
#: on a loaded machine; the suite-wide 900 s limit would stop it half way
pytestmark = [pytest.mark.install, pytest.mark.grading, pytest.mark.timeout(2400)]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return install.build_wheel(tmp_path_factory.mktemp("wheel"))


def test_the_wheel_declares_the_grading_extra_and_carries_no_attacks(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "socialkit/course/grading/engine/protocol.py" in names
    assert not [n for n in names if n.endswith("samples.py")], "the attack catalogue stays in tests/"
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA")))
    requires = [line for line in metadata.decode().splitlines() if line.startswith("Requires-Dist:")]
    grading_extra = " ".join(line for line in requires if "extra == \"grading\"" in line)
    for package in ("otter-grader", "nbformat", "psutil", "markdown-it-py", "tqdm", "ipython"):
        assert package in grading_extra, f"{package} is not in the grading extra: {requires}"
    assert not any("otter" in line for line in requires if "extra ==" not in line), \
        "a student's install does not need otter"


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A new virtual environment with ``socialkit[grading]`` installed by pip."""
    python = install.new_venv(tmp_path_factory.mktemp("venv"))
    install.pip_install(python, "--constraint", assign.REPO / "requirements.txt",
                        f"socialkit[grading] @ {wheel.as_uri()}")
    return python


def test_socialkit_grade_from_the_installed_wheel_grades_a_class(venv, assign_dir, tmp_path):
    ag = load_autograder(available_assignments(assign_dir)[grading.CH1])
    subs = tmp_path / "class"
    make = lambda answered=None: samples.make_notebook(grading.CH1, answered, assign_dir)  # noqa: E731
    grading.write(make(), subs / "ann_ex1.ipynb")
    grading.write(make({"q1"}), subs / "bo_ex1.ipynb")
    grading.write(make(set()), subs / "cy_ex1.ipynb")
    env = install.clean_env(tmp_path)
    where = install.run([venv, "-c", "import socialkit, otter; print(socialkit.__file__)"], env=env,
                        cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(venv.parent.parent), f"socialkit came from {where}"
    install.run([venv.parent / "socialkit-grade", ag.path, subs, "--out", tmp_path / "out",
                 "--workers", "2", "--no-progress", "--timeout", "300", "--cell-timeout", "60"],
                env=env, cwd=tmp_path)
    with open(tmp_path / "out" / "grades.csv", encoding="utf-8", newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    assert {s: rows[s]["status"] for s in rows} == {"ann": "ok", "bo": "ok", "cy": "ok"}
    assert float(rows["ann"]["total"]) == ag.possible
    assert 0 < float(rows["bo"]["total"]) < ag.possible and float(rows["cy"]["total"]) == 0
    assert os.path.exists(tmp_path / "out" / "feedback" / "ann.md")

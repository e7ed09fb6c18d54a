"""The autograder zips on Gradescope, run the way Gradescope runs them.

Gradescope builds one image per assignment from the zip: it unpacks the zip into
``/autograder/source`` and runs its ``setup.sh``, which creates the grading environment from the
zip's ``environment.yml`` (``mamba env create -f environment.yml`` in otter's template
``otter/generate/templates/python/setup.sh``). For each submission it puts the student's files
in ``/autograder/submission`` and runs ``/autograder/run_autograder``, which runs the zip's
``run_otter.py``: otter's own ``otter.run.run_autograder.main("/autograder")``. Gradescope then
shows ``/autograder/results/results.json``.

Here, once per test run, an "image": a new virtual environment with NOTHING borrowed, of the
Python the zip names, with every dependency ``environment.yml`` lists installed by pip (the kit
only from the wheel inside the zip). Then each exercise's solution and its blank student notebook
are graded by otter's own ``main`` in Gradescope's folder layout, and so is one shortcut per
exercise (issue 19): the blank notebook with the answers of the book's public numbers typed in,
handed in by a student whose own numbers differ (Gradescope's ``submission_metadata.json`` names
them; the kit's otter plugin, ``socialkit/course/variants/otter_plugin.py``, supplies their
numbers), which must earn nothing. The one difference from
Gradescope: the layout sits under a temporary folder instead of ``/autograder`` (so the path of
the wheel in ``environment.yml`` is moved with it), and conda's packages come from PyPI.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

from socialkit.course import assign
from support import install
from support.install import clean_env, run

pytestmark = pytest.mark.grading

STEMS = sorted(assign.available_masters())
#: results.json as Gradescope reads it (Gradescope's "Autograder specifications": each test has a
#: name, a score no greater than its max_score, an output and a visibility of these four).
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


def environment(zip_path: Path) -> dict:
    with zipfile.ZipFile(zip_path) as zf:
        return yaml.safe_load(zf.read("environment.yml"))


def image_env(root: Path, image: Path) -> dict:
    """A fresh image's environment: its venv's Python first on PATH, HOME in ``root``, no
    repository, venv, Jupyter folder or matplotlib setting of ours in sight."""
    return clean_env(root, bin_first=image / "bin", mpl_backend=None)


@pytest.fixture(scope="module")
def zips(assigned_exercises) -> dict[str, Path]:
    return {stem: assigned_exercises[stem].autograder_zip for stem in STEMS}


def test_every_zip_names_the_kits_python_and_carries_the_kit(zips):
    environments = {stem: environment(z) for stem, z in zips.items()}
    first = environments[STEMS[0]]
    assert all(env == first for env in environments.values()), "one image should serve every exercise"
    conda = [d for d in first["dependencies"] if isinstance(d, str)]
    assert f"python={assign.GRADING_PYTHON}" in conda
    pip = next(d["pip"] for d in first["dependencies"] if isinstance(d, dict))
    assert set(assign.kit_requirements()) <= set(pip)
    for stem, zip_path in zips.items():
        with zipfile.ZipFile(zip_path) as zf:
            (wheel,) = [n for n in zf.namelist() if n.endswith(".whl")]
        assert f"{assign.GRADESCOPE_ROOT}/source/{wheel}" in pip, stem


@pytest.fixture(scope="module")
def image(zips, tmp_path_factory) -> tuple[Path, dict]:
    """A venv built as setup.sh builds Gradescope's environment from the zip (see above)."""
    env_spec = environment(zips[STEMS[0]])
    conda = [d for d in env_spec["dependencies"] if isinstance(d, str)]
    (python,) = [d.split("=", 1)[1] for d in conda if d.startswith("python=")]
    if f"{sys.version_info[0]}.{sys.version_info[1]}" != python:
        pytest.fail(f"the zip asks for Python {python}; the tests run on {sys.version}")
    root = tmp_path_factory.mktemp("image")
    with zipfile.ZipFile(zips[STEMS[0]]) as zf:
        (wheel,) = [n for n in zf.namelist() if n.endswith(".whl")]
        zf.extract(wheel, root / "source")
    home = root / "venv"
    image_python = install.new_venv(home, with_pip=True)
    pip = next(d["pip"] for d in env_spec["dependencies"] if isinstance(d, dict))
    moved = [p.replace(f"{assign.GRADESCOPE_ROOT}/source/", f"{root / 'source'}/") for p in pip]
    others = [d for d in conda if not d.startswith(("python=", "pip"))]  # conda's jupyter_server
    run([image_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *others, *moved],
        timeout=1200, env=image_env(root, home))
    return home, image_env(root, home)


#: the first user of a submission as Gradescope's submission_metadata.json lists them
#: (gradescope/autograder_samples issue 60 shows the real file: id, email, name, sid, assignment)
GRADESCOPE_USER = {"id": 233634, "email": "s1001@example.edu", "name": "Sam One", "sid": "s1001",
                   "assignment": {"release_date": "2026-09-01T09:00:00.000000-07:00"}}


def gradescope(image, zip_path: Path, notebook: Path, where: Path, users=()) -> dict:
    """Grade ``notebook`` in Gradescope's layout with otter's own main(); results.json.
    ``users``: the submitters Gradescope's submission metadata lists."""
    home, env = image
    root = where / "autograder"
    for folder in ("source", "submission", "results"):
        (root / folder).mkdir(parents=True)
    (root / "submission_metadata.json").write_text(json.dumps(
        {"id": 87184652, "users": list(users), "created_at": "2026-12-06T01:00:00.000000-08:00",
         "assignment": {"id": 1482034, "title": zip_path.stem}, "previous_submissions": []}))
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(root / "source")
        run_otter = zf.read("run_otter.py").decode()
    assert f'run_autograder("{assign.GRADESCOPE_ROOT}")' in run_otter  # what Gradescope calls
    shutil.copy(notebook, root / "submission" / notebook.name)
    driver = f"from otter.run.run_autograder import main; main({str(root)!r})"
    for attempt in (1, 2):  # a kernel that does not start (port race) is retried once
        try:
            run([str(home / "bin" / "python"), "-c", driver], cwd=where, env=env, timeout=300)
            break
        except subprocess.TimeoutExpired:
            if attempt == 2:
                raise
    results = json.loads((root / "results" / "results.json").read_text())
    for test in results["tests"]:
        assert test.get("visibility", "visible") in VISIBILITIES, test
        assert isinstance(test.get("output", ""), str)
        if test.get("max_score") is not None:
            assert 0 <= test["score"] <= test["max_score"], test
    return results


def autograded_points(stem: str) -> dict[str, float]:
    return {q.name: q.points for q in assign.read_questions(assign.MASTERS_DIR / f"{stem}.ipynb")
            if not q.manual}


def per_question(results: dict) -> dict[str, tuple[float, float]]:
    return {t["name"]: (t["score"], t["max_score"]) for t in results["tests"]
            if t.get("max_score")}


@pytest.mark.parametrize("stem", STEMS)
def test_the_solution_gets_full_marks_on_gradescope(stem, image, assigned_exercises, tmp_path):
    o = assigned_exercises[stem]
    results = gradescope(image, o.autograder_zip, o.autograder_notebook, tmp_path)
    scores = per_question(results)
    assert {q: max_ for q, (_, max_) in scores.items()} == autograded_points(stem)
    assert all(score == max_ for score, max_ in scores.values()), scores
    assert all("passed" in t["output"] for t in results["tests"] if t["name"] in scores)


@pytest.mark.parametrize("stem", STEMS)
def test_the_blank_notebook_scores_zero_on_gradescope(stem, image, assigned_exercises, tmp_path):
    o = assigned_exercises[stem]
    results = gradescope(image, o.autograder_zip, o.student_notebook, tmp_path)
    scores = per_question(results)
    assert set(scores) == set(autograded_points(stem))
    assert all(score == 0 for score, _ in scores.values()), scores
    # Gradescope shows each question's feedback: a failing question says what failed.
    assert all(t["output"].strip() for t in results["tests"] if t["name"] in scores)


@pytest.mark.parametrize("stem", STEMS)
def test_a_shortcut_scores_zero_on_gradescope(stem, image, assigned_exercises, tmp_path):
    """The blank notebook with the public numbers' answers typed in (what a student copying the
    book or the solutions appendix hands in), graded as Gradescope's student s1001, earns nothing:
    the plugin gives the notebook and the tests s1001's own numbers."""
    from support import variants as proofs
    from support.variant_class import typed_cell, value_answers

    o = assigned_exercises[stem]
    typed = value_answers(stem, proofs.solution_namespace(stem, proofs.PUBLIC))
    assert typed, f"{stem}: no autograded value to type in"
    nb = nbformat.read(o.student_notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(typed_cell(typed)))
    submission = tmp_path / "submission" / o.student_notebook.name
    submission.parent.mkdir()
    nbformat.write(nb, submission)
    results = gradescope(image, o.autograder_zip, submission, tmp_path / "gs", users=[GRADESCOPE_USER])
    scores = per_question(results)
    assert set(scores) == set(autograded_points(stem))
    assert all(score == 0 for score, _ in scores.values()), scores
    assert "student id s1001 (from Gradescope's student id (sid))" in results.get("output", "")


def test_the_kit_comes_from_the_wheel_in_the_zip(image, tmp_path):
    home, env = image
    where = run([str(home / "bin" / "python"), "-c", "import socialkit; print(socialkit.__file__)"],
                cwd=tmp_path, env=env).stdout.strip()
    assert Path(where).is_relative_to(home), where


def test_private_seeds_are_readable_on_gradescope_as_the_guide_warns(image, tmp_path):
    """Gradescope (and ``otter run``) execute the notebook beside the tests: private held-out
    seeds cannot be hidden from its code there. The instructor guide says so; if this ever
    stops being true, the guide's warning should change with it."""
    from socialkit.course import heldout

    stem = "05-be-social-not-a-billboard"
    master = assign.MASTERS_DIR / f"{stem}.ipynb"
    private = {name: [4_000_000_000 - i for i in range(len(seeds))]
               for name, seeds in heldout.declared_in(master).items()}
    o = assign.assign(master, tmp_path / "assigned", private=private)
    nb = nbformat.read(o.autograder_notebook, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import pathlib\n"
        "pathlib.Path('../results/leak.txt').write_text(\n"
        "    '\\n'.join(p.read_text() for p in pathlib.Path('tests').glob('*.py')))"))
    submission = tmp_path / "submission" / o.autograder_notebook.name
    submission.parent.mkdir()
    nbformat.write(nb, submission)
    gradescope(image, o.autograder_zip, submission, tmp_path / "gs")
    leak = (tmp_path / "gs" / "autograder" / "results" / "leak.txt").read_text()
    assert str(4_000_000_000) in leak

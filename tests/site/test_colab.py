"""The Colab set-up cell: a no-op everywhere but Colab; on Colab it installs the pinned kit and
prepares an exercise's tests; applying it to the notebooks is idempotent and keeps otter working."""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest

from socialkit.site import colab

ROOT = Path(__file__).resolve().parents[2]
REL = colab.Release("https://github.com/customers-not-channels/customers-not-channels", "v0.1.0")
LESSON = ROOT / "notebooks" / "01-ignorance-arrogance-irrelevance.ipynb"
MASTER = ROOT / "exercises" / "01-ignorance-arrogance-irrelevance.ipynb"
STUDENT = "exercises/student/01-ignorance-arrogance-irrelevance/01-ignorance-arrogance-irrelevance.ipynb"


def lesson_source():
    return colab.setup_source(REL, [colab.pinned(p) for p in colab.LESSON_PACKAGES])


def exercise_source():
    return colab.setup_source(REL, [colab.pinned(p) for p in colab.EXERCISE_PACKAGES], STUDENT)


class Recorder:
    """Stands in for subprocess.run and fetch_exercise: records calls, answers like pip."""

    def __init__(self, returncode=0, stderr=""):
        self.calls, self.fetched = [], []
        self.returncode, self.stderr = returncode, stderr

    def run(self, command, **kwargs):
        self.calls.append(command)
        return subprocess.CompletedProcess(command, self.returncode, "", self.stderr)

    def fetch(self, raw_base, exercise):
        self.fetched.append((raw_base, exercise))


@pytest.fixture
def on_colab(monkeypatch):
    """Pretend to be Colab: google.colab loaded, socialkit not installed, pip recorded."""
    rec = Recorder()
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    real = importlib.util.find_spec
    monkeypatch.setattr("importlib.util.find_spec",
                        lambda name, *a: None if name == "socialkit" else real(name, *a))
    monkeypatch.setattr(subprocess, "run", rec.run)
    monkeypatch.setattr(colab, "fetch_exercise", rec.fetch)
    return rec


# --- the cell's behaviour --------------------------------------------------------------------
@pytest.mark.parametrize("source", [lesson_source(), exercise_source()])
def test_elsewhere_the_cell_does_nothing(source, monkeypatch, capsys):
    assert "google.colab" not in sys.modules
    rec = Recorder()
    monkeypatch.setattr(subprocess, "run", rec.run)
    monkeypatch.setattr(colab, "fetch_exercise", rec.fetch)
    exec(compile(source, "<colab cell>", "exec"), {})
    assert rec.calls == [] and rec.fetched == [] and capsys.readouterr().out == ""


def test_on_colab_a_lesson_installs_the_pinned_kit_quietly(on_colab, capsys):
    exec(compile(lesson_source(), "<colab cell>", "exec"), {})
    (command,) = on_colab.calls
    assert command[:5] == [sys.executable, "-m", "pip", "install", "--quiet"]
    assert command[-2:] == [
        "socialkit @ git+https://github.com/customers-not-channels/customers-not-channels@v0.1.0",
        colab.pinned("jupyterquiz")]
    assert colab.pinned("jupyterquiz") == "jupyterquiz==2.9.6.4"
    assert on_colab.fetched == []
    assert capsys.readouterr().out.strip().endswith("the helper package is installed.")


def test_on_colab_an_exercise_also_installs_otter_and_fetches_its_tests(on_colab):
    exec(compile(exercise_source(), "<colab cell>", "exec"), {})
    (command,) = on_colab.calls
    assert command[-1] == "otter-grader==7.0.0" and colab.pinned("otter-grader") == command[-1]
    assert on_colab.fetched == [(
        "https://raw.githubusercontent.com/customers-not-channels/customers-not-channels/v0.1.0",
        STUDENT)]


def test_on_colab_with_the_kit_installed_nothing_is_installed_again(on_colab, monkeypatch):
    monkeypatch.setattr("importlib.util.find_spec", lambda name, *a: object())
    exec(compile(exercise_source(), "<colab cell>", "exec"), {})
    assert on_colab.calls == [] and len(on_colab.fetched) == 1


def test_a_failed_install_says_why(on_colab):
    on_colab.returncode, on_colab.stderr = 1, "ERROR: Could not find a version (no network)"
    with pytest.raises(RuntimeError, match="Could not install the helper package.*no network"):
        exec(compile(lesson_source(), "<colab cell>", "exec"), {})


def test_the_cell_is_hidden_on_the_book_folded_in_lab_and_a_form_on_colab():
    cell = colab.setup_cell(REL, ["jupyterquiz==2.9.6.4"])
    assert cell.id == colab.SETUP_ID and cell.cell_type == "code"
    assert cell.metadata["tags"] == ["hide-cell", "remove-cell"]  # the book drops it
    assert cell.metadata["jupyter"] == {"source_hidden": True}
    assert cell.metadata["cellView"] == "form" and cell.source.startswith("# @title ")


# --- arguments -------------------------------------------------------------------------------
@pytest.mark.parametrize("url, ref, message", [
    ("https://gitlab.com/a/b", "v1", "GitHub repository address"),
    ("github.com/a/b", "v1", "GitHub repository address"),
    ("https://github.com/a/b", "", "ref must be"),
    ("https://github.com/a/b", "v1; rm -rf", "ref must be"),
    ("https://github.com/a/b", "../x", "ref must be"),
])
def test_release_checks_its_arguments(url, ref, message):
    with pytest.raises(ValueError, match=message):
        colab.Release(url, ref)


def test_release_forms():
    rel = colab.Release("https://github.com/o/r.git", "abc123")
    assert rel.pip_requirement == "socialkit @ git+https://github.com/o/r@abc123"
    assert rel.raw_base == "https://raw.githubusercontent.com/o/r/abc123"
    assert colab.release().ref == f"v{__import__('socialkit').__version__}"


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(rel="https://github.com/o/r"), TypeError, "rel must be a Release"),
    (dict(packages=["jupyterquiz"]), ValueError, "pinned as name==version"),
    (dict(packages=["x==1; echo"]), ValueError, "pinned as name==version"),
    (dict(exercise="exercises/01.ipynb"), ValueError, "exercises/student/<stem>/<stem>.ipynb"),
    (dict(exercise="exercises/student/a/b.ipynb"), ValueError, "exercises/student/<stem>"),
])
def test_setup_source_checks_its_arguments(kwargs, error, message):
    args = dict(rel=REL, packages=(), exercise=None) | kwargs
    with pytest.raises(error, match=message):
        colab.setup_source(args["rel"], args["packages"], args["exercise"])


def test_pinned_names_a_missing_pin():
    with pytest.raises(ValueError, match="not pinned"):
        colab.pinned("no-such-package")
    assert colab.pinned("JupyterQuiz").endswith("==2.9.6.4")  # names compared as pip does


# --- applying it -----------------------------------------------------------------------------
@pytest.fixture
def copies(tmp_path):
    """Copies of every lesson and master, in the repository's layout, as they were before the
    Colab cell was applied (the committed ones have it: ``--check`` keeps them so)."""
    for path in colab.notebooks(ROOT):
        target = tmp_path / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        nb = nbformat.read(path, as_version=4)
        nb.cells = [c for c in nb.cells if c.get("id") not in (colab.SETUP_ID, colab.OTTER_INIT_ID)]
        if "ASSIGNMENT CONFIG" in nb.cells[0].source:
            nb.cells[0].source = nb.cells[0].source.replace("init_cell: false", "init_cell: true")
        nbformat.write(nb, target)
    return tmp_path


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def without_ours(nb):
    return [(c.cell_type, c.source) for c in nb.cells
            if c.get("id") not in (colab.SETUP_ID, colab.OTTER_INIT_ID)
            and "ASSIGNMENT CONFIG" not in c.source]


def test_apply_to_every_notebook_is_idempotent_and_changes_nothing_else(copies):
    paths = colab.notebooks(copies)
    assert len(paths) >= 8
    before = {p: nbformat.read(p, as_version=4) for p in paths}
    assert all(colab.apply_to_notebook(p, REL, ROOT) for p in paths)
    once = {p: p.read_bytes() for p in paths}
    assert not any(colab.apply_to_notebook(p, REL, ROOT) for p in paths)
    assert once == {p: p.read_bytes() for p in paths}, "applying twice changed a notebook"
    for p in paths:
        nb = nbformat.read(p, as_version=4)
        assert without_ours(nb) == without_ours(before[p]), f"{p.name}: other cells changed"
        first = code_cells(nb)[0]
        assert first.id == colab.SETUP_ID, f"{p.name}: the Colab cell is not the first code cell"
        if p.parent.name == "notebooks":
            index = nb.cells.index(first)
            assert nb.cells[index - 1].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
            assert "fetch_exercise" not in first.source
        else:
            config = nb.cells[0].source
            assert "init_cell: false" in config and "init_cell: true" not in config
            assert nb.cells[1].id == colab.SETUP_ID and nb.cells[2].id == colab.OTTER_INIT_ID
            assert f'otter.Notebook("{p.stem}.ipynb")' in nb.cells[2].source
            assert f"exercises/student/{p.stem}/{p.stem}.ipynb" in first.source


def test_a_new_release_updates_the_cell_in_place(copies):
    path = copies / "notebooks" / LESSON.name
    colab.apply_to_notebook(path, REL, ROOT)
    assert colab.apply_to_notebook(path, colab.Release(REL.url, "v0.2.0"), ROOT)
    nb = nbformat.read(path, as_version=4)
    ours = [c for c in nb.cells if c.get("id") == colab.SETUP_ID]
    assert len(ours) == 1 and "@v0.2.0" in ours[0].source


def test_student_copies_are_refused(copies):
    student = copies / STUDENT
    student.parent.mkdir(parents=True)
    shutil.copy(ROOT / STUDENT, student)
    with pytest.raises(ValueError, match="generated student copy"):
        colab.apply_to_notebook(student, REL, ROOT)


def test_command_line_check_then_apply(copies, monkeypatch, capsys):
    paths = colab.notebooks(copies)
    monkeypatch.setattr(colab, "notebooks", lambda repo=None: paths)
    assert colab.main(["--check"]) == 1 and "needs the Colab cell" in capsys.readouterr().out
    assert colab.main([]) == 0
    assert colab.main(["--check"]) == 0
    assert colab.main(["--ref", "bad ref"]) == 2 and "ref must be" in capsys.readouterr().err


@pytest.mark.grading
def test_assign_puts_the_colab_cell_first_and_otter_init_second(copies, tmp_path_factory):
    """otter assign keeps the order: the student copy starts with set-up, then otter's own init."""
    from socialkit.course import assign

    master = copies / "exercises" / MASTER.name
    colab.apply_to_notebook(master, REL, ROOT)
    out = tmp_path_factory.mktemp("assigned")
    result = assign.assign(master, out)
    student = nbformat.read(result.student_notebook, as_version=4)
    committed = nbformat.read(ROOT / STUDENT, as_version=4)
    assert student.cells[0].id == colab.SETUP_ID and "google.colab" in student.cells[0].source
    assert "otter.Notebook(" in student.cells[1].source  # exactly otter's init cell
    assert student.cells[1].metadata.get("editable") is False
    assert [c.source for c in student.cells] == [c.source for c in committed.cells]
    # otter still grades as before: the solutions full marks, the blank student notebook zero
    solved = grade(result.autograder_zip, result.autograder_notebook, out / "solved")
    blank = grade(result.autograder_zip, result.student_notebook, out / "blank")
    assert solved and all(score == top for score, top in solved.values()), solved
    assert set(blank) == set(solved) and all(score == 0 for score, _ in blank.values()), blank


def grade(zip_path: Path, notebook: Path, out: Path) -> dict[str, tuple[float, float]]:
    """``otter run`` on one notebook: {question: (score, max score)}."""
    out.mkdir(parents=True)
    otter = Path(sys.executable).with_name("otter")
    proc = subprocess.run([str(otter), "run", "--no-logo", "-a", str(zip_path), str(notebook),
                           "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    tests = json.loads((out / "results.json").read_text())["tests"]
    return {t["name"]: (t["score"] or 0, t["max_score"]) for t in tests if t.get("max_score")}


# --- fetching an exercise's tests on Colab ---------------------------------------------------
def test_fetch_exercise_writes_the_notebook_and_its_public_tests(tmp_path, monkeypatch):
    written = colab.fetch_exercise(ROOT.as_uri(), STUDENT, tmp_path)
    nb = json.loads((ROOT / STUDENT).read_text(encoding="utf-8"))
    tests = nb["metadata"]["otter"]["tests"]
    assert written[0] == tmp_path / Path(STUDENT).name
    assert written[0].read_bytes() == (ROOT / STUDENT).read_bytes()
    assert sorted(p.stem for p in written[1:]) == sorted(tests)
    for name, source in tests.items():
        assert (tmp_path / "tests" / f"{name}.py").read_text(encoding="utf-8") == source
        assert "hidden=True" not in source  # the student copy never had the hidden tests

    # otter reads the test files (as on Colab) and checks an answer with them
    import otter

    monkeypatch.chdir(tmp_path)
    grader = otter.Notebook(Path(STUDENT).name)
    result = grader.check("q1", global_env={})
    assert not result.passed_all_public


def test_fetch_exercise_explains_a_failure(tmp_path):
    with pytest.raises(OSError, match="Could not fetch the exercise's tests"):
        colab.fetch_exercise((tmp_path / "nowhere").as_uri(), STUDENT, tmp_path)
    with pytest.raises(ValueError, match="exercises/student/<stem>/<stem>.ipynb"):
        colab.fetch_exercise(ROOT.as_uri(), "notebooks/01.ipynb", tmp_path)
    lesson = tmp_path / "repo" / STUDENT
    lesson.parent.mkdir(parents=True)
    shutil.copy(LESSON, lesson)  # a notebook without otter tests
    with pytest.raises(ValueError, match="no otter tests"):
        colab.fetch_exercise((tmp_path / "repo").as_uri(), STUDENT, tmp_path)


def test_every_notebook_has_the_current_colab_cell():
    """Run `python -m socialkit.site.colab` (then `python -m socialkit.course.assign`) if this fails."""
    stale = [p.relative_to(ROOT).as_posix() for p in colab.notebooks(ROOT)
             if colab.apply_to_notebook(p, colab.release(), ROOT, write=False)]
    assert not stale, ("notebooks without the current Colab set-up cell: " + ", ".join(stale)
                       + "; run `python -m socialkit.site.colab && python -m socialkit.course.assign`")

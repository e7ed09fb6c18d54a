"""The class grader (socialkit.course.grading): real otter, real kernels, real notebooks.

A class of submissions is generated from chapter 1's student notebook and otter's solutions
(``socialkit.course.grading.samples``) in a temporary folder: correct, partly answered, blank, and every
kind of trouble the issue lists. It is graded once (module fixture, 2 workers, short limits) and
each case's status and points are checked. Fast unit tests cover the naming rule, file checks,
score checks, atomic writes and the command line.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from socialkit.course.grading import batch, cli, identity, prepare, report, samples, store
from socialkit.course import assign
from socialkit.course.grading.autograder import available_assignments, load_autograder
from socialkit.course.grading.runner import Limits

CH1 = "01-ignorance-arrogance-irrelevance"
# short enough for a quick suite, long enough for a loaded 2-core machine
LIMITS = Limits(timeout=300, cell_timeout=15, test_timeout=5, memory_mb=1536, output_limit=200_000)


@pytest.fixture(scope="module")
def assign_dir(tmp_path_factory) -> Path:
    """Chapter 1 (and one other exercise, if there is one) assigned afresh into a temporary root,
    so the tests grade with the current masters and never write into the repository."""
    root = tmp_path_factory.mktemp("assign")
    masters = assign.available_masters()
    for stem in [CH1] + [s for s in masters if s != CH1][:1]:
        assign.assign(masters[stem], root)
    return root / assign.BUILD_SUBDIR


@pytest.fixture(scope="module")
def ag(assign_dir):
    return load_autograder(available_assignments(assign_dir)[CH1])


@pytest.fixture(scope="module")
def make(assign_dir):
    """make(answered=None, stem=CH1): a submission with those questions answered (None: all)."""
    return lambda answered=None, stem=CH1: samples.make_notebook(stem, answered, assign_dir)


def _insert_after_check(nb, question: str, source: str):
    """Insert a code cell right after the cell that runs grader.check(question)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and f'grader.check("{question}")' in cell.source:
            nb.cells.insert(i + 1, nbformat.v4.new_code_cell(source))
            return nb
    raise AssertionError(f"no check cell for {question}")


def _insert_before_check_all(nb, source: str):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "grader.check_all()" in cell.source:
            nb.cells.insert(i, nbformat.v4.new_code_cell(source))
            return nb
    nb.cells.append(nbformat.v4.new_code_cell(source))
    return nb


FAKE_GRADER = '''\
class _FakeGrader:
    def check(self, *args, **kwargs):
        return "q passed! 🎉"
    def check_all(self):
        return "All tests passed!"
grader = _FakeGrader()
'''

FAKE_TESTS = '''\
import glob
fake = """from otter.test_files import test_case
OK_FORMAT = False
name = "{name}"
points = 100
@test_case(points=None, hidden=False)
def always():
    pass
"""
for path in glob.glob("tests/*.py"):
    name = path.split("/")[-1][:-3]
    with open(path, "w") as f:
        f.write(fake.format(name=name))
'''

# every function defined so far never returns when called (an answer with an endless loop)
HANG = '''\
import types
for _name, _value in list(globals().items()):
    if isinstance(_value, types.FunctionType) and _value.__module__ == "__main__" and not _name.startswith("_"):
        globals()[_name] = lambda *args, **kwargs: next(x for x in iter(int, 1) if x)
'''


def _write(nb, path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def graded(ag, make, assign_dir, tmp_path_factory):
    """The whole class, graded once."""
    root = tmp_path_factory.mktemp("grading")
    subs = root / "submissions"
    correct = lambda: make()  # noqa: E731
    blank = lambda: make(set())  # noqa: E731
    _write(correct(), subs / f"correct_{CH1}.ipynb")
    _write(make({"q1"}), subs / "partial_ex1.ipynb")
    _write(blank(), subs / "blank_ex1.ipynb")
    _write(_insert_after_check(_insert_after_check(correct(), "q1", 'raise ValueError("a bug")'),
                               "q2", "import sys\nsys.exit(1)"), subs / "errors_ex1.ipynb")
    _write(_insert_after_check(correct(), "q1", "while True:\n    pass"), subs / "loop_ex1.ipynb")
    _write(_insert_after_check(correct(), "q1", HANG), subs / "hang_ex1.ipynb")
    _write(_insert_after_check(correct(), "q1", "import os\nos._exit(3)"), subs / "osexit_ex1.ipynb")
    _write(_insert_after_check(correct(), "q1", 'for i in range(300):\n    print("y" * 100_000)'),
           subs / "output_ex1.ipynb")
    _write(_insert_after_check(correct(), "q1", "hog = [bytearray(10**8) for _ in range(10**4)]"),
           subs / "memory_ex1.ipynb")
    (subs / "notjson_ex1.ipynb").write_text('{"cells": [ this is not json', encoding="utf-8")
    (subs / "pdf_ex1.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    other = next((s for s in available_assignments(assign_dir) if s != CH1), None)
    other_nb = make(stem=other) if other else correct()
    if not other:
        other_nb.metadata.otter.assignment_name = "another-assignment"
    _write(other_nb, subs / "other_ex1.ipynb")
    # correct answers pass their check cells, then grader and an answer are replaced
    cheat = _insert_after_check(correct(), "q1", FAKE_GRADER)
    _write(_insert_before_check_all(cheat, "bass_F = None"), subs / "cheater_ex1.ipynb")
    fake = blank()
    fake.cells.insert(1, nbformat.v4.new_code_cell(FAKE_GRADER))
    _write(fake, subs / "fakegrader_ex1.ipynb")
    # blank answers; the notebook's own tests (metadata) and the test files on disk made trivial
    tampered = blank()
    for name in list(tampered.metadata.otter.tests):
        tampered.metadata.otter.tests[name] = ("from otter.test_files import test_case\nOK_FORMAT = False\n"
                                               f'name = "{name}"\npoints = 100\n'
                                               "@test_case(points=None, hidden=False)\ndef ok():\n    pass\n")
    tampered.cells.insert(1, nbformat.v4.new_code_cell(FAKE_TESTS))
    _write(tampered, subs / "tamper_ex1.ipynb")
    _write(correct(), subs / "gina_first.ipynb")
    _write(blank(), subs / "gina_second.ipynb")
    _write(correct(), subs / "henry" / "work" / "anything.ipynb")
    _write(correct(), subs / f"{CH1}.ipynb")          # no student id: unidentified
    (subs / ".DS_Store").write_bytes(b"\0")
    out = root / "out"
    result = batch.grade_class(ag.path, subs, out, limits=LIMITS, workers=2, progress=False)
    return result, subs, out


def row(result, student):
    return result.by_student[student]


def points(result, student):
    r = row(result, student)
    return {q: r[q] for q in ("q1", "q2", "q3")}, r["total"]


FULL = {"q1": 4.0, "q2": 4.0, "q3": 3.0}


@pytest.mark.grading
def test_autograder_questions(ag):
    assert ag.assignment_name == CH1
    assert {q.name: q.points for q in ag.questions} == FULL
    assert all(q.hidden_cases >= 1 and q.public_cases >= 1 for q in ag.questions)


@pytest.mark.grading
@pytest.mark.parametrize("student, status, expected", [
    ("correct", "ok", FULL),
    ("partial", "ok", {"q1": 4.0, "q2": 0.0, "q3": 0.0}),
    ("blank", "ok", {"q1": 0.0, "q2": 0.0, "q3": 0.0}),
    ("errors", "ok", FULL),           # a cell that raises; sys.exit() is only an error in a kernel
    ("loop", "timeout", FULL),        # the endless cell is interrupted, the rest is graded
    ("osexit", "crashed", FULL),      # the cell that killed the kernel is skipped on a second try
    ("output", "ok", FULL),
    ("memory", "memory", FULL),
    ("henry", "ok", FULL),
    ("fakegrader", "ok", {"q1": 0.0, "q2": 0.0, "q3": 0.0}),
    ("tamper", "ok", {"q1": 0.0, "q2": 0.0, "q3": 0.0}),
])
def test_status_and_points(graded, student, status, expected):
    result = graded[0]
    r = row(result, student)
    assert r["status"] == status, r
    scores, total = points(result, student)
    assert scores == expected, r
    assert total == sum(expected.values())


@pytest.mark.grading
def test_answer_that_never_returns_fails_only_its_tests(graded):
    """Every function of q1 loops forever: q1's tests fail on their time limit, q2 is unharmed
    (q3 uses q1's function, so it loses points too), and the batch goes on."""
    r = row(graded[0], "hang")
    assert r["status"] == "timeout"
    assert r["q1"] == 0 and r["q2"] == 4 and r["total"] < 11
    assert "q1 (4)" in r["note"]  # all four q1 test cases stopped at their time limit


@pytest.mark.grading
def test_redefining_names_after_the_check_cell_does_not_keep_the_points(graded):
    """q1 passed its check cell, then grader was faked and bass_F replaced: the final state counts."""
    r = row(graded[0], "cheater")
    assert r["status"] == "ok"
    assert (r["q1"], r["q2"], r["q3"]) == (0, 4, 3)


@pytest.mark.grading
def test_files_that_cannot_be_graded(graded):
    result = graded[0]
    assert row(result, "notjson")["status"] == "not-a-notebook"
    assert "not valid JSON" in row(result, "notjson")["note"]
    assert row(result, "pdf")["status"] == "not-a-notebook"
    assert row(result, "other")["status"] == "wrong-assignment"
    for student in ("notjson", "pdf", "other"):
        assert row(result, student)["total"] == 0 and row(result, student)["q1"] is None


@pytest.mark.grading
def test_duplicates_and_unidentified_are_reported_not_merged(graded):
    result, _, out = graded
    gina = row(result, "gina")
    assert gina["status"] == "duplicate" and gina["total"] is None
    assert "gina_first.ipynb" in gina["note"] and "gina_second.ipynb" in gina["note"]
    problems = list(csv.DictReader(open(out / "problems.csv", encoding="utf-8")))
    kinds = {(p["kind"], p["file"]) for p in problems}
    assert ("duplicate", "gina_first.ipynb") in kinds and ("duplicate", "gina_second.ipynb") in kinds
    assert ("unidentified", f"{CH1}.ipynb") in kinds
    assert ("skipped", ".DS_Store") in kinds
    assert CH1 not in result.by_student
    assert len(result.records["gina"]) == 2  # both graded


@pytest.mark.grading
def test_no_score_above_what_tests_earned(graded, ag):
    result, _, out = graded
    for student, records in result.records.items():
        for record in records:
            if record.get("scores") is None:
                continue
            assert record["total"] == pytest.approx(sum(record["scores"].values()))
            for q in ag.questions:
                score = record["scores"][q.name]
                assert 0 <= score <= q.points
                cases = (record["questions"].get(q.name) or {}).get("cases", [])
                assert score <= sum(c["points"] for c in cases if c["passed"]) + 1e-9


@pytest.mark.grading
def test_outputs_written(graded, ag):
    result, _, out = graded
    rows = list(csv.DictReader(open(out / "grades.csv", encoding="utf-8")))
    assert [r["student"] for r in rows] == sorted((r["student"] for r in rows), key=str.casefold)
    assert rows[0].keys() >= {"student", "status", "q1", "q2", "q3", "total", "possible", "file", "note"}
    assert {r["student"]: r["total"] for r in rows}["correct"] == "11"
    assert (out / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(out.glob("**/*.tmp")) and not (out / ".work").exists()
    assert "students:" in result.table and "q1" in result.table


@pytest.mark.grading
def test_feedback_shows_public_results_but_hides_hidden_tests(graded, ag):
    out = graded[2]
    partial = (out / "feedback" / "partial.md").read_text(encoding="utf-8")
    assert "Hidden tests: 3 of 3 passed" in partial  # q1
    assert "Hidden tests: 0 of 3 passed" in partial  # q2
    assert "❌ failed" in partial
    every = "\n".join(p.read_text(encoding="utf-8") for p in (out / "feedback").glob("*.md"))
    zf = zipfile.ZipFile(ag.path)
    hidden_names = [line.split("(")[0][4:] for name in zf.namelist() if name.startswith("tests/")
                    for line in zf.read(name).decode().splitlines()
                    if line.startswith("def ") and "hidden" in line]
    assert hidden_names and not [n for n in hidden_names if n in every]
    assert "hidden=True" not in every


@pytest.mark.grading
def test_rerun_reuses_results_and_regrades_only_what_changed(graded, ag):
    result, subs, out = graded
    before = (out / "grades.csv").read_bytes()
    (out / "grades.csv").unlink()  # as if interrupted before the reports were written
    record = store.record_path(out, "blank", "blank_ex1.ipynb")
    record.unlink()                # ... and before this submission was stored
    again = batch.grade_class(ag.path, subs, out, limits=LIMITS, workers=2, progress=False)
    notebooks = sum(len(v) for k, v in result.records.items() if k != "pdf")
    assert again.graded == 1 and again.reused == notebooks - 1
    assert (out / "grades.csv").read_bytes() == before


@pytest.mark.grading
def test_zip_export_is_graded(ag, make, tmp_path):
    zpath = tmp_path / "export.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("ann_ex1.ipynb", nbformat.writes(make()))
        zf.writestr("bo_ex1.ipynb", "not a notebook")
    result = batch.grade_class(ag.path, zpath, tmp_path / "out", limits=LIMITS, workers=2, progress=False)
    assert row(result, "ann")["total"] == 11 and row(result, "bo")["status"] == "not-a-notebook"


# --- fast unit tests ---------------------------------------------------------------------------
@pytest.mark.parametrize("relpath, student", [
    ("smithjane_12345_67890_ex1.ipynb", "smithjane"),
    ("s001_01-ignorance.ipynb", "s001"),
    ("Jane Smith_123_assignsubmission_file_/ex1.ipynb", "Jane Smith_123_assignsubmission_file_"),
    ("s42/deep/folder/nb.ipynb", "s42"),
    ("01-ignorance-arrogance-irrelevance.ipynb", None),
    ("final.ipynb", None),
    ("_leading.ipynb", None),
])
def test_student_of(relpath, student):
    assert identity.student_of(relpath) == student


def test_id_pattern_must_name_a_student_group():
    with pytest.raises(ValueError, match="student"):
        identity.compile_pattern(r"^(\w+)_")
    with pytest.raises(ValueError, match="not a valid regular expression"):
        identity.compile_pattern(r"^(?P<student>")
    pattern = identity.compile_pattern(r"^\w+-(?P<student>\d+)")
    assert identity.student_of("hw-42_x.ipynb", (pattern,)) == "42"


def test_collect_groups_case_insensitively_and_skips_system_files(tmp_path):
    for rel in ("Ann_a.ipynb", "ann_b.ipynb", "bo/x.ipynb", "bo/notes.txt", "lonely.ipynb",
                "__MACOSX/._Ann_a.ipynb", "bo/.ipynb_checkpoints/x-checkpoint.ipynb"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}")
    found = identity.collect(tmp_path)
    assert found.students == ["Ann", "bo"]
    assert [s.relpath for s in found.by_student["Ann"]] == ["Ann_a.ipynb", "ann_b.ipynb"]
    assert found.unidentified == ["lonely.ipynb"]
    assert len(found.skipped) == 2


def test_extract_zip_refuses_unsafe_paths(tmp_path):
    zpath = tmp_path / "evil.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("../escape_x.ipynb", "{}")
    with pytest.raises(ValueError, match="unsafe path"):
        identity.extract_zip(zpath, tmp_path / "out")
    (tmp_path / "bad.zip").write_text("no zip")
    with pytest.raises(ValueError, match="not a readable zip"):
        identity.extract_zip(tmp_path / "bad.zip", tmp_path / "out2")


def test_inspect_sorts_out_files(tmp_path, make):
    nb = make(set())
    good = tmp_path / "a.ipynb"
    nbformat.write(nb, good)
    assert prepare.inspect(good, CH1).status is None
    assert prepare.inspect(good, "other").status == prepare.WRONG_ASSIGNMENT
    del nb.metadata["otter"]
    nbformat.write(nb, tmp_path / "b.ipynb")
    assert "no otter assignment name" in prepare.inspect(tmp_path / "b.ipynb", CH1).detail
    for name, text in [("c.ipynb", ""), ("d.ipynb", "[1, 2]"), ("e.ipynb", "{oops")]:
        (tmp_path / name).write_text(text)
        assert prepare.inspect(tmp_path / name, CH1).status == prepare.NOT_A_NOTEBOOK
    (tmp_path / "f.docx").write_bytes(b"PK")
    assert "docx" in prepare.inspect(tmp_path / "f.docx", CH1).detail


def test_graded_copy_adds_cells_and_skips(make):
    nb = make()
    copy = prepare.graded_copy(nb, test_timeout=3, pristine_tests="/x/tests", skip={2: "it hung"})
    assert len(copy.cells) == len(nb.cells) + 2
    assert copy.cells[0].metadata[prepare.CELL_KEY] == "setup"
    assert copy.cells[-1].metadata[prepare.CELL_KEY] == "final" and "/x/tests" in copy.cells[-1].source
    assert "skipped this cell: it hung" in copy.cells[3].source
    assert copy.metadata.kernelspec.name == "python3"
    assert nb.cells[2].source != copy.cells[3].source  # the original is unchanged


def _q(score, possible, passed):
    return {"score": score, "possible": possible,
            "cases": [{"points": 1.0, "passed": i < passed, "hidden": False} for i in range(int(possible))]}


def test_settle_scores_never_accepts_inflated_results(ag):
    ok = {"q1": _q(4, 4, 4), "q2": _q(1, 4, 1), "q3": _q(0, 3, 0)}
    assert batch.settle_scores(ag, ok) == ({"q1": 4, "q2": 1, "q3": 0}, "")
    assert batch.settle_scores(ag, {"q1": _q(2, 4, 2)})[0] == {"q1": 2, "q2": 0, "q3": 0}
    for bad in ({"q1": _q(5, 4, 4)}, {"q1": _q(4, 4, 2)}, {"q1": _q(-1, 4, 0)},
                {"q1": {**_q(4, 4, 4), "possible": 40}}):
        scores, why = batch.settle_scores(ag, bad)
        assert scores is None and why


def test_atomic_write_leaves_old_file_or_new_one(tmp_path):
    target = tmp_path / "grades.csv"
    store.atomic_write_text(target, "old")
    with pytest.raises(TypeError):
        store.atomic_write_bytes(target, object())  # fails while writing
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["grades.csv"]


@pytest.mark.parametrize("kwargs, message", [
    ({"timeout": 0}, "timeout must be"), ({"memory_mb": 10}, "memory-mb must be"),
    ({"cell_timeout": 100, "timeout": 50}, "cannot be longer"), ({"test_timeout": "x"}, "test-timeout"),
])
def test_limits_are_validated(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Limits(**kwargs)


def test_duplicate_row_has_no_score(ag):
    records = {"x": [{"relpath": "x_a.ipynb", "status": "ok", "total": 11.0, "scores": FULL},
                     {"relpath": "x_b.ipynb", "status": "ok", "total": 0.0, "scores": {}}]}
    (r,) = report.student_rows(records, ag)
    assert r["status"] == "duplicate" and r["total"] is None and r["q1"] is None


# --- the command line ------------------------------------------------------------------------
def test_cli_help():
    proc = subprocess.run([sys.executable, "-m", "socialkit.course.grading", "--help"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0
    assert "SUBMISSIONS" in proc.stdout and "--redo" in proc.stdout and "--timeout" in proc.stdout


@pytest.mark.parametrize("argv, message", [
    (["ZIP", "/no/such/folder"], "does not exist"),
    (["no-such-assignment", "."], "Unknown assignment"),
    (["/no/such/autograder.zip", "."], "does not exist"),
    (["ZIP", ".", "--memory", "5"], "memory-mb must be"),
    (["ZIP", ".", "--id-pattern", "(x)"], "named group"),
    (["ZIP", ".", "--workers", "0"], "--workers must be"),
])
def test_cli_bad_arguments_exit_2_with_a_message(argv, message, capsys, ag):
    """ASSIGNMENT is given as the autograder zip's path (ZIP), which the command also accepts."""
    assert cli.main([str(ag.path) if a == "ZIP" else a for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_console_script_is_declared():
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["socialkit-grade"] == "socialkit.course.grading.cli:main"
    script = Path(sys.executable).with_name("socialkit-grade")
    if script.exists():  # installed by `make setup` (pip install -e .)
        proc = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and "SUBMISSIONS" in proc.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_grade_without_arguments_prints_usage():
    proc = subprocess.run(["make", "grade"], cwd=Path(__file__).resolve().parent.parent,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "usage: make grade ASSIGNMENT=" in proc.stderr

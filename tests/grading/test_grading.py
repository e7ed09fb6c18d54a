"""The class grader (socialkit.course.grading): real otter, real kernels, real notebooks.

A class of submissions is generated from chapter 1's student notebook and otter's solutions
(``tests/grading/samples.py``) in a temporary folder: correct, partly answered, blank, and every
kind of trouble the issue lists. It is graded once (module fixture, 2 workers, short limits) and
each case's status and points are checked. Fast unit tests cover the naming rule, file checks,
score checks, atomic writes and the command line.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from socialkit.course.grading import batch, cli
from socialkit.course.grading.engine import runner, sandbox
from socialkit.course.grading.engine.runner import Limits
from socialkit.course.grading.intake import identity, prepare, records, store
from socialkit.course.grading.intake.autograder import available_assignments
from socialkit.course.grading.outputs import report
from support.grading import (CH1, FULL, insert_after_check, insert_before_check_all, namespaces,
                             processes_with, quick_limits, sha, write)
from grading import samples

LIMITS = quick_limits()

# assign_dir (every master assigned once per run) comes from tests/conftest.py; ag and make from
# tests/grading/conftest.py


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


NAMESPACES = namespaces()
#: the sleep duration a double-forked daemon runs with: a marker to find it on the machine
MARKER = f"{5000 + os.getpid() % 1000}.{time.time_ns() % 10**6:06d}"
#: attacks run on a blank notebook: none may earn a single point
BLANK_ATTACKS = ["patch-numpy", "patch-checks", "patch-otter", "import-hook", "fake-package",
                 "tamper-files", "forged-result", "liar", "overwrite-classmate"]
if NAMESPACES:  # it signals every process it can see: only ever inside a PID namespace
    BLANK_ATTACKS.append("kill-everyone")


@pytest.fixture(scope="module")
def graded(ag, make, assign_dir, tmp_path_factory):
    """The whole class, graded once: ordinary submissions, broken ones and hostile ones."""
    root = tmp_path_factory.mktemp("grading")
    subs = root / "submissions"
    out = root / "out"
    correct = lambda: make()  # noqa: E731
    blank = lambda: make(set())  # noqa: E731
    write(correct(), subs / f"correct_{CH1}.ipynb")
    write(make({"q1"}), subs / "partial_ex1.ipynb")
    write(blank(), subs / "blank_ex1.ipynb")
    write(insert_after_check(insert_after_check(correct(), "q1", 'raise ValueError("a bug")'),
                               "q2", "import sys\nsys.exit(1)"), subs / "errors_ex1.ipynb")
    write(insert_after_check(correct(), "q1", "while True:\n    pass"), subs / "loop_ex1.ipynb")
    write(insert_after_check(correct(), "q1", HANG), subs / "hang_ex1.ipynb")
    write(insert_after_check(correct(), "q1", "import os\nos._exit(3)"), subs / "osexit_ex1.ipynb")
    write(insert_after_check(correct(), "q1", 'for i in range(300):\n    print("y" * 100_000)'),
           subs / "output_ex1.ipynb")
    write(insert_after_check(correct(), "q1", "hog = np.ones(3 * 2**30, dtype=np.uint8)"),
           subs / "memory_ex1.ipynb")
    (subs / "notjson_ex1.ipynb").write_text('{"cells": [ this is not json', encoding="utf-8")
    (subs / "deep_ex1.ipynb").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    (subs / "pdf_ex1.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    other = next((s for s in available_assignments(assign_dir) if s != CH1), None)
    other_nb = make(stem=other) if other else correct()
    if not other:
        other_nb.metadata.otter.assignment_name = "another-assignment"
    write(other_nb, subs / "other_ex1.ipynb")
    # correct answers pass their check cells, then grader and an answer are replaced
    cheat = insert_after_check(correct(), "q1", FAKE_GRADER)
    write(insert_before_check_all(cheat, "bass_F = None"), subs / "cheater_ex1.ipynb")
    fake = blank()
    fake.cells.insert(1, nbformat.v4.new_code_cell(FAKE_GRADER))
    write(fake, subs / "fakegrader_ex1.ipynb")
    # blank answers; the notebook's own tests (metadata) and the test files on disk made trivial
    tampered = blank()
    for name in list(tampered.metadata.otter.tests):
        tampered.metadata.otter.tests[name] = ("from otter.test_files import test_case\nOK_FORMAT = False\n"
                                               f'name = "{name}"\npoints = 100\n'
                                               "@test_case(points=None, hidden=False)\ndef ok():\n    pass\n")
    tampered.cells.insert(1, nbformat.v4.new_code_cell(FAKE_TESTS))
    write(tampered, subs / "tamper_ex1.ipynb")
    # hostile notebooks (samples.ATTACKS), each on a blank notebook
    victim = subs / f"correct_{CH1}.ipynb"
    # without namespaces these writes would succeed (the grader's user): only aimed where they cannot
    targets = [str(ag.path), str(victim), str(out / "grades.csv"),
               str(assign_dir / CH1 / "autograder" / f"{CH1}.ipynb")] if NAMESPACES else []
    fields = {"targets": targets,
              "writes": [(str(victim), nbformat.writes(blank()).encode()),
                         (str(subs / "correct_planted.ipynb"), nbformat.writes(blank()).encode())],
              "marker": MARKER, "delay": 1.0}
    for attack in BLANK_ATTACKS:
        write(samples.insert_cell(blank(), samples.attack_cell(attack, **fields), position=2),
               subs / f"{attack.replace('-', '')}_ex1.ipynb")
    # hostile cells in otherwise correct notebooks
    write(samples.insert_cell(correct(), samples.attack_cell("die-while-answering")), subs / "dieanswering_ex1.ipynb")
    write(samples.insert_cell(correct(), samples.attack_cell("double-fork", **fields)), subs / "daemon_ex1.ipynb")
    write(samples.insert_cell(correct(), samples.attack_cell("leak-hidden-inputs")), subs / "leak_ex1.ipynb")
    write(samples.insert_cell(correct(), samples.attack_cell("ignore-time-limit"), after_check="q1"),
           subs / "slowpoke_ex1.ipynb")
    # odd files and names: each costs only its own row
    (subs / "symlink_ex1.ipynb").symlink_to(assign_dir / CH1 / "autograder" / f"{CH1}.ipynb")
    write(correct(), subs / os.fsdecode(b"J\xf6rg_ex1.ipynb"))
    write(blank(), subs / "J?rg_ex1.ipynb")
    write(blank(), subs / "J!rg_ex1.ipynb")
    write(correct(), subs / "=1+1_ex1.ipynb")
    write(correct(), subs / "gina_first.ipynb")
    write(blank(), subs / "gina_second.ipynb")
    write(correct(), subs / "henry" / "work" / "anything.ipynb")
    write(correct(), subs / f"{CH1}.ipynb")          # no student id: unidentified
    (subs / ".DS_Store").write_bytes(b"\0")
    before = {"zip": sha(ag.path), "victim": sha(victim)}
    result = batch.grade_class(ag.path, subs, out, limits=LIMITS, workers=2, progress=False)
    return result, subs, out, before


def row(result, student):
    return result.by_student[student]


def points(result, student):
    r = row(result, student)
    return {q: r[q] for q in ("q1", "q2", "q3")}, r["total"]


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
    assert "q1 (5)" in r["note"]  # all five q1 test cases stopped at their time limit


@pytest.mark.grading
def test_redefining_names_after_the_check_cell_does_not_keep_the_points(graded):
    """q1 passed its check cell, then grader was faked and bass_F replaced: the final state counts."""
    r = row(graded[0], "cheater")
    assert r["status"] == "ok"
    assert (r["q1"], r["q2"], r["q3"]) == (0, 4, 3)


@pytest.mark.grading
@pytest.mark.parametrize("attack", BLANK_ATTACKS)
def test_hostile_blank_notebooks_earn_nothing(graded, attack):
    """Patching numpy, the checks or otter, import hooks, a fake package, tampering with the
    test files, a forged result, liar objects, writing to a classmate's file, signalling every
    process: the judge never sees any of it, so a blank notebook stays at zero."""
    r = row(graded[0], attack.replace("-", ""))
    assert r["total"] == 0 and all(r[q] == 0 for q in FULL), r


@pytest.mark.grading
@pytest.mark.parametrize("student", ["correct", "henry", "output", "errors", "daemon", "=1+1",
                                     "J\\xf6rg"])
def test_no_classmate_loses_points(graded, student):
    r = row(graded[0], student)
    assert (r["q1"], r["q2"], r["q3"], r["total"]) == (4, 4, 3, 11), r


@pytest.mark.grading
def test_nothing_the_class_did_changed_the_grader_or_outlived_it(graded, ag):
    result, subs, out, before = graded
    assert processes_with(MARKER) == []
    if NAMESPACES:  # the class's files are out of reach; without namespaces the snapshot counts
        assert sha(ag.path) == before["zip"]
        assert sha(subs / f"correct_{CH1}.ipynb") == before["victim"]
        assert not (subs / "correct_planted.ipynb").exists()
    assert result.isolation.startswith(runner.isolation().kind)
    assert f"Isolation: {runner.isolation().kind}" in result.table


@pytest.mark.grading
def test_a_process_dying_while_it_hands_over_one_answer_costs_only_that_answer(graded):
    r = row(graded[0], "dieanswering")
    assert r["status"] == "crashed"
    # times_as_costly: its public test (no points) and its hidden test (one of q2's 4 points)
    assert (r["q1"], r["q2"], r["q3"]) == (4, 3, 3)
    assert "times_as_costly" in r["note"]


@pytest.mark.grading
def test_a_test_that_ran_past_its_limit_is_not_ok(graded):
    """bass_F ignores the interrupt and sleeps: each q1 test is stopped at its limit and fails."""
    r = row(graded[0], "slowpoke")
    assert r["status"] == "timeout"
    assert r["q1"] == 0 and r["q2"] == 4
    assert "q1 (5)" in r["note"]


@pytest.mark.grading
def test_feedback_names_each_hidden_test_but_never_its_inputs(graded, ag):
    out = graded[2]
    names = graded[0].feedback
    leak = (out / "feedback" / names["leak"]).read_text(encoding="utf-8")
    assert "bass_F on other p and q values: passed" in leak
    assert "ValueError" in leak  # the public test of q2 shows the student's own error ...
    for hidden in ("0.003", "0.9)", "25.0", "(7, 0.02", "q1_hidden", "linspace", "judge",
                   "cumulative_adoption(t, p, q)", "bass_F(t, {p}"):
        assert hidden not in leak  # ... which cannot carry a hidden test's inputs or code


@pytest.mark.grading
def test_odd_files_and_names_cost_only_their_own_row(graded):
    result, _, out, _ = graded
    assert row(result, "symlink")["status"] == "not-a-notebook"
    assert "symbolic link" in row(result, "symlink")["note"]
    assert row(result, "deep")["status"] == "not-a-notebook"
    assert row(result, "J?rg")["status"] == row(result, "J!rg")["status"] == "ok"
    names = result.feedback
    assert len(set(names.values())) == len(names) == len(result.rows)
    assert names["J?rg"] != names["J!rg"]
    assert all((out / "feedback" / n).is_file() for n in names.values())


@pytest.mark.grading
def test_no_csv_cell_starts_a_formula(graded):
    out = graded[2]
    for name in ("grades.csv", "problems.csv"):
        with open(out / name, encoding="utf-8", newline="") as f:
            cells = [c for line in csv.reader(f) for c in line]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))], name
    grades = list(csv.DictReader(open(out / "grades.csv", encoding="utf-8")))
    assert "'=1+1" in {r["student"] for r in grades}


@pytest.mark.grading
def test_grades_csv_is_checked_against_the_records(graded, ag):
    result, _, out, _ = graded
    report.check_grades(out / "grades.csv", result.records, ag)
    text = (out / "grades.csv").read_text(encoding="utf-8")
    (out / "grades.csv").write_text(text.replace(",11,", ",12,", 1), encoding="utf-8")
    try:
        with pytest.raises(report.GradesMismatch):
            report.check_grades(out / "grades.csv", result.records, ag)
    finally:
        (out / "grades.csv").write_text(text, encoding="utf-8")


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
    result, _, out, _ = graded
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
    result, _, out, _ = graded
    for student, recs in result.records.items():
        for record in recs:
            if record.get("scores") is None:
                continue
            assert record["total"] == pytest.approx(sum(record["scores"].values()))
            for q in ag.questions:
                score = record["scores"][q.name]
                assert 0 <= score <= q.points
                cases = (record["questions"].get(q.name) or {}).get("cases", [])
                # scores are kept to 6 decimals (records.settle_scores): 4 points over 3 cases
                # is 2.666667 for two of them
                assert score <= round(sum(c["points"] for c in cases if c["passed"]), 6) + 1e-9


@pytest.mark.grading
def test_outputs_written(graded, ag):
    result, _, out, _ = graded
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
    assert "Hidden tests: 4 of 4 passed" in partial  # q1
    assert "Hidden tests: 0 of 4 passed" in partial  # q2
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
    result, subs, out, _ = graded
    before = (out / "grades.csv").read_bytes()
    (out / "grades.csv").unlink()  # as if interrupted before the reports were written
    record = store.record_path(out, "blank", "blank_ex1.ipynb")
    record.unlink()                # ... and before this submission was stored
    again = batch.grade_class(ag.path, subs, out, limits=LIMITS, workers=2, progress=False)
    notebooks = sum(len(v) for k, v in result.records.items() if k not in ("pdf", "symlink"))
    assert again.graded == 1 and again.reused == notebooks - 1
    assert (out / "grades.csv").read_bytes() == before


@pytest.mark.grading
def test_zip_export_is_graded(ag, make, tmp_path):
    zpath = tmp_path / "export.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("ann_ex1.ipynb", nbformat.writes(make()))
        zf.writestr("bo_ex1.ipynb", "not a notebook")
        zf.writestr("../../evil_ex1.ipynb", nbformat.writes(make()))  # zip slip: only its own row
    result = batch.grade_class(ag.path, zpath, tmp_path / "out", limits=LIMITS, workers=2, progress=False)
    assert row(result, "ann")["total"] == 11 and row(result, "bo")["status"] == "not-a-notebook"
    assert "evil" not in result.by_student and not (tmp_path.parent / "evil_ex1.ipynb").exists()
    assert ("unsafe zip member", "../../evil_ex1.ipynb") in {(p["kind"], p["file"]) for p in result.problems}


# --- fast unit tests ---------------------------------------------------------------------------
@pytest.mark.parametrize("relpath, student", [
    ("smithjane_12345_67890_ex1.ipynb", "smithjane"),
    ("s001_01-ignorance.ipynb", "s001"),
    ("Jane Smith_123_assignsubmission_file_/ex1.ipynb", "Jane Smith (123)"),  # Moodle: name (id)
    ("Jane Smith_123_assignsubmission_file/ex1.ipynb", "Jane Smith (123)"),   # Moodle 4.1+
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


def test_extract_zip_skips_unsafe_members_and_keeps_the_rest(tmp_path):
    zpath = tmp_path / "evil.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("../escape_x.ipynb", "{}")
        zf.writestr("/abs_x.ipynb", "{}")
        link = zipfile.ZipInfo("link_x.ipynb")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
        zf.writestr("ann_x.ipynb", "{}")
    dest, problems = identity.extract_zip(zpath, tmp_path / "out")
    assert [p.name for p in dest.iterdir()] == ["ann_x.ipynb"]
    assert not (tmp_path / "escape_x.ipynb").exists()
    assert {p["file"] for p in problems} == {"../escape_x.ipynb", "/abs_x.ipynb", "link_x.ipynb"}
    assert all(p["kind"] == "unsafe zip member" for p in problems)
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


def test_code_cells_lists_every_code_cell_with_its_index(make):
    nb = make()
    cells = prepare.code_cells(nb)
    assert [i for i, _ in cells] == [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    assert any("def bass_F" in source for _, source in cells)


def _q(score, possible, passed):
    return {"score": score, "possible": possible,
            "cases": [{"points": 1.0, "passed": i < passed, "hidden": False} for i in range(int(possible))]}


def test_settle_scores_never_accepts_inflated_results(ag):
    ok = {"q1": _q(4, 4, 4), "q2": _q(1, 4, 1), "q3": _q(0, 3, 0)}
    assert records.settle_scores(ag, ok) == ({"q1": 4, "q2": 1, "q3": 0}, "")
    assert records.settle_scores(ag, {"q1": _q(2, 4, 2)})[0] == {"q1": 2, "q2": 0, "q3": 0}
    for bad in ({"q1": _q(5, 4, 4)}, {"q1": _q(4, 4, 2)}, {"q1": _q(-1, 4, 0)},
                {"q1": {**_q(4, 4, 4), "possible": 40}}):
        scores, why = records.settle_scores(ag, bad)
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

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["socialkit-grade"] == "socialkit.course.grading.cli:main"
    script = Path(sys.executable).with_name("socialkit-grade")
    if script.exists():  # installed by `make setup` (pip install -e .)
        proc = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0 and "SUBMISSIONS" in proc.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_grade_without_arguments_prints_usage():
    proc = subprocess.run(["make", "grade"], cwd=Path(__file__).resolve().parents[2],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "usage: make grade ASSIGNMENT=" in proc.stderr


# --- without namespaces: the session fallback, and records it can trust --------------------------
@pytest.fixture(scope="module")
def session_graded(ag, make, tmp_path_factory):
    """A small class graded twice with the fallback isolation forced: a notebook overwrites a
    classmate's file and plants a duplicate for them, a daemon rewrites grades.csv a few seconds
    after the batch, another double-forks; between the runs a forged record is planted."""
    root = tmp_path_factory.mktemp("session")
    subs, out = root / "submissions", root / "out"
    blank_bytes = nbformat.writes(make(set())).encode()
    victim = subs / "vic_ex1.ipynb"
    write(make(), victim)
    write(make(set()), subs / "blankie_ex1.ipynb")
    marker = f"{6000 + os.getpid() % 1000}.{time.time_ns() % 10**6:06d}"
    fields = {"writes": [(str(victim), blank_bytes), (str(subs / "vic_extra.ipynb"), blank_bytes)],
              "targets": [str(out / "grades.csv"), str(out / "problems.csv")], "delay": 3.0,
              "marker": marker}
    spy = f"open({str(root / 'key-seen.txt')!r}, 'w').write(str(__import__('os').path.exists({str(out / store.KEY_FILE)!r})))"
    write(samples.insert_cell(make(set()), samples.attack_cell("overwrite-classmate", **fields) + spy, position=2),
           subs / "mallory_ex1.ipynb")
    write(samples.insert_cell(make(), samples.attack_cell("rewrite-grades-later", **fields)), subs / "later_ex1.ipynb")
    write(samples.insert_cell(make(), samples.attack_cell("double-fork", **fields)), subs / "daemon_ex1.ipynb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(sandbox.FORCE_VARIABLE, "session")
        first = batch.grade_class(ag.path, subs, out, limits=LIMITS, workers=2, progress=False)
        written = (out / "grades.csv").read_bytes()
        time.sleep(5)  # longer than the daemon waits before it rewrites grades.csv
        after_wait = (out / "grades.csv").read_bytes()
        leftover = processes_with(marker)
        forged = store.record_path(out, "blankie", "blankie_ex1.ipynb")
        record = json.loads(forged.read_text(encoding="utf-8"))
        record.update(status="ok", total=11.0, scores=FULL)
        forged.write_text(json.dumps(record), encoding="utf-8")
        second = batch.grade_class(ag.path, subs, out, limits=LIMITS, workers=2, progress=False)
    key_seen = (root / "key-seen.txt").read_text() if (root / "key-seen.txt").exists() else "not run"
    return {"first": first, "second": second, "written": written, "after_wait": after_wait,
            "leftover": leftover, "key_seen": key_seen, "subs": subs}


@pytest.mark.grading
def test_session_mode_is_reported(session_graded):
    assert session_graded["first"].isolation.startswith("session")


@pytest.mark.grading
def test_session_mode_a_classmate_overwriting_your_file_changes_nothing(session_graded):
    first, second = session_graded["first"], session_graded["second"]
    subs = session_graded["subs"]
    assert (subs / "vic_extra.ipynb").exists()      # the notebook could write there (same user) ...
    for result in (first, second):                  # ... but the snapshot and the manifest hold
        vic = row(result, "vic")
        assert (vic["status"], vic["total"]) == ("ok", 11), vic
    kinds = {(p["kind"], p["file"]) for p in first.problems}
    assert ("changed while grading", "vic_ex1.ipynb") in kinds
    assert ("changed while grading", "vic_extra.ipynb") in kinds
    assert len(second.records["vic"]) == 1          # no duplicate made of the planted file


@pytest.mark.grading
def test_session_mode_nothing_outlives_the_batch(session_graded):
    assert session_graded["leftover"] == []
    assert session_graded["after_wait"] == session_graded["written"]
    assert row(session_graded["first"], "later")["total"] == 11


@pytest.mark.grading
def test_session_mode_key_is_not_on_disk_while_notebooks_run_and_forged_records_are_regraded(session_graded):
    assert session_graded["key_seen"] == "False"
    second = session_graded["second"]
    blankie = row(second, "blankie")
    assert blankie["total"] == 0                     # the forged full-marks record was not believed
    assert second.graded >= 1


def test_record_key_is_kept_hidden_or_only_in_memory(tmp_path):
    hidden = store.RecordKey(tmp_path / "a", hidden=True)
    assert (tmp_path / "a" / store.KEY_FILE).stat().st_mode & 0o077 == 0
    again = store.RecordKey(tmp_path / "a", hidden=True)
    assert again.key == hidden.key and not again.fresh
    memory = store.RecordKey(tmp_path / "a", hidden=False)
    assert memory.key == hidden.key and not (tmp_path / "a" / store.KEY_FILE).exists()
    memory.release()
    assert store.RecordKey(tmp_path / "a", hidden=True).key == hidden.key
    record = store.sign({"student": "ann", "total": 3.0}, hidden.key)
    assert store.verify(record, hidden.key)
    assert not store.verify({**record, "total": 11.0}, hidden.key)
    assert not store.verify(record, b"another key")


# --- a grader that dies, a judge that dies -------------------------------------------------------
@pytest.mark.grading
@pytest.mark.skipif(not NAMESPACES, reason="resuming from signed records is tested where the key survives a kill")
def test_a_killed_grader_resumes_from_its_signed_records(ag, make, tmp_path):
    subs, out = tmp_path / "submissions", tmp_path / "out"
    for name in ("ann", "bo", "cy"):
        write(make(), subs / f"{name}_ex1.ipynb")
    write(insert_after_check(make(), "q1", "import time\ntime.sleep(600)"), subs / "zz_ex1.ipynb")
    cmd = [sys.executable, "-m", "socialkit.course.grading", str(ag.path), str(subs), "--out", str(out),
           "--workers", "1", "--no-progress", "--cell-timeout", "60", "--test-timeout", "5"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list((out / "results").glob("*.json"))) < 3:
        time.sleep(0.5)
    proc.kill()  # SIGKILL: no clean-up of its own
    proc.wait()
    stored = len(list((out / "results").glob("*.json")))
    assert stored >= 3
    time.sleep(3)  # its fork server, sandboxes and judge follow it
    assert not [p for p in processes_with("forkserver") if p.ppid() == 1]
    result = batch.grade_class(ag.path, subs, out, limits=Limits(timeout=120, cell_timeout=5, test_timeout=5),
                               workers=2, progress=False)
    assert result.reused >= 3
    assert [row(result, s)["total"] for s in ("ann", "bo", "cy")] == [11, 11, 11]
    assert row(result, "zz")["status"] == "timeout"
    assert not list(Path("/sys/fs/cgroup/pids").glob(f"socialkit-grading-{proc.pid}-*"))  # as root


@pytest.mark.grading
def test_a_judge_that_dies_is_retried_for_that_submission_alone(ag, make, tmp_path):
    """A test file that kills the judge's process the first time it runs: the submission is
    graded again (a grader-side failure), and the second judge finishes."""
    plan = runner.make_plan(ag)
    flag = tmp_path / "judge-died-once"
    plan.tests.append(("tests/q9.py", (
        "from otter.test_files import test_case\nOK_FORMAT = False\nname = 'q9'\npoints = 1\n"
        "@test_case(points=None, hidden=False)\ndef q9_crash_once():\n    import os\n"
        f"    if not os.path.exists({str(flag)!r}):\n        open({str(flag)!r}, 'w').close()\n"
        "        os._exit(3)\n")))
    nb = make()
    outcome = runner.grade_one(nbformat.writes(nb).encode(), prepare.code_cells(nb), plan, LIMITS)
    assert flag.exists() and outcome["attempts"] == 2
    assert outcome["status"] == "ok" and "judge" in outcome["detail"]
    assert {q: r["score"] for q, r in outcome["questions"].items()} == {**FULL, "q9": 1.0}

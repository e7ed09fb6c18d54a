"""A week's grading of a small class, run as an instructor runs it (``socialkit-grade``): exports
that guard the grades, feedback with the total first, one upload per platform, a summary that
counts the points given by hand (issue 23, items 2 and 3).

The class: Jane (Canvas's download name, every answer right) and Ana (Moodle's folder, one
question answered). Exercise 1 has one written answer (q4, 3 points) graded by hand.
"""
from __future__ import annotations

import contextlib
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from socialkit.course.grading import cli
from socialkit.course.grading.outputs import gradebook
from support import grading
from support.grading import answer_cell, read_rows, write

LIMITS = ["--timeout", "300", "--cell-timeout", "30", "--test-timeout", "10", "--memory", "1536",
          "--workers", "2", "--no-progress"]
JANE, ANA = "smithjane", "Ana Lopez (501)"   # Ana's id, read from Moodle's folder name
ANA_FOLDER = "Ana Lopez_501_assignsubmission_file_"


def _run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def week(ag, make, tmp_path_factory):
    root = tmp_path_factory.mktemp("week")
    subs = root / "subs"
    nb = make()
    nb.cells[answer_cell(nb)].source = "Join now and answer repair questions for three hours a week."
    write(nb, subs / "smithjane_12345_67890_exercise1.ipynb")
    write(make({"q1"}), subs / ANA_FOLDER / "exercise1.ipynb")
    rosters = root / "rosters"
    code, stdout, stderr = _run([ag.path, subs, "--out", root / "out", *LIMITS])
    assert code == 0, stdout + stderr
    return {"ag": ag, "subs": subs, "out": root / "out", "stdout": stdout,
            "canvas": grading.canvas_roster(rosters, ag.possible + 3),
            "moodle": grading.moodle_roster(rosters)}


@pytest.fixture
def out(week, tmp_path) -> Path:
    return Path(shutil.copytree(week["out"], tmp_path / "out"))


def _argv(week, out, *extra):
    return [week["ag"].path, week["subs"], "--out", out, *LIMITS, *extra]


def _fill(out: Path, points: dict[str, str]) -> None:
    grading.fill_manual(out / "by-question" / "manual.csv", points, comment="Clear and concrete.")


def test_feedback_gives_the_total_first_and_says_plainly_what_is_not_graded_yet(week):
    jane = (week["out"] / "feedback" / "smithjane.md").read_text(encoding="utf-8")
    first = jane.split("## ")[0]
    assert f"**Total so far: {week['ag'].possible:g} / {week['ag'].possible + 3:g} points**" in first
    assert "Not graded yet: Question 4: A reply to Maya (3 points)" in first
    assert jane.index("Total so far") < jane.index("### q1")


def test_with_written_answers_not_graded_the_export_refuses_by_default(week, out):
    code, stdout, stderr = _run(_argv(week, out, "--export", "canvas,moodle", "--roster", week["canvas"],
                                      "--roster", week["moodle"]))
    assert code == 2
    assert "not graded yet" in stderr and "smithjane (q4)" in stderr and "--ungraded partial" in stderr
    assert not (out / "grades-canvas.csv").exists() and not (out / "grades-moodle.csv").exists()
    assert "Change its points" not in stdout + stderr  # no points advice before any hand grading


def test_partial_totals_are_out_of_every_point_and_marked(week, out):
    possible = week["ag"].possible + 3
    code, stdout, stderr = _run(_argv(week, out, "--export", "canvas,moodle", "--ungraded", "partial",
                                      "--roster", week["canvas"], "--roster", week["moodle"]))
    assert code == 0, stdout + stderr
    canvas = grading.csv_table(out / "grades-canvas.csv")
    assert canvas[1][-1] == format(possible, "g")  # the roster's item is worth as much: no advice
    assert "Change its points" not in stdout + stderr
    moodle = {r[0]: r for r in grading.csv_table(out / "grades-moodle.csv")}
    assert "Points so far" in moodle["Jane"][-1] and "not graded yet: q4" in moodle["Jane"][-1]
    assert "Totals so far" in stdout


def test_leave_out_exports_only_the_students_graded_in_full(week, out):
    _fill(out, {JANE: "2,5"})
    code, stdout, stderr = _run(_argv(week, out, "--export", "moodle", "--ungraded", "leave-out",
                                      "--roster", week["moodle"]))
    assert code == 0, stdout + stderr
    rows = grading.csv_table(out / "grades-moodle.csv")[1:]
    assert [r[0] for r in rows] == ["Jane"]
    assert format(week["ag"].possible + 2.5, "g") == rows[0][-2]


def test_points_advice_only_when_the_roster_says_otherwise_and_the_exit_code_asks_to_act(week, out, tmp_path):
    _fill(out, {JANE: "3", ANA: "1"})
    wrong = grading.canvas_roster(tmp_path / "wrong", week["ag"].possible)  # worth 11, not 14
    code, stdout, stderr = _run(_argv(week, out, "--export", "canvas", "--roster", wrong))
    assert code == 1
    assert "Action needed" in stderr and "Change its points in Canvas" in stderr


def test_a_smaller_export_keeps_the_earlier_file_and_says_so(week, out):
    _fill(out, {JANE: "3", ANA: "1"})
    code, _, stderr = _run(_argv(week, out, "--export", "moodle", "--roster", week["moodle"]))
    assert code == 0, stderr
    full = (out / "grades-moodle.csv").read_bytes()
    assert len(grading.csv_table(out / "grades-moodle.csv")) == 3
    # the same export without the roster: Ana's folder name cannot be matched by Moodle
    code, _, stderr = _run(_argv(week, out, "--export", "moodle"))
    assert code == 1
    backups = sorted(out.glob("grades-moodle.*.csv"))
    assert len(backups) == 1 and backups[0].read_bytes() == full
    assert "had 2 student(s) and now has 1" in stderr and backups[0].name in stderr


def test_an_export_with_nobody_in_it_is_not_written(week, out):
    _fill(out, {JANE: "3", ANA: "1"})
    assert _run(_argv(week, out))[0] == 0  # the points merged into grades.csv
    (out / "grades-canvas.csv").write_text("earlier\n", encoding="utf-8")
    code = gradebook.main([str(out), "--export", "canvas", "--roster", str(week["moodle"])])
    assert code == 2  # a Moodle roster for a Canvas file: refused before anything is written
    only_ana = grading.write_csv(out / "r.csv", [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Exercise 1 (1)"],
        ["Nobody, Here", "1", "", "", "", ""]])
    assert gradebook.main([str(out), "--export", "canvas", "--roster", str(only_ana)]) == 1
    assert (out / "grades-canvas.csv").read_text(encoding="utf-8") == "earlier\n"


def test_graded_by_hand_the_feedback_total_summary_and_uploads_count_it(week, out):
    _fill(out, {JANE: "2,5", ANA: "1"})
    code, stdout, stderr = _run(_argv(week, out))
    assert code == 0, stdout + stderr
    possible = week["ag"].possible + 3
    jane = (out / "feedback" / "smithjane.md").read_text(encoding="utf-8")
    assert jane.splitlines()[4].startswith(f"**Total: {week['ag'].possible + 2.5:g} / {possible:g} points**")
    assert "Not graded yet" not in jane
    assert "q4*" in stdout and "totals of 2 of 2 students" in stdout
    with zipfile.ZipFile(out / "feedback-canvas.zip") as zf:
        assert zf.namelist() == ["smithjane_12345_67890_feedback.md"]
        assert zf.read(zf.namelist()[0]).decode() == jane
    with zipfile.ZipFile(out / "feedback-moodle.zip") as zf:
        assert zf.namelist() == ["Ana Lopez_501_assignfeedback_file_/feedback.md"]
    rows = {r["student"]: r for r in read_rows(out / "grades.csv")}
    assert rows[JANE]["total"] == format(week["ag"].possible + 2.5, "g")

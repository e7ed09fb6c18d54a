"""Gradebook export (socialkit.course.grading.outputs.gradebook): Canvas and Moodle import files.

One small class is graded for real once (module fixture, three notebooks run, the rest sorted
out without a kernel): Canvas-named files, a Moodle-named folder, a name starting with ``=``, a
PDF and a duplicate. Every export test reads that class's signed records and ``grades.csv``;
rosters are written as Canvas and Moodle export them. Tests that tamper work on a copy.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialkit.course.grading import batch, cli
from socialkit.course.grading.engine.runner import Limits
from socialkit.course.grading.intake.store import KEY_FILE
from socialkit.course.grading.outputs import gradebook, tables
from socialkit.course.grading.outputs.gradebook import GradebookError, export_gradebook as _export
from support import grading
from support.grading import CANVAS_ITEM, CH1, MOODLE_ITEM, write_csv as _write_csv

LIMITS = Limits(timeout=300, cell_timeout=30, test_timeout=10, memory_mb=1536)


def export_gradebook(*args, **kwargs):
    """The class's written answer (q4) is not graded in these tests, so they export the totals
    so far, marked (``--ungraded partial``); the guard itself is tested in test_export_guards.py."""
    return _export(*args, **{"ungraded": "partial", **kwargs})


@pytest.fixture(scope="module")
def graded(ag, make, tmp_path_factory):
    root = tmp_path_factory.mktemp("gradebook")
    subs, out = root / "submissions", root / "out"
    grading.gradebook_class(make, subs)
    result = batch.grade_class(ag.path, subs, out, limits=LIMITS, workers=2, progress=False)
    return result, subs


@pytest.fixture(scope="module")
def full(ag) -> float:
    """Every point of the exercise: autograded and the written answer's (graded by hand)."""
    from socialkit.course.grading.outputs.manual import questions_for

    return ag.possible + sum(q.points for q in questions_for(ag))


@pytest.fixture(scope="module")
def canvas_roster(graded, full, tmp_path_factory) -> Path:
    return grading.canvas_roster(tmp_path_factory.mktemp("rosters"), full)


@pytest.fixture(scope="module")
def moodle_roster(graded, tmp_path_factory) -> Path:
    return grading.moodle_roster(tmp_path_factory.mktemp("rosters"))


@pytest.fixture
def out_copy(graded, tmp_path) -> Path:
    """A copy of the graded class's output folder, to tamper with."""
    out = Path(shutil.copytree(graded[0].out_dir, tmp_path / "out"))
    for name in ("grades-canvas.csv", "grades-moodle.csv"):
        (out / name).unlink(missing_ok=True)
    return out


def _points(graded, student: str) -> str:
    return format(graded[0].by_student[student]["total"], "g")


# --- the class graded for real ---------------------------------------------------------------------
def test_the_class_is_graded_as_expected(graded, ag):
    rows = graded[0].by_student
    assert set(rows) == {"smithjane", "Ana Lopez (501)", "=hyde", "kimsu", "parkmin"}
    assert rows["smithjane"]["total"] == ag.possible
    assert 0 < rows["Ana Lopez (501)"]["total"] < ag.possible
    assert rows["=hyde"]["total"] == 0 and rows["kimsu"]["status"] == "not-a-notebook"
    assert rows["parkmin"]["status"] == "duplicate"


# --- Canvas ---------------------------------------------------------------------------------------
def test_canvas_with_roster_matches_the_documented_columns(graded, canvas_roster, ag, full):
    result = export_gradebook(graded[0].out_dir, "canvas", [canvas_roster])
    table = grading.csv_table(graded[0].out_dir / "grades-canvas.csv")
    assert table == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", CANVAS_ITEM],
        ["    Points Possible", "", "", "", "", f"{full:g}"],
        ["Su, Kim", "45678", "S1004", "ksu", "Section A", "0"],
        ["Smith, Jane", "12345", "S1001", "jsmith", "Section A", _points(graded, "smithjane")],
    ]
    left = result.left_out["canvas"]
    assert set(left) == {"parkmin", "Ana Lopez (501)", "=hyde"}
    assert "duplicate" in left["parkmin"] and "not in the roster" in left["Ana Lopez (501)"]
    # an id cell is never altered: one that a spreadsheet would run is reported, not neutralised
    assert "'=Hyde, Edward'" in left["=hyde"] and "formula" in left["=hyde"]
    assert result.not_submitted["canvas"] == ["Absent, Amy"]     # Test Student skipped
    text = "\n".join(result.messages())
    assert "Absent, Amy" in text and "Ana Lopez" in text and "2 student(s)" in text
    assert not any("worth" in note for note in result.notes)


def test_canvas_without_roster_uses_the_user_id_in_canvas_file_names(graded):
    result = export_gradebook(graded[0].out_dir, ["canvas"])
    table = grading.csv_table(result.files["canvas"])
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", CH1]
    assert table[2:] == [["kimsu", "45678", "", "", "", "0"],
                         ["smithjane", "12345", "", "", "", _points(graded, "smithjane")]]
    assert "formula" in result.left_out["canvas"]["=hyde"]
    assert "no Canvas user id" in result.left_out["canvas"]["Ana Lopez (501)"]


def test_canvas_points_mismatch_and_chosen_item(graded, canvas_roster, tmp_path):
    rows = grading.csv_table(canvas_roster)
    rows[1][6] = "25"
    roster = _write_csv(tmp_path / "canvas.csv", rows)
    result = export_gradebook(graded[0].out_dir, "canvas", [roster], item="Quiz 1 (555)")
    assert grading.csv_table(result.files["canvas"])[0][-1] == "Quiz 1 (555)"
    result = export_gradebook(graded[0].out_dir, "canvas", [roster])
    assert any("worth 25 points" in note for note in result.must_act)  # advice: the instructor must act


def test_two_of_our_students_on_one_roster_row_are_both_left_out(graded, canvas_roster, tmp_path):
    rows = grading.csv_table(canvas_roster)
    del rows[2], rows[3]  # Smith, Jane and Su, Kim; the new row fits smithjane (name) and kimsu (login)
    rows.append(["Smith, Jane", "77777", "S1010", "kimsu", "Section A", "", "", "", "", "", ""])
    result = export_gradebook(graded[0].out_dir, "canvas", [_write_csv(tmp_path / "c.csv", rows)])
    left = result.left_out["canvas"]
    assert "fit one roster student" in left["kimsu"] and "fit one roster student" in left["smithjane"]
    # nobody could be exported: no file (an empty one would replace a good one), and it says so
    assert "canvas" not in result.files and "formula" in left["=hyde"]
    assert any("not written" in m for m in result.must_act)


# --- Moodle ---------------------------------------------------------------------------------------
def test_moodle_with_roster(graded, moodle_roster):
    result = export_gradebook(graded[0].out_dir, "moodle", [moodle_roster])
    table = grading.csv_table(graded[0].out_dir / "grades-moodle.csv")
    feedback = "Assignment: Exercise 1 - ignorance, arrogance, irrelevance (Feedback)"
    assert table[0] == ["First name", "Last name", "ID number", "Email address", MOODLE_ITEM, feedback]
    body = {r[3]: r for r in table[1:]}
    assert set(body) == {"ana.lopez@example.edu", "su.kim@example.edu", "jane.smith@example.edu"}
    assert body["jane.smith@example.edu"][:5] == ["Jane", "Smith", "M02", "jane.smith@example.edu",
                                                  _points(graded, "smithjane")]
    ana = body["ana.lopez@example.edu"]
    assert ana[4] == _points(graded, "Ana Lopez (501)")
    assert ana[5].startswith(f"Points so far: {ana[4]} of ") and "q1 " in ana[5]
    assert "not a readable Jupyter notebook" in body["su.kim@example.edu"][5]
    assert "not in the roster" in result.left_out["moodle"]["=hyde"]
    assert result.not_submitted["moodle"] == ["Amy Absent"]


def test_moodle_without_roster(graded):
    result = export_gradebook(graded[0].out_dir, "moodle")
    table = grading.csv_table(result.files["moodle"])
    assert table[0] == ["Username", CH1, f"{CH1} (Feedback)"]
    assert [r[0] for r in table[1:]] == ["kimsu", "smithjane"]
    assert "formula" in result.left_out["moodle"]["=hyde"]
    assert "full name" in result.left_out["moodle"]["Ana Lopez (501)"]


def test_moodle_name_that_fits_two_students(graded, moodle_roster, tmp_path):
    rows = grading.csv_table(moodle_roster)
    rows.append(["Jane", "Smith", "M22", "", "", "jane.smith2@example.edu", "-", "-", "1764000000"])
    result = export_gradebook(graded[0].out_dir, ["moodle"], [_write_csv(tmp_path / "m.txt", rows, "\t")])
    assert "fits 2 students" in result.left_out["moodle"]["smithjane"]


# --- merged totals and the records -----------------------------------------------------------------
def test_extra_point_columns_in_grades_csv_are_exported_as_merged(graded, out_copy):
    """Points merged into grades.csv by hand (a column before total) count; the autograded points
    are still checked against the records."""
    path = out_copy / "grades.csv"
    table = grading.csv_table(path)
    header = table[0]
    at = header.index("total")
    table = [row[:at] + ["manual" if i == 0 else ""] + row[at:] for i, row in enumerate(table)]
    jane = next(r for r in table if r[0] == "smithjane")
    jane[at] = "4"
    jane[at + 1] = format(float(jane[at + 1]) + 4, "g")
    _write_csv(path, table)
    result = export_gradebook(out_copy, "canvas")
    assert grading.csv_table(result.files["canvas"])[-1][-1] == format(graded[0].by_student["smithjane"]["total"] + 4, "g")


@pytest.mark.parametrize("column", ["total", "q1", "status"])
def test_grades_csv_not_backed_by_its_records_is_refused(out_copy, column):
    path = out_copy / "grades.csv"
    table = grading.csv_table(path)
    at = table[0].index(column)
    jane = next(r for r in table if r[0] == "smithjane")
    jane[at] = "timeout" if column == "status" else "99"
    _write_csv(path, table)
    with pytest.raises(GradebookError, match="re-run socialkit-grade"):
        export_gradebook(out_copy, "canvas")
    assert not (out_copy / "grades-canvas.csv").exists()


def test_forged_record_or_lost_key_is_refused(out_copy):
    record = next(p for p in (out_copy / "results").glob("smithjane-*.json"))
    data = json.loads(record.read_text())
    data["scores"] = {k: 0 for k in data["scores"]}
    record.write_text(json.dumps(data))
    with pytest.raises(GradebookError, match="no signed record"):
        export_gradebook(out_copy, "canvas")
    (out_copy / KEY_FILE).unlink()
    with pytest.raises(GradebookError, match="cannot be checked"):
        export_gradebook(out_copy, "canvas")


# --- bad arguments ----------------------------------------------------------------------------------
def test_bad_arguments(graded, canvas_roster, moodle_roster, tmp_path):
    out = graded[0].out_dir
    with pytest.raises(GradebookError, match="choose from canvas, moodle"):
        export_gradebook(out, "blackboard")
    with pytest.raises(GradebookError, match="Moodle gradebook export"):
        export_gradebook(out, "canvas", [moodle_roster])
    with pytest.raises(GradebookError, match="two Canvas rosters"):
        export_gradebook(out, "canvas", [canvas_roster, canvas_roster])
    odd = _write_csv(tmp_path / "odd.csv", [["name", "mark"], ["Jane", "3"]])
    with pytest.raises(GradebookError, match="neither a Canvas"):
        export_gradebook(out, "canvas", [odd])
    with pytest.raises(GradebookError, match="does not exist"):
        export_gradebook(out, "canvas", [tmp_path / "missing.csv"])
    (tmp_path / "latin1.csv").write_bytes("Student,ID\nJ\xf6rg,1\n".encode("latin-1"))
    with pytest.raises(GradebookError, match="UTF-8"):
        export_gradebook(out, "canvas", [tmp_path / "latin1.csv"])
    with pytest.raises(GradebookError, match="grade the class first"):
        export_gradebook(tmp_path, "canvas")


# --- command lines ----------------------------------------------------------------------------------
def test_module_command_line(graded, canvas_roster, moodle_roster, capsys):
    out = graded[0].out_dir
    assert gradebook.main([str(out), "--ungraded", "partial", "--roster", str(canvas_roster), "--roster", str(moodle_roster)]) == 0
    printed = capsys.readouterr().out
    assert "grades-canvas.csv: 2 student(s)" in printed and "grades-moodle.csv: 3 student(s)" in printed
    assert gradebook.main([str(out), "--export", "canvas", "--roster", str(moodle_roster)]) == 2
    assert "not written" in capsys.readouterr().err


def test_socialkit_grade_exports_after_grading(graded, ag, canvas_roster, capsys):
    result, subs = graded
    (result.out_dir / "grades-canvas.csv").unlink(missing_ok=True)
    # bad export arguments are refused before anything is graded (a --roster alone is not one:
    # it also names each student's numbers, see intake/variant_ids.py)
    assert cli.main([str(ag.path), str(subs), "-o", str(result.out_dir), "--lms-item", "Exercise 1 (67890)",
                     "--no-progress"]) == 2
    assert cli.main([str(ag.path), str(subs), "-o", str(result.out_dir), "--export", "d2l",
                     "--no-progress"]) == 2
    assert not (result.out_dir / "grades-canvas.csv").exists()
    # a re-run reuses every record, then exports
    code = cli.main([str(ag.path), str(subs), "-o", str(result.out_dir), "--export", "canvas",
                     "--roster", str(canvas_roster), "--workers", "2", "--no-progress",
                     "--ungraded", "partial"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "grades-canvas.csv: 2 student(s)" in printed and "analytics.html" in printed
    assert grading.csv_table(result.out_dir / "grades-canvas.csv")[0][-1] == CANVAS_ITEM


@given(st.text(max_size=12))
def test_every_text_cell_is_neutralised_and_read_back_as_it_was(text):
    """One rule (outputs/tables.py) for every table: what a spreadsheet would run gets a ', and
    reading the grader's own files back takes exactly that ' off (tab and CR included)."""
    row = tables.rows_bytes([[text, 1.5]]).decode()
    cell = next(csv.reader(io.StringIO(row, newline="")))[0]
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert tables.neutralise(text) == cell
    assert tables.plain_text(cell) == text


def test_points_given_by_hand_reach_the_export(graded, ag, out_copy, canvas_roster, moodle_roster):
    """The real round trip: socialkit-grade writes manual.csv, the instructor fills in a mark,
    the next run merges it into grades.csv and exports the merged total and possible."""
    subs = graded[1]
    argv = [str(ag.path), str(subs), "-o", str(out_copy), "--workers", "2", "--no-progress"]
    assert cli.main(argv) == 0
    manual = out_copy / "by-question" / "manual.csv"
    if not manual.exists():
        pytest.skip("this exercise has no question graded by hand")
    table = grading.csv_table(manual)
    header = table[0]
    row = next(r for r in table[1:] if r[header.index("student")] == "smithjane")
    worth = float(row[header.index("max points")])
    row[header.index("points")] = format(worth, "g")
    _write_csv(manual, table)
    assert cli.main(argv + ["--export", "canvas,moodle", "--ungraded", "partial", "--roster", str(canvas_roster),
                            "--roster", str(moodle_roster)]) == 0
    merged = graded[0].by_student["smithjane"]["total"] + worth
    canvas = grading.csv_table(out_copy / "grades-canvas.csv")
    assert canvas[1][-1] == format(ag.possible + sum(float(r[header.index("max points")]) for r in table[1:]
                                                     if r[header.index("student")] == "smithjane"), "g")
    assert next(r for r in canvas if r[0] == "Smith, Jane")[-1] == format(merged, "g")
    moodle = next(r for r in grading.csv_table(out_copy / "grades-moodle.csv") if r[0] == "Jane")
    assert moodle[4] == format(merged, "g")


# --- the rules of the platforms' importers --------------------------------------------------------
def test_a_moodle_id_column_with_a_blank_is_not_offered(graded, moodle_roster, tmp_path):
    """Moodle's import skips a row whose matching cell is blank and gives its grade to the student
    above (map_user_data_with_value, grade/import/csv/classes/load_data.php)."""
    rows = grading.csv_table(moodle_roster)
    rows[1][2] = ""  # Ana Lopez has no ID number
    result = export_gradebook(graded[0].out_dir, "moodle", [_write_csv(tmp_path / "m.csv", rows)])
    table = grading.csv_table(result.files["moodle"])
    assert table[0][:3] == ["First name", "Last name", "Email address"]
    assert all(len(r) == len(table[0]) and r[2] for r in table[1:])
    (note,) = [n for n in result.notes if "'ID number' is blank" in n]
    assert "Ana Lopez (501)" in note and "'Email address'" in note


def test_a_moodle_roster_in_another_language(graded, tmp_path):
    """Moodle's export in German: recognised by its layout, its own column names kept."""
    header = ["Vorname", "Nachname", "ID-Nummer", "Institution", "Abteilung", "E-Mail-Adresse",
              "Aufgabe: Exercise 1 - ignorance, arrogance, irrelevance (Punkte)", "Kurs gesamt (Punkte)",
              "Zuletzt aus diesem Kurs heruntergeladen"]
    roster = _write_csv(tmp_path / "de.csv", [header] + [
        [first, last, ident, "", "", email, "-", "-", "1764000000"] for first, last, ident, email in (
            ("Ana", "Lopez", "M01", "ana.lopez@example.edu"), ("Jane", "Smith", "M02", "jane.smith@example.edu"),
            ("Su", "Kim", "M04", "su.kim@example.edu"))], delimiter=";")
    result = export_gradebook(graded[0].out_dir, "moodle", [roster])
    table = grading.csv_table(result.files["moodle"])
    assert table[0] == ["Vorname", "Nachname", "ID-Nummer", "E-Mail-Adresse", header[6],
                        "Aufgabe: Exercise 1 - ignorance, arrogance, irrelevance (Feedback)"]
    assert len(table) == 4 and set(result.exported["moodle"]) == {
        "smithjane", "kimsu", "Ana Lopez (501)"}


def test_percentages_instead_of_points(graded, canvas_roster, moodle_roster, ag, full):
    result = export_gradebook(graded[0].out_dir, FORMATS_BOTH, [canvas_roster, moodle_roster],
                              scale="percent")
    canvas = grading.csv_table(result.files["canvas"])
    assert canvas[1][-1] == "100"
    ana = next(r for r in grading.csv_table(result.files["moodle"])[1:] if r[0] == "Ana")
    ana_points = graded[0].by_student["Ana Lopez (501)"]["total"]
    assert float(ana[4]) == pytest.approx(round(100 * ana_points / full, 2))
    assert ana[5].startswith(f"Points so far: {ana_points:g} of ")       # the feedback keeps the points
    assert any("percentages" in n for n in result.notes)
    assert any("worth" in n and "percentages" in n for n in result.must_act)  # Canvas item worth 14
    points = export_gradebook(graded[0].out_dir, "moodle", [moodle_roster])
    assert any(f"maximum grade must be {full:g}" in n for n in points.notes)
    with pytest.raises(GradebookError, match="unknown scale"):
        export_gradebook(graded[0].out_dir, "moodle", scale="grade")


FORMATS_BOTH = "canvas,moodle"


def test_a_canvas_roster_with_separate_names_semicolons_and_decimal_commas(graded, ag, tmp_path, full):
    """Canvas's importer accepts 'LastName, FirstName, ID' and ';'-separated files with decimal
    commas (app/models/gradebook_importer.rb); so does the roster reader."""
    roster = _write_csv(tmp_path / "c.csv", [
        ["LastName", "FirstName", "ID", "SIS User ID", "SIS Login ID", "Section", CANVAS_ITEM],
        ["    Points Possible", "", "", "", "", "", f"{full:.1f}".replace(".", ",")],
        ["Smith", "Jane", "12345", "S1001", "jsmith", "Section A", ""],
        ["Su", "Kim", "45678", "S1004", "ksu", "Section A", ""],
    ], delimiter=";")
    result = export_gradebook(graded[0].out_dir, "canvas", [roster])
    table = grading.csv_table(result.files["canvas"])
    assert table[0][-1] == CANVAS_ITEM
    assert table[2:] == [["Su, Kim", "45678", "S1004", "ksu", "Section A", "0"],
                         ["Smith, Jane", "12345", "S1001", "jsmith", "Section A", _points(graded, "smithjane")]]
    assert not any("worth" in n for n in result.must_act)  # 14,0 read as 14

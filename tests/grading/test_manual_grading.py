"""Written answers graded by question (socialkit.course.grading.outputs.manual).

One small class of chapter 1 is graded for real once (module fixture, three notebooks run through
``socialkit-grade``; a PDF is sorted out without a kernel): a full answer that tries to inject
HTML and runs past the length cap, a blank answer, and an answer with an extra code cell under
an id that starts a spreadsheet formula. Every other test reuses its signed records: re-runs
reuse them (no notebook runs again) except the one that adds a late submission. Unit tests cover
reading answers out of odd notebooks, the rubric lookup for every exercise, and manual.csv's
checks.
"""
from __future__ import annotations

import csv
import io
import html
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialkit.course import assign
from socialkit.course.grading import cli
from socialkit.course.grading.intake.store import KEY_FILE, load_record, record_path
from socialkit.course.grading.outputs import gradebook, manual, report
from socialkit.course.grading.outputs.manual import ManualQuestion
from support.grading import answer_cell, read_rows, write

LIMITS = ["--timeout", "300", "--cell-timeout", "30", "--test-timeout", "10", "--memory", "1536",
          "--workers", "2", "--no-progress"]
INJECTION = '<script>alert("x")</script><img src="https://tracker.example/p.png">'
ALICE = (f"Maya, waiting costs more than it seems. {INJECTION} The four-year loss is 0.46 "
         "relevance-years, ten times the one-year loss. " + "More words. " * 900)
CAROL = "We should join now and answer neighbours' repair questions for three hours a week."
CAROL_CODE = "print(times_as_costly)"
Q4 = ManualQuestion("q4", "Question 4: A reply to Maya", 3.0)


def _grade(subs: Path, out: Path, ag, *extra) -> tuple[int, str, str]:
    import contextlib
    import io

    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main([str(ag.path), str(subs), "--out", str(out), *LIMITS, *extra])
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture(scope="module")
def graded(ag, make, tmp_path_factory):
    root = tmp_path_factory.mktemp("manual")
    subs, out = root / "submissions", root / "out"
    nb = make()
    nb.cells[answer_cell(nb)].source = ALICE
    write(nb, subs / "alice" / "ex1.ipynb")
    write(make({"q1"}), subs / "bob" / "ex1.ipynb")                      # written answer left blank
    nb = make(set())
    i = answer_cell(nb)
    nb.cells[i].source = CAROL
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell(CAROL_CODE))         # a cell the student added
    write(nb, subs / "=carol" / "ex1.ipynb")
    (subs / "dave").mkdir()
    (subs / "dave" / "essay.pdf").write_bytes(b"%PDF-1.4\n")              # not a notebook
    code, stdout, stderr = _grade(subs, out, ag)
    assert code == 0, stdout + stderr
    return subs, out, stdout


@pytest.fixture
def copy(graded, tmp_path):
    """A copy of the graded output folder that a test may change."""
    _, out, _ = graded
    target = tmp_path / "out"
    shutil.copytree(out, target)
    return target


def _records(out: Path) -> dict[str, list[dict]]:
    key = bytes.fromhex((out / KEY_FILE).read_text().strip())
    found: dict[str, list[dict]] = {}
    for path in sorted((out / "results").glob("*.json")):
        record = load_record(path, key)
        if record is not None and "student" in record:
            found.setdefault(record["student"], []).append(record)
    return found


def _fill(path: Path, points: dict[str, str], comment: str = "") -> None:
    rows = read_rows(path)
    for row in rows:
        student = row["student"].lstrip("'")
        if student in points:
            row["points"], row["comment"] = points[student], comment or row["comment"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(manual.COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# --- the class, graded for real ---------------------------------------------------------------
def test_the_manual_question_comes_from_the_master(ag):
    assert manual.questions_for(ag) == (Q4,)
    assert "q4" not in ag.question_names


def test_answers_are_captured_into_the_signed_record(graded):
    _, out, _ = graded
    key = bytes.fromhex((out / KEY_FILE).read_text().strip())
    alice = load_record(record_path(out, "alice", "alice/ex1.ipynb"), key)
    assert alice is not None, "the record with the answers is signed"
    (cell,) = alice["written"]["q4"]["cells"]
    assert cell["kind"] == "markdown" and cell["text"].startswith("Maya, waiting")
    assert len(cell["text"]) == manual.MAX_CHARS and alice["written"]["q4"]["cut"] == len(ALICE) - manual.MAX_CHARS
    bob = load_record(record_path(out, "bob", "bob/ex1.ipynb"), key)
    assert bob["written"]["q4"] == {"found": True, "cells": [], "cut": 0, "words": 0}
    assert alice["written"]["q4"]["words"] == len(ALICE.split())
    carol = load_record(record_path(out, "=carol", "=carol/ex1.ipynb"), key)
    assert carol["written"]["q4"]["cells"] == [{"kind": "markdown", "text": CAROL},
                                               {"kind": "code", "text": CAROL_CODE}]


def test_one_page_per_question_with_every_answer_escaped_and_the_rubric(graded):
    _, out, stdout = graded
    page = (out / manual.FOLDER / "q4.html").read_text(encoding="utf-8")
    assert [p.name for p in (out / manual.FOLDER).glob("*.html")] == ["q4.html"]
    assert "Question 4: A reply to Maya" in page and "3 points" in page and "3 answers" in page
    # every student's answer, in id order, the PDF-only student left out
    labels = re.findall(r"<h3>(.*?)</h3>", page)
    assert labels == ["=carol", "alice", "bob"]
    assert html.escape(INJECTION, quote=True) in page and "<script>" not in page and "<img" not in page
    assert not re.search(r"<[^>]*(src|href)=\"?https?:", page)            # nothing loads from outside
    assert "default-src 'none'" in page
    assert "more characters in the notebook, not shown" in page and f"{len(ALICE.split())} words" in page
    assert "(no answer written)" in page
    assert f"<code>{CAROL_CODE}</code>" in page
    # the rubric, rendered, from book/rubrics
    assert "book/rubrics/01-ignorance-arrogance-irrelevance.md" in page
    assert "<table>" in page and "Uses the model" in page and "Feedback you can reuse" in page
    assert 'class="warning"' not in page
    assert "by-question" in stdout and "3 to grade" in stdout


def test_manual_csv_lists_each_answer_and_grades_csv_is_unchanged_until_points_are_filled(graded, ag):
    _, out, _ = graded
    rows = read_rows(out / manual.FOLDER / manual.MANUAL_CSV)
    assert [(r["student"], r["question"], r["points"], r["max points"]) for r in rows] == [
        ("'=carol", "q4", "", "3"), ("alice", "q4", "", "3"), ("bob", "q4", "", "3")]
    assert [r["comment"] for r in rows] == ["", "", "no answer written"]
    header = next(csv.reader(open(out / "grades.csv", encoding="utf-8")))
    assert "q4" not in header
    assert {r["possible"] for r in read_rows(out / "grades.csv")} == {f"{ag.possible:g}"}


def test_round_trip_fill_in_re_run_totals_include_manual_points(graded, copy, ag):
    subs, _, _ = graded
    sheet = copy / manual.FOLDER / manual.MANUAL_CSV
    before = {r["student"]: r for r in read_rows(copy / "grades.csv")}
    _fill(sheet, {"alice": "2,5", "=carol": "1"}, comment="Use your own numbers.")
    filled = sheet.read_bytes()
    code, stdout, stderr = _grade(subs, copy, ag)
    assert code == 0, stdout + stderr
    assert "reused 3" in stdout and "merged into grades.csv" in stdout
    assert sheet.read_bytes() == filled, "a filled-in manual.csv is never rewritten"
    rows = {r["student"]: r for r in read_rows(copy / "grades.csv")}
    possible = ag.possible + 3
    assert rows["alice"]["q4"] == "2.5" and rows["'=carol"]["q4"] == "1" and rows["bob"]["q4"] == ""
    for student, extra in (("alice", 2.5), ("'=carol", 1.0), ("bob", 0.0)):
        assert float(rows[student]["total"]) == pytest.approx(float(before[student]["total"]) + extra)
        assert rows[student]["possible"] == f"{possible:g}"
        assert float(rows[student]["percent"]) == round(100 * float(rows[student]["total"]) / possible, 1)
    assert "written answers not graded yet: q4" in rows["bob"]["note"]
    assert rows["dave"]["status"] == "not-a-notebook" and "q4" not in rows["dave"]["note"]
    feedback = (copy / "feedback" / "alice.md").read_text(encoding="utf-8")
    assert "Written answers, graded by hand" in feedback and "2.5 / 3 points" in feedback
    assert "Use your own numbers." in feedback
    assert "not graded yet / 3" in (copy / "feedback" / "bob.md").read_text(encoding="utf-8")
    # the gradebook export's own check accepts the merged file (manual columns add to the total)
    checked, parts, _ = gradebook.verified_rows(copy)
    assert "q4" in parts and len(checked) == 4


def test_a_late_submission_adds_its_row_and_keeps_every_filled_in_byte(graded, copy, ag, make,
                                                                         tmp_path):
    subs, _, _ = graded
    late = tmp_path / "submissions"
    shutil.copytree(subs, late)
    nb = make({"q1"})
    nb.cells[answer_cell(nb)].source = "A short reply."
    write(nb, late / "erin" / "ex1.ipynb")
    sheet = copy / manual.FOLDER / manual.MANUAL_CSV
    _fill(sheet, {"alice": "3"})
    filled = sheet.read_bytes()
    code, stdout, stderr = _grade(late, copy, ag)
    assert code == 0, stdout + stderr
    assert "Graded 1 notebook(s) now, reused 3" in stdout
    data = sheet.read_bytes()
    assert data.startswith(filled) and data[len(filled):] == b"erin,q4,,3,\n"
    rows = {r["student"]: r for r in read_rows(copy / "grades.csv")}
    assert rows["alice"]["q4"] == "3" and rows["erin"]["q4"] == ""
    assert "erin" in (copy / manual.FOLDER / "q4.html").read_text(encoding="utf-8")


def test_bad_rows_are_reported_with_their_line_and_nothing_is_merged(graded, copy, ag):
    subs, _, _ = graded
    sheet = copy / manual.FOLDER / manual.MANUAL_CSV
    autograded = (copy / "grades.csv").read_bytes()
    sheet.write_text("student,question,points,max points,comment\n"
                     "alice,q4,4,3,\n"          # line 2: more than the question is worth
                     "bob,q4,three,3,\n"        # line 3: not a number
                     "mallory,q4,1,3,\n"        # line 4: not in the class
                     "'=carol,q9,1,3,\n"        # line 5: no such question
                     "'=carol,q4,1,3,\n"
                     "'=carol,q4,2,3,\n",       # line 7: graded twice
                     encoding="utf-8")
    code, stdout, stderr = _grade(subs, copy, ag)
    assert code == 1
    assert "manual.csv has 5 problem(s)" in stderr
    for expected in ("line 2: 4 points for alice on q4 is out of range: q4 is worth 0 to 3",
                     "line 3: points 'three' for bob on q4 is not a number",
                     "line 4: unknown student 'mallory'",
                     "line 5: unknown question 'q9'; the questions graded by hand are q4",
                     "line 7: =carol already has points for q4 on line 6"):
        assert expected in stderr, stderr
    assert (copy / "grades.csv").read_bytes() == autograded
    assert "q4" not in (copy / "grades.csv").read_text(encoding="utf-8").splitlines()[0]


def test_anonymised_pages_use_stable_pseudonyms_kept_apart_and_a_seeded_order(graded, copy, ag):
    (copy / manual.FOLDER / manual.MANUAL_CSV).unlink()
    records = _records(copy)
    first = manual.grade_by_question(copy, ag, records, anonymise=True, order_seed=7)
    mapping = {r["student"].lstrip("'"): r["pseudonym"] for r in read_rows(copy / manual.PSEUDONYMS)}
    assert set(mapping) == {"alice", "bob", "=carol"}
    assert all(re.fullmatch(r"S-[A-Z2-9]{4}", p) for p in mapping.values())
    page = (copy / manual.FOLDER / "q4.html").read_text(encoding="utf-8")
    for student, pseudonym in mapping.items():
        assert pseudonym in page and f"<h3>{html.escape(student)}</h3>" not in page
    assert "alice" not in page and "bob" not in page
    assert not any(p.name == manual.PSEUDONYMS for p in (copy / manual.FOLDER).iterdir())
    sheet = copy / manual.FOLDER / manual.MANUAL_CSV
    assert {r["student"] for r in read_rows(sheet)} == set(mapping.values())
    order = re.findall(r"<h3>(.*?)</h3>", page)
    # a second run: same pseudonyms, same order; the points given to a pseudonym reach the student
    _fill(sheet, {mapping["alice"]: "2"})
    second = manual.grade_by_question(copy, ag, records, anonymise=True, order_seed=7)
    assert {r["student"].lstrip("'"): r["pseudonym"] for r in read_rows(copy / manual.PSEUDONYMS)} == mapping
    assert re.findall(r"<h3>(.*?)</h3>", (copy / manual.FOLDER / "q4.html").read_text()) == order
    assert first.added == 3 and second.added == 0 and second.merged and not second.errors
    assert {r["student"]: r["q4"] for r in read_rows(copy / "grades.csv")}["alice"] == "2"


# --- reading answers out of notebooks ---------------------------------------------------------
def _nb(*cells) -> dict:
    return {"cells": [dict(c, metadata=c.get("metadata", {})) for c in cells]}


LOCKED = {"editable": False, "deletable": False}


def _md(text, locked=False):
    return {"cell_type": "markdown", "source": text, "metadata": dict(LOCKED) if locked else {}}


def test_capture_matches_blocks_by_heading_then_position():
    q5 = ManualQuestion("q5", "Question 5: Another", 2.0)
    nb = _nb(_md("<!-- BEGIN QUESTION -->\n\n## Question 5: Another", True), _md("second"),
             _md("<!-- END QUESTION -->\n\nmore", True),
             _md("<!-- BEGIN QUESTION -->\n\n## Question 4: A reply to Maya", True), _md("first"),
             _md("<!-- END QUESTION -->", True))
    got = manual.capture(nb, [Q4, q5])
    assert got["q4"]["cells"][0]["text"] == "first" and got["q5"]["cells"][0]["text"] == "second"
    renamed = _nb(_md("<!-- BEGIN QUESTION -->\n\n## A heading the student cannot change, changed", True),
                  _md("only"), _md("<!-- END QUESTION -->", True))
    assert manual.capture(renamed, [Q4])["q4"]["cells"] == [{"kind": "markdown", "text": "only"}]


@pytest.mark.parametrize("nb", [None, {}, {"cells": "no"}, {"cells": [1, None, "x"]},
                                _nb(_md("no question block at all"))])
def test_capture_of_a_notebook_without_the_question_finds_nothing_and_never_raises(nb):
    assert manual.capture(nb, [Q4]) == {"q4": {"found": False, "cells": [], "cut": 0, "words": 0}}


def test_capture_keeps_only_text_without_placeholders_or_control_characters():
    nb = _nb(_md("<!-- BEGIN QUESTION -->\n## Question 4: A reply to Maya", True),
             _md("_Type your answer here, replacing this text._"),
             _md(["Line one\r\n", "bell\x07 and \u202eflipped"]),
             {"cell_type": "code", "source": "...", "outputs": [{"text": "secret output"}]},
             _md("a locked handout cell", True),
             _md("<!-- END QUESTION -->", True), _md("after the question"))
    got = manual.capture(nb, [Q4])["q4"]
    assert got == {"found": True, "cells": [{"kind": "markdown", "text": "Line one\nbell and flipped"}],
                   "cut": 0, "words": 5}


def test_capture_caps_the_number_of_cells():
    nb = _nb(_md("<!-- BEGIN QUESTION -->\n## Question 4: A reply to Maya", True),
             *[_md(f"cell {i}") for i in range(manual.MAX_CELLS + 5)])
    got = manual.capture(nb, [Q4])["q4"]
    assert len(got["cells"]) == manual.MAX_CELLS and got["cut"] == 5 * len("cell 20")


# --- rubrics ------------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", [s for s, m in assign.available_masters().items()
                                  if any(q.manual for q in assign.read_questions(m))])
def test_every_hand_graded_question_has_its_rubric(stem):
    for q in manual.manual_questions(stem):
        text, warnings = manual.rubric_for(stem, q, len(manual.manual_questions(stem)))
        assert text and not warnings, (stem, warnings)


def test_rubric_sections_and_mismatches_are_found(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("# Rubric\n\nIntro.\n\n## Question 4: A reply to Maya\n\nIt is worth **3 points**.\n\n"
                    "### Criteria\n\nC4\n\n## Question 5: Another\n\nC5, worth **2 points**.\n")
    text, warnings = manual.rubric_for("x", Q4, 2, path)
    assert "C4" in text and "C5" not in text and "Intro" not in text and not warnings
    _, warnings = manual.rubric_for("x", ManualQuestion("q5", "Question 5: Another", 4.0), 2, path)
    assert warnings == ["r.md says the question is worth 2 points; the exercise gives 4"]
    _, warnings = manual.rubric_for("x", ManualQuestion("q6", "Question 6: Missing", 1.0), 2, path)
    assert "no heading of r.md names" in warnings[0]
    missing = tmp_path / "none.md"
    assert manual.rubric_for("x", Q4, 1, missing) == (None, [f"no rubric found at {missing}"])


# --- manual.csv -------------------------------------------------------------------------------
def test_manual_csv_from_a_spreadsheet_is_read(tmp_path):
    path = tmp_path / "manual.csv"
    path.write_bytes("\ufeffStudent;Question;Points;Max points;Comment\r\n"
                     "'=carol;Q4;2,5;3;Gut\r\nann;q4;;3;\r\n\r\n".encode("utf-8"))
    points, errors, present = manual.read_manual(path, [Q4], {"=carol", "ann"})
    assert errors == [] and points.points == {"=carol": {"q4": 2.5}}
    assert points.comments == {"=carol": {"q4": "Gut"}} and present == {("=carol", "q4"), ("ann", "q4")}


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe not utf-8", "is not UTF-8 text"),
    (b"name,score\nann,1\n", "lacks the column(s) student, question, points"),
    (b"student,question,points\nann,q4,nan\n", "is not a number"),
    (b"student,question,points\nann,q4,-1\n", "out of range"),
    (b'student,question,points\nann,q4,"1\n', "not a readable CSV file"),
])
def test_unreadable_manual_csv_says_why(tmp_path, content, message):
    path = tmp_path / "manual.csv"
    path.write_bytes(content)
    _, errors, _ = manual.read_manual(path, [Q4], {"ann"})
    assert len(errors) == 1 and message in errors[0], errors


def test_rows_are_appended_in_the_file_s_own_dialect(tmp_path):
    path = tmp_path / "manual.csv"
    original = "Student;Question;Points;Comment\r\nann;q4;2;fine\r\n".encode("utf-8")
    path.write_bytes(original)
    added, problems = manual.ensure_rows(path, [{"student": "=bo", "question": "q4", "points": None,
                                                  "max points": 3, "comment": ""}])
    assert (added, problems) == (1, [])
    assert path.read_bytes() == original + b"'=bo;q4;;\r\n"


def test_report_rows_add_manual_points_to_the_total(ag):
    record = {"student": "ann", "relpath": "a.ipynb", "status": "ok", "total": 5.0,
              "scores": {q: 0.0 for q in ag.question_names}}
    pts = report.ManualPoints({"q4": 3.0}, {"q4": "Question 4"}, {"ann": {"q4": 1.5}})
    (row,) = report.student_rows({"ann": [record]}, ag, pts)
    assert row["q4"] == 1.5 and row["total"] == 6.5 and row["possible"] == ag.possible + 3
    assert json.dumps(row)  # plain data


def test_a_manual_csv_without_its_columns_gets_no_rows_and_an_error(tmp_path):
    path = tmp_path / "manual.csv"
    path.write_bytes(b"name,score\nann,1\n")
    assert manual.ensure_rows(path, [{"student": "bo", "question": "q4"}]) == (0, [])
    assert path.read_bytes() == b"name,score\nann,1\n"


def test_the_instructor_guide_states_the_cap():
    guide = (assign.REPO / "book" / "instructor-guide.md").read_text(encoding="utf-8")
    assert "### Grading written answers by question" in guide
    assert f"cut after {manual.MAX_CHARS:,} characters" in guide


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(max_size=12), st.floats(allow_nan=True, allow_infinity=True).map(str)))
def test_any_points_cell_gives_a_score_in_range_or_a_clear_message(tmp_path, text):
    path = tmp_path / "manual.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(
        [manual.COLUMNS, ["ann", "q4", text, "3", ""]])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    points, errors, _ = manual.read_manual(path, [Q4], {"ann"})
    given = points.points.get("ann", {}).get("q4")
    if errors:
        assert given is None and len(errors) == 1 and "line 2" in errors[0]
    elif given is not None:
        assert 0 <= given <= 3
    else:
        assert not text.strip() or text.strip() in ("\ufeff",)

"""A class of three students, each graded on their own numbers (issue 18, "the grader supplies
the data"), by ``socialkit-grade`` and by ``otter run``.

The exercise is assigned as ``make assign PRIVATE=...`` does with a ``[course]`` secret; the class
is three submissions (``support.variant_class.CLASS``): a full solution that typed another
student's id, the solution with the public numbers' answers typed in, and the solution with a
classmate's answers typed in after a cell that sets the grader's variable to the classmate's.
What each question must earn is worked out in this process with the same tests on each student's
own numbers (``support.variant_class.expected_points``); the graders must agree, and every value
typed in from other numbers must earn nothing. The rule for whose numbers a file is graded on is
``socialkit/course/grading/intake/variant_ids.py``'s; the Canvas and Moodle rosters are read as
``outputs/rosters.py`` reads the platforms' exports (their tests name the importers' sources).
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import nbformat
import pytest

from socialkit.course import assign
from socialkit.course.grading import cli
from socialkit.course.grading.intake import variant_ids
from socialkit.course.grading.outputs.rosters import read_roster
from support import grading, variant_class
from support.exercises import otter_run

#: the exercise the class hands in (issue 18: exercise 1, converted on branch issue-18a)
STEM = "01-ignorance-arrogance-irrelevance"
SECRET = "the secret of a course of three, kept outside the repository"
CODE = variant_class.course_of(SECRET)
OPTIONS = ["--timeout", "300", "--cell-timeout", "60", "--test-timeout", "20", "--workers", "2",
           "--no-progress"]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The exercise assigned for a course: ``python -m socialkit.course.assign STEM --private``."""
    root = tmp_path_factory.mktemp("course")
    private = variant_class.private_file(root, SECRET)
    assert assign.main([STEM, "--out", str(root), "--private", str(private)]) == 0
    build = root / "_build" / "assign"
    return {"root": root, "private": private, "assign_dir": build,
            "zip": build / STEM / "autograder" / f"{STEM}-autograder.zip"}


# --- make assign ---------------------------------------------------------------------------------------
@pytest.mark.grading
def test_the_course_copy_carries_the_course_code_and_the_public_copy_does_not(course):
    line = f'mine = variants.mine("{STEM}", student_id'
    course_copy = (course["assign_dir"] / STEM / "student" / f"{STEM}.ipynb").read_text()
    public_copy = (course["root"] / "exercises" / "student" / STEM / f"{STEM}.ipynb").read_text()
    assert json.dumps(f'{line}, course="{CODE}")')[1:-1] in course_copy
    assert json.dumps(f"{line})")[1:-1] in public_copy and CODE not in public_copy
    committed = assign.REPO / "exercises" / "student" / STEM / f"{STEM}.ipynb"
    assert nbformat.reads(public_copy, as_version=4) == nbformat.read(committed, as_version=4)


@pytest.mark.grading
def test_the_zip_carries_the_course_code_for_otter_and_never_the_secret(course):
    assert variant_ids.plugin_config(course["zip"]) == {"exercise": STEM, "course": CODE}
    with zipfile.ZipFile(course["zip"]) as zf:
        for name in zf.namelist():
            assert SECRET.encode() not in zf.read(name), name


# --- socialkit-grade -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graded(course, tmp_path_factory):
    where = tmp_path_factory.mktemp("class")
    notebooks = variant_class.class_notebooks(STEM, course["assign_dir"], CODE)
    variant_class.write_class(notebooks, where / "subs", STEM, layout="folders")
    out = where / "out"
    code = cli.main([str(course["zip"]), str(where / "subs"), "--out", str(out),
                     "--private", str(course["private"]), *OPTIONS])
    assert code == 0
    return out


@pytest.mark.grading
@pytest.mark.parametrize("student", sorted(variant_class.CLASS))
def test_each_student_earns_what_their_own_numbers_give(graded, student):
    """The grader agrees, question by question, with the same tests run here on the student's own
    numbers; s3003's cell that points the grader's variable at s1001 changes nothing."""
    rows = {r["student"]: r for r in grading.read_rows(graded / "grades.csv")}
    row = rows[student]
    assert row["status"] == "ok" and row["variant"] == student
    expected = variant_class.expected_points(STEM, student, CODE)
    points = {q.name: q.points for q in assign.read_questions(assign.MASTERS_DIR / f"{STEM}.ipynb")}
    for q, (earned, _) in expected.items():
        assert float(row[q]) == pytest.approx(earned), (q, row)
    if student == "s1001":  # the solution, whatever id it typed
        assert all(float(row[q]) == points[q] for q in expected)
    else:
        assert float(row["total"]) < sum(points[q] for q in expected)


@pytest.mark.grading
@pytest.mark.parametrize("student", ["s2002", "s3003"])
def test_numbers_typed_in_from_another_id_earn_nothing(graded, student):
    """Every test case that takes a value typed in from the public numbers (s2002) or from a
    classmate's (s3003) fails on the student's own numbers."""
    expected = variant_class.expected_points(STEM, student, CODE)
    assert {q: value for q, (_, value) in expected.items() if value} == {}


@pytest.mark.grading
def test_feedback_names_the_numbers_graded_and_warns_of_another_id_in_friendly_words(graded):
    feedback = (graded / "feedback" / "s1001.md").read_text()
    assert "graded on the numbers of student id **s1001**" in feedback
    assert f'student_id = "{variant_class.WRONG_TYPED}"' in feedback and "re-run on your own numbers" in feedback
    assert "score zero" in feedback
    from socialkit.course.variants import generate
    assert all(f"- {line}" in feedback for line in generate(STEM, "s1001", CODE).lines()[1:])
    import html
    page = next((graded / "by-question").glob("*.html")).read_text()  # a written answer's page
    for student in variant_class.CLASS:
        assert all(html.escape(line, quote=True) in page for line in generate(STEM, student, CODE).lines()[1:])
    assert "not s2002" not in (graded / "feedback" / "s2002.md").read_text()
    problems = grading.read_rows(graded / "problems.csv")
    assert [(p["kind"], p["student"]) for p in problems if p["kind"] == "another id typed"] == [
        ("another id typed", "s1001")]
    rows = {r["student"]: r for r in grading.read_rows(graded / "grades.csv")}
    assert variant_class.WRONG_TYPED in rows["s1001"]["note"]


@pytest.mark.grading
def test_a_second_run_reuses_the_records_with_the_zips_code_and_refuses_another_secret(course, graded, tmp_path,
                                                                                        capsys):
    subs = graded.parent / "subs"
    assert cli.main([str(course["zip"]), str(subs), "--out", str(graded), *OPTIONS]) == 0
    assert "reused 3 from an earlier run" in capsys.readouterr().out
    other = variant_class.private_file(tmp_path, "another course's secret, of some length")
    assert cli.main([str(course["zip"]), str(subs), "--out", str(tmp_path / "out"),
                     "--private", str(other), *OPTIONS]) == 2
    assert "another course secret" in capsys.readouterr().err


# --- otter run ------------------------------------------------------------------------------------------
@pytest.mark.grading
def test_otter_run_grades_each_file_on_the_numbers_of_the_id_in_its_name(course, tmp_path):
    notebooks = variant_class.class_notebooks(STEM, course["assign_dir"], CODE, tamper=False)
    paths = variant_class.write_class(notebooks, tmp_path / "subs", STEM, layout="files")
    for student, path in paths.items():
        scores = otter_run(course["zip"], path, tmp_path / "results" / student)
        expected = variant_class.expected_points(STEM, student, CODE)
        assert {q: s for q, (s, _) in scores.items()} == pytest.approx(
            {q: e for q, (e, _) in expected.items()}), student
        output = json.loads((tmp_path / "results" / student / "results.json").read_text()).get("output", "")
        assert f"numbers of student id {student} (from the file name)" in output


@pytest.mark.grading
def test_under_otter_run_a_notebook_can_change_its_numbers_as_the_guide_warns(course, tmp_path):
    """otter runs the tests in the student's own process: a cell that sets the grader's variable
    to a classmate's, then types the classmate's answers, is graded on the classmate's numbers.
    The instructor guide says so and recommends socialkit-grade, which refuses it
    (``test_each_student_earns_what_their_own_numbers_give``, s3003)."""
    notebooks = variant_class.class_notebooks(STEM, course["assign_dir"], CODE, tamper=True)
    paths = variant_class.write_class({"s3003": notebooks["s3003"]}, tmp_path / "subs", STEM, layout="files")
    scores = otter_run(course["zip"], paths["s3003"], tmp_path / "results")
    expected = variant_class.expected_points(STEM, "s3003", CODE)
    assert sum(s for s, _ in scores.values()) > sum(e for e, _ in expected.values())


# --- whose numbers: the rule -------------------------------------------------------------------------
def test_a_canvas_roster_gives_the_sis_login_else_the_sis_user_id(tmp_path):
    roster = read_roster(grading.canvas_roster(tmp_path, 11))
    ids = variant_ids.Assigner(roster)
    jane = ids.variant_id("smithjane", "smithjane_12345_67890_exercise1.ipynb", "jsmith")
    assert (jane.student, jane.source, jane.differs, jane.problem) == ("jsmith", "the roster's SIS Login ID", False, "")
    by_login = ids.variant_id("ksu", "ksu/ex1.ipynb")  # a folder named by the login
    assert by_login.student == "ksu"
    rows = [dict(r) for r in roster.students]
    rows[0]["SIS Login ID"] = ""
    roster.students = rows
    assert variant_ids.Assigner(roster).variant_id("smithjane", "smithjane_12345_67890_x.ipynb").student == "S1001"


def test_a_moodle_roster_gives_the_id_number_else_the_email(tmp_path):
    roster = read_roster(grading.moodle_roster(tmp_path))
    ids = variant_ids.Assigner(roster)
    assert ids.variant_id("Jane Smith_501_assignsubmission_file_", "Jane Smith_501_assignsubmission_file_/e.ipynb"
                          ).student == "M02"
    rows = [dict(r) for r in roster.students]
    rows[1]["ID number"] = ""
    roster.students = rows
    assert variant_ids.Assigner(roster).variant_id("jane.smith@example.edu", "x/e.ipynb").student \
        == "jane.smith@example.edu"


def test_without_a_roster_the_name_gives_the_id_and_a_student_the_roster_lacks_is_reported(tmp_path):
    assert variant_ids.Assigner().variant_id("amy.lee", "amy.lee/ex1.ipynb", "AMY.LEE ").differs is False
    moodle = variant_ids.Assigner().variant_id("Ana Lopez_501_assignsubmission_file_", "Ana Lopez_501_assignsubmission_file_/e.ipynb")
    assert "--roster" in moodle.problem
    missing = variant_ids.Assigner(read_roster(grading.moodle_roster(tmp_path))).variant_id("zed", "zed_e.ipynb", "s9")
    assert (missing.student, missing.differs) == ("zed", True) and "not found in the roster" in missing.problem


def test_with_two_rosters_the_one_that_lists_the_student_gives_the_id(tmp_path):
    rosters = [read_roster(grading.canvas_roster(tmp_path, 11)), read_roster(grading.moodle_roster(tmp_path))]
    ids = variant_ids.Assigner(rosters)
    assert ids.variant_id("smithjane", "smithjane_12345_67890_exercise1.ipynb").student == "jsmith"
    folder = "Ana Lopez_501_assignsubmission_file_"
    assert ids.variant_id(folder, f"{folder}/exercise1.ipynb").student == "M01"

"""Chapter 0 teaches every piece of Python the exercises use, and tells the case's story right.

The promise is the one Chapter 0 makes to its reader ("This chapter teaches all the Python the
exercises need, and nothing more"), and the one issue 21 asks a test for. Neither side is a list
kept by hand: :func:`syllabus.exercise_python` reads the ``# BEGIN SOLUTION`` parts of every
master in ``exercises/`` with :mod:`ast`, and :func:`syllabus.taught` reads the visible code of
``notebooks/00-python-for-this-book.ipynb`` the same way. So a new exercise, or a new line in a
solution, is checked the day it lands.

(a) every function, method, option and construct an exercise solution uses is shown in Chapter 0's
    code, and every function, method and option among them is named in its prose;
(b) Chapter 0 shows nothing that no exercise or later lesson needs, except declared foundations;
(c) the derived lists really move with the notebooks (a made-up master that uses something new);
(d) Chapter 0's sentences about the exercises and the case are true: every exercise has a
    plain-words question, and the team's weekly hours come from ``socialkit/data/case.py``.
"""
from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from socialkit import case
from socialkit.course import assign, syllabus

REPO = assign.REPO
CH0 = REPO / "notebooks" / f"{syllabus.CHAPTER_0}.ipynb"
MASTERS = assign.available_masters()


# --- (a) taught, and explained -------------------------------------------------------------------
def test_every_exercise_is_read_including_new_ones():
    found = syllabus.exercise_python()
    assert syllabus.CHAPTER_0 in MASTERS and len(MASTERS) >= 8
    assert "def" in found and "return" in found  # every exercise writes functions
    assert set().union(*found.values()) == set(MASTERS)  # each master contributes


def test_chapter_0_teaches_everything_the_exercise_solutions_use():
    missing = syllabus.untaught()
    assert not missing, "Chapter 0 does not teach what these exercise solutions use:\n" + "\n".join(
        f"  {item}: used in {', '.join(stems)}" for item, stems in missing.items()) + (
        "\nTeach each in notebooks/00-python-for-this-book.ipynb (a short example on the case), "
        "or write the solution without it.")


def test_chapter_0_names_in_its_prose_each_function_it_shows_for_the_exercises():
    unexplained = syllabus.unexplained()
    assert not unexplained, (f"Chapter 0's code uses {unexplained} for the exercises, but its text "
                             "never names them: say in a sentence what each does.")


# --- (b) and nothing the book does not need ------------------------------------------------------
def needed_after_chapter_0() -> set[str]:
    needed = set()
    for stem, master in MASTERS.items():
        if syllabus.chapter_number(stem) > 0:
            needed |= syllabus.solution_python(master)
    for lesson in (REPO / "notebooks").glob("*.ipynb"):
        if syllabus.chapter_number(lesson.stem) > 0:
            needed |= syllabus.lesson_python(lesson)
    return needed


def test_chapter_0_teaches_nothing_the_book_does_not_need():
    taught = syllabus.taught()
    assert syllabus.FOUNDATIONS <= taught, \
        f"FOUNDATIONS names what Chapter 0 does not show: {sorted(syllabus.FOUNDATIONS - taught)}"
    unneeded = sorted(taught - needed_after_chapter_0() - syllabus.FOUNDATIONS)
    assert not unneeded, (f"Chapter 0 teaches {unneeded}, which no exercise solution or later lesson "
                          "uses: drop them, or declare them in syllabus.FOUNDATIONS with a reason.")


def test_taught_is_what_chapter_0_shows():
    assert syllabus.TAUGHT == syllabus.taught(CH0) == frozenset(syllabus.lesson_python(CH0))
    with pytest.raises(FileNotFoundError, match="No notebook"):
        syllabus.taught(CH0.with_name("no-such-chapter.ipynb"))


# --- (c) the lists move with the notebooks ---------------------------------------------------------
def _master(path: Path, solution: str) -> Path:
    new, raw = nbformat.v4.new_code_cell, nbformat.v4.new_raw_cell
    nb = nbformat.v4.new_notebook(cells=[
        raw("# BEGIN QUESTION\nname: q1\npoints: 1"), nbformat.v4.new_markdown_cell("## Question 1"),
        raw("# BEGIN SOLUTION"), new(solution), raw("# END SOLUTION"), raw("# END QUESTION")])
    nbformat.write(nb, path)
    return path


def test_a_new_solution_line_is_found_and_reported_untaught(tmp_path):
    master = _master(tmp_path / "09-new.ipynb",
                     'def weekly(table):\n    return table.pivot_table(index="week", aggfunc="sum")')
    found = syllabus.exercise_python({"09-new": master})
    assert found[".pivot_table"] == ("09-new",) and found[".pivot_table(aggfunc=)"] == ("09-new",)
    missing = syllabus.untaught({"09-new": master})
    assert set(missing) == {".pivot_table", ".pivot_table(index=)", ".pivot_table(aggfunc=)"}


def test_unexplained_names_what_the_prose_never_mentions(tmp_path):
    lesson = tmp_path / "00-x.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("`.shift(1)` moves a column down one row."),
        nbformat.v4.new_code_cell("t['x'].shift(1).corr(t['y'])")]), lesson)
    assert syllabus.unexplained(lesson, {".shift", ".corr", "for"}) == [".corr"]


# --- (d) what Chapter 0 says about the exercises and the case is true -------------------------------
def chapter_0_text() -> str:
    return "\n".join(c.source for c in nbformat.read(CH0, as_version=4).cells
                     if c.cell_type == "markdown")


def test_every_exercise_has_a_question_answered_in_plain_words():
    assert "Every exercise also has a question you answer in plain words." in chapter_0_text()
    without = [stem for stem, master in MASTERS.items()
               if not any(q.manual for q in assign.read_questions(master))]
    assert not without, f"Chapter 0 promises a plain-words question in every exercise; none in {without}"


def visible_code_tree() -> ast.Module:
    return ast.parse(syllabus.notebook_code(CH0, tagged_out=("hide-cell",)))


def test_chapter_0_takes_the_teams_hours_from_the_case():
    """Hours by channel are looked up in case.PLAN_HOURS, never typed (they once disagreed)."""
    hours_dicts = [node for node in ast.walk(visible_code_tree()) if isinstance(node, ast.Dict)
                   and {getattr(k, "value", None) for k in node.keys} & set(case.CHANNEL_KEYS)]
    assert hours_dicts, "Chapter 0 no longer builds the plan by channel: update this test"
    for node in hours_dicts:
        typed = [ast.unparse(v) for v in node.values if isinstance(v, ast.Constant)]
        assert not typed, f"Chapter 0 types hours {typed} into {ast.unparse(node)}: use case.PLAN_HOURS"
    code = syllabus.notebook_code(CH0)
    assert "case.PLAN_HOURS[4]" in code and "plan == case.PLAN_HOURS[4]" in code
    assert sum(case.PLAN_HOURS[4].values()) == case.WEEKLY_SOCIAL_HOURS
    for said in ("an hour and a half", "1.5 hours", "-1.0"):
        assert said not in chapter_0_text(), said


def test_chapter_0s_customer_shares_are_the_cases():
    """The one list of shares typed for the lesson (lists come before loops) matches the case."""
    values = {}
    for node in ast.walk(visible_code_tree()):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) \
                and node.targets[0].id in ("channels", "shares") and isinstance(node.value, ast.List):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    by_name = {c.name.split(" (")[0]: c.customer_share for c in case.CHANNELS}
    by_name["Lindenford Locals group"] = case.channel("locals_group").customer_share
    assert [by_name[name] for name in values["channels"]] == values["shares"]


def test_the_syllabus_docstring_examples_hold():
    import doctest

    result = doctest.testmod(syllabus, raise_on_error=False)
    assert result.attempted > 0 and result.failed == 0

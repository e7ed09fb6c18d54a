"""Every lesson has the same shape, so a reader finds each part where the last chapter had it.

The rules come from the developers' guide ("Lessons follow one shape: objectives, idea, model,
exploration, quiz, your plan, exercises"), from the curriculum in DESIGN.md (objectives first;
a concept quiz; a summary and a reflection prompt last) and from issue 21, item 5 ("Your plan"
in the same place in every lesson). Read from the notebooks' cells, for every lesson:

* the first cell is the chapter's title and its objectives: a ``{admonition} In this chapter
  you will`` with the chapter's **Time:** line;
* the quiz is one code cell, ``quiz.show("<the lesson's own name>")``, under
  ``## Check your understanding``;
* in Chapters 1 to 7, ``## Your plan`` is the first level-2 heading after the quiz and
  ``## Summary`` the next one, the plan section holds a ``worksheet.show("my-strategy", ...)``
  cell, and no other heading says "Your plan" (a ``### Your plan`` tucked into another section
  is how the plans of Chapters 2 and 4 once came before the quiz);
* ``## Summary`` is the last section but for ``## Reflection`` and ``## Next``.

Two lessons are exempt from the plan's place, each for a stated reason. Chapter 0 teaches the
Python the book needs and has no plan: the plan starts in Chapter 1. Chapter 8, the capstone, is
the plan: it has no quiz, and its ``## Your plan: the first 90 days`` comes early, before the
plan is assembled and exported; that cell must say so.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support.prose import calls

REPO = Path(__file__).resolve().parents[2]
LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
PLAN, QUIZ_HEADING, SUMMARY = "Your plan", "Check your understanding", "Summary"
#: The only sections allowed after the Summary.
AFTER_SUMMARY = ("Reflection", "Next")
#: Lessons without a "Your plan" after the quiz, and why.
NO_PLAN_AFTER_QUIZ = {
    0: "Chapter 0 teaches Python, not strategy; the plan starts in Chapter 1.",
    8: "The whole capstone is the plan; it has no quiz, and its plan comes before the export.",
}


def cells(lesson: Path) -> list[dict]:
    """The notebook's cells, each with its source as one string."""
    nb = json.loads(lesson.read_text(encoding="utf-8"))
    return [{**c, "source": "".join(c["source"])} for c in nb["cells"]]


def headings(source: str) -> list[tuple[int, str]]:
    """(level, text) of each Markdown heading in ``source``, skipping fenced blocks."""
    found, fenced = [], False
    for line in source.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (m := re.match(r"^(#{1,6})\s+(.*?)\s*$", line)):
            found.append((len(m[1]), m[2]))
    return found


def outline(lesson: Path) -> list[tuple[int, int, str]]:
    """(cell index, level, text) of every heading of the lesson, in reading order."""
    return [(i, level, text) for i, cell in enumerate(cells(lesson)) if cell["cell_type"] == "markdown"
            for level, text in headings(cell["source"])]


def cells_calling(lesson: Path, name: str) -> list[tuple[int, list]]:
    """(cell index, arguments) of each call of ``name`` in the lesson's code cells."""
    return [(i, args) for i, cell in enumerate(cells(lesson)) if cell["cell_type"] == "code"
            for called, args in calls(cell["source"]) if called == name]


def section_of(lesson: Path, index: int) -> tuple[int, str]:
    """The last level-2 heading at or before cell ``index``: (its cell index, its text)."""
    before = [(i, text) for i, level, text in outline(lesson) if level == 2 and i <= index]
    assert before, f"{lesson.name}: cell {index} is under no level-2 heading"
    return before[-1]


def chapter(lesson: Path) -> int:
    return int(lesson.name[:2])


def test_the_lessons_are_there():
    assert [chapter(p) for p in LESSONS] == list(range(9))


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_objectives_come_first(lesson):
    first = cells(lesson)[0]
    assert first["cell_type"] == "markdown", f"{lesson.name} starts with a code cell"
    title = headings(first["source"])[0]
    assert title[0] == 1, f"{lesson.name}'s first cell does not open with the chapter's title"
    assert re.search(r"^```\{admonition\} In this chapter you will$", first["source"], re.MULTILINE), \
        f"{lesson.name}'s first cell does not list the objectives (In this chapter you will)"
    assert "**Time:** About" in first["source"], f"{lesson.name}'s objectives state no time"
    levels = [level for _, level, _ in outline(lesson)]
    assert levels.count(1) == 1, f"{lesson.name} has more than one title (# heading)"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_the_summary_comes_last(lesson):
    sections = [text for _, level, text in outline(lesson) if level == 2]
    assert sections.count(SUMMARY) == 1, f"{lesson.name} has {sections.count(SUMMARY)} '## Summary'"
    after = sections[sections.index(SUMMARY) + 1:]
    assert set(after) <= set(AFTER_SUMMARY), \
        f"{lesson.name} has sections after its Summary other than {AFTER_SUMMARY}: {after}"
    assert "Reflection" in after, f"{lesson.name} has no '## Reflection' after its Summary"


@pytest.mark.parametrize("lesson", [p for p in LESSONS if chapter(p) != 8], ids=lambda p: p.stem)
def test_one_quiz_of_its_own_under_check_your_understanding(lesson):
    quizzes = cells_calling(lesson, "quiz.show")
    assert len(quizzes) == 1, f"{lesson.name} shows {len(quizzes)} quizzes, not one"
    index, args = quizzes[0]
    assert args == [lesson.stem], f"{lesson.name}'s quiz shows {args}, not its own ({lesson.stem!r})"
    assert section_of(lesson, index)[1] == QUIZ_HEADING, \
        f"{lesson.name}'s quiz is not under '## {QUIZ_HEADING}'"


@pytest.mark.parametrize("lesson", [p for p in LESSONS if chapter(p) not in NO_PLAN_AFTER_QUIZ],
                         ids=lambda p: p.stem)
def test_your_plan_comes_after_the_quiz_and_before_the_summary(lesson):
    (quiz_cell, _), = cells_calling(lesson, "quiz.show")
    after_quiz = [(i, text) for i, level, text in outline(lesson) if level == 2 and i > quiz_cell]
    assert [text for _, text in after_quiz[:2]] == [PLAN, SUMMARY], (
        f"{lesson.name}: after the quiz the sections are {[t for _, t in after_quiz]}; "
        f"the rule is '## {PLAN}', then '## {SUMMARY}'")
    plan_cell, summary_cell = after_quiz[0][0], after_quiz[1][0]
    sheets = [i for i, args in cells_calling(lesson, "worksheet.show")
              if args[:1] == ["my-strategy"] and plan_cell < i < summary_cell]
    assert sheets, f"{lesson.name}'s '## {PLAN}' has no worksheet.show(\"my-strategy\", ...) cell"
    plans = [(i, level, text) for i, level, text in outline(lesson) if PLAN.lower() in text.lower()]
    assert plans == [(plan_cell, 2, PLAN)], \
        f"{lesson.name} has other headings about its plan, away from the quiz: {plans}"


@pytest.mark.parametrize("number", sorted(NO_PLAN_AFTER_QUIZ))
def test_the_exempt_lessons_are_what_the_exemption_says(number):
    (lesson,) = [p for p in LESSONS if chapter(p) == number]
    plans = [(i, text) for i, level, text in outline(lesson) if PLAN.lower() in text.lower()]
    if number == 0:
        assert not plans, f"{lesson.name} now has a plan ({plans}): drop its exemption"
        return
    assert not cells_calling(lesson, "quiz.show"), f"{lesson.name} has a quiz: drop its exemption"
    assert [t for _, t in plans] == ["Your plan: the first 90 days"], plans
    plan_cell, _ = plans[0]
    text = cells(lesson)[plan_cell]["source"]
    assert re.search(r"\"Your plan\" follows the quiz; here the whole chapter is the plan", text), \
        f"{lesson.name}'s early plan does not say why it is early"
    assert cells_calling(lesson, "plan.show")[0][0] > plan_cell


def test_outline_skips_fenced_blocks_and_reads_levels():
    assert headings("# A\n```python\n# not a heading\n```\n## B\n### C\n#nope") == [
        (1, "A"), (2, "B"), (3, "C")]
    assert calls('quiz.show("x")\nworksheet.show("my-strategy", "t", [])') == [
        ("quiz.show", ["x"]), ("worksheet.show", ["my-strategy", "t", None])]

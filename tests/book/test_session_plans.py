"""The session plans (book/session-plans.md) name what each lesson really has, for every chapter.

An instructor projects what a plan names, so a plan that names an explorer the lesson does not
have fails in front of a class. For every lesson in notebooks/ this checks that the page has its
section with a 50-minute and a 90-minute plan, discussion questions and a think-pair-share, and
that every function the section names in code (``channel_figures.hours_explorer()``) is called
in that lesson's code, read with :mod:`ast`. The instructor guide links to the page, and the
table of contents lists it.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialkit.course import syllabus
from support.prose import calls

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "book" / "session-plans.md"
LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def sections() -> dict[int, str]:
    text = PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^## Chapter (\d+): .*$", text, flags=re.MULTILINE)
    return {int(number): body for number, body in zip(parts[1::2], parts[2::2])}


def calls_in(code: str) -> set[str]:
    """Dotted names of every function called in ``code`` (``content_figures.mix_explorer``)."""
    return {name for name, _ in calls(code)}


def named_calls(section: str) -> set[str]:
    """Functions a plan names in inline code, as ``module.function(...)``."""
    return {m for m in re.findall(r"`([A-Za-z_][\w.]*)\([^`]*\)`", section)}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_every_chapter_has_both_plans_questions_and_a_think_pair_share(lesson):
    chapter = syllabus.chapter_number(lesson.stem)
    body = sections().get(chapter)
    assert body is not None, f"book/session-plans.md has no '## Chapter {chapter}: ...' section"
    for part in ("**50 minutes**", "**90 minutes:**", "**Project:**", "**Discussion questions**",
                 "**Think-pair-share:**", f"{{doc}}`../notebooks/{lesson.stem}`"):
        assert part in body, f"Chapter {chapter}'s session plan lacks {part}"
    questions = re.search(r"\*\*Discussion questions\*\*\n\n((?:- .*\n(?:  .*\n)*)+)", body)
    assert questions and questions[1].count("\n- ") + 1 >= 3, \
        f"Chapter {chapter}'s plan should ask at least three discussion questions"
    minutes = [int(m) for m in re.findall(r"^\| \d+–(\d+) \|", body, flags=re.MULTILINE)]
    assert minutes and minutes[-1] == 50 and minutes == sorted(minutes), \
        f"Chapter {chapter}'s 50-minute table should run in order to minute 50; it ends at {minutes}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_what_a_plan_projects_is_in_its_lesson(lesson):
    body = sections()[syllabus.chapter_number(lesson.stem)]
    lesson_calls = calls_in(syllabus.notebook_code(lesson))
    named = named_calls(body)
    assert named, f"{lesson.stem}'s plan names nothing to show"
    dotted = {n for n in named if "." in n}
    missing = sorted(n for n in dotted if n not in lesson_calls)
    assert not missing, f"The session plan for {lesson.stem} names {missing}, which the lesson never calls"
    if "explorer(" in syllabus.notebook_code(lesson):
        assert any(n.endswith("explorer") for n in dotted), \
            f"{lesson.stem} has explorers, but its plan projects none of them"


def test_calls_in_reads_dotted_calls():
    assert calls_in("a.b.c(1)\nd(x.e())\nf = g") == {"a.b.c", "d", "x.e"}
    assert named_calls("Run `plan.status()` and `report.preview(my_plan)`, not `x`.") == \
        {"plan.status", "report.preview"}


def test_the_instructor_guide_and_the_contents_list_the_page():
    guide = (REPO / "book" / "instructor-guide.md").read_text(encoding="utf-8")
    assert "{doc}`session-plans`" in guide
    assert re.search(r"^\s*- file: book/session-plans$", (REPO / "_toc.yml").read_text(),
                     flags=re.MULTILINE)

"""Concept checks: multiple-choice quizzes shown with jupyterquiz.

Questions live in ``socialkit/quizzes/<name>.json`` in jupyterquiz's format, so an author
edits text, not code. The quiz is self-contained HTML and JavaScript: it answers back on the
static page with no kernel, and in JupyterLab. It is for practice, not grading — the answers
are in the page.
"""
from __future__ import annotations

import json
from pathlib import Path

__all__ = ["load", "show", "QUIZ_DIR", "COLORS"]

QUIZ_DIR = Path(__file__).with_name("quizzes")
QUESTION_TYPES = ("multiple_choice", "many_choice")

#: Quiz colours chosen for contrast (white text on dark buttons, WCAG AA or better) and to
#: match the kit's palette.
COLORS = {
    "--jq-multiple-choice-bg": "#1d3f6e",
    "--jq-many-choice-bg": "#5c2a4d",
    "--jq-mc-button-bg": "#ffffff",
    "--jq-mc-button-border": "#5f6b7a",
    "--jq-mc-button-inset-shadow": "#1d3f6e",
    "--jq-incorrect-color": "#ffd2c2",
    "--jq-correct-color": "#bff0dc",
    "--jq-text-color": "#ffffff",
    "--jq-link-color": "#cfe3ff",
}


def load(name: str) -> list[dict]:
    """Load and check the questions of quiz ``name``; raise ValueError naming any problem."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be the name of a quiz file in {QUIZ_DIR}; got {name!r}.")
    path = QUIZ_DIR / f"{name}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in QUIZ_DIR.glob("*.json"))) or "none"
        raise ValueError(f"There is no quiz named {name!r}; the quizzes are: {known}.")
    try:
        questions = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"{path.name} is not valid JSON: {err}") from None
    if not isinstance(questions, list) or not questions:
        raise ValueError(f"{path.name} must hold a non-empty list of questions.")
    for number, question in enumerate(questions, start=1):
        _check_question(path.name, number, question)
    return questions


def _check_question(file: str, number: int, question) -> None:
    where = f"{file}, question {number}"
    if not isinstance(question, dict) or not str(question.get("question", "")).strip():
        raise ValueError(f"{where}: each question needs a non-empty 'question' text.")
    if question.get("type") not in QUESTION_TYPES:
        raise ValueError(f"{where}: 'type' must be one of {QUESTION_TYPES}.")
    answers = question.get("answers")
    if not isinstance(answers, list) or len(answers) < 2:
        raise ValueError(f"{where}: needs at least two answers.")
    correct = [a for a in answers if a.get("correct") is True]
    if question["type"] == "multiple_choice" and len(correct) != 1:
        raise ValueError(f"{where}: a multiple_choice question needs exactly one correct answer; "
                         f"it has {len(correct)}.")
    if not correct:
        raise ValueError(f"{where}: needs at least one correct answer.")
    for answer in answers:
        if not str(answer.get("answer", "")).strip() or not str(answer.get("feedback", "")).strip():
            raise ValueError(f"{where}: every answer needs 'answer' text and 'feedback' that "
                             "explains why it is right or wrong.")


def show(name: str) -> None:
    """Display quiz ``name`` in the notebook (and on the static page)."""
    from jupyterquiz import display_quiz

    display_quiz(load(name), colors=COLORS, shuffle_answers=False, max_width=680)

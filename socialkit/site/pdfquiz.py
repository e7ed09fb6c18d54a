"""A concept quiz on paper: numbered questions with lettered answers, and an answer key for
the end of the chapter (used by :mod:`socialkit.site.pdf`).

The questions are read from the built page, where ``socialkit.interactive.quiz.show`` embeds
them for jupyterquiz as ``var questions<quiz id>=[...]``.
"""
from __future__ import annotations

import html
import json
import re
import string

LETTERS = string.ascii_lowercase


def questions_of(page_text: str, quiz_id: str) -> list[dict]:
    """The questions of quiz ``quiz_id`` embedded in a built page (an empty list if none).

    >>> questions_of('var questionsq1=[{"question": "Why?", "answers": []}];', "q1")
    [{'question': 'Why?', 'answers': []}]
    """
    found = re.search(r"var questions" + re.escape(quiz_id) + r"\s*=\s*", page_text)
    if not found:
        return []
    questions, _ = json.JSONDecoder().raw_decode(page_text, found.end())
    return questions


def _choices(question: dict) -> list[dict]:
    return [a for a in question.get("answers", []) if "answer" in a]


def printed_questions(questions: list[dict], first: int = 1) -> str:
    """The questions as an ordered list, numbered from ``first``, answers lettered a, b, c.

    >>> print(printed_questions([{"question": "2 + 2?", "answers": [
    ...     {"answer": "4", "correct": True}, {"answer": "5", "correct": False}]}], first=3))
    <div class="quiz"><p class="quiz-title">Quiz</p><ol start="3"><li><p>2 + 2?</p><ol type="a"><li>4</li><li>5</li></ol></li></ol><p class="quiz-note">Answers at the end of the chapter.</p></div>
    """
    items = []
    for question in questions:
        choices = "".join(f"<li>{html.escape(str(c['answer']))}</li>" for c in _choices(question))
        choices = f'<ol type="a">{choices}</ol>' if choices else '<p class="answer-line">Answer: ______</p>'
        items.append(f"<li><p>{html.escape(question.get('question', ''))}</p>{choices}</li>")
    return (f'<div class="quiz"><p class="quiz-title">Quiz</p><ol start="{first}">{"".join(items)}</ol>'
            '<p class="quiz-note">Answers at the end of the chapter.</p></div>')


def answer_key(quizzes: list[list[dict]], anchor: str) -> str:
    """The answers of a chapter's quizzes, numbered as printed, each with its explanation."""
    rows, number = [], 0
    for questions in quizzes:
        for question in questions:
            number += 1
            right = [(LETTERS[i], c) for i, c in enumerate(_choices(question)) if c.get("correct")]
            if right:
                answer = ", ".join(f"({letter}) {html.escape(str(c['answer']))}" for letter, c in right)
                why = " ".join(html.escape(c.get("feedback", "")) for _, c in right)
            else:  # a numeric question: its correct value
                values = [a for a in question.get("answers", []) if a.get("correct")]
                answer = ", ".join(html.escape(str(a.get("value", ""))) for a in values)
                why = " ".join(html.escape(a.get("feedback", "")) for a in values)
            rows.append(f"<li value=\"{number}\"><p><strong>{answer}</strong></p><p>{why}</p></li>")
    if not rows:
        return ""
    return (f'<section class="answers" id="{anchor}"><h2>Answers to the quiz</h2>'
            f'<ol>{"".join(rows)}</ol></section>')

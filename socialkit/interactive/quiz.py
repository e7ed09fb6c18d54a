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
    "--jq-incorrect-color": "#9b1c1c",  # feedback text on the page and button behind white text
    "--jq-correct-color": "#0f6434",    # likewise: 4.9:1 or better on white, grey and as a background
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


# On the static page MathJax loads after the quiz's inline script runs; a quiz that starts
# first calls MathJax before it is ready and the browser logs errors. Wait for it (10 s at most).
# In JupyterLab the script runs inside a function, not at the top level: there the page's
# MathJax cannot typeset quiz output, and jupyterquiz would replace it with one fetched from a
# CDN. The two first lines hide it from the quiz there (a function-local MathJax that is
# undefined) and change nothing at the top level of the static page.
_WAIT_FOR_MATHJAX = """
var socialkitTopLevel = 1;
var MathJax = window.socialkitTopLevel === 1 ? window.MathJax : undefined;
var socialkitQuizTries = 0;
function socialkitMathReady() {
  socialkitQuizTries += 1;
  if (socialkitQuizTries > 100 || typeof MathJax === 'undefined') { return true; }
  return typeof MathJax.typeset === 'function' || (MathJax.version || '')[0] === '2';
}
"""
_SHOW_WHEN = 'if (document.getElementById("{div_id}")) {{'


def show(name: str) -> None:
    """Display quiz ``name`` in the notebook (and on the static page).

    Built from jupyterquiz's own parts (as its ``display_quiz`` does), with one change: the
    quiz waits until MathJax, if the page has it, is ready.
    """
    from IPython.display import HTML, Javascript, display
    from jupyterquiz.dynamic.loader import load_questions_script
    from jupyterquiz.dynamic.renderer import build_script, build_styles, render_div

    questions = load(name)
    div_id = "quiz_" + "".join(c if c.isalnum() else "_" for c in name)
    prefix, static, url = load_questions_script(questions, div_id)
    script = build_script(prefix, static, url, div_id, True)
    guard = _SHOW_WHEN.format(div_id=div_id)
    if guard not in script:  # the pinned jupyterquiz changed: fail loudly, not silently
        raise RuntimeError("jupyterquiz's start-up script has changed; update socialkit.interactive.quiz.show.")
    script = _WAIT_FOR_MATHJAX + script.replace(
        guard, f'if (document.getElementById("{div_id}") && socialkitMathReady()) {{')
    div = render_div(div_id, False, False, False, 1_000_000, 680, 10, "left")
    display(HTML(div + build_styles(div_id, COLORS)))
    display(Javascript(script))

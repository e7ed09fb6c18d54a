"""Concept quizzes: every shipped quiz is well formed, and bad quiz files are explained."""

import pytest

from socialkit import quiz


@pytest.mark.parametrize("path", sorted(quiz.QUIZ_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_shipped_quizzes_load(path):
    questions = quiz.load(path.stem)
    assert 4 <= len(questions) <= 6
    # Correct answers are not always in the same position (answers are not shuffled).
    positions = {next(i for i, a in enumerate(q["answers"]) if a["correct"]) for q in questions}
    assert len(positions) > 1


def test_unknown_quiz_lists_the_known_ones():
    with pytest.raises(ValueError, match="no quiz named 'nope'.*01-ignorance"):
        quiz.load("nope")


@pytest.mark.parametrize("content, message", [
    ("not json", "not valid JSON"),
    ("[]", "non-empty list"),
    ('[{"question": "Q", "type": "essay", "answers": []}]', "'type' must be"),
    ('[{"question": "Q", "type": "multiple_choice", "answers": [{"answer": "a", "correct": true, "feedback": "f"}]}]',
     "at least two"),
    ('[{"question": "Q", "type": "multiple_choice", "answers": [{"answer": "a", "correct": true, "feedback": "f"},'
     ' {"answer": "b", "correct": true, "feedback": "f"}]}]', "exactly one correct"),
    ('[{"question": "Q", "type": "multiple_choice", "answers": [{"answer": "a", "correct": true},'
     ' {"answer": "b", "correct": false, "feedback": "f"}]}]', "feedback"),
])
def test_malformed_quiz_files_are_explained(tmp_path, monkeypatch, content, message):
    monkeypatch.setattr(quiz, "QUIZ_DIR", tmp_path)
    (tmp_path / "bad.json").write_text(content)
    with pytest.raises(ValueError, match=message):
        quiz.load("bad")

"""Chapter 0 teaches the Python the exercises need, and nothing they don't; each chapter's time.

(a) :func:`syllabus.python_used` names the constructs of a piece of code correctly;
(b), (c) Chapter 0 teaches what every exercise solution uses, and nothing the book does not need:
    tests/course/test_chapter_0_coverage.py;
(d) the time a chapter page states is the one :func:`syllabus.chapter_minutes` measures;
(e) Exercise 0: its hints name the three classic mistakes, and its hidden tests cannot be passed
    by remembered answers.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkit.course import assign, syllabus
from support import exercises
from support.exercises import run_test_cells

REPO = assign.REPO
LESSONS = REPO / "notebooks"
CH0 = "00-python-for-this-book"
MASTERS = assign.available_masters()


# --- (a) reading code ----------------------------------------------------------------------------
@pytest.mark.parametrize("source, expected", [
    ("x = 4 * 60", {"assignment", "operator *"}),
    ("a, b = 1, 2", {"assignment", "tuple unpacking", "tuple"}),
    ("def f(t):\n    \"\"\"Doc.\"\"\"\n    return -t", {"def", "docstring", "return", "unary -"}),
    ("y = xs[-1] + xs[:2][0]", {"assignment", "indexing", "negative index", "unary -", "slice",
                                "operator +"}),
    ("v = table[0, -1]", {"assignment", "indexing [row, column]", "negative index", "unary -",
                          "tuple"}),
    ("m = max(d, key=d.get)", {"assignment", "max()", "keyword argument", ".get", "max(key=)"}),
    ("t['severity'] = 100 * s", {"assignment", "indexing", syllabus.SET_BY_NAME, "operator *"}),
    ("h[top] = 2.0", {"assignment", "indexing", syllabus.SET_BY_POSITION}),
    ("s.sort_values(ascending=False)", {".sort_values", "keyword argument", "False",
                                        ".sort_values(ascending=)"}),
    ("s = f'{x:.0%}'", {"assignment", "f-string", "f-string format"}),
    ("n = sum(1 for w in ws if w in S)", {"assignment", "sum()", "generator expression",
                                          "comparison in"}),
    ("d = {k: v for k, v in p.items()}", {"assignment", "dict comprehension", "tuple", ".items"}),
    ("r = np.exp(-np.asarray(t))", {"assignment", "np.exp", "np.asarray", "unary -"}),
    ("g = np.random.default_rng(1)", {"assignment", "np.random.default_rng"}),
    ("t = posts[~posts['a']].groupby('c').agg(n=('id', 'size'))",
     {"assignment", "indexing", "~", ".groupby", ".agg", "keyword argument", "tuple",
      "agg 'size'"}),  # the names given to .agg are the student's columns, not options
    ("c = state.top(2)", {"assignment"}),  # the kit's own methods are explained by each exercise
    ("%time x = 1\n!pip list\ny = 2", {"assignment"}),  # magics and shell lines are skipped
    ("x = ...", {"assignment", "..."}),
])
def test_python_used_names_each_construct(source, expected):
    assert syllabus.python_used(source) == expected


def test_python_used_rejects_what_is_not_code():
    with pytest.raises(TypeError, match="source must be Python code"):
        syllabus.python_used(None)
    with pytest.raises(SyntaxError):
        syllabus.python_used("def (:")


def test_chapter_number():
    assert syllabus.chapter_number("04-listen-first") == 4
    with pytest.raises(ValueError, match="must start with the chapter number"):
        syllabus.chapter_number("listen-first")


# --- (b) and (c): tests/course/test_chapter_0_coverage.py ------------------------------------
# What the exercises need and what Chapter 0 teaches are both derived from the notebooks there.


# --- (d) how long a chapter takes -----------------------------------------------------------------
@pytest.mark.parametrize("text, count", [
    ("Four hours a week.", 4),
    ("", 0),
    ("The shop's 94% reply rate", 5),
    ("Read [the case](../book/case.md) first.", 4),
    ("```{admonition} Note\n:class: tip\nTwo words\n```", 2),
    ("A formula $F(t) = 1 - e^{-t}$ here.", 4),
    ("<!-- a comment for authors -->Visible", 1),
])
def test_words_counts_what_a_reader_reads(text, count):
    assert syllabus.words(text) == count


def test_words_rejects_non_text():
    with pytest.raises(TypeError, match="markdown must be a string"):
        syllabus.words(3)


def test_timing_rounds_up_to_five_minutes():
    t = syllabus.Timing(reading=31.2, exercise=40.0)
    assert t.rounded() == (35, 40) and t.total == pytest.approx(71.2)
    assert t.sentence() == ("About 35 minutes of reading and trying things out, and 40 minutes "
                            "for the exercise.")
    assert syllabus.Timing(12, 0).sentence().endswith("no graded exercise.")


def _notebook(path: Path, markdown: list[str], code: list[str]) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(m) for m in markdown]
                                  + [nbformat.v4.new_code_cell(c) for c in code])
    nbformat.write(nb, path)
    return path


@settings(max_examples=25, deadline=None)
@given(words=st.integers(0, 3000), extra=st.integers(1, 800), cells=st.integers(0, 20))
def test_more_to_read_takes_longer(tmp_path_factory, words, extra, cells):
    folder = tmp_path_factory.mktemp("nb")
    short = _notebook(folder / "a.ipynb", [" ".join(["word"] * words)], ["1"] * cells)
    long = _notebook(folder / "b.ipynb", [" ".join(["word"] * (words + extra))], ["1"] * cells)
    a, b = syllabus.lesson_minutes(short), syllabus.lesson_minutes(long)
    assert b > a
    assert a == pytest.approx(words / 200 + 0.5 * cells)


def test_lesson_minutes_counts_explorers_quizzes_and_worksheets(tmp_path):
    base = syllabus.lesson_minutes(_notebook(tmp_path / "a.ipynb", [], ["x = 1"]))
    with_all = syllabus.lesson_minutes(_notebook(tmp_path / "b.ipynb", [], [
        "adoption.adoption_explorer()", 'quiz.show("00-python-for-this-book")',
        'worksheet.show("w", "t", [Question("a", "?"), Question("b", "?")])']))
    n_quiz = len(__import__("socialkit").quiz.load("00-python-for-this-book"))
    assert with_all - 3 * 0.5 == pytest.approx(base - 0.5 + 2.0 + n_quiz * 1.0 + 2 * 2.0)


def test_minutes_of_a_missing_notebook_say_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="No notebook"):
        syllabus.lesson_minutes(tmp_path / "none.ipynb")


def stated_time(lesson: Path) -> str | None:
    text = "\n".join(c.source for c in nbformat.read(lesson, as_version=4).cells
                     if c.cell_type == "markdown")
    match = re.search(r"\*\*Time:\*\* (About [^.]*\.)", text)
    return match[1] if match else None


@pytest.mark.parametrize("lesson", sorted(LESSONS.glob("0*.ipynb")), ids=lambda p: p.stem)
def test_chapter_page_states_its_measured_time(lesson):
    """Every chapter that states a time states the measured one; Chapters 0 and 8 must state it."""
    if stated_time(lesson) is None and syllabus.chapter_number(lesson.stem) not in (0, 8):
        pytest.skip(f"{lesson.name} does not state its time yet")
    master = MASTERS.get(lesson.stem)
    expected = syllabus.chapter_minutes(lesson, master).sentence()
    assert stated_time(lesson) == expected, \
        f"{lesson.name} should state its time as measured: **Time:** {expected}"


def test_every_chapter_has_a_measurable_time():
    """The numbers reported to the lead for the chapter pages: each is positive and plausible."""
    for lesson in sorted(LESSONS.glob("0*.ipynb")):
        timing = syllabus.chapter_minutes(lesson, MASTERS.get(lesson.stem))
        assert 5 < timing.reading < 120, (lesson.name, timing)
        assert timing.exercise == 0 or 10 <= timing.exercise < 150, (lesson.name, timing)


# --- (e) Exercise 0 -----------------------------------------------------------------------------
def question(name: str) -> assign.Question:
    return exercises.question(CH0, name)


def public_tests(name: str) -> list[str]:
    nb = nbformat.read(MASTERS[CH0], as_version=4)
    inside, tests, current = False, [], None
    for cell in nb.cells:
        if cell.cell_type == "raw" and cell.source.startswith("# BEGIN QUESTION"):
            current = re.search(r"name: (\w+)", cell.source)[1]
        elif cell.cell_type == "raw" and cell.source.strip() == "# BEGIN TESTS":
            inside = True
        elif cell.cell_type == "raw" and cell.source.strip() == "# END TESTS":
            inside = False
        elif inside and current == name and not cell.source.lstrip().startswith("# HIDDEN"):
            tests.append(cell.source)
    return tests


def test_hints_name_the_three_classic_mistakes():
    def forgot_return(weekly_hours, people):
        weekly_hours * 60 / people

    def as_text(weekly_hours, people):
        return f"{weekly_hours * 60 / people} minutes"

    (none,) = run_test_cells(public_tests("q1"), minutes_each=forgot_return)
    (text,) = run_test_cells(public_tests("q1"), minutes_each=as_text)
    (hours,) = run_test_cells(public_tests("q1"), minutes_each=lambda h, p: h / p)
    (short,) = run_test_cells(public_tests("q2"), pilot_weeks=lambda n: list(range(1, n)))
    (zero,) = run_test_cells(public_tests("q2"), pilot_weeks=lambda n: list(range(n)))
    assert "returned None. Did you forget to return" in none
    assert "returned the text '80.0 minutes', not a number" in text
    assert "hours each, not minutes" in hours
    assert "off-by-one" in short and "starts at 0" in zero
    (loop,) = run_test_cells(public_tests("q3"), reply_rate=lambda a, p: [x / y for x, y in zip(a, p)])
    (upside,) = run_test_cells(public_tests("q3"), reply_rate=lambda a, p: p / a)
    assert "numpy array" in loop and "divide the posts by the answers" in upside


def test_solutions_pass_every_test():
    from socialkit import listening

    posts = listening.load_posts()
    answers = {}
    for q in assign.read_questions(MASTERS[CH0]):
        for kind, text in q.solutions:
            if kind == "code":
                exec(text, {"np": np, "posts": posts}, answers)
    for name in ("q1", "q2", "q3", "q4"):
        assert run_test_cells(public_tests(name) + question(name).hidden_tests, **answers) \
            == [None] * (len(public_tests(name)) + len(question(name).hidden_tests))


def test_remembered_answers_fail_the_hidden_tests():
    from socialkit import listening

    posts = listening.load_posts()
    shipped = posts.loc[posts["kind"] == "complaint", "channel"].value_counts()
    remembered = {
        "q1": {"minutes_each": lambda weekly_hours, people: 80.0},
        "q2": {"pilot_weeks": lambda n: [1, 2, 3, 4]},
        "q3": {"reply_rate": lambda answered, posts: np.array([0.64, 0.94, 0.05, 0.52])[:len(posts)]},
        "q4": {"complaints_by_channel": lambda p: shipped, "most_complaints": "locals_group"},
    }
    for name, answers in remembered.items():
        outcomes = run_test_cells(question(name).hidden_tests, **answers)
        hidden_value_tests = [o for o, src in zip(outcomes, question(name).hidden_tests)
                              if "most_complaints" not in src.split("\n", 2)[1]]
        assert all(o is not None for o in hidden_value_tests), (name, outcomes)


def test_exercise_0_data_match_the_posts():
    """Question 3's posts and answers by channel are counted from the student's own year of posts
    (the public one: the shipped posts), and the notebook takes them from the first cell's numbers."""
    from socialkit import listening
    from socialkit.course.variants import primer

    for seed in (None, 12345):
        numbers = primer.numbers(seed)
        summary = listening.channel_summary(numbers["posts"])
        for key, n_posts, n_answered in zip(numbers["keys"], numbers["posts_per_channel"],
                                            numbers["answered_per_channel"]):
            assert n_posts == summary.loc[key, "posts"]
            assert n_answered == round(summary.loc[key, "posts"] * summary.loc[key, "response_rate"])
    assert primer.numbers(None)["posts"].equals(listening.load_posts())
    nb = nbformat.read(MASTERS[CH0], as_version=4)
    (given,) = [c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith("keys = ")]
    for name in ("keys", "posts_per_channel", "answered_per_channel"):
        assert f'{name} = mine["{name}"]' in given

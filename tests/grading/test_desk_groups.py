"""The grading desk's parts that need no browser (socialkit/course/grading/outputs/desk/).

* Grouping (``desk/groups.py``): identical answers (case, spacing and punctuation aside) and
  near-identical ones (word 3-gram Jaccard similarity at least ``NEAR``) share a group; answers
  written independently to the same prompt do not. The long answer is the real sample answer of
  chapter 1's Question 4 (``book/solutions/01-ignorance-arrogance-irrelevance.md``); the
  independent ones are three other replies to the same prompt.
* Criteria (``desk.criteria``): read from every rubric's criteria table in ``book/rubrics/``, so the
  points are defined once there and add up to the question's points in the exercise master.
"""
from __future__ import annotations

import re
from itertools import combinations

import pytest

from socialkit.course import assign
from socialkit.course.grading.outputs import desk, manual
from socialkit.course.grading.outputs.desk.groups import MIN_WORDS, NEAR, group_answers, similarity, words

SOLUTION = assign.REPO / "book" / "solutions" / "01-ignorance-arrogance-irrelevance.md"
INDEPENDENT = [
    "Maya, joining the Lindenford group now costs us little and waiting costs more than it seems: the "
    "four-year loss is 0.46 relevance-years, ten times the one-year loss. Most of our four hours "
    "should go to listening and answering neighbours' repair questions.",
    "I think we should join the group this year. The model says the peak year is about six years "
    "away, yet a delay of four years already loses 0.46 relevance-years. We would spend three hours "
    "answering questions and one hour posting. The p and q values are only assumptions, though.",
    "Waiting looks safe because few customers have moved, but the S-curve means the move speeds up "
    "by itself. Being late by a year costs 0.04, by four years 0.46. Let's listen first: ask "
    "customers in the shop where they look for help, then answer them there.",
]


def sample_answer() -> str:
    """The sample reply of the solutions page, without its bold label and the note on its numbers."""
    section = SOLUTION.read_text(encoding="utf-8").split("## Question 4", 1)[1]
    answer = section.split("**Sample answer", 1)[1].split("\n````", 1)[0]
    # "**Sample answer.** You are ..." or "**Sample answer** (with the book's ... numbers). You are ..."
    return re.sub(r"^\.?\*\*\s*(\([^)]*\)\.\s*)?", "", answer).replace("\n", " ")


def changed(text: str, every: int, start: int | None = None) -> str:
    """``text`` with every ``every``-th word (from ``start``) replaced, as a light copy-edit would."""
    out = text.split()
    for i in range(every // 2 if start is None else start, len(out), every):
        out[i] = f"other{i}"
    return " ".join(out)


def test_identical_answers_share_a_group_whatever_their_case_spacing_and_punctuation():
    answer = sample_answer()
    groups = group_answers({"a": answer, "b": answer.upper().replace(" ", "  \n"), "c": answer.replace(",", ";"),
                            "d": INDEPENDENT[0]})
    assert [(g.members, g.kind) for g in groups] == [(("a", "b", "c"), "identical"), (("d",), "single")]


def test_a_copy_with_one_word_in_seventeen_changed_is_near_identical():
    answer = sample_answer()
    assert len(words(answer)) > 120
    light, heavy = changed(answer, 17), changed(answer, 8)
    assert similarity(answer, light) >= NEAR > similarity(answer, heavy)
    groups = group_answers({"a": answer, "light": light, "heavy": heavy})
    assert [(g.members, g.kind) for g in groups] == [(("a", "light"), "near"), (("heavy",), "single")]
    assert NEAR <= groups[0].alike["light"] < 1


def test_answers_written_independently_to_the_same_prompt_are_never_grouped():
    answers = [sample_answer(), *INDEPENDENT]
    assert max(similarity(a, b) for a, b in combinations(answers, 2)) < 0.2
    assert len(group_answers(dict(enumerate(answers)))) == len(answers)


def test_a_group_never_drifts_by_a_chain_of_small_changes():
    first = sample_answer()
    middle = changed(first, 20)
    far = changed(middle, 20, start=3)                  # near middle, two edits away from first
    assert similarity(first, middle) >= NEAR and similarity(middle, far) >= NEAR > similarity(first, far)
    groups = group_answers({"first": first, "middle": middle, "far": far})
    assert [g.members for g in groups] == [("first", "middle"), ("far",)]


def test_short_answers_are_grouped_only_when_identical():
    assert len(words("Join now, answer questions.")) < MIN_WORDS
    groups = group_answers({"a": "Join now, answer questions.", "b": "join now answer questions!",
                            "c": "Wait now, answer questions."})
    assert [g.members for g in groups] == [("a", "b"), ("c",)]


def test_blank_and_unread_answers_are_never_grouped():
    groups = group_answers({"a": None, "b": None, "c": "", "d": "  ...  "})
    assert [g.members for g in groups] == [("a",), ("b",), ("c",), ("d",)]


@pytest.mark.parametrize("near", [0, -0.1, 1.5])
def test_a_threshold_out_of_range_is_refused_by_name(near):
    with pytest.raises(ValueError, match="near must be"):
        group_answers({"a": "x"}, near)


# --- criteria from the rubrics --------------------------------------------------------------------
@pytest.mark.parametrize("stem", [s for s, m in assign.available_masters().items()
                                  if any(q.manual for q in assign.read_questions(m))])
def test_every_rubric_s_criteria_add_up_to_its_question_s_points(stem):
    questions = manual.manual_questions(stem)
    for q in questions:
        text, _ = manual.rubric_for(stem, q, len(questions))
        found, warnings = desk.criteria(text, q.points)
        assert not warnings and len(found) >= 2, (stem, warnings)
        assert sum(c.best for c in found) == q.points
        assert all(c.name and "**" not in c.name and c.levels[-1].points == 0 for c in found)


def test_criteria_in_points_columns_as_the_capstone_rubric_writes_them():
    text = (assign.REPO / "book" / "rubrics" / "08-capstone.md").read_text(encoding="utf-8")
    found, warnings = desk.criteria(text, 20.0)
    assert not warnings and len(found) == 5
    assert [lv.points for lv in found[0].levels] == [4.0, 2.0, 0.0]


@pytest.mark.parametrize("rubric, message", [
    (None, "no criteria table"),
    ("| # | Criterion | Good | Bad |\n|---|---|---|---|\n| 1 | x | a | b |\n", "columns are not points"),
    ("| # | Criterion | Full point | No point |\n|---|---|---|---|\n| 1 | x | a | b |\n", "add up to 1 points"),
])
def test_an_unusable_criteria_table_falls_back_to_whole_points_and_says_why(rubric, message):
    found, warnings = desk.criteria(rubric, 1.5)
    assert [c.name for c in found] == ["Points"] and message in warnings[0]
    assert [lv.points for lv in found[0].levels] == [1.5, 1.0, 0.5, 0.0]


def test_the_page_data_cannot_close_its_script_element():
    data = desk.page_data(key="k", question="q4", points=3.0, found=(), groups={"g1": ["</script><b>"]},
                          rows=[], blank_comment="no answer written")
    assert "<" not in data and ">" not in data

"""What a class's results say (socialkit.course.grading.outputs.analytics), on a class built by hand.

Six students graded ``ok``, one ``not-a-notebook``: the statistics are checked against numpy's,
the reasons for lost points against the failing tests' descriptions and hints, and the written
answers flagged as alike against what a reader would flag (a copy with new punctuation, not two
honest answers to the same question, not answers too short to compare).
"""
from __future__ import annotations

import csv
import html

import numpy as np
import pytest

from socialkit.course.grading.outputs import analytics
from socialkit.course.grading.outputs.report import read_grades
from socialkit.course.grading.outputs.tables import csv_bytes

Q = [("q1", 4.0, False), ("q2", 3.0, False), ("q4", 3.0, True)]
POINTS = {  # student: (q1, q2, q4 or None when not graded yet)
    "ana": (4, 3, 3), "ben": (4, 2, 2.5), "cleo": (2, 3, 2), "dev": (1, 0, 1), "eli": (0, 1, None),
    "=fox": (3, 0, 0.5)}
ESSAY = ("Maya should answer the repair questions in the Locals group every weekday morning, "
         "because that is where the shop's customers ask them, and bookings follow answers.")
WRITTEN = {
    "ana": ESSAY,
    "ben": ESSAY.upper().replace(",", ";"),                       # a copy in disguise
    "cleo": ("Answering in the group matters most: customers there ask about repairs daily and "
             "a quick, friendly reply from Maya is what turns a question into a booking."),
    "dev": "Post more.",                                          # too short to compare
    "=fox": ESSAY,                                                # a third copy, formula-like id
}


def case(passed, hidden=True, description="", message=""):
    return {"passed": passed, "hidden": hidden, "points": 1.0, "timed_out": False,
            "description": description, "message": message}


def record(student: str) -> dict:
    q1, q2, _ = POINTS[student]
    q1_cases = [case(i < q1, description=f"bass_F check {i + 1}") for i in range(4)]
    q2_cases = [case(q2 >= 1, hidden=False, message="❌ Test case failed\nHint: cc_listening_share is still ..."),
                *[case(i < q2 - 1, description="lost_4_years with Lindenford's p and q") for i in range(2)]]
    written = {"q4": {"found": True, "cells": [{"kind": "markdown", "text": WRITTEN.get(student, "")}]}}
    return {"student": student, "questions": {"q1": {"cases": q1_cases}, "q2": {"cases": q2_cases}},
            "written": written}


@pytest.fixture
def graded(tmp_path):
    rows = []
    for s, (q1, q2, q4) in POINTS.items():
        total = q1 + q2 + (q4 or 0)
        rows.append({"student": s, "status": "ok", "q1": q1, "q2": q2, "q4": q4, "total": total,
                     "possible": 10, "percent": "", "file": f"{s}.ipynb", "note": ""})
    rows.append({"student": "gus", "status": "not-a-notebook", "total": 0, "possible": 10})
    header = ["student", "status", "q1", "q2", "q4", "total", "possible", "percent", "file", "note"]
    (tmp_path / "grades.csv").write_bytes(csv_bytes(header, rows))
    records = {s: [record(s)] for s in POINTS}
    return tmp_path, records


def test_statistics_match_numpy(graded):
    out, records = graded
    page, table = analytics.write_analytics(out, records, Q, "Exercise 1")
    stats = {s.name: s for s in analytics.question_stats(_rows(out), {s: r[0] for s, r in records.items()}, Q)}
    q1 = np.array([p[0] for p in POINTS.values()], dtype=float)
    totals = np.array([sum(x or 0 for x in p) for p in POINTS.values()], dtype=float)
    assert stats["q1"].graded == 6 and stats["q1"].mean == pytest.approx(q1.mean())
    assert stats["q1"].spread == pytest.approx(q1.std())
    assert stats["q1"].facility == pytest.approx(q1.mean() / 4)
    assert stats["q1"].discrimination == pytest.approx(np.corrcoef(q1, totals - q1)[0, 1])
    # a written answer not graded yet does not count: 5 of 6 graded
    assert stats["q4"].graded == 5 and stats["q4"].mean == pytest.approx(np.mean([3, 2.5, 2, 1, 0.5]))
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert [r["question"] for r in rows] == ["q1", "q2", "q4"]
    assert rows[0]["facility"] == f"{q1.mean() / 4:.2f}" and rows[2]["kind"] == "by hand"


def _rows(out):
    """grades.csv read back as the grader reads it (a formula-like id without its leading ')."""
    return read_grades(out / "grades.csv", strip=True)[1]


def test_where_points_were_lost_counts_students(graded):
    out, records = graded
    stats = {s.name: s for s in analytics.question_stats(_rows(out), {s: r[0] for s, r in records.items()}, Q)}
    # bass_F check 4 failed for everyone but ana and ben (4 points)
    assert stats["q1"].lost_on[0] == ("bass_F check 4", 4)
    # the public test's hint, not its boilerplate, is the reason; dev and =fox got q2 = 0
    assert ("Hint: cc_listening_share is still ...", 2) in stats["q2"].lost_on


def test_alike_written_answers_are_flagged_for_a_person(graded):
    out, records = graded
    page, _ = analytics.write_analytics(out, records, Q, "Exercise 1")
    (q4,) = [s for s in analytics.question_stats(_rows(out), {s: r[0] for s, r in records.items()}, Q)
             if s.name == "q4"]
    flagged = {frozenset((a, b)) for a, b, _ in q4.alike}
    assert flagged == {frozenset(("ana", "ben")), frozenset(("ana", "=fox")), frozenset(("ben", "=fox"))}
    text = page.read_text(encoding="utf-8")
    assert html.escape("=fox") in text and "nothing here" in text and "changes a grade" in text
    assert "<script" not in text


def test_too_few_students_show_no_discrimination():
    rows = [{"student": s, "status": "ok", "q1": str(x), "total": str(x)} for s, x in
            (("a", 1), ("b", 2), ("c", 3))]
    (q1,) = analytics.question_stats(rows, {}, [("q1", 4.0, False)])
    assert q1.graded == 3 and q1.discrimination is None and q1.facility == pytest.approx(0.5)

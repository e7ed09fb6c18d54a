"""book/idea-coverage.md: every idea of the five articles is taught somewhere real, or left out with
a reason, and the page's counts are the table's.

For each row, every place named in the last column must exist: *Ch. N, Section* must be the start
of a heading of lesson N; *quiz N* a shipped quiz; *Ex. N, Question K* a question of exercise N's
master. A row without a place must say **Left out on purpose** and give a reason.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

import pytest

from socialkit import quiz
from support.prose import REPO

PAGE = REPO / "book" / "idea-coverage.md"
ARTICLES = {"Solis 2013", "Solis, YFS", "Status quo 2013", "Blindspots 2009", "Problems 2009"}
LEFT_OUT = "**Left out on purpose**"


def rows() -> list[dict[str, str]]:
    found = []
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].isdigit():
            found.append(dict(zip(("n", "idea", "article", "where"), cells)))
    return found


@lru_cache(maxsize=None)
def headings(kind: str, chapter: int) -> list[str]:
    folder = "notebooks" if kind == "Ch" else "exercises"
    (path,) = sorted((REPO / folder).glob(f"{chapter:02d}-*.ipynb"))
    lines = [line for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
             if cell["cell_type"] == "markdown"
             for line in "".join(cell["source"]).splitlines() if line.startswith("#")]
    return [line.lstrip("#").strip() for line in lines]


def places(where: str) -> list[tuple[str, int, str]]:
    """(kind, chapter, section or question) for each place a row names."""
    found = [("Ch", int(n), s) for n, s in re.findall(r"Ch\. (\d), \*([^*]+)\*", where)]
    found += [("Ex", int(n), f"Question {q}") for n, q in re.findall(r"Ex\. (\d), Question (\d)", where)]
    found += [("Ex", int(n), "") for n in re.findall(r"Ex\. (\d)(?!, Question)", where)]
    found += [("quiz", int(n), "") for n in re.findall(r"\bquiz (\d)", where)]
    return found


def test_the_page_is_in_the_book():
    assert "file: book/idea-coverage" in (REPO / "_toc.yml").read_text(encoding="utf-8")


def test_the_table_is_numbered_and_each_article_has_rows():
    table = rows()
    assert [int(r["n"]) for r in table] == list(range(1, len(table) + 1))
    assert {r["article"] for r in table} == ARTICLES
    assert len({r["idea"].lower() for r in table}) == len(table), "an idea is listed twice"


def test_the_counts_at_the_top_are_the_tables():
    table = rows()
    left_out = [r for r in table if r["where"].startswith(LEFT_OUT)]
    text = PAGE.read_text(encoding="utf-8")
    expected = (f"Of the **{len(table)}** ideas below, **{len(table) - len(left_out)}** are taught and "
                f"**{len(left_out)}** are left out on purpose.")
    assert expected in text, f"the page should say: {expected}"


@pytest.mark.parametrize("row", rows(), ids=lambda r: r["n"])
def test_each_idea_is_taught_where_the_table_says_or_left_out_with_a_reason(row):
    where = row["where"]
    if where.startswith(LEFT_OUT):
        reason = where[len(LEFT_OUT):].strip(" :")
        assert len(reason.split()) >= 10, f"row {row['n']} is left out without a real reason"
        return
    named = places(where)
    assert named, f"row {row['n']} names no lesson section, quiz or exercise: {where}"
    for kind, chapter, what in named:
        if kind == "quiz":
            assert quiz.load(next(p.stem for p in quiz.QUIZ_DIR.glob(f"{chapter:02d}-*.json")))
        elif kind == "Ch" or what:
            assert any(h.startswith(what) for h in headings(kind, chapter)), \
                f"row {row['n']}: {kind}. {chapter} has no section starting “{what}”"
        else:
            assert sorted((REPO / "exercises").glob(f"{chapter:02d}-*.ipynb")), f"no exercise {chapter}"

"""Written answers graded by question: one page per hand-graded question, ``manual.csv``, the merge.

Which questions are graded by hand: those whose ``# BEGIN QUESTION`` config in the exercise
master says ``manual: true`` (``exercises/<assignment>.ipynb``, read with ``assign.read_questions``,
so exactly as ``otter assign`` reads it; the autograder zip does not list them). Their name,
title and points come from there.

**Capture (at grading time).** ``capture`` reads each student's written answers from the notebook
``batch.py`` snapshotted and inspected (the bytes whose hash the signed record holds), and the
answers go into that **signed record** (``written``), so the pages can always be rebuilt from
``results/`` alone and show exactly what was graded. In the student notebook otter wraps each
hand-graded question in ``<!-- BEGIN QUESTION -->`` ... ``<!-- END QUESTION -->``; the block is
matched to its question by the heading of its prompt (``## Question 4: A reply to Maya``), or by
position when no heading fits. The answer is every cell in the block that is not one of the
locked cells of the handout (markdown and code cells alike), without otter's placeholder text.
The notebook is untrusted: only cell text is kept (never outputs, attachments or metadata),
control characters are dropped, each answer is capped at ``MAX_CHARS`` characters and
``MAX_CELLS`` cells, and everything is escaped when a page is written.

**Files** (``grade_by_question``, run by ``socialkit-grade`` after grading), in ``OUT/by-question/``:

* ``<question>.html``: every student's answer with the question's rubric from
  ``book/rubrics/<assignment>.md`` (the whole file when the exercise has one hand-graded question,
  as all of ours do; otherwise the section whose heading names the question), made a **grading
  desk** by ``desk/``: each criterion of the rubric's table a row of buttons (the points are
  defined there, once), a comment box, identical and near-identical answers in one card so one
  decision scores them all (``desk/groups.py``), the number scored so far, the work kept in the
  browser, and ``manual.csv`` downloaded (or saved in place when ``socialkit-grade serve`` serves
  the folder). Maths in answers and rubric is typeset by MathJax copied next to the pages. The
  page loads nothing from outside its folder (a Content-Security-Policy forbids it), links
  relatively (``desk/desk.js``, ``desk/desk.css``; rubric links to repository files only when the
  folder is inside the repository), so the ``by-question`` folder can be handed on as it is;
  without scripts it is still readable and printable (one answer never splits across pages).
* ``manual.csv``: ``student, question, points, max points, comment``, one row per student and
  question, to fill in. It is created once; later runs only **add** rows for new students (the
  file's own bytes are kept, then the new rows appended, written atomically), so the points and
  comments typed in are never lost.

With ``anonymise=True`` the pages and new ``manual.csv`` rows name students by a pseudonym
(``S-7KQ2``: random, not derived from the id, kept for good in ``OUT/pseudonyms.csv``, the
instructor's key, which the ``by-question`` folder does not contain, so the folder can go to a
teaching assistant as it is) and list answers in a random order (the pseudonyms' order,
shuffled with ``order_seed``). Without it, answers are in id order, or shuffled with
``order_seed`` when one is given.

**The merge.** Each run reads ``manual.csv`` back and checks every row: the student (an id or a
pseudonym of this class), the question, the points (a number from 0 to the question's points;
``2,5`` is read as 2.5; blank means not graded yet), no student graded twice on one question.
Any bad row stops the merge and is reported with its line number; ``grades.csv`` then holds the
autograded points only, as before. Once at least one point is filled in and every row checks
out, ``grades.csv`` gains a column per hand-graded question, its totals and possible points
include them (a student not graded yet is noted in the ``note`` column), the feedback files
gain a "Written answers" section with the points and comments, and ``grades.csv`` is read back
and checked against the records and ``manual.csv``.
"""
from __future__ import annotations

import csv
import datetime as _dt
import html
import io
import math
import os
import random
import re
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import desk, report
from .desk.groups import group_answers
from ..intake.autograder import Autograder
from ..intake.identity import safe_name
from ..intake.store import atomic_write_bytes, atomic_write_text
from .tables import csv_bytes, delimiter_of, plain_text, rows_bytes

__all__ = ["ManualQuestion", "ManualResult", "manual_questions", "questions_for", "capture",
           "capture_for", "rubric_for", "read_manual", "grade_by_question", "FOLDER", "MANUAL_CSV",
           "PSEUDONYMS", "COLUMNS", "MAX_CHARS", "MAX_CELLS"]

FOLDER = "by-question"
MANUAL_CSV = "manual.csv"
PSEUDONYMS = "pseudonyms.csv"
COLUMNS = ("student", "question", "points", "max points", "comment")
#: at most this many characters of one answer are kept (a 150-word reply is about 1,000)
MAX_CHARS = 8000
#: at most this many cells of one answer are kept
MAX_CELLS = 20
_BEGIN, _END = "<!-- BEGIN QUESTION -->", "<!-- END QUESTION -->"
#: what otter puts in an answer cell before the student writes anything
_PLACEHOLDERS = {"_Type your answer here, replacing this text._", "...", "# YOUR CODE HERE", ""}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_BLANK_COMMENT = "no answer written"


@dataclass(frozen=True)
class ManualQuestion:
    """A question graded by hand, as its exercise master declares it."""

    name: str
    title: str      # "Question 4: A reply to Maya"
    points: float


# --- which questions ---------------------------------------------------------------------------
def _master(assignment_name: str | None, masters_dir: Path | None = None) -> Path | None:
    from ... import assign

    if not assignment_name:
        return None
    return assign.available_masters(masters_dir or assign.MASTERS_DIR).get(assignment_name)


@lru_cache(maxsize=32)
def _read_manual(master: Path, mtime_ns: int) -> tuple[ManualQuestion, ...]:
    from ... import assign

    return tuple(ManualQuestion(q.name, q.title, float(q.points or 0))
                 for q in assign.read_questions(master) if q.manual)


def manual_questions(assignment_name: str | None, masters_dir: Path | None = None) -> tuple[ManualQuestion, ...]:
    """The hand-graded questions of an assignment, from its master (none if it has no master)."""
    master = _master(assignment_name, masters_dir)
    if master is None:
        return ()
    return _read_manual(master, master.stat().st_mtime_ns)


def questions_for(ag: Autograder) -> tuple[ManualQuestion, ...]:
    """The hand-graded questions of the autograder's assignment (never one it grades itself)."""
    autograded = set(ag.question_names)
    return tuple(q for q in manual_questions(ag.assignment_name) if q.name not in autograded)


# --- capture -----------------------------------------------------------------------------------
def _text(source) -> str:
    text = "".join(map(str, source)) if isinstance(source, list) else str(source or "")
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _locked(cell) -> bool:
    meta = cell.get("metadata") or {}
    return isinstance(meta, dict) and meta.get("editable") is False and meta.get("deletable") is False


def _heading_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lstrip("#").strip()).casefold()


def _blocks(nb) -> list[tuple[str, list]]:
    """(text of the block's first cell, cells after it) for each hand-graded question block."""
    blocks: list[tuple[str, list]] = []
    current = None
    for cell in nb.get("cells") or []:
        if not isinstance(cell, dict):
            continue
        text = _text(cell.get("source"))
        if _BEGIN in text and (current is None or _locked(cell) or text.lstrip().startswith(_BEGIN)):
            current = (text, [])
            blocks.append(current)
        elif current is not None and text.lstrip().startswith(_END):
            current = None
        elif current is not None:
            current[1].append(cell)
    return blocks


def _answer(cells: list) -> dict:
    kept, size, cut, words = [], 0, 0, 0
    answer_cells = [c for c in cells if not _locked(c) and c.get("cell_type") in ("markdown", "code", "raw")]
    for cell in answer_cells:
        text = _text(cell.get("source")).strip("\n")
        if text.strip() in _PLACEHOLDERS:
            continue
        words += len(text.split())
        if len(kept) >= MAX_CELLS or size >= MAX_CHARS:
            cut += len(text)
            continue
        room = MAX_CHARS - size
        if len(text) > room:
            cut += len(text) - room
            text = text[:room]
        kind = "code" if cell.get("cell_type") == "code" else "markdown"
        kept.append({"kind": kind, "text": text})
        size += len(text)
    return {"found": True, "cells": kept, "cut": cut, "words": words}


def capture(nb, questions) -> dict[str, dict]:
    """Each hand-graded question's answer in notebook ``nb`` (an inspected notebook or a dict):
    ``{name: {"found": bool, "cells": [{"kind": "markdown"|"code", "text": str}], "cut": int,
    "words": int}}`` (``cut``: characters left out by the caps; ``words``: of the whole answer),
    plain data for the signed record. Never raises: a notebook it cannot read gives no answers."""
    out = {q.name: {"found": False, "cells": [], "cut": 0, "words": 0} for q in questions}
    if nb is None or not questions:
        return out
    try:
        blocks = _blocks(nb)
        used: set[int] = set()
        for q in questions:  # by the prompt's heading first
            key = _heading_key(q.title)
            for i, (first, _) in enumerate(blocks):
                headings = [_heading_key(line) for line in first.splitlines() if line.startswith("#")]
                if i not in used and key in headings:
                    used.add(i)
                    out[q.name] = _answer(blocks[i][1])
                    break
        free = [i for i in range(len(blocks)) if i not in used]
        missing = [q for q in questions if not out[q.name]["found"]]
        if len(free) == len(missing):  # then by position
            for q, i in zip(missing, free):
                out[q.name] = _answer(blocks[i][1])
    except Exception:  # noqa: BLE001 - an odd notebook costs its own answers, never the batch
        return {q.name: {"found": False, "cells": [], "cut": 0, "words": 0} for q in questions}
    return out


def capture_for(ag: Autograder, nb) -> dict[str, dict]:
    """``capture`` for the autograder's assignment (``{}`` when it has no hand-graded question)."""
    try:
        questions = questions_for(ag)
    except Exception:  # noqa: BLE001 - a master that cannot be read: no answers, grading goes on
        return {}
    return capture(nb, questions) if questions else {}


# --- the rubric --------------------------------------------------------------------------------
def _rubric_file(assignment_name: str) -> Path:
    from ... import assign

    return assign.REPO / assign.RUBRICS_SUBDIR / f"{assignment_name}.md"


def _section(text: str, question: ManualQuestion) -> str | None:
    """The part of a rubric whose heading names ``question`` (its title or "Question N")."""
    subtitle = question.title.split(":", 1)[-1].strip().casefold()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        match = re.match(r"^(#+)\s", line)
        if match and (subtitle in line.casefold() or re.search(rf"\b{re.escape(question.name)}\b", line)):
            level = len(match.group(1))
            end = next((j for j in range(i + 1, len(lines))
                        if re.match(rf"^#{{1,{level}}}\s", lines[j])), len(lines))
            return "\n".join(lines[i:end])
    return None


def rubric_for(assignment_name: str, question: ManualQuestion, n_manual: int = 1,
               path: Path | None = None) -> tuple[str | None, list[str]]:
    """(rubric Markdown for ``question``, warnings). The whole rubric file when the exercise has
    one hand-graded question; else the section whose heading names the question. Warns when the
    rubric names another question or other points than the master gives."""
    path = path or _rubric_file(assignment_name)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None, [f"no rubric found at {path}"]
    warnings = []
    number = re.search(r"\d+", question.title.split(":", 1)[0])
    subtitle = question.title.split(":", 1)[-1].strip()
    if n_manual > 1:
        section = _section(text, question)
        if section is None:
            warnings.append(f"no heading of {path.name} names {question.title!r}: the whole rubric is shown")
        else:
            text = section
    first = next((line for line in text.splitlines() if line.startswith("#")), "")
    named = subtitle.casefold() in first.casefold() or (
        number and re.search(rf"\bQuestion {number.group()}\b", text))
    if not named:
        warnings.append(f"{path.name} does not name {question.title!r}: check it is this question's rubric")
    worth = re.findall(r"worth \*\*([\d.]+) points?\*\*", text)
    if worth and any(abs(float(w) - question.points) > 1e-9 for w in worth):
        warnings.append(f"{path.name} says the question is worth {' / '.join(worth)} points; the "
                        f"exercise gives {question.points:g}")
    return text, warnings


def _render_markdown(text: str, base: Path, page_folder: Path) -> str:
    """Rubric Markdown as HTML: raw HTML escaped; a relative link to a file of the repository
    points at it by a path relative to the page when the page is inside the repository (as
    ``_build/grades/`` is), never by an absolute ``file://`` path, so the folder can be handed on;
    the file's place in the repository is the link's title either way."""
    from markdown_it import MarkdownIt
    from ... import assign

    inside = page_folder.resolve().is_relative_to(assign.REPO)

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(text)

    def fix(children):
        for token in children or []:
            if token.type == "link_open":
                href = token.attrGet("href") or ""
                if href and not re.match(r"^[a-z][a-z0-9+.-]*:|^#", href, re.I):
                    target = (base / href.split("#")[0]).resolve()
                    if target.exists() and inside:
                        token.attrSet("href", Path(os.path.relpath(target, page_folder.resolve())).as_posix())
                        token.attrSet("title", _in_repository(target))
                    elif target.exists():
                        token.attrs.pop("href", None)
                        token.attrSet("title", f"{_in_repository(target)} in the repository")
                    else:
                        token.attrs.pop("href", None)
            fix(token.children)

    fix(tokens)
    return md.renderer.render(tokens, md.options, {})


# --- pseudonyms --------------------------------------------------------------------------------
def _read_table(path: Path) -> tuple[list[str], list[tuple[int, dict]], str]:
    """(header, [(line number, row)], delimiter) of a CSV file that may have passed through a
    spreadsheet (byte-order mark, ``;`` or tab between cells). Raises ``ValueError``."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not UTF-8 text; save it as \"CSV UTF-8\" and run again.") from None
    first = text.split("\n", 1)[0]
    delimiter = delimiter_of(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        rows, starts_at = [], reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):  # the line the row starts on (a cell may hold a newline)
                rows.append((starts_at, dict(zip(header, cells))))
            starts_at = reader.line_num + 1
    except csv.Error as error:
        raise ValueError(f"{path} line {reader.line_num}: not a readable CSV file ({error}).") from None
    return header, rows, delimiter


def _student_cell(text: str) -> str:
    """A student id as a spreadsheet may have saved it: spaces trimmed, formula guard undone."""
    return plain_text(text.strip())


def _pseudonyms(path: Path, students: list[str]) -> dict[str, str]:
    """student -> pseudonym, kept in ``path``; new students get new random ones."""
    mapping: dict[str, str] = {}
    if path.exists():
        header, rows, _ = _read_table(path)
        if "student" not in header or "pseudonym" not in header:
            raise ValueError(f"{path} lacks its student and pseudonym columns; restore it from a "
                             "backup, or delete it to draw new pseudonyms (then manual.csv rows "
                             "that use the old ones cannot be merged).")
        mapping = {_student_cell(r.get("student", "")): r.get("pseudonym", "").strip() for _, r in rows}
    new = [s for s in students if s not in mapping]
    if new:
        used = set(mapping.values())
        for student in new:
            name = ""
            while not name or name in used:
                name = "S-" + "".join(secrets.choice(_PSEUDONYM_ALPHABET) for _ in range(4))
            mapping[student] = name
            used.add(name)
        rows_out = [{"student": s, "pseudonym": p} for s, p in sorted(mapping.items(), key=lambda kv: kv[1])]
        atomic_write_bytes(path, csv_bytes(["student", "pseudonym"], rows_out))
    return mapping


# --- manual.csv --------------------------------------------------------------------------------
@dataclass
class _Entry:
    student: str
    label: str                  # what the pages and new manual.csv rows call the student
    answers: dict               # question -> captured answer (or None: not captured)
    numbers: tuple = ()         # the student's own numbers in words (exercises with variants)


def _number(text: str) -> float | None:
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as spreadsheets in many countries write it
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def read_manual(path: Path, questions, students, pseudonyms: dict[str, str] | None = None
                ) -> tuple[report.ManualPoints, list[str], set[tuple[str, str]]]:
    """Read and check ``manual.csv``: (the points and comments given, error messages, the
    (student, question) pairs it has rows for). Every bad row gives one message with its line."""
    questions = list(questions)
    by_name = {q.name.casefold(): q for q in questions}
    points = report.ManualPoints({q.name: q.points for q in questions}, {q.name: q.title for q in questions})
    errors: list[str] = []
    present: set[tuple[str, str]] = set()
    students = set(students)
    by_pseudonym = {p: s for s, p in (pseudonyms or {}).items()}
    try:
        header, rows, _ = _read_table(path)
    except OSError as error:
        return points, [f"{path} cannot be read ({error.strerror or error})."], present
    except ValueError as error:
        return points, [str(error)], present
    missing = [c for c in ("student", "question", "points") if c not in header]
    if missing:
        return points, [f"{path} lacks the column(s) {', '.join(missing)}; its first line must be: "
                        + ",".join(COLUMNS)], present
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        where = f"{path.name} line {line}"
        cell = _student_cell(row.get("student") or "")
        student = cell if cell in students else by_pseudonym.get(cell)
        q = by_name.get((row.get("question") or "").strip().casefold())
        if student is None:
            errors.append(f"{where}: unknown student {cell!r}: not a student (or pseudonym) of this "
                          "class's graded notebooks; correct it or delete the row.")
        if q is None:
            errors.append(f"{where}: unknown question {(row.get('question') or '').strip()!r}; the "
                          "questions graded by hand are " + ", ".join(x.name for x in questions) + ".")
        if student is None or q is None:
            continue
        present.add((student, q.name))
        text = (row.get("points") or "").strip()
        if not text:
            continue  # not graded yet
        try:
            value = _number(text)
        except ValueError:
            errors.append(f"{where}: points {text!r} for {cell} on {q.name} is not a number; write "
                          f"one from 0 to {q.points:g} (e.g. 2.5), or leave it blank to grade later.")
            continue
        if not 0 <= value <= q.points + 1e-9:
            errors.append(f"{where}: {value:g} points for {cell} on {q.name} is out of range: "
                          f"{q.name} is worth 0 to {q.points:g} points.")
            continue
        if (student, q.name) in seen:
            errors.append(f"{where}: {cell} already has points for {q.name} on line "
                          f"{seen[(student, q.name)]}; keep one of the two rows.")
            continue
        seen[(student, q.name)] = line
        points.points.setdefault(student, {})[q.name] = round(value, 6)
        comment = _CONTROL.sub("", plain_text((row.get("comment") or "").strip()))  # as csv_bytes guarded it
        if comment and comment != _BLANK_COMMENT:
            points.comments.setdefault(student, {})[q.name] = comment
    return points, errors, present


def ensure_rows(path: Path, rows: list[dict]) -> tuple[int, list[str]]:
    """Create ``manual.csv`` with ``rows``, or append the rows it lacks (given the pairs present),
    keeping every byte already there. Returns (rows added, problems)."""
    if not rows:
        return 0, []
    if not path.exists():
        atomic_write_bytes(path, csv_bytes(list(COLUMNS), rows))
        return len(rows), []
    raw = path.read_bytes()
    try:
        header, _, delimiter = _read_table(path)
    except ValueError as error:
        return 0, [f"{error} No rows were added to it."]
    if not {"student", "question", "points"} <= set(header):
        return 0, []  # read_manual says what is wrong with it; nothing is added to a file we cannot read
    terminator = "\r\n" if b"\r\n" in raw else "\n"
    added = rows_bytes([[row.get(column) for column in header] for row in rows], terminator, delimiter)
    data = raw + (terminator.encode() if raw and not raw.endswith(b"\n") else b"") + added
    if path.read_bytes() != raw:  # someone saved it just now: leave their file alone
        return 0, [f"{path} changed while the grader read it; no rows were added. Run again."]
    atomic_write_bytes(path, data)
    return len(rows), []


# --- the pages ---------------------------------------------------------------------------------
def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def _in_repository(path: Path) -> str:
    """A file's place in the repository (``book/rubrics/x.md``), or its path outside it."""
    from ... import assign

    path = Path(path).resolve()
    return path.relative_to(assign.REPO).as_posix() if path.is_relative_to(assign.REPO) else str(path)


def _answer_body(answer: dict | None) -> tuple[list[str], int]:
    """(HTML of one captured answer, its words), everything escaped."""
    if answer is None:
        return ['<p class="text empty">Not captured: this notebook was graded by an older grader. '
                "Run socialkit-grade again with --redo to read it.</p>"], 0
    if not answer.get("found"):
        return ['<p class="text empty">The question\'s cells are missing from this notebook, so no '
                "answer could be read. Open the notebook to check.</p>"], 0
    if not answer.get("cells"):
        return [f'<p class="text empty">({_BLANK_COMMENT})</p>'], 0
    body = []
    for cell in answer["cells"]:
        if cell["kind"] == "code":
            body.append(f'<pre class="code"><code>{_esc(cell["text"])}</code></pre>')
        else:
            body.append(f'<div class="text">{_esc(cell["text"])}</div>')
    if answer.get("cut"):
        body.append(f'<p class="empty">… {answer["cut"]:,} more characters in the notebook, not shown.</p>')
    return body, answer.get("words", 0)


def _numbers_html(entry: _Entry) -> list[str]:
    """The figures this student's answer should quote (their own numbers), if the exercise has them."""
    if not entry.numbers:
        return []
    return ['<p class="meta">Their numbers: ' + "; ".join(map(_esc, entry.numbers)) + "</p>"]


def _answer_text(answer: dict | None) -> str | None:
    """What grouping compares: the answer's cells, or None when there is no answer to compare."""
    if not answer or not answer.get("found") or not answer.get("cells"):
        return None
    return "\n".join(cell["text"] for cell in answer["cells"])


def _member(label: str) -> str:
    return f'<span class="member" id="{_esc(safe_name(label))}">{_esc(label)}</span>'


def _card(card_id: str, classes: str, heading: str, words: int, body: list[str], controls: str,
          note: str = "", hidden: bool = False) -> str:
    return "\n".join([f'<article class="{classes}" data-group="{card_id}"{" hidden" if hidden else ""}>',
                      f"<h3>{heading}</h3>", f'<p class="meta">{words} words{note}</p>', *body, controls,
                      "</article>"])


def _group_html(group_id: str, group, by_label: dict[str, _Entry], q: ManualQuestion, found) -> str:
    """The group's card: its answer (each near-identical one too), its members, the controls. A
    group of several also gets each member's own card, hidden until that one is scored apart."""
    first = by_label[group.members[0]]
    body, words = _answer_body(first.answers.get(q.name))
    size = len(group.members)
    if size == 1:
        return _card(group_id, "answer", _member(first.label), words, _numbers_html(first) + body,
                     desk.controls_html(found, group_id, 1))
    kind = "identical" if group.kind == "identical" else "near-identical"
    heading = f"{size} {kind} answers: " + ", ".join(_member(m) for m in group.members)
    for label in group.members[1:]:
        if group.alike[label] < 1:
            other, _ = _answer_body(by_label[label].answers.get(q.name))
            body += [f'<details class="variant"><summary>{_esc(label)}\'s answer '
                     f"({group.alike[label]:.0%} alike)</summary>", *other, "</details>"]
    numbers = [f"<li>{_esc(m)}: " + "; ".join(map(_esc, by_label[m].numbers)) + "</li>"
               for m in group.members if by_label[m].numbers]
    if numbers:
        body = ['<details class="numbers"><summary>Their numbers</summary><ul>', *numbers, "</ul></details>",
                *body]
    body.append('<p class="split">Score one apart: ' + " ".join(
        f'<button type="button" class="apart" data-member="{_esc(m)}">{_esc(m)}</button>' for m in group.members)
        + "</p>")
    cards = [_card(group_id, "answer group", heading, words, body, desk.controls_html(found, group_id, size),
                   " · one decision scores them all")]
    for i, label in enumerate(group.members, 1):
        own, n = _answer_body(by_label[label].answers.get(q.name))
        own = _numbers_html(by_label[label]) + own
        own.append(f'<p class="split"><button type="button" class="rejoin" data-member="{_esc(label)}">'
                   "Back to the group</button></p>")
        cards.append(_card(f"{group_id}-{i}", "answer alone", f"{_esc(label)} (scored apart from its group)",
                           n, own, desk.controls_html(found, f"{group_id}-{i}", 1), hidden=True))
    return "\n".join(cards)


def _head(title: str, data: str, mathjax: str | None) -> list[str]:
    """The page's head: the desk's files (relative links), its data, a policy that lets the page
    load nothing from outside its folder."""
    policy = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data:; font-src 'self' data:; connect-src 'self'")
    head = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_esc(title)}</title>", '<link rel="stylesheet" href="desk/desk.css">',
            f'<script type="application/json" id="desk-data">{data}</script>',
            '<script src="desk/mathjax-config.js"></script>']
    if mathjax:
        head.append(f'<script defer src="{mathjax}"></script>')
    return head + ['<script defer src="desk/desk.js"></script>', "</head>"]


def _page(q: ManualQuestion, groups: list, by_label: dict[str, _Entry], exercise: str, rubric: _Rubric,
          data: str, mathjax: str | None, order: str, anonymised: bool) -> str:
    who = "pseudonyms" if anonymised else "student ids"
    n = len(by_label)
    intro = [
        '<body class="tex2jax_ignore">', "<header>", f"<h1>{_esc(q.title)}</h1>",
        f'<p class="meta">{_esc(exercise)} · graded by hand · {q.points:g} points · '
        f"{n} answers in {len(groups)} groups · {_esc(order)} · students named by {who}</p>",
        "<p>Score each answer (or group of alike answers: one decision scores them all) with a click "
        "per rubric criterion, add a comment for the student, then save "
        f"<code>{MANUAL_CSV}</code> into this folder and run socialkit-grade again: it merges the "
        "points into grades.csv and the feedback. Your work is kept in this browser as you go. "
        f"Without scripts, write the points in the rows of question <code>{_esc(q.name)}</code> of "
        f"<code>{MANUAL_CSV}</code> instead.</p>",
        *([] if mathjax else ['<p class="meta">Maths is shown as written ($p$): MathJax is copied '
                              "here from the kit's checkout, and this grader has none (run make setup "
                              "there).</p>"]),
        "</header>",
        '<div class="bar"><p class="progress" aria-live="polite">'
        f'<span id="scored">0</span> of {n} scored</p>'
        f'<button type="button" id="download" disabled>Download {MANUAL_CSV}</button>'
        f'<button type="button" id="save" hidden>Save to {MANUAL_CSV}</button>'
        '<span id="status" role="status"></span></div>']
    warnings = [f'<p class="warning">{_esc(w)}</p>' for w in rubric.warnings]
    section = ['<section class="rubric tex2jax_process">', "<h2>Rubric</h2>",
               f'<p class="meta">From {_esc(rubric.source)}</p>', *warnings,
               rubric.html or '<p class="empty">No rubric to show.</p>', "</section>"]
    answers = ['<section>', "<h2>Answers</h2>", '<div class="answers tex2jax_process">',
               *(_group_html(f"g{i + 1}", g, by_label, q, rubric.criteria) for i, g in enumerate(groups)),
               "</div>", "</section>"]
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    foot = [f'<footer class="meta" style="text-align:center">Written by socialkit-grade, {stamp}, '
            "from the signed grading records.</footer>", "</body>", "</html>"]
    return "\n".join(_head(f"{q.title}: {exercise}", data, mathjax) + intro + section + answers + foot) + "\n"


def _exercise_title(assignment_name: str) -> str:
    master = _master(assignment_name)
    if master is not None:
        import json

        try:
            for cell in json.loads(master.read_text(encoding="utf-8"))["cells"]:
                if cell.get("cell_type") == "markdown":
                    for line in _text(cell.get("source")).splitlines():
                        if line.startswith("# "):
                            return line[2:].strip()
        except (OSError, ValueError, KeyError):
            pass
    return assignment_name


# --- all of it ---------------------------------------------------------------------------------
@dataclass
class ManualResult:
    """What ``grade_by_question`` wrote and found."""

    questions: tuple[ManualQuestion, ...] = ()
    pages: list[Path] = field(default_factory=list)
    csv: Path | None = None
    added: int = 0                  # rows added to manual.csv in this run
    graded: int = 0                 # (student, question) pairs with points
    to_grade: int = 0               # pairs still without points
    merged: bool = False            # grades.csv includes the points given by hand
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    manual: report.ManualPoints | None = None

    def messages(self) -> list[str]:
        if not self.questions:
            return self.notes
        out = [f"Written answers: one page per question in {self.csv.parent}"
               f" ({', '.join(p.name for p in self.pages)}); {self.csv.name}: {self.graded} answer(s) "
               f"graded, {self.to_grade} to grade" + (f", {self.added} row(s) added now" if self.added else "")
               + (". Points merged into grades.csv and the feedback." if self.merged else ".")]
        return out + self.notes

    def error_messages(self) -> list[str]:
        if not self.errors:
            return []
        name = self.csv.name if self.csv else MANUAL_CSV
        return [f"{name} has {len(self.errors)} problem(s), so no points given by hand were merged "
                "(grades.csv holds the autograded points only). Fix these and run again:",
                *("  " + e for e in self.errors)]


def grade_by_question(out_dir: Path, ag: Autograder, records: dict[str, list[dict]], *,
                      anonymise: bool = False, order_seed: int | None = None,
                      title: str | None = None) -> ManualResult:
    """Write the by-question pages and ``manual.csv`` for a graded class (``records`` as
    ``grade_class`` returns them), then merge the points filled in so far into ``grades.csv``
    and the feedback. See the module docstring."""
    if isinstance(order_seed, bool) or not (order_seed is None or isinstance(order_seed, int)):
        raise ValueError(f"order_seed must be a whole number or None; got {order_seed!r}.")
    out_dir = Path(out_dir)
    questions = questions_for(ag)
    result = ManualResult(questions)
    if not questions:
        if _master(ag.assignment_name) is None:
            result.notes.append(f"No exercise master named {ag.assignment_name!r} was found, so no "
                                "question is known to be graded by hand.")
        return result
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    result.csv = folder / MANUAL_CSV
    entries = _entries(records, questions, result)
    try:
        mapping = (_pseudonyms(out_dir / PSEUDONYMS, [e.student for e in entries])
                   if anonymise or (out_dir / PSEUDONYMS).exists() else {})
    except (OSError, ValueError) as error:
        result.errors.append(str(error))
        return result
    order = _order(entries, mapping, anonymise, order_seed)
    manual = _update_manual_csv(result, questions, entries, set(records), mapping)
    _write_pages(out_dir, folder, ag, questions, entries, title or _exercise_title(ag.assignment_name),
                 order, anonymise, result)
    if anonymise and _names_by_id(result.csv, {e.student for e in entries}):
        result.notes.append(f"{result.csv.name} already names students by id (it was made without "
                            "--anonymise); delete it while nothing is filled in to get pseudonyms.")
    if result.errors or not result.graded:
        return result
    # the merge
    name = title or ag.assignment_name or out_dir.name
    rows_out = report.student_rows(records, ag, manual)
    report.write_grades(out_dir / "grades.csv", rows_out, ag, manual)
    report.write_feedback(out_dir / "feedback", records, ag, name, manual)
    report.check_grades(out_dir / "grades.csv", records, ag, manual)
    result.merged = True
    return result


def _entries(records: dict[str, list[dict]], questions, result: ManualResult) -> list[_Entry]:
    """One entry per student with one graded notebook: the written answers of its record."""
    entries = []
    for student, recs in records.items():
        if len(recs) > 1:
            result.notes.append(f"{student} handed in {len(recs)} notebooks: their answers are left out "
                                "of the pages until one is kept (see problems.csv).")
            continue
        if recs[0]["status"] in report.NOT_ATTEMPTED:
            continue
        written = recs[0].get("written")
        numbers = tuple((recs[0].get("variant") or {}).get("numbers") or ())
        entries.append(_Entry(student, student, {q.name: (written or {}).get(q.name) if written is not None
                                                 else None for q in questions}, numbers))
    return entries


def _order(entries: list[_Entry], mapping: dict[str, str], anonymise: bool, order_seed: int | None) -> str:
    """Put ``entries`` in the order of the pages (labelled by pseudonym when anonymised); says which."""
    if anonymise:
        for e in entries:
            e.label = mapping[e.student]
        entries.sort(key=lambda e: e.label)
        random.Random(0 if order_seed is None else order_seed).shuffle(entries)
        return f"random order (seed {0 if order_seed is None else order_seed})"
    entries.sort(key=lambda e: e.student.casefold())
    if order_seed is not None:
        random.Random(order_seed).shuffle(entries)
    return "id order" if order_seed is None else f"random order (seed {order_seed})"


@dataclass
class _Rubric:
    """One question's rubric as its page shows it, and the criteria the desk scores with."""

    html: str | None
    source: str
    warnings: list[str]
    criteria: tuple


def _rubric(ag: Autograder, q: ManualQuestion, n_questions: int, folder: Path) -> _Rubric:
    text, warnings = rubric_for(ag.assignment_name, q, n_questions)
    path = _rubric_file(ag.assignment_name)
    found, problems = desk.criteria(text, q.points)
    return _Rubric(_render_markdown(text, path.parent, folder) if text else None, _in_repository(path),
                   warnings + problems, found)


def _sheet_rows(path: Path) -> list[dict]:
    """manual.csv's rows as the page carries them (so its download keeps every one)."""
    try:
        _, rows, _ = _read_table(path)
    except (OSError, ValueError):
        return []
    return [{c: (row.get(c) or "") for c in COLUMNS} for _, row in rows]


def _write_pages(out_dir: Path, folder: Path, ag: Autograder, questions, entries: list[_Entry],
                 exercise: str, order: str, anonymise: bool, result: ManualResult) -> None:
    """One page per question: the rubric, every answer (alike ones grouped), the desk's controls."""
    mathjax = desk.install(folder)
    by_label = {e.label: e for e in entries}
    rows = _sheet_rows(result.csv)
    for q in questions:
        rubric = _rubric(ag, q, len(questions), folder)
        groups = group_answers({e.label: _answer_text(e.answers.get(q.name)) for e in entries})
        data = desk.page_data(
            key=desk.storage_key(folder, ag.assignment_name or out_dir.name, q.name), question=q.name,
            points=q.points, found=rubric.criteria, rows=rows, blank_comment=_BLANK_COMMENT,
            groups={f"g{i + 1}": list(g.members) for i, g in enumerate(groups)},
            alone={m: f"g{i + 1}-{j + 1}" for i, g in enumerate(groups) if len(g.members) > 1
                   for j, m in enumerate(g.members)})
        page = folder / f"{safe_name(q.name)}.html"
        atomic_write_text(page, _page(q, groups, by_label, exercise, rubric, data, mathjax, order, anonymise))
        result.pages.append(page)
        result.notes += [f"{q.name}: {w}" for w in rubric.warnings]


def _update_manual_csv(result: ManualResult, questions, entries: list[_Entry], all_students: set[str],
                       mapping: dict[str, str]) -> report.ManualPoints:
    """manual.csv: the rows it lacks added (every byte there kept), then read back."""
    _, _, present = (read_manual(result.csv, questions, all_students, mapping) if result.csv.exists()
                     else (None, [], set()))
    rows = []
    for e in entries:
        for q in questions:
            if (e.student, q.name) not in present:
                answer = e.answers.get(q.name)
                blank = answer is not None and answer.get("found") and not answer.get("cells")
                rows.append({"student": e.label, "question": q.name, "points": None,
                             "max points": q.points, "comment": _BLANK_COMMENT if blank else ""})
    result.added, problems = ensure_rows(result.csv, rows)
    result.errors += problems
    manual, errors, present = read_manual(result.csv, questions, all_students, mapping)
    result.errors += errors
    result.manual = manual
    result.graded = sum(len(v) for v in manual.points.values())
    result.to_grade = sum(1 for e in entries for q in questions if q.name not in manual.points.get(e.student, {}))
    return manual


def _names_by_id(path: Path, students: set[str]) -> bool:
    """Whether ``manual.csv`` names some students by their id (not by a pseudonym)."""
    try:
        _, rows, _ = _read_table(path)
    except (OSError, ValueError):
        return False
    return any(_student_cell(r.get("student", "")) in students for _, r in rows)

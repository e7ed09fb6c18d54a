"""The grading desk: the parts of a by-question page that let a grader score answers in the browser.

``manual.py`` writes one page per hand-graded question; this package gives it what makes the page
a desk, offline and with no server:

* **the criteria** (``criteria``), read from the rubric's criteria table
  (``book/rubrics/<exercise>.md``: ``| # | Criterion | Full point | Half point | No point |``, or
  columns named ``4 points``, ``2 points``, ``0 points``): the points are defined once, there, and
  each criterion becomes a row of buttons. When the table cannot be read, or its points do not
  add up to the question's, one row of buttons from 0 to the question's points (in halves) takes
  its place and the page says why;
* **the controls** (``controls_html``) under each group of answers (``groups``): a button per
  level of each criterion, a comment box, the points so far;
* **the page's data** (``page_data``): what ``desk.js`` needs, as JSON in a
  ``<script type="application/json">`` element (never run): the key under which the browser keeps
  the work (``localStorage``, by grade folder and question), the criteria, the rows of
  ``manual.csv`` as they were when the page was written, so the download carries every row;
* **the files** (``install``): ``desk.js`` and ``desk.css`` copied next to the pages in
  ``by-question/desk/``, with MathJax (``tex-svg.js``, the book's own copy from ``npm ci``) when the
  checkout has it, so maths in answers is typeset with no network. Pages link them relatively, so
  the ``by-question`` folder can be handed to a teaching assistant as it is.

>>> rubric = '''## Criteria
... | # | Criterion | Full point | Half point | No point |
... |---|---|---|---|---|
... | 1 | **Uses the numbers** | a | b | c |
... | 2 | **Says what to do** | a | b | c |
... '''
>>> found, warnings = criteria(rubric, 2.0)
>>> [(c.name, [level.points for level in c.levels]) for c in found], warnings
([('Uses the numbers', [1.0, 0.5, 0.0]), ('Says what to do', [1.0, 0.5, 0.0])], [])
>>> [c.name for c in criteria(rubric, 3.0)[0]], criteria(rubric, 3.0)[1]
(['Points'], ["the rubric's criteria add up to 2 points; the exercise gives 3, so the page scores the answer as a whole"])
"""
from __future__ import annotations

import html
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from ...intake.store import atomic_write_bytes

__all__ = ["Level", "Criterion", "criteria", "controls_html", "page_data", "install", "ASSETS",
           "FILES", "storage_key", "mathjax_source"]

#: the desk's own files, shipped with the package
ASSETS = Path(__file__).resolve().parent
#: copied into ``by-question/desk/`` for every page
FILES = ("desk.js", "desk.css", "mathjax-config.js")
_SUBFOLDER = "desk"
_MATHJAX = "tex-svg.js"
_NAMED_LEVELS = {"full": 1.0, "half": 0.5, "no": 0.0}


@dataclass(frozen=True)
class Level:
    label: str          # "Full point", "2 points"
    points: float


@dataclass(frozen=True)
class Criterion:
    name: str
    levels: tuple[Level, ...]      # best first

    @property
    def best(self) -> float:
        return max(level.points for level in self.levels)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def _level(header: str) -> Level | None:
    text = header.strip().strip("*")
    number = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s+points?", text, re.I)
    if number:
        return Level(text, float(number.group(1).replace(",", ".")))
    named = re.fullmatch(r"(full|half|no)\s+points?", text, re.I)
    return Level(text, _NAMED_LEVELS[named.group(1).lower()]) if named else None


def _table(text: str) -> tuple[list[Level], list[list[str]]] | None:
    """(levels, rows) of the first table headed ``| # | Criterion | ...levels |``."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        cells = _cells(line) if line.lstrip().startswith("|") else []
        if len(cells) >= 3 and cells[0] == "#" and cells[1].casefold() == "criterion":
            levels = [_level(c) for c in cells[2:]]
            rows = []
            for row in lines[i + 2:]:
                if not row.lstrip().startswith("|"):
                    break
                rows.append(_cells(row))
            return (levels, rows) if all(levels) else ([], rows)
    return None


def _whole(points: float) -> Criterion:
    steps = int(round(points * 2))
    return Criterion("Points", tuple(Level(f"{s / 2:g}", s / 2) for s in range(steps, -1, -1)))


def criteria(rubric: str | None, points: float) -> tuple[tuple[Criterion, ...], list[str]]:
    """(the criteria to score with, warnings) from the rubric's criteria table; one criterion
    "Points" (0 to ``points`` in halves) when the table is missing, unreadable or adds up to
    other points than the question's."""
    table = _table(rubric or "")
    if table is None:
        return (_whole(points),), ["the rubric has no criteria table (| # | Criterion | ... |), so the "
                                   "page scores the answer as a whole"]
    levels, rows = table
    if not levels:
        return (_whole(points),), ["the criteria table's columns are not points (\"Full point\", "
                                   "\"Half point\", \"No point\" or \"N points\"), so the page scores "
                                   "the answer as a whole"]
    found = tuple(Criterion(re.sub(r"\*\*|__", "", row[1]).strip(),
                            tuple(sorted(levels, key=lambda lv: -lv.points)))
                  for row in rows if len(row) >= 2 and row[1])
    total = sum(c.best for c in found)
    if not found or abs(total - points) > 1e-9:
        return (_whole(points),), [f"the rubric's criteria add up to {total:g} points; the exercise gives "
                                   f"{points:g}, so the page scores the answer as a whole"]
    return found, []


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


def controls_html(found: tuple[Criterion, ...], group: str, size: int) -> str:
    """The controls under one group of answers: a button per level of each criterion, a comment
    box, the points. Without a script (a printout) they read as the rubric's scale."""
    rows = []
    for i, c in enumerate(found):
        buttons = "".join(
            f'<button type="button" class="level" data-criterion="{i}" data-points="{lv.points:g}" '
            f'aria-pressed="false">{_esc(lv.label)}{"" if lv.label == f"{lv.points:g}" else f" · {lv.points:g}"}'
            "</button>" for lv in c.levels)
        rows.append(f'<div class="criterion" role="group" aria-label="{_esc(c.name)}">'
                    f'<span class="criterion-name">{_esc(c.name)}</span>{buttons}</div>')
    best = sum(c.best for c in found)
    applies = f" (applies to all {size})" if size > 1 else ""
    return (f'<div class="controls" data-group="{_esc(group)}">{"".join(rows)}'
            f'<label class="comment">Comment for the student{applies}'
            f'<textarea rows="2" data-group="{_esc(group)}"></textarea></label>'
            f'<p class="total">Points: <output>—</output> / {best:g}</p></div>')


def storage_key(folder: Path, assignment: str, question: str) -> str:
    """Where the browser keeps the work on one question of one grade folder: the folder's desk id
    (random, made once and kept in ``by-question/desk/id``, so it follows the folder when it is
    moved or handed on, and two classes of one exercise never share their work)."""
    path = Path(folder) / _SUBFOLDER / "id"
    try:
        folder_id = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        folder_id = ""
    if not re.fullmatch(r"[0-9a-f]{16}", folder_id):
        folder_id = secrets.token_hex(8)
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, folder_id.encode() + b"\n")
    return f"socialkit-desk:{assignment}:{folder_id}:{question}"


def page_data(*, key: str, question: str, points: float, found: tuple[Criterion, ...],
              groups: dict[str, list[str]], rows: list[dict], blank_comment: str,
              alone: dict[str, str] | None = None) -> str:
    """The page's data as JSON safe inside a ``<script type="application/json">`` element.
    ``groups``: card -> the students it scores; ``alone``: student -> the card that scores them
    apart from their group; ``rows``: manual.csv's rows as read (``student``, ``question``,
    ``points``, ``max points``, ``comment``), so the download keeps other questions' rows and
    starts from what is there."""
    data = {"key": key, "question": question, "max": points, "blank": blank_comment,
            "criteria": [{"name": c.name, "levels": [lv.points for lv in c.levels]} for c in found],
            "groups": groups, "alone": alone or {}, "rows": rows}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def mathjax_source() -> Path | None:
    """The book's MathJax (``npm ci`` puts it in the checkout's node_modules), or None."""
    from .... import assign  # the checkout's node_modules, where `npm ci` puts the book's MathJax

    path = assign.REPO / "node_modules" / "mathjax" / "es5" / _MATHJAX
    return path if path.is_file() else None


def install(folder: Path) -> str | None:
    """Copy the desk's files into ``folder/desk/`` (a file already the same is left alone);
    returns the page-relative path of MathJax, or None when this checkout has none."""
    target = Path(folder) / _SUBFOLDER
    target.mkdir(parents=True, exist_ok=True)
    sources = [ASSETS / name for name in FILES]
    mathjax = mathjax_source()
    if mathjax is not None:
        sources.append(mathjax)
    for source in sources:
        copy = target / source.name
        data = source.read_bytes()
        if not copy.exists() or copy.read_bytes() != data:
            atomic_write_bytes(copy, data)
    return f"{_SUBFOLDER}/{_MATHJAX}" if mathjax is not None else None

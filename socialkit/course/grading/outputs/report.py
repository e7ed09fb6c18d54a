"""What the grader hands back: ``grades.csv``, ``problems.csv``, feedback files, a figure, a table.

All of it is rebuilt from the per-submission records on every run (see ``store.py``), and every
file is written atomically.

* ``grades.csv``: one row per student: status, points per question, total, possible, percent,
  the file graded and a note. Points are blank when no score can be given without the
  instructor (``duplicate``, ``error``) or when no question was attempted (``not-a-notebook``,
  ``wrong-assignment``, whose total is 0). Once points are given by hand (``manual.py``), a
  column per hand-graded question too, counted in the total and the possible points.
* ``problems.csv``: every file and student that needs a look, one row each, with the reason.
* ``feedback/<student>.md``: per question, the public tests' results with their messages, and
  for each hidden test its plain description and whether it passed ("a hidden check of bass_F
  (1 of 3): failed"), never its name, code, inputs or error text. One file per student, named
  by ``identity.safe_name`` (two ids never share a file).
* ``summary.png``: the distribution of totals and each question's share of full marks.

Every cell of every CSV that a spreadsheet would read as a formula (one starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading ``'``, so a student id
or a file name can never run in the instructor's spreadsheet. ``check_grades`` reads
``grades.csv`` back and checks it against the records in ``results/``.
"""
from __future__ import annotations

import csv
import io
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from ..intake.autograder import Autograder
from ..intake.identity import safe_name
from ..intake.records import NOT_ATTEMPTED
from ..intake.store import atomic_write_bytes, atomic_write_text
from ..intake.variant_ids import typed_another
from .tables import cell, csv_bytes, delimiter_of, number, plain_text

__all__ = ["STATUSES", "ManualPoints", "student_rows", "write_grades", "write_problems", "feedback_markdown",
           "write_feedback", "summary_figure", "summary_table", "check_grades", "check_row", "read_grades",
           "point_columns", "GRADES_COLUMNS",
           "feedback_names", "GradesMismatch"]

STATUSES = {
    "ok": "graded normally",
    "timeout": "a cell or test ran past its time limit; it was stopped and the rest was graded",
    "memory": "a cell ran out of memory; the rest was graded",
    "crashed": "a cell stopped the Python kernel (e.g. os._exit) or the grading process; that cell "
               "was skipped and the rest graded again",
    "not-a-notebook": "the file is not a readable Jupyter notebook: nothing could be graded",
    "wrong-assignment": "the notebook belongs to another assignment (or lost its otter metadata): "
                        "not graded",
    "duplicate": "the student handed in several notebooks: each was graded (see problems.csv); "
                 "name the one that counts in choices.csv (student,file) and re-run",
    "error": "the grader itself failed (not the student's doing); re-run to retry",
}

#: statuses whose details (cell numbers, limits) are the student's to read
_STUDENT_STATUSES = {"timeout", "memory", "crashed", "not-a-notebook", "wrong-assignment"}


@dataclass
class ManualPoints:
    """Points given by hand to written answers (``manual.py`` reads them from manual.csv)."""

    questions: dict[str, float]                                        # name -> max, in order
    titles: dict[str, str] = field(default_factory=dict)               # name -> "Question 4: ..."
    points: dict[str, dict[str, float]] = field(default_factory=dict)  # student -> name -> points
    comments: dict[str, dict[str, str]] = field(default_factory=dict)  # student -> name -> comment

    @property
    def possible(self) -> float:
        return sum(self.questions.values())


def student_rows(records_by_student: dict[str, list[dict]], ag: Autograder,
                 manual: ManualPoints | None = None) -> list[dict]:
    """One row per student for ``grades.csv`` from their records (several if a duplicate);
    with ``manual``, a column per hand-graded question, added to the total and the possible."""
    rows = []
    for student in sorted(records_by_student, key=str.casefold):
        records = records_by_student[student]
        row = {"student": student}
        if len(records) > 1:
            parts = [f"{r['relpath']}: {number(r.get('total')) or '-'}/{ag.possible:g} ({r['status']})"
                     for r in records]
            row.update(status="duplicate", total=None, file="; ".join(r["relpath"] for r in records),
                       note=f"{len(records)} notebooks, all graded: " + "; ".join(parts)
                       + ". Name the one that counts in choices.csv (student,file) and re-run.")
            row.update({q: None for q in ag.question_names})
        else:
            r = records[0]
            row.update(status=r["status"], total=r.get("total"), file=r["relpath"],
                       note=r.get("detail", ""))
            scores = r.get("scores") or {}
            row.update({q: scores.get(q) for q in ag.question_names})
        variant = next((r["variant"] for r in records if r.get("variant")), None)
        if variant:
            row["variant"] = variant["student"]
            typed = sorted({r["variant"]["typed"] for r in records if typed_another(r.get("variant"))})
            if typed:
                row["note"] = "; ".join(filter(None, [row.get("note"), "the notebook typed student_id "
                                                      + ", ".join(map(repr, typed))]))
        possible = ag.possible
        if manual is not None:
            given = manual.points.get(student, {})
            row.update({q: given.get(q) for q in manual.questions})
            if row.get("total") is not None:
                row["total"] = round(row["total"] + sum(given.values()), 6)
            possible += manual.possible
            missing = [q for q in manual.questions if q not in given]
            if missing and row["status"] not in NOT_ATTEMPTED:
                row["note"] = "; ".join(filter(None, [row.get("note"), "written answers not graded yet: "
                                                      + ", ".join(missing)]))
        row["possible"] = possible
        total = row.get("total")
        row["percent"] = None if total is None else round(100 * total / possible, 1) if possible else None
        rows.append(row)
    return rows


class GradesMismatch(RuntimeError):
    """grades.csv does not say what the records in results/ say."""


def write_grades(path: Path, rows: list[dict], ag: Autograder, manual: ManualPoints | None = None) -> None:
    header = ["student", "status", *ag.question_names, *(manual.questions if manual else ()), "total",
              "possible", "percent", "file", "variant", "note"]
    atomic_write_bytes(path, csv_bytes(header, rows))


def write_problems(path: Path, problems: list[dict]) -> None:
    atomic_write_bytes(path, csv_bytes(["kind", "student", "file", "detail"], problems))


# --- feedback --------------------------------------------------------------------------------
def _question_feedback(name: str, ag: Autograder, record: dict) -> list[str]:
    q = ag.question(name)
    result = (record.get("questions") or {}).get(name)
    score = (record.get("scores") or {}).get(name)
    lines = [f"### {name}: {number(score) if score is not None else '-'} / {q.points:g} points", ""]
    if not result:
        lines += ["No test of this question could be run.", ""]
        return lines
    public = [c for c in result["cases"] if not c["hidden"]]
    hidden = [c for c in result["cases"] if c["hidden"]]
    if public:
        lines.append("Public tests (the ones `grader.check` runs in your notebook):")
        lines.append("")
        for case in public:
            mark = "passed" if case["passed"] else "failed"
            lines.append(f"- {'✅' if case['passed'] else '❌'} {mark} ({case['points']:g} point"
                         f"{'' if case['points'] == 1 else 's'})")
            message = (case.get("message") or "").replace("❌ Test case failed", "").strip()
            if not case["passed"] and message:
                lines += ["", "  ```", *["  " + line for line in message.splitlines()[-12:]], "  ```"]
        lines.append("")
    if hidden:
        passed = [c for c in hidden if c["passed"]]
        earned = sum(c["points"] for c in passed)
        worth = sum(c["points"] for c in hidden)
        lines += [f"Hidden tests: {len(passed)} of {len(hidden)} passed, {earned:g} of {worth:g} "
                  "points. They try your answers on inputs you have not seen; each says what it "
                  "checks:", ""]
        for case in hidden:
            verdict = ("passed" if case["passed"] else
                       "stopped at its time limit" if case.get("timed_out") else "failed")
            mark = "✅" if case["passed"] else "⏱️" if case.get("timed_out") else "❌"
            lines.append(f"- {mark} {case.get('description') or 'a hidden check'}: {verdict}")
        lines.append("")
    return lines


def _variant_feedback(variant: dict | None) -> list[str]:
    """Whose numbers were graded, and a friendly warning if the notebook typed another id."""
    if not variant:
        return []
    who = variant["student"]
    out = [f"**Your numbers.** This notebook was graded on the numbers of student id **{who}** "
           f"(taken from {variant['source']}). The grader ran your code again on those numbers, "
           "so every answer your code computes is checked on your own data.", ""]
    if variant.get("numbers"):
        out += ["Your numbers:", "", *[f"- {line}" for line in variant["numbers"]], ""]
    if typed_another(variant):
        out += [f"*Note:* your notebook says `student_id = \"{variant['typed']}\"`, which is not "
                f"{who}. Your functions and calculations were re-run on your own numbers, so they "
                "still count; but answers typed in as numbers worked out for another id (a "
                "classmate's, or the book's public numbers) score zero. Next time, type your own id: "
                f"`student_id = \"{who}\"`.", ""]
    return out


def _manual_feedback(student: str, manual: ManualPoints) -> list[str]:
    given, comments = manual.points.get(student, {}), manual.comments.get(student, {})
    out = ["## Written answers, graded by hand", ""]
    for q, most in manual.questions.items():
        points = given.get(q)
        out += [f"### {manual.titles.get(q) or q}: {number(points) if points is not None else 'not graded yet'}"
                f" / {most:g} points", ""]
        if comments.get(q):
            out += [comments[q], ""]
    return out


def _total_lines(student: str, records: list[dict], ag: Autograder, manual: ManualPoints | None) -> list[str]:
    """The first thing a student reads: the total (autograded plus by hand) out of every point,
    and plainly which written answers are still to be graded by hand."""
    possible = ag.possible + (manual.possible if manual else 0)
    if len(records) > 1:
        return [f"**Total: not decided yet (of {possible:g} points).** You handed in {len(records)} "
                "notebooks, each graded below; your instructor decides which one counts.", ""]
    auto = records[0].get("total")
    if auto is None:
        return [f"**Total: not known yet (of {possible:g} points).** The grader could not finish your "
                "notebook; your instructor will grade it again.", ""]
    if manual is None or not manual.questions:
        return [f"**Total: {number(auto)} / {possible:g} points**", ""]
    given = manual.points.get(student, {})
    by_hand = sum(given.values())
    missing = [q for q in manual.questions if q not in given]
    total = number(round(auto + by_hand, 6))
    graded_worth = sum(manual.questions[q] for q in manual.questions if q in given)
    parts = f"autograded {number(auto)} / {ag.possible:g}" + (
        f", written answers graded by hand {number(by_hand)} / {graded_worth:g}" if given else "")
    if records[0]["status"] in NOT_ATTEMPTED or not missing:
        return [f"**Total: {total} / {possible:g} points** ({parts})", ""]
    waiting = ", ".join(f"{manual.titles.get(q) or q} ({manual.questions[q]:g} points)" for q in missing)
    return [f"**Total so far: {total} / {possible:g} points** ({parts}).", "",
            f"Not graded yet: {waiting}. Your instructor grades written answers by hand; this total "
            "will change when they do.", ""]


def feedback_markdown(student: str, records: list[dict], ag: Autograder, title: str,
                      manual: ManualPoints | None = None) -> str:
    """The feedback file of one student: the total first (autograded and given by hand, out of
    every point, saying which written answers are not graded yet), then each notebook (several if
    they handed in several files) question by question; with ``manual``, a section with the
    points and comments given by hand (questions without points say "not graded yet")."""
    out = [f"# Feedback: {title}", "", f"Student: **{student}**", ""]
    out += _total_lines(student, records, ag, manual)
    for record in records:
        status = record["status"]
        total = record.get("total")
        out += [f"## {record['relpath']}", ""]
        out += [f"**Autograded score: {number(total) if total is not None else '-'} / {ag.possible:g}**"
                f" (status: {status})", ""]
        out += _variant_feedback(record.get("variant"))
        if status != "ok":
            shown = record.get("detail") if status in _STUDENT_STATUSES else ""
            out += [f"*{STATUSES.get(status, status)}.*" + (f" {shown}" if shown else ""), ""]
        if status in NOT_ATTEMPTED or status == "error":
            continue
        for name in ag.question_names:
            out += _question_feedback(name, ag, record)
    if manual is not None and manual.questions:
        out += _manual_feedback(student, manual)
    return "\n".join(out)


def feedback_names(students) -> dict[str, str]:
    """The feedback file name of each student id: one file per id, whatever its characters."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for student in sorted(students, key=str.casefold):
        name = safe_name(student)
        while name.casefold() in used:  # cannot happen with safe_name's hash; kept as a guard
            name += "_"
        used.add(name.casefold())
        names[student] = f"{name}.md"
    return names


def write_feedback(folder: Path, records_by_student: dict[str, list[dict]], ag: Autograder,
                   title: str, manual: ManualPoints | None = None) -> dict[str, str]:
    """One feedback file per student; returns {student: file name}. Stale files are removed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = feedback_names(records_by_student)
    for student, name in names.items():
        atomic_write_text(folder / name, feedback_markdown(student, records_by_student[student], ag, title,
                                                           manual))
    for old in folder.glob("*.md"):
        if old.name not in set(names.values()):
            try:
                old.unlink()
            except OSError:
                pass
    return names


#: ``variant``: the student id whose numbers the notebook was graded on (blank for an exercise
#: without per-student numbers), always written so that a grades.csv has one set of columns
GRADES_COLUMNS = ("student", "status", "total", "possible", "percent", "file", "variant", "note")


def read_grades(path: Path, *, strip: bool = False) -> tuple[list[str], list[dict]]:
    """The header and rows of a ``grades.csv``, perhaps saved again by a spreadsheet (a
    byte-order mark, ``;`` or tab between cells), each cell as its plain text
    (``tables.plain_text``); with ``strip``, without surrounding spaces and blank rows.
    Raises :class:`GradesMismatch` if it cannot be read."""
    tidy = (lambda v: plain_text(v.strip())) if strip else plain_text
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text.split("\n", 1)[0])))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise GradesMismatch(f"{path} cannot be read back: {error}") from None
    if strip:
        table = [row for row in table if any(c.strip() for c in row)]
    header = [tidy(h) for h in table[0]] if table else []
    return header, [dict(zip(header, map(tidy, row))) for row in table[1:]]


def check_row(where: str, row: dict, records: list[dict], parts: list[str], *,
              totals: bool = True) -> None:
    """The one rule for "a row of grades.csv says what the student's signed records say":
    a student with several notebooks is a ``duplicate`` without a total; otherwise the status and
    every autograded question's points are the record's, and (with ``totals``) the total is the
    record's plus the points in the other point columns ``parts`` (given by hand). Raises
    :class:`GradesMismatch` naming what differs."""
    if not records:
        raise GradesMismatch(f"{where} has no signed record of {row.get('file')!r} in results/")
    if len(records) > 1:
        if row.get("status") != "duplicate" or row.get("total"):
            raise GradesMismatch(f"{where} has status {row.get('status')!r} and total {row.get('total')!r} "
                                 f"but {len(records)} records: a duplicate without a total")
        return
    (record,) = records
    if record.get("status") != row.get("status"):
        raise GradesMismatch(f"{where} has status {row.get('status')!r} but its record says "
                             f"{record.get('status')!r}")
    scores = record.get("scores") or {}
    for q in parts:
        if q in scores and row.get(q, "") != number(scores[q]):
            raise GradesMismatch(f"{where} has {row.get(q)!r} points for {q} but its record says "
                                 f"{number(scores[q])!r}")
    if not totals:
        return
    if record.get("total") is None:
        if row.get("total"):
            raise GradesMismatch(f"{where} has a total of {row['total']!r} but its record has no score")
        return
    try:
        expected = record["total"] + sum(float(row[p]) for p in parts if p not in scores and row.get(p))
    except ValueError:
        raise GradesMismatch(f"{where} has points that are not numbers in "
                             f"{[row.get(p) for p in parts if p not in scores]}") from None
    if row.get("total") != number(round(expected, 6)):
        raise GradesMismatch(f"{where} has a total of {row.get('total')!r} but its record (and the "
                             f"other point columns) say {number(round(expected, 6))!r}")


def point_columns(header: list[str]) -> list[str]:
    """The point columns of a grades.csv header: between ``status`` and ``total``."""
    return header[header.index("status") + 1: header.index("total")]


def check_grades(path: Path, records_by_student: dict[str, list[dict]], ag: Autograder,
                 manual: ManualPoints | None = None) -> None:
    """Read ``grades.csv`` back and check it against the records (and ``manual``, the points
    given by hand): the same students, each row by :func:`check_row`, the points given by hand
    and the possible points. Raises :class:`GradesMismatch` saying what differs."""
    header, rows = read_grades(path)
    if any(c not in header for c in GRADES_COLUMNS):
        raise GradesMismatch(f"{path} lacks some of the columns {list(GRADES_COLUMNS)}")
    got = {}
    for row in rows:
        if row.get("student", "") in got:
            raise GradesMismatch(f"{path} has two rows for {row.get('student')!r}")
        got[row.get("student", "")] = row
    if set(got) != set(records_by_student):
        missing, extra = sorted(set(records_by_student) - set(got)), sorted(set(got) - set(records_by_student))
        raise GradesMismatch(f"{path} and the records list different students "
                             f"(missing {missing[:5]}, unexpected {extra[:5]})")
    expected_parts = [*ag.question_names, *(manual.questions if manual else ())]
    if point_columns(header) != expected_parts:
        raise GradesMismatch(f"{path} has the point columns {point_columns(header)}, not {expected_parts}")
    possible = number(ag.possible + (manual.possible if manual else 0))
    for student, row in got.items():
        where = f"{path}: {student!r}"
        check_row(where, row, records_by_student[student], expected_parts)
        given = manual.points.get(student, {}) if manual else {}
        for q in (manual.questions if manual else ()):
            if row.get(q, "") != cell(given.get(q)):
                raise GradesMismatch(f"{where} has {row.get(q)!r} points for {q} but manual.csv says "
                                     f"{cell(given.get(q))!r}")
        if row.get("possible") != possible:
            raise GradesMismatch(f"{where} has possible = {row.get('possible')!r}, not {possible!r}")


# --- summary ---------------------------------------------------------------------------------
def _with_total(rows: list[dict]) -> list[dict]:
    """Every student with a total (a notebook not handed in counts, with its 0)."""
    return [r for r in rows if r.get("total") is not None]


def _attempted(rows: list[dict]) -> list[dict]:
    return [r for r in _with_total(rows) if r["status"] not in NOT_ATTEMPTED]


def _question_points(ag: Autograder, manual: ManualPoints | None) -> dict[str, tuple[float, bool]]:
    """{question: (points, graded by hand)}, the autograded ones first."""
    out = {q: (ag.question(q).points, False) for q in ag.question_names}
    out.update({q: (most, True) for q, most in (manual.questions.items() if manual else ())})
    return out


def _values(rows: list[dict], q: str, by_hand: bool) -> list[float]:
    """The points of question ``q``; a written answer not graded yet is left out, not a 0."""
    if by_hand:
        return [float(r[q]) for r in rows if r.get(q) is not None]
    return [float(r.get(q) or 0) for r in rows]


def _left_out(rows: list[dict]) -> str:
    """Who has no total, and why, in a few words (blank if everyone has one)."""
    counts: dict[str, int] = {}
    for r in rows:
        if r.get("total") is None:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
    return ", ".join(f"{n} {status}" for status, n in counts.items())


def _not_graded_yet(rows: list[dict], manual: ManualPoints | None) -> int:
    if not manual:
        return 0
    return sum(1 for r in _attempted(rows) if any(r.get(q) is None for q in manual.questions))


def summary_figure(path: Path, rows: list[dict], ag: Autograder, title: str,
                   manual: ManualPoints | None = None) -> Path | None:
    """Histogram of every student's total (autograded plus, with ``manual``, the points given by
    hand) and each question's share of full marks, in the kit's style (PNG)."""
    import numpy as np
    from matplotlib.ticker import MaxNLocator

    from ....interactive import style

    totalled, attempted = _with_total(rows), _attempted(rows)
    if not totalled:
        return None
    possible = ag.possible + (manual.possible if manual else 0)
    totals = np.array([r["total"] for r in totalled], dtype=float)
    with style.figure(1, 2, figsize=(9.0, 3.6)) as (fig, (left, right)):
        if possible <= 40 and float(possible).is_integer():  # one bar per whole point
            bins = np.arange(-0.5, possible + 1.0)
        else:
            bins = np.linspace(0, possible, 21)
        left.hist(totals, bins=bins, color=style.PALETTE["blue"], edgecolor="white")
        left.axvline(float(np.median(totals)), color=style.PALETTE["vermillion"], linestyle="--",
                     label=f"median {np.median(totals):g}")
        left.yaxis.set_major_locator(MaxNLocator(integer=True))
        left.legend(loc="upper left")
        heading = f"Totals of {len(totalled)} of {len(rows)} students"
        missing = _left_out(rows)
        waiting = _not_graded_yet(rows, manual)
        notes = ([f"no total: {missing}"] if missing else []) + (
            [f"{waiting} with written answers not graded yet"] if waiting else [])
        what = "Points, autograded and by hand" if manual and manual.questions else "Autograded points"
        style.label_axes(left, x=f"{what} (of {possible:g})", y="Students", title=heading)
        if notes:  # who has no total, who is waiting for a grade by hand (room made above the bars)
            left.set_ylim(0, left.get_ylim()[1] * 1.4)
            left.text(0.98, 0.97, "\n".join(notes), transform=left.transAxes, ha="right", va="top",
                      fontsize=8, bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"})
        questions = _question_points(ag, manual)
        names = list(questions)
        full, mean = [], []
        for q, (points, by_hand) in questions.items():
            values = _values(attempted, q, by_hand)
            full.append(float(np.mean([v >= points - 1e-9 for v in values])) if values else 0.0)
            mean.append(float(np.mean([v / points for v in values])) if values and points else 0.0)
        x = np.arange(len(names))
        right.bar(x - 0.2, full, 0.4, color=style.PALETTE["bluish_green"], label="full marks")
        right.bar(x + 0.2, mean, 0.4, color=style.PALETTE["orange"], hatch="//", edgecolor="white",
                  label="mean share of points")
        right.set_xticks(x, [f"{q}*" if questions[q][1] else q for q in names])
        right.set_ylim(0, 1)
        style.percent_axis(right)
        right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, fontsize=9)
        style.label_axes(right, x="Question (* graded by hand)" if manual and manual.questions else "Question",
                         y="Share of students", title="Per question")
        fig.suptitle(title, fontsize=11)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    atomic_write_bytes(path, buffer.getvalue())
    return Path(path)


def summary_table(rows: list[dict], ag: Autograder, manual: ManualPoints | None = None) -> str:
    """A short plain-text summary: statuses, then per question (autograded, then graded by hand,
    over the answers graded so far) the mean and share of full marks, and the totals of every
    student with one."""
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    order = [s for s in STATUSES if s in counts]
    lines = [f"{len(rows)} students: " + ", ".join(f"{counts[s]} {s}" for s in order)]
    totalled, attempted = _with_total(rows), _attempted(rows)
    if totalled:
        questions = _question_points(ag, manual)
        width = max(8, *(len(q) + 1 for q in questions))
        lines.append(f"{'question':<{width}}  {'points':>6}  {'mean':>6}  {'full marks':>10}")
        for q, (pts, by_hand) in questions.items():
            values = _values(attempted, q, by_hand)
            label = f"{q}*" if by_hand else q
            if not values:
                lines.append(f"{label:<{width}}  {pts:>6g}  {'-':>6}  {'none graded':>10}")
                continue
            full = sum(v >= pts - 1e-9 for v in values) / len(values)
            lines.append(f"{label:<{width}}  {pts:>6g}  {statistics.fmean(values):>6.2f}  {full:>10.0%}")
        totals = [r["total"] for r in totalled]
        possible = ag.possible + (manual.possible if manual else 0)
        lines.append(f"{'total':<{width}}  {possible:>6g}  {statistics.fmean(totals):>6.2f}  "
                     f"{'median ' + format(statistics.median(totals), 'g'):>10}")
        notes = [f"totals of {len(totalled)} of {len(rows)} students"]
        if _left_out(rows):
            notes.append(f"no total: {_left_out(rows)}")
        if manual and manual.questions:
            notes.append("* graded by hand")
            waiting = _not_graded_yet(rows, manual)
            if waiting:
                notes.append(f"{waiting} student(s) with written answers not graded yet (their total "
                             "counts what is graded so far)")
        lines.append("(" + "; ".join(notes) + ")")
    return "\n".join(lines)

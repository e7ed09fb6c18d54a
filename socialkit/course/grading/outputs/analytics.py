"""What a graded class's results say, question by question: ``analytics.html`` and ``analytics.csv``.

Written beside ``grades.csv`` after every grading run (``socialkit-grade`` calls
:func:`write_analytics` once the points given by hand are merged), from ``grades.csv`` and the
signed records. For each question, autograded or graded by hand:

* **graded**: how many students have points for it (a written answer not yet graded does not count);
* **mean** and **spread** (the standard deviation) of its points;
* **difficulty**, as the *facility*: the mean as a share of the question's points (0.9 is
  easy, 0.3 hard);
* **discrimination**: how well it separates stronger from weaker students, as the correlation
  between the question's points and each student's points on the rest of the exercise (the
  corrected item–total correlation). Below about 0.2 the question barely tells them apart, and a
  negative value means stronger students did worse on it: read its tests or its wording again.
  With fewer than five students the number is too unsteady to show;
* **why points were lost**: each failing test's reason (a hidden test's description, a public
  test's hint), with how many students it cost;
* for written answers, **pairs that are suspiciously alike**: after lower-casing, the share of
  their five-word sequences in common (Jaccard similarity) is at least :data:`ALIKE`. They are
  listed for a person to read side by side; the kit never penalises anyone for them.

>>> round(correlation([1, 2, 3, 4], [2, 4, 6, 9]), 3)
0.994
>>> correlation([1, 1, 1], [1, 2, 3]) is None
True
>>> a = "Maya should answer the repair questions in the group every morning before work starts."
>>> similarity(a, a.upper() + "!"), similarity(a, "Post more offers on Instagram every day.")
(1.0, 0.0)
"""
from __future__ import annotations

import html
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from ..intake.store import atomic_write_bytes, atomic_write_text
from .report import read_grades
from .tables import csv_bytes, number

__all__ = ["ALIKE", "MIN_WORDS", "QuestionStats", "correlation", "similarity", "question_stats",
           "write_analytics"]

#: written answers at least this alike (Jaccard similarity of five-word sequences) are flagged
ALIKE = 0.5
#: answers shorter than this many words are too short to compare
MIN_WORDS = 8
#: fewer students than this: no discrimination index (too unsteady)
MIN_FOR_DISCRIMINATION = 5
CSV_COLUMNS = ["question", "kind", "points", "graded", "mean", "spread", "facility",
               "discrimination", "lost points most often on", "pairs alike"]


@dataclass
class QuestionStats:
    """What one question's results say (see the module's docstring)."""

    name: str
    by_hand: bool
    points: float
    graded: int = 0
    mean: float | None = None
    spread: float | None = None
    facility: float | None = None
    discrimination: float | None = None
    lost_on: list[tuple[str, int]] = field(default_factory=list)    # (reason, students)
    alike: list[tuple[str, str, float]] = field(default_factory=list)  # (student, student, similarity)


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's correlation of two equally long lists; None when either does not vary."""
    if len(xs) != len(ys) or len(xs) < 2:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx, syy = sum((x - mx) ** 2 for x in xs), sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else None


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[^\W_]+", text.casefold())
    return {tuple(words[i:i + 5]) for i in range(max(1, len(words) - 4))} if words else set()


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' five-word sequences (case and punctuation ignored)."""
    sa, sb = _shingles(a), _shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def _number(text: str) -> float | None:
    try:
        return float(text) if text not in ("", None) else None
    except ValueError:
        return None


def _lost_on(records: list[dict], name: str) -> Counter:
    """Reasons students lost points on autograded question ``name``, one count per student."""
    counts: Counter = Counter()
    for record in records:
        result = (record.get("questions") or {}).get(name) or {}
        reasons = set()
        for case in result.get("cases", []):
            if case.get("passed"):
                continue
            if case.get("hidden"):
                reason = case.get("description") or "a hidden check"
            else:
                lines = [l.strip() for l in (case.get("message") or "").splitlines() if l.strip()]
                reason = next((l for l in reversed(lines) if "Hint" in l), lines[-1] if lines else
                              "a public check")
            reasons.add(reason[:200] + (" (time limit)" if case.get("timed_out") else ""))
        counts.update(reasons)
    return counts


def _written(record: dict, name: str) -> str:
    answer = (record.get("written") or {}).get(name) or {}
    return "\n".join(cell.get("text", "") for cell in answer.get("cells", []))


def _alike(records: dict[str, dict], name: str) -> list[tuple[str, str, float]]:
    texts = {s: _written(r, name) for s, r in records.items()}
    texts = {s: t for s, t in texts.items() if len(t.split()) >= MIN_WORDS}
    pairs = [(a, b, similarity(texts[a], texts[b])) for a, b in combinations(sorted(texts), 2)]
    return sorted(((a, b, round(s, 2)) for a, b, s in pairs if s >= ALIKE), key=lambda p: -p[2])


def question_stats(rows: list[dict], records: dict[str, dict], questions) -> list[QuestionStats]:
    """Per-question statistics of the students graded ``ok``. ``rows``: grades.csv as read back
    (strings); ``records``: each such student's counted record; ``questions``: (name, points,
    by hand) in the exercise's order."""
    ok = [r for r in rows if r.get("status") == "ok" and _number(r.get("total", "")) is not None]
    out = []
    for name, points, by_hand in questions:
        stats = QuestionStats(name, by_hand, float(points))
        pairs = [(_number(r.get(name, "")), _number(r["total"])) for r in ok]
        pairs = [(x, t) for x, t in pairs if x is not None]
        stats.graded = len(pairs)
        if pairs:
            xs = [x for x, _ in pairs]
            stats.mean = statistics.fmean(xs)
            stats.spread = statistics.pstdev(xs)
            stats.facility = stats.mean / points if points else None
            if len(pairs) >= MIN_FOR_DISCRIMINATION:
                stats.discrimination = correlation(xs, [t - x for x, t in pairs])
        graded_records = {r["student"]: records[r["student"]] for r in ok if r["student"] in records}
        if by_hand:
            stats.alike = _alike(graded_records, name)
        else:
            stats.lost_on = _lost_on(list(graded_records.values()), name).most_common(3)
        out.append(stats)
    return out


def _fmt(x: float | None, digits: int = 2) -> str:
    return "" if x is None else f"{x:.{digits}f}"


def _csv_rows(stats: list[QuestionStats]) -> list[dict]:
    return [{"question": s.name, "kind": "by hand" if s.by_hand else "autograded",
             "points": number(s.points), "graded": s.graded, "mean": _fmt(s.mean),
             "spread": _fmt(s.spread), "facility": _fmt(s.facility),
             "discrimination": _fmt(s.discrimination),
             "lost points most often on": " | ".join(f"{why} ({n})" for why, n in s.lost_on),
             "pairs alike": len(s.alike)} for s in stats]


def _verdict(s: QuestionStats) -> str:
    if s.facility is None:
        return "no points given yet"
    level = "easy" if s.facility >= 0.85 else "hard" if s.facility < 0.4 else "moderate"
    if s.discrimination is None:
        return level
    if s.discrimination < 0:
        return f"{level}; stronger students did worse on it: check its tests and wording"
    return level + ("; separates stronger from weaker students well" if s.discrimination >= 0.3
                    else "; barely separates stronger from weaker students" if s.discrimination < 0.2
                    else "")


def _html(stats: list[QuestionStats], title: str, students: int) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><th scope='row'>{e(s.name)}</th><td>{'by hand' if s.by_hand else 'autograded'}</td>"
        f"<td>{number(s.points)}</td><td>{s.graded}</td><td>{_fmt(s.mean)}</td><td>{_fmt(s.spread)}</td>"
        f"<td>{_fmt(s.facility)}</td><td>{_fmt(s.discrimination)}</td><td>{e(_verdict(s))}</td></tr>"
        for s in stats)
    details = []
    for s in stats:
        if s.lost_on:
            items = "".join(f"<li>{e(why)} <span class='n'>({n} student{'s' * (n != 1)})</span></li>"
                            for why, n in s.lost_on)
            details.append(f"<h3>{e(s.name)}: where points were lost most often</h3><ul>{items}</ul>")
        if s.by_hand:
            items = "".join(f"<li>{e(a)} and {e(b)}: {sim:.0%} of their five-word sequences in common</li>"
                            for a, b, sim in s.alike) or "<li>none</li>"
            details.append(f"<h3>{e(s.name)}: written answers suspiciously alike</h3><ul>{items}</ul>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>What the results say: {e(title)}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border-bottom: 1px solid #ccc; padding: .3rem .5rem; text-align: left; }}
td {{ font-variant-numeric: tabular-nums; }} .n, .note {{ color: #555; }}
@media (prefers-color-scheme: dark) {{ body {{ background: #111; color: #eee; }} .n, .note {{ color: #bbb; }} }}
</style></head><body>
<h1>What the results say: {e(title)}</h1>
<p class="note">{students} student(s) graded ok. Facility is the mean as a share of the question's
points (higher is easier); discrimination is the correlation between a question's points and the
rest of each student's points (0.3 or more separates stronger from weaker students well; below 0.2
barely; none shown for fewer than {MIN_FOR_DISCRIMINATION} students). The same figures are in
analytics.csv.</p>
<table><thead><tr><th scope="col">question</th><th scope="col">kind</th><th scope="col">points</th>
<th scope="col">graded</th><th scope="col">mean</th><th scope="col">spread</th><th scope="col">facility</th>
<th scope="col">discrimination</th><th scope="col">reading</th></tr></thead><tbody>{rows}</tbody></table>
<h2>Details</h2>
<p class="note">Pairs of written answers are flagged by wording alone, for you to read side by
side: similar answers can be honest (a shared study group, a short question), and nothing here
changes a grade.</p>
{''.join(details)}
</body></html>
"""


def write_analytics(out_dir: Path, records_by_student: dict[str, list[dict]], questions,
                    title: str) -> tuple[Path, Path]:
    """Write ``analytics.html`` and ``analytics.csv`` into ``out_dir`` from its ``grades.csv``
    (the points given by hand included) and the records; returns the two paths."""
    out_dir = Path(out_dir)
    _, rows = read_grades(out_dir / "grades.csv", strip=True)
    counted = {s: recs[0] for s, recs in records_by_student.items() if len(recs) == 1}
    stats = question_stats(rows, counted, questions)
    students = sum(1 for r in rows if r.get("status") == "ok")
    page, table = out_dir / "analytics.html", out_dir / "analytics.csv"
    atomic_write_text(page, _html(stats, title, students))
    atomic_write_bytes(table, csv_bytes(CSV_COLUMNS, _csv_rows(stats)))
    return page, table

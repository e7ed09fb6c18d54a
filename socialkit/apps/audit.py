"""Chapter 7's self-audit: the reader's own organisation, scored like the book's, and never lost.

The reader types the evidence for each indicator of :data:`socialkit.models.blindspots.CRITERIA`
(``45%``, ``0.45``, ``4``, ``yes``) and sees the profile redrawn at once. Two worksheet files are
kept beside the notebook, saved on every change like every other worksheet in the book
(:mod:`socialkit.interactive.worksheet`: atomic writes, merged saves, damaged files kept):

* ``07-blindspot-evidence.answers.json``: what the reader typed, one answer per indicator, and the
  organisation's name;
* ``07-blindspot-audit.answers.json``: the scores computed from it, one per blindspot key (for
  example ``"81 (blind)"``), which the capstone's plan reads (:mod:`socialkit.apps.plan`).

On the static book page there is no kernel: the boxes cannot be read or saved, and a note says so.
"""
from __future__ import annotations

import html
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from ..models import blindspots as B
from ..interactive import worksheet as ws

__all__ = ["AUDIT_NAME", "EVIDENCE_NAME", "AUDIT_TITLE", "EVIDENCE_TITLE", "evidence_questions",
           "score_questions", "parse_value", "read_evidence", "score_answers", "show"]

#: The worksheet of scores (the capstone reads it) and the worksheet of the evidence typed in.
AUDIT_NAME = "07-blindspot-audit"
EVIDENCE_NAME = "07-blindspot-evidence"
AUDIT_TITLE = "Blindspot self-audit: the scores"
EVIDENCE_TITLE = "Blindspot self-audit: the evidence"
_ORGANISATION = "organisation"


def _hint(c: B.Criterion) -> str:
    direction = "or more" if c.good > c.blind else "or less"
    opposite = "or less" if c.good > c.blind else "or more"
    return f"Good: {c.format(c.good)} {direction}. Blind: {c.format(c.blind)} {opposite}."


def evidence_questions() -> tuple[ws.Question, ...]:
    """The evidence worksheet's questions: the organisation, then one per indicator."""
    first = ws.Question(_ORGANISATION, "Which organisation is this audit for?",
                        "A business, a club, a team you know well.", "Your organisation")
    return (first,) + tuple(
        ws.Question(c.indicator, c.question, _hint(c),
                    f"{B.blindspot(c.blindspot).number}. {B.blindspot(c.blindspot).name}")
        for c in B.CRITERIA)


def score_questions() -> tuple[ws.Question, ...]:
    """The score worksheet's questions: one per blindspot, answered by the widget."""
    return tuple(ws.Question(b.key, f"Score of blindspot {b.number}: {b.name} (0 to 100)")
                 for b in B.BLINDSPOTS)


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_value(text: str, indicator: str) -> tuple[float | None, str]:
    """Read one typed answer: ``(value, note)``. A blank answer is ``(None, "")``.

    Shares take ``45%``, ``0.45`` or ``45`` (read as 45%); yes/no questions take ``yes``, ``no``,
    1 or 0. A value that cannot be read gives ``(None, <what to type instead>)``.
    """
    c = B.criterion(indicator)
    if not isinstance(text, str):
        raise TypeError(f"text must be the typed answer as a string; got {type(text).__name__}.")
    raw = text.strip().lower().replace(",", "")
    if not raw:
        return None, ""
    if c.unit == "yes/no" and raw in ("yes", "y", "true", "no", "n", "false"):
        return (1.0 if raw in ("yes", "y", "true") else 0.0), ""
    percent = raw.endswith("%")
    number = raw.rstrip("%").strip()
    if not _NUMBER.match(number):
        example = {"share": "45% or 0.45", "yes/no": "yes or no"}.get(c.unit, "a whole number, such as 4")
        return None, f"Type a number here ({example})."
    value = float(number)
    note = ""
    if c.unit == "share" and (percent or 1 < value <= 100):
        if not percent:
            note = f"Read as {value:g}%."
        value /= 100
    elif percent:
        return None, "This one is a number, not a percentage."
    if not c.low <= value <= c.high:
        return None, f"Type a value from {c.format(c.low)} to {c.format(c.high)}."
    return value, note


def read_evidence(answers: dict[str, str]) -> tuple[dict[str, float], dict[str, str]]:
    """The values that can be read from ``answers`` (indicator → value) and a note per indicator."""
    values, notes = {}, {}
    for c in B.CRITERIA:
        value, note = parse_value(answers.get(c.indicator, "") or "", c.indicator)
        if value is not None:
            values[c.indicator] = value
        if note:
            notes[c.indicator] = note
    return values, notes


def score_answers(values: dict[str, float]) -> pd.Series:
    """Scores from partial evidence: each blindspot's mean severity over the indicators given.

    A blindspot with no evidence yet is NaN.
    """
    table = B.criteria_table()
    scores = {}
    for b in B.BLINDSPOTS:
        rows = table[table["blindspot"] == b.key]
        given = [B.severity(values[i], rows.at[i, "good"], rows.at[i, "blind"])
                 for i in rows.index if i in values]
        scores[b.key] = sum(given) / len(given) if given else float("nan")
    return pd.Series(scores, name="score").rename_axis("blindspot")


def _score_text(score: float) -> str:
    return "" if pd.isna(score) else f"{score:.0f} ({B.level(score)})"


_CSS = """<style>
.sk-au-static { display: none; }
.cell_output .sk-au-static { display: block; }
.cell_output .sk-au-live { display: none; }
.sk-au-note { border-left: 4px solid #E69F00; background: rgba(230,159,0,0.10);
  padding: 0.5em 0.8em; margin: 0.4em 0; }
.sk-au-status { border-left: 4px solid #0072B2; padding: 0.3em 0.8em; margin: 0.4em 0; }
.sk-au-warn { border-left-color: #D55E00; background: rgba(213,94,0,0.08); }
.sk-au-title { font-size: 1.15em; font-weight: bold; margin: 0.2em 0; }
.sk-au-group { font-size: 1.05em; font-weight: bold; margin: 1em 0 0 0; }
.sk-au-q p { margin: 0.1em 0; }
.sk-au-feedback { font-size: 0.9em; color: #4a4a4a; margin-left: 0.6em; }
</style>"""


def _status(message: str, warn: bool = False) -> str:
    cls = "sk-au-live sk-au-status" + (" sk-au-warn" if warn else "")
    return f'<div class="{cls}" role="status">{html.escape(message)}</div>'


def show(folder: str | Path | None = None):
    """The self-audit widget: evidence boxes, the live profile, both worksheets saved as you type."""
    import ipywidgets as widgets

    from ..figures import blindspots as figures

    if folder is None and os.environ.get(ws.EPHEMERAL_ENV):
        folder = tempfile.mkdtemp(prefix="socialkit-audit-")  # the book shows blank boxes
    evidence = ws.Worksheet(EVIDENCE_NAME, EVIDENCE_TITLE, evidence_questions(), folder=folder,
                            intro="Evidence for the seven blindspots (after 7 Deadly Blindspots "
                                  "in Social Media, 2009), scored with the criteria of Chapter 7.")
    scores_sheet = ws.Worksheet(AUDIT_NAME, AUDIT_TITLE, score_questions(), folder=folder)

    header = widgets.HTML(
        _CSS + '<div class="sk-au-title" role="heading" aria-level="4">Your blindspot '
        'self-audit</div><div class="sk-au-static sk-au-note" role="note"><strong>This '
        "needs JupyterLab.</strong> On the book's website no Python is running, so the boxes "
        "below cannot be scored or saved. Open this chapter in JupyterLab (the launch button at "
        "the top of the page, or your course's hub) to audit your own organisation.</div>")
    notice_text = " ".join(n for n in (evidence.notice, scores_sheet.notice) if n.startswith("⚠️"))
    notice = widgets.HTML(_status(notice_text or evidence.notice, warn=bool(notice_text)))
    status = widgets.HTML()
    picture = widgets.HTML()
    boxes, feedback = {}, {}

    def refresh(save_scores: bool) -> None:
        values, notes = read_evidence(evidence.answers)
        scores = score_answers(values)
        name = evidence.answers.get(_ORGANISATION, "").strip()
        picture.value = figures.profile_html(scores, name)
        for key, note in feedback.items():
            note.value = f'<span class="sk-au-feedback">{html.escape(notes.get(key, ""))}</span>'
        if save_scores and scores_sheet.can_save:
            for key, score in scores.items():
                scores_sheet.answers[key] = _score_text(score)
            scores_sheet.save()

    def on_change(change, key):
        try:
            message = evidence.set_answer(key, change["new"])
            refresh(save_scores=True)
            status.value = _status(message, warn=message.startswith("⚠️"))
        except Exception as err:  # never lose text silently: say so, keep the text in the box
            status.value = _status(f"⚠️ Not saved: {err} Your text is still in the box; copy it "
                                   "somewhere safe before closing the notebook.", warn=True)

    questions = []
    group = None
    for q in evidence.questions:
        if q.group != group:
            group = q.group
            questions.append(widgets.HTML(f'<div class="sk-au-group">{html.escape(group)}</div>'))
        hint = f"<p><em>{html.escape(q.hint)}</em></p>" if q.hint else ""
        questions.append(widgets.HTML(f'<div class="sk-au-q"><p>{html.escape(q.prompt)}</p>{hint}</div>'))
        box = widgets.Text(value=evidence.answers[q.key], continuous_update=True,
                           placeholder="Type your answer here." if q.key == _ORGANISATION
                           else "Type a number, e.g. 45% or 4.",
                           layout=widgets.Layout(width="60%" if q.key == _ORGANISATION else "14em"))
        box.add_class(f"sk-au-answer-{q.key}")
        box.observe(lambda change, key=q.key: on_change(change, key), names="value")
        boxes[q.key] = box
        if q.key == _ORGANISATION:
            questions.append(box)
        else:
            feedback[q.key] = widgets.HTML()
            questions.append(widgets.HBox([box, feedback[q.key]]))

    refresh(save_scores=False)
    box = widgets.VBox([header, notice, status, picture, *questions,
                        *ws.export_controls(evidence, _status)],
                       layout=widgets.Layout(max_width="760px"))
    box.evidence, box.scores, box.boxes, box.picture, box.status = (
        evidence, scores_sheet, boxes, picture, status)  # handy in tests and notebooks
    return box

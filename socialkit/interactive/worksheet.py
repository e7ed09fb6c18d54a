"""Worksheets whose answers are never lost: saved on every change, restored on every run.

A worksheet is a list of questions with a text box each. In JupyterLab every change to a box
is written at once to ``<name>.answers.json`` beside the notebook, and running the cell again
fills the boxes from that file, so closing the notebook, restarting the kernel or re-running
the cell never erases anything. The rules that make this safe:

* **Atomic writes.** The answers go to a temporary file in the same folder, which then replaces
  the old file in one step (``os.replace``). A crash mid-write leaves the old file whole.
* **Merge, don't clobber.** A save re-reads the file and changes only the answer that changed,
  so two views of the same worksheet cannot wipe each other's answers.
* **One writer at a time, across notebooks.** Each *re-read, merge, write* holds a file lock
  (:func:`socialkit.data.files.locked`, a hidden ``.<name>.answers.json.lock`` beside the
  answers), so two kernels saving the same worksheet at once (a chapter and the capstone, or two
  chapters sharing ``my-strategy``) take turns and neither loses the other's last answer.
* **A damaged file is kept.** If the file is not valid JSON or not a worksheet (say, after a
  hand edit went wrong), it is copied to ``<name>.answers.corrupt-<timestamp>.json`` (never
  overwriting an earlier copy), a message says so in plain words, and only then is the file
  written again. If the copy cannot be made, nothing is written at all.
* **Export.** :meth:`Worksheet.to_markdown` and :meth:`Worksheet.export_markdown` turn the
  answers into a readable Markdown page.

On the static book page there is no kernel, so nothing can be saved. The widget says so there
(and only there), and offers the blank questions as a Markdown file to download instead.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

from ..data.files import LOCK_TIMEOUT, locked, write_atomic

__all__ = ["Question", "Worksheet", "WorksheetFileError", "read_answers", "write_atomic",
           "backup_path", "show", "widget", "export_controls", "CONNECTED_CUSTOMER_QUESTIONS",
           "CUSTOMER_CENTRIC_QUESTIONS", "CHAPTER3_QUESTIONS", "FILE_FORMAT", "SUFFIX"]

#: Marks a file as a socialkit worksheet; a file without it is not read as one.
FILE_FORMAT = "socialkit-worksheet"
FILE_VERSION = 1
#: Every answers file ends with this (the repository's .gitignore skips such files).
SUFFIX = ".answers.json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Question:
    """One question of a worksheet.

    ``key`` names the answer in the file (lower case, digits and underscores); ``prompt`` is
    the question; ``hint`` is an optional line of help shown under it; ``group`` an optional
    heading that the question starts (or continues).
    """

    key: str
    prompt: str
    hint: str = ""
    group: str = ""

    def __post_init__(self):
        if not isinstance(self.key, str) or not _KEY.match(self.key):
            raise ValueError("key must be 1 to 40 lower-case letters, digits or underscores, "
                             f"starting with a letter; got {self.key!r}.")
        if not isinstance(self.prompt, str) or not self.prompt.strip():
            raise ValueError(f"prompt of question {self.key!r} must be a non-empty string.")
        for name in ("hint", "group"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"{name} of question {self.key!r} must be a string.")


class WorksheetFileError(ValueError):
    """An answers file that exists but cannot be read as a worksheet (reason in the message)."""


# --- the file --------------------------------------------------------------------------------
def read_answers(path: str | Path) -> dict[str, str] | None:
    """The answers saved in ``path``: ``None`` if there is no file yet.

    Raises :class:`WorksheetFileError` saying what is wrong when the file is not valid UTF-8
    JSON, not a worksheet, or holds an answer that is not text.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise WorksheetFileError(f"{path.name} is a folder, not a file.") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise WorksheetFileError("it is not a text file (not valid UTF-8).") from None
    except json.JSONDecodeError as err:
        raise WorksheetFileError(f"it is not valid JSON ({err.msg} at line {err.lineno}, "
                                 f"column {err.colno}).") from None
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise WorksheetFileError(f"it is JSON, but not a worksheet file (it has no "
                                 f"\"format\": \"{FILE_FORMAT}\" entry).")
    answers = data.get("answers")
    if not isinstance(answers, dict):
        raise WorksheetFileError("its \"answers\" entry is missing or is not a set of "
                                 "question: answer pairs.")
    for key, text in answers.items():
        if not isinstance(text, str):
            raise WorksheetFileError(f"the answer to {key!r} is {type(text).__name__}, not text "
                                     "(answers must be in double quotes).")
    return dict(answers)



def backup_path(path: str | Path, when: datetime) -> Path:
    """Where a damaged ``x.answers.json`` is copied: ``x.answers.corrupt-<timestamp>.json``."""
    path = Path(path)
    base = path.name[:-len(".json")] if path.name.endswith(".json") else path.name
    return path.with_name(f"{base}.corrupt-{when:%Y%m%dT%H%M%S}.json")


def _backup(path: Path, now: datetime) -> Path:
    """Copy ``path`` to a new backup file, never overwriting an existing one."""
    first = backup_path(path, now)
    for n in range(1, 1000):
        target = first if n == 1 else first.with_name(f"{first.stem}-{n}.json")
        try:
            with open(target, "xb") as out, open(path, "rb") as src:
                shutil.copyfileobj(src, out)
            return target
        except FileExistsError:
            continue
    raise OSError(f"could not find a free backup name next to {path.name}")


# --- the worksheet ---------------------------------------------------------------------------
class Worksheet:
    """A set of questions whose answers live in ``<folder>/<name>.answers.json``.

    Creating one reads the file if it exists (see :attr:`notice` for what happened); every
    :meth:`set_answer` saves at once. ``folder`` defaults to the current folder, which in
    JupyterLab is the notebook's own.
    """

    #: Seconds a save waits for another notebook that is saving the same file.
    lock_timeout: float = LOCK_TIMEOUT

    def __init__(self, name: str, title: str, questions: Sequence[Question], *,
                 folder: str | Path | None = None, intro: str = "",
                 clock: Callable[[], datetime] = datetime.now):
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError("name must be 1 to 80 lower-case letters, digits or hyphens (it "
                             f"becomes the file name); got {name!r}.")
        if not isinstance(title, str) or not title.strip():
            raise ValueError("title must be a non-empty string.")
        questions = tuple(questions)
        if not questions or not all(isinstance(q, Question) for q in questions):
            raise TypeError("questions must be a non-empty list of Question(...) objects.")
        keys = [q.key for q in questions]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"question keys must be distinct; repeated: {', '.join(repeated)}.")
        folder = Path.cwd() if folder is None else Path(folder)
        if not folder.is_dir():
            raise ValueError(f"folder must be an existing folder; {folder} is not.")
        self.name, self.title, self.intro = name, title.strip(), intro
        self.questions = questions
        self.path = folder / f"{name}{SUFFIX}"
        self._clock = clock
        self.answers: dict[str, str] = {q.key: "" for q in questions}
        #: answers in the file to questions this worksheet does not have: kept, never dropped
        self.extra: dict[str, str] = {}
        #: a copy of a damaged file, if one was made
        self.backup: Path | None = None
        #: False when saving could destroy something (a damaged file that could not be copied)
        self.can_save = True
        self.saved_at: datetime | None = None
        self._backed_up: bytes | None = None  # the damaged content already copied
        self.notice = self.load()

    # -- reading -----------------------------------------------------------------------------
    def load(self) -> str:
        """Fill the answers from the file; return a sentence saying what happened."""
        try:
            saved = read_answers(self.path)
        except WorksheetFileError as err:
            return self._damaged(str(err))
        except OSError as err:
            self.can_save = False
            return (f"⚠️ {self.path.name} exists but could not be read ({err.strerror}). To "
                    "protect it, nothing will be saved until that is fixed.")
        if saved is None:
            return (f"Your answers are saved as you type, in {self.path.name} next to this "
                    "notebook. Run this cell again at any time: they come back.")
        self._merge(saved)
        filled = sum(1 for q in self.questions if self.answers[q.key].strip())
        return (f"Restored {filled} of {len(self.questions)} answers from {self.path.name}. "
                "Changes are saved as you type.")

    def _merge(self, saved: dict[str, str]) -> None:
        for key, text in saved.items():
            if key in self.answers:
                self.answers[key] = text
            else:
                self.extra[key] = text

    def _damaged(self, reason: str) -> str:
        try:
            content = self.path.read_bytes()
        except OSError:
            content = None
        if content is not None and content == self._backed_up and self.backup is not None:
            return ""  # this very content is already safe in self.backup
        try:
            self.backup = _backup(self.path, self._clock())
            self._backed_up = content
        except OSError as err:
            self.can_save = False
            return (f"⚠️ {self.path.name} could not be read: {reason} A backup copy could not "
                    f"be made either ({err}), so nothing will be saved, to keep the file as it "
                    "is. Move or repair it, then run this cell again.")
        return (f"⚠️ {self.path.name} could not be read: {reason} It has been kept, unchanged, "
                f"as {self.backup.name}: open that file in a text editor to copy your answers "
                "back. The boxes below start empty, and new answers are saved as usual.")

    # -- writing -----------------------------------------------------------------------------
    def set_answer(self, key: str, text: str) -> str:
        """Change one answer and save it at once; return a status sentence.

        Raises ``KeyError`` for an unknown key, ``TypeError`` for text that is not a string and
        ``OSError`` when the file cannot be written (the answer stays in memory).
        """
        if key not in self.answers:
            raise KeyError(f"There is no question {key!r}; the keys are "
                           f"{', '.join(self.answers)}.")
        if not isinstance(text, str):
            raise TypeError(f"An answer must be text; got {type(text).__name__} for {key!r}.")
        self.answers[key] = text
        return self.save(changed=key)

    def save(self, changed: str | None = None) -> str:
        """Write the answers to the file; return a status sentence.

        The file is re-read first: answers that another view of this worksheet saved meanwhile
        are kept, and only ``changed`` (or, with ``changed=None``, every answer) is taken from
        this one. A file that has become damaged is backed up first.
        """
        if not self.can_save:
            raise OSError(f"Not saving: {self.path.name} could not be read or backed up, and "
                          "writing would replace it. Move or repair it, then run the cell again.")
        # Another kernel may save this file at the same moment: no one may write between our
        # read and our write, or their answer would be lost.
        with locked(self.path, timeout=self.lock_timeout):
            return self._save_unlocked(changed)

    def _save_unlocked(self, changed: str | None) -> str:
        notice = ""
        try:
            on_disk = read_answers(self.path) or {}
        except WorksheetFileError as err:
            notice = self._damaged(str(err))
            notice += " " if notice else ""
            if not self.can_save:
                raise OSError(notice) from None
            on_disk = {}
        if changed is not None:
            mine = {changed: self.answers[changed]}
            others = {k: v for k, v in on_disk.items() if k != changed}
            self._merge(others)
            self.answers.update(mine)
        else:
            self.extra.update({k: v for k, v in on_disk.items() if k not in self.answers})
        now = self._clock()
        data = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "worksheet": self.name,
            "title": self.title,
            "saved_at": now.isoformat(timespec="seconds"),
            "answers": {**self.answers, **self.extra},
        }
        try:
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate cannot be UTF-8: escape everything
            text = json.dumps(data, indent=2, ensure_ascii=True) + "\n"
        write_atomic(self.path, text)
        self.saved_at = now
        return notice + f"Saved at {now:%H:%M:%S} in {self.path.name}."

    # -- export ------------------------------------------------------------------------------
    def to_markdown(self, *, blank: bool = False) -> str:
        """The worksheet as a readable Markdown page (``blank=True``: questions only)."""
        lines = [f"# {self.title}", ""]
        if self.intro:
            lines += [self.intro.strip(), ""]
        if not blank:
            lines += [f"*Exported {self._clock():%d %B %Y, %H:%M}.*", ""]
        group = None
        for number, q in enumerate(self.questions, start=1):
            if q.group and q.group != group:
                group = q.group
                lines += [f"## {group}", ""]
            lines += [f"### {number}. {q.prompt}", ""]
            if q.hint:
                lines += [f"*{q.hint}*", ""]
            answer = "" if blank else self.answers[q.key].strip()
            lines += [answer if answer else "*(no answer yet)*", ""]
        if self.extra and not blank:
            lines += ["## Other saved answers", "",
                      "These answers are in the file but belong to no question of this "
                      "worksheet.", ""]
            for key, text in self.extra.items():
                lines += [f"### {key}", "", text.strip() or "*(empty)*", ""]
        return "\n".join(lines).rstrip("\n") + "\n"

    def export_markdown(self, path: str | Path | None = None) -> Path:
        """Write :meth:`to_markdown` to ``path`` (default ``<name>.md`` beside the answers)."""
        path = self.path.with_name(f"{self.name}.md") if path is None else Path(path)
        write_atomic(path, self.to_markdown())
        return path


# --- the widget ------------------------------------------------------------------------------
# Which message shows where: the static book page puts outputs in ".cell_output" (MyST-NB);
# there the live status (meaningless without a kernel) hides and the static note shows.
_CSS = """<style>
.sk-ws-static { display: none; }
.cell_output .sk-ws-static { display: block; }
.cell_output .sk-ws-live { display: none; }
.sk-ws-note { border-left: 4px solid #E69F00; background: rgba(230,159,0,0.10);
  padding: 0.5em 0.8em; margin: 0.4em 0; }
.sk-ws-note a { color: #0b4f9c; }  /* readable on the note's tint in light and dark themes */
.sk-ws-status { border-left: 4px solid #0072B2; padding: 0.3em 0.8em; margin: 0.4em 0; }
.sk-ws-warn { border-left-color: #D55E00; background: rgba(213,94,0,0.08); }
.sk-ws-title { font-size: 1.15em; font-weight: bold; margin: 0.2em 0; }
.sk-ws-group { font-size: 1.05em; font-weight: bold; margin: 1em 0 0 0; }
.sk-ws-q { margin: 0.8em 0 0.2em 0; }
.sk-ws-q p { margin: 0.1em 0; }
</style>"""


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _static_note(ws: Worksheet) -> str:
    href = "data:text/markdown;charset=utf-8," + urllib.parse.quote(ws.to_markdown(blank=True))
    return (
        '<div class="sk-ws-static sk-ws-note" role="note"><strong>Saving needs JupyterLab.</strong> '
        "This is the book's website, where nothing you type in these boxes is kept: it is gone "
        "when you leave or reload the page. To keep your answers, open this chapter in "
        "JupyterLab (the launch button at the top of the page, or your course's hub), where "
        "they are saved as you type. Or "
        f'<a download="{_escape(ws.name)}.md" href="{href}">download the questions as a Markdown '
        "file</a> and answer them in any text editor.</div>")


def _status_html(message: str, warn: bool = False) -> str:
    cls = "sk-ws-live sk-ws-status" + (" sk-ws-warn" if warn else "")
    return f'<div class="{cls}" role="status">{_escape(message)}</div>'


def export_controls(sheet: Worksheet, status=_status_html) -> list:
    """An "Export as Markdown" button for ``sheet`` and the line that says how it went
    (``status`` styles that line); ready to add to a widget's children."""
    import ipywidgets as widgets

    export = widgets.Button(description="Export as Markdown", icon="file-text",
                            tooltip=f"Write {sheet.name}.md beside this notebook")
    exported = widgets.HTML()

    def on_export(_):
        try:
            path = sheet.export_markdown()
            exported.value = status(f"Exported to {path.name}, next to this notebook.")
        except Exception as err:
            exported.value = status(f"⚠️ Could not export: {err}", warn=True)

    export.on_click(on_export)
    return [widgets.HBox([export], layout=widgets.Layout(margin="0.8em 0 0 0")), exported]


def widget(ws: Worksheet, *, rows: int = 3):
    """The worksheet as ipywidgets: a text box per question, saved on every change.

    Display it as the last expression of a cell. Running the cell again builds a fresh widget
    from the saved file.
    """
    import ipywidgets as widgets

    if not isinstance(ws, Worksheet):
        raise TypeError(f"ws must be a Worksheet(...); got {type(ws).__name__}.")
    warn = ws.notice.startswith("⚠️")
    header = widgets.HTML(_CSS + f'<div class="sk-ws-title" role="heading" aria-level="4">'
                          f"{_escape(ws.title)}</div>"
                          + (f"<p>{_escape(ws.intro)}</p>" if ws.intro else "")
                          + _static_note(ws))
    # A warning (damaged file) stays in view; the status line below it follows each save.
    notice = widgets.HTML(_status_html(ws.notice, warn))
    status = widgets.HTML()
    children = [header, notice, status]
    group = None
    boxes = {}
    for number, q in enumerate(ws.questions, start=1):
        if q.group and q.group != group:
            group = q.group
            children.append(widgets.HTML(f'<div class="sk-ws-group" role="heading" aria-level="5">'
                                         f"{_escape(group)}</div>"))
        hint = f"<p><em>{_escape(q.hint)}</em></p>" if q.hint else ""
        children.append(widgets.HTML(f'<div class="sk-ws-q"><p><strong>{number}. '
                                     f"{_escape(q.prompt)}</strong></p>{hint}</div>"))
        box = widgets.Textarea(value=ws.answers[q.key], rows=rows,
                               placeholder="Type your answer here.",
                               continuous_update=True,
                               layout=widgets.Layout(width="97%"))
        box.add_class(f"sk-ws-answer-{q.key}")
        boxes[q.key] = box
        children.append(box)

    def on_change(change, key):
        try:
            message = ws.set_answer(key, change["new"])
            status.value = _status_html(message, warn=message.startswith("⚠️"))
        except Exception as err:  # never lose text silently: say so, keep the text in the box
            status.value = _status_html(
                f"⚠️ Not saved: {err} Your text is still in the box; copy it somewhere safe "
                "before closing the notebook.", warn=True)

    for key, box in boxes.items():
        box.observe(lambda change, key=key: on_change(change, key), names="value")

    children += export_controls(ws)
    box = widgets.VBox(children, layout=widgets.Layout(max_width="760px"))
    box.worksheet, box.boxes, box.status = ws, boxes, status  # handy in tests and notebooks
    return box


#: Set by ``python -m socialkit.site.book build``: the book's pages must show blank worksheets, never
#: the answers of whoever built it, and the build must not write into the source tree.
EPHEMERAL_ENV = "SOCIALKIT_BOOK_BUILD"


def show(name: str, title: str, questions: Sequence[Question], **kwargs):
    """Open (or create) worksheet ``name`` beside the notebook and return its widget."""
    rows = kwargs.pop("rows", 3)
    if os.environ.get(EPHEMERAL_ENV) and "folder" not in kwargs:
        kwargs["folder"] = tempfile.mkdtemp(prefix="socialkit-worksheet-")
    return widget(Worksheet(name, title, questions, **kwargs), rows=rows)


# --- Chapter 3's questions -------------------------------------------------------------------
_CONNECTED = "Connected customers (after Solis, 2013)"
_CENTRIC = "The customer-centric checklist (after Social media problems for business, 2009)"

#: Brian Solis's questions about connected customers, in the kit's words.
CONNECTED_CUSTOMER_QUESTIONS = (
    Question("where", "Where do our customers go online, and why do they go there?",
             "Name places, not platforms in general: a town group, a review site, a club chat.",
             _CONNECTED),
    Question("asking", "What questions are they asking, in their own words?",
             "Write two or three as a customer would type them.", _CONNECTED),
    Question("answers", "What answers do they find at each moment of truth, and from whom?",
             "A moment of truth is when they decide: before a repair, before a rental, after a "
             "bad experience.", _CONNECTED),
    Question("trusted", "Whom do they trust for advice?",
             "Friends, a local club, a reviewer, a mechanic's video? Be specific.", _CONNECTED),
    Question("expect", "What do they expect from a business like ours?",
             "Think of speed, honesty, opening hours, price, tone.", _CONNECTED),
    Question("value", "How could social and mobile deliver value to them and keep our promise?",
             "Start with the promise in one sentence, then one way to keep it online.",
             _CONNECTED),
)
#: The customer-centric checklist of the 2009 post, in the kit's words.
CUSTOMER_CENTRIC_QUESTIONS = (
    Question("customer", "Who is the customer, what problems do they have, and what do they "
             "dislike about what is on offer today?", "Choose one segment and be concrete.",
             _CENTRIC),
    Question("solves", "How does what we offer solve those problems, said the way a customer "
             "would say it?", "Not the mission statement: a sentence a customer might post.",
             _CENTRIC),
    Question("seeking", "Who is looking for that solution right now, and where?",
             "Which posts or searches show that someone needs it?", _CENTRIC),
    Question("neighbour", "How will we behave as a friendly, helpful member of those "
             "communities?", "What would we answer, share or fix, even when nobody buys?",
             _CENTRIC),
)
CHAPTER3_QUESTIONS = CONNECTED_CUSTOMER_QUESTIONS + CUSTOMER_CENTRIC_QUESTIONS

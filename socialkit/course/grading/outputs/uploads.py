"""Feedback back to students in one upload: ``feedback-canvas.zip`` and ``feedback-moodle.zip``.

Each student's feedback file (``feedback/<student>.md``, total first, then each question) goes
into an archive named and arranged the way the platform's bulk upload reads it. A student is
found on a platform by the name of the file they handed in, exactly as the platform's own
download named it, so nothing else (no roster) is needed:

* **Canvas** (Assignment → *Re-Upload Submissions*): every file is attached as a comment to the
  submission its name points at. Canvas splits the file's base name at ``_`` and takes the first
  two parts made only of digits as the user id and the attachment id; the attachment must be one
  of that submission's files, and a name starting with ``._`` is ignored (``canvas-lms``,
  ``app/models/assignment.rb``, ``generate_comments_from_files`` and
  ``infer_comment_context_from_filename``). Canvas's download names are
  ``<login>_[LATE_]<user id>_<attachment id>_<file>``, so the feedback of
  ``smithjane_12345_67890_exercise1.ipynb`` is ``smithjane_12345_67890_feedback.md``.
* **Moodle** (Assignment → *View all submissions* → *Upload multiple feedback files in a zip*,
  with "Feedback files" on): Moodle splits each folder of a file's path at ``_`` (at most five
  parts); the second part is the participant id, the third and fourth the plugin
  (``assignfeedback``, ``file``); names starting with ``.`` or ``~`` are ignored
  (``moodle``, ``mod/assign/feedback/file/importzipslib.php``, ``is_valid_filename_for_import``).
  Moodle's download folders are ``<full name>_<participant id>_assignsubmission_file_``, so the
  feedback of ``Ana Lopez_501_assignsubmission_file_/exercise1.ipynb`` is
  ``Ana Lopez_501_assignfeedback_file_/feedback.md`` (a ``_`` inside the name would move the id,
  so it is written as a space).

An archive is written only for a platform that named at least one of the class's files; the
students whose files carry no such name are listed, so their feedback is handed back some other
way. Archives are rebuilt on every run (a re-run after more points are given by hand sends the
new totals) and their bytes depend only on the feedback files.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..intake.identity import moodle_folder
from ..intake.store import atomic_write_bytes

__all__ = ["PLATFORMS", "ARCHIVES", "canvas_name", "moodle_name", "UploadResult", "write_uploads"]

PLATFORMS = ("canvas", "moodle")
ARCHIVES = {"canvas": "feedback-canvas.zip", "moodle": "feedback-moodle.zip"}
#: a Canvas download name: login, perhaps LATE, the user id and the attachment id
_CANVAS_DOWNLOAD = re.compile(r"^(?P<login>[^_/]+)_(?:LATE_)?(?P<user>\d+)_(?P<attachment>\d+)_[^/]*$")
#: zip entries dated alike, so the same feedback gives the same archive
_DATE = (2020, 1, 1, 0, 0, 0)


def canvas_name(relpath: str) -> str | None:
    """The name Canvas's re-upload reads as a comment on the submission of ``relpath`` (a file
    named by Canvas's download), or None.

    >>> canvas_name("smithjane_LATE_12345_67890_exercise1.ipynb")
    'smithjane_12345_67890_feedback.md'
    >>> canvas_name("Ana Lopez_501_assignsubmission_file_/exercise1.ipynb") is None
    True
    """
    found = _CANVAS_DOWNLOAD.match(relpath.rsplit("/", 1)[-1])
    if not found:
        return None
    login = found["login"]
    if login.isdigit() or login.startswith("."):  # would be read as the user id, or ignored
        login = "student"
    return f"{login}_{found['user']}_{found['attachment']}_feedback.md"


def moodle_name(relpath: str) -> str | None:
    """The path Moodle's feedback-files upload gives to the participant of ``relpath`` (a file
    in a folder named by Moodle's download), or None.

    >>> moodle_name("Amy Lee_12347_assignsubmission_file_/exercise5.ipynb")
    'Amy Lee_12347_assignfeedback_file_/feedback.md'
    """
    found = moodle_folder(relpath.split("/", 1)[0])
    if not found or "/" not in relpath:
        return None
    name = found[0].replace("_", " ").strip() or "student"
    if name[0] in ".~":  # Moodle ignores names starting so
        name = "student " + name
    return f"{name}_{found[1]}_assignfeedback_file_/feedback.md"


_NAMERS = {"canvas": canvas_name, "moodle": moodle_name}


@dataclass
class UploadResult:
    """The archives written, and the students each one leaves out."""

    files: dict[str, Path] = field(default_factory=dict)            # platform -> archive
    students: dict[str, list[str]] = field(default_factory=dict)    # platform -> students in it
    left_out: dict[str, list[str]] = field(default_factory=dict)    # platform -> students not in it

    def messages(self) -> list[str]:
        out = []
        steps = {"canvas": "Canvas: Assignment > Re-Upload Submissions",
                 "moodle": "Moodle: View all submissions > Upload multiple feedback files in a zip"}
        for platform, path in self.files.items():
            out.append(f"Feedback for {len(self.students[platform])} student(s) in one upload: {path.name} "
                       f"({steps[platform]}).")
            missing = self.left_out.get(platform, [])
            if missing:
                shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
                out.append(f"  not in {path.name} (their files do not carry {platform.title()}'s "
                           f"download names; hand their feedback/ file back yourself): {shown}")
        return out


def _archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, members[name])
    return buffer.getvalue()


def write_uploads(out_dir: Path, records_by_student: dict[str, list[dict]],
                  names: dict[str, str]) -> UploadResult:
    """Write ``OUT/feedback-<platform>.zip`` for each platform that named some of the class's
    files, from ``OUT/feedback/<names[student]>``; an archive of a platform that names none is
    removed (it would be stale). ``names``: {student: feedback file name}, as
    ``report.write_feedback`` returns it."""
    out_dir = Path(out_dir)
    result = UploadResult()
    for platform, namer in _NAMERS.items():
        members: dict[str, bytes] = {}
        result.students[platform], result.left_out[platform] = [], []
        for student in sorted(records_by_student, key=str.casefold):
            member = next(filter(None, (namer(r["relpath"]) for r in records_by_student[student])), None)
            source = out_dir / "feedback" / names.get(student, "")
            if member is None or member in members or not source.is_file():
                result.left_out[platform].append(student)
                continue
            members[member] = source.read_bytes()
            result.students[platform].append(student)
        path = out_dir / ARCHIVES[platform]
        if members:
            atomic_write_bytes(path, _archive(members))
            result.files[platform] = path
        else:
            path.unlink(missing_ok=True)
    return result

"""Feedback archives for Canvas's and Moodle's bulk uploads (``outputs/uploads.py``).

Each platform's rule for reading a file name in the archive is written out here from its own
source, and every member of the archive we write must be read by it as the right student:

* Canvas, ``app/models/assignment.rb`` (instructure/canvas-lms), ``infer_comment_context_from_filename``:
  the base name is split at ``_``; the first two parts made only of digits are the user id and
  the attachment id (which must be one of that user's submitted files); a name starting with
  ``._`` is ignored.
* Moodle, ``mod/assign/feedback/file/importzipslib.php`` (moodle/moodle),
  ``is_valid_filename_for_import``: names starting with ``.`` or ``~`` are ignored; each part of
  the path is split at ``_`` into at most five pieces; a part with at least four pieces whose
  second is numeric names the participant, its third and fourth the plugin (``assignfeedback``
  ``file`` for feedback files).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from socialkit.course.grading.outputs.uploads import canvas_name, moodle_name, write_uploads


def canvas_reads(member: str) -> tuple[str, str] | None:
    """(user id, attachment id) as Canvas's re-upload reads a file name, or None (ignored)."""
    base = member.rsplit("/", 1)[-1]
    if base.startswith("._"):
        return None
    digits = [part for part in base.split("_") if re.fullmatch(r"\d+", part)][:2]
    return (digits[0], digits[1]) if len(digits) == 2 else None


def moodle_reads(member: str) -> tuple[int, str, str] | None:
    """(participant id, plugin type, plugin name) as Moodle's feedback upload reads a path, or None."""
    if member.rsplit("/", 1)[-1][:1] in (".", "~"):
        return None
    for part in member.split("/"):
        pieces = part.split("_", 4)  # PHP explode('_', $part, 5)
        if len(pieces) < 4 or not re.fullmatch(r"\d+", pieces[1]):
            continue
        return int(pieces[1]), pieces[2], pieces[3]
    return None


CLASS = {  # student -> the files they handed in, as the platforms' downloads name them
    "smithjane": ["smithjane_12345_67890_exercise1.ipynb"],
    "=hyde": ["=hyde_LATE_34567_111_exercise1.ipynb"],
    "4711": ["4711_222_333_exercise1.ipynb"],            # a login made of digits
    "Ana Lopez_501_assignsubmission_file_": ["Ana Lopez_501_assignsubmission_file_/exercise1.ipynb"],
    "Amy_Lee_12347_assignsubmission_file": ["Amy_Lee_12347_assignsubmission_file/ex.ipynb"],  # Moodle 4.1+
    "omar": ["omar/notebook.ipynb"],                      # neither platform's names
}


def _graded_class(out: Path) -> dict[str, str]:
    records = {s: [{"relpath": f, "student": s} for f in files] for s, files in CLASS.items()}
    names = {s: f"{i}.md" for i, s in enumerate(CLASS)}
    (out / "feedback").mkdir(parents=True)
    for s, name in names.items():
        (out / "feedback" / name).write_text(f"# Feedback\n\nStudent: **{s}**\n", encoding="utf-8")
    return records, names


def test_each_member_of_the_canvas_archive_is_read_by_canvas_as_its_students_submission(tmp_path):
    records, names = _graded_class(tmp_path)
    result = write_uploads(tmp_path, records, names)
    with zipfile.ZipFile(result.files["canvas"]) as zf:
        members = {m: zf.read(m).decode() for m in zf.namelist()}
    expected = {"smithjane": ("12345", "67890"), "=hyde": ("34567", "111"), "4711": ("222", "333")}
    assert len(members) == len(expected)
    for member, text in members.items():
        student = re.search(r"Student: \*\*(.+)\*\*", text)[1]
        assert canvas_reads(member) == expected[student], member
    assert sorted(result.left_out["canvas"]) == sorted(set(CLASS) - set(expected))


def test_each_member_of_the_moodle_archive_is_read_by_moodle_as_its_participants_feedback(tmp_path):
    records, names = _graded_class(tmp_path)
    result = write_uploads(tmp_path, records, names)
    with zipfile.ZipFile(result.files["moodle"]) as zf:
        members = {m: zf.read(m).decode() for m in zf.namelist()}
    expected = {"Ana Lopez_501_assignsubmission_file_": 501, "Amy_Lee_12347_assignsubmission_file": 12347}
    assert len(members) == len(expected)
    for member, text in members.items():
        student = re.search(r"Student: \*\*(.+)\*\*", text)[1]
        assert moodle_reads(member) == (expected[student], "assignfeedback", "file"), member
    assert "Amy Lee_12347_assignfeedback_file_/feedback.md" in members  # the name's _ is a space
    assert "omar" in result.left_out["moodle"]


def test_the_rules_reject_what_the_platforms_ignore():
    assert canvas_reads("._smithjane_12345_67890_feedback.md") is None
    assert canvas_name("omar/notebook.ipynb") is None and canvas_name("final.ipynb") is None
    assert moodle_name("Ana Lopez_501_assignsubmission_file_") is None  # a folder, not a file in it
    assert moodle_reads("Ana Lopez_x_assignfeedback_file_/feedback.md") is None


def test_archives_are_the_same_bytes_for_the_same_feedback_and_a_stale_one_is_removed(tmp_path):
    records, names = _graded_class(tmp_path)
    first = write_uploads(tmp_path, records, names).files["canvas"].read_bytes()
    assert write_uploads(tmp_path, records, names).files["canvas"].read_bytes() == first
    only_moodle = {s: r for s, r in records.items() if "assignsubmission" in s}
    result = write_uploads(tmp_path, only_moodle, names)
    assert "canvas" not in result.files and not (tmp_path / "feedback-canvas.zip").exists()
    assert any("Upload multiple feedback files" in m for m in result.messages())

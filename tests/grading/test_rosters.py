"""Rosters (a platform's own gradebook export) read as each platform writes and reads them.

Canvas's rules are those of its importer, ``app/models/gradebook_importer.rb`` (canvas-lms):
``row_has_student_headers?`` (``Student, ID`` or ``LastName, FirstName, ID``),
``identify_delimiter`` (``;`` when it splits the first three lines into one, larger, field
count), the ``decimal_comma_to_period`` converter and the ``Points Possible`` row. Moodle's
export is ``grade/export/txt`` (profile fields in the site's language, grade items, the time of
the download last); these tests give it in English and in German.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from socialkit.course.grading.outputs.rosters import GradebookError, read_roster

ITEM = "Exercise 1: Ignorance, arrogance and irrelevance (67890)"


def write(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    return path


def test_canvas_with_semicolons_and_decimal_commas(tmp_path):
    """A locale whose Canvas export uses ';' and '14,5' (identify_delimiter, decimal_comma_to_period)."""
    roster = read_roster(write(tmp_path / "c.csv", [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ITEM, "Current Points"],
        ["    Points Possible", "", "", "", "", "14,5", "(read only)"],
        ["Smith, Jane", "12345", "S1001", "jsmith", "Section A", "9,5", "9,5"],
        ["Student, Test", "11111", "", "", "Section A", "", ""],
    ], delimiter=";"))
    assert roster.kind == "canvas" and roster.items == [ITEM]
    assert roster.points == {ITEM: 14.5}
    assert [roster.name(r) for r in roster.students] == ["Smith, Jane"]  # the Test Student is not one
    assert roster.value(roster.students[0], "id") == "12345"


def test_canvas_with_separate_last_and_first_names(tmp_path):
    """Canvas's 'LastName, FirstName, ID' header (row_has_student_headers?, second form)."""
    roster = read_roster(write(tmp_path / "c.csv", [
        ["LastName", "FirstName", "ID", "SIS User ID", "SIS Login ID", "Section", ITEM],
        ["    Points Possible", "", "", "", "", "", "14"],
        ["García", "María", "12349", "S1002", "mgarcia", "Section A", ""],
    ]))
    assert roster.kind == "canvas" and roster.points == {ITEM: 14.0}
    (row,) = roster.students
    assert roster.name(row) == "García, María"
    keys = roster.keys(row)
    assert keys["canvas-id"] == {"12349"} and "mariagarcia" in keys["name"]


def test_a_comma_file_stays_a_comma_file(tmp_path):
    """Names with ';' do not make Canvas's rule choose ';': the field counts must agree on every line."""
    roster = read_roster(write(tmp_path / "c.csv", [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ITEM],
        ["O'Neil; Pat", "12346", "", "poneil", "A; B", "3"],
    ]))
    assert roster.kind == "canvas" and roster.name(roster.students[0]) == "O'Neil; Pat"


MOODLE_DE = ["Vorname", "Nachname", "ID-Nummer", "Institution", "Abteilung", "E-Mail-Adresse",
             "Aufgabe: Übung 1 (Punkte)", "Kurs gesamt (Punkte)",
             "Zuletzt aus diesem Kurs heruntergeladen"]


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_moodle_in_german_is_recognised_by_its_structure(tmp_path, delimiter):
    roster = read_roster(write(tmp_path / "m.txt", [
        MOODLE_DE,
        ["Ana", "López", "M01", "", "", "ana.lopez@example.edu", "-", "-", "1764000000"],
        ["Jan", "Schmidt", "", "", "", "jan.schmidt@example.edu", "7,5", "7,5", "1764000000"],
    ], delimiter=delimiter))
    assert roster.kind == "moodle"
    assert roster.roles == {"first": "Vorname", "last": "Nachname", "email": "E-Mail-Adresse",
                            "idnumber": "ID-Nummer"}
    assert "Aufgabe: Übung 1 (Punkte)" in roster.items
    assert roster.item_name("Aufgabe: Übung 1 (Punkte)") == "Aufgabe: Übung 1"
    assert [roster.name(r) for r in roster.students] == ["Ana López", "Jan Schmidt"]


def test_moodle_in_english_with_a_username_column(tmp_path):
    roster = read_roster(write(tmp_path / "m.csv", [
        ["First name", "Last name", "Username", "Email address",
         "Assignment: Exercise 1 (Real)", "Last downloaded from this course"],
        ["Amy", "Lee", "amylee", "amy.lee@example.edu", "-", "1764000000"],
    ]))
    assert roster.kind == "moodle"
    assert roster.roles["username"] == "Username" and "idnumber" not in roster.roles


def test_neither_platform_is_refused_with_what_to_do(tmp_path):
    with pytest.raises(GradebookError, match="neither a Canvas"):
        read_roster(write(tmp_path / "x.csv", [["name", "score"], ["Jane", "3"]]))
    # Moodle's structure needs the download time on every row, not just a similar header
    with pytest.raises(GradebookError, match="neither a Canvas"):
        read_roster(write(tmp_path / "y.csv", [MOODLE_DE, ["Ana", "López", "M01", "", "",
                                                           "ana@example.edu", "-", "-", "yesterday"]]))

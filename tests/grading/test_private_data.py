"""The instructor's private file at grade time (issue 23, item 4): named once, remembered in the
grade folder (``intake/settings.py``), hidden from the students' sandboxes, and its absence or a
broken settings file said plainly."""
from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from socialkit.course.grading import cli
from socialkit.course.grading.intake.settings import GradeSettings, load_settings, save_settings
from support.grading import CH1, FULL, insert_after_check, namespaces, read_rows, write

LIMITS = ["--timeout", "300", "--cell-timeout", "30", "--test-timeout", "10", "--memory", "1536",
          "--workers", "1", "--no-progress"]


def _run(argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def kit(assign_dir, tmp_path) -> Path:
    """Chapter 1's autograder in a kit root of its own (the grader may make it again there)."""
    root = tmp_path / "kit"
    for part in ("_wheel", CH1):
        shutil.copytree(assign_dir / part, root / "_build" / "assign" / part)
    return root / "_build" / "assign" / CH1 / "autograder" / f"{CH1}-autograder.zip"


@pytest.fixture
def course_folder():
    """A folder outside /tmp, as an instructor's ~/course is (every sandbox has a /tmp of its own,
    so a file under /tmp would be out of its sight anyway); removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="socialkit-test-course-", dir=Path.home()))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.grading
def test_the_private_file_is_hidden_from_the_students_code_and_remembered(kit, make, tmp_path, course_folder):
    if not namespaces():
        pytest.skip("only the namespaces isolation hides files (the session isolation hides nothing)")
    private = course_folder / "private-heldout.toml"
    private.write_text('["05-be-social-not-a-billboard"]\nq1_markets = [52817, 40913, 7731, 66120]\n',
                       encoding="utf-8")
    # a student who reads the file: if it has anything in it, their bass_F is gone and q1 earns 0
    nb = insert_after_check(make(), "q1", f"if open({str(private)!r}).read():\n    bass_F = None")
    write(nb, tmp_path / "subs" / "snoop_1_2_ex.ipynb")
    out = tmp_path / "out"
    code, stdout, stderr = _run([kit, tmp_path / "subs", "--out", out, "--private", private, *LIMITS])
    assert code == 0, stdout + stderr
    (row,) = read_rows(out / "grades.csv")
    assert float(row["q1"]) == FULL["q1"], "the student's code read the private file"
    assert json.loads((out / "settings.json").read_text())["private"] == str(private.resolve())
    assert "remembered for this folder" in stdout
    assert "The private file" in stdout and "gives 01-ignorance-arrogance-irrelevance no private seeds" in stdout

    # the file moved: the run stops and says what to do, grading nothing
    private.rename(private.with_suffix(".moved"))
    code, _, stderr = _run([kit, tmp_path / "subs", "--out", out, *LIMITS])
    assert code == 2 and "is missing" in stderr and "--public" in stderr
    code, stdout, _ = _run([kit, tmp_path / "subs", "--out", out, "--public", *LIMITS])
    assert code == 0 and "forgotten (--public)" in stdout and "Data: the public data" in stdout
    assert load_settings(out).private is None


def test_options_and_settings_files_that_cannot_work_are_refused(kit, tmp_path):
    subs = tmp_path / "subs"
    subs.mkdir()
    code, _, stderr = _run([kit, subs, "--private", tmp_path / "none.toml"])
    assert code == 2 and "--private" in stderr and "does not exist" in stderr
    (tmp_path / "p.toml").write_text("", encoding="utf-8")
    code, _, stderr = _run([kit, subs, "--private", tmp_path / "p.toml", "--public"])
    assert code == 2 and "exclude each other" in stderr
    out = tmp_path / "out"
    out.mkdir()
    (out / "settings.json").write_text("{not json", encoding="utf-8")
    code, _, stderr = _run([kit, subs, "--out", out])
    assert code == 2 and "settings.json cannot be read" in stderr
    (out / "settings.json").write_text('{"anonymise": "yes"}', encoding="utf-8")
    with pytest.raises(ValueError, match="wrong kind"):
        load_settings(out)


def test_settings_round_trip_and_blind_grading_sticks(tmp_path):
    settings = GradeSettings()
    assert settings.update(private=tmp_path / "p.toml", anonymise=True, order_seed=7)
    save_settings(tmp_path, settings)
    again = load_settings(tmp_path)
    assert again == settings and again.private == str((tmp_path / "p.toml").resolve())
    assert again.update(private=None, anonymise=None, order_seed=None) == []  # nothing given: kept
    assert again.anonymise and again.order_seed == 7
    assert "off" in again.update(private=None, anonymise=False, order_seed=None)[0]

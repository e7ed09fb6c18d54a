"""Worksheets: answers survive re-runs, damaged files are kept, writes are atomic, export reads well."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta
from pathlib import Path

import ipywidgets as widgets
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialkit import worksheet as ws_mod
from socialkit.interactive.worksheet import (CHAPTER3_QUESTIONS, Question, Worksheet,
                                 backup_path, read_answers, widget, write_atomic)

QUESTIONS = (Question("alpha", "First question?", "A hint.", "Part one"),
             Question("beta", "Second question?", group="Part one"),
             Question("gamma", "Third question?", group="Part two"))
KEYS = [q.key for q in QUESTIONS]
# Any text a student could type, including accents, emoji, quotes, newlines and control codes.
ANY_TEXT = st.text(max_size=200)
HEALTH = dict(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


class Clock:
    """A clock that moves one second per call, so timestamps differ and are predictable."""

    def __init__(self, start=datetime(2026, 3, 14, 9, 26, 53)):
        self.now = start

    def __call__(self):
        self.now += timedelta(seconds=1)
        return self.now


def make(folder, clock=None, questions=QUESTIONS, name="cobble"):
    return Worksheet(name, "Cobble & Chain worksheet", questions, folder=folder,
                     clock=clock or Clock())


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.corrupt-*.json"))


# --- arguments -------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, error, message", [
    (dict(name="Bad Name"), ValueError, "name must be"),
    (dict(name=""), ValueError, "name must be"),
    (dict(title=" "), ValueError, "title must be"),
    (dict(questions=[]), TypeError, "non-empty list of Question"),
    (dict(questions=["Where?"]), TypeError, "non-empty list of Question"),
    (dict(questions=[Question("a", "A?"), Question("a", "Again?")]), ValueError, "repeated: a"),
])
def test_bad_arguments_are_named(tmp_path, kwargs, error, message):
    args = dict(name="ok", title="T", questions=QUESTIONS) | kwargs
    with pytest.raises(error, match=message):
        Worksheet(args["name"], args["title"], args["questions"], folder=tmp_path)


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(ValueError, match="existing folder"):
        Worksheet("ok", "T", QUESTIONS, folder=tmp_path / "nope")


@pytest.mark.parametrize("key", ["", "Where", "1st", "with space", "x" * 41])
def test_bad_question_keys(key):
    with pytest.raises(ValueError, match="key must be"):
        Question(key, "Prompt?")


def test_empty_prompt():
    with pytest.raises(ValueError, match="prompt of question 'a'"):
        Question("a", "  ")


def test_set_answer_checks_key_and_type(tmp_path):
    ws = make(tmp_path)
    with pytest.raises(KeyError, match="no question 'delta'.*alpha, beta, gamma"):
        ws.set_answer("delta", "x")
    with pytest.raises(TypeError, match="must be text; got int"):
        ws.set_answer("alpha", 3)
    assert not ws.path.exists()


# --- saving and restoring ------------------------------------------------------------------
def test_nothing_is_written_until_an_answer_changes(tmp_path):
    ws = make(tmp_path)
    assert "saved as you type" in ws.notice
    assert list(tmp_path.iterdir()) == []


def test_answer_is_saved_at_once_and_restored(tmp_path):
    ws = make(tmp_path)
    message = ws.set_answer("beta", "Commuters with a flat tyre at 8 am")
    assert message.startswith("Saved at 09:26:54")
    data = json.loads(ws.path.read_text(encoding="utf-8"))
    assert data["format"] == "socialkit-worksheet" and data["worksheet"] == "cobble"
    assert data["answers"] == {"alpha": "", "beta": "Commuters with a flat tyre at 8 am", "gamma": ""}
    again = make(tmp_path)
    assert again.answers["beta"] == "Commuters with a flat tyre at 8 am"
    assert again.notice.startswith("Restored 1 of 3 answers")


def test_file_name_ends_with_answers_json(tmp_path):
    assert make(tmp_path).path.name == "cobble.answers.json"


@settings(max_examples=60, **HEALTH)
@given(answers=st.fixed_dictionaries({k: ANY_TEXT for k in KEYS}))
def test_round_trip_any_text(tmp_path_factory, answers):
    folder = tmp_path_factory.mktemp("rt")
    ws = make(folder)
    for key, text in answers.items():
        ws.set_answer(key, text)
    assert make(folder).answers == answers
    assert read_answers(ws.path) == answers


@settings(max_examples=40, **HEALTH)
@given(edits=st.lists(st.tuples(st.sampled_from(KEYS), ANY_TEXT), max_size=12))
def test_rerunning_never_erases(tmp_path_factory, edits):
    """Edit, re-run the cell (a new Worksheet), edit again...: the file holds the last text of each."""
    folder = tmp_path_factory.mktemp("rerun")
    expected = dict.fromkeys(KEYS, "")
    for i, (key, text) in enumerate(edits):
        ws = make(folder)  # every edit in a freshly re-run cell
        assert ws.answers == expected
        ws.set_answer(key, text)
        expected[key] = text
    assert make(folder).answers == expected


def test_two_views_do_not_clobber_each_other(tmp_path):
    first, second = make(tmp_path), make(tmp_path)
    first.set_answer("alpha", "from the first view")
    second.set_answer("beta", "from the second view")
    assert read_answers(first.path) == {"alpha": "from the first view",
                                        "beta": "from the second view", "gamma": ""}


def test_answers_to_unknown_questions_are_kept(tmp_path):
    old = make(tmp_path, questions=QUESTIONS + (Question("retired", "Old question?"),))
    old.set_answer("retired", "keep me")
    new = make(tmp_path)
    assert new.extra == {"retired": "keep me"}
    new.set_answer("alpha", "a")
    assert read_answers(new.path)["retired"] == "keep me"
    assert "keep me" in new.to_markdown()


def test_lone_surrogates_are_saved_escaped(tmp_path):
    ws = make(tmp_path)
    ws.set_answer("alpha", "broken \udc80 text")
    assert make(tmp_path).answers["alpha"] == "broken \udc80 text"


# --- damaged files -------------------------------------------------------------------------
DAMAGED = [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid UTF-8"),
    (b"[1, 2, 3]", "not a worksheet file"),
    (b'{"answers": {"alpha": "x"}}', "not a worksheet file"),
    (b'{"format": "socialkit-worksheet", "answers": ["x"]}', "\"answers\" entry"),
    (b'{"format": "socialkit-worksheet", "answers": {"alpha": 42}}', "not text"),
    (b"", "not valid JSON"),
]


@pytest.mark.parametrize("content, reason", DAMAGED)
def test_damaged_file_is_backed_up_and_explained(tmp_path, content, reason):
    path = tmp_path / "cobble.answers.json"
    path.write_bytes(content)
    ws = make(tmp_path)
    assert ws.notice.startswith("⚠️ cobble.answers.json could not be read")
    assert reason in ws.notice and ws.backup.name in ws.notice
    assert ws.backup.name == "cobble.answers.corrupt-20260314T092654.json"
    assert ws.backup.read_bytes() == content
    assert path.read_bytes() == content  # untouched until the student saves something
    assert ws.answers == dict.fromkeys(KEYS, "")
    ws.set_answer("alpha", "new")
    assert read_answers(path) == {"alpha": "new", "beta": "", "gamma": ""}
    assert ws.backup.read_bytes() == content
    assert len(backups(tmp_path)) == 1, "the same damaged content was backed up twice"


def test_backups_are_never_overwritten(tmp_path):
    """Two damaged files in the same second get two backups; the first keeps its content."""
    path = tmp_path / "cobble.answers.json"
    frozen = lambda: datetime(2026, 3, 14, 9, 0, 0)
    path.write_text("first damage")
    first = make(tmp_path, clock=frozen)
    path.write_text("second damage")
    second = make(tmp_path, clock=frozen)
    assert first.backup != second.backup
    assert first.backup.read_text() == "first damage"
    assert second.backup.read_text() == "second damage"
    assert second.backup.name == "cobble.answers.corrupt-20260314T090000-2.json"


def test_file_damaged_while_open_is_backed_up_before_saving(tmp_path):
    ws = make(tmp_path)
    ws.set_answer("alpha", "kept in memory")
    ws.path.write_text("{ oops, a bad hand edit")
    message = ws.set_answer("beta", "b")
    assert message.startswith("⚠️") and "Saved at" in message
    (backup,) = backups(tmp_path)
    assert backup.read_text() == "{ oops, a bad hand edit"
    assert read_answers(ws.path) == {"alpha": "kept in memory", "beta": "b", "gamma": ""}


def test_hand_edited_valid_file_is_accepted(tmp_path):
    path = tmp_path / "cobble.answers.json"
    path.write_text(json.dumps({"format": "socialkit-worksheet", "answers": {"gamma": "edited"}}))
    ws = make(tmp_path)
    assert ws.answers["gamma"] == "edited" and ws.backup is None


def test_unbackupable_damaged_file_is_never_overwritten(tmp_path, monkeypatch):
    path = tmp_path / "cobble.answers.json"
    path.write_text("{damaged")

    def refuse(*args, **kwargs):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(ws_mod, "_backup", refuse)
    ws = make(tmp_path)
    assert not ws.can_save and "nothing will be saved" in ws.notice
    with pytest.raises(OSError, match="Not saving"):
        ws.set_answer("alpha", "x")
    assert path.read_text() == "{damaged"


def test_a_folder_in_the_way_is_explained(tmp_path):
    (tmp_path / "cobble.answers.json").mkdir()
    ws = make(tmp_path)
    assert not ws.can_save and "is a folder" in ws.notice


# --- atomic writes ---------------------------------------------------------------------------
def test_failed_write_leaves_old_file_and_no_temp_files(tmp_path, monkeypatch):
    ws = make(tmp_path)
    ws.set_answer("alpha", "safe")
    before = ws.path.read_bytes()

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(ws_mod.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        ws.set_answer("alpha", "lost?")
    assert ws.path.read_bytes() == before
    # the answers and the hidden lock file that guards them; no temporary file left behind
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cobble.answers.json.lock",
                                                          "cobble.answers.json"]


def test_write_atomic_uses_a_temp_file_in_the_same_folder(tmp_path, monkeypatch):
    seen = []
    real = os.replace
    monkeypatch.setattr(ws_mod.os, "replace", lambda s, d: (seen.append((Path(s), Path(d))), real(s, d)))
    write_atomic(tmp_path / "x.json", "hello")
    (src, dst), = seen
    assert src.parent == dst.parent == tmp_path and src != dst
    assert (tmp_path / "x.json").read_text() == "hello"


def test_backup_path_pattern():
    when = datetime(2026, 1, 2, 3, 4, 5)
    assert backup_path("a/b.answers.json", when) == Path("a/b.answers.corrupt-20260102T030405.json")


# --- export ----------------------------------------------------------------------------------
def test_markdown_reads_well(tmp_path):
    ws = make(tmp_path)
    ws.set_answer("alpha", "Students on second-hand bikes")
    md = ws.to_markdown()
    assert md.startswith("# Cobble & Chain worksheet\n")
    assert "## Part one" in md and "## Part two" in md
    assert "### 1. First question?\n\n*A hint.*\n\nStudents on second-hand bikes" in md
    assert md.count("*(no answer yet)*") == 2
    assert "Exported" in md
    blank = ws.to_markdown(blank=True)
    assert "Students" not in blank and blank.count("*(no answer yet)*") == 3
    assert "Exported" not in blank


@settings(max_examples=40, **HEALTH)
@given(answers=st.fixed_dictionaries({k: st.text(st.characters(blacklist_categories=["Cs"]),
                                                 min_size=1, max_size=80).filter(str.strip)
                                      for k in KEYS}))
def test_export_holds_every_answer_in_order(tmp_path_factory, answers):
    folder = tmp_path_factory.mktemp("md")
    ws = make(folder)
    for key, text in answers.items():
        ws.set_answer(key, text)
    path = ws.export_markdown()
    assert path.name == "cobble.md"
    md = path.read_bytes().decode("utf-8")  # as written: no newline translation
    positions = [md.index(answers[k].strip(), md.index(f"### {i}.")) for i, k in enumerate(KEYS, 1)]
    assert positions == sorted(positions)


# --- the widget ------------------------------------------------------------------------------
def textareas(box):
    return [c for c in box.children if isinstance(c, widgets.Textarea)]


def test_widget_saves_every_change_and_restores(tmp_path):
    box = widget(make(tmp_path))
    areas = textareas(box)
    assert len(areas) == 3 and all(a.value == "" for a in areas)
    areas[1].value = "Where do commuters ask?"
    assert "Saved at" in box.status.value
    assert read_answers(tmp_path / "cobble.answers.json")["beta"] == "Where do commuters ask?"
    again = widget(make(tmp_path))
    assert [a.value for a in textareas(again)] == ["", "Where do commuters ask?", ""]


def test_widget_reports_a_failed_save_without_losing_text(tmp_path, monkeypatch):
    box = widget(make(tmp_path))
    monkeypatch.setattr(ws_mod.os, "replace", lambda s, d: (_ for _ in ()).throw(OSError("disk full")))
    area = textareas(box)[0]
    area.value = "precious words"
    assert "Not saved" in box.status.value and "still in the box" in box.status.value
    assert area.value == "precious words"


def test_widget_shows_static_note_and_questions(tmp_path):
    box = widget(make(tmp_path))
    html = "".join(c.value for c in box.children if isinstance(c, widgets.HTML))
    assert "Saving needs JupyterLab" in html and ".cell_output .sk-ws-static" in html
    assert 'download="cobble.md" href="data:text/markdown' in html
    for q in QUESTIONS:
        assert q.prompt in html
    # the live status is hidden on the static page
    assert ".cell_output .sk-ws-live { display: none; }" in html


def test_widget_keeps_warning_in_view_after_a_save(tmp_path):
    (tmp_path / "cobble.answers.json").write_text("{bad")
    box = widget(make(tmp_path))
    textareas(box)[0].value = "x"
    html = "".join(c.value for c in box.children if isinstance(c, widgets.HTML))
    assert "could not be read" in html and "Saved at" in html


def test_widget_export_button(tmp_path):
    box = widget(make(tmp_path))
    textareas(box)[2].value = "Answer three"
    (button,) = [c for c in box.children if isinstance(c, widgets.HBox)][0].children,
    button[0].click()
    assert "Answer three" in (tmp_path / "cobble.md").read_text(encoding="utf-8")


def test_widget_rejects_non_worksheet():
    with pytest.raises(TypeError, match="must be a Worksheet"):
        widget("cobble")


def test_chapter3_questions_cover_both_articles():
    keys = [q.key for q in CHAPTER3_QUESTIONS]
    assert len(keys) == len(set(keys)) == 10
    assert {q.group for q in CHAPTER3_QUESTIONS} == {
        "Connected customers (after Solis, 2013)",
        "The customer-centric checklist (after Social media problems for business, 2009)"}


def test_book_build_never_reads_or_writes_the_builders_answers(tmp_path, monkeypatch):
    # The book's pages must show blank worksheets and the build must not touch answer files.
    monkeypatch.chdir(tmp_path)
    questions = (Question("where", "Where do they go?"),)
    mine = tmp_path / f"mine{ws_mod.SUFFIX}"
    mine.write_text(json.dumps({"answers": {"where": "my private answer"}}))
    before = mine.read_bytes()
    monkeypatch.setenv(ws_mod.EPHEMERAL_ENV, "1")
    box = ws_mod.show("mine", "Mine", questions)
    assert box.worksheet.answers["where"] == ""
    box.worksheet.set_answer("where", "typed during the build")
    assert mine.read_bytes() == before and box.worksheet.path.parent != tmp_path


# --- several processes saving the same worksheet -------------------------------------------------
# Each child is a separate Python process with its own Worksheet, as two kernels are (a chapter and
# the capstone open side by side). They wait for a "go" file, so their saves overlap.
WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from socialkit.interactive.worksheet import Question, Worksheet

    folder, key, rounds, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    keys = sys.argv[5].split(",")
    ws = Worksheet("shared", "Shared plan", [Question(k, k + "?") for k in keys], folder=folder)
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:
        time.sleep(0.001)
    for i in range(rounds):
        ws.set_answer(key, f"{key} answer {i}")
""")


def run_writers(folder: Path, keys: list[str], rounds: int) -> None:
    script = folder / "writer.py"
    script.write_text(WRITER)
    go = folder / "go"
    env = {k: v for k, v in os.environ.items() if k != ws_mod.EPHEMERAL_ENV}
    children = [subprocess.Popen([sys.executable, str(script), str(folder), key, str(rounds),
                                  str(go), ",".join(keys)], env=env, stderr=subprocess.PIPE,
                                 text=True) for key in keys]
    time.sleep(1.0)  # let every child import socialkit and open the worksheet
    go.touch()
    errors = [child.communicate(timeout=240)[1] for child in children]
    assert [child.returncode for child in children] == [0] * len(keys), "\n".join(errors)


def test_parallel_processes_never_lose_a_last_write(tmp_path):
    """4 processes, each setting its own answer 300 times at once: every last write survives.

    Without the lock (read, merge, write by several processes at once) some of these last
    writes were lost: a process re-read the file, another wrote its answer, and the first then
    wrote the file back with the other's older answer.
    """
    keys = ["ch2_channels", "ch5_content_mix", "ch6_objective", "ch8_first_90_days"]
    run_writers(tmp_path, keys, rounds=300)
    saved = read_answers(tmp_path / "shared.answers.json")
    assert saved == {key: f"{key} answer 299" for key in keys}
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers and not backups(tmp_path)


def test_parallel_processes_keep_answers_of_other_worksheets(tmp_path):
    """Chapter worksheets share one file: a process that knows only some questions keeps the rest."""
    path = tmp_path / "shared.answers.json"
    path.write_text(json.dumps({"format": "socialkit-worksheet",
                                "answers": {"business": "Cobble & Chain Cycles"}}))
    run_writers(tmp_path, ["ch4_findings", "ch7_first_actions"], rounds=50)
    assert read_answers(path) == {"business": "Cobble & Chain Cycles",
                                  "ch4_findings": "ch4_findings answer 49",
                                  "ch7_first_actions": "ch7_first_actions answer 49"}


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from socialkit.data.files import locked

    target, held, release = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    with locked(target):
        held.touch()
        deadline = time.monotonic() + 60
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
""")


def hold_lock(folder: Path, target: Path):
    """Start a process that holds the lock on ``target`` until ``release`` exists."""
    script, held, release = folder / "holder.py", folder / "held", folder / "release"
    script.write_text(HOLDER)
    child = subprocess.Popen([sys.executable, str(script), str(target), str(held), str(release)])
    deadline = time.monotonic() + 60
    while not held.exists():
        assert child.poll() is None and time.monotonic() < deadline, "the lock holder did not start"
        time.sleep(0.01)
    return child, release


def test_a_save_waits_for_another_process(tmp_path):
    ws = make(tmp_path)
    child, release = hold_lock(tmp_path, ws.path)
    try:
        subprocess.Popen([sys.executable, "-c", f"import time; time.sleep(0.5); "
                          f"open({str(release)!r}, 'w').close()"])
        start = time.monotonic()
        assert ws.set_answer("alpha", "after the other save").startswith("Saved at")
        assert time.monotonic() - start >= 0.3, "the save did not wait for the lock"
    finally:
        release.touch()
        child.wait(timeout=60)
    assert read_answers(ws.path)["alpha"] == "after the other save"


def test_a_lock_held_too_long_is_explained_and_the_text_kept(tmp_path, monkeypatch):
    box = widget(make(tmp_path))
    monkeypatch.setattr(box.worksheet, "lock_timeout", 0.3)
    child, release = hold_lock(tmp_path, box.worksheet.path)
    try:
        with pytest.raises(TimeoutError, match="being saved by another notebook"):
            box.worksheet.set_answer("beta", "x")
        area = textareas(box)[0]
        area.value = "words typed while another notebook saves"
        assert "Not saved" in box.status.value and "being saved by another notebook" in box.status.value
        assert area.value == "words typed while another notebook saves"
    finally:
        release.touch()
        child.wait(timeout=60)
    assert not box.worksheet.path.exists()  # nothing half-done was written
    box.worksheet.set_answer("alpha", area.value)  # once the other save is done, saving works
    assert read_answers(box.worksheet.path)["alpha"] == "words typed while another notebook saves"


def test_locked_checks_its_timeout(tmp_path):
    from socialkit.data.files import locked

    for bad in (-1, "soon", True):
        with pytest.raises(ValueError, match="timeout must be a number of seconds"):
            with locked(tmp_path / "x.json", timeout=bad):
                pass

"""`python -m socialkit`: the make-free commands (the real JupyterLab start-up from a wheel is in
test_clean_install.py)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from socialkit.site import cli

ROOT = Path(__file__).resolve().parents[2]


def test_check_reports_the_data_and_the_tools(capsys):
    assert cli.main(["check"]) == 0
    out = capsys.readouterr().out
    assert "posts.csv: 2400 rows, checked" in out and "statements.csv: 84 rows, checked" in out
    assert "datasets" in out and out.rstrip().endswith("Ready.")


def test_check_says_what_is_missing(monkeypatch, capsys, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "otter" else real(name, *a))
    assert cli.check() == 1
    out = capsys.readouterr().out
    assert "otter        MISSING (to check exercises)" in out and "Not ready" in out


def test_python_m_socialkit_runs_from_any_folder(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "socialkit", "check"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Ready." in proc.stdout


def test_lab_opens_the_course_folder_with_the_same_python(monkeypatch, tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "exercises").mkdir()
    seen = {}

    def fake_exec(path, argv):
        seen.update(path=path, argv=argv, cwd=Path.cwd())
        raise SystemExit(0)  # execv never returns

    monkeypatch.setattr(cli.os, "execv", fake_exec)
    monkeypatch.setattr(cli.subprocess, "call",
                        lambda argv, cwd: seen.update(path=argv[0], argv=argv, cwd=cwd) or 0)
    monkeypatch.chdir(ROOT)
    try:
        result = cli.main(["lab", "--folder", str(tmp_path), "--no-browser", "--port", "8899"])
    except SystemExit as stop:
        result = stop.code
    assert result == 0
    assert seen["path"] == sys.executable
    # no folder on JupyterLab's command line: the root is the course folder, so both
    # notebooks/ and exercises/ can be opened
    assert seen["argv"] == [sys.executable, "-m", "jupyterlab", "--no-browser", "--port", "8899"]
    assert Path(seen["cwd"]).resolve() == tmp_path.resolve()


def test_lab_without_notebooks_says_where_to_run_it(tmp_path, capsys):
    assert cli.main(["lab", "--folder", str(tmp_path)]) == 2
    assert "No notebooks/ folder here" in capsys.readouterr().err


def test_lab_without_jupyterlab_says_what_to_install(monkeypatch, tmp_path, capsys):
    import importlib.util

    (tmp_path / "notebooks").mkdir()
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "jupyterlab" else real(name, *a))
    assert cli.main(["lab", "--folder", str(tmp_path)]) == 2
    assert "pip install -r requirements.txt" in capsys.readouterr().err


def test_find_course_folder(tmp_path, monkeypatch):
    assert cli.find_course_folder(ROOT) == ROOT
    (tmp_path / "notebooks").mkdir()
    assert cli.find_course_folder(tmp_path) == tmp_path.resolve()
    monkeypatch.chdir(tmp_path)
    assert cli.find_course_folder() == tmp_path.resolve()


def test_links_and_bad_commands(capsys):
    assert cli.main(["links", "notebooks/01-ignorance-arrogance-irrelevance.ipynb"]) == 0
    assert "git-pull?repo=" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stop:
        cli.main(["check", "--bogus"])
    assert stop.value.code == 2
    with pytest.raises(SystemExit):
        cli.main(["fly"])

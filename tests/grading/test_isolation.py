"""Isolation between submissions (socialkit.course.grading.engine.sandbox), both kinds, with real sandboxes.

Each test runs a few code cells in a sandbox exactly as a submission's cells run
(``runner.run_cells``) and looks at what they could see and do: processes, files, limits,
environment, and whether anything they started outlives them. ``namespaces`` is what this
machine gives (Linux, user namespaces); ``session`` is the fallback for macOS and locked-down
Linux, forced with ``SOCIALKIT_GRADING_ISOLATION=session``. Where the fallback cannot protect
(files and processes of the same user), the test states that limit instead of hiding it.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil
import pytest

from socialkit.course import assign
from socialkit.course.grading.engine import runner, sandbox
from support.grading import processes_with

MASTERS = assign.MASTERS_DIR
NAMESPACES = runner.isolation().kind == "namespaces"
KINDS = ["namespaces", "session"] if NAMESPACES else ["session"]
needs_namespaces = pytest.mark.skipif(not NAMESPACES, reason="this system gives no user namespaces")


def run(cells, names, kind, **kw):
    outcome, values, events = runner.run_cells(cells, names, kind=kind, **kw)
    assert outcome == "ready", (outcome, events)
    return values, events


def test_machine_isolation_is_reported_and_can_be_forced(monkeypatch):
    assert runner.isolation().kind in ("namespaces", "session")
    assert str(runner.isolation())  # says which, in words
    monkeypatch.setenv(sandbox.FORCE_VARIABLE, "session")
    forced = sandbox.available()
    assert forced.kind == "session" and "forced" in forced.detail


PROBE = '''\
import os, resource
probe = {
    "pid": os.getpid(),
    "leads_session": os.getsid(0) == os.getpid() and os.getpgrp() == os.getpid(),
    "memory": resource.getrlimit(resource.RLIMIT_AS)[0],
    "file_size": resource.getrlimit(resource.RLIMIT_FSIZE)[0],
    "cpu": resource.getrlimit(resource.RLIMIT_CPU)[0],
    "core": resource.getrlimit(resource.RLIMIT_CORE)[0],
    "environment": sorted(os.environ),
    "cwd": os.getcwd(),
}
'''


@pytest.mark.parametrize("kind", KINDS)
def test_own_session_limits_and_a_plain_environment(kind, monkeypatch):
    monkeypatch.setenv("SOCIALKIT_TEST_SECRET", "the grader's")  # nothing of the grader's crosses
    values, _ = run([PROBE], ["probe"], kind, limits=runner.Limits(timeout=60, cell_timeout=20, memory_mb=1536))
    probe = values["probe"]
    assert probe["leads_session"] or kind == "namespaces" and probe["pid"] == 1
    assert probe["memory"] == 1536 << 20 and probe["core"] == 0
    assert 0 < probe["file_size"] <= 1 << 30 and 0 < probe["cpu"] < 10_000
    assert "SOCIALKIT_TEST_SECRET" not in probe["environment"]
    assert set(probe["environment"]) <= {"PATH", "LANG", "LC_ALL", "TZ", "HOME", "TMPDIR", "IPYTHONDIR",
                                         "MPLCONFIGDIR", "MPLBACKEND", "PYDEVD_DISABLE_FILE_VALIDATION",
                                         sandbox.TOKEN_VARIABLE, *sandbox.THREAD_VARIABLES}
    assert probe["cwd"] != os.getcwd()


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_started_outlives_the_submission(kind):
    """A double fork into a new session (with exec, and without) is gone when the sandbox is."""
    marker = f"{4000 + os.getpid() % 1000}.{time.time_ns() % 10**6:06d}"
    cell = f'''\
import os, time
for child in range(2):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            if child == 0:
                os.execvp("sleep", ["sleep", "{marker}"])
            time.sleep(3600)
            os._exit(0)
        os._exit(0)
time.sleep(0.3)
started = True
'''
    values, _ = run([cell], ["started"], kind)
    assert values["started"] is True
    time.sleep(0.5)
    assert processes_with(marker) == []
    assert leftovers() == []


def leftovers() -> list:
    """Processes below this one other than the fork server and multiprocessing's helpers: a
    daemon forked (without exec) inside a sandbox would be one of them."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            line = " ".join(proc.cmdline() or [])
            if proc.status() == psutil.STATUS_ZOMBIE or "resource_tracker" in line:
                continue
            if "forkserver" in line and proc.ppid() == os.getpid():
                continue  # the fork server itself
            found.append(proc)
        except psutil.Error:
            pass
    return found


@needs_namespaces
def test_namespaces_hide_the_grader_and_the_class(tmp_path):
    secret_dir = tmp_path / "grades"
    secret_dir.mkdir()
    (secret_dir / "grades.csv").write_text("student,total\nann,11\n")
    target = psutil.Popen(["sleep", "120"])
    try:
        cell = f'''\
import os, socket, psutil
probe = {{}}
probe["hidden"] = os.listdir({str(secret_dir)!r}) if os.path.isdir({str(secret_dir)!r}) else None
probe["masters"] = os.listdir({str(MASTERS)!r})
try:
    open({str(secret_dir / "grades.csv")!r}, "w").write("tampered")
    probe["write_grades"] = "written"
except OSError as error:
    probe["write_grades"] = type(error).__name__
try:
    open({os.path.abspath(__file__)!r}, "a").write("# tampered")
    probe["write_repo"] = "written"
except OSError as error:
    probe["write_repo"] = type(error).__name__
try:
    os.kill({target.pid}, 9)
    probe["signal"] = "sent"
except OSError as error:
    probe["signal"] = type(error).__name__
probe["processes"] = len(psutil.pids())
try:
    socket.create_connection(("127.0.0.1", 22), timeout=1)
    probe["network"] = "connected"
except OSError as error:
    probe["network"] = type(error).__name__
status = open("/proc/self/status").read()
probe["capabilities"] = [l.split()[1] for l in status.splitlines() if l.startswith("CapEff")][0]
'''
        values, _ = run([cell], ["probe"], "namespaces", hide=[secret_dir, MASTERS])
    finally:
        alive = target.is_running() and target.status() != psutil.STATUS_ZOMBIE
        target.kill()
    probe = values["probe"]
    assert probe["hidden"] in ([], None)             # the grader's folder: empty or not there
    assert probe["masters"] == [] and any(MASTERS.glob("*.ipynb"))  # hidden, not removed
    assert probe["write_grades"] != "written" and probe["write_repo"] != "written"
    assert (secret_dir / "grades.csv").read_text() == "student,total\nann,11\n"
    assert probe["signal"] == "ProcessLookupError" and alive  # it cannot even see the process
    assert probe["processes"] <= 3
    assert probe["network"] != "connected"
    assert int(probe["capabilities"], 16) == 0


def test_session_mode_states_its_limit(tmp_path):
    """Without namespaces the sandbox runs as the grader's user: it can read the user's files.
    The grader keeps its own state out of reach differently (signed records, a key that is not
    on disk while student code runs); this test documents that the folder itself is visible."""
    (tmp_path / "visible.txt").write_text("yes")
    values, _ = run([f"seen = open({str(tmp_path / 'visible.txt')!r}).read()"], ["seen"], "session",
                    hide=[tmp_path])
    assert values["seen"] == "yes"


@pytest.mark.parametrize("kind", KINDS)
def test_memory_and_file_size_limits(kind):
    cell = '''\
import numpy as np
try:
    hog = np.ones(3 * 2**30, dtype=np.uint8)
    memory = "allocated"
except MemoryError:
    memory = "MemoryError"
try:
    with open("big.bin", "wb") as f:
        f.seek(2 << 30)
        f.write(b"x")
    file_size = "written"
except OSError as error:
    file_size = type(error).__name__
'''
    values, _ = run([cell], ["memory", "file_size"], kind,
                    limits=runner.Limits(timeout=60, cell_timeout=30, memory_mb=1024))
    assert values == {"memory": "MemoryError", "file_size": "OSError"}


@needs_namespaces
def test_process_count_is_limited():
    cell = '''\
import os, time
children = []
try:
    for _ in range(200):
        pid = os.fork()
        if pid == 0:
            time.sleep(5)
            os._exit(0)
        children.append(pid)
    forked = len(children)
except OSError:
    forked = len(children)
'''
    values, _ = run([cell], ["forked"], "namespaces")
    assert values["forked"] < 200


def test_session_workdir_and_sockets_are_cleaned_up():
    # the sandbox's own folder (other graders on a shared machine make theirs at the same time)
    values, _ = run(["import os\nworkdir = os.getcwd()\nentries = os.listdir(workdir)"],
                    ["workdir", "entries"], "session")
    assert os.path.basename(values["workdir"]).startswith("skg-") and values["entries"]
    assert not os.path.exists(values["workdir"])


def test_sweep_finds_processes_by_token():
    token = "test-" + os.urandom(4).hex()
    env = dict(os.environ, **{sandbox.TOKEN_VARIABLE: token})
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], env=env,
                            start_new_session=True)
    time.sleep(0.3)
    assert sandbox.sweep(token) == 1
    proc.wait(timeout=10)  # gone (it was reaped by the sweep, so no exit status is left)

"""The instructor guide's week, walked with its own commands (``book/instructor-guide.md``, "A week
with the kit"): the private held-out template, grading a Moodle-named class of exercise 5 with
``make grade`` (its command as ``make -n`` prints it from the Makefile), blind grading that
sticks, ``make clean`` and a fresh ``make assign`` (the private data survives and is reported),
a duplicate settled with ``choices.csv``, the export refused while written answers are
ungraded, the container recipe's grading command run outside Docker, the feedback upload for
Moodle and the gradebook export.

Run outside the repository's own ``_build``: the exercise's autograder is copied from the tests'
assigned exercises into a kit root under ``tmp_path`` (the grader makes it again there with the
private file), ``HOME`` is a temporary folder, and ``make clean`` runs the Makefile's recipe in
that root. No Docker engine is needed: the recipe's files are checked for what they keep out, and
its ``docker run`` command's grader line is run as it is, with the mounted paths replaced.
"""
from __future__ import annotations

import csv
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from socialkit.course import assign
from support.grading import answer_cell, read_rows, write, write_csv
from grading import samples

REPO = assign.REPO
GUIDE = REPO / "book" / "instructor-guide.md"
EX5 = "05-be-social-not-a-billboard"
AMY, BO = "Amy Lee_12347_assignsubmission_file_", "Bo Chen_12348_assignsubmission_file_"
OWN_SEEDS = "q1_markets = [52817, 40913, 7731, 66120]"


def _code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def _block_with(text: str, language: str, needle: str) -> str:
    (block,) = [b for b in _code_blocks(text, language) if needle in b]
    return block


def _unindent(block: str) -> str:
    return "\n".join(line.strip() for line in block.splitlines())


def _make_grade_command(step: str = "-m socialkit.course.grading ", **variables) -> str:
    """The command of ``make grade``'s ``step`` (its grading command, or ``-m
    socialkit.course.assign``) with these variables (``make -n``: nothing runs)."""
    args = [f"{k}={v}" for k, v in variables.items()]
    proc = subprocess.run(["make", "-n", "-C", str(REPO), "grade", *args], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    joined = proc.stdout.replace("\\\n", " ")
    (line,) = [ln for ln in joined.splitlines() if step in ln]
    return line


def _run(command: str, env: dict, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=1200)


def _class(folder: Path, assign_dir: Path) -> None:
    """Amy answers everything (and writes a reply), Bo hands in a blank notebook and a second try."""
    def make(answered=None):
        return samples.make_notebook(EX5, answered, assign_dir)
    nb = make()
    nb.cells[answer_cell(nb)].source = "Post what helps customers: repairs, routes, and answers."
    write(nb, folder / AMY / f"{EX5}.ipynb")
    write(make(set()), folder / BO / f"{EX5}.ipynb")
    write(make({"q1"}), folder / BO / f"{EX5}-v2.ipynb")


def test_the_container_recipe_keeps_private_files_and_graded_classes_out_of_the_image():
    guide = GUIDE.read_text(encoding="utf-8")
    recipe = _unindent(_block_with(guide, r"[ \t]*dockerfile", "FROM python"))
    ours = [ln for ln in (REPO / "Dockerfile").read_text(encoding="utf-8").splitlines()
            if ln and not ln.startswith("#")]
    assert [ln for ln in recipe.splitlines() if ln and not ln.startswith("#")] == ours
    assert "RUN make assign PYTHON=python3" in ours  # public autograders; private seeds at grade time
    ignore = [ln for ln in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
              if ln and not ln.startswith("#")]

    def ignored(path: str) -> bool:  # Docker's rule: a pattern matches the path or a folder above it
        parts = path.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        return any(fnmatch.fnmatch(p, pat) or fnmatch.fnmatch(p, pat.removeprefix("**/"))
                   for pat in ignore for p in prefixes)

    for path in (".venv/bin/python", "node_modules/x", "_build/grades/01/grades.csv",
                 "_build/assign/01/autograder/01-autograder.zip", "private-heldout.toml",
                 "course/my-private-seeds.toml", "_build/grades/01/.grader-key"):
        assert ignored(path), path
    for path in ("exercises/05-be-social-not-a-billboard.ipynb", "pyproject.toml", "Makefile",
                 "socialkit/course/heldout.py", "requirements.txt"):
        assert not ignored(path), path
    run = _unindent(_block_with(guide, r"[ \t]*bash", "docker run"))
    assert "--private /secret/private-heldout.toml" in run and "private-heldout.toml:ro" in run


@pytest.mark.grading
def test_the_guides_week_from_assign_to_export(assign_dir, tmp_path):
    guide = GUIDE.read_text(encoding="utf-8")
    home, root, subs = tmp_path / "home", tmp_path / "kit", tmp_path / "submissions"
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}
    out = root / "_build" / "grades" / EX5

    # 2. Assign, for a graded course: the private template, exactly as the guide writes it
    template = _block_with(guide, "bash", "--heldout >")
    assert template.startswith("mkdir -p ~/course")
    made = _run(template, env)
    assert made.returncode == 0, made.stderr
    private = home / "course" / "private-heldout.toml"
    text = private.read_text(encoding="utf-8")
    public = re.search(r"^q1_markets = .*$", text, flags=re.M)[0]
    private.write_text(text.replace(public, OWN_SEEDS), encoding="utf-8")  # the rest left public
    for part in ("_wheel", EX5):
        shutil.copytree(assign_dir / part, root / "_build" / "assign" / part)
    zip_path = root / "_build" / "assign" / EX5 / "autograder" / f"{EX5}-autograder.zip"

    # make grade first runs make assign with the private file (here for exercise 5, into the kit
    # root): the ~ in PRIVATE=~/... reaches it unexpanded, quoted by the Makefile
    assigning = _make_grade_command("-m socialkit.course.assign", ASSIGNMENT=zip_path, SUBMISSIONS=subs,
                                    PRIVATE="~/course/private-heldout.toml")
    assert '--private "~/course/private-heldout.toml"' in assigning
    made = _run(f"{assigning} {EX5} --out {root}", env)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Assigned 1 exercise(s)" in made.stdout and "q2_feeds" in made.stderr

    # 3-4. Collect and grade: make grade with the private file, blind from the start; the
    # autograder was just made with that file, so it is not made again
    _class(subs, assign_dir)
    first = _run(_make_grade_command(ASSIGNMENT=zip_path, SUBMISSIONS=subs, OUT=out,
                                     PRIVATE="~/course/private-heldout.toml", BLIND=1), env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"Data: private held-out seeds from {private} for q1_markets;" in first.stdout
    assert "Assigned 0 exercise(s)" in first.stdout  # the stamp: nothing changed since make assign
    settings = json.loads((out / "settings.json").read_text(encoding="utf-8"))
    assert settings["private"] == str(private) and settings["anonymise"] is True
    with zipfile.ZipFile(zip_path) as zf:
        assert json.loads(zf.read("heldout.json"))[EX5] == {"q1_markets": [52817, 40913, 7731, 66120]}
    rows = {r["student"]: r for r in read_rows(out / "grades.csv")}
    assert rows["Amy Lee (12347)"]["status"] == "ok" and rows["Bo Chen (12348)"]["status"] == "duplicate"

    # make clean (the Makefile's recipe, in this kit root) keeps the graded class; make assign
    # makes the public autograder again
    cleaned = subprocess.run(["make", "-f", str(REPO / "Makefile"), "-C", str(root), "clean"],
                             capture_output=True, text=True, timeout=120)
    assert cleaned.returncode == 0, cleaned.stderr
    assert not (root / "_build" / "assign").exists() and (out / "grades.csv").is_file()
    for part in ("_wheel", EX5):
        shutil.copytree(assign_dir / part, root / "_build" / "assign" / part)  # the public zip
    with zipfile.ZipFile(zip_path) as zf:
        assert "heldout.json" not in zf.namelist()

    # Bo's second try counts (choices.csv); the same command without PRIVATE or BLIND
    (out / "choices.csv").write_text(f"student,file\nBo Chen (12348),{BO}/{EX5}-v2.ipynb\n", encoding="utf-8")
    again = _run(_make_grade_command(ASSIGNMENT=zip_path, SUBMISSIONS=subs, OUT=out), env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"Data: private held-out seeds from {private} for q1_markets;" in again.stdout
    with zipfile.ZipFile(zip_path) as zf:
        assert "heldout.json" in zf.namelist()  # made again with the remembered file
    rows = {r["student"]: r for r in read_rows(out / "grades.csv")}
    assert rows["Bo Chen (12348)"]["status"] == "ok" and rows["Bo Chen (12348)"]["file"].endswith("-v2.ipynb")
    assert any(p["kind"] == "set aside" for p in read_rows(out / "problems.csv"))
    (page,) = (out / "by-question").glob("*.html")
    shown = page.read_text(encoding="utf-8")
    assert "Amy Lee" not in shown and re.search(r"S-[A-Z0-9]{4}", shown)  # still blind

    # 6. Export before the written answers are graded: refused, nothing written
    roster = write_csv(tmp_path / "moodle.csv", [  # as Moodle's Grades > Export > Plain text file
        ["First name", "Last name", "ID number", "Institution", "Department", "Email address",
         "Assignment: Exercise 5 (Real)", "Course total (Real)", "Last downloaded from this course"],
        ["Amy", "Lee", "M1", "", "", "amy.lee@example.edu", "-", "-", "1764000000"],
        ["Bo", "Chen", "M2", "", "", "bo.chen@example.edu", "-", "-", "1764000000"]])
    refused = _run(_make_grade_command(ASSIGNMENT=zip_path, SUBMISSIONS=subs, OUT=out, EXPORT="moodle",
                                       ROSTER=roster), env)
    assert refused.returncode == 2 and "not graded yet" in refused.stderr
    assert not (out / "grades-moodle.csv").exists()

    # 5. Grade the written answers (manual.csv names pseudonyms), then the container's command,
    # run outside Docker with its mounted paths replaced
    manual = out / "by-question" / "manual.csv"
    table = list(csv.reader(manual.read_text(encoding="utf-8-sig").splitlines()))
    points = table[0].index("points")
    for row in table[1:]:
        row[points] = "2"
    write_csv(manual, table)
    docker = _unindent(_block_with(guide, r"[ \t]*bash", "docker run")).replace("\\\n", " ")
    grader = docker.rsplit("kit-grader ", 1)[1]  # the docker run line's command
    for mounted, here in (("/in/submissions.zip", subs), ("/out/01", out), (" 01 ", f" {zip_path} "),
                          ("/secret/private-heldout.toml", private)):
        grader = grader.replace(mounted, str(here))
    container = _run(grader, env)
    assert container.returncode == 0, container.stdout + container.stderr
    assert "Data: private held-out seeds" in container.stdout
    amy = (out / "feedback").glob("Amy*.md")
    text = next(amy).read_text(encoding="utf-8")
    assert re.search(r"\*\*Total: [\d.]+ / [\d.]+ points\*\*", text.split("## ")[0])

    # 7. Return feedback in one upload, and export
    with zipfile.ZipFile(out / "feedback-moodle.zip") as zf:
        assert sorted(zf.namelist()) == [f"Amy Lee_12347_assignfeedback_file_/feedback.md",
                                         f"Bo Chen_12348_assignfeedback_file_/feedback.md"]
        assert zf.read("Amy Lee_12347_assignfeedback_file_/feedback.md").decode() == text
    exported = _run(_make_grade_command(ASSIGNMENT=zip_path, SUBMISSIONS=subs, OUT=out, EXPORT="moodle",
                                        ROSTER=roster), env)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    moodle = read_rows(out / "grades-moodle.csv")
    assert {r["Email address"] for r in moodle} == {"amy.lee@example.edu", "bo.chen@example.edu"}
    assert all(r["First name"] in ("Amy", "Bo") for r in moodle)
    assert sys.executable  # the commands ran with the kit's .venv, as the guide's do

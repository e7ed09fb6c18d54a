"""``make assign`` assigns a master again only when what it is made from changed (issue 23): the
stamp beside the autograder zip (``socialkit/course/assign.py``, ``_stamp``), and held-out sets
left at their public seeds are not counted as private."""
from __future__ import annotations

import json
import shutil
import zipfile

from socialkit.course import assign

EX5 = "05-be-social-not-a-billboard"


def test_an_unchanged_master_is_not_assigned_again_and_new_seeds_are(assign_dir, tmp_path, capsys):
    root = tmp_path / "kit"
    for part in ("_wheel", EX5):
        shutil.copytree(assign_dir / part, root / "_build" / "assign" / part)
    (root / assign.STUDENT_SUBDIR / EX5).mkdir(parents=True)
    shutil.copy(assign_dir / EX5 / "student" / f"{EX5}.ipynb", root / assign.STUDENT_SUBDIR / EX5)
    (root / assign.SOLUTIONS_SUBDIR).mkdir(parents=True)
    (root / assign.SOLUTIONS_SUBDIR / f"{EX5}.md").write_text("made earlier\n", encoding="utf-8")
    master = assign.MASTERS_DIR / f"{EX5}.ipynb"
    zip_path = root / "_build" / "assign" / EX5 / "autograder" / f"{EX5}-autograder.zip"
    before = zip_path.read_bytes()

    same = assign.assign(master, root)
    assert same.unchanged and zip_path.read_bytes() == before
    assert assign.main([EX5, "--out", str(root)]) == 0
    assert "Assigned 0 exercise(s)" in capsys.readouterr().out

    public = assign.heldout.declared_in(master)
    seeds = {"q1_markets": [52817, 40913, 7731, 66120], "q2_feeds": list(public["q2_feeds"])}
    made = assign.assign(master, root, private=seeds)
    assert not made.unchanged and made.private == ("q1_markets",)  # q2_feeds is still public
    assert "q2_feeds" in capsys.readouterr().err
    with zipfile.ZipFile(zip_path) as zf:
        assert json.loads(zf.read("heldout.json"))[EX5] == {"q1_markets": seeds["q1_markets"]}
    # the same seeds again, or none (which keeps the zip's): nothing to do
    assert assign.assign(master, root, private=seeds).unchanged
    assert assign.assign(master, root).unchanged
    assert not assign.assign(master, root, private={}).unchanged  # back to the public seeds

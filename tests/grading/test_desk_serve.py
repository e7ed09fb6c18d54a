"""``socialkit-grade serve OUT`` (socialkit/course/grading/outputs/desk/serve.py) refuses what it
should: writes from another origin or host, other files, tables the grader cannot read. (Saving
from the page itself is tested in a real browser: tests/browser/test_grading_desk.py.)"""
from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest

from socialkit.course.grading import cli
from socialkit.course.grading.outputs.desk import serve

GOOD = b"student,question,points,max points,comment\nann,q4,2.5,3,Fine.\n"


@pytest.fixture
def served(tmp_path):
    folder = tmp_path / "by-question"
    folder.mkdir()
    (folder / "manual.csv").write_bytes(b"student,question,points,max points,comment\nann,q4,,3,\n")
    server = serve.make_server(folder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _put(url: str, data: bytes, **headers) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, method="PUT", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_a_good_table_is_saved_and_the_old_one_kept(served):
    folder, url = served
    old = (folder / "manual.csv").read_bytes()
    assert _put(url + "/manual.csv?question=q4", GOOD, Origin=url) == (200, "Saved.")
    assert (folder / "manual.csv").read_bytes() == GOOD and (folder / "manual.csv.bak").read_bytes() == old


@pytest.mark.parametrize("path, data, headers, code, message", [
    ("/manual.csv", GOOD, {"Origin": "http://evil.example"}, 403, "Only the desk's own pages"),
    ("/q4.html", GOOD, {}, 404, "Only manual.csv"),
    ("/manual.csv", b"name,score\nann,2\n", {}, 400, "lacks the column(s) student, question, points"),
    ("/manual.csv", b"\xff\xfe", {}, 400, "must be UTF-8"),
    ("/manual.csv", b'student,question,points\n"ann,q4,1\n', {}, 400, "not readable CSV"),
])
def test_what_the_grader_could_not_read_or_another_site_sends_is_refused(served, path, data, headers,
                                                                        code, message):
    folder, url = served
    old = (folder / "manual.csv").read_bytes()
    got_code, text = _put(url + path, data, **headers)
    assert got_code == code and message in text
    assert (folder / "manual.csv").read_bytes() == old and not (folder / "manual.csv.bak").exists()


def test_serve_without_a_graded_folder_names_the_argument(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["serve", str(tmp_path)])
    assert exit_.value.code == 2 and "OUT" in capsys.readouterr().err

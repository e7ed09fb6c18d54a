"""The grading desk in a real browser: a class's written answers scored on the by-question page.

A small class of chapter 1 is graded for real (``socialkit-grade``, in-process as
``tests/grading/test_manual_grading.py`` runs it); its page ``by-question/q4.html``
(``socialkit/course/grading/outputs/manual.py`` and ``outputs/desk/``) is opened from disk in
Chromium with every request off the machine refused. The answers: two identical, one identical
but for case, spacing and punctuation, one near-identical (a word changed), one with maths, one
left blank. The test scores them as a grader would (a click per criterion of the rubric
``book/rubrics/01-ignorance-arrogance-irrelevance.md``, one decision for the group, a comment),
reloads the page (the work is kept), downloads ``manual.csv``, puts it in the folder and runs the
grader again: ``grades.csv`` and each student's feedback carry the points and the comment
(``report.write_grades`` / ``report.write_feedback``, through ``manual.read_manual``). One
near-identical answer is scored apart from its group. The other tests reuse the graded class:
blind grading (``--anonymise``), saving through ``socialkit-grade serve`` (``desk/serve.py``),
and a download that carries another hand-graded question's work.
"""
from __future__ import annotations

import contextlib
import io
import re
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from socialkit.course.grading import cli
from socialkit.course.grading.intake.autograder import available_assignments, load_autograder
from socialkit.course.grading.outputs import manual
from socialkit.course.grading.outputs.desk import serve
from support import grading
from support.browser import AXE_JS, PageWatch
from grading import samples

pytestmark = [pytest.mark.browser, pytest.mark.grading]

REPLY = ("Maya, joining the Lindenford group now costs us little and waiting costs more than it "
         "seems: the four-year loss is 0.46 relevance-years, ten times the one-year loss. Most of "
         "our four hours should go to listening and answering neighbours' repair questions.")
SAME_BUT_CASE = REPLY.upper().replace(", ", " ,  ").replace(".", " !")
NEAR = REPLY.replace("costs us little", "costs us nothing")
MATHS = "With $p = 0.02$ and $q = 0.5$ the peak comes in year 6, so joining now is cheap."
OWN = "Wait a year: our customers still walk in, and the group may not last."
ANSWERS = {"ann": REPLY, "ben": REPLY, "cat": SAME_BUT_CASE, "dan": NEAR, "eve": MATHS, "fay": "",
           "=gil": OWN}     # an id a spreadsheet would read as a formula
COMMENT = 'Good reply; say why "wait and see" costs more, in your own numbers.'


def _grade(ag, subs: Path, out: Path, *extra: str) -> str:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main([str(ag.path), str(subs), "--out", str(out), *grading.REFERENCE_OPTIONS, *extra])
    assert code == 0, stdout.getvalue() + stderr.getvalue()
    return stdout.getvalue()


@pytest.fixture(scope="module")
def graded(assign_dir, tmp_path_factory):
    ag = load_autograder(available_assignments(assign_dir)[grading.CH1])
    root = tmp_path_factory.mktemp("desk")
    for student, text in ANSWERS.items():
        nb = samples.make_notebook(grading.CH1, None, assign_dir)
        nb.cells[grading.answer_cell(nb)].source = text or "_Type your answer here, replacing this text._"
        grading.write(nb, root / "subs" / student / "exercise1.ipynb")
    _grade(ag, root / "subs", root / "out")
    return ag, root / "subs", root / "out"


def _card(page, student: str):
    return page.locator("article.answer").filter(has=page.locator(f'.member:text-is("{student}")'))


def _alone(page, student: str):
    """The card that scores ``student`` apart from their group."""
    return page.locator("article.answer.alone").filter(has_text=f"{student} (scored apart")


def _score(card, levels: list[str]) -> None:
    """Click one level per criterion, in the rubric's order ("Full point", "Half point", ...)."""
    for criterion, level in zip(range(card.locator(".criterion").count()), levels):
        card.locator(".criterion").nth(criterion).get_by_role("button", name=re.compile(f"^{level}")).click()


def test_written_answers_scored_on_the_page_reach_grades_and_feedback(graded, browser):
    ag, subs, out = graded
    folder = out / manual.FOLDER
    watch = PageWatch(None)
    context = browser.new_context(accept_downloads=True)
    watch.attach(context)
    page = context.new_page()
    page.goto((folder / "q4.html").as_uri())
    page.wait_for_selector("body[data-desk=ready]")
    # alike answers share one card; maths is typeset by the local MathJax
    group = _card(page, "ann")
    assert group.locator(".member").all_text_contents() == ["ann", "ben", "cat", "dan"]
    assert "near-identical" in group.locator("h3").text_content()
    assert group.locator("details.variant summary").all_text_contents() == ["dan's answer (87% alike)"]
    assert page.locator("article.answer:visible").count() == 4 and page.locator("article.answer").count() == 8
    _card(page, "eve").locator("mjx-container").first.wait_for()
    assert page.locator("#scored").text_content() == "0" and "of 7 scored" in page.locator(".progress").text_content()

    _score(group, ["Full point", "Half point", "Full point"])
    group.locator("textarea").fill(COMMENT)
    assert group.locator(".total output").text_content() == "2.5"
    assert page.locator("#scored").text_content() == "4"
    # the grader disagrees with one near-identical answer: scored apart, it keeps the group's comment
    assert not _alone(page, "dan").is_visible()
    group.get_by_role("button", name="dan", exact=True).click()
    _score(_alone(page, "dan"), ["No point"])
    assert _alone(page, "dan").locator(".total output").text_content() == "1.5"
    assert group.locator(".total output").text_content() == "2.5"

    page.reload()                                    # the work is kept in the browser
    page.wait_for_selector("body[data-desk=ready]")
    group = _card(page, "ann")
    assert page.locator("#scored").text_content() == "4" and group.locator("textarea").input_value() == COMMENT
    assert _alone(page, "dan").locator(".total output").text_content() == "1.5"
    assert not group.get_by_role("button", name="dan", exact=True).is_visible()
    _score(_card(page, "eve"), ["Full point"] * 3)
    _score(_card(page, "fay"), ["No point"] * 3)
    _score(_card(page, "=gil"), ["No point", "Half point", "Full point"])
    _card(page, "=gil").locator("textarea").fill("=1+1 is not an argument")
    assert page.locator("#scored").text_content() == "7"
    with page.expect_download() as download:
        page.get_by_role("button", name="Download manual.csv").click()
    assert download.value.suggested_filename == manual.MANUAL_CSV
    download.value.save_as(folder / manual.MANUAL_CSV)
    assert not watch.outside_requests() and not watch.errors and not watch.failed, watch
    context.close()

    stdout = _grade(ag, subs, out)                   # the merge: the grader run again
    assert "7 answer(s) graded, 0 to grade" in stdout and "merged" in stdout
    _assert_merged(out)
    _assert_the_new_page_shows_manual_csv(browser, folder / "q4.html")


def _assert_merged(out: Path) -> None:
    """grades.csv, manual.csv and the feedback carry the points and comments given on the page."""
    folder = out / manual.FOLDER
    q4 = {row["student"]: row for row in grading.read_rows(out / "grades.csv")}
    assert {s: (r["q4"], r["total"], r["possible"]) for s, r in q4.items()} == {
        **{s: ("2.5", "13.5", "14") for s in ("ann", "ben", "cat")}, "dan": ("1.5", "12.5", "14"),
        "eve": ("3", "14", "14"), "fay": ("0", "11", "14"), "'=gil": ("1.5", "12.5", "14")}
    assert "'=gil,q4,1.5,3,'=1+1 is not an argument" in (folder / manual.MANUAL_CSV).read_text(encoding="utf-8")
    for student, points in (("ann", "2.5"), ("ben", "2.5"), ("cat", "2.5"), ("dan", "1.5")):
        feedback = (out / "feedback" / f"{student}.md").read_text(encoding="utf-8")
        assert f"### Question 4: A reply to Maya: {points} / 3 points\n\n{COMMENT}" in feedback
    assert "Question 4: A reply to Maya: 3 / 3 points" in (out / "feedback" / "eve.md").read_text(encoding="utf-8")
    assert COMMENT not in (out / "feedback" / "eve.md").read_text(encoding="utf-8")
    (gil,) = [p for p in (out / "feedback").glob("gil*.md")]
    assert "1.5 / 3 points\n\n=1+1 is not an argument\n" in gil.read_text(encoding="utf-8")


def _assert_the_new_page_shows_manual_csv(browser, path: Path) -> None:
    """The page written by the merging run, in a browser that kept nothing: it shows manual.csv."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-desk=ready]")
    assert page.locator("#scored").text_content() == "7"
    assert _card(page, "ann").locator(".total output").text_content() == "2.5 (from manual.csv)"
    assert _alone(page, "dan").locator(".total output").text_content() == "1.5 (from manual.csv)"
    assert _card(page, "=gil").locator("textarea").input_value() == "=1+1 is not an argument"
    context.close()


def test_blind_grading_on_the_page_names_no_student_and_reaches_the_real_one(graded, browser, tmp_path):
    """Graded again with --anonymise (the records are reused, no notebook runs): the page and its
    data name students only by pseudonym, and a score given to a pseudonym reaches the student."""
    ag, subs, out = graded
    blind = tmp_path / "out"
    shutil.copytree(out, blind)
    (blind / manual.FOLDER / manual.MANUAL_CSV).unlink()      # the one made with ids
    _grade(ag, subs, blind, "--anonymise")
    key = {r["student"].lstrip("'"): r["pseudonym"] for r in grading.read_rows(blind / manual.PSEUDONYMS)}
    html = (blind / manual.FOLDER / "q4.html").read_text(encoding="utf-8")
    assert not [s for s in ANSWERS if re.search(rf"[\s>\"']{re.escape(s)}[\s<\"']", html)], "no id on the page"
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto((blind / manual.FOLDER / "q4.html").as_uri())
    page.wait_for_selector("body[data-desk=ready]")
    assert sorted(page.locator(".member").all_text_contents()) == sorted(key.values())
    _score(_card(page, key["eve"]), ["Full point", "Full point", "Half point"])
    with page.expect_download() as download:
        page.get_by_role("button", name="Download manual.csv").click()
    download.value.save_as(blind / manual.FOLDER / manual.MANUAL_CSV)
    context.close()
    _grade(ag, subs, blind, "--anonymise")
    rows = {row["student"]: row for row in grading.read_rows(blind / "grades.csv")}
    assert rows["eve"]["q4"] == "2.5" and rows["ann"]["q4"] == ""


def test_served_by_socialkit_grade_serve_the_page_saves_manual_csv_into_the_folder(graded, browser, tmp_path):
    """``socialkit-grade serve OUT`` (outputs/desk/serve.py): Save writes manual.csv in place."""
    _, _, out = graded
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    folder = copy / manual.FOLDER
    before = (folder / manual.MANUAL_CSV).read_bytes()
    server = serve.make_server(folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        context = browser.new_context()
        watch = PageWatch(url)
        watch.attach(context)
        page = context.new_page()
        page.goto(url + "q4.html")
        page.wait_for_selector("body[data-desk=ready]")
        _score(_card(page, "fay"), ["Half point", "No point", "No point"])
        page.get_by_role("button", name="Save to manual.csv").click()
        expect(page.locator("#status")).to_have_text(re.compile("^Saved to manual.csv"))
        assert not watch.outside_requests() and not watch.errors and not watch.failed, watch
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    rows = {r["student"]: r for r in grading.read_rows(folder / manual.MANUAL_CSV)}
    (copy / "before.csv").write_bytes(before)
    earlier = {r["student"]: r for r in grading.read_rows(copy / "before.csv")}
    assert rows["fay"]["points"] == "0.5"
    assert {s: r for s, r in rows.items() if s != "fay"} == {s: r for s, r in earlier.items() if s != "fay"}
    assert (folder / "manual.csv.bak").read_bytes() == before


def test_each_page_s_download_carries_the_work_of_the_other_questions_pages(graded, browser, tmp_path):
    """An exercise with two hand-graded questions has two pages sharing one manual.csv: the rows
    of the other question take what its page keeps in the browser (when it scored the answer in
    full and manual.csv was not changed since), so whichever page is saved last loses nothing.
    None of the kit's exercises has two yet: a q5 row is added to manual.csv and q5's page's
    work is put in the browser's storage as that page keeps it."""
    ag, subs, out = graded
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    sheet = copy / manual.FOLDER / manual.MANUAL_CSV
    sheet.write_text(sheet.read_text(encoding="utf-8") + "ann,q5,,2,\nben,q5,1,2,typed\ncat,q5,,2,\n",
                     encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main([str(ag.path), str(subs), "--out", str(copy), *grading.REFERENCE_OPTIONS])
    assert code == 1 and "unknown question 'q5'" in stderr.getvalue()     # the page is written all the same
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto((copy / manual.FOLDER / "q4.html").as_uri())
    page.wait_for_selector("body[data-desk=ready]")
    page.evaluate("""() => {
        const key = JSON.parse(document.getElementById("desk-data").textContent).key.replace(/q4$/, "q5");
        localStorage.setItem(key, JSON.stringify({ann: {levels: [1, 0.5], comment: "From q5's page"},
                                                  ben: {levels: [2, 0], comment: "older"},
                                                  cat: {levels: [1, null], comment: "half done"}}));
    }""")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download manual.csv").click()
    download.value.save_as(tmp_path / "manual.csv")
    context.close()
    rows = {(r["student"], r["question"]): r for r in grading.read_rows(tmp_path / "manual.csv")}
    assert (rows["ann", "q5"]["points"], rows["ann", "q5"]["comment"]) == ("1.5", "From q5's page")
    assert (rows["ben", "q5"]["points"], rows["ben", "q5"]["comment"]) == ("1", "typed")   # typed since: kept
    assert (rows["cat", "q5"]["points"], rows["cat", "q5"]["comment"]) == ("", "")         # not scored in full
    assert [q for s, q in rows if s == "ann"] == ["q4", "q5"]


AXE_SERIOUS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => `${v.impact}: ${v.id} (${v.help}) at ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '))"""


def test_the_desk_is_accessible(graded, browser):
    """axe-core (node_modules, as tests/browser/test_browser.py runs it) finds nothing serious on
    the page, with a group scored and a member scored apart; the page's policy is bypassed only
    to inline axe."""
    _, _, out = graded
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto((out / manual.FOLDER / "q4.html").as_uri())
    page.wait_for_selector("body[data-desk=ready]")
    group = _card(page, "ann")
    _score(group, ["Full point", "Half point"])
    if not _alone(page, "dan").is_visible():       # (manual.csv may already score dan apart)
        group.get_by_role("button", name="dan", exact=True).click()
    assert _alone(page, "dan").is_visible()
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(AXE_SERIOUS)
    context.close()
    assert not violations, "\n".join(violations)

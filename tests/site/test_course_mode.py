"""Course mode (issue 13, part 2): a site without solutions, and private held-out seeds.

(a) ``make book COURSE=1``: the generated table of contents and configuration, the extension
    that removes every sentence linking to a solutions page, the scan of the built pages, and one
    real course build (notebooks not executed: the links are what is checked) into a temporary
    folder, leaving ``_build/html`` and the notebook cache alone.
(b) ``make assign PRIVATE=file``: the private file's form and its checks against the masters,
    ``heldout_seeds`` (private seeds from the test file it is called from, else the public ones),
    and one real assignment of exercise 5 with private seeds: they are in the autograder zip and
    nowhere a student looks; graded by the clean-room judge, the solution still earns every point
    while a notebook that remembers the public held-out answers loses the hidden ones (and keeps
    them under the public zip); ``otter run`` reads the private seeds too.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml
from docutils import nodes
from docutils.utils import new_document
from docutils.frontend import get_default_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from sphinx import addnodes

from socialkit.course import assign, heldout
from socialkit.course.heldout import heldout_seeds
from socialkit.site import book, course_mode

REPO = Path(__file__).resolve().parents[2]
CH5 = "05-be-social-not-a-billboard"
PRIVATE_05 = {"q1_markets": [52817, 40913, 7731, 66120], "q1_posting_markets": [1234, 98765],
              "q2_feeds": [31, 32, 33]}


# --- (a) course mode: the table of contents and the configuration -----------------------------
def _files(toc) -> list[str]:
    found = []
    for item in toc.get("parts", []) + [{"chapters": toc.get("chapters", [])}]:
        stack = list(item.get("chapters") or [])
        while stack:
            entry = stack.pop(0)
            found.append(entry["file"])
            stack[:0] = entry.get("sections", [])
    return found


def test_course_toc_keeps_every_page_but_the_solutions():
    toc = yaml.safe_load((REPO / "_toc.yml").read_text(encoding="utf-8"))
    course = book.course_toc(toc)
    before, after = _files(toc), _files(course)
    assert [f for f in before if f.startswith("book/solutions/")], "the public book has solutions"
    assert after == [f for f in before if not f.startswith("book/solutions/")]
    assert course["root"] == toc["root"] and "book/references" in after
    captions = [p["caption"] for p in course["parts"]]
    assert captions == [p["caption"] for p in toc["parts"]]  # the appendix keeps its references


def test_course_toc_drops_emptied_parts_and_sections_and_refuses_bad_tocs():
    toc = {"format": "jb-book", "root": "intro", "parts": [
        {"caption": "A", "chapters": [{"file": "a", "sections": [{"file": "book/solutions/a"}]}]},
        {"caption": "Answers", "chapters": [{"file": "book/solutions/b"}]}]}
    assert book.course_toc(toc)["parts"] == [{"caption": "A", "chapters": [{"file": "a"}]}]
    with pytest.raises(ValueError, match="root"):
        book.course_toc({"chapters": []})
    with pytest.raises(ValueError, match="cannot be left out"):
        book.course_toc({"root": "book/solutions/index"})


def test_course_config_turns_the_extension_on_and_reads_the_cache_given(tmp_path):
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    course = book.course_config(config, tmp_path / "cache", execute="off")
    assert "socialkit.site.course_mode" in course["sphinx"]["extra_extensions"]
    assert "socialkit.site.sphinx_offline" in course["sphinx"]["extra_extensions"]
    assert course["sphinx"]["config"]["socialkit_course_mode"] is True
    assert course["execute"]["cache"] == str((tmp_path / "cache").resolve())
    assert course["execute"]["execute_notebooks"] == "off"
    assert "socialkit_course_mode" not in config["sphinx"]["config"]  # the original is untouched
    assert book.course_config(config)["execute"]["execute_notebooks"] == config["execute"]["execute_notebooks"]
    with pytest.raises(ValueError, match="execute must be one of"):
        book.course_config(config, execute="sometimes")
    with pytest.raises(ValueError, match="course build"):
        book.build(output=tmp_path)


# --- (a) the extension: links to hidden pages, and their sentences --------------------------------
@pytest.mark.parametrize("target, docname, hidden", [
    ("../solutions/05-x.md", "book/rubrics/05-x", True),
    ("solutions/01-x", "book/how-to-use", True),
    ("book/solutions/01-x", "book/intro", True),
    ("/book/solutions/01-x.md#q1", "notebooks/01-x", True),
    ("../rubrics/05-x.md", "book/solutions/05-x", False),
    ("../../exercises/student/05-x/05-x.ipynb", "book/solutions/05-x", False),
    ("https://example.org/book/solutions/x.html", "book/intro", False),
    ("", "book/intro", False),
])
def test_hidden_target(target, docname, hidden):
    assert course_mode.hidden_target(target, docname) is hidden


def _document():
    return new_document("<test>", get_default_settings())


def _paragraph(*parts):
    para = nodes.paragraph()
    for part in parts:
        para += nodes.Text(part) if isinstance(part, str) else part
    return para


def _link(text="solutions appendix", target="../solutions/05-x.md"):
    ref = addnodes.pending_xref("", refdomain="doc", reftype="myst", reftarget=target)
    ref += nodes.inline(text, text)
    return ref


def test_the_sentence_with_the_link_goes_and_the_paragraph_reads_on():
    doc = _document()
    link = _link()
    doc += _paragraph("It ends with honest doubt about the\nmodel. The sample answer in the\n", link,
                      " is one such reply; there\nare many others. Marks follow the rubric.")
    course_mode.drop_sentence(link)
    assert doc.astext() == "It ends with honest doubt about the\nmodel. Marks follow the rubric."


def test_a_list_item_of_one_sentence_goes_with_its_list_when_empty():
    doc = _document()
    items = nodes.bullet_list()
    kept, gone = nodes.list_item(), nodes.list_item()
    kept += _paragraph("Sliders work on the page.")
    link = _link("solutions/01-x", "solutions/01-x")
    gone += _paragraph(nodes.strong("Solutions", "Solutions"), " are collected in an appendix, for example ",
                       link, ".")
    items += [kept, gone]
    doc += items
    course_mode.drop_sentence(link)
    assert doc.astext() == "Sliders work on the page." and len(items) == 1
    only = nodes.bullet_list()
    item = nodes.list_item()
    link = _link()
    item += _paragraph("See the ", link, ".")
    only += item
    doc += only
    course_mode.drop_sentence(link)
    assert only not in doc.children and doc.astext() == "Sliders work on the page."  # list gone too


def test_a_link_outside_a_paragraph_keeps_its_words():
    doc = _document()
    title = nodes.title()
    link = _link("Answers")
    title += link
    doc += title
    course_mode.drop_sentence(link)
    assert doc.astext() == "Answers" and not list(doc.findall(addnodes.pending_xref))


def test_a_page_loses_its_self_study_parts_and_solutions_sentences_only_in_course_mode():
    from types import SimpleNamespace

    def page():
        doc = _document()
        note = nodes.note(classes=["self-study"])
        note += _paragraph("Try each exercise before its solution.")
        doc += note
        doc += _paragraph("Read the rubric. The answer is in the ", _link(), ".")
        return doc

    for mode, expected in ((False, "Try each exercise before its solution.\n\nRead the rubric. The answer is "
                                   "in the solutions appendix."), (True, "Read the rubric.")):
        app = SimpleNamespace(config=SimpleNamespace(socialkit_course_mode=mode),
                              env=SimpleNamespace(docname="book/rubrics/05-x"))
        doc = page()
        course_mode._course_page(app, doc)
        assert doc.astext() == expected


# --- (a) the scan of a built site ---------------------------------------------------------------
def test_check_course_site_finds_solutions_pages_and_links(tmp_path):
    assert book.check_course_site(tmp_path) == [f"{tmp_path} holds no built site (no index.html)"]
    (tmp_path / "index.html").write_text('<a href="book/intro.html">Start</a>')
    (tmp_path / "book" / "rubrics").mkdir(parents=True)
    page = tmp_path / "book" / "rubrics" / "05.html"
    page.write_text('<a href="../intro.html#x">intro</a> <a href="https://x.org/book/solutions/05.html">x</a>')
    assert book.check_course_site(tmp_path) == []
    page.write_text('<a class="reference" href="../solutions/05.html#q1">the appendix</a>')
    (tmp_path / "book" / "solutions").mkdir()
    assert book.check_course_site(tmp_path) == ["book/solutions is in the course site",
                                                "book/rubrics/05.html links to ../solutions/05.html"]


@pytest.mark.book
def test_a_real_course_build_has_no_solutions_page_and_no_link_to_one(tmp_path, book_html):
    """The whole book in course mode, notebooks not executed (about 20 s), into tmp_path.

    ``book_html``: the shared book is built first, so the files compared below are not being
    written by that build in another test worker at the same time."""
    shared = [REPO / "_build" / "html" / "index.html", REPO / "_build" / ".jupyter_cache"]
    before = {p: p.stat().st_mtime_ns for p in shared if p.exists()}
    code = book.build(course=True, output=tmp_path, cache=tmp_path / "cache", execute="off")
    assert code == 0
    html = tmp_path / "_build" / "html"
    assert book.check_course_site(html) == []  # build() checked it too; check it independently
    assert not list(html.rglob("*solutions*"))
    rubric = (html / "book" / "rubrics" / f"{CH5}.html").read_text(encoding="utf-8")
    assert "Common weaknesses" in rubric and "one such post" not in rubric
    assert "collected in an appendix" not in (html / "book" / "how-to-use.html").read_text(encoding="utf-8")
    assert (html / "book" / "references.html").exists()
    toc = yaml.safe_load((tmp_path / "_toc.yml").read_text(encoding="utf-8"))
    assert not [f for f in _files(toc) if "solutions" in f]
    assert {p: p.stat().st_mtime_ns for p in shared if p.exists()} == before


# --- (b) private held-out seeds: the helper -------------------------------------------------------
def _in_test_file(preamble: str, call: str):
    """Run ``call`` as code of an autograder test file that starts with ``preamble``."""
    namespace = {}
    exec(compile(preamble + "from socialkit.course.heldout import heldout_seeds\n"
                 f"def probe():\n    return {call}\n", "tests/q1.py", "exec"), namespace)
    return namespace["probe"]()


def test_heldout_seeds_are_the_public_ones_without_a_private_file():
    assert heldout_seeds(CH5, "q1_markets", (9101, 9106)) == (9101, 9106)
    assert _in_test_file("", f"heldout_seeds({CH5!r}, 'q1_markets', (1, 2))") == (1, 2)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, heldout.MAX_SEED), min_size=1, max_size=6))
def test_private_seeds_reach_the_test_through_its_own_file(seeds):
    preamble = heldout.test_file_preamble(CH5, {"q1_markets": seeds})
    default = tuple(range(len(seeds)))
    assert _in_test_file(preamble, f"heldout_seeds({CH5!r}, 'q1_markets', {default!r})") == tuple(seeds)
    # another set, another exercise, or another count: the public seeds
    assert _in_test_file(preamble, f"heldout_seeds({CH5!r}, 'q2_feeds', (5,))") == (5,)
    assert _in_test_file(preamble, f"heldout_seeds('06-x', 'q1_markets', {default!r})") == default
    assert _in_test_file(preamble, f"heldout_seeds({CH5!r}, 'q1_markets', {default + (9,)!r})") == default + (9,)
    assert heldout_seeds(CH5, "q1_markets", default) == default  # nothing leaks into other code


@pytest.mark.parametrize("args, message", [
    (("", "q1", (1,)), "exercise must be"), ((CH5, "q 1", (1,)), "name must be"),
    ((CH5, "q1", ()), "default must be"), ((CH5, "q1", (1.5,)), "default must be"),
    ((CH5, "q1", (-1,)), "default must be"), ((CH5, "q1", (True,)), "default must be"),
])
def test_heldout_seeds_refuses_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        heldout_seeds(*args)


@pytest.mark.parametrize("text, message", [
    (None, "does not exist"), ("[[[", "not a valid TOML"), ("", "holds no held-out seeds"),
    (f'"{CH5}" = 3', "should be a table"), (f'["{CH5}"]\nq1_markets = [1, -2]', "whole numbers from 0"),
    (f'["{CH5}"]\nq1_markets = []', "whole numbers"), (f'["{CH5}"]\nq1_markets = [1.0]', "whole numbers"),
    (f'["{CH5}"]\nq1_markets = "1, 2"', "whole numbers"),
])
def test_read_private_says_what_is_wrong(tmp_path, text, message):
    path = tmp_path / "private.toml"
    if text is not None:
        path.write_text(text)
    with pytest.raises(ValueError, match=message):
        heldout.read_private(path)


def test_the_masters_declare_their_heldout_sets_and_the_template_is_a_valid_file(tmp_path, capsys):
    masters = assign.available_masters()
    declared = {stem: heldout.declared_in(path) for stem, path in masters.items()}
    assert declared[CH5]["q1_markets"] == (9101, 9106, 9118, 9119)
    assert set(declared["06-from-tools-to-outcomes"]) == {"q1_years", "q1_structure", "q2_worlds",
                                                          "q2_other_structures"}
    assert set(declared["07-seven-blindspots"]) == {"q1_columns", "q2_organisations",
                                                    "q2_stricter_marks", "q3_scores"}
    assert assign.main(["--heldout", CH5, "06-from-tools-to-outcomes", "07-seven-blindspots"]) == 0
    template = capsys.readouterr().out
    (tmp_path / "private.toml").write_text(template)
    private = heldout.read_private(tmp_path / "private.toml")
    heldout.check_private(private, declared)
    assert private[CH5] == {name: list(seeds) for name, seeds in declared[CH5].items()}


@pytest.mark.parametrize("private, message", [
    ({"05-nothing": {"q1": [1]}}, "there is no exercise '05-nothing'. Exercises:"),
    ({CH5: {"q9_markets": [1]}}, "has no held-out set 'q9_markets'. Its held-out sets: q1_markets"),
    ({CH5: {"q1_markets": [1, 2]}}, "needs 4 seeds, as many as the public ones; it has 2"),
])
def test_check_private_names_what_is_allowed(private, message):
    declared = {stem: heldout.declared_in(path) for stem, path in assign.available_masters().items()}
    with pytest.raises(ValueError, match=re.escape(message)):
        heldout.check_private(private, declared)


def test_heldout_seeds_only_in_hidden_tests_and_with_the_masters_own_name(tmp_path):
    def master(source):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(source)]
        path = tmp_path / "09-x.ipynb"
        nbformat.write(nb, path)
        return path

    assert heldout.declared_in(master("# HIDDEN\nf(heldout_seeds('09-x', 'q1', (1, 2)))")) == {"q1": (1, 2)}
    with pytest.raises(ValueError, match="only in hidden test cells"):
        heldout.declared_in(master("f(heldout_seeds('09-x', 'q1', (1, 2)))"))
    with pytest.raises(ValueError, match="must be '09-x'"):
        heldout.declared_in(master("# HIDDEN\nheldout_seeds('05-x', 'q1', (1,))"))
    with pytest.raises(ValueError, match="three literal arguments"):
        heldout.declared_in(master("# HIDDEN\nheldout_seeds('09-x', 'q1', SEEDS)"))
    with pytest.raises(ValueError, match="two different defaults"):
        heldout.declared_in(master("# HIDDEN\nheldout_seeds('09-x', 'q1', (1,))\nheldout_seeds('09-x', 'q1', (2,))"))


def test_assign_refuses_a_bad_private_file_before_running_otter(tmp_path, capsys):
    path = tmp_path / "private.toml"
    path.write_text(f'["{CH5}"]\nq1_markets = [1]\n')
    assert assign.main([CH5, "--out", str(tmp_path), "--private", str(path)]) == 2
    assert "needs 4 seeds" in capsys.readouterr().err
    assert not (tmp_path / "_build").exists()


# --- (b) a real assignment with private seeds, graded ---------------------------------------------
@pytest.fixture(scope="module")
def private_assign(tmp_path_factory):
    """Exercise 5 assigned with private seeds (one otter assign), through the command line."""
    root = tmp_path_factory.mktemp("private-assign")
    lines = [f'["{CH5}"]'] + [f"{name} = {seeds}" for name, seeds in PRIVATE_05.items()]
    (root / "private.toml").write_text("\n".join(lines) + "\n")
    assert assign.main([CH5, "--out", str(root), "--private", str(root / "private.toml")]) == 0
    return root


def _zip_text(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8", errors="replace") for n in zf.namelist()}


def _public_copy(private_zip: Path, out: Path) -> Path:
    """The zip ``assign`` makes without a private file: the same, minus the private seeds."""
    with zipfile.ZipFile(private_zip) as zf, zipfile.ZipFile(out, "w") as public:
        for info in zf.infolist():
            if info.filename == "heldout.json":
                continue
            text = zf.read(info)
            if info.filename.startswith("tests/"):
                text = re.sub(rb"\A# Private held-out seeds.*?\n\n", b"", text, flags=re.S)
            public.writestr(info, text)
    return out


@pytest.mark.grading
def test_private_seeds_are_in_the_autograder_zip_only(private_assign):
    ag_zip = private_assign / assign.BUILD_SUBDIR / CH5 / "autograder" / f"{CH5}-autograder.zip"
    files = _zip_text(ag_zip)
    assert json.loads(files["heldout.json"]) == {CH5: PRIVATE_05}
    assert "52817" in files["tests/q1.py"] and "'q1_posting_markets': [1234, 98765]" in files["tests/q1.py"]
    assert "[31, 32, 33]" in files["tests/q2.py"] and "52817" not in files["tests/q2.py"]
    given_to_students = [private_assign / assign.STUDENT_SUBDIR / CH5,
                         private_assign / assign.SOLUTIONS_SUBDIR / f"{CH5}.md"]
    texts = [p.read_text(encoding="utf-8") for folder in given_to_students
             for p in ([folder] if folder.is_file() else sorted(folder.rglob("*"))) if p.is_file()]
    assert texts and not [t for t in texts for secret in ("52817", "98765", "SOCIALKIT_HELDOUT", "heldout")
                          if secret in t]
    # the student copy and the solutions page are exactly the committed ones
    for made, committed in [(private_assign / assign.STUDENT_SUBDIR / CH5 / f"{CH5}.ipynb",
                             REPO / assign.STUDENT_SUBDIR / CH5 / f"{CH5}.ipynb"),
                            (given_to_students[1], REPO / assign.SOLUTIONS_SUBDIR / f"{CH5}.md")]:
        assert made.read_bytes() == committed.read_bytes()


@pytest.mark.grading
def test_later_assignments_keep_the_private_seeds_until_told_otherwise(private_assign, capsys):
    """``make grade`` runs ``make assign`` again without the file: the seeds in the zip it
    replaces are kept, if they still fit the master."""
    ag_zip = private_assign / assign.BUILD_SUBDIR / CH5 / "autograder" / f"{CH5}-autograder.zip"
    declared = heldout.declared_in(assign.MASTERS_DIR / f"{CH5}.ipynb")
    assert assign._previous_private(ag_zip, CH5, declared) == PRIVATE_05
    assert assign._previous_private(ag_zip.with_name("missing.zip"), CH5, declared) is None
    changed = heldout.Declared({**declared, "q1_markets": (1, 2)})
    assert assign._previous_private(ag_zip, CH5, changed) is None
    assert "no longer fit" in capsys.readouterr().err
    assert assign.main([CH5, "--public", "--private", "x.toml"]) == 2
    assert "exclude each other" in capsys.readouterr().err


REMEMBERED_Q1 = """\
# The public held-out markets' answers, remembered instead of searched for
_public = {}
for _seed, _posts in [(9101, 5), (9106, 5), (9118, 5), (9119, 5), (9104, 2), (9110, 9)]:
    _m = content.Market.random(_seed)
    _public[(round(_m.followers), _posts)] = float(content.best_promo_share(_m, _posts))
for _posts in (5, 10):  # and the student's own market (cc_market, from the setup cell)
    _public[(round(cc_market.followers), _posts)] = float(content.best_promo_share(cc_market, _posts))


def best_promo_share(market, posts_per_week):
    return _public.get((round(market.followers), posts_per_week), 1.0)


cc_best_share = best_promo_share(cc_market, 5)
cc_best_share_10 = best_promo_share(cc_market, 10)
"""


def _remembered_best_promo_share():
    """REMEMBERED_Q1's function, defined here (for the test files run directly)."""
    import numpy as np  # noqa: F401 - the answer cell runs where np is imported
    from socialkit.models import content

    namespace = {"content": content, "cc_market": content.Market.cobble_and_chain()}  # the public market
    exec(REMEMBERED_Q1, namespace)
    return namespace["best_promo_share"]


def _hidden_q1_outcomes(zip_path: Path, best_promo_share) -> list[bool]:
    """Each hidden test case of q1, loaded from the zip by otter itself (as ``otter run`` and
    Gradescope do), run on ``best_promo_share``: passed or not."""
    from otter.nbmeta_config import NBMetadataConfig
    from otter.test_files import create_test_file
    from socialkit.models import content

    answers = {"best_promo_share": best_promo_share}
    cc = content.Market.cobble_and_chain()
    answers.update(cc_best_share=best_promo_share(cc, 5), cc_best_share_10=best_promo_share(cc, 10))
    with zipfile.ZipFile(zip_path) as zf, _tmp_dir() as tmp:
        zf.extract("tests/q1.py", tmp)
        test = create_test_file(str(Path(tmp) / "tests" / "q1.py"), NBMetadataConfig())
    outcomes = []
    for case in (c for c in test.test_cases if c.hidden):
        try:
            case.body.call_func(answers)
            outcomes.append(True)
        except AssertionError:
            outcomes.append(False)
    return outcomes


def _tmp_dir():
    import tempfile

    return tempfile.TemporaryDirectory()


@pytest.mark.grading
def test_otters_own_loader_reads_the_private_seeds(private_assign, tmp_path):
    """What ``otter run`` and Gradescope run: the zip's test files, loaded by otter. Remembered
    public answers pass the public zip's hidden tests and fail the private zip's; the search passes both."""
    private_zip = private_assign / assign.BUILD_SUBDIR / CH5 / "autograder" / f"{CH5}-autograder.zip"
    public_zip = _public_copy(private_zip, tmp_path / "public.zip")
    assert "heldout_seeds" in _zip_text(public_zip)["tests/q1.py"]
    assert "SOCIALKIT_HELDOUT" not in _zip_text(public_zip)["tests/q1.py"]
    remembered = _remembered_best_promo_share()
    assert _hidden_q1_outcomes(public_zip, remembered) == [True, True]
    assert _hidden_q1_outcomes(private_zip, remembered) == [False, False]

    def search(market, posts_per_week):
        import numpy as np
        from socialkit.models import content

        shares = np.linspace(0, 1, 101)
        return float(shares[np.argmax(content.year_sales(shares, 0.0, posts_per_week, market))])

    assert _hidden_q1_outcomes(private_zip, search) == [True, True]


@pytest.fixture(scope="module")
def graded(private_assign, tmp_path_factory):
    """The solution and the remembered answers, graded by the clean-room judge under the
    private zip (two workers)."""
    from socialkit.course.grading import batch
    from socialkit.course.grading.engine import runner
    from grading import samples

    assign_dir = private_assign / assign.BUILD_SUBDIR
    private_zip = assign_dir / CH5 / "autograder" / f"{CH5}-autograder.zip"
    folder = tmp_path_factory.mktemp("graded")
    remembered = samples.make_notebook(CH5, None, assign_dir)
    (index,) = [i for i, q in samples.answer_questions(remembered).items() if q == "q1"]
    remembered.cells[index].source = REMEMBERED_Q1
    subs = folder / "subs"
    subs.mkdir()
    nbformat.write(samples.make_notebook(CH5, None, assign_dir), subs / "solution_x.ipynb")
    nbformat.write(remembered, subs / "remembered_x.ipynb")
    limits = runner.Limits(timeout=300, cell_timeout=60, test_timeout=20, memory_mb=1536)
    return batch.grade_class(private_zip, subs, folder / "out", limits=limits, workers=2, progress=False)


def _q1(result, student):
    (record,) = result.records[student]
    return record["questions"]["q1"]


@pytest.mark.grading
def test_the_judge_grades_with_the_private_seeds(graded):
    solution = graded.by_student["solution"]
    assert solution["status"] == "ok" and solution["total"] == solution["possible"]
    remembered = graded.by_student["remembered"]
    q1 = _q1(graded, "remembered")
    lost = [c for c in q1["cases"] if c["hidden"] and not c["passed"]]
    assert len(lost) == 2 and q1["score"] < q1["possible"]
    assert all(c["passed"] for c in q1["cases"] if not c["hidden"])
    assert remembered["total"] == solution["total"] - (q1["possible"] - q1["score"])

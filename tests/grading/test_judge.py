"""The clean-room judge: plain data across the wall, the judge's own rules, and shortcut answers.

(a) ``plain``: every kind of answer survives the trip with its type and values; nothing else
    crosses (opaque placeholders); malformed, oversized or deeply nested messages are refused
    with ``PlainError`` and nothing else.
(b) ``judge``: test files parsed as otter does, hidden tests described in plain words, a
    function not written in the notebook refused, a test past its time limit failed.
(c) Shortcut answers (issue 12, part 2) for exercises 1 and 4, graded for real: the kit's own
    function under another name, remembered numbers, a trivial rule. Each must score zero on
    the hidden tests of the answer it replaces. The ones that still score are marked ``xfail``
    with the change their master needs (this module cannot change the masters); when a master
    gains that change, the test passes and the mark must go.
"""
from __future__ import annotations

import math

import nbformat
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkit import channels, listening
from socialkit.course.checks import Hint
from socialkit.course.grading import batch
from socialkit.course.grading.engine import judge, plain, runner
from socialkit.course.grading.intake.autograder import available_assignments
from support.exercises import held_out_statements
from grading import samples

CH1 = "01-ignorance-arrogance-irrelevance"
CH4 = "04-listen-first"
LIMITS = runner.Limits(timeout=300, cell_timeout=30, test_timeout=10, memory_mb=1536)


# --- (a) plain data ------------------------------------------------------------------------------
def roundtrip(value):
    return plain.loads(plain.dumps(value))


@pytest.mark.parametrize("value", [
    None, True, 3, -2**70, 2.5, "text", b"\xff\x00", 1 + 2j, Ellipsis, (1, "a"), [1, [2, [3]]],
    {"a": 1, (2, 3): [4.5]}, {1, 2}, frozenset({"x"}), range(2, 9, 3),
    np.float64(0.25), np.int32(7), np.bool_(True),
    pd.Timestamp("2026-03-01 09:30"), pd.Timedelta(hours=5),
])
def test_plain_values_survive_with_their_type(value):
    back = roundtrip(value)
    assert type(back) is type(value) and back == value


def test_special_floats_and_big_integers():
    back = roundtrip([math.nan, math.inf, -math.inf, 10**500])
    assert math.isnan(back[0]) and back[1:3] == [math.inf, -math.inf] and back[3] == 10**500


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(allow_nan=False, min_value=-1e30, max_value=1e30), max_size=30),
       st.sampled_from(["<f8", "<f4", "<i8", "<i2", "|u1", "|b1", ">f8"]))
def test_arrays_keep_dtype_shape_and_bits(values, dtype):
    a = np.array(values, dtype=float)
    if np.dtype(dtype).kind in "iub":
        a = np.nan_to_num(a, posinf=0, neginf=0).clip(-100, 100)
    a = a.astype(dtype)
    back = roundtrip(a.reshape(-1, 1))
    assert back.dtype == a.dtype.newbyteorder("=") and back.shape == (len(values), 1)
    assert np.array_equal(back.ravel(), a, equal_nan=True)


def test_tables_keep_columns_index_and_dtypes():
    posts = listening.make_posts(seed=3, n_posts=60)
    pd.testing.assert_frame_equal(roundtrip(posts), posts)
    summary = listening.channel_summary(posts)
    pd.testing.assert_frame_equal(roundtrip(summary), summary)
    series = posts.groupby("channel")["answered"].mean()
    pd.testing.assert_series_equal(roundtrip(series), series)
    wide = pd.DataFrame({"a": [1, 2]}, index=pd.MultiIndex.from_tuples([(1, "x"), (2, "y")], names=["n", "k"]))
    pd.testing.assert_frame_equal(roundtrip(wide), wide)
    cats = pd.DataFrame({"c": pd.Categorical(["b", "a", "b"]), "n": pd.array([1, None, 3], dtype="Int64")})
    pd.testing.assert_frame_equal(roundtrip(cats), cats)


def test_the_kits_dataclasses_are_rebuilt_and_read_only_arrays_stay_so():
    state = channels._example_state()
    back = roundtrip(state)
    assert isinstance(back, channels.State) and [back.names[i] for i in back.top(2)] == ["Maps", "Forum"]
    ro = np.arange(3.0)
    ro.flags.writeable = False
    assert not roundtrip(ro).flags.writeable


def test_nothing_of_the_students_crosses_but_plain_values():
    class Liar(float):
        def __eq__(self, other):
            return True

        def __float__(self):
            return 0.75

    class LiarArray(np.ndarray):
        def astype(self, *a, **k):
            return np.ones(3)

    assert type(roundtrip(Liar(0.1))) is float and roundtrip(Liar(0.1)) == 0.1
    back = roundtrip(np.zeros(3).view(LiarArray))
    assert type(back) is np.ndarray and not back.any()

    class Widget:
        pass

    opaque = roundtrip(Widget())
    assert isinstance(opaque, plain.Opaque) and type(opaque).__name__ == "Widget"
    assert not callable(opaque) and opaque != opaque.__class__("x")
    assert isinstance(roundtrip(len), plain.Opaque)          # not callable on the judge's side
    assert isinstance(roundtrip(lambda x: x), plain.Opaque)


@pytest.mark.parametrize("message", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"$": "nd", "shape": [2], "dtype": "O", "items": [1]}',
    b'{"$": "nd", "shape": [4], "dtype": "<f8", "data": "AAAA"}',
    b'{"$": "nd", "shape": [1], "dtype": "V8", "data": "AAAAAAAAAAA="}',
    b'{"$": "dataclass", "cls": "os:system", "fields": {}}',
    b'{"$": "dataclass", "cls": "socialkit.models.channels:State", "fields": {"nope": 1}}',
    b'{"$": "kitfn", "module": "socialkit.models.bass", "qualname": "_private"}',
    b'{"$": "mystery"}', b'{"no": "tag"}', b'{"$": "dict", "items": [[[1], 2]]}',
    b'{"$": "bigint", "text": "' + b"f" * 2000 + b'"}', b"\xff\xfe", b"NaN{",
])
def test_malformed_messages_are_refused_with_plain_error(message):
    with pytest.raises(plain.PlainError):
        plain.loads(message)


def test_too_deep_or_too_large_values_are_refused():
    deep = []
    for _ in range(plain.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(plain.PlainError):
        plain.dumps(deep)
    with pytest.raises(plain.PlainError):
        plain.loads(b"x" * (plain.MAX_BYTES + 1))


def test_kit_functions_cross_by_name_but_the_judge_never_runs_them_for_the_student():
    node = plain.encode(channels.chase_newest)
    assert node == {"$": "kitfn", "module": "socialkit.models.channels", "qualname": "chase_newest"}
    assert plain.decode(node) is channels.chase_newest              # the worker's side
    link = judge.WorkerLink(None)
    refused = link.decode(node)                                      # the judge's side
    assert isinstance(refused, judge.RemoteFunction) and not refused.written_in_notebook
    with pytest.raises(judge.StudentError, match="not a function written in this notebook"):
        refused(0, channels._example_state())


# --- (b) the judge -------------------------------------------------------------------------------
TEST_FILE = '''\
from otter.test_files import test_case
OK_FORMAT = False
name = "q1"
points = 3

@test_case(points=None, hidden=False)
def q1_form(f):
    from socialkit.course.checks import returns_number
    returns_number(f, "f", 1.0)

@test_case(points=None, hidden=True)
def q1_hidden_values(f):
    """f on other inputs."""
    from socialkit.course.checks import close, returns_number
    close(returns_number(f, "f", 3.0), 9.0, "f(3)")

@test_case(points=None, hidden=True)
def q1_hidden_speed(f, env):
    import time
    time.sleep(3)
'''


class FakeLink(judge.WorkerLink):
    """A link whose 'student process' is a local function (to test the judge's own logic)."""

    def __init__(self, func):
        super().__init__(None)
        self.func = func

    def call(self, ref, args, kwargs):
        return self.func(*args, **kwargs)


def test_judge_runs_public_tests_first_describes_hidden_ones_and_fails_slow_ones():
    tests = judge.load_tests([("tests/q1.py", TEST_FILE)])
    assert judge.test_parameters(tests) == (["f"], True)
    link = FakeLink(lambda x: x * x)
    answers = {"f": {"$": "fn", "ref": "name:f", "name": "f", "notebook": True, "names": []}}
    results = judge.run_tests(tests, answers, link, test_timeout=1.0)
    cases = results["q1"]["cases"]
    assert [c["passed"] for c in cases] == [True, True, False]
    assert cases[1]["description"] == "f on other inputs"
    assert cases[2]["description"] == "a hidden check of f (2 of 2)" and cases[2]["timed_out"]
    assert "message" not in cases[1] and "description" not in cases[0]
    assert results["q1"]["score"] == 2 and results["q1"]["possible"] == 3


def test_ok_format_tests_are_refused():
    with pytest.raises(ValueError, match="exception-based"):
        judge.load_tests([("tests/q1.py", "OK_FORMAT = True\ntest = {}\n")])


def test_student_exceptions_keep_their_type_for_the_checks():
    error = judge.student_exception({"type": "ValueError", "message": "bad p"})
    assert isinstance(error, ValueError) and isinstance(error, judge.StudentError)
    assert type(error).__name__ == "ValueError" and str(error) == "bad p"
    kit = judge.student_exception({"type": "AllocationError", "module": "socialkit.models.channels",
                                    "message": "too many hours"})
    assert isinstance(kit, channels.AllocationError)
    from socialkit.course.checks import call

    remote = judge.RemoteFunction(FakeLink(lambda x: (_ for _ in ()).throw(error)),
                                  {"ref": "name:f", "name": "f", "notebook": True})
    with pytest.raises(Hint, match="raised ValueError: bad p"):
        call(remote, "f", 1)


# --- (c) shortcut answers, graded for real -----------------------------------------------------
# assign_dir: every exercise master assigned once per test run (conftest.py)


@pytest.mark.grading
def test_the_judge_gives_every_masters_solution_full_marks_and_its_blank_notebook_zero(assign_dir, tmp_path):
    """Every exercise there is (new ones included), graded by the judge as otter would."""
    found = available_assignments(assign_dir)
    assert CH1 in found
    for stem, zip_path in found.items():
        subs = tmp_path / stem
        subs.mkdir()
        nbformat.write(samples.make_notebook(stem, None, assign_dir), subs / "solution_x.ipynb")
        nbformat.write(samples.make_notebook(stem, set(), assign_dir), subs / "blank_x.ipynb")
        result = batch.grade_class(zip_path, subs, tmp_path / f"out-{stem}", limits=LIMITS, workers=2,
                                   progress=False)
        solution, blank = result.by_student["solution"], result.by_student["blank"]
        assert solution["status"] == "ok" and solution["total"] == solution["possible"], (stem, solution)
        assert blank["total"] == 0, (stem, blank)


def with_answer(stem, assign_dir, question: str, source: str) -> nbformat.NotebookNode:
    """The solved notebook with the answer cell of ``question`` replaced by ``source``."""
    nb = samples.make_notebook(stem, None, assign_dir)
    for index, q in samples.answer_questions(nb).items():
        if q == question:
            nb.cells[index].source = source
            return nb
    raise AssertionError(f"no answer cell for {question}")


def needs(change: str):
    return pytest.mark.xfail(strict=True, reason=f"master change needed: {change}")


CH1_SHORTCUTS = {
    # name: (question, answer the shortcut targets, answer cell)
    "alias": ("q1", "bass_F", "bass_F = bass.cumulative_adoption"),
    "partial": ("q1", "bass_F", "import functools\nbass_F = functools.partial(bass.cumulative_adoption)"),
    "remembered": ("q1", "bass_F", "def bass_F(t, p, q):\n    t = np.asarray(t, dtype=float)\n"
                                   "    return np.interp(t, [0, 1, 2], [0.0, 0.0498, 0.1363])"),
    "wrapper": ("q1", "bass_F", "def bass_F(t, p, q):\n    return bass.cumulative_adoption(t, p, q)"),
    "hidden-alias": ("q1", "bass_F", "_F = bass.cumulative_adoption\n\n\ndef bass_F(t, p, q):\n"
                                     "    return _F(t, p, q)"),
    "delay-partial": ("q2", "relevance_lost_by_delay",
                      "import functools\ncc_listening_share = listening_hours / weekly_hours\n"
                      "relevance_lost_by_delay = functools.partial(relevance.relevance_lost, listening_share=0.75)\n"
                      "times_as_costly = relevance_lost_by_delay(4) / relevance_lost_by_delay(1)"),
    "delay-remembered": ("q2", "relevance_lost_by_delay",
                         "cc_listening_share = listening_hours / weekly_hours\n"
                         "def relevance_lost_by_delay(k):\n"
                         "    return {0: 0.0, 1: 0.0365, 4: 0.4633}.get(k, 0.05 * k * k)\n"
                         "times_as_costly = relevance_lost_by_delay(4) / relevance_lost_by_delay(1)"),
}
CH4_SHORTCUTS = {
    "table-alias": ("q1", "channel_table", "channel_table = listening.channel_summary"),
    "table-wrapper": ("q1", "channel_table",
                      "def channel_table(posts):\n    return listening.channel_summary(posts)"
                      "[['posts', 'response_rate', 'median_response_hours']]"),
    "table-remembered": ("q1", "channel_table",
                         "_year = listening.channel_summary(listening.load_posts())"
                         "[['posts', 'response_rate', 'median_response_hours']]\n\n\n"
                         "def channel_table(posts):\n    return _year.copy()"),
    "gap-alias": ("q2", "gap_channel", "gap_channel = listening.listening_gap\nbiggest_gap = gap_channel(posts)"),
    "gap-wrapper": ("q2", "gap_channel",
                    "def gap_channel(posts):\n    return listening.listening_gap(posts)\n\n\nbiggest_gap = gap_channel(posts)"),
    "gap-remembered": ("q2", "gap_channel",
                       "def gap_channel(posts):\n    return 'locals_group'\n\n\nbiggest_gap = gap_channel(posts)"),
    "gap-busiest": ("q2", "gap_channel",
                    "def gap_channel(posts):\n    return posts['channel'].value_counts().idxmax()\n\n\n"
                    "biggest_gap = gap_channel(posts)"),
    "need-lambda": ("q3", "top_unmet_need",
                    "top_unmet_need = lambda posts: listening.unmet_needs(posts).index[0]\n"
                    "unmet_need = top_unmet_need(posts)"),
    "need-remembered": ("q3", "top_unmet_need",
                        "def top_unmet_need(posts):\n    return 'early_repairs'\n\n\nunmet_need = top_unmet_need(posts)"),
    "need-commonest": ("q3", "top_unmet_need",
                       "def top_unmet_need(posts):\n    return posts['topic'].value_counts().idxmax()\n\n\n"
                       "unmet_need = top_unmet_need(posts)"),
}


def grade_shortcuts(stem, shortcuts, assign_dir, tmp_path_factory, extras=None):
    """The solution, the shortcuts and ``extras`` ({name: notebook}) graded in one batch."""
    if stem not in available_assignments(assign_dir):
        pytest.skip(f"no master {stem}")
    folder = tmp_path_factory.mktemp(f"shortcuts-{stem[:2]}")
    subs = folder / "subs"
    subs.mkdir()
    nbformat.write(samples.make_notebook(stem, None, assign_dir), subs / "solution_x.ipynb")
    for name, (question, _, source) in shortcuts.items():
        nbformat.write(with_answer(stem, assign_dir, question, source), subs / f"{name}_x.ipynb")
    for name, nb in (extras or {}).items():
        nbformat.write(nb, subs / f"{name}_x.ipynb")
    zip_path = available_assignments(assign_dir)[stem]
    return batch.grade_class(zip_path, subs, folder / "out", limits=LIMITS, workers=2, progress=False)


@pytest.fixture(scope="module")
def ch1(assign_dir, tmp_path_factory):
    return grade_shortcuts(CH1, CH1_SHORTCUTS, assign_dir, tmp_path_factory)


@pytest.fixture(scope="module")
def ch4(assign_dir, tmp_path_factory):
    return grade_shortcuts(CH4, CH4_SHORTCUTS, assign_dir, tmp_path_factory)


def hidden_cases_of(result, student, question, answer):
    (record,) = result.records[student]
    cases = [c for c in record["questions"][question]["cases"] if c["hidden"]]
    return [c for c in cases if answer in c["description"]]


def check_shortcut(result, name, shortcuts):
    question, answer, _ = shortcuts[name]
    (solution,) = result.records["solution"]
    assert solution["total"] == solution["possible"]  # the same cells, solved, earn everything
    cases = hidden_cases_of(result, name, question, answer)
    assert cases, f"no hidden test of {answer} in {question}"
    assert not [c["description"] for c in cases if c["passed"]]


@pytest.mark.grading
@pytest.mark.parametrize("name", list(CH1_SHORTCUTS))
def test_exercise_1_shortcuts_score_nothing_on_hidden_tests(ch1, name):
    check_shortcut(ch1, name, CH1_SHORTCUTS)


@pytest.mark.grading
@pytest.mark.parametrize("name", list(CH4_SHORTCUTS))
def test_exercise_4_shortcuts_score_nothing_on_hidden_tests(ch4, name):
    check_shortcut(ch4, name, CH4_SHORTCUTS)


@pytest.mark.grading
def test_wrappers_of_the_kit_fail_the_public_code_check_through_the_judge(ch1, ch4):
    """The public tests that read ``__code__.co_names`` still see the kit's function, even
    behind an alias in a global (the judge follows the notebook's own names)."""
    for result, name, question in ((ch1, "wrapper", "q1"), (ch1, "hidden-alias", "q1"),
                                   (ch4, "table-wrapper", "q1"), (ch4, "need-lambda", "q3")):
        (record,) = result.records[name]
        public = [c for c in record["questions"][question]["cases"] if not c["hidden"]]
        assert public and not any(c["passed"] for c in public), (name, public)
        assert "yourself" in public[0]["message"]


NOTEBOOK_FUNCTIONS = """
def own(t, p, q):
    decay = np.exp(-(p + q) * np.asarray(t, dtype=float))
    return (1 - decay) / (1 + (q / p) * decay)
def uses_own(t, p, q):
    return own(t, p, q)
def wrapper(t, p, q):
    return bass.cumulative_adoption(t, p, q)
_F = bass.cumulative_adoption
def hidden_alias(t, p, q):
    return _F(t, p, q)
def behind_helper(t, p, q):
    return hidden_alias(t, p, q)
alias = bass.cumulative_adoption
partial = functools.partial(bass.cumulative_adoption)
lam = lambda posts: listening.unmet_needs(posts).index[0]
def recursive(n):
    return recursive(n - 1) if n else 0
"""


def test_written_yourself_sees_the_kit_function_under_any_name_in_the_kernel_and_in_the_judge():
    """The hidden tests' "write it yourself" check, run in a kernel (otter) on real functions
    and in the judge on the worker's plain description of them."""
    import functools

    from socialkit import bass, listening
    from socialkit.course.checks import names_used, written_yourself
    from socialkit.course.grading.engine import worker

    ns = {"__name__": "__main__", "np": np, "bass": bass, "listening": listening, "functools": functools}
    exec(compile(NOTEBOOK_FUNCTIONS, "<ipython-input-1-x>", "exec"), ns)
    kit = ["bass.cumulative_adoption", "listening.unmet_needs"]
    for name in ("own", "uses_own", "recursive"):
        written_yourself(ns[name], name, kit)
    for name, calls in (("wrapper", "bass"), ("hidden_alias", "bass"), ("behind_helper", "bass"),
                        ("alias", "bass"), ("partial", "bass"), ("lam", "listening")):
        with pytest.raises(Hint, match=rf"^Write {name} yourself instead of calling {calls}\."):
            written_yourself(ns[name], name, kit)
        remote = judge.RemoteFunction(None, worker.describe_function(ns[name]))
        if remote.written_in_notebook:  # the judge refuses to call the others at all
            assert calls in str(pytest.raises(Hint, written_yourself, remote, name, kit).value)
    assert "own" not in names_used(ns["own"]) and "exp" in names_used(ns["uses_own"])
    with pytest.raises(Hint, match="with pandas yourself"):
        written_yourself(ns["lam"], "top_unmet_need", kit, how="with pandas")


CH2 = "02-shiny-object-syndrome"
CH3 = "03-customer-centric-questions"
CH2_SHORTCUTS = {
    "alias": ("q3", "my_strategy", "my_strategy = channels.focus_on_customers"),
    "wrapper": ("q3", "my_strategy", "def my_strategy(week, state):\n    return channels.focus_on_customers(week, state)"),
    "focus-one": ("q3", "my_strategy", "my_strategy = channels.focus_on(1)"),
    "hidden-alias": ("q3", "my_strategy", "_plan = channels.STRATEGIES['focus_on_customers']\n\n\n"
                                          "def my_strategy(week, state):\n    return _plan(week, state)"),
}
#: the kit's focus_on_customers written out by hand: it beats chasing, but not itself
CH2_COPY = ("def my_strategy(week, state):\n    hours = np.zeros(state.n_channels)\n"
            "    hours[state.top(2)] = state.budget / 2\n    return hours")
CH3_SHORTCUTS = {
    "question-mark": ("q3", "classify", "def classify(statement):\n"
                                        "    return 'customer' if '?' in statement else 'company'"),
    "pronouns": ("q3", "classify", "def classify(statement):\n    words = statements.words(statement)\n"
                                   "    you = sum(w in ('you', 'your', \"you're\") for w in words)\n"
                                   "    we = sum(w in ('we', 'our', 'us', \"we're\") for w in words)\n"
                                   "    return 'customer' if you >= we else 'company'"),
    "baseline": ("q3", "classify", "classify = statements.baseline_classify"),
    "baseline-tuned": ("q3", "classify", "def classify(statement):\n"
                                         "    return statements.baseline_classify(statement, threshold=-1)"),
}


@pytest.fixture(scope="module")
def ch2(assign_dir, tmp_path_factory):
    """Exercise 2 graded once: the solution, the Q3 shortcuts, a hand copy of the kit's strategy,
    and blank notebooks that patch the checks."""
    extras = {}
    if CH2 in available_assignments(assign_dir):
        for attack in ("patch-numpy", "patch-checks", "patch-otter", "import-hook", "fake-package"):
            extras[attack.replace("-", "")] = samples.insert_cell(
                samples.make_notebook(CH2, set(), assign_dir), samples.attack_cell(attack), position=2)
        extras["copy"] = with_answer(CH2, assign_dir, "q3", CH2_COPY)
    return grade_shortcuts(CH2, CH2_SHORTCUTS, assign_dir, tmp_path_factory, extras)


@pytest.fixture(scope="module")
def ch3(assign_dir, tmp_path_factory):
    return grade_shortcuts(CH3, CH3_SHORTCUTS, assign_dir, tmp_path_factory)


@pytest.mark.grading
def test_exercise_2_blank_notebooks_that_patch_the_checks_earn_nothing(ch2):
    """The tricks that gave blank notebooks of exercises 1 and 2 full marks before the judge, on
    exercise 2."""
    for attack in ("patchnumpy", "patchchecks", "patchotter", "importhook", "fakepackage"):
        assert ch2.by_student[attack]["total"] == 0, ch2.by_student[attack]


@pytest.mark.grading
@pytest.mark.parametrize("name", list(CH2_SHORTCUTS))
def test_exercise_2_shortcuts_score_nothing_on_hidden_tests(ch2, name):
    """The kit's strategies under another name fail every test of Q3, public ones included."""
    check_shortcut(ch2, name, CH2_SHORTCUTS)
    (record,) = ch2.records[name]
    assert not [c for c in record["questions"]["q3"]["cases"] if c["passed"]]


@pytest.mark.grading
def test_exercise_2_a_copy_of_the_kits_strategy_beats_chasing_but_does_not_adapt(ch2):
    (record,) = ch2.records["copy"]
    hidden = {c["description"]: c["passed"] for c in record["questions"]["q3"]["cases"] if c["hidden"]}
    assert [d for d, passed in hidden.items() if passed and "chasing" in d]  # it does beat chasing
    assert [d for d, passed in hidden.items() if not passed] == [
        "my_strategy, written yourself, beats every kit strategy when customers move to a new network"]


@pytest.mark.grading
@pytest.mark.parametrize("name", list(CH3_SHORTCUTS))
def test_exercise_3_shortcuts_score_nothing_on_hidden_tests(ch3, name):
    check_shortcut(ch3, name, CH3_SHORTCUTS)


def test_exercise_3_held_out_statements_are_at_least_as_hard_as_the_public_ones():
    """Each trivial rule does no better on the hidden statements than on the public ones, and
    misses the 75% mark there; the solution clears 85% on both."""
    from socialkit import statements

    def qmark(s):
        return "customer" if "?" in s else "company"

    def pronouns(s, at_least=True):
        w = statements.words(s)
        you, we = (sum(x in group for x in w) for group in (statements.CUSTOMER_WORDS, statements.COMPANY_WORDS))
        return "customer" if (you >= we if at_least else you > we) else "company"

    def qmark_or_problem(s):
        return "customer" if "?" in s or set(statements.words(s)) & statements.PROBLEM_WORDS else "company"

    rules = {"question mark": qmark, "pronouns": pronouns, "more you than we": lambda s: pronouns(s, False),
             "question or problem word": qmark_or_problem, "baseline": statements.baseline_classify}
    rules.update({f"baseline at {t}": (lambda s, t=t: statements.baseline_classify(s, threshold=t))
                  for t in (-1.0, -0.5, 0.5, 1.0)})
    hidden = held_out_statements()
    public = [(s.text, s.label) for s in statements.load()]

    def accuracy(rule, data):
        return sum(rule(text) == label for text, label in data) / len(data)

    for name, rule in rules.items():
        assert accuracy(rule, hidden) < 0.75, name
        assert accuracy(rule, hidden) <= accuracy(rule, public) + 1e-9, name

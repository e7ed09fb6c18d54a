"""Each student's own numbers (socialkit.course.variants): ids, seeds, where the id comes from,
and the grader's variant winning over whatever the notebook typed."""
from __future__ import annotations

import json

import pytest

from socialkit.course import heldout, variants
from socialkit.course.variants import identity, keys

EX1 = "01-ignorance-arrogance-irrelevance"


@pytest.fixture(autouse=True)
def clean_identity(monkeypatch, tmp_path):
    monkeypatch.setenv("SOCIALKIT_HOME", str(tmp_path / "home"))
    for name in ("SOCIALKIT_STUDENT_ID", "JUPYTERHUB_USER", "SOCIALKIT_VARIANT"):
        monkeypatch.delenv(name, raising=False)


def test_every_exercise_master_has_a_numbers_module():
    from socialkit.course import assign
    import importlib
    assert set(variants.EXERCISES) == set(assign.available_masters())
    for stem, name in variants.EXERCISES.items():
        module = importlib.import_module(name)
        assert module.EXERCISE == stem
        assert module.describe(module.numbers(None))


def test_seeds_depend_on_id_exercise_and_course_but_not_on_case_or_spaces():
    seed = keys.seed_for(EX1, "s0123")
    assert seed == keys.seed_for(EX1, "  S0123 ")
    assert seed != keys.seed_for(EX1, "s0124")
    assert seed != keys.seed_for("00-python-for-this-book", "s0123")
    assert seed != keys.seed_for(EX1, "s0123", keys.course_code("a course secret of some length"))
    assert 0 <= seed < 2**32


def test_the_course_code_does_not_show_the_secret_and_bad_codes_are_named():
    secret = keys.new_secret()
    code = keys.course_code(secret)
    assert len(code) == 16 and secret not in code and code == keys.course_code(secret)
    with pytest.raises(ValueError, match="at least 16 characters"):
        keys.course_code("short")
    with pytest.raises(ValueError, match="course code that make assign wrote"):
        variants.mine(EX1, "s1", course="not-a-code")


def test_no_id_gives_the_public_numbers_and_a_typed_id_is_remembered(tmp_path):
    public = variants.mine(EX1)
    assert public.public and public.p == 0.02 and "public numbers" in repr(public)
    own = variants.mine(EX1, " S0123 ")
    assert not own.public and own.student == "S0123" and own.source == "typed"
    assert own.numbers != public.numbers
    again = variants.mine(EX1)  # the next exercise, nothing typed
    assert again.source == "saved" and again.numbers == own.numbers
    assert json.loads(identity.saved_path().read_text())["student_id"] == "S0123"


def test_the_hub_user_name_is_used_when_nothing_is_typed(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "amy.lee")
    variant = variants.mine(EX1)
    assert variant.source == "hub" and variant.seed == keys.seed_for(EX1, "amy.lee")
    assert "JupyterHub user name" in repr(variant)


def test_a_course_copy_asks_for_the_id_in_plain_words():
    code = keys.course_code("a course secret of some length")
    with pytest.raises(variants.MissingStudentId, match='student_id = "s0123"'):
        variants.mine(EX1, "", course=code)


@pytest.mark.parametrize("bad, message", [(123, "must be text"), ("a\nb", "line break"),
                                          ("x" * 200, "at most")])
def test_bad_ids_are_named(bad, message):
    with pytest.raises(ValueError, match=message):
        variants.mine(EX1, bad)


def test_the_graders_variant_wins_over_what_the_notebook_typed(monkeypatch):
    code = keys.course_code("a course secret of some length")
    monkeypatch.setenv(variants.GRADING_VARIABLE, json.dumps({"student": "s0999", "course": code}))
    graded = variants.mine(EX1, "s0123", course=code)
    assert graded.source == "grader" and graded.student == "s0999"
    assert graded.seed == keys.seed_for(EX1, "s0999", code)
    assert variants.current(EX1).numbers == graded.numbers
    assert "supplied by the grader" in repr(graded)


def test_current_is_the_variant_the_notebook_last_used():
    assert variants.current(EX1).public
    own = variants.mine(EX1, "s0123")
    assert variants.current(EX1).numbers == own.numbers


def test_a_broken_grading_variable_is_reported(monkeypatch):
    monkeypatch.setenv(variants.GRADING_VARIABLE, "s0123")
    with pytest.raises(RuntimeError, match="should be JSON"):
        variants.current(EX1)


def test_unknown_names_are_listed():
    with pytest.raises(ValueError, match="00-python-for-this-book"):
        variants.mine("01-typo")
    with pytest.raises(AttributeError, match="they are: p, q"):
        variants.mine(EX1).r


def test_the_private_file_holds_the_course_secret(tmp_path):
    path = tmp_path / "private.toml"
    path.write_text('[course]\nsecret = "a course secret of some length"\n')
    assert heldout.read_private(path) == {}
    assert heldout.read_course_secret(path) == "a course secret of some length"
    path.write_text('[course]\nsecret = "short"\n')
    with pytest.raises(ValueError, match="at least 16"):
        heldout.read_private(path)
    path.write_text('["05-be-social-not-a-billboard"]\nq1_markets = [1, 2, 3, 4]\n')
    assert heldout.read_course_secret(path) is None

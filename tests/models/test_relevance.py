"""Chapter 1's relevance model."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from socialkit import bass, relevance as rel

YEARS = np.linspace(0, 15, 151)


def curve(name):
    a = rel.ARCHETYPES[name]
    return rel.relevance(YEARS, entry_time=a.entry_time, listening_share=a.listening_share)


def test_everyone_relevant_before_customers_move():
    for a in rel.ARCHETYPES.values():
        assert float(rel.relevance(0.0, entry_time=a.entry_time, listening_share=a.listening_share)) == 1.0


def test_formula_by_hand():
    t, entry, listen = 10.0, 4.0, 0.5
    moved = float(bass.cumulative_adoption(t))
    quality = 0.2 + 0.8 * listen
    expected = (1 - moved) + moved * 1.0 * quality  # fully present: 10 >= 4 + 2
    assert float(rel.relevance(t, entry_time=entry, listening_share=listen)) == pytest.approx(expected)
    # Half built up one year after entry (two-year build-up).
    moved5 = float(bass.cumulative_adoption(5.0))
    assert float(rel.relevance(5.0, entry_time=entry, listening_share=listen)) == pytest.approx(
        (1 - moved5) + moved5 * 0.5 * quality)


def test_instant_presence_is_a_step():
    r = rel.relevance([2.99, 3.0], entry_time=3, listening_share=1, build_years=0)
    moved = bass.cumulative_adoption([2.99, 3.0])
    assert r == pytest.approx([1 - moved[0], 1.0])


def test_archetypes_tell_the_story():
    connected, ignorant = curve("connected"), curve("ignorant")
    arrogant, both = curve("arrogant"), curve("ignorant_and_arrogant")
    assert np.all(connected >= ignorant - 1e-12)
    assert np.all(connected >= arrogant - 1e-12)
    assert np.all(np.minimum(ignorant, arrogant) >= both - 1e-12)
    assert connected[-1] > 0.8 and arrogant[-1] < 0.3 and both[-1] == pytest.approx(arrogant[-1])
    assert ignorant.min() < 0.4  # the trough before the late entrant catches up


def test_presence_quality():
    assert rel.presence_quality(0) == pytest.approx(0.2)
    assert rel.presence_quality(1) == 1.0
    assert rel.presence_quality(0.5, broadcast_quality=0.0) == 0.5


def test_relevance_lost_by_hand():
    years = np.arange(15.0)
    on_time = rel.relevance(years, entry_time=0, listening_share=1)
    late = rel.relevance(years, entry_time=3, listening_share=1)
    assert rel.relevance_lost(3) == pytest.approx(float(np.sum(on_time - late)))
    assert rel.relevance_lost(0) == 0.0


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 14), st.floats(0, 1), st.floats(0, 6))
def test_waiting_longer_never_costs_less(delay, listening, entry):
    shorter = rel.relevance_lost(delay, entry_time=entry, listening_share=listening)
    longer = rel.relevance_lost(delay + 1, entry_time=entry, listening_share=listening)
    assert 0 <= shorter <= longer + 1e-12


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 30), st.floats(0, 1), st.floats(0, 1), st.floats(0, 10))
def test_relevance_is_a_share(entry, listening, broadcast, build):
    r = rel.relevance(YEARS, entry_time=entry, listening_share=listening,
                      broadcast_quality=broadcast, build_years=build)
    assert np.all((r >= 0) & (r <= 1 + 1e-12))


@pytest.mark.parametrize("kwargs, exc, message", [
    (dict(entry_time=-1, listening_share=0.5), ValueError, "entry_time must be in the range"),
    (dict(entry_time=40, listening_share=0.5), ValueError, "entry_time must be"),
    (dict(entry_time=1, listening_share=1.5), ValueError, "listening_share must be in the range"),
    (dict(entry_time=1, listening_share="half"), TypeError, "listening_share must be a number"),
    (dict(entry_time=1, listening_share=0.5, old_reach=2), ValueError, "old_reach must be"),
    (dict(entry_time=1, listening_share=0.5, build_years=-1), ValueError, "build_years must be"),
])
def test_bad_arguments_are_named(kwargs, exc, message):
    with pytest.raises(exc, match=message):
        rel.relevance(YEARS, **kwargs)


def test_bad_delay():
    with pytest.raises(TypeError, match="delay must be a whole number"):
        rel.relevance_lost(2.5)
    with pytest.raises(ValueError, match="delay must be >= 0"):
        rel.relevance_lost(-1)
    with pytest.raises(ValueError, match="horizon must be"):
        rel.relevance_lost(1, horizon=0)

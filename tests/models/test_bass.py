"""The Bass diffusion model: known values, shapes, properties and argument checks."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from socialkit import bass

coefficients = st.tuples(st.floats(0.001, 1.0), st.floats(0.0, 3.0))


def test_known_peak_time():
    assert bass.peak_time(0.03, 0.38) == pytest.approx(np.log(0.38 / 0.03) / 0.41)
    assert round(bass.peak_time(0.03, 0.38), 2) == 6.19


def test_known_values():
    assert float(bass.cumulative_adoption(0.0, 0.03, 0.38)) == 0.0
    # F(10) for p=0.03, q=0.38 worked by hand: (1 - e^-4.1) / (1 + (0.38/0.03) e^-4.1)
    e = np.exp(-4.1)
    assert float(bass.cumulative_adoption(10, 0.03, 0.38)) == pytest.approx((1 - e) / (1 + 0.38 / 0.03 * e))
    assert float(bass.adoption_rate(0.0, 0.03, 0.38)) == pytest.approx(0.03)


def test_half_minus_p_over_2q_have_adopted_at_the_peak():
    # A textbook property of the Bass curve: F(t*) = 1/2 - p/(2q).
    p, q = 0.05, 0.5
    assert float(bass.cumulative_adoption(bass.peak_time(p, q), p, q)) == pytest.approx(0.5 - p / (2 * q))


def test_rate_is_the_derivative_of_the_cumulative_curve():
    t = np.linspace(0, 20, 2001)
    numeric = np.gradient(bass.cumulative_adoption(t, 0.02, 0.5), t)
    assert np.allclose(numeric[1:-1], bass.adoption_rate(t, 0.02, 0.5)[1:-1], atol=1e-4)


def test_rate_peaks_at_peak_time():
    t = np.linspace(0, 30, 30001)
    rate = bass.adoption_rate(t, 0.03, 0.38)
    assert t[np.argmax(rate)] == pytest.approx(bass.peak_time(0.03, 0.38), abs=1e-3)


def test_no_interior_peak_when_imitation_is_weak():
    assert bass.peak_time(0.2, 0.1) == 0.0
    assert bass.peak_time(0.2, 0.2) == 0.0


def test_shapes_follow_the_input():
    assert bass.cumulative_adoption(3.0).shape == ()
    assert bass.cumulative_adoption([1, 2, 3]).shape == (3,)
    assert bass.adoption_rate(np.ones((2, 4))).shape == (2, 4)
    assert bass.cumulative_adoption([]).shape == (0,)


@settings(max_examples=200, deadline=None)
@given(coefficients, st.lists(st.floats(0, 200), min_size=2, max_size=50))
def test_cumulative_rises_and_stays_in_unit_interval(pq, times):
    p, q = pq
    t = np.sort(np.array(times))
    f = bass.cumulative_adoption(t, p, q)
    assert np.all(f >= 0) and np.all(f < 1 + 1e-12)
    assert np.all(np.diff(f) >= -1e-12)


@settings(max_examples=200, deadline=None)
@given(coefficients, st.floats(0, 50))
def test_rate_is_positive(pq, t):
    assert float(bass.adoption_rate(t, *pq)) >= 0


@pytest.mark.parametrize("kwargs, message", [
    (dict(p=0), "p must be in the range (0, 1]"),
    (dict(p=-0.1), "p must be"),
    (dict(p=1.5), "p must be"),
    (dict(q=-1), "q must be in the range [0, 3]"),
    (dict(q=float("nan")), "q must be a finite number"),
])
def test_bad_coefficients_name_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("[", r"\[")):
        bass.cumulative_adoption(1.0, **kwargs)


def test_bad_types_and_times_are_explained():
    with pytest.raises(TypeError, match="p must be a number"):
        bass.peak_time("0.03", 0.38)
    with pytest.raises(TypeError, match="p must be a number"):
        bass.peak_time(True, 0.38)
    with pytest.raises(ValueError, match="t must be >= 0"):
        bass.cumulative_adoption([-1, 2])
    with pytest.raises(TypeError, match="t must be a number or an array"):
        bass.cumulative_adoption("soon")
    with pytest.raises(ValueError, match="finite"):
        bass.adoption_rate([1, np.inf])

"""The Bass (1969) diffusion model: how a new way of doing things spreads through a population.

Two forces move people to a new channel (the web in 1995, social networks in 2008):
*innovation* ``p`` — people who try it on their own, from outside influence — and
*imitation* ``q`` — people who follow those they know. With both constant, the share of
the population that has adopted by time ``t`` is

    F(t) = (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t)),

an S-shaped curve that starts at 0 and approaches (never reaches) 1. New adoption per unit
time, ``f(t) = dF/dt``, peaks at ``t* = ln(q / p) / (p + q)`` when ``q > p`` (otherwise at 0).

Time is in whatever unit ``p`` and ``q`` are per: the kit uses years. All functions accept a
scalar or any array of times and return an array of the same shape.

Reference: Bass, F. M. (1969). A new product growth for model consumer durables.
*Management Science*, 15(5), 215–227.
"""
from __future__ import annotations

import numpy as np

from .validation import check_number, check_times

__all__ = ["cumulative_adoption", "adoption_rate", "peak_time", "P_RANGE", "Q_RANGE",
           "TYPICAL_P", "TYPICAL_Q"]

#: Allowed innovation coefficient: positive (someone has to go first), at most 1 per period.
P_RANGE = (0.0, 1.0)
#: Allowed imitation coefficient.
Q_RANGE = (0.0, 3.0)
#: Averages across many products reported in the diffusion literature (Sultan, Farley and
#: Lehmann, 1990, found p about 0.03 and q about 0.38 per year).
TYPICAL_P, TYPICAL_Q = 0.03, 0.38


def _check_coefficients(p, q) -> tuple[float, float]:
    p = check_number("p", p, low=P_RANGE[0], high=P_RANGE[1], low_inclusive=False)
    q = check_number("q", q, low=Q_RANGE[0], high=Q_RANGE[1])
    return p, q


def cumulative_adoption(t, p: float = TYPICAL_P, q: float = TYPICAL_Q) -> np.ndarray:
    """Share of the population that has adopted by time ``t``: F(t), in [0, 1).

    >>> round(float(cumulative_adoption(0.0)), 6)
    0.0
    >>> round(float(cumulative_adoption(10, p=0.03, q=0.38)), 3)
    0.813
    """
    p, q = _check_coefficients(p, q)
    t = check_times("t", t)
    decay = np.exp(-(p + q) * t)
    return (1.0 - decay) / (1.0 + (q / p) * decay)


def adoption_rate(t, p: float = TYPICAL_P, q: float = TYPICAL_Q) -> np.ndarray:
    """New adopters per unit time as a share of the population: f(t) = dF/dt.

    >>> round(float(adoption_rate(0.0, p=0.03, q=0.38)), 3)   # at launch only innovators adopt
    0.03
    """
    p, q = _check_coefficients(p, q)
    t = check_times("t", t)
    decay = np.exp(-(p + q) * t)
    return ((p + q) ** 2 / p) * decay / (1.0 + (q / p) * decay) ** 2


def peak_time(p: float = TYPICAL_P, q: float = TYPICAL_Q) -> float:
    """Time at which new adoption peaks: ln(q/p)/(p+q), or 0 when imitation does not exceed innovation.

    >>> round(peak_time(0.03, 0.38), 2)
    6.19
    """
    p, q = _check_coefficients(p, q)
    if q <= p:
        return 0.0
    return float(np.log(q / p) / (p + q))

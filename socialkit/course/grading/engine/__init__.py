"""The engine: one submission graded under limits, and many through one executor.

Its public face is one call, :func:`grade_one` (``runner.grade_one``): the bytes of a notebook
snapshot, its code cells, the autograder's tests (a :class:`Plan`) and :class:`Limits` in; the
outcome (status, per-question results, what went wrong) out. Inside, three processes speak the
messages of ``protocol.py``: the runner (this process), the student's ``worker`` in a
``sandbox``, and the clean-room ``judge``; values cross as ``plain`` data. ``dispatch`` runs many
``grade_one`` calls through a ``concurrent.futures`` executor (local threads, or a Dask client's
executor from ``cluster``).
"""
from .runner import Limits, Plan, grade_one, isolation, make_plan

__all__ = ["Limits", "Plan", "grade_one", "isolation", "make_plan"]

"""Ending processes for good: the one helper both sides of the grader use.

The parent kills a submission's whole process tree from outside (time or memory limit); the
child kills its own descendants (a hung kernel) before it grades again.
"""
from __future__ import annotations

import psutil

__all__ = ["kill_all"]


def kill_all(procs: list, timeout: float) -> None:
    """Kill every process in ``procs`` (already gone is fine) and wait up to ``timeout`` s."""
    for proc in procs:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(procs, timeout=timeout)

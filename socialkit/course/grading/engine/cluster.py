"""Grading past one machine: every submission one task on a Dask cluster.

``socialkit-grade ASSIGNMENT SUBMISSIONS --dask TARGET`` grades a class exactly as on one
machine, except that the submissions are graded on the workers of a ``dask.distributed``
cluster instead of side by side on this one. ``TARGET`` is

``tcp://scheduler:8786`` (or ``tls://...``)
    the address of a running scheduler (``dask scheduler`` on one machine, ``dask worker
    tcp://scheduler:8786`` on the others); TLS settings come from the Dask configuration;
``gateway`` / ``gateway:<cluster name>``
    a Dask Gateway, as a JupyterHub often offers (its address comes from the Dask configuration
    the hub sets, ``gateway.address``): ``gateway`` starts a cluster for this run (scaled to
    the class, shut down at the end), ``gateway:<name>`` uses a running one and leaves it
    running. Needs the ``dask-gateway`` client, which the kit does not install (its version must
    match the hub's gateway server);
``local`` / ``local:N``
    a ``LocalCluster`` of N separate worker processes on this machine (default: one per
    core), to try the set-up before a real cluster.

What runs where, and why the scores are the local run's:

* **Here (the client)**: everything that decides or keeps a grade apart from running the
  notebook: finding and snapshotting the submissions, the signed records (the signing key never
  leaves this process), settling the scores against the autograder, ``grades.csv`` and the rest.
* **On a worker**: ``runner.grade_one`` on one snapshot, the very function local grading runs,
  with the same limits: the notebook in a sandbox of the worker's machine, the clean-room judge
  in a fresh process there. A task gets the notebook's bytes and the autograder's tests as text
  (read here from the zip), so workers need no shared folder and never see the class's other
  files. It returns only the plain outcome (status, per-question results); the client checks it
  like any other and signs it.
* Each worker checks that it grades with the same code as the client (a fingerprint of the
  kit's sources and of the libraries the tests use); a worker that differs grades nothing and
  its submissions get the status ``error``, which a re-run retries.
* A task that fails on the worker's side (an exception, a worker that died) is retried once,
  then recorded as ``error`` for that submission alone.

Workers must offer the ``namespaces`` isolation (Linux with unprivileged user namespaces):
without it a notebook's code has the network and the worker's user rights, so it could reach
the scheduler. The table at the end names the isolation each worker used.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import multiprocessing
import os
import platform
import socket
import sys
from pathlib import Path

from . import runner
from .dispatch import Dispatch

__all__ = ["Cluster", "check_target", "open_cluster", "dispatch", "grade_task", "checked_outcome",
           "task_failed", "code_fingerprint", "worker_info", "OUTCOME_FIELDS", "TARGET_HELP",
           "GATEWAY_INSTALL"]

TARGET_HELP = ("a scheduler address (tcp://host:8786 or tls://host:8786), 'gateway' (a new "
               "Dask Gateway cluster), 'gateway:<cluster name>' (a running one), or 'local' / "
               "'local:N' (N worker processes on this machine)")
GATEWAY_INSTALL = ("pip install dask-gateway==<the version of your hub's gateway server> "
                   "(e.g. dask-gateway==2026.3.0)")
_SCHEMES = ("tcp://", "tls://", "ucx://", "ws://", "wss://", "inproc://")
#: libraries whose versions can change what a test computes
_LIBRARIES = ("numpy", "pandas", "otter-grader", "nbformat", "scipy")
_FINGERPRINT: str | None = None


# --- what a worker grades with ---------------------------------------------------------------------
def code_fingerprint() -> str:
    """A digest of the kit's Python sources and of the versions of Python and the libraries the
    tests use: equal on client and worker means the same code grades (computed once)."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        kit = Path(__file__).resolve().parents[3]  # socialkit/
        digest = hashlib.sha256(f"python {sys.version_info[:2]}\n".encode())
        for name in _LIBRARIES:
            try:
                version = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                version = "-"
            digest.update(f"{name} {version}\n".encode())
        for path in sorted(kit.rglob("*.py")):
            digest.update(path.relative_to(kit).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        _FINGERPRINT = digest.hexdigest()
    return _FINGERPRINT


def _allow_children() -> None:
    """Dask starts worker processes as daemons (``distributed.worker.daemon``), and a daemonic
    process may not start processes; grading must (the sandbox and the judge). The worker's
    nanny ends the worker's whole process tree, and every sandbox ends with its parent anyway,
    so the flag is lifted for this process (``DASK_DISTRIBUTED__WORKER__DAEMON=False`` when
    starting the workers does the same)."""
    current = multiprocessing.current_process()
    if current.daemon:
        current._config["daemon"] = False  # noqa: SLF001 (there is no public switch)


def worker_info() -> dict:
    """What a worker grades with: host, Python, code fingerprint, isolation."""
    _allow_children()
    iso = runner.isolation()
    return {"host": socket.gethostname(), "python": platform.python_version(),
            "fingerprint": code_fingerprint(), "isolation": iso.kind, "isolation_detail": str(iso)}


def _worker_hide() -> list[str]:
    """Folders of the worker itself that no sandbox may see: its Dask folder (it may spill
    task data there, the tests included), its Dask configuration, the exercise masters."""
    from ... import assign

    paths = [assign.MASTERS_DIR, assign.REPO / "_build"]
    try:
        from distributed import get_worker

        paths.append(Path(get_worker().local_directory))
    except (ImportError, ValueError):
        pass
    try:
        import dask.config

        paths.append(Path(dask.config.PATH))
    except (ImportError, AttributeError):
        pass
    return [str(p) for p in dict.fromkeys(paths)]


def grade_task(snapshot: bytes, cells: list, plan: runner.Plan, limits: runner.Limits,
               fingerprint: str, variant: str | None = None) -> dict:
    """One submission, on a worker (in one of its task threads, never on its event loop): the
    same ``grade_one`` as local grading."""
    host = socket.gethostname()
    if code_fingerprint() != fingerprint:
        return {"status": "error", "questions": {}, "worker": host,
                "detail": f"the Dask worker on {host} has other code or library versions than the "
                          "grading machine, so it graded nothing: install the same requirements "
                          "and the same socialkit there, then re-run"}
    _allow_children()
    local = dataclasses.replace(plan, hide=list(dict.fromkeys([*plan.hide, *_worker_hide()])),
                                isolation=runner.isolation())
    outcome = runner.grade_one(snapshot, cells, local, limits, variant=variant)
    outcome["worker"] = host
    return outcome


async def worker_info_off_the_loop() -> dict:
    """``worker_info`` for ``client.run``: Dask runs a plain function there on the worker's event
    loop, and probing the isolation (starting the fork server, a sandbox) takes seconds, which
    would stall the worker's heartbeats; a coroutine can hand the work to a thread."""
    import asyncio

    return await asyncio.to_thread(worker_info)


# --- the client's side -------------------------------------------------------------------------------
class Cluster:
    """A connection to the cluster a class is graded on (``open_cluster``); close it after."""

    def __init__(self, client, description: str, closers=()):
        self.client = client
        self.description = description
        self._closers = list(closers)
        self.workers: dict[str, dict] = {}

    def check_workers(self) -> None:
        """Ask every worker already there what it grades with; refuse to start if one differs."""
        self.workers = self.client.run(worker_info_off_the_loop)
        mine = code_fingerprint()
        other = sorted(f"{w['host']} ({address})" for address, w in self.workers.items()
                       if w["fingerprint"] != mine)
        if other:
            raise ValueError("these Dask workers have other code or library versions than this machine, "
                             "so their scores could differ: " + ", ".join(other) + ". Install the same "
                             "requirements.txt and the same socialkit on every worker.")

    @property
    def all_namespaces(self) -> bool:
        """Whether every worker (there is at least one) seals notebooks in namespaces."""
        return bool(self.workers) and all(w["isolation"] == "namespaces" for w in self.workers.values())

    @property
    def isolation(self) -> str:
        kinds = sorted({w["isolation_detail"] for w in self.workers.values()})
        where = f"on {len(self.workers)} Dask worker(s) at {self.description}"
        if not kinds:
            return f"as each Dask worker offers ({self.description}; no worker at the start)"
        return "; ".join(kinds) + f"; {where}"

    @property
    def size(self) -> int:
        return sum(max(1, int(n)) for n in self.client.nthreads().values()) or 1

    def close(self) -> None:
        while self._closers:
            try:
                self._closers.pop()()
            except Exception:  # noqa: BLE001 (closing what is already gone)
                pass


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise ValueError("--dask needs dask.distributed: pip install -r requirements.txt (or socialkit[dask])") from None
    return distributed


def check_target(target) -> None:
    """Refuse a ``--dask`` value that is none of ``TARGET_HELP`` (before anything is graded)."""
    if not isinstance(target, str):
        return
    target = target.strip()
    if target.startswith(_SCHEMES) or target in ("local", "gateway") or target.startswith("gateway:"):
        return
    if target.startswith("local:"):
        count = target.partition(":")[2]
        if count.isdigit() and int(count) >= 1:
            return
        raise ValueError(f"--dask local:N needs a whole number N >= 1; got {target!r}.")
    raise ValueError(f"--dask must be {TARGET_HELP}; got {target!r}.")


def open_cluster(target, *, local_workers: int | None = None, connect_timeout: str = "30s") -> Cluster:
    """Connect to ``target``: a ``distributed.Client`` or a cluster object (used as given, not
    shut down), or a string (see ``TARGET_HELP``). Checks the workers (``check_workers``)."""
    check_target(target)
    distributed = _import_distributed()
    if isinstance(target, distributed.Client):
        cluster = Cluster(target, str(target.scheduler_info().get("address", "a Dask client")))
    elif hasattr(target, "scheduler_address") and not isinstance(target, str):
        client = distributed.Client(target)
        cluster = Cluster(client, str(target.scheduler_address), [client.close])
    elif not isinstance(target, str) or not target.strip():
        raise ValueError(f"--dask must be {TARGET_HELP}; got {target!r}.")
    else:
        cluster = _open_named(distributed, target.strip(), local_workers, connect_timeout)
    try:
        cluster.check_workers()
    except BaseException:
        cluster.close()
        raise
    return cluster


def _open_named(distributed, target: str, local_workers: int | None, connect_timeout: str) -> Cluster:
    if target.startswith(_SCHEMES):
        try:
            client = distributed.Client(target, timeout=connect_timeout)
        except (OSError, TimeoutError) as error:
            raise ValueError(f"could not reach the Dask scheduler at {target}: {error}") from None
        return Cluster(client, target, [client.close])
    if target == "local" or target.startswith("local:"):
        count = target.partition(":")[2]
        import dask

        n = int(count) if count else (local_workers or os.cpu_count() or 1)
        with dask.config.set({"distributed.worker.daemon": False}):
            local = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                             dashboard_address=None)
        client = distributed.Client(local)
        return Cluster(client, f"local:{n}", [local.close, client.close])
    if target == "gateway" or target.startswith("gateway:"):
        try:
            import dask_gateway
        except ImportError:
            raise ValueError(f"--dask {target} needs the Dask Gateway client, which the kit does not "
                             f"install: {GATEWAY_INSTALL}") from None
        name = target.partition(":")[2]
        try:
            gateway = dask_gateway.Gateway()
            if name:
                gw_cluster = gateway.connect(name)
                closers = []
            else:
                gw_cluster = gateway.new_cluster()
                gw_cluster.adapt(minimum=1, maximum=max(1, local_workers or 1))
                closers = [gw_cluster.shutdown]
            client = gw_cluster.get_client()
        except (OSError, ValueError, TimeoutError) as error:
            raise ValueError(f"could not use the Dask Gateway ({target}): {error}") from None
        return Cluster(client, target, [*closers, client.close])
    raise ValueError(f"--dask must be {TARGET_HELP}; got {target!r}.")


#: the fields of a record a worker decides (``runner.grade_one``'s outcome, and its host name)
OUTCOME_FIELDS = ("status", "detail", "questions", "skipped_cells", "timed_out_cells", "memory_errors",
                  "truncated_cells", "attempts", "seconds", "isolation", "notebook_seconds",
                  "judge_seconds", "worker")


def checked_outcome(outcome) -> dict:
    """The worker's outcome, if it has the shape of one, with only the fields a worker decides
    (never the student, file or checksum of the record); the client then settles the scores
    against the autograder as for a local run."""
    if (isinstance(outcome, dict) and isinstance(outcome.get("status"), str)
            and isinstance(outcome.get("questions", {}), dict)):
        kept = {k: outcome[k] for k in OUTCOME_FIELDS if k in outcome}
        kept.setdefault("questions", {})
        kept.setdefault("detail", "")
        return kept
    return {"status": "error", "questions": {},
            "detail": f"the Dask worker returned something that is not a grading outcome ({type(outcome).__name__})"}


def task_failed(error: BaseException) -> dict:
    """The outcome of a task that failed on the cluster's side (after its retry)."""
    return {"status": "error", "questions": {},
            "detail": f"the Dask cluster could not grade it (twice): {type(error).__name__}: {str(error)[:300]}"}


def dispatch(cluster: Cluster, plan: runner.Plan, limits: runner.Limits) -> Dispatch:
    """Grade through the Dask client's executor: each submission one task (``grade_task``),
    retried once on the cluster's side; what comes back is checked (``checked_outcome``)."""
    # what the workers need of the plan: the tests as text, not the client's isolation
    shipped = dataclasses.replace(plan, isolation=None)
    fingerprint = code_fingerprint()
    executor = cluster.client.get_executor(pure=False, retries=1)

    def task(snapshot, cells, variant=None):
        return grade_task(snapshot, cells, shipped, limits, fingerprint, variant)

    return Dispatch(executor, task, f"Dask, {len(cluster.workers)} worker(s) at {cluster.description}",
                    accept=checked_outcome, on_failure=task_failed, wait_when_interrupted=False)

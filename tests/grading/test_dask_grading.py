"""Grading on a Dask cluster (socialkit.course.grading.engine.cluster, .dispatch): the same class, the same grades.

A small class (a correct notebook, a partial one that kills its own process after q1, a blank
hostile one) is graded once on this machine and once on a ``LocalCluster`` of two separate worker
processes (one thread each); ``grades.csv`` must be byte for byte the same, the records signed
here, and a submission that fails on a worker costs only its own row. Reuses the fixtures of
``tests/grading/conftest.py`` (chapter 1 assigned into a temporary folder).
"""
from __future__ import annotations

import pickle

import pytest

from socialkit.course.grading import batch, cli
from socialkit.course.grading.engine import cluster as distributed, dispatch, runner
from socialkit.course.grading.intake import store
from support.grading import FULL, insert_after_check, namespaces, quick_limits, write
from grading import samples

LIMITS = quick_limits()
NAMESPACES = namespaces()

pytest.importorskip("distributed")

#: on a blank notebook: inside a PID namespace it signals every process it can see
ATTACK = "kill-everyone" if NAMESPACES else "patch-numpy"


@pytest.fixture(scope="module")
def client():
    """Two worker processes, one thread each, started as Dask starts them (daemonic)."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def both(ag, make, client, tmp_path_factory):
    root = tmp_path_factory.mktemp("dask")
    subs = root / "submissions"
    write(make(), subs / "ann_ex1.ipynb")
    write(insert_after_check(make({"q1"}), "q1", "import os\nos._exit(3)"), subs / "bo_ex1.ipynb")
    write(samples.insert_cell(make(set()), samples.attack_cell(ATTACK), position=2), subs / "mallory_ex1.ipynb")
    local = batch.grade_class(ag.path, subs, root / "local", limits=LIMITS, workers=2, progress=False)
    on_dask = batch.grade_class(ag.path, subs, root / "dask", limits=LIMITS, progress=False, dask=client)
    return local, on_dask


@pytest.mark.grading
def test_grades_on_the_cluster_equal_the_local_run(both):
    local, on_dask = both
    assert (on_dask.out_dir / "grades.csv").read_bytes() == (local.out_dir / "grades.csv").read_bytes()
    assert on_dask.graded == local.graded == 3
    ann, bo, mallory = (on_dask.by_student[s] for s in ("ann", "bo", "mallory"))
    assert (ann["status"], ann["total"]) == ("ok", 11)
    assert bo["status"] == "crashed" and {q: bo[q] for q in FULL} == {"q1": 4.0, "q2": 0.0, "q3": 0.0}
    assert mallory["total"] == 0


@pytest.mark.grading
def test_each_submission_was_a_task_on_a_worker_and_signed_here(both, client):
    _, on_dask = both
    hosts = {w["host"] for w in client.run(distributed.worker_info).values()}
    key = store.RecordKey(on_dask.out_dir, hidden=NAMESPACES)
    try:
        for recs in on_dask.records.values():
            for record in recs:
                assert record["worker"] in hosts
                assert record["isolation"] == runner.isolation().kind
                on_disk = store.load_record(store.record_path(on_dask.out_dir, record["student"],
                                                              record["relpath"]), key.key)
                assert on_disk == record  # verified with the key that never left this process
    finally:
        key.release()
    assert "Dask worker" in on_dask.isolation and "Dask worker" in on_dask.table


@pytest.mark.grading
def test_grading_never_blocks_a_workers_event_loop(both, client):
    """Dask warns "Event loop was unresponsive" when the worker's event loop (its heartbeats)
    is blocked for more than a few seconds: the probe of a worker's isolation and the grading
    itself run in threads, never on the loop (engine/cluster.py)."""
    logs = client.get_worker_logs(n=1000)
    blocked = [line for lines in logs.values() for _, line in lines if "unresponsive" in line]
    assert not blocked, blocked


@pytest.mark.grading
def test_a_task_that_fails_on_a_worker_costs_only_its_row(ag, make, client):
    """A job whose data cannot even be unpacked on the worker fails there (twice: one retry)
    and comes back as ``error`` for itself; the submission beside it is graded as usual."""
    import nbformat

    from socialkit.course.grading.intake import prepare

    nb = make()
    plan = runner.make_plan(ag)
    cluster = distributed.Cluster(client, "test")
    done = {}
    dispatch.grade_all([("poison", Poison(b"x"), []),
                        ("ann", nbformat.writes(nb).encode(), prepare.code_cells(nb))],
                       distributed.dispatch(cluster, plan, LIMITS), on_done=done.__setitem__)
    assert done["poison"]["status"] == "error" and "could not grade it" in done["poison"]["detail"]
    assert done["ann"]["status"] == "ok"
    assert {q: r["score"] for q, r in done["ann"]["questions"].items()} == FULL


def _explode():
    raise RuntimeError("this job cannot be unpacked on a worker")


class Poison(bytes):
    def __reduce__(self):
        return (_explode, ())


# --- cheap: no cluster ----------------------------------------------------------------------------
def test_a_worker_with_other_code_grades_nothing(ag):
    outcome = distributed.grade_task(b"", [], runner.make_plan(ag), LIMITS, "0" * 64)
    assert outcome["status"] == "error" and "other code or library versions" in outcome["detail"]


def test_a_worker_decides_only_the_outcome_fields():
    forged = {"status": "ok", "questions": {}, "student": "mallory", "total": 11, "sha256": "0",
              "signature": "x", "written": {}, "worker": "w1"}
    assert set(distributed.checked_outcome(forged)) == {"status", "questions", "detail", "worker"}
    assert distributed.checked_outcome(None)["status"] == "error"
    assert distributed.checked_outcome({"status": 3})["status"] == "error"


def test_the_plan_shipped_to_workers_holds_no_key_and_pickles(ag):
    plan = runner.make_plan(ag)
    data = pickle.dumps(plan)
    assert store.KEY_FILE.encode() not in data and len(data) < 1_000_000
    assert distributed.code_fingerprint() == distributed.code_fingerprint()
    assert not {"student", "relpath", "sha256", "scores", "total", "signature"} & set(distributed.OUTCOME_FIELDS)


@pytest.mark.parametrize("target, message", [
    ("", "--dask must be"), ("sched:8786", "--dask must be"), ("local:0", "local:N needs"),
    ("local:two", "local:N needs"),
])
def test_bad_dask_targets_are_refused_with_a_message(target, message):
    with pytest.raises(ValueError, match=message):
        distributed.open_cluster(target)


def test_gateway_without_its_client_says_what_to_install():
    try:
        import dask_gateway  # noqa: F401
    except ImportError:
        with pytest.raises(ValueError, match="pip install dask-gateway=="):
            distributed.open_cluster("gateway")
    else:
        pytest.skip("dask-gateway is installed here")


def test_cli_bad_dask_target_exits_2(ag, tmp_path, capsys):  # refused before grading
    (tmp_path / "subs").mkdir()
    code = cli.main([str(ag.path), str(tmp_path / "subs"), "--out", str(tmp_path / "out"),
                     "--dask", "nowhere", "--no-progress"])
    assert code == 2 and "--dask must be" in capsys.readouterr().err
    assert "--dask" in cli.build_parser().format_help()


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(ValueError, match="could not reach the Dask scheduler"):
        distributed.open_cluster("tcp://127.0.0.1:9", connect_timeout="2s")

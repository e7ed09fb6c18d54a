"""Before grading: is a file a notebook of this assignment, and the copy of it that otter runs.

``inspect`` sorts out, without starting anything, the files that cannot be graded (status
``not-a-notebook`` or ``wrong-assignment``). ``graded_copy`` makes the notebook otter executes:
the submission's cells unchanged, plus two cells the grader adds (marked in their metadata):

* a first cell that gives every test case a time limit, so an answer that loops forever fails
  its own test cases instead of stopping every later question from being graded;
* a last cell that grades every question on the notebook's *final* state, with the test files
  restored from the autograder first, so that redefining ``grader``, deleting the
  ``grader.check_all()`` cell, changing an answer after its check cell or overwriting the test
  files cannot change a score. Otter's own last step (checking questions not yet checked) then
  has nothing left to do.

Cells named in ``skip`` (ones that killed the kernel or hung past the time limit in an earlier
attempt) are replaced by a cell that raises, so the rest of the notebook can still be graded.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import nbformat

__all__ = ["NOT_A_NOTEBOOK", "WRONG_ASSIGNMENT", "Inspection", "inspect", "graded_copy",
           "CELL_KEY"]

NOT_A_NOTEBOOK = "not-a-notebook"
WRONG_ASSIGNMENT = "wrong-assignment"
#: metadata key of every cell in the graded copy: the cell's index in the submission, or "setup"
#: / "final" / "skipped" for the cells the grader added or replaced
CELL_KEY = "socialkit_grading"
#: larger files are not read (a notebook with its outputs is rarely over a few MB)
MAX_BYTES = 512 << 20


@dataclass
class Inspection:
    status: str | None          # None: gradable
    detail: str
    notebook: nbformat.NotebookNode | None = None


def inspect(path, assignment_name: str | None) -> Inspection:
    """Whether ``path`` is a Jupyter notebook of ``assignment_name`` (``None``: any)."""
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() != ".ipynb":
        kind = path.suffix.lower().lstrip(".") or "extension-less"
        return Inspection(NOT_A_NOTEBOOK, f"a {kind} file, not a Jupyter notebook (.ipynb)")
    size = path.stat().st_size
    if size > MAX_BYTES:
        return Inspection(NOT_A_NOTEBOOK, f"the file is {size / 2**20:,.0f} MB, more than the "
                                          f"{MAX_BYTES / 2**20:,.0f} MB a notebook may have here")
    raw = path.read_bytes()
    if not raw.strip():
        return Inspection(NOT_A_NOTEBOOK, "the file is empty")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Inspection(NOT_A_NOTEBOOK, "the file is not text (not UTF-8), so not a notebook")
    except json.JSONDecodeError as error:
        return Inspection(NOT_A_NOTEBOOK, f"not valid JSON ({error.msg} at line {error.lineno}, "
                                          f"column {error.colno}): the file is damaged")
    if not isinstance(data, dict) or not isinstance(data.get("cells", None), list):
        return Inspection(NOT_A_NOTEBOOK, "valid JSON but not a notebook (no list of cells)")
    if data.get("nbformat") != 4:
        try:
            data = json.loads(nbformat.writes(nbformat.reads(raw.decode("utf-8-sig"), as_version=4)))
        except Exception as error:  # an old or broken format nbformat cannot convert
            return Inspection(NOT_A_NOTEBOOK, f"a notebook format nbformat cannot read: {error}")
    try:
        for cell in data["cells"]:  # cell ids are not needed to grade; drop them, and the
            if isinstance(cell, dict):  # errors a missing or repeated id would raise
                cell.pop("id", None)
        data["nbformat_minor"] = min(int(data.get("nbformat_minor", 4)), 4)
        _, data = nbformat.validator.normalize(data)
        nb = nbformat.from_dict(data)
        nbformat.validate(nb)
    except Exception as error:
        message = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        return Inspection(NOT_A_NOTEBOOK, f"not a valid notebook: {message}")
    otter_meta = nb.metadata.get("otter", {})
    got = otter_meta.get("assignment_name") if isinstance(otter_meta, dict) else None
    if assignment_name and got != assignment_name:
        if got is None:
            detail = ("the notebook has no otter assignment name in its metadata, so it is not a "
                      "copy of this exercise's student notebook (was the work pasted into a new "
                      "notebook?)")
        else:
            detail = f"a notebook of assignment {got!r}, not {assignment_name!r}"
        return Inspection(WRONG_ASSIGNMENT, detail, nb)
    return Inspection(None, "", nb)


SETUP_SOURCE = '''\
# Added by the grader (socialkit.course.grading), not part of the submission: a time limit for each
# test case, so an answer that never returns fails its test instead of stopping the grading.
def _socialkit_grading_setup(limit):
    import os
    import signal
    from otter.test_files.exception_test import test_case

    def call_func(self, global_environment):
        def stop(signum, frame):
            raise TimeoutError(f"this test case reached its time limit of {limit:g} s and was "
                               "stopped (an endless loop, or a very slow answer?)")
        kwargs = {arg: (global_environment if arg == "env" else global_environment.get(arg))
                  for arg in self._get_func_params()}
        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            self.test_func(**kwargs)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    test_case.call_func = call_func
    return os.getcwd()


_socialkit_grading_cwd = _socialkit_grading_setup(__LIMIT__)
del _socialkit_grading_setup
'''

FINAL_SOURCE = '''\
# Added by the grader (socialkit.course.grading), not part of the submission: grade every question on
# the notebook's final state, with the autograder's own test files.
def _socialkit_grading_final(env, cwd, pristine):
    import glob
    import os
    import shutil
    from otter.execute import Checker
    from otter.nbmeta_config import NBMetadataConfig
    from otter.test_files import create_test_file
    from otter.test_files.abstract_test import TestCaseResult

    os.chdir(cwd)
    shutil.rmtree("tests", ignore_errors=True)
    shutil.copytree(pristine, "tests")
    for path in sorted(glob.glob("./tests/*.py")):
        try:
            Checker.check(path, NBMetadataConfig(), global_env=env)
        except BaseException as error:  # interrupted: every case of this question fails
            test = create_test_file(path, NBMetadataConfig())
            message = f"❌ Test case failed\\nthe test was stopped (time limit or interrupt: {type(error).__name__})"
            test.test_case_results = [TestCaseResult(tc, message, False) for tc in test.test_cases]
            Checker._test_files.append(test)


_socialkit_grading_final(globals(), _socialkit_grading_cwd, __PRISTINE__)
'''

SKIPPED_SOURCE = '''\
# The grader (socialkit.course.grading) did not run this cell: {reason}
raise RuntimeError("The grader skipped this cell: {reason}")
'''


def graded_copy(nb: nbformat.NotebookNode, *, test_timeout: float, pristine_tests: str,
                skip: dict[int, str] | None = None) -> nbformat.NotebookNode:
    """The notebook otter will execute (see the module docstring); ``nb`` is not changed.

    ``skip`` maps a cell index of the submission to the reason it is not run.
    """
    skip = skip or {}
    copy = nbformat.from_dict(json.loads(json.dumps(nb)))
    for index, cell in enumerate(copy.cells):
        cell.metadata[CELL_KEY] = index
        if index in skip and cell.cell_type == "code":
            cell.source = SKIPPED_SOURCE.format(reason=skip[index].replace('"', "'"))
            cell.metadata[CELL_KEY] = f"skipped:{index}"
    setup = nbformat.v4.new_code_cell(SETUP_SOURCE.replace("__LIMIT__", repr(float(test_timeout))))
    setup.metadata[CELL_KEY] = "setup"
    final = nbformat.v4.new_code_cell(FINAL_SOURCE.replace("__PRISTINE__", repr(pristine_tests)))
    final.metadata[CELL_KEY] = "final"
    for cell in (setup, final):  # the copy keeps the submission's format (4.4: no cell ids)
        cell.pop("id", None)
    copy.cells = [setup, *copy.cells, final]
    # always the environment's own Python kernel, whatever kernel the student's copy names
    copy.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return copy

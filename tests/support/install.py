"""The kit as someone outside the repository installs it: a wheel, a new virtual environment and
the environment of a fresh shell.

Shared by the tests that install the kit (``from support import install``):
tests/package/test_clean_install.py (the lessons from the wheel), tests/grading/test_grading_install.py
(``socialkit[grading]``) and tests/course/test_gradescope.py (the image Gradescope builds from a zip).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from socialkit.course import assign

#: The variables of ours a fresh shell does not have: paths into the repository, the venv,
#: Jupyter's folders, the kit's settings.
OURS = ("PYTHON", "JUPYTER", "VIRTUAL_ENV", "SOCIALKIT")
JUPYTER_FOLDERS = ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")


def run(command, **kwargs) -> subprocess.CompletedProcess:
    """Run ``command`` (paths allowed); fail with the end of its output if it fails.

    Captures text output and stops after 900 s unless told otherwise: only a hang takes that long.
    """
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 900)
    command = [str(part) for part in command]
    proc = subprocess.run(command, **kwargs)
    assert proc.returncode == 0, f"{command[:3]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def build_wheel(dest: Path) -> Path:
    """A wheel of socialkit under ``dest``, built from a copy of the package (the repository
    stays untouched) the way ``make assign`` builds the one its zips carry."""
    return assign.kit_wheel(dest)


def new_venv(home: Path, *, with_pip: bool = False) -> Path:
    """A new virtual environment in ``home`` (without pip of its own unless ``with_pip``); its python."""
    run([sys.executable, "-m", "venv", *([] if with_pip else ["--without-pip"]), home], timeout=300)
    return Path(home) / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def pip_install(python: Path, *requirements) -> None:
    """Install ``requirements`` (pip's arguments) into the venv of ``python`` with our pip."""
    run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet",
         "--disable-pip-version-check", *requirements])


def clean_env(folder: Path, *, bin_first: Path | None = None,
              mpl_backend: str | None = "Agg") -> dict[str, str]:
    """The environment of a fresh shell: no repository on any path, none of our variables (OURS),
    Jupyter's own folders in ``folder`` (so no kernelspec from elsewhere).

    ``bin_first``: a venv's bin folder, put first on a PATH that has only the system's folders
    besides, with HOME in ``folder`` (a new machine image). ``mpl_backend``: matplotlib's backend
    (Agg draws without a display), or None for no matplotlib variable at all.
    """
    drop = OURS if mpl_backend is not None else (*OURS, "MPL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    for name in JUPYTER_FOLDERS:
        env[name] = str(Path(folder) / name.lower())
    if bin_first is not None:
        env["PATH"] = os.pathsep.join([str(bin_first), "/usr/bin", "/bin"])
        env["HOME"] = str(folder)
    if mpl_backend is not None:
        env["MPLBACKEND"] = mpl_backend
    return env

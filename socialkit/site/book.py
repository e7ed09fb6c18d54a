"""Build the static book: ``python -m socialkit.site.book build`` (what ``make book`` runs).

Two things happen before Jupyter Book runs:

* the front-end assets installed by ``npm ci`` (the widget manager, MathJax) are copied into
  ``_assets/vendor/``, which Sphinx serves as ``_static/vendor/``, so pages load them from the
  book itself and never from a CDN;
* executed notebooks are forgotten when socialkit has changed since they ran;
* the build runs with warnings as errors, and is retried once if a notebook kernel failed to
  start or timed out, which happens now and then when kernels start in parallel (DESIGN.md).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..interactive.worksheet import EPHEMERAL_ENV
from ..data.paths import REPO

ROOT = REPO
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "_assets" / "vendor"
CACHE = ROOT / "_build" / ".jupyter_cache"  # as set in _config.yml

#: (source under node_modules, destination under _assets/vendor, file patterns to copy)
ASSETS = [
    ("@jupyter-widgets/html-manager/dist", "html-manager",
     ["embed.js", "*.woff2", "*.woff", "*.ttf", "*.eot", "*.svg"]),
    ("mathjax/es5", "mathjax", ["*"]),
]
#: Phrases in the build log that mean a kernel, not the book, was at fault: worth one retry.
TRANSIENT_FAILURES = ("Kernel didn't respond", "Timeout waiting for", "CellTimeoutError",
                      "kernel died", "DeadKernelError")


def sync_assets() -> None:
    """Copy the front-end assets from node_modules into _assets/vendor (idempotent)."""
    if not NODE_MODULES.is_dir():
        sys.exit("node_modules/ is missing: run `npm ci` first (make book does it for you).")
    for source, dest, patterns in ASSETS:
        src = NODE_MODULES / source
        if not src.is_dir():
            sys.exit(f"{src} is missing: run `npm ci` to install the front-end assets.")
        out = VENDOR / dest
        for pattern in patterns:
            for path in src.glob(pattern):
                target = out / path.relative_to(src)
                if path.is_dir():
                    shutil.copytree(path, target, dirs_exist_ok=True)
                elif not target.exists() or target.stat().st_mtime < path.stat().st_mtime:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)


def _package_fingerprint() -> str:
    """A hash of socialkit's source and data: notebooks' outputs depend on it too."""
    digest = hashlib.sha256()
    package = ROOT / "socialkit"
    for path in sorted(package.rglob("*")):
        if path.suffix in {".py", ".json", ".csv"} and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def invalidate_stale_cache() -> bool:
    """Forget executed notebooks when socialkit changed since they ran.

    Jupyter Book's cache is keyed on each notebook's own code, so without this a change to a
    model or a figure in socialkit would leave old outputs in the book. Returns True when the
    pages must all be rebuilt (Sphinx itself only rereads the files that changed).
    """
    stamp = CACHE.parent / ".socialkit-fingerprint"
    fingerprint = _package_fingerprint()
    stale = stamp.exists() and stamp.read_text() != fingerprint
    if stale:
        shutil.rmtree(CACHE, ignore_errors=True)
        print("socialkit changed since the notebooks last ran: executing them again.")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint)
    return stale


def build(extra_args: list[str] | None = None, retries: int = 1) -> int:
    """Run ``jupyter-book build`` with warnings as errors; return its exit code."""
    sync_assets()
    extra_args = list(extra_args or [])
    if invalidate_stale_cache() and "--all" not in extra_args:
        extra_args.append("--all")
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT),
               "--warningiserror", "--keep-going", *extra_args]
    for attempt in range(retries + 1):
        started = time.perf_counter()
        run = subprocess.run(command, cwd=ROOT, text=True, capture_output=True,
                             env={**os.environ, EPHEMERAL_ENV: "1"})
        sys.stdout.write(run.stdout)
        sys.stderr.write(run.stderr)
        log = run.stdout + run.stderr
        if run.returncode == 0:
            print(f"Book built in {time.perf_counter() - started:.1f} s.")
            return 0
        if attempt < retries and any(phrase in log for phrase in TRANSIENT_FAILURES):
            print("A notebook kernel failed to start or timed out; building once more.")
            continue
        break
    print("The book build failed: see the messages above (warnings count as errors).",
          file=sys.stderr)
    return run.returncode or 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialkit.site.book", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("assets", help="copy the front-end assets into _assets/vendor")
    build_cmd = sub.add_parser("build", help="copy the assets and build the book")
    build_cmd.add_argument("--all", action="store_true",
                           help="rebuild every page, not only the changed ones")
    args = parser.parse_args(argv)
    if args.command == "assets":
        sync_assets()
        return 0
    return build(["--all"] if args.all else None)


if __name__ == "__main__":
    raise SystemExit(main())

"""Build the static book: ``python -m socialkit.site.book build`` (what ``make book`` runs).

Two things happen before Jupyter Book runs:

* the front-end assets installed by ``npm ci`` (the widget manager, MathJax) are copied into
  ``_assets/vendor/``, which Sphinx serves as ``_static/vendor/``, so pages load them from the
  book itself and never from a CDN;
* executed notebooks are forgotten when socialkit has changed since they ran;
* the build runs with warnings as errors, and is retried once if a notebook kernel failed to
  start or timed out, which happens now and then when kernels start in parallel (DESIGN.md).

**Course mode** (``build --course``, what ``make book COURSE=1`` runs) builds the site for a graded
course, without the solutions appendix: a table of contents without ``book/solutions/`` and a
configuration that turns on ``course_mode.py`` (which removes every sentence linking to a
solutions page) are written to ``_build/course/`` and the site is built there, into
``_build/course/_build/html``, leaving the public site in ``_build/html`` as it is. Executed
notebooks come from the same cache. Afterwards every page is scanned: a page or a link of a
solutions page in the course site fails the build.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..interactive.worksheet import EPHEMERAL_ENV
from ..data.paths import REPO
from . import lite as lite_site, sphinx_lite

ROOT = REPO
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "_assets" / "vendor"
CACHE = ROOT / "_build" / ".jupyter_cache"  # as set in _config.yml
#: where ``build --course`` writes its table of contents, configuration and site by default
COURSE_OUT = ROOT / "_build" / "course"
#: what a course site leaves out: pages under these folders, and every link to them
COURSE_HIDDEN = ("book/solutions/",)

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


def invalidate_stale_cache(cache: Path = CACHE) -> bool:
    """Forget executed notebooks when socialkit changed since they ran.

    Jupyter Book's cache is keyed on each notebook's own code, so without this a change to a
    model or a figure in socialkit would leave old outputs in the book. Returns True when the
    pages must all be rebuilt (Sphinx itself only rereads the files that changed).
    """
    cache = Path(cache)
    stamp = cache.parent / ".socialkit-fingerprint"
    fingerprint = _package_fingerprint()
    stale = stamp.exists() and stamp.read_text() != fingerprint
    if stale:
        shutil.rmtree(cache, ignore_errors=True)
        print("socialkit changed since the notebooks last ran: executing them again.")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint)
    return stale


# --- course mode ---------------------------------------------------------------------------
def _hidden(docname: str) -> bool:
    return any(str(docname).startswith(prefix) for prefix in COURSE_HIDDEN)


def course_toc(toc: dict) -> dict:
    """The table of contents ``toc`` (as read from _toc.yml) without the solutions pages; a
    chapter's sections and a part left empty go too."""
    if not isinstance(toc, dict) or "root" not in toc:
        raise ValueError("toc must be a Jupyter Book table of contents with a root page")
    if _hidden(toc["root"]):
        raise ValueError(f"the book's root page {toc['root']} cannot be left out of a course site")

    def entries(items):
        kept = []
        for item in items or []:
            if isinstance(item, dict) and _hidden(item.get("file", "")):
                continue
            if isinstance(item, dict) and "sections" in item:
                item = {**item, "sections": entries(item["sections"])}
                if not item["sections"]:
                    del item["sections"]
            kept.append(item)
        return kept

    out = {k: v for k, v in toc.items() if k not in ("parts", "chapters")}
    if "parts" in toc:
        out["parts"] = [{**part, "chapters": entries(part.get("chapters"))}
                        for part in toc["parts"] if entries(part.get("chapters"))]
    if "chapters" in toc:
        out["chapters"] = entries(toc["chapters"])
    return out


def course_config(config: dict, cache: Path = CACHE, execute: str | None = None) -> dict:
    """The book's configuration ``config`` (as read from _config.yml) for a course site: the
    course-mode extension turned on, executed notebooks read from ``cache`` (an absolute path,
    since the file is written outside the repository) and, if given, ``execute`` as the
    execution mode (``cache`` or ``off``)."""
    if execute not in (None, "cache", "off", "auto", "force"):
        raise ValueError(f"execute must be one of cache, off, auto or force, not {execute!r}")
    config = json.loads(json.dumps(config))  # a deep copy
    sphinx_part = config.setdefault("sphinx", {})
    extensions = list(sphinx_part.get("extra_extensions") or [])
    if "socialkit.site.course_mode" not in extensions:
        extensions.append("socialkit.site.course_mode")
    sphinx_part["extra_extensions"] = extensions
    sphinx_part.setdefault("config", {})["socialkit_course_mode"] = True
    run = config.setdefault("execute", {})
    run["cache"] = str(Path(cache).resolve())
    if execute is not None:
        run["execute_notebooks"] = execute
    return config


def write_course_files(out: Path, cache: Path = CACHE, execute: str | None = None) -> tuple[Path, Path]:
    """Write the course site's _toc.yml and _config.yml into ``out``; returns their paths."""
    import yaml

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    toc = course_toc(yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8")))
    config = course_config(yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8")),
                           cache, execute)
    header = ("# Written by `python -m socialkit.site.book build --course` from the book's {name}: "
              "edit that file, not this one.\n")
    toc_path, config_path = out / "_toc.yml", out / "_config.yml"
    toc_path.write_text(header.format(name="_toc.yml") + yaml.safe_dump(toc, sort_keys=False),
                        encoding="utf-8")
    config_path.write_text(header.format(name="_config.yml") + yaml.safe_dump(config, sort_keys=False),
                           encoding="utf-8")
    return toc_path, config_path


_HREF = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#?]+)""", re.IGNORECASE)


def check_course_site(html: Path) -> list[str]:
    """Problems of a built course site: a solutions page in it, or a link to one (an empty
    list when there are none)."""
    html = Path(html)
    if not (html / "index.html").is_file():
        return [f"{html} holds no built site (no index.html)"]
    problems = []
    for prefix in COURSE_HIDDEN:
        for folder in (html / prefix, html / "_sources" / prefix):
            if folder.exists():
                problems.append(f"{folder.relative_to(html)} is in the course site")
    for page in sorted(html.rglob("*.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        for target in _HREF.findall(text):
            if "://" in target:
                continue
            resolved = posixpath.normpath(posixpath.join(
                page.parent.relative_to(html).as_posix(), target))
            if _hidden(resolved):
                problems.append(f"{page.relative_to(html)} links to {target}")
    return problems


def build(extra_args: list[str] | None = None, retries: int = 1, *, course: bool = False,
          output: Path | None = None, cache: Path | None = None, execute: str | None = None,
          lite: bool | None = None) -> int:
    """Run ``jupyter-book build`` with warnings as errors; return its exit code.

    With ``lite`` (the default unless ``SOCIALKIT_LITE=0``), the in-browser Python is built into
    the site's ``lite/`` folder afterwards (``lite.py``) and the pages link to it.

    With ``course``, build the course site (no solutions) under ``output`` (default
    ``_build/course``), reading executed notebooks from ``cache`` (default the book's own) with
    the execution mode ``execute`` (default as in _config.yml), and check the built pages.
    """
    sync_assets()
    lite = sphinx_lite.lite_enabled() if lite is None else lite
    extra_args = list(extra_args or [])
    cache = Path(cache) if cache is not None else CACHE
    # (a build that runs no notebook leaves the cache alone)
    if execute != "off" and invalidate_stale_cache(cache) and "--all" not in extra_args:
        extra_args.append("--all")
    if course:
        output = Path(output) if output is not None else COURSE_OUT
        toc_path, config_path = write_course_files(output, cache, execute)
        extra_args += ["--toc", str(toc_path), "--config", str(config_path),
                       "--path-output", str(output)]
    elif output is not None or execute is not None:
        raise ValueError("output and execute are options of a course build (course=True)")
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT),
               "--warningiserror", "--keep-going", *extra_args]
    for attempt in range(retries + 1):
        started = time.perf_counter()
        run = subprocess.run(command, cwd=ROOT, text=True, capture_output=True,
                             env={**os.environ, EPHEMERAL_ENV: "1",
                                  "SOCIALKIT_LITE": "1" if lite else "0"})
        sys.stdout.write(run.stdout)
        sys.stderr.write(run.stderr)
        log = run.stdout + run.stderr
        site = (output / "_build" / "html") if course else ROOT / "_build" / "html"
        if run.returncode == 0 and lite:
            if not add_browser_python(site, time.perf_counter() - started):
                return 1
        elif run.returncode == 0:  # (LITE=0: no in-browser Python left from an earlier build)
            shutil.rmtree(site / lite_site.LITE_FOLDER, ignore_errors=True)
        if run.returncode == 0 and course:
            html = output / "_build" / "html"
            problems = check_course_site(html)
            if problems:
                print("The course site still shows solutions:\n  " + "\n  ".join(problems),
                      file=sys.stderr)
                return 1
            print(f"Course site (no solutions) built in {time.perf_counter() - started:.1f} s: "
                  f"{html / 'index.html'}")
            return 0
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


def add_browser_python(site: Path, book_seconds: float) -> bool:
    """Build the in-browser Python into ``site`` and say what it adds; False if it failed."""
    try:
        added = lite_site.build(site)
    except lite_site.LiteBuildError as error:
        print(f"The in-browser Python was not built: {error}", file=sys.stderr)
        return False
    total = lite_site.folder_size(site)
    print(f"In-browser Python ({site / lite_site.LITE_FOLDER}): +{added['bytes'] / 1e6:.1f} MB to the "
          f"site ({(total - added['bytes']) / 1e6:.1f} MB without it), +{added['seconds']:.1f} s "
          f"to the build (the pages took {book_seconds:.1f} s). make book LITE=0 leaves it out.")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m socialkit.site.book", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("assets", help="copy the front-end assets into _assets/vendor")
    build_cmd = sub.add_parser("build", help="copy the assets and build the book")
    build_cmd.add_argument("--all", action="store_true",
                           help="rebuild every page, not only the changed ones")
    build_cmd.add_argument("--course", action="store_true",
                           help="build the site for a graded course: no solutions appendix and no "
                                "link to it, into _build/course/_build/html (make book COURSE=1)")
    build_cmd.add_argument("--output", type=Path, default=None,
                           help="with --course: the folder to build into (default _build/course)")
    build_cmd.add_argument("--execute", choices=["cache", "off"], default=None,
                           help="with --course: run notebooks through the cache (default), or "
                                "not at all (pages without outputs; quick, for checking links)")
    build_cmd.add_argument("--no-lite", action="store_true",
                           help="leave out the in-browser Python and its links (make book LITE=0)")
    args = parser.parse_args(argv)
    if args.command == "assets":
        sync_assets()
        return 0
    if not args.course and (args.output is not None or args.execute is not None):
        parser.error("--output and --execute go with --course")
    return build(["--all"] if args.all else None, course=args.course, output=args.output,
                 execute=args.execute, lite=False if args.no_lite else None)


if __name__ == "__main__":
    raise SystemExit(main())

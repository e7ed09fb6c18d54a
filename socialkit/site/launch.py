"""JupyterHub links (nbgitpuller) that open one notebook of the book for a student.

A link of the form ``<hub>/hub/user-redirect/git-pull?repo=...&urlpath=...&branch=...`` makes
the student's server (after they log in) clone or update the repository with *nbgitpuller*
into a folder named like the repository, and then open the notebook in JupyterLab. It is the
link the book's own JupyterHub launch button builds (sphinx-book-theme), so an instructor can
also paste it into a learning platform, one per lesson or exercise.

    python -m socialkit.site.launch                      # every lesson and exercise, hub from _config.yml
    python -m socialkit.site.launch --hub https://hub.example.edu --markdown
    python -m socialkit.site.launch notebooks/01-ignorance-arrogance-irrelevance.ipynb

How nbgitpuller reads the link (and so how it is built here): ``repo`` is cloned into
``<server root>/<NBGITPULLER_PARENTPATH>/<last part of repo>`` on the branch ``branch``, then the
browser goes to ``urlpath`` on the student's server: ``lab/tree/<that folder>/<notebook>``.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlencode, urlsplit

from ..data.paths import REPO

__all__ = ["INTERFACES", "Launch", "from_config", "book_notebooks", "nbgitpuller_url", "main"]

#: How each notebook interface names a file on the student's server (as the book theme does).
INTERFACES = {"jupyterlab": "lab/tree", "classic": "tree"}
_HUB = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?$")
_BRANCH = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")


@dataclass(frozen=True)
class Launch:
    """Where the links point: the hub, the repository and branch it pulls, the interface."""

    hub_url: str
    repo_url: str
    branch: str = "main"
    interface: str = "jupyterlab"
    #: the hub's NBGITPULLER_PARENTPATH, if its administrators set one (the clone goes there)
    parent_path: str = ""

    def __post_init__(self):
        if not isinstance(self.hub_url, str) or not _HUB.match(self.hub_url):
            raise ValueError("hub_url must be the hub's address, like https://hub.example.edu; "
                             f"got {self.hub_url!r}.")
        if (not isinstance(self.repo_url, str) or not _HUB.match(self.repo_url)
                or not urlsplit(self.repo_url).path.strip("/")):
            raise ValueError("repo_url must be the repository's address, like "
                             f"https://github.com/owner/name; got {self.repo_url!r}.")
        if not isinstance(self.branch, str) or not _BRANCH.match(self.branch) or ".." in self.branch:
            raise ValueError(f"branch must be a branch name like main; got {self.branch!r}.")
        if self.interface not in INTERFACES:
            raise ValueError(f"interface must be one of {', '.join(INTERFACES)}; "
                             f"got {self.interface!r}.")
        parent = PurePosixPath(self.parent_path) if self.parent_path else None
        if parent is not None and (parent.is_absolute() or ".." in parent.parts):
            raise ValueError("parent_path must be a folder inside the student's home, like "
                             f"courses; got {self.parent_path!r}.")

    @property
    def repo(self) -> str:
        """The repository address as the link passes it (no trailing slash)."""
        return self.repo_url.rstrip("/")

    @property
    def folder(self) -> PurePosixPath:
        """Where nbgitpuller puts the clone, relative to the student's server root."""
        name = PurePosixPath(self.repo.split("/")[-1])
        return PurePosixPath(self.parent_path) / name if self.parent_path else name


def _config(repo: Path) -> dict:
    import yaml

    with (Path(repo) / "_config.yml").open(encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def from_config(repo: Path = REPO, *, hub_url: str | None = None,
                parent_path: str = "") -> Launch:
    """The links' settings from ``_config.yml``: ``repository.url``/``branch`` and
    ``launch_buttons.jupyterhub_url``/``notebook_interface`` (``hub_url`` overrides the hub)."""
    config = _config(repo)
    repository = config.get("repository") or {}
    buttons = config.get("launch_buttons") or {}
    hub = hub_url or buttons.get("jupyterhub_url")
    if not hub:
        raise ValueError("No hub: set launch_buttons.jupyterhub_url in _config.yml or pass --hub.")
    if not repository.get("url"):
        raise ValueError("_config.yml has no repository.url: the hub needs a repository to pull.")
    return Launch(str(hub).rstrip("/"), str(repository["url"]),
                  str(repository.get("branch") or "main"),
                  str(buttons.get("notebook_interface") or "classic"), parent_path)


def book_notebooks(repo: Path = REPO) -> list[str]:
    """Every notebook page of the book (lessons and student exercises), in table-of-contents
    order, as paths relative to the repository (``notebooks/01-....ipynb``)."""
    import yaml

    repo = Path(repo)
    with (repo / "_toc.yml").open(encoding="utf-8") as f:
        toc = yaml.safe_load(f)
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            file = node.get("file")
            if isinstance(file, str) and (repo / f"{file}.ipynb").is_file():
                found.append(f"{file}.ipynb")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return found


def nbgitpuller_url(launch: Launch, notebook: str) -> str:
    """The link that opens ``notebook`` (a path in the repository, with ``/``) on the hub."""
    if not isinstance(launch, Launch):
        raise TypeError(f"launch must be a Launch(...); got {type(launch).__name__}.")
    path = PurePosixPath(notebook) if isinstance(notebook, str) else None
    if (path is None or path.is_absolute() or ".." in path.parts or "\\" in notebook
            or path.suffix != ".ipynb"):
        raise ValueError("notebook must be a notebook's path inside the repository, like "
                         f"notebooks/01-ignorance-arrogance-irrelevance.ipynb; got {notebook!r}.")
    urlpath = f"{INTERFACES[launch.interface]}/{launch.folder / path}"
    query = urlencode({"repo": launch.repo, "urlpath": urlpath, "branch": launch.branch},
                      safe="/")
    return f"{launch.hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m socialkit.site.launch",
        description="Print the JupyterHub (nbgitpuller) link of every lesson and exercise.")
    parser.add_argument("notebooks", nargs="*",
                        help="paths inside the repository (default: every notebook of the book)")
    parser.add_argument("--hub", help="the hub's address (default: launch_buttons.jupyterhub_url)")
    parser.add_argument("--parent-path", default="",
                        help="the hub's NBGITPULLER_PARENTPATH, if it sets one")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown list of links")
    args = parser.parse_args(argv)
    try:
        launch = from_config(hub_url=args.hub, parent_path=args.parent_path)
        paths = args.notebooks or book_notebooks()
        missing = [p for p in paths if not (REPO / p).is_file()]
        if missing:
            raise ValueError(f"No such notebook in the repository: {', '.join(missing)}")
        links = [(p, nbgitpuller_url(launch, p)) for p in paths]
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    for path, url in links:
        print(f"- [{PurePosixPath(path).stem}]({url})" if args.markdown else f"{path}\t{url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""JupyterHub (nbgitpuller) links: one for every lesson and exercise, each read back the way
nbgitpuller reads it, and the same as the link the book's launch button shows."""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from socialkit.site import launch

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
HUB = CONFIG["launch_buttons"]["jupyterhub_url"].rstrip("/")
REPO_URL = CONFIG["repository"]["url"]
BRANCH = CONFIG["repository"]["branch"]


def read_like_nbgitpuller(url: str) -> dict:
    """What a hub with nbgitpuller does with the link: the clone folder and the page it opens."""
    parts = urlsplit(url)
    assert parts.path.endswith("/hub/user-redirect/git-pull"), parts.path
    query = parse_qs(parts.query, strict_parsing=True)
    assert all(len(v) == 1 for v in query.values()), query
    query = {k: v[0] for k, v in query.items()}
    assert set(query) == {"repo", "urlpath", "branch"}, query
    return {"hub": f"{parts.scheme}://{parts.netloc}{parts.path[:-len('/hub/user-redirect/git-pull')]}",
            "folder": query["repo"].split("/")[-1],  # nbgitpuller's default target folder
            **query}


def test_every_lesson_and_exercise_of_the_book_has_a_link():
    notebooks = launch.book_notebooks(ROOT)
    lessons = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("*.ipynb"))
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    listed_lessons = [p for p in lessons if p.removesuffix(".ipynb") in toc]
    assert set(listed_lessons) <= set(notebooks) and len(listed_lessons) >= 4
    exercises = [p for p in notebooks if p.startswith("exercises/student/")]
    assert len(exercises) >= 4
    assert all((ROOT / p).is_file() for p in notebooks)


@pytest.mark.parametrize("notebook", launch.book_notebooks(ROOT))
def test_the_link_opens_that_notebook_from_the_configured_repository(notebook):
    url = launch.nbgitpuller_url(launch.from_config(ROOT), notebook)
    got = read_like_nbgitpuller(url)
    assert got["hub"] == HUB
    assert got["repo"] == REPO_URL.rstrip("/") and got["branch"] == BRANCH
    interface, _, rest = got["urlpath"].partition(f"/{got['folder']}/")
    assert interface == "lab/tree", got["urlpath"]  # notebook_interface: jupyterlab
    assert rest == notebook and (ROOT / PurePosixPath(rest)).is_file()


def theme_link(notebook: str) -> str:
    """The JupyterHub link the book's theme (sphinx-book-theme) puts on that notebook's page."""
    from sphinx_book_theme.header_buttons.launch import add_launch_buttons

    org, repo = REPO_URL.rstrip("/").split("/")[-2:]
    pagename = notebook.removesuffix(".ipynb")
    theme = {"launch_buttons": CONFIG["launch_buttons"], "repository_branch": BRANCH,
             "path_to_docs": ""}
    app = SimpleNamespace(
        config={"html_theme_options": theme},
        env=SimpleNamespace(doc2path=lambda name: str(ROOT / f"{name}.ipynb"),
                            metadata={pagename: {"kernelspec": {"name": "python3"}}}))
    context = {"header_buttons": [], "pagename": pagename, "sourcename": notebook,
               "page_source_suffix": ".ipynb", "github_url": "https://github.com",
               "github_user": org, "github_repo": repo}
    add_launch_buttons(app, pagename, "page.html", context, None)
    (group,) = context["header_buttons"]
    (hub,) = [b["url"] for b in group["buttons"] if b["text"] == "JupyterHub"]
    return hub


@pytest.mark.parametrize("notebook", launch.book_notebooks(ROOT))
def test_the_link_is_the_one_the_book_shows(notebook):
    assert launch.nbgitpuller_url(launch.from_config(ROOT), notebook) == theme_link(notebook)


def test_another_hub_and_a_parent_path():
    settings = launch.from_config(ROOT, hub_url="https://hub.example.edu/", parent_path="courses")
    got = read_like_nbgitpuller(launch.nbgitpuller_url(
        settings, "notebooks/01-ignorance-arrogance-irrelevance.ipynb"))
    assert got["hub"] == "https://hub.example.edu"
    assert got["urlpath"] == (f"lab/tree/courses/{got['folder']}/"
                              "notebooks/01-ignorance-arrogance-irrelevance.ipynb")


def test_classic_interface_and_a_git_suffix():
    settings = launch.Launch("https://hub.example.edu", "https://github.com/o/kit.git/", "spring",
                             "classic")
    got = read_like_nbgitpuller(launch.nbgitpuller_url(settings, "notebooks/a b.ipynb"))
    assert got["repo"] == "https://github.com/o/kit.git" and got["folder"] == "kit.git"
    assert got["urlpath"] == "tree/kit.git/notebooks/a b.ipynb" and got["branch"] == "spring"


@pytest.mark.parametrize("kwargs, message", [
    (dict(hub_url="hub.example.edu"), "hub_url must be"),
    (dict(repo_url="not a url"), "repo_url must be"),
    (dict(repo_url="https://github.com/"), "repo_url must be"),
    (dict(branch="main;rm"), "branch must be"),
    (dict(branch="../x"), "branch must be"),
    (dict(interface="retro"), "interface must be one of jupyterlab, classic"),
    (dict(parent_path="/etc"), "parent_path must be"),
    (dict(parent_path="../up"), "parent_path must be"),
])
def test_bad_settings_are_named(kwargs, message):
    args = dict(hub_url="https://hub.example.edu", repo_url="https://github.com/o/r") | kwargs
    with pytest.raises(ValueError, match=message):
        launch.Launch(**args)


@pytest.mark.parametrize("notebook", ["/etc/passwd.ipynb", "../x.ipynb", "notebooks/a.md",
                                      "notebooks\\a.ipynb", 3])
def test_bad_notebook_paths_are_named(notebook):
    with pytest.raises(ValueError, match="notebook must be a notebook's path"):
        launch.nbgitpuller_url(launch.from_config(ROOT), notebook)


def test_command_line(capsys):
    assert launch.main(["--markdown", "notebooks/01-ignorance-arrogance-irrelevance.ipynb"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("- [01-ignorance-arrogance-irrelevance](https://") and "git-pull?" in out
    assert launch.main(["notebooks/nope.ipynb"]) == 2
    assert "No such notebook" in capsys.readouterr().err
    assert launch.main(["--hub", "nope"]) == 2 and "hub_url must be" in capsys.readouterr().err
    assert launch.main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(launch.book_notebooks(ROOT))

"""Sphinx extension: "Try it in your browser" under the title of each lesson and exercise page.

The link opens the page's notebook in the book's in-browser Python (``lite.py`` builds it into
``lite/`` beside the pages) in JupyterLite's notebook view. It is a plain link with a sentence
about where the work is kept: a page loads nothing of the in-browser Python until the reader
follows it. ``make book LITE=0`` (the environment variable ``SOCIALKIT_LITE=0``) builds the site
without the in-browser Python and without these links.
"""
from __future__ import annotations

import html
import os
import posixpath

from .lite import LITE_FOLDER

#: the pages that get the link: their notebooks are in the in-browser site, at the same path
NOTEBOOK_FOLDERS = ("notebooks/", "exercises/student/")


def lite_enabled(environ=os.environ) -> bool:
    """Whether the build includes the in-browser Python (``SOCIALKIT_LITE`` is not ``0``).

    >>> lite_enabled({}), lite_enabled({"SOCIALKIT_LITE": "0"})
    (True, False)
    """
    return environ.get("SOCIALKIT_LITE", "1").strip() != "0"


def lite_href(docname: str) -> str:
    """The link from page ``docname`` to its notebook in the in-browser notebook view.

    >>> lite_href("notebooks/00-python-for-this-book")
    '../lite/notebooks/index.html?path=notebooks/00-python-for-this-book.ipynb'
    """
    up = "../" * docname.count("/")
    return f"{up}{LITE_FOLDER}/notebooks/index.html?path={docname}.ipynb"


def launch_html(docname: str) -> str:
    """The box with the link and what a reader should know before following it."""
    exercise = docname.startswith("exercises/")
    checks = (" Your answers are checked there with the book's own checks: the same hints, "
              "but no score." if exercise else "")
    return (
        '<div class="admonition tip lite-launch">'
        '<p class="admonition-title">Try it in your browser</p>'
        f'<p><a class="reference external" href="{html.escape(lite_href(docname))}">'
        "Open this notebook in your browser</a>: Python runs inside this browser, with nothing to "
        "install and nothing sent anywhere. The first start takes about half a minute."
        f"{checks} Your changes are saved in this browser's storage on this computer; to keep "
        "them elsewhere or hand them in, download the notebook there with <em>File ▸ "
        "Download</em>.</p></div>")


def _add_launch(app, pagename, templatename, context, doctree) -> None:
    if not app.config.socialkit_lite or not pagename.startswith(NOTEBOOK_FOLDERS):
        return
    if posixpath.dirname(pagename) == "" or "body" not in context:
        return
    body, box = context["body"], launch_html(pagename)
    end_of_title = body.find("</h1>")
    context["body"] = (body[:end_of_title + 5] + box + body[end_of_title + 5:]
                       if end_of_title >= 0 else box + body)


def setup(app):
    # A config value, so that switching it rebuilds every page.
    app.add_config_value("socialkit_lite", lite_enabled(), "html")
    app.connect("html-page-context", _add_launch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Course mode: the book without its solutions appendix, and without a link to it.

``make book COURSE=1`` (``python -m socialkit.site.book build --course``) builds the site for a
graded course: ``book.py`` leaves the solutions pages out of the table of contents and turns this
Sphinx extension on (``socialkit_course_mode = True``). The extension then reads every page as it
is parsed and, for each link to a hidden page (a Markdown link or a ``{doc}`` role whose target is
under ``book/solutions/``), removes the whole sentence that holds it: "The sample answer in the
[solutions appendix](...) is one such reply." goes, and the paragraph reads on without it. A
paragraph, list item or list left empty goes too. Anything marked with the class ``self-study``
(``:class: self-study`` on a directive, or a ``{div}`` with that class) is removed as well, for
prose written only for self-study readers.

The prose needs no change for this, so the public book and the course site come from the same
files; ``book.check_course_site`` scans the built pages afterwards as a second line of defence.
"""
from __future__ import annotations

import posixpath
import re

from docutils import nodes

__all__ = ["HIDDEN_PREFIXES", "SELF_STUDY_CLASS", "hidden_target", "drop_sentence", "setup"]

#: pages a course site leaves out (docnames starting with these)
HIDDEN_PREFIXES = ("book/solutions/",)
#: the class that marks prose for self-study readers only
SELF_STUDY_CLASS = "self-study"
#: the end of a sentence: . ! or ? (perhaps followed by a closing quote or bracket) then a space
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*(?=\s|$)")
_SUFFIXES = (".md", ".ipynb", ".html", ".rst")


def hidden_target(target: str, docname: str, prefixes=HIDDEN_PREFIXES) -> bool:
    """Whether a link to ``target`` from page ``docname`` points at a page a course site hides.

    ``target`` may be a docname (``book/solutions/01-x``), a path relative to the page
    (``../solutions/01-x.md``, ``solutions/01-x``) or from the book's root (``/book/...``), with
    or without an ``#anchor``.
    """
    target = str(target or "").split("#", 1)[0].strip()
    if not target or "://" in target or target.startswith("mailto:"):
        return False
    for suffix in _SUFFIXES:
        if target.endswith(suffix):
            target = target[: -len(suffix)]
            break
    candidates = {posixpath.normpath(target.lstrip("/"))}
    if not target.startswith("/"):
        candidates.add(posixpath.normpath(posixpath.join(posixpath.dirname(docname), target)))
    return any(c.startswith(p) for c in candidates for p in prefixes)


def _link_target(node) -> str | None:
    if node.tagname == "pending_xref":
        return node.get("reftarget")
    if isinstance(node, nodes.reference) and not node.get("refid"):
        return node.get("refuri")
    return None


def _remove(node) -> None:
    """Remove ``node``, then any paragraph, list item or list it leaves empty."""
    parent = node.parent
    parent.remove(node)
    while isinstance(parent, (nodes.list_item, nodes.bullet_list, nodes.enumerated_list)) \
            and not parent.children and parent.parent is not None:
        grand = parent.parent
        grand.remove(parent)
        parent = grand


def drop_sentence(link) -> None:
    """Remove the sentence of the paragraph that holds ``link`` (the whole paragraph if it is one
    sentence); outside a paragraph, keep the link's words and drop only the link."""
    child = link
    while child.parent is not None and not isinstance(child.parent, nodes.paragraph):
        child = child.parent
    para = child.parent
    if para is None:
        link.replace_self(nodes.inline("", link.astext()))
        return
    children = list(para.children)
    index = children.index(child)
    start = (0, None)  # (child index, cut position in that Text); None: from its start
    for i in range(index - 1, -1, -1):
        if isinstance(children[i], nodes.Text):
            ends = list(_SENTENCE_END.finditer(str(children[i])))
            if ends:
                start = (i, ends[-1].end())
                break
    end = (len(children) - 1, None)  # None: to its end
    for j in range(index + 1, len(children)):
        if isinstance(children[j], nodes.Text):
            found = _SENTENCE_END.search(str(children[j]))
            if found:
                end = (j, found.end())
                break
    kept = children[:start[0]]
    if start[1] is not None:
        kept.append(nodes.Text(str(children[start[0]])[:start[1]]))
    if end[1] is not None:
        rest = str(children[end[0]])[end[1]:]
        if rest.strip():
            kept.append(nodes.Text(rest if kept else rest.lstrip()))
    kept += children[end[0] + 1:]
    if not "".join(n.astext() for n in kept).strip():
        _remove(para)
        return
    para.children = []
    para.extend(kept)


def _course_page(app, doctree) -> None:
    if not app.config.socialkit_course_mode:
        return
    docname = app.env.docname
    for node in list(doctree.findall(nodes.Element)):
        if SELF_STUDY_CLASS in node.get("classes", ()) and node.parent is not None:
            _remove(node)
    links = [n for n in doctree.findall(nodes.Element)
             if (target := _link_target(n)) and hidden_target(target, docname)]
    for link in links:
        if link.parent is not None and any(True for _ in doctree.findall(lambda n: n is link)):
            drop_sentence(link)


def setup(app):
    app.add_config_value("socialkit_course_mode", False, "env")
    app.connect("doctree-read", _course_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

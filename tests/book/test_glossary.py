"""The glossary (book/glossary.md): the words issue 21 lists, every {term} link resolving, and
each glossary word linked where a lesson (Chapters 0 to 8) or the session plans first use it, and
in a lesson only there.

Sphinx's glossary directive makes each unindented line of its body a term and the indented lines
below it the definition; a ``{term}`text <target>``` or ``{term}`target``` role links to a term,
ignoring case (Sphinx's ``std`` domain looks terms up in lower case). The book build fails on a
role whose term does not exist; this test says which one, without a build.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support.prose import glossary_terms

REPO = Path(__file__).resolve().parents[2]
ROLE = re.compile(r"\{term\}`([^`<]*?)(?:\s*<([^>`]+)>)?`")
#: Words issue 21 asks the glossary to explain (and the jargon around them).
REQUIRED = ("ln", "regression", "seed", "held out", "Strava", "lag", "correlation", "confounding",
            "synthetic data", "Bass model", "p and q", "vanity metric", "leading metric",
            "outcome metric", "blindspot", "kernel")
#: Directives whose body is prose the reader reads (a lesson's objectives, a dropdown).
PROSE_DIRECTIVES = ("admonition", "dropdown", "note", "tip", "important", "warning")
#: Pages that promise a link where a glossary word is first used.
FIRST_USE_PAGES = ("book/session-plans.md", "book/references.md",
                   "book/rubrics/00-python-for-this-book.md",
                   *sorted(p.relative_to(REPO).as_posix() for p in REPO.glob("notebooks/0[0-8]-*.ipynb")))


def prose(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def targets(text: str) -> list[str]:
    return [(target or shown).strip().lower() for shown, target in ROLE.findall(text)]


def pages() -> list[Path]:
    return sorted([*REPO.glob("book/**/*.md"), *REPO.glob("notebooks/*.ipynb"),
                   *REPO.glob("exercises/*.ipynb")])


def test_the_glossary_explains_the_words_the_issue_lists():
    terms = glossary_terms()
    missing = [word for word in REQUIRED if word.lower() not in terms]
    assert not missing, f"book/glossary.md does not explain {missing}"
    short = [t for t, definition in terms.items() if len(definition.split()) < 12]
    assert not short, f"these entries need a real explanation: {short}"
    assert re.search(r"^\s*- file: book/glossary$", (REPO / "_toc.yml").read_text(), re.MULTILINE)


def test_every_term_link_in_the_book_has_an_entry():
    terms = glossary_terms()
    broken = {f"{p.relative_to(REPO)}: {t}" for p in pages() for t in targets(prose(p))
              if t not in terms}
    assert not broken, f"{{term}} links to words the glossary does not define: {sorted(broken)}"


def unfenced(text: str) -> str:
    """``text`` without its fenced blocks, except the bodies of :data:`PROSE_DIRECTIVES`
    (their opening line, with its title, and their ``:option:`` lines go too)."""
    kept, fence, prose_box = [], None, False
    for line in text.splitlines():
        opener = re.match(r"^(`{3,})(.*)$", line)
        if fence is None and opener:
            fence, prose_box = opener[1], bool(re.match(rf"\{{({'|'.join(PROSE_DIRECTIVES)})\}}", opener[2]))
            kept.append(" ")
        elif fence is not None and line.strip() == fence:
            fence = None
            kept.append(" ")
        elif fence is None or (prose_box and not re.match(r"^:[\w-]+:", line)):
            kept.append(line)
    return "\n".join(kept)


def readable(text: str) -> str:
    """``text`` without headings and quoted titles (they link to nothing), code, maths and menu
    paths (``*Kernel → Restart*``), and with every {term} role replaced by a marker ``⟦target⟧``.
    The body of a box of prose (a lesson's objectives, a dropdown) is read: the reader reads it,
    often first; its title line and options are not."""
    text = ROLE.sub(lambda m: f"⟦{(m[2] or m[1]).strip().lower()}⟧", text)
    text = re.sub(r"^#.*$", " ", text, flags=re.MULTILINE)
    text = unfenced(text)
    text = re.sub(r"`[^`]*`|\$[^$]*\$|\*[^*\n]*→[^*\n]*\*|\"[^\"\n]*\"|“[^”\n]*”", " ", text)
    return text


@pytest.mark.parametrize("page", FIRST_USE_PAGES)
def test_glossary_words_are_linked_where_first_used(page):
    text = readable(prose(REPO / page))
    unlinked = []
    for term in glossary_terms():
        plain = re.search(rf"(?<![\w⟦]){re.escape(term)}(?:s|es)?(?![\w⟧])", text, flags=re.IGNORECASE)
        linked = text.find(f"⟦{term}⟧")
        if plain and (linked < 0 or plain.start() < linked):
            unlinked.append(f"{term!r} near {text[max(0, plain.start() - 40):plain.end() + 20]!r}")
    assert not unlinked, f"{page} uses glossary words before (or without) linking them:\n" + \
        "\n".join(unlinked)


@pytest.mark.parametrize("page", [p for p in FIRST_USE_PAGES if p.startswith("notebooks/")])
def test_a_lesson_links_each_word_once(page):
    """Only the first use is linked: a lesson that links a word again and again clutters the page."""
    linked = targets(prose(REPO / page))
    again = sorted({t for t in linked if linked.count(t) > 1})
    assert not again, f"{page} links these glossary words more than once: {again}"


def test_readable_marks_roles_and_drops_code():
    text = readable('# A lag\nA {term}`lag` and {term}`Seeds <seed>`; `lag` in code; *Kernel → Restart*; "Kernel".')
    assert text.startswith(" \nA ⟦lag⟧ and ⟦seed⟧;") and "code" in text and "Kernel" not in text


def test_readable_keeps_boxes_of_prose_and_drops_code_blocks():
    text = readable("```{admonition} In this chapter you will\n:class: tip\n- compute a correlation\n```\n"
                    "```python\nlag = 1\n```\nA {term}`lag`.")
    assert "compute a correlation" in text and "chapter" not in text and "class" not in text
    assert "lag = 1" not in text and "A ⟦lag⟧." in text

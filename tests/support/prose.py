"""The book's prose as tests read it: every page, lesson, exercise and quiz a reader sees.

Shared by the tests that read the prose as a reader would (tests/prose: no page copies an
article; tests/data/test_case.py and tests/book: every page tells the case's one story).

Notebook cells and quiz strings are joined, line breaks inside a paragraph collapsed, paragraph
breaks and table rows kept; :func:`sentences` splits the result into sentences and table cells.
The glossary's words (:func:`glossary_terms`) are here too: the book's tests check the links to
them, and the JupyterLab test knows them.
"""
from __future__ import annotations

import ast
import json
import re
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: Every file a reader sees as the book's prose (the globs of tests/test_sources.py).
GLOBS = ("book/**/*.md", "notebooks/*.ipynb", "exercises/*.ipynb", "exercises/student/**/*.ipynb",
         "socialkit/interactive/quizzes/*.json")


#: The book's glossary: a MyST ``{glossary}`` directive of terms and their definitions.
GLOSSARY = REPO / "book" / "glossary.md"


def prose_files() -> list[Path]:
    return sorted({p for pattern in GLOBS for p in REPO.glob(pattern) if p.is_file()})


def rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def strings(value) -> list[str]:
    """Every string in a JSON value (a quiz file), in order."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in strings(item)] if isinstance(value, list) else []


@lru_cache(maxsize=None)
def text_of(path: Path) -> str:
    """A file's prose: notebook cells and quiz strings joined, whitespace inside paragraphs collapsed."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        raw = "\n\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                          for c in json.loads(raw)["cells"])
    elif path.suffix == ".json":
        raw = "\n\n".join(strings(json.loads(raw)))
    paragraphs = re.split(r"\n[ \t]*\n", raw)
    return "\n\n".join(re.sub(r"\s*\n\s*(?!\||[-*] |\d+\. )", " ", p).strip() for p in paragraphs)


def sentences(text: str) -> list[str]:
    """Sentences, list items and table cells (a rough split that never joins two paragraphs)."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z*“\"(])|\n+|\|", text) if s.strip()]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def glossary_terms() -> dict[str, str]:
    """Term (lower case) -> its definition, read from the glossary directive."""
    text = GLOSSARY.read_text(encoding="utf-8")
    body = re.search(r"```\{glossary\}\n(.*?)\n```", text, flags=re.DOTALL)
    assert body, "book/glossary.md has no ```{glossary} block"
    terms, current = {}, None
    for line in body[1].splitlines():
        if not line.strip() or line.startswith(":"):
            continue
        if line.startswith((" ", "\t")):
            assert current, f"a definition before any term: {line!r}"
            terms[current] += line.strip() + " "
        else:
            current = line.strip().lower()
            assert current not in terms, f"{line!r} is defined twice"
            terms[current] = ""
    return terms


def calls(source: str) -> list[tuple[str, list]]:
    """(dotted name, literal positional arguments) of every call in a code cell."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            parts, func = [], node.func
            while isinstance(func, ast.Attribute):
                parts.append(func.attr)
                func = func.value
            if isinstance(func, ast.Name):
                args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
                found.append((".".join([func.id, *reversed(parts)]), args))
    return found

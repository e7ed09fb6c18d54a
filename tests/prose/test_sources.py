"""The book's own words: no page copies a run of eight or more words from a source article.

The kit explains five short articles (``../shared/sources/``) in its own words and quotes at most
a few words, in quotation marks and with credit. This test reads every book page, lesson
notebook, exercise notebook (masters and student copies), rubric and quiz and fails on any run
of :data:`RUN` words that also occurs in an article, outside quotation marks (and, on the
references page, outside the titles of the works it lists). Words are compared in lower case
with punctuation removed, so a copied sentence cannot hide behind a changed comma.

The articles are not part of the repository. Their runs of :data:`RUN` words are kept in
``tests/prose/source_fingerprints.txt`` as short one-way hashes (no text of the articles), so the test
also runs where the articles are absent; where they are present, the test first checks that the
fingerprints are current. After a change to the articles, rewrite the file with
``PYTHONPATH=tests python tests/prose/test_sources.py``.
"""
from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import re
import sys
import tokenize
from pathlib import Path

import pytest

from support.prose import REPO, prose_files, strings

#: Words in a row that count as copying.
RUN = 8
REFERENCES = "book/references.md"
FINGERPRINTS = Path(__file__).with_name("source_fingerprints.txt")


def sources_dir() -> Path | None:
    """The articles' folder: $SOCIALKIT_SOURCES, or ``../shared/sources`` beside the repository."""
    for candidate in (os.environ.get("SOCIALKIT_SOURCES"), REPO.parent / "shared" / "sources"):
        if candidate and Path(candidate).is_dir() and any(Path(candidate).glob("*.txt")):
            return Path(candidate)
    return None


# --- words and runs ------------------------------------------------------------------------------
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def words(text: str) -> list[str]:
    """Lower-case words, punctuation dropped (``"Don’t, Stop!"`` → ``["don't", "stop"]``)."""
    return _WORD.findall(text.lower().translate(_APOSTROPHES))


def fingerprint(run: list[str] | tuple[str, ...]) -> str:
    return hashlib.blake2b(" ".join(run).encode("utf-8"), digest_size=8).hexdigest()


def article_fingerprints(folder: Path) -> dict[str, str]:
    """{fingerprint of each run of RUN words: the article it comes from (its number)}."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.txt")):
        w = words(path.read_text(encoding="utf-8", errors="replace"))
        for i in range(len(w) - RUN + 1):
            found.setdefault(fingerprint(w[i:i + RUN]), path.name.split("_")[0])
    return found


def read_fingerprints(path: Path = FINGERPRINTS) -> dict[str, str]:
    pairs = (line.split() for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#"))
    return {digest: article for article, digest in pairs}


def write_fingerprints(folder: Path, path: Path = FINGERPRINTS) -> int:
    found = article_fingerprints(folder)
    lines = ["# Hashes (blake2b, 8 bytes) of every run of 8 words in the source articles, for",
             "# tests/prose/test_sources.py. No text of the articles. Rewrite: PYTHONPATH=tests python tests/prose/test_sources.py"]
    lines += [f"{article} {digest}" for digest, article in sorted(found.items(), key=lambda kv: (kv[1], kv[0]))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(found)


# --- what counts as the kit's own prose ---------------------------------------------------------
#: Quoted words ("…" or “…”, over several lines too) are quotations, not copying; a URL is an address.
_QUOTED = re.compile(r'"[^"]{0,400}"|“[^”]{0,400}”')
_URL = re.compile(r"<?https?://\S+>?")
#: On the references page the titles of the works are listed as they are: headings and *titles*.
_HEADING = re.compile(r"^#+ .*$", re.MULTILINE)
_ITALIC = re.compile(r"(?<![*\w])\*[^*\s][^*]{0,300}?\*(?![*\w])")
_BREAK = "\n¦\n"  # a run never spans a removed passage


def own_words(text: str, *, references: bool = False) -> str:
    """``text`` with quotations, addresses (and, on the references page, titles) taken out."""
    text = _URL.sub(_BREAK, text)
    text = _QUOTED.sub(_BREAK, text)
    if references:
        text = _HEADING.sub(_BREAK, text)
        text = _ITALIC.sub(_BREAK, text)
    return text


def _code_text(source: str) -> list[str]:
    """The strings and comments of a code cell: the only prose in code."""
    parts = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING:
                try:
                    parts.append(str(ast.literal_eval(token.string)))
                except (ValueError, SyntaxError):
                    parts.append(token.string)
            elif token.type == tokenize.COMMENT:
                parts.append(token.string.lstrip("#"))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [source]
    return parts


def passages(path: Path) -> list[str]:
    """The pieces of prose in one file, each checked on its own."""
    text = path.read_text(encoding="utf-8")
    references = path.relative_to(REPO).as_posix() == REFERENCES
    if path.suffix == ".ipynb":
        pieces = []
        for cell in json.loads(text)["cells"]:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            pieces += _code_text(source) if cell["cell_type"] == "code" else [source]
    elif path.suffix == ".json":
        pieces = strings(json.loads(text))
    else:
        pieces = [text]
    return [own_words(piece, references=references) for piece in pieces]


def reference_titles(path: Path | None = None) -> list[tuple[str, ...]]:
    """The titles of the works on the references page (its headings, *italic* and quoted titles),
    as words: a title cited anywhere in the book is a name, not copied prose."""
    text = (path or REPO / REFERENCES).read_text(encoding="utf-8")
    spans = _HEADING.findall(text) + _ITALIC.findall(text) + _QUOTED.findall(text)
    return sorted({tuple(words(span)) for span in spans if len(words(span)) >= RUN})


def _without_titles(w: list[str], titles) -> list[list[str]]:
    """``w`` split into the stretches between occurrences of any title."""
    cut = [False] * len(w)
    for title in titles:
        n = len(title)
        for i in range(len(w) - n + 1):
            if tuple(w[i:i + n]) == title:
                cut[i:i + n] = [True] * n
    pieces, current = [], []
    for word, is_title in zip(w, cut):
        if is_title:
            pieces.append(current)
            current = []
        else:
            current.append(word)
    return pieces + [current]


def copied_runs(text: str, known: dict[str, str], titles=()) -> list[tuple[str, str]]:
    """Each longest stretch of ``text`` built of runs of RUN words found in ``known``, leaving
    out the ``titles`` of works: (the words, the article)."""
    found = []
    for w in (piece for chunk in text.split("¦") for piece in _without_titles(words(chunk), titles)):
        hit = [known.get(fingerprint(w[i:i + RUN])) for i in range(len(w) - RUN + 1)]
        i = 0
        while i < len(hit):
            if hit[i] is None:
                i += 1
                continue
            j = i
            while j + 1 < len(hit) and hit[j + 1] is not None:
                j += 1
            found.append((" ".join(w[i:j + RUN]), hit[i]))
            i = j + 1
    return found


# --- the tests -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def known() -> dict[str, str]:
    return read_fingerprints()


@pytest.fixture(scope="module")
def titles() -> list[tuple[str, ...]]:
    return reference_titles()


def test_fingerprints_are_current():
    folder = sources_dir()
    if folder is None:
        pytest.skip("the source articles are not here (set SOCIALKIT_SOURCES); the committed "
                    "fingerprints are used as they are")
    assert article_fingerprints(folder) == read_fingerprints(), (
        "tests/prose/source_fingerprints.txt is out of date with the articles: run "
        "PYTHONPATH=tests python tests/prose/test_sources.py")


def test_the_globs_find_the_book():
    names = {p.relative_to(REPO).as_posix() for p in prose_files()}
    assert {REFERENCES, "book/intro.md", "notebooks/01-ignorance-arrogance-irrelevance.ipynb",
            "socialkit/interactive/quizzes/01-ignorance-arrogance-irrelevance.json"} <= names
    assert any(n.startswith("book/rubrics/") for n in names)
    assert any(n.startswith("exercises/student/") for n in names)


@pytest.mark.parametrize("path", prose_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_run_of_eight_words_from_an_article(path, known, titles):
    copied = [run for piece in passages(path) for run in copied_runs(piece, known, titles)]
    assert not copied, (f"{path.relative_to(REPO)} shares runs of {RUN} or more words with a source "
                        "article. Say it in the book's own words, or quote a few words in quotation "
                        "marks with credit:\n" + "\n".join(f"  article {a}: “{run}”" for run, a in copied))


# --- the rule itself ---------------------------------------------------------------------------
ARTICLE = ("Social media marketing is about sharing and caring, not relentless sales hype and "
           "leveraging of brand promotions.")
FAKE = {fingerprint(r): "009" for r in (tuple(words(ARTICLE)[i:i + RUN])
                                        for i in range(len(words(ARTICLE)) - RUN + 1))}


@pytest.mark.parametrize("text, copied", [
    ("Remember: social-media MARKETING is about sharing, and caring; not relentless hype.",
     ["social media marketing is about sharing and caring not relentless"]),
    ("Marketing is about sharing and caring, they say, not hype.", []),  # seven words
    ('The post says it is "about sharing and caring, not relentless sales hype" and more.', []),
    ("As the post puts it, “social media marketing is about sharing and caring”.", []),
    ("Social media marketing is about\nsharing and caring, not relentless sales hype. Then more.",
     ["social media marketing is about sharing and caring not relentless sales hype"]),
])
def test_runs_are_found_whatever_the_case_punctuation_and_line_breaks(text, copied):
    assert [run for run, _ in copied_runs(own_words(text), FAKE)] == copied


def test_titles_are_listed_on_the_references_page_and_named_anywhere(tmp_path):
    title = "*Social media marketing is about sharing and caring*"
    assert copied_runs(own_words(title, references=True), FAKE) == []
    assert copied_runs(own_words(title), FAKE) != []
    assert copied_runs(own_words("## Social media marketing is about sharing and caring",
                                 references=True), FAKE) == []
    page = tmp_path / "references.md"
    page.write_text("### Social media marketing is about sharing and caring\n\nA blog post.\n")
    cited = "As *Social Media Marketing Is About Sharing and Caring* argues, it is not relentless."
    assert copied_runs(own_words(cited), FAKE, reference_titles(page)) == []
    assert copied_runs(own_words(cited), FAKE) != []


def test_the_references_page_lists_the_long_titles():
    assert tuple(words("Why Brands are Getting it Wrong in Social Media")) in reference_titles()


def test_code_cells_contribute_only_their_strings_and_comments(tmp_path, monkeypatch):
    nb = {"cells": [{"cell_type": "code", "source": [
        "x = 1  # social media marketing is about sharing and caring, not\n",
        "print('relentless sales hype and leveraging of brand promotions')\n"]}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    runs = [run for piece in passages(path) for run, _ in copied_runs(piece, FAKE)]
    assert runs == ["social media marketing is about sharing and caring not",
                    "relentless sales hype and leveraging of brand promotions"]


if __name__ == "__main__":
    folder = sources_dir()
    if folder is None:
        sys.exit("No source articles found: set SOCIALKIT_SOURCES to their folder.")
    print(f"Wrote {write_fingerprints(folder)} fingerprints from {folder} to {FINGERPRINTS}.")

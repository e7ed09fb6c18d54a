"""Identical and near-identical written answers, grouped so that one decision scores them all.

Two answers are **identical** when they are the same words once case, punctuation and spacing
are set aside (``"Join now!"`` and ``"join now."``). They are **near-identical** when their word
3-grams (the "shingles" of Broder's near-duplicate detection) overlap with a Jaccard similarity
of at least ``NEAR`` (0.7).

Why 0.7: changing one word of an answer changes the three 3-grams that hold it, so an answer of
``n`` words with ``k`` words changed here and there keeps a similarity of about
``(n - 2 - 3k) / (n - 2 + 3k)``. At 0.7 that allows ``k`` up to about one word in seventeen
(seven words of a 120-word reply: a copied answer with light edits), while two answers written
independently to the same prompt share only a few stock phrases: chapter 1's sample reply to
Maya and three other replies to the same question reach 0.03 at most, and a copy with one word
in eight changed falls to 0.46, a different answer to score on its own
(``tests/grading/test_desk_groups.py`` checks both sides). Answers shorter than
``MIN_WORDS`` words are grouped only when identical: a short answer has too few 3-grams for a
similarity to mean anything ("Join now." and "Wait now." share none yet say opposite things).

Each group starts from its first answer (in the page's order) and takes every later answer
similar to that first one, never by a chain of answers each a little different from the last,
so a group never drifts from the answer it is named after.

>>> [g.members for g in group_answers({"a": "Join now!", "b": "join  now.", "c": "Wait."})]
[('a', 'b'), ('c',)]
>>> round(similarity("one two three four five", "one two three four six"), 2)
0.5
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["NEAR", "MIN_WORDS", "Group", "words", "similarity", "group_answers"]

#: the least Jaccard similarity of word 3-grams for two answers to count as near-identical
NEAR = 0.7
#: answers with fewer words than this are grouped only when identical
MIN_WORDS = 12
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class Group:
    """Answers scored by one decision: ``members`` (labels, in page order) and how alike they are."""

    members: tuple[str, ...]
    kind: str                       # "single", "identical" or "near" (at least one is not identical)
    alike: dict                     # member -> similarity to the first member (1.0: identical)


def words(text: str) -> list[str]:
    """The answer's words, lower case, without punctuation: what grouping compares."""
    return _WORD.findall(text.casefold())


def _shingles(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + 3]) for i in range(max(len(tokens) - 2, 1))}


def _jaccard(x: list[str], y: list[str], sx: set, sy: set) -> float:
    if x == y:
        return 1.0
    return len(sx & sy) / len(sx | sy) if sx | sy else 0.0


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two answers' word 3-grams (1.0 for the same words)."""
    x, y = words(a), words(b)
    return _jaccard(x, y, _shingles(x), _shingles(y))


def group_answers(texts: dict[str, str | None], near: float = NEAR) -> list[Group]:
    """Group the answers ``{label: text}`` (in page order). ``None`` or blank text (no answer,
    or none could be read) is never grouped with anything. Groups come in the order of their
    first member."""
    if not 0 < near <= 1:
        raise ValueError(f"near must be a similarity above 0 and at most 1; got {near!r}.")
    groups: list[tuple[tuple | None, list[str], dict]] = []     # (first's words and 3-grams, members, alike)
    for label, text in texts.items():
        tokens = words(text or "")
        if not tokens:
            groups.append((None, [label], {label: 1.0}))
            continue
        mine = (tokens, _shingles(tokens))
        for first, members, alike in groups:
            if first is None:
                continue
            score = _jaccard(first[0], tokens, first[1], mine[1])
            short = min(len(first[0]), len(tokens)) < MIN_WORDS
            if score == 1.0 or (not short and score >= near):
                members.append(label)
                alike[label] = round(score, 3)
                break
        else:
            groups.append((mine, [label], {label: 1.0}))
    return [Group(tuple(members), "single" if len(members) == 1 else
                  "identical" if all(v == 1.0 for v in alike.values()) else "near", alike)
            for _, members, alike in groups]

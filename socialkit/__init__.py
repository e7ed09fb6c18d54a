"""socialkit: the helper library of *Customers, Not Channels*.

Notebooks import it in one setup cell; the logic they use lives here, tested. The package is
in layers, and imports run downwards only (the table in ``socialkit/README.md``, enforced by
``tests/package/test_layers.py``)::

    site/         the offline book build, its Sphinx tweaks, page weight, the kit's commands
    course/       otter assign, the friendly answer checks; grading/: batch grading
    ──────────────────────────────────────────────────────────────────────
    apps/         the chapter applications: blindspot self-audit, capstone plan and report
    ──────────────────────────────────────────────────────────────────────
    figures/      each chapter's scenes and alt-text descriptions (matplotlib)
    interactive/  static-capable sliders, worksheets, quizzes, the plot style
    ──────────────────────────────────────────────────────────────────────
    models/       pure numpy/pandas models, one module per chapter idea
    data/         the case business, the shipped data, seeded generators

``socialkit/README.md`` has one line per module and says where a new chapter's parts go.
Lessons keep short imports: ``from socialkit import bass, quiz`` gives the modules below,
imported only when first used (so that grading code does not pay for matplotlib).
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Short names that lessons and exercises use, and the module each one stands for.
SHORT_NAMES = {
    "bass": "socialkit.models.bass",
    "relevance": "socialkit.models.relevance",
    "channels": "socialkit.models.channels",
    "statements": "socialkit.models.statements",
    "listening": "socialkit.models.listening",
    "content": "socialkit.models.content",
    "outcomes": "socialkit.models.outcomes",
    "blindspots": "socialkit.models.blindspots",
    "case": "socialkit.data.case",
    "posts": "socialkit.data.posts",
    "style": "socialkit.interactive.style",
    "widgets": "socialkit.interactive.widgets",
    "quiz": "socialkit.interactive.quiz",
    "variants": "socialkit.course.variants",
    "worksheet": "socialkit.interactive.worksheet",
}
__all__ = sorted(SHORT_NAMES)


def __getattr__(name: str):
    if name in SHORT_NAMES:
        module = importlib.import_module(SHORT_NAMES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'socialkit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(SHORT_NAMES))

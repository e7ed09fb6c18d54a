"""The chapter applications: what a reader fills in and gets back, built from figures and widgets.

Chapter 7's blindspot self-audit (:mod:`.audit`), the capstone's one-page plan assembled from the
reader's saved worksheets (:mod:`.plan`) and its export as Markdown, HTML and PDF (:mod:`.report`).
They sit above ``figures`` and ``interactive`` and use both (``tests/package/test_layers.py``).
"""

"""Pure numpy/pandas models, one module per chapter idea.

They import no widget, no figure, no grading and no book code (``tests/package/test_layers.py``).
"""

"""The case business (its facts held once), the shipped data sets and seeded generators of synthetic data.

The floor of the package: nothing here imports a model, a widget, a figure, grading or the book
(``tests/package/test_layers.py``). The shipped CSV files are in ``datasets/`` (described in
``datasets/README.md``); ``make data`` regenerates the synthetic ones from their seeded generators
(``python -m socialkit.data.posts`` and ``python -m socialkit.data.outcomes``).
"""

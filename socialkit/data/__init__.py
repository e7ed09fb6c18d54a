"""The case business (its facts held once), the shipped data sets and seeded generators of synthetic data.

Like ``models``, the bottom layer: nothing here imports widgets, figures, grading or the book.
"""

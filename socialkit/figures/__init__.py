"""Figures and slider explorers for the lessons, one module per concept.

Each module has ``draw_*`` functions (draw on a matplotlib axes), ``describe_*`` functions
(the alt text of that figure, with its numbers) and ``*_explorer`` functions that build the
lesson's slider widget from them with :func:`socialkit.interactive.widgets.explorer`.
"""

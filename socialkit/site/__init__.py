"""The offline book build, its Sphinx tweaks, and the page-weight measurement.
"""

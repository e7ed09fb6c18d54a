"""Generate posts.csv: a synthetic year of customer posts about Cobble & Chain Cycles.

    python data/make_posts.py --seed 2026

writes the shipped file, ``socialkit/data/datasets/posts.csv`` (the package's data folder,
``socialkit.data.paths.DATA_DIR``, so that it ships with ``pip install``); ``--out FILE``
writes elsewhere.

Every post is invented. The generator lives in ``socialkit.data.posts.make_posts`` (so notebooks
and the exercise's tests can regenerate the data with any seed); this script is its command line.
"""
import sys

from socialkit.data.posts import main

if __name__ == "__main__":
    sys.exit(main())

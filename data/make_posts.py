"""Generate data/posts.csv: a synthetic year of customer posts about Cobble & Chain Cycles.

    python data/make_posts.py --seed 2026 --out data/posts.csv

Every post is invented. The generator lives in ``socialkit.data.posts.make_posts`` (so notebooks
and the exercise's tests can regenerate the data with any seed); this script is its command line.
"""
import sys

from socialkit.data.posts import main

if __name__ == "__main__":
    sys.exit(main())

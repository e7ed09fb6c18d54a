"""Generate outcomes.csv: two synthetic years of Cobble & Chain's weekly social media figures and bookings.

    python data/make_outcomes.py --seed 2026

writes the shipped file, ``outcomes.csv`` in the package's data folder
(``socialkit.data.paths.DATA_DIR``, so that it ships with ``pip install``); ``--out FILE`` writes
elsewhere.

Every figure is invented, from a known causal structure (see ``socialkit.data.outcomes``). The
generator lives in ``socialkit.data.outcomes.make_outcomes`` (so notebooks and the exercise's
tests can regenerate the data with any seed and other structures); this script is its command line.
"""
import sys

from socialkit.data.outcomes import main

if __name__ == "__main__":
    sys.exit(main())

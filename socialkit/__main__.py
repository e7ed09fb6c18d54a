"""``python -m socialkit check | lab | links``: see :mod:`socialkit.site.cli`.

Only a door into the top layer (``site/``): the commands themselves live there.
"""
import sys

from socialkit.site.cli import main

if __name__ == "__main__":
    sys.exit(main())

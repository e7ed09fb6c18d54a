"""``python -m socialkit.course.grading``: the same as the ``socialkit-grade`` command."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

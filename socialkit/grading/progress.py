"""A progress bar on stderr: tqdm's when it is installed, otherwise a small one of our own."""
from __future__ import annotations

import sys
import time

__all__ = ["progress_bar"]


class _Bar:
    """Enough of tqdm's interface (update, write, close) for the grader."""

    def __init__(self, total: int, desc: str, disable: bool, file=None):
        self.total, self.desc, self.disable = total, desc, disable
        self.file = file or sys.stderr
        self.n = 0
        self.start = time.perf_counter()
        self.tty = getattr(self.file, "isatty", lambda: False)()
        self._draw()

    def _line(self) -> str:
        width = 30
        done = int(width * self.n / self.total) if self.total else width
        elapsed = time.perf_counter() - self.start
        rate = f", {elapsed / self.n:.1f} s each, about {elapsed / self.n * (self.total - self.n):.0f} s left" \
            if self.n else ""
        return f"{self.desc}: [{'#' * done}{'.' * (width - done)}] {self.n}/{self.total}{rate}"

    def _draw(self) -> None:
        if self.disable:
            return
        if self.tty:
            self.file.write("\r" + self._line() + "\033[K")
        elif self.n == self.total or self.n % max(1, self.total // 10) == 0:
            self.file.write(self._line() + "\n")
        self.file.flush()

    def update(self, n: int = 1) -> None:
        self.n += n
        self._draw()

    def write(self, text: str) -> None:
        if self.disable:
            return
        self.file.write(("\r\033[K" if self.tty else "") + text + "\n")
        self._draw()

    def close(self) -> None:
        if not self.disable and self.tty:
            self.file.write("\n")
            self.file.flush()


def progress_bar(total: int, desc: str, disable: bool = False):
    try:
        from tqdm import tqdm
    except ImportError:
        return _Bar(total, desc, disable)
    return tqdm(total=total, unit="notebook", desc=desc, disable=disable, file=sys.stderr,
                dynamic_ncols=True)

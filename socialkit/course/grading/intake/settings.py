"""What the instructor told the grader once about a grade folder, remembered in it: ``OUT/settings.json``.

* ``private``: the instructor's private file (the TOML of ``make assign PRIVATE=...``), named once
  with ``--private FILE`` (``make grade PRIVATE=FILE``) and used by every later run on this
  folder, so a ``make clean``, a fresh clone or a container grades with the same data. Only
  its path is kept here, never its contents; ``--public`` forgets it.
* ``anonymise`` and ``order_seed``: blind grading (``--anonymise``, ``make grade BLIND=1``) stays
  on for the folder once chosen, so a re-run never puts real names back on the by-question
  pages while ``manual.csv`` names pseudonyms; ``--no-anonymise`` turns it off on purpose.

The file is plain JSON, written atomically; a file that cannot be read stops the run with a
message naming it (it is never silently replaced).

>>> s = GradeSettings()
>>> s.update(private=None, anonymise=True, order_seed=None)
['blind grading (--anonymise) is on for this folder from now on']
>>> s.anonymise, s.update(private=None, anonymise=None, order_seed=None)
(True, [])
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .store import atomic_write_text

__all__ = ["SETTINGS", "GradeSettings", "load_settings", "save_settings"]

SETTINGS = "settings.json"


@dataclass
class GradeSettings:
    """The choices remembered for one grade folder."""

    private: str | None = None      # the private file's absolute path
    anonymise: bool = False
    order_seed: int | None = None

    def update(self, *, private: Path | None | bool, anonymise: bool | None,
               order_seed: int | None) -> list[str]:
        """Apply what this run was given (``None``: not given, keep what is remembered;
        ``private=False``: forget the private file); returns what changed, in words."""
        said = []
        if private is False and self.private:
            said.append(f"the private file {self.private} is forgotten (--public): grading with the "
                        "public data")
            self.private = None
        elif private:
            path = str(Path(private).expanduser().resolve())
            if path != self.private:
                said.append(f"the private file {path} is remembered for this folder")
            self.private = path
        if anonymise is not None and anonymise != self.anonymise:
            said.append("blind grading (--anonymise) is on for this folder from now on" if anonymise
                        else "blind grading is off for this folder (--no-anonymise): pages name students by id")
            self.anonymise = anonymise
        if order_seed is not None:
            self.order_seed = order_seed
        return said


def load_settings(out_dir: Path) -> GradeSettings:
    """The settings remembered in ``out_dir`` (the defaults if there are none); ``ValueError``
    naming the file if it cannot be read."""
    path = Path(out_dir) / SETTINGS
    if not path.exists():
        return GradeSettings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        settings = GradeSettings(**{k: data[k] for k in asdict(GradeSettings()) if k in data})
    except (OSError, ValueError, TypeError) as error:
        raise ValueError(f"{path} cannot be read ({error}); fix it or delete it (it remembers the "
                         "private file and blind grading for this folder).") from None
    if settings.private is not None and not isinstance(settings.private, str) \
            or not isinstance(settings.anonymise, bool) \
            or settings.order_seed is not None and not isinstance(settings.order_seed, int):
        raise ValueError(f"{path} holds values of the wrong kind; fix it or delete it.")
    return settings


def save_settings(out_dir: Path, settings: GradeSettings) -> Path:
    path = Path(out_dir) / SETTINGS
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, json.dumps(asdict(settings), indent=2) + "\n")
    return path

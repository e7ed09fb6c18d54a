"""An assignment's autograder zip: where to find it, and what it can award.

``make assign`` (``python -m socialkit.course.assign``) writes one zip per exercise to
``_build/assign/<stem>/autograder/<stem>-autograder.zip``. The zip is the single source of truth
for grading: its ``tests/*.py`` hold every public and hidden test with its points, and its
``otter_config.json`` names the assignment, so a notebook of another exercise is recognised.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from ....data import paths

__all__ = ["Question", "Autograder", "ASSIGN_DIR", "available_assignments", "resolve_assignment",
           "load_autograder"]

REPO = paths.REPO
ASSIGN_DIR = REPO / "_build" / "assign"


@dataclass(frozen=True)
class Question:
    """One autograded question: its points and how many public and hidden test cases it has."""

    name: str
    points: float
    public_cases: int
    hidden_cases: int
    public_points: float
    hidden_points: float


@dataclass(frozen=True)
class Autograder:
    """What an autograder zip contains that the grader needs (read once, in the parent)."""

    path: Path
    assignment_name: str | None
    fingerprint: str
    questions: tuple[Question, ...] = field(default_factory=tuple)

    @property
    def possible(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def question_names(self) -> list[str]:
        return [q.name for q in self.questions]

    def question(self, name: str) -> Question:
        for q in self.questions:
            if q.name == name:
                return q
        raise KeyError(name)


def available_assignments(assign_dir: Path = ASSIGN_DIR) -> dict[str, Path]:
    """Autograder zips made by ``make assign``, by assignment stem."""
    found = {}
    for folder in sorted(Path(assign_dir).glob("*/autograder")):
        stem = folder.parent.name
        zip_path = folder / f"{stem}-autograder.zip"
        if zip_path.is_file():
            found[stem] = zip_path
    return found


def resolve_assignment(name: str, assign_dir: Path = ASSIGN_DIR) -> Path:
    """The autograder zip for ``name``: a stem (``01-ignorance-arrogance-irrelevance``), a unique
    prefix of one (``01``), or the path of a zip.

    Raises ``ValueError`` with the available assignments when ``name`` matches none or several.
    """
    if not isinstance(name, str) or not name.strip():
        raise ValueError("ASSIGNMENT must be the name of an exercise, e.g. "
                         "01-ignorance-arrogance-irrelevance (or the path of an autograder zip).")
    name = name.strip()
    as_path = Path(name)
    if name.endswith(".zip"):
        if as_path.is_file():
            return as_path.resolve()
        raise ValueError(f"The autograder zip {name} does not exist.")
    found = available_assignments(assign_dir)
    stem = as_path.name.removesuffix(".ipynb")
    if stem in found:
        return found[stem]
    matches = [s for s in found if s.startswith(stem)]
    if len(matches) == 1:
        return found[matches[0]]
    listed = "\n  ".join(found) or "(none: run `make assign` first)"
    if len(matches) > 1:
        raise ValueError(f"ASSIGNMENT {name!r} matches several exercises; give more of the name:"
                         f"\n  " + "\n  ".join(matches))
    raise ValueError(f"Unknown assignment {name!r}. Autograders made by `make assign` "
                     f"(in {assign_dir}):\n  {listed}")


def _fingerprint(zf: zipfile.ZipFile) -> str:
    """A hash of the zip's member names and contents (not of the zip file, whose timestamps
    change every time ``make assign`` runs): results are reused only under the same autograder."""
    digest = hashlib.sha256()
    for info in sorted(zf.infolist(), key=lambda i: i.filename):
        if info.is_dir():
            continue
        digest.update(info.filename.encode() + b"\0")
        digest.update(hashlib.sha256(zf.read(info)).digest())
    return digest.hexdigest()


def load_autograder(path: Path) -> Autograder:
    """Read an otter autograder zip: its assignment name, a fingerprint, and every question's
    points and test cases (parsed by otter itself, as it will be when grading).

    Raises ``ValueError`` if ``path`` is not an otter autograder zip.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"The autograder zip {path} does not exist.")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ValueError(f"{path} is not a zip file, so not an otter autograder.") from None
    with zf:
        names = zf.namelist()
        tests = sorted(n for n in names if n.startswith("tests/") and n.endswith(".py"))
        if "otter_config.json" not in names or not tests:
            raise ValueError(f"{path} is not an otter autograder zip "
                             "(it needs otter_config.json and tests/*.py).")
        config = json.loads(zf.read("otter_config.json"))
        fingerprint = _fingerprint(zf)
        with tempfile.TemporaryDirectory() as tmp:
            zf.extractall(tmp, members=tests)
            questions = tuple(_read_question(Path(tmp) / t) for t in tests)
    if config.get("lang", "python") != "python":
        raise ValueError(f"{path} grades {config.get('lang')!r} notebooks; only Python is supported.")
    return Autograder(path.resolve(), config.get("assignment_name"), fingerprint, questions)


def _read_question(test_file: Path) -> Question:
    from otter.nbmeta_config import NBMetadataConfig
    from otter.test_files import create_test_file

    test = create_test_file(str(test_file), NBMetadataConfig())
    public = [tc for tc in test.test_cases if not tc.hidden]
    hidden = [tc for tc in test.test_cases if tc.hidden]
    return Question(test.name, float(test.possible), len(public), len(hidden),
                    float(sum(tc.points for tc in public)), float(sum(tc.points for tc in hidden)))

"""``socialkit-grade`` / ``python -m socialkit.course.grading`` / ``make grade``: grade a whole class.

Exit codes: 0 graded (problems with single submissions are reported, not fatal); 1 the grader
itself failed on some submission (status ``error``; re-run to retry them), grades.csv did not
match the records when read back, manual.csv has rows that cannot be merged (each is listed),
or a gradebook export was written but needs the instructor to act (an earlier, larger export kept
as a backup, none written, points to change on the platform); 2 bad arguments, or a gradebook
export refused (written answers not graded yet, see --ungraded); 130 interrupted (what was
graded is kept; re-run to continue).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["build_parser", "main"]

EPILOG = """\
Student ids come from names: a folder per student (<student>/<anything>.ipynb) or
<student>_<anything>.ipynb side by side; --id-pattern replaces that rule. Where an exercise gives
each student their own numbers, each notebook is graded on its student's: the id in the first
--roster that lists the student (Canvas: SIS Login ID, else SIS User ID; Moodle: ID number, else
email), else the id from the name, with the course code of --private FILE. Results go to OUT:
grades.csv, problems.csv, feedback/<student>.md, summary.png and results/ (one signed record
per notebook, reused on a re-run unless --redo), and by-question/: a page per question graded by
hand with every student's answer and the rubric, and manual.csv to fill in; the next run merges
its points into grades.csv and the feedback. The pages are a grading desk: score each answer
there with the rubric's criteria and save manual.csv (`socialkit-grade serve OUT` serves them on
this computer, so Save writes it into the folder). Each student's feedback also goes into
feedback-canvas.zip / feedback-moodle.zip, named for the platform's bulk upload. OUT/settings.json
remembers --private and --anonymise; OUT/choices.csv (student,file) picks the notebook that counts
for a student who handed in several. Each notebook runs in a sandbox of its own;
its hidden tests are judged in a separate clean process that only sees its answers as plain
data. See the instructor guide, "Grading a class".
"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="socialkit-grade",
        description="Grade every submitted notebook of an assignment with its otter autograder's "
                    "tests, in parallel, each notebook in a sandbox with time and memory limits "
                    "and judged by a clean process that never runs student code (no Docker).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("assignment", metavar="ASSIGNMENT",
                   help="exercise name as in _build/assign/ (e.g. 01-ignorance-arrogance-irrelevance, "
                        "or a unique prefix such as 01), or the path of an otter autograder zip")
    p.add_argument("submissions", metavar="SUBMISSIONS", type=Path,
                   help="a folder of submitted notebooks, or the zip your learning platform exports")
    p.add_argument("--out", "-o", type=Path, default=None,
                   help="output folder (default: _build/grades/<assignment>)")
    p.add_argument("--workers", "-j", type=int, default=None,
                   help="submissions graded at the same time (default: the number of cores)")
    p.add_argument("--timeout", type=float, default=600,
                   help="seconds one submission may run in all (default 600)")
    p.add_argument("--cell-timeout", type=float, default=60,
                   help="seconds one cell may run before it is interrupted (default 60)")
    p.add_argument("--test-timeout", type=float, default=10,
                   help="seconds one test case may run before it fails (default 10)")
    p.add_argument("--memory", type=int, default=2048, metavar="MB",
                   help="memory (address space) of each notebook's process, in MB (default 2048)")
    p.add_argument("--id-pattern", default=None, metavar="REGEX",
                   help="regular expression with a group (?P<student>...) searched in each file's "
                        "path inside SUBMISSIONS; replaces the default naming rule")
    p.add_argument("--dask", default=None, metavar="TARGET",
                   help="grade on a Dask cluster, one task per submission with the same limits and "
                        "scores: a scheduler address (tcp://host:8786), 'gateway' or "
                        "'gateway:<cluster name>' (Dask Gateway on a hub), or 'local:N'; --workers then "
                        "sizes a local or new gateway cluster. See the instructor guide, "
                        "\"Grading on a Dask cluster\"")
    p.add_argument("--redo", action="store_true",
                   help="grade every submission again, even those already graded in OUT")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--anonymise", "--anonymize", action="store_const", const=True, default=None,
                   help="by-question pages and new manual.csv rows name students by pseudonyms (the "
                        "key is OUT/pseudonyms.csv) and list answers in a random order; remembered for "
                        "OUT (OUT/settings.json), so later runs stay blind")
    p.add_argument("--no-anonymise", "--no-anonymize", dest="anonymise", action="store_const", const=False,
                   help="turn blind grading off for OUT: pages name students by id again")
    p.add_argument("--private", type=Path, default=None, metavar="FILE",
                   help="the private file of 'make assign PRIVATE=FILE' (keep it outside the "
                        "repository): the autograder is made with it before grading, and OUT "
                        "remembers it, so later runs (after make clean, on a fresh clone) use it too; "
                        "its [course] secret gives the course code each student's numbers are made "
                        "with (default: the code make assign wrote into the autograder)")
    p.add_argument("--public", action="store_true",
                   help="forget the private file remembered for OUT and grade with the public data")
    p.add_argument("--order-seed", type=int, default=None, metavar="N",
                   help="list the answers on the by-question pages in a random order drawn with "
                        "seed N (with --anonymise the default seed is 0)")
    from .outputs.gradebook import add_arguments as add_export_arguments
    add_export_arguments(p, standalone=False)
    return p


def _fail(message: str) -> int:
    print(f"socialkit-grade: error: {message}", file=sys.stderr)
    return 2


def _checked(args):
    """(autograder zip, limits, id patterns) from the arguments; ``ValueError`` naming a bad one."""
    from .engine.runner import Limits
    from .intake.autograder import resolve_assignment
    from .intake.identity import DEFAULT_PATTERNS, compile_pattern

    zip_path = resolve_assignment(args.assignment)
    limits = Limits(timeout=args.timeout, cell_timeout=args.cell_timeout,
                    test_timeout=args.test_timeout, memory_mb=args.memory)
    patterns = (compile_pattern(args.id_pattern),) if args.id_pattern else DEFAULT_PATTERNS
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1; got {args.workers}.")
    if not args.submissions.exists():
        raise ValueError(f"SUBMISSIONS {args.submissions} does not exist: give a folder of "
                         "notebooks or the zip your learning platform exported.")
    if args.dask is not None:
        from .engine.cluster import check_target
        check_target(args.dask)
    if args.private is not None and args.public:
        raise ValueError("--private and --public exclude each other: give one of them.")
    if args.private is not None and not args.private.expanduser().is_file():
        raise ValueError(f"--private {args.private} does not exist: give the TOML file of "
                         "'make assign PRIVATE=FILE' (python -m socialkit.course.assign --heldout "
                         "prints a template).")
    if args.lms_item and not args.export:
        raise ValueError("--lms-item goes with --export canvas,moodle.")
    if args.export:  # checked now, not after a long grading run
        from .outputs.gradebook import check_arguments
        check_arguments(args.export, args.roster, args.scale)
    return zip_path, limits, patterns


def _settings(args, zip_path: Path, out: Path):
    """The grade folder's remembered settings with this run's options applied (and saved), and
    the sentence saying which data the hidden tests use; the autograder is made again with the
    private file first when it does not carry its seeds. ``ValueError`` on any problem."""
    from .intake.settings import load_settings, save_settings

    settings = load_settings(out)
    for change in settings.update(private=False if args.public else args.private,
                                  anonymise=args.anonymise, order_seed=args.order_seed):
        print(f"{out.name}: {change}.")
    data = _data_used(zip_path, settings.private, args.public, out)
    save_settings(out, settings)
    return settings, data


def _data_used(zip_path: Path, private: str | None, public: bool, out: Path) -> str:
    """Make the kit's autograder with the private file (only if something changed: ``make
    assign``'s stamp), or with the public data on ``--public``; say which data it holds."""
    import contextlib
    import io
    import json
    import zipfile

    from .. import assign

    stem = zip_path.name.removesuffix(".zip").removesuffix("-autograder")
    ours = zip_path.parent.name == "autograder" and stem in assign.available_masters()
    if private and not Path(private).is_file():
        raise ValueError(f"the private file {private}, remembered in {out}/settings.json, is missing; "
                         "give it again with --private FILE (make grade PRIVATE=FILE), or --public to "
                         "grade with the public data.")
    if (private or public) and not ours:
        raise ValueError(f"--private and --public need an exercise of the kit (whose autograder it "
                         f"makes), not the zip {zip_path}: that zip's seeds are the ones in it.")
    if private and zip_path.is_file():
        _same_course(zip_path, Path(private))
    if private or public:
        option = ["--private", private] if private else ["--public"]
        said = io.StringIO()
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            code = assign.main([stem, *option, "--out", str(zip_path.parents[4])])
        notes = [line for line in said.getvalue().splitlines() if line.startswith(("Note", "Assigned"))]
        if code:
            raise ValueError(f"the autograder could not be made with {private or 'the public data'}:\n"
                             + said.getvalue())
        print("\n".join(notes))
    try:
        with zipfile.ZipFile(zip_path) as zf:
            sets = sorted(json.loads(zf.read("heldout.json")).get(stem) or {}) \
                if "heldout.json" in zf.namelist() else []
    except (OSError, zipfile.BadZipFile, ValueError) as error:
        raise ValueError(f"{zip_path} cannot be read: {error}") from None
    if private and sets:
        return (f"Data: private held-out seeds from {private} for {', '.join(sets)}; any other hidden "
                "test uses the public data.")
    if private:
        return (f"Data: the public data. The private file {private} gives {stem} no private seeds "
                "(none listed, or all still the public ones).")
    if sets:
        return (f"Data: private held-out seeds already in the autograder ({', '.join(sets)}), from an "
                "earlier 'make assign PRIVATE=...'; name that file once with --private FILE so a "
                "fresh build grades with it too.")
    return "Data: the public data (no private file named for this grade folder; see --private)."


def _same_course(zip_path: Path, private: Path) -> None:
    """``ValueError`` if the private file's course secret is not the one the autograder (and so the
    students' copies) was made with. An autograder made without a secret (a fresh build after
    ``make clean``) is simply made again with the file."""
    from ..heldout import read_course_secret
    from ..variants import course_code
    from .intake.variant_ids import course_for, plugin_config

    plugin = plugin_config(zip_path)
    secret = read_course_secret(private)
    if plugin and plugin.get("course") and secret:
        course_for(plugin, course_code(secret))


def _variant_inputs(args, private: str | None) -> tuple[list, str | None]:
    """(the rosters whose ids name each student's numbers, the course code from the private
    file, given now or remembered); ``ValueError`` naming a bad one. See intake/variant_ids.py."""
    from ..heldout import read_course_secret
    from ..variants import course_code
    from .outputs.rosters import read_roster

    roster = [read_roster(path) for path in args.roster]
    course = None
    if private:  # a file of held-out seeds only leaves the zip's course code
        secret = read_course_secret(Path(private).expanduser())
        course = course_code(secret) if secret else None
    return roster, course


def _print_result(result) -> None:
    print(f"\nGraded {result.graded} notebook(s) now, reused {result.reused} from an earlier run, "
          f"in {result.seconds:.1f} s.")
    n_problems = sum(1 for p in result.problems if p["kind"] != "skipped")
    print(f"Results in {result.out_dir}: grades.csv, feedback/, summary.png"
          + (f"; {n_problems} problem(s) listed in problems.csv" if n_problems else ""))


def _after_grading(args, zip_path: Path, result) -> int:
    """Written answers by question (a page per hand-graded question, manual.csv, the points
    filled in so far), then the gradebook export; the exit code they give."""
    from .intake.autograder import load_autograder
    from .outputs.manual import grade_by_question
    from .outputs.report import GradesMismatch

    code = 1 if any(r["status"] == "error" for r in result.rows) else 0
    ag = load_autograder(zip_path)
    try:
        written = grade_by_question(result.out_dir, ag, result.records,
                                    anonymise=args.anonymise, order_seed=args.order_seed)
    except GradesMismatch as error:
        print(f"socialkit-grade: grades.csv with the points given by hand does not match the "
              f"records and manual.csv: {error}. Run the same command again.", file=sys.stderr)
        return 1
    print("\n".join(written.messages()))
    _summary(result, ag, None if written.errors else written.manual)
    _uploads(result)
    _analytics(result, ag)
    if written.errors:
        print("\n".join(written.error_messages()), file=sys.stderr)
        code = 1
    if args.export and written.errors:
        print("Gradebook export skipped: fix manual.csv first, so the exported totals include the "
              "points given by hand.", file=sys.stderr)
    elif args.export:
        from .outputs.gradebook import run_export
        code = run_export(result.out_dir, args.export, args.roster, args.lms_item,
                          prog="socialkit-grade", scale=args.scale, ungraded=args.ungraded) or code
    return code


def _summary(result, ag, manual) -> None:
    """summary.png and the printed summary, with the points given by hand so far (``manual``)."""
    from .outputs import report

    if manual is not None:
        rows = report.student_rows(result.records, ag, manual)
        title = ag.assignment_name or result.out_dir.name
        report.summary_figure(result.out_dir / "summary.png", rows, ag, title, manual)
        result.table = report.summary_table(rows, ag, manual) + f"\nIsolation: {result.isolation}"
    print()
    print(result.table)
    print()


def _uploads(result) -> None:
    """Each student's feedback in one upload per platform (after the points given by hand)."""
    from .outputs.report import feedback_names
    from .outputs.uploads import write_uploads

    uploads = write_uploads(result.out_dir, result.records, feedback_names(result.records))
    print("\n".join(uploads.messages()))


def _analytics(result, ag) -> None:
    """What the class's results say, per question (after the points given by hand are merged)."""
    from .outputs.analytics import write_analytics
    from .outputs.manual import questions_for

    questions = [(q.name, q.points, False) for q in ag.questions]
    questions += [(q.name, q.points, True) for q in questions_for(ag)]
    page, _ = write_analytics(result.out_dir, result.records, questions,
                              ag.assignment_name or result.out_dir.name)
    print(f"What the results say, question by question: {page} (and analytics.csv)")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["serve"]:  # socialkit-grade serve OUT: the grading desk, saving manual.csv
        from .outputs.desk.serve import main as serve
        return serve(argv[1:])
    args = build_parser().parse_args(argv)
    # ~ reaches us unexpanded from zsh (make grade SUBMISSIONS=~/...) and from quoted arguments
    args.submissions = args.submissions.expanduser()
    args.out = args.out.expanduser() if args.out else None
    if args.assignment.startswith("~"):
        args.assignment = str(Path(args.assignment).expanduser())

    from .batch import grade_class
    from .outputs.report import GradesMismatch

    try:
        zip_path, limits, patterns = _checked(args)
    except ValueError as error:
        return _fail(str(error))
    stem = zip_path.name.removesuffix(".zip").removesuffix("-autograder")
    out = args.out or zip_path.parents[3] / "grades" / stem if zip_path.parent.name == "autograder" \
        else args.out or Path("_build") / "grades" / stem
    try:
        settings, data = _settings(args, zip_path, out)
        roster, course = _variant_inputs(args, settings.private)
    except ValueError as error:
        return _fail(str(error))
    args.anonymise, args.order_seed = settings.anonymise, settings.order_seed
    print(data)
    try:
        result = grade_class(zip_path, args.submissions, out, limits=limits, workers=args.workers,
                             redo=args.redo, id_patterns=patterns, progress=not args.no_progress,
                             dask=args.dask, hide=[settings.private] if settings.private else [],
                             roster=roster, course=course)
    except ValueError as error:
        return _fail(str(error))
    except GradesMismatch as error:
        print(f"socialkit-grade: grades.csv does not match the records: {error}. Run the same "
              "command again; if it happens again, report it.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nInterrupted. Every submission graded so far is kept in {out}/results; "
              "run the same command again to grade the rest.", file=sys.stderr)
        return 130
    _print_result(result)
    code = _after_grading(args, zip_path, result)
    print(data)
    return code


if __name__ == "__main__":
    sys.exit(main())

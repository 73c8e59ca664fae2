"""The ``brainobs`` command: ``sample DIR``, ``tutorials``, ``exercises build``, ``mirror DIR``,
``doctor``, ``info``."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "build_parser"]

log = logging.getLogger("brainobs")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``brainobs`` command.

    Examples
    --------
    >>> build_parser().parse_args(["sample", "out"]).directory
    'out'
    """
    parser = argparse.ArgumentParser(
        prog="brainobs",
        description="The Allen Brain Observatory for teaching: sample data and tutorials.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    sample = sub.add_parser(
        "sample",
        help="write the synthetic sample release (Visual Coding 2P layout) into a folder",
        description="Write the synthetic sample release into DIR, in the public S3 layout of "
        "Visual Coding 2P (DIR/visual-coding-2p/...), with its ground truth in DIR/ground_truth/.",
    )
    sample.add_argument("directory", help="folder to write (created)")
    sample.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sample.add_argument(
        "--size",
        default="default",
        choices=("small", "default", "large"),
        help="small: quick tests; default: the tutorials' release; large: benchmarks",
    )
    sample.add_argument("--overwrite", action="store_true", help="replace an existing release")
    sample.add_argument(
        "--analysis-files",
        action="store_true",
        help="also write every experiment's analysis file (ophys_experiment_analysis/, "
        "~325 MB for the default release; otherwise they are written on first request)",
    )

    tutorials = sub.add_parser(
        "tutorials",
        help="execute the tutorial notebooks on the sample release",
        description="Execute every notebook of a folder (default: notebooks/) and write the "
        "executed copies to an output folder.",
    )
    tutorials.add_argument("folder", nargs="?", default="notebooks")
    tutorials.add_argument("--out", default="build/notebooks", help="output folder")
    tutorials.add_argument("--timeout", type=int, default=600, help="seconds per cell")

    exercises = sub.add_parser(
        "exercises",
        help="build the workshop exercise notebooks from their sources",
        description="Workshop exercises: one source per exercise (exercises/source/*.py) holds "
        "the solution; the student and solution notebooks are derived from it.",
    )
    exercises_sub = exercises.add_subparsers(dest="exercises_command", required=True)
    build = exercises_sub.add_parser(
        "build",
        help="derive the student and solution notebooks (or check the committed ones)",
        description="Write exercises/student/*.ipynb (solutions replaced by placeholders) and "
        "the solution notebooks. With --check, write nothing and exit 1 when a committed "
        "student notebook differs from what its source derives.",
    )
    build.add_argument("--source", default="exercises/source", help="folder of the sources")
    build.add_argument("--student", default="exercises/student", help="student notebooks")
    build.add_argument(
        "--solutions", default="build/exercises/solutions", help="solution notebooks"
    )
    build.add_argument("--book", default=None, help="also write the book pages to this folder")
    build.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")

    mirror = sub.add_parser(
        "mirror",
        help="serve a release folder in the public S3 layout over HTTP (a classroom mirror)",
        description="Serve DIR (a folder holding visual-coding-2p/, e.g. made by `brainobs "
        "sample DIR`, or a filled cache) over HTTP with the S3 object and listing API, until "
        "Ctrl-C. Point students at it with BRAINOBS_SOURCE=http://HOST:PORT.",
    )
    mirror.add_argument("directory", help="folder to serve")
    mirror.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    mirror.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")

    doctor = sub.add_parser(
        "doctor",
        help="check the environment and every cached file; refetch damaged ones on request",
        description="Print versions, the cache folder and its free space, the data source, and a "
        "report of every cached file (truncated, corrupted or interrupted downloads). Exit code 1 "
        "when anything is damaged.",
    )
    doctor.add_argument("--refetch", action="store_true", help="download damaged files again")
    doctor.add_argument("--source", default=None, help="data source (default: $BRAINOBS_SOURCE)")
    doctor.add_argument("--cache-dir", default=None, help="cache folder")

    sub.add_parser("info", help="print versions, cache folder and data source")
    return parser


def _run_sample(args: argparse.Namespace) -> int:
    from .sample.release import write_sample_release

    start = time.perf_counter()
    root = write_sample_release(
        Path(args.directory), seed=args.seed, size=args.size, overwrite=args.overwrite
    )
    if args.analysis_files:
        from .sample.release import write_analysis_files

        write_analysis_files(root)
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    sys.stdout.write(
        f"Wrote the synthetic sample release to {root} "
        f"({size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s).\n"
    )
    return 0


def _run_tutorials(args: argparse.Namespace) -> int:
    import os

    from .tutorials import execute_notebooks

    os.environ.setdefault("BRAINOBS_SOURCE", "sample")  # the tutorials run offline by default
    results = execute_notebooks(Path(args.folder), Path(args.out), timeout=args.timeout)
    for path, seconds in results:
        sys.stdout.write(f"executed {path} in {seconds:.1f} s\n")
    return 0


def _run_exercises(args: argparse.Namespace) -> int:
    from .exercises.build import build_exercises, stale_notebooks

    source, student = Path(args.source), Path(args.student)
    if not source.is_dir():
        sys.stderr.write(f"No exercise sources in {source}: run this from the repository's root "
                         "folder, or pass --source.\n")
        return 2
    if args.check:
        problems = stale_notebooks(source, student)
        for line in problems:
            sys.stdout.write(f"{line}\n")
        if problems:
            sys.stdout.write("Run `brainobs exercises build` and commit the student notebooks.\n")
            return 1
        sys.stdout.write(f"The student notebooks in {student} match their sources.\n")
        return 0
    written = build_exercises(source, student, Path(args.solutions))
    if args.book:
        from .exercises.book import write_book_pages

        written += write_book_pages(Path(args.book), source)
    sys.stdout.write(f"Wrote {len(written)} notebooks ({student}, {args.solutions}"
                     f"{', ' + args.book if args.book else ''}).\n")
    return 0


def _run_mirror(args: argparse.Namespace) -> int:
    from .sources.mirror import run_mirror

    run_mirror(Path(args.directory), host=args.host, port=args.port)
    return 0


def _run_doctor(args: argparse.Namespace) -> int:
    from .doctor import run_doctor

    return run_doctor(source=args.source, refetch=args.refetch, cache_dir=args.cache_dir)


def _run_info(_: argparse.Namespace) -> int:
    import platform

    from . import __version__
    from .config import cache_dir, resolve_source

    source = resolve_source()
    lines = [
        f"brainobs {__version__} on Python {platform.python_version()}",
        f"cache folder: {cache_dir()}",
        f"data source: {source.name} ({source.label})",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``brainobs`` command line.

    Examples
    --------
    >>> main(["sample", "/tmp/brainobs-sample"])  # doctest: +SKIP
    0
    """
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    runners = {
        "sample": _run_sample,
        "tutorials": _run_tutorials,
        "exercises": _run_exercises,
        "mirror": _run_mirror,
        "doctor": _run_doctor,
        "info": _run_info,
    }
    return runners[args.command](args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

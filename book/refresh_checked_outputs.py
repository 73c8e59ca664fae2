"""Refresh the committed outputs of the tutorials' checked cells.

Usage: python book/refresh_checked_outputs.py [--cache DIR] [NOTEBOOK ...]
(default: every notebooks/*.ipynb)

Each notebook is executed fresh with nbclient on the synthetic sample release (the source the book
and CI use) — by default a sample made anew, in a temporary cache, by the current code, as CI makes
it, so that a cache made by an older version cannot leak old numbers in. It is then written back
with outputs only in the cells tagged ``nbval-check-output`` — the cells whose numbers carry the
science, compared strictly by nbval on every test run. Every other cell is left without outputs and
without an execution count, and nothing else in the notebook changes (sources, cell ids, metadata).
The JSON is written the way nbformat writes it, so a refresh that changes no number changes no byte.

A checked output that shows a local path, a memory address or an image is refused: it would differ
between machines (or bloat the repository). Fix the cell and run the script again.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
CHECK_TAG = "nbval-check-output"
CELL_TIMEOUT = 300  # seconds, as in book/_config.yml
# Text that differs between machines or runs: paths (as tests/book/test_notebooks.py), addresses.
UNSTABLE_TEXT = re.compile(r"(?:^|[\s'\"(=:])(?:~/|[A-Za-z]:\\|/(?:[\w.-]+/)+)|0x[0-9a-fA-F]{4,}")
IMAGE_TYPES = ("image/png", "image/jpeg", "image/svg+xml")

logger = logging.getLogger("refresh_checked_outputs")


def is_checked(cell: dict) -> bool:
    """Whether a cell is tagged for strict output comparison."""
    return cell.get("cell_type") == "code" and CHECK_TAG in cell.get("metadata", {}).get("tags", [])


def output_text(output: dict) -> str:
    """All the text an output shows (stream text, text/* data, tracebacks)."""
    if output.get("output_type") == "stream":
        return str(output.get("text", ""))
    parts = [
        value if isinstance(value, str) else "".join(value)
        for key, value in output.get("data", {}).items()
        if key.startswith("text/")
    ]
    parts.extend(output.get("traceback", []))
    return "\n".join(parts)


def find_problems(cell: dict) -> list[str]:
    """What in a checked cell's outputs would not be the same on every machine."""
    problems = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            problems.append(f"raised {output.get('ename')}: {output.get('evalue')}")
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            problems.append(f"wrote to stderr: {output_text(output)[:200]!r}")
        if any(key in output.get("data", {}) for key in IMAGE_TYPES):
            problems.append("shows an image (draw figures in an unchecked cell)")
        match = UNSTABLE_TEXT.search(output_text(output))
        if match:
            problems.append(f"shows machine-specific text {match.group(0)!r}")
    return problems


def execute(path: Path):
    """Execute a copy of the notebook at ``path`` on the sample release; return it."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    client.execute()
    return notebook


def merge_checked_outputs(original, executed) -> list[str]:
    """Copy the checked cells' fresh outputs into ``original``; clear the others in place.

    Returns the problems found in the checked outputs (empty when they are fit to commit).
    """
    problems = []
    for number, (cell, fresh) in enumerate(zip(original.cells, executed.cells, strict=True), 1):
        if cell.cell_type != "code":
            continue
        if is_checked(cell):
            cell.outputs = fresh.outputs
            cell.execution_count = fresh.execution_count
            problems += [f"cell {number}: {p}" for p in find_problems(cell)]
        else:
            cell.outputs = []
            cell.execution_count = None
    return problems


def refresh(path: Path) -> bool:
    """Execute ``path`` and write back its checked outputs; False if they are unfit to commit."""
    import nbformat
    from nbclient.exceptions import CellExecutionError

    original = nbformat.read(path, as_version=4)
    checked = sum(is_checked(cell) for cell in original.cells)
    logger.info("%s: executing (%d checked cells)", path.name, checked)
    try:
        executed = execute(path)
    except CellExecutionError as error:
        logger.error("%s: a cell failed, not written\n%s", path.name, error)
        return False
    problems = merge_checked_outputs(original, executed)
    if problems:
        for problem in problems:
            logger.error("%s, %s", path.name, problem)
        logger.error("%s: not written", path.name)
        return False
    text = nbformat.writes(original) + "\n"
    if path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
        logger.info("%s: checked outputs updated", path.name)
    else:
        logger.info("%s: unchanged", path.name)
    return True


def sample_environment(cache: str | None) -> dict[str, str]:
    """The variables the kernels see: the sample source, and ``cache`` or a fresh cache folder."""
    folder = cache or tempfile.mkdtemp(prefix="brainobs-refresh-")
    return {"BRAINOBS_SOURCE": "sample", "BRAINOBS_CACHE_DIR": folder}


def main(argv: list[str] | None = None) -> int:
    """Refresh the given notebooks (default: all tutorials); return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: all)")
    parser.add_argument(
        "--cache",
        help="cache folder whose sample release to use (default: a fresh temporary one, so the "
        "sample is made by the current code, as in CI)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    saved = dict(os.environ)
    variables = sample_environment(args.cache)
    os.environ.update(variables)  # the kernels inherit them
    try:
        failed = [path.name for path in paths if not refresh(path)]
    finally:
        os.environ.clear()
        os.environ.update(saved)
        if args.cache is None:
            shutil.rmtree(variables["BRAINOBS_CACHE_DIR"], ignore_errors=True)
    if failed:
        logger.error("Not refreshed: %s", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

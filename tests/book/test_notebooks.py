"""The tutorials follow the notebook conventions (checked without executing anything).

Every notebook is a chapter of the book, opens with its title and its own Colab badge, runs the
same set-up cell first, and is committed without outputs except in the ``nbval-check-output``
cells, whose outputs nbval compares strictly and which must read the same on every machine.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from tests.settings import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CHECK_TAG = "nbval-check-output"
SETUP_CELL = """\
# Set-up: in Colab this installs brainobs (no restart needed); elsewhere the installed one is used.
import sys

if "google.colab" in sys.modules:
    %pip install --quiet "brainobs[widgets,plot] @ git+https://github.com/brainobs/brainobs"

import brainobs

print(brainobs.describe_source())"""
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
# Text that is not the same on every machine: absolute paths, home folders, memory addresses.
UNSTABLE = {
    "a path": re.compile(r"(?:^|[\s'\"(=:])(?:~/|[A-Za-z]:\\|/(?:[\w.-]+/)+)"),
    "a memory address": re.compile(r"0x[0-9a-fA-F]{4,}"),
}


def _toc_files() -> list[str]:
    toc = yaml.safe_load((REPO / "book" / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


def _colab_url(path: Path) -> str:
    pyproject = (REPO / "pyproject.toml").read_text()
    source = re.search(r'^Source\s*=\s*"https://github\.com/([^"]+?)/?"', pyproject, re.MULTILINE)
    assert source, "pyproject.toml [project.urls] has no GitHub Source"
    owner_repo = source.group(1)
    return f"https://colab.research.google.com/github/{owner_repo}/blob/main/notebooks/{path.name}"


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _checked(cell) -> bool:
    return CHECK_TAG in cell.metadata.get("tags", [])


def _text(output) -> str:
    if output.output_type == "stream":
        return output.text
    texts = [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
    return "\n".join(texts + output.get("traceback", []))


by_name = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def test_the_unstable_text_patterns_catch_what_they_should():
    caught = ["release='/work/cache/sample'", "at /tmp/x/y.nwb", "<Foo at 0x7f3a2c1b>", "~/data"]
    passed = ["dF/F of 10 cells", "5.1% of frames", "0.04 cycles/degree", "image 3 of 118"]
    assert all(any(p.search(t) for p in UNSTABLE.values()) for t in caught)
    assert not any(p.search(t) for p in UNSTABLE.values() for t in passed)


def test_every_chapter_of_the_book_is_a_notebook():
    def exists(entry: str) -> bool:
        if entry.startswith("exercises/"):  # the book page is made from the exercise's source
            return (REPO / "exercises" / "source" / f"{entry.split('/', 1)[1]}.py").is_file()
        return (REPO / f"{entry}.ipynb").is_file()

    missing = [f for f in _toc_files() if not exists(f)]
    assert not missing, f"book/_toc.yml lists chapters with no notebook: {missing}"


@by_name
def test_notebook_is_a_chapter_of_the_book(path):
    assert f"notebooks/{path.stem}" in _toc_files(), f"add notebooks/{path.stem} to book/_toc.yml"


@by_name
def test_notebook_format_and_kernel(path):
    notebook = _read(path)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.metadata.kernelspec.name == "python3"


@by_name
def test_title_then_colab_badge_for_this_notebook(path):
    first = _read(path).cells[0]
    assert first.cell_type == "markdown"
    lines = [line for line in first.source.splitlines() if line.strip()]
    assert lines[0].startswith("# "), "the first markdown cell starts with the title"
    badge = f"[![Open In Colab]({BADGE_IMAGE})]({_colab_url(path)})"
    assert lines[1] == badge, f"second line should be the badge:\n{badge}"


@by_name
def test_first_code_cell_is_the_setup_cell(path):
    code = [cell for cell in _read(path).cells if cell.cell_type == "code"]
    assert code[0].source == SETUP_CELL
    assert "brainobs.VisualCoding2P(" in code[1].source, "the next cell opens the data set"


@by_name
def test_outputs_only_in_checked_cells(path):
    for number, cell in enumerate(_read(path).cells, 1):
        if cell.cell_type != "code":
            continue
        if _checked(cell):
            # nbval compares nothing in a cell without an execution count: refresh it instead
            assert cell.execution_count is not None and cell.outputs, (
                f"cell {number} is checked but has no stored output: "
                f"run python book/refresh_checked_outputs.py notebooks/{path.name}"
            )
        else:
            assert not cell.outputs and cell.execution_count is None, (
                f"cell {number} has outputs but is not tagged {CHECK_TAG}: "
                f"run python book/refresh_checked_outputs.py notebooks/{path.name}"
            )


@by_name
def test_checked_outputs_read_the_same_on_every_machine(path):
    for number, cell in enumerate(_read(path).cells, 1):
        if cell.cell_type != "code" or not _checked(cell):
            continue
        for output in cell.outputs:
            assert output.output_type != "error", f"cell {number} stores an error"
            assert output.get("name") != "stderr", f"cell {number} stores stderr"
            assert not {"image/png", "image/jpeg"} & set(output.get("data", {})), (
                f"cell {number} stores an image: draw figures in an unchecked cell"
            )
            for what, pattern in UNSTABLE.items():
                match = pattern.search(_text(output))
                assert match is None, f"cell {number} shows {what}: {match.group(0)!r}"

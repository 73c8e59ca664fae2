"""Every exercise notebook executed as a student would run it (nbclient, sample release):
the solution notebooks pass all their checks; the student notebooks run end to end and every
check says 'not attempted yet'."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from brainobs.exercises.build import notebook_text, solution_notebook, student_notebook
from tests.settings import REPO

SOURCES = sorted((REPO / "exercises" / "source").glob("*.py"))


def _node(notebook: dict) -> nbformat.NotebookNode:
    return nbformat.reads(notebook_text(notebook), as_version=4)


def _execute(node: nbformat.NotebookNode, folder) -> nbformat.NotebookNode:
    NotebookClient(node, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    return node


def _check_outputs(node: nbformat.NotebookNode) -> list[str]:
    """The text each check cell displayed (one per check cell)."""
    shown = []
    for cell in node.cells:
        if cell.cell_type != "code" or "check_" not in cell.source or "import" in cell.source:
            continue
        texts = [o.get("data", {}).get("text/plain", "") for o in cell.outputs
                 if o.output_type == "execute_result"]
        assert len(texts) == 1, f"a check cell shows its feedback: {cell.source}"
        shown.append(texts[0])
    assert shown, "no check cell found"
    return shown


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_solution_notebook_passes_every_check(source, sample_release, tmp_path):
    shown = _check_outputs(_execute(_node(solution_notebook(source)), tmp_path))
    assert all(": correct!" in text for text in shown), shown


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_student_notebook_runs_and_is_not_attempted(source, sample_release, tmp_path):
    committed = nbformat.read(REPO / "exercises" / "student" / f"{source.stem}.ipynb",
                              as_version=4)
    assert committed == _node(student_notebook(source))
    shown = _check_outputs(_execute(committed, tmp_path))
    assert all("not attempted yet" in text for text in shown), shown

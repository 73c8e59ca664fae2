"""book/refresh_checked_outputs.py: outputs kept in checked cells only, unstable outputs refused."""

from __future__ import annotations

import importlib.util
import os

import nbformat
import pytest

from tests.settings import REPO


@pytest.fixture(scope="module")
def refresh():
    spec = importlib.util.spec_from_file_location(
        "refresh_checked_outputs", REPO / "book" / "refresh_checked_outputs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook(path, checked_source: str):
    cells = [
        nbformat.v4.new_markdown_cell("# A title"),
        nbformat.v4.new_code_cell("print('not checked')"),
        nbformat.v4.new_code_cell(checked_source, metadata={"tags": ["nbval-check-output"]}),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.metadata["custom"] = {"kept": True}
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    return path


def test_refresh_keeps_outputs_of_checked_cells_only(refresh, tmp_path):
    path = _notebook(tmp_path / "t.ipynb", "print(6 * 7)")
    cache = os.environ.get("BRAINOBS_CACHE_DIR")
    assert refresh.main([str(path)]) == 0
    assert os.environ.get("BRAINOBS_CACHE_DIR") == cache, "the caller's environment is restored"
    notebook = nbformat.read(path, as_version=4)
    plain, checked = notebook.cells[1], notebook.cells[2]
    assert plain.outputs == [] and plain.execution_count is None
    assert checked.execution_count == 2  # nbval compares only cells that have a count
    assert [o.text for o in checked.outputs] == ["42\n"]
    assert notebook.metadata["custom"] == {"kept": True} and "widgets" not in notebook.metadata
    first = path.read_bytes()
    assert refresh.main([str(path)]) == 0
    assert path.read_bytes() == first, "a refresh that changes no number changes no byte"


def test_refresh_refuses_outputs_that_differ_between_machines(refresh, tmp_path):
    path = _notebook(tmp_path / "t.ipynb", "print('saved in /home/someone/cache/x.nwb'); object()")
    before = path.read_bytes()
    assert refresh.main([str(path)]) == 1
    assert path.read_bytes() == before


def test_find_problems_names_each_kind(refresh):
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="a warning\n"),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Fig>"}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "<A at 0x7f00aa11>"}),
    ]
    problems = " | ".join(refresh.find_problems(cell))
    assert "stderr" in problems and "image" in problems and "0x7f00aa11" in problems

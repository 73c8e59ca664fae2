"""The book's exercise pages: the student notebook with each solution in a click-to-reveal block.

After every answer cell comes a markdown cell holding a MyST ``admonition`` with the
``dropdown`` class (Jupyter Book 1 renders it closed, opened by a click, with no JavaScript
from the network); it shows the solution code. The answer cells keep their ``...``
placeholders, so the page executes like the student notebook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .build import (
    SOURCE_DIR,
    cell_json,
    list_sources,
    notebook_text,
    parse_source,
    student_notebook,
)

__all__ = ["book_notebook", "write_book_pages", "solution_block"]


def solution_block(code: str) -> str:
    """Markdown of a closed "Solution" dropdown showing ``code``.

    Examples
    --------
    >>> print(solution_block("x = 1"))
    :::{admonition} Solution
    :class: dropdown
    <BLANKLINE>
    ```python
    x = 1
    ```
    :::
    """
    return f":::{{admonition}} Solution\n:class: dropdown\n\n```python\n{code}\n```\n:::"


def book_notebook(source: Path) -> dict[str, Any]:
    """The book page of one exercise: its student notebook plus a solution dropdown per answer.

    Examples
    --------
    >>> nb = book_notebook(Path("exercises/source/04_direction_tuning.py"))  # doctest: +SKIP
    """
    cells = parse_source(source.read_text(encoding="utf-8"), source.name)
    notebook = student_notebook(source)
    out = []
    for cell, derived in zip(cells, notebook["cells"], strict=True):
        out.append(derived)
        if cell.has_solution:
            out.append(cell_json("markdown", solution_block(cell.solution or ""), (),
                                  f"{derived['id']}-solution"))
    return {**notebook, "cells": out}


def write_book_pages(out_dir: Path, source_dir: Path = SOURCE_DIR) -> list[Path]:
    """Write the book page of every exercise into ``out_dir`` (``NN_name.ipynb``).

    Returns
    -------
    list of pathlib.Path
        The pages written, in order.

    Examples
    --------
    >>> write_book_pages(Path("build/book-src/exercises"))  # doctest: +SKIP
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in list_sources(source_dir):
        path = out_dir / f"{source.stem}.ipynb"
        path.write_text(notebook_text(book_notebook(source)), encoding="utf-8")
        written.append(path)
    return written

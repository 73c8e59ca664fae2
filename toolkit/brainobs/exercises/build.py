"""Student and solution notebooks from one source per exercise (``brainobs exercises build``).

A source is a percent-format Python file (``exercises/source/NN_name.py``): cells start with
``# %%`` (code) or ``# %% [markdown]`` (markdown, every line commented), and a code cell may
hold one solution region::

    ### BEGIN SOLUTION: dsi
    dsi = (pref - null) / (pref + null)
    ### END SOLUTION

The **student** notebook replaces the region with ``dsi = ...`` and a comment (so later
cells still run, and the checks say "not attempted yet"); the **solution** notebook keeps the
code without the marker lines. The first markdown cell gets the "Open in Colab" badge of the
student notebook after its title. Output is deterministic (fixed cell ids, sorted keys), so
``--check`` can compare the committed student notebooks byte for byte.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Cell",
    "parse_source",
    "student_notebook",
    "solution_notebook",
    "notebook_text",
    "build_exercises",
    "cell_json",
    "list_sources",
    "stale_notebooks",
    "SOURCE_DIR",
    "STUDENT_DIR",
    "SOLUTION_DIR",
]

SOURCE_DIR = Path("exercises/source")
STUDENT_DIR = Path("exercises/student")
SOLUTION_DIR = Path("build/exercises/solutions")
BADGE = ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
         "(https://colab.research.google.com/github/brainobs/brainobs/blob/main/{path})")
PLACEHOLDER = "{name} = ...  # your answer: replace ... with your code"
_CELL = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?: tags=(?P<tags>\[.*\]))?\s*$")
_BEGIN = re.compile(r"^### BEGIN SOLUTION(?::(?P<names>.*))?$")
_END = "### END SOLUTION"
_METADATA = {
    "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


@dataclass(frozen=True)
class Cell:
    """One cell of a source: its kind, text, tags, and its solution region if any.

    ``before`` / ``solution`` / ``after`` split a code cell at its solution region
    (``solution`` is None without one); ``answers`` are the names the region assigns.

    Examples
    --------
    >>> Cell("code", "x = 1", (), "", "x = 1", "", ("x",)).has_solution
    True
    """

    kind: str
    text: str
    tags: tuple[str, ...]
    before: str = ""
    solution: str | None = None
    after: str = ""
    answers: tuple[str, ...] = ()

    @property
    def has_solution(self) -> bool:
        """True when the cell holds a solution region."""
        return self.solution is not None


def _strip_blank(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _markdown(lines: list[str], where: str) -> str:
    out = []
    for line in _strip_blank(lines):
        if not line.startswith("#"):
            raise ValueError(f"{where}: a markdown line must start with '#': {line!r}")
        out.append(line[2:] if line.startswith("# ") else line[1:])
    return "\n".join(out)


def _split_solution(lines: list[str], where: str) -> dict[str, Any]:
    begins = [i for i, line in enumerate(lines) if _BEGIN.match(line.strip())]
    ends = [i for i, line in enumerate(lines) if line.strip() == _END]
    if not begins and not ends:
        return {}
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise ValueError(f"{where}: a code cell needs exactly one '### BEGIN SOLUTION' line "
                         f"followed by one '{_END}' line.")
    b, e = begins[0], ends[0]
    names = (_BEGIN.match(lines[b].strip()).group("names") or "").split(",")
    answers = tuple(n.strip() for n in names if n.strip())
    bad = [n for n in answers if not n.isidentifier()]
    if bad:
        raise ValueError(f"{where}: answer names must be Python names, not {bad}.")
    return {"before": "\n".join(lines[:b]), "solution": "\n".join(_strip_blank(lines[b + 1:e])),
            "after": "\n".join(lines[e + 1:]), "answers": answers}


def parse_source(text: str, name: str = "source") -> list[Cell]:
    """Cells of a percent-format source.

    Examples
    --------
    >>> cells = parse_source("# %% [markdown]\\n# # Title\\n# %%\\nx = 1\\n")
    >>> [(c.kind, c.text) for c in cells]
    [('markdown', '# Title'), ('code', 'x = 1')]
    """
    cells: list[Cell] = []
    header: re.Match[str] | None = None
    body: list[str] = []

    def close() -> None:
        if header is None:
            if any(line.strip() for line in body):
                raise ValueError(f"{name}: text before the first '# %%' cell marker.")
            return
        where = f"{name}, cell {len(cells) + 1}"
        tags = tuple(json.loads(header.group("tags"))) if header.group("tags") else ()
        if header.group("markdown"):
            cells.append(Cell("markdown", _markdown(body, where), tags))
            return
        lines = _strip_blank(body)
        cells.append(Cell("code", "\n".join(lines), tags, **_split_solution(lines, where)))

    for line in text.splitlines():
        match = _CELL.match(line)
        if match:
            close()
            header, body = match, []
        else:
            body.append(line)
    close()
    return cells


def _placeholder(cell: Cell) -> str:
    if cell.answers:
        return "\n".join(PLACEHOLDER.format(name=n) for n in cell.answers)
    return "# your code here"


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _notebook(cells: list[dict[str, Any]]) -> dict[str, Any]:
    return {"cells": cells, "metadata": _METADATA, "nbformat": 4, "nbformat_minor": 5}


def cell_json(kind: str, text: str, tags: tuple[str, ...], cell_id: str) -> dict[str, Any]:
    """One notebook cell as nbformat 4.5 JSON (no outputs).

    Examples
    --------
    >>> cell_json("markdown", "# Hi", (), "a-1")["source"]
    ['# Hi']
    """
    lines = text.splitlines(keepends=True)
    cell: dict[str, Any] = {"cell_type": kind, "id": cell_id,
                            "metadata": {"tags": list(tags)} if tags else {}, "source": lines}
    if kind == "code":
        cell.update({"execution_count": None, "outputs": []})
    return cell


def _with_badge(text: str, notebook_path: str) -> str:
    title, _, rest = text.partition("\n")
    badge = BADGE.format(path=notebook_path)
    return f"{title}\n\n{badge}\n\n{rest.lstrip()}".rstrip()


def _derive(cells: list[Cell], stem: str, student: bool) -> dict[str, Any]:
    out = []
    for k, cell in enumerate(cells):
        text = cell.text
        if cell.has_solution:
            middle = _placeholder(cell) if student else cell.solution
            text = _join(cell.before, middle, cell.after)
        if k == 0 and cell.kind == "markdown" and student:
            text = _with_badge(text, f"{STUDENT_DIR.as_posix()}/{stem}.ipynb")
        out.append(cell_json(cell.kind, text, cell.tags, f"{stem[:56]}-{k:03d}"))
    return _notebook(out)


def student_notebook(source: Path) -> dict[str, Any]:
    """The student notebook of a source: solutions replaced by ``name = ...`` placeholders.

    Examples
    --------
    >>> nb = student_notebook(Path("exercises/source/04_direction_tuning.py"))  # doctest: +SKIP
    """
    return _derive(parse_source(source.read_text(encoding="utf-8"), source.name), source.stem,
                   student=True)


def solution_notebook(source: Path) -> dict[str, Any]:
    """The solution notebook of a source: the solution code without its marker lines.

    Examples
    --------
    >>> nb = solution_notebook(Path("exercises/source/04_direction_tuning.py"))  # doctest: +SKIP
    """
    return _derive(parse_source(source.read_text(encoding="utf-8"), source.name), source.stem,
                   student=False)


def notebook_text(notebook: dict[str, Any]) -> str:
    """The notebook as JSON text, written the way nbformat writes it (stable bytes).

    Examples
    --------
    >>> notebook_text({"b": 1, "a": [1]})
    '{\\n "a": [\\n  1\\n ],\\n "b": 1\\n}\\n'
    """
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def list_sources(source_dir: Path) -> list[Path]:
    """The exercise sources of a folder, sorted (FileNotFoundError when there are none).

    Examples
    --------
    >>> [p.name for p in list_sources(Path("exercises/source"))][:1]  # doctest: +SKIP
    ['01_find_containers.py']
    """
    found = sorted(Path(source_dir).glob("*.py"))
    if not found:
        raise FileNotFoundError(f"No exercise sources (*.py) in {source_dir}.")
    return found


def build_exercises(source_dir: Path = SOURCE_DIR, student_dir: Path = STUDENT_DIR,
                    solution_dir: Path | None = SOLUTION_DIR) -> list[Path]:
    """Write every student notebook (and solution notebook, unless ``solution_dir`` is None).

    Student notebooks without a source are removed, so the folder always matches the sources.

    Returns
    -------
    list of pathlib.Path
        The notebooks written.

    Examples
    --------
    >>> build_exercises()  # doctest: +SKIP
    """
    written = []
    targets = [(student_dir, student_notebook)]
    if solution_dir is not None:
        targets.append((solution_dir, solution_notebook))
    sources = list_sources(source_dir)
    for folder, derive in targets:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for source in sources:
            path = Path(folder) / f"{source.stem}.ipynb"
            path.write_text(notebook_text(derive(source)), encoding="utf-8")
            written.append(path)
    keep = {s.stem for s in sources}
    for orphan in Path(student_dir).glob("*.ipynb"):
        if orphan.stem not in keep:
            orphan.unlink()
    return written


def stale_notebooks(source_dir: Path = SOURCE_DIR, student_dir: Path = STUDENT_DIR) -> list[str]:
    """What differs between the committed student notebooks and what the sources derive.

    Returns
    -------
    list of str
        One line per notebook that is missing, different, or has no source (empty: in sync).

    Examples
    --------
    >>> stale_notebooks()  # doctest: +SKIP
    []
    """
    problems = []
    sources = list_sources(source_dir)
    for source in sources:
        path = Path(student_dir) / f"{source.stem}.ipynb"
        if not path.is_file():
            problems.append(f"missing: {path}")
        elif path.read_text(encoding="utf-8") != notebook_text(student_notebook(source)):
            problems.append(f"differs from its source {source}: {path}")
    stems = {s.stem for s in sources}
    problems += [f"no source: {p}" for p in sorted(Path(student_dir).glob("*.ipynb"))
                 if p.stem not in stems]
    return problems

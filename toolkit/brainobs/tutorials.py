"""Execute the tutorial notebooks headless (the README's main job)."""

from __future__ import annotations

import time
from pathlib import Path

__all__ = ["execute_notebooks"]


def execute_notebooks(folder: Path, out: Path, *, timeout: int = 600) -> list[tuple[Path, float]]:
    """Execute every ``*.ipynb`` in ``folder`` (sorted) and write the executed copies to ``out``.

    Parameters
    ----------
    folder : pathlib.Path
        Folder of notebooks.
    out : pathlib.Path
        Folder for the executed notebooks (created).
    timeout : int
        Seconds allowed per cell.

    Returns
    -------
    list of (pathlib.Path, float)
        Each executed notebook's output path and its run time in seconds.

    Raises
    ------
    FileNotFoundError
        If ``folder`` holds no notebook.

    Examples
    --------
    >>> execute_notebooks(Path("notebooks"), Path("build/notebooks"))  # doctest: +SKIP
    """
    import nbformat
    from nbclient import NotebookClient

    notebooks = sorted(Path(folder).glob("*.ipynb"))
    if not notebooks:
        msg = f"No notebooks (*.ipynb) in {folder}."
        raise FileNotFoundError(msg)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for path in notebooks:
        start = time.perf_counter()
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
        target = out / path.name
        nbformat.write(notebook, target)
        results.append((target, time.perf_counter() - start))
    return results

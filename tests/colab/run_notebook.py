"""Execute one notebook with nbclient, in the interpreter that runs this script.

Usage: python run_notebook.py NOTEBOOK OUT [--timeout SECONDS]

Run by tests/colab/test_colab.py with the Colab-like venv's Python (it imports nothing from the
repository). The kernel is this interpreter's ipykernel, started in the notebook's folder. The
executed notebook is written to OUT; a failing cell exits with status 1 and its error on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main() -> int:
    """Execute the notebook; return the exit status."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    parser = argparse.ArgumentParser()
    parser.add_argument("notebook", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args()
    notebook = nbformat.read(args.notebook, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=args.timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(args.notebook.resolve().parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        sys.stderr.write(f"{args.notebook.name}: {error}\n")
        return 1
    finally:
        nbformat.write(notebook, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

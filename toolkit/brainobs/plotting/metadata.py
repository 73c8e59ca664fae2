"""What the release holds: experiment containers counted by cre line and visual area."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._base import PALETTE, describe, get_axes, mark_synthetic

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["plot_container_counts"]

_NAMES = {
    "cre_line": "cre line",
    "targeted_structure": "targeted structure (visual area)",
    "imaging_depth": "imaging depth (µm)",
}


def plot_container_counts(
    containers: pd.DataFrame,
    *,
    rows: str = "cre_line",
    columns: str = "targeted_structure",
    selected: tuple[Any, Any] | None = None,
    highlight_color: str = PALETTE[5],
    synthetic: bool | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Grid of container counts (e.g. cre line x visual area), the chosen cell outlined.

    Parameters
    ----------
    containers : DataFrame
        One row per experiment container (``VisualCoding2P.containers()``).
    rows, columns : str
        Columns of ``containers`` to count by.
    selected : (row value, column value), optional
        The combination to outline (the current choice).
    highlight_color : str
        Colour of the outline.
    synthetic : bool, optional
        Mark the figure as synthetic sample data.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on (a new figure otherwise).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"cre_line": ["A", "A", "B"],
    ...                       "targeted_structure": ["VISp", "VISl", "VISp"]})
    >>> ax = plot_container_counts(table, selected=("A", "VISp"))
    >>> sorted(t.get_text() for t in ax.texts)
    ['1', '1', '1']
    """
    from matplotlib.patches import Rectangle

    ax = get_axes(ax, figsize=(6.0, 3.5))
    if len(containers) == 0:
        return ax
    table = containers.groupby([rows, columns]).size().unstack(fill_value=0)
    counts = table.to_numpy()
    ax.imshow(counts, cmap="Blues", vmin=0, vmax=max(1, counts.max()) * 1.4, aspect="auto")
    for (i, j), n in np.ndenumerate(counts):
        if n:
            ax.text(j, i, str(n), ha="center", va="center", fontsize=8)
    ax.set_xticks(np.arange(counts.shape[1]), [str(v) for v in table.columns], fontsize=7)
    ax.set_yticks(np.arange(counts.shape[0]), [str(v) for v in table.index], fontsize=7)
    ax.set_xlabel(_NAMES.get(columns, columns))
    ax.set_ylabel(_NAMES.get(rows, rows))
    chosen = ""
    if selected is not None and selected[0] in table.index and selected[1] in table.columns:
        i, j = table.index.get_loc(selected[0]), table.columns.get_loc(selected[1])
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, lw=2.5,
                               edgecolor=highlight_color))
        chosen = f" The choice {selected[0]} in {selected[1]} ({counts[i, j]}) is outlined."
    describe(ax, f"Grid of {int(counts.sum())} experiment containers by {_NAMES.get(rows, rows)} "
                 f"and {_NAMES.get(columns, columns)}.{chosen}")
    return mark_synthetic(ax, synthetic)

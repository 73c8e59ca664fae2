"""The container grid counts containers by cre line and area, and outlines the choice."""

import pandas as pd

from brainobs import plotting

TABLE = pd.DataFrame({
    "cre_line": ["Cux2", "Cux2", "Cux2", "Rorb", "Vip"],
    "targeted_structure": ["VISp", "VISp", "VISl", "VISp", "VISal"],
})


def test_counts_match_the_table():
    ax = plotting.plot_container_counts(TABLE, selected=("Cux2", "VISp"))
    grid = ax.images[0].get_array()
    assert grid.tolist() == [[0, 1, 2], [0, 0, 1], [1, 0, 0]]  # rows Cux2, Rorb, Vip
    assert [t.get_text() for t in ax.get_xticklabels()] == ["VISal", "VISl", "VISp"]
    (outline,) = ax.patches
    assert outline.get_xy() == (1.5, -0.5)  # column VISp, row Cux2
    assert sorted(t.get_text() for t in ax.texts) == ["1", "1", "1", "2"]
    assert "(2) is outlined" in ax.figure.brainobs_alt_text


def test_unknown_selection_outlines_nothing():
    ax = plotting.plot_container_counts(TABLE, selected=("Sst", "VISp"))
    assert not ax.patches

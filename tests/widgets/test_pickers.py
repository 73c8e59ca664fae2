"""The experiment picker offers exactly what exists, with counts; the cell picker follows it."""

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from brainobs import VisualCoding2P
from brainobs.errors import InvalidChoiceError
from brainobs.widgets import CellPicker, ExperimentPicker
from tests.settings import REAL_VC2P


def _values(dropdown):
    return [value for _, value in dropdown.options]


def _check_cascade(vc, picker):
    """Every level offers exactly the values that exist under the choices above it."""
    containers = vc.containers()
    for area in _values(picker.dropdowns["targeted_structure"]):
        picker.dropdowns["targeted_structure"].value = area  # as a click would
        mine = containers[containers.targeted_structure == area]
        assert _values(picker.dropdowns["cre_line"]) == sorted(mine.cre_line.unique())
        cre = picker.value["cre_line"]
        counts = mine.cre_line.value_counts()
        label = dict((v, k) for k, v in picker.dropdowns["cre_line"].options)[cre]
        n = counts[cre]
        assert label == f"{cre} ({n} container{'s' if n > 1 else ''})"
        depths = mine[mine.cre_line == cre].imaging_depth
        assert _values(picker.dropdowns["imaging_depth"]) == sorted(int(d) for d in set(depths))
        depth = picker.value["imaging_depth"]
        chosen = mine[(mine.cre_line == cre) & (mine.imaging_depth == depth)]
        assert _values(picker.dropdowns["experiment_container_id"]) == sorted(chosen.index)


def test_each_level_offers_only_what_exists(vc):
    picker = ExperimentPicker(vc)
    _check_cascade(vc, picker)


def test_area_labels_count_containers(vc):
    picker = ExperimentPicker(vc)
    counts = vc.containers().targeted_structure.value_counts()
    for label, area in picker.dropdowns["targeted_structure"].options:
        n = counts[area]
        assert label == f"{area} ({n} container{'s' if n > 1 else ''})"


def test_choosing_a_session_updates_the_experiment(vc, experiments):
    picker = ExperimentPicker(vc, targeted_structure="VISp")
    seen = []
    picker.observe(lambda change: seen.append(change["new"]), names="experiment_id")
    container = picker.value["experiment_container_id"]
    mine = experiments[experiments.experiment_container_id == container]
    assert _values(picker.dropdowns["ophys_experiment_id"]) == list(
        mine.sort_values("session_type").index)
    wanted = mine[mine.session_type == "three_session_B"].index[0]
    picker.dropdowns["ophys_experiment_id"].value = int(wanted)
    assert seen == [wanted] and picker.experiment_id == wanted
    assert picker.value["session_type"] == "three_session_B"
    assert picker.experiment.ophys_experiment_id == wanted
    assert picker.experiment is picker.experiment  # opened once
    picker.select(session_type="three_session_A")
    assert picker.experiment.session_type == "three_session_A" and len(seen) == 2


def test_changing_the_area_keeps_the_session_type(vc):
    picker = ExperimentPicker(vc, targeted_structure="VISp", session_type="three_session_B")
    picker.dropdowns["targeted_structure"].value = "VISl"
    assert picker.value["session_type"] == "three_session_B"
    assert picker.experiment.metadata["targeted_structure"] == "VISl"
    picker.select(targeted_structure="VISpm")
    assert picker.experiment.session_type == "three_session_B"
    with pytest.raises(InvalidChoiceError, match="Unknown session type 'three_session_D'"):
        picker.select(session_type="three_session_D")


def test_select_checks_values_against_the_levels_above(vc):
    picker = ExperimentPicker(vc, targeted_structure="VISp")
    with pytest.raises(InvalidChoiceError, match=r"Unknown cre line 'Rorb-IRES2-Cre'.*Valid"):
        picker.select(cre_line="Rorb-IRES2-Cre")  # exists, but not in VISp
    picker.select(targeted_structure="VISl", cre_line="Rorb-IRES2-Cre")
    assert picker.value["cre_line"] == "Rorb-IRES2-Cre"
    with pytest.raises(InvalidChoiceError, match="picker level"):
        picker.select(area="VISp")
    with pytest.raises(InvalidChoiceError, match=r"Unknown area 'VISpn'.*Did you mean 'VISp'"):
        ExperimentPicker(vc, targeted_structure="VISpn")


def test_picker_figure_outlines_the_choice(vc):
    picker = ExperimentPicker(vc, targeted_structure="VISl")
    ax = picker.static().axes[0]
    (outline,) = ax.patches
    cres = [t.get_text() for t in ax.get_yticklabels()]
    areas = [t.get_text() for t in ax.get_xticklabels()]
    row = cres.index(picker.value["cre_line"])
    assert outline.get_xy() == (areas.index("VISl") - 0.5, row - 0.5)
    ax = picker.static(targeted_structure="VISp").axes[0]
    assert ax.patches[0].get_xy()[0] == areas.index("VISp") - 0.5
    assert picker.value["targeted_structure"] == "VISl"  # static() changes nothing
    assert "-> experiment" in ax.get_title()


@pytest.mark.realdata
@pytest.mark.skipif(not (REAL_VC2P / "experiment_containers.json").is_file(),
                    reason="real Allen records not found (../shared is absent)")
def test_cascade_over_the_real_release(tmp_path):
    real = VisualCoding2P(source=REAL_VC2P, cache_dir=tmp_path)
    picker = ExperimentPicker(real, figure=False)
    assert len(picker.dropdowns["targeted_structure"].options) == 6
    picker.select(targeted_structure="VISp")
    assert len(picker.dropdowns["cre_line"].options) > 3  # many cre lines image VISp
    _check_cascade(real, picker)
    assert picker.dropdowns["ophys_experiment_id"].options[0][0].startswith("three_session_A")


def test_cell_picker_follows_the_session_and_keeps_the_cell(vc):
    picker = ExperimentPicker(vc, targeted_structure="VISp", session_type="three_session_A")
    cells = CellPicker(picker)
    ids_a = picker.experiment.cell_specimen_ids
    assert _values(cells.dropdown) == [int(c) for c in ids_a]
    picker.select(session_type="three_session_B")
    ids_b = picker.experiment.cell_specimen_ids
    shared = sorted(set(ids_a.tolist()) & set(ids_b.tolist()))
    cells.dropdown.value = shared[0]
    picker.select(session_type="three_session_A")
    assert cells.experiment_id == picker.experiment_id and cells.cell_specimen_id == shared[0]
    assert "SYNTHETIC SAMPLE" in repr(cells)


def test_cell_picker_figure_fills_the_chosen_cell(vc):
    experiment = vc.experiment(vc.experiments().index[0])
    cell = int(experiment.cell_specimen_ids[3])
    fig = CellPicker(experiment, cell_specimen_id=cell).static()
    ax = fig.axes[0]
    overlay = np.asarray(ax.images[1].get_array())
    mask = experiment.get_roi_masks([cell])[0]
    assert np.array_equal(overlay[..., 3] > 0, mask)
    assert ax.get_title().startswith(f"cell {cell} (row 3 of {experiment.number_of_cells})")
    with pytest.raises(InvalidChoiceError, match="cell_specimen_id"):
        CellPicker(experiment, cell_specimen_id=5)

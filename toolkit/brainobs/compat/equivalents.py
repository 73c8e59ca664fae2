"""What maps where: each AllenSDK name of :mod:`brainobs.compat` and brainobs' own way.

One table, used by the book's migration page; every brainobs target is an importable name
(checked by the tests), so the table cannot point at something that does not exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Equivalent", "EQUIVALENTS", "equivalents_table"]


class Equivalent(NamedTuple):
    """An AllenSDK call, the brainobs call doing the same, and the name it uses.

    Attributes
    ----------
    allensdk : str
        The AllenSDK call, as written in AllenSDK code.
    brainobs : str
        The brainobs way of doing the same.
    target : str
        The importable brainobs name it relies on.

    Examples
    --------
    >>> EQUIVALENTS[0].target
    'brainobs.VisualCoding2P'
    """

    allensdk: str
    brainobs: str
    target: str


_VC = "brainobs.VisualCoding2P"
_EXP = "brainobs.nwb.ophys1.Ophys1Experiment"
_AN = "brainobs.analysis"

EQUIVALENTS: tuple[Equivalent, ...] = (
    Equivalent("BrainObservatoryCache(manifest_file=...)", "vc = brainobs.VisualCoding2P()", _VC),
    Equivalent("boc.get_all_cre_lines(), get_all_targeted_structures(), ...",
               "vc.choices()['cre_lines'], ...", f"{_VC}.choices"),
    Equivalent("boc.get_experiment_containers(...)", "vc.containers(...) (a DataFrame)",
               f"{_VC}.containers"),
    Equivalent("boc.get_ophys_experiments(...)", "vc.experiments(...) (a DataFrame)",
               f"{_VC}.experiments"),
    Equivalent("boc.get_cell_specimens(filters=...)", "vc.cells(...) then DataFrame.query",
               f"{_VC}.cells"),
    Equivalent("boc.get_ophys_experiment_data(id)", "exp = vc.experiment(id)",
               f"{_VC}.experiment"),
    Equivalent("boc.get_nwb_filepath(id)", "vc.experiment_path(id)", f"{_VC}.experiment_path"),
    Equivalent("boc.get_ophys_experiment_events(id)", "vc.events(id)", f"{_VC}.events"),
    Equivalent("boc.get_ophys_experiment_analysis(id, stimulus)",
               "brainobs.analysis.analyze_stimulus(exp, stimulus)", f"{_AN}.analyze_stimulus"),
    Equivalent("ds.get_dff_traces(ids)", "exp.get_dff(ids, start=, stop=)", f"{_EXP}.get_dff"),
    Equivalent("ds.get_fluorescence_traces(ids)", "exp.get_fluorescence(ids)",
               f"{_EXP}.get_fluorescence"),
    Equivalent("ds.get_corrected_fluorescence_traces(ids)", "exp.get_corrected(ids)",
               f"{_EXP}.get_corrected"),
    Equivalent("ds.get_neuropil_traces(ids), get_demixed_traces(ids)",
               "exp.get_neuropil(ids), exp.get_demixed(ids)", f"{_EXP}.get_neuropil"),
    Equivalent("ds.get_cell_specimen_ids(), get_roi_ids()",
               "exp.cell_specimen_ids, exp.roi_ids (integers)", f"{_EXP}.cell_specimen_ids"),
    Equivalent("ds.get_roi_mask(), get_roi_mask_array()",
               "exp.get_roi_masks(ids) (booleans); exp.roi_names", f"{_EXP}.get_roi_masks"),
    Equivalent("ds.get_max_projection()", "exp.get_max_projection()",
               f"{_EXP}.get_max_projection"),
    Equivalent("dxcm, dxtime = ds.get_running_speed()",
               "timestamps, speed = exp.get_running_speed() (time first)",
               f"{_EXP}.get_running_speed"),
    Equivalent("ds.get_pupil_location(), get_pupil_size()",
               "exp.get_pupil_location(), exp.get_pupil_size()", f"{_EXP}.get_pupil_location"),
    Equivalent("ds.get_stimulus_table(name)", "exp.get_stimulus_table(name)",
               f"{_EXP}.get_stimulus_table"),
    Equivalent("ds.get_stimulus_template(name)", "exp.get_stimulus_template(name, frames=)",
               f"{_EXP}.get_stimulus_template"),
    Equivalent("ds.get_stimulus(frame)", "exp.get_stimulus_at_frame(frame)",
               f"{_EXP}.get_stimulus_at_frame"),
    Equivalent("DriftingGratings(ds).peak, StaticGratings, NaturalScenes, ...",
               "analyze_stimulus(exp, name).peak (float columns, indexed by cell id)",
               f"{_AN}.analyze_stimulus"),
    Equivalent("<analysis>.response, .mean_sweep_response",
               "result.response, result.sweeps.frame()", f"{_AN}.StimulusResult"),
    Equivalent("<analysis>.sweep_response", "brainobs.analysis.stimulus_locked_responses(...)",
               f"{_AN}.stimulus_locked_responses"),
    Equivalent("<analysis>.get_signal_correlation()",
               "brainobs.analysis.signal_correlation(result)", f"{_AN}.signal_correlation"),
    Equivalent("<analysis>.get_noise_correlation()",
               "brainobs.analysis.noise_correlation(result)", f"{_AN}.noise_correlation"),
    Equivalent("<analysis>.get_representational_similarity()",
               "brainobs.analysis.representational_similarity(result)",
               f"{_AN}.representational_similarity"),
    Equivalent("boc.get_cell_specimens() metric columns (osi_dg, p_ns, ...)",
               "brainobs.analysis.compute_cell_metrics(exp)", f"{_AN}.compute_cell_metrics"),
    Equivalent("allensdk.brain_observatory.stimulus_info",
               "brainobs.stimuli (brainobs.compat.stimulus_info keeps the AllenSDK names)",
               "brainobs.stimuli.SESSION_STIMULI"),
)


def equivalents_table() -> pd.DataFrame:
    """The table as a DataFrame: ``AllenSDK (brainobs.compat)`` and ``brainobs``.

    Examples
    --------
    >>> equivalents_table().columns.tolist()
    ['AllenSDK (brainobs.compat)', 'brainobs']
    """
    import pandas as pd

    return pd.DataFrame([(e.allensdk, e.brainobs) for e in EQUIVALENTS],
                        columns=["AllenSDK (brainobs.compat)", "brainobs"])

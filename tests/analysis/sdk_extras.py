"""AllenSDK 2.16.2's correlations, speed tuning and analysis-file readers, dumped without pickle.

Run with the AllenSDK interpreter (never imports brainobs)::

    python -W ignore tests/analysis/sdk_extras.py MODE FILE.nwb OUT.npz [ANALYSIS.h5]

MODE ``correlations`` writes into OUT.npz, for every grating / scene stimulus of the session:
``<short>/signal_corr_<method>``, ``<short>/rep_similarity_<method>``,
``<short>/noise_corr_spearman`` (and ``<short>/noise_corr_blank_spearman`` for gratings;
the Pearson noise correlation runs the same code path and takes the SDK minutes);
MODE ``speed``: ``speed/<binned_*>`` and ``speed/peak_run/<column>`` from natural movie one.
MODE ``read`` (with ANALYSIS.h5): every stimulus class's ``from_analysis_file`` reads it and
``file/<short>/<attribute>`` holds what it read (sweep responses stacked as floats,
peak columns as floats or strings).
"""

import sys

import numpy as np
import pandas as pd
from allensdk.brain_observatory import stimulus_info as si
from allensdk.brain_observatory.drifting_gratings import DriftingGratings
from allensdk.brain_observatory.locally_sparse_noise import LocallySparseNoise
from allensdk.brain_observatory.natural_movie import NaturalMovie
from allensdk.brain_observatory.natural_scenes import NaturalScenes
from allensdk.brain_observatory.static_gratings import StaticGratings
from allensdk.core.brain_observatory_nwb_data_set import BrainObservatoryNwbDataSet

SHORT = {
    "drifting_gratings": "dg", "static_gratings": "sg", "natural_scenes": "ns",
    "natural_movie_one": "nm1", "natural_movie_two": "nm2", "natural_movie_three": "nm3",
    "locally_sparse_noise": "lsn", "locally_sparse_noise_4deg": "lsn4",
    "locally_sparse_noise_8deg": "lsn8",
}
CLASSES = {"drifting_gratings": DriftingGratings, "static_gratings": StaticGratings,
           "natural_scenes": NaturalScenes}


def dump_correlations(out, data_set, stimulus):
    key = SHORT[stimulus]
    analysis = CLASSES[stimulus](data_set)
    for method in ("spearman", "pearson"):
        out[f"{key}/signal_corr_{method}"] = analysis.get_signal_correlation(method)[0]
        out[f"{key}/rep_similarity_{method}"] = \
            analysis.get_representational_similarity(method)[0]
    noise = analysis.get_noise_correlation("spearman")
    out[f"{key}/noise_corr_spearman"] = noise[0]
    if len(noise) == 4:
        out[f"{key}/noise_corr_blank_spearman"] = noise[2]


def dump_speed(out, data_set):
    movie = NaturalMovie(data_set, "natural_movie_one")
    for name in ("binned_dx_sp", "binned_cells_sp", "binned_dx_vis", "binned_cells_vis"):
        out["speed/" + name] = np.asarray(getattr(movie, name), dtype=float)
    for column, values in movie.peak_run.items():
        out["speed/peak_run/" + column] = pd.to_numeric(values).astype(float).to_numpy()


def stack(frame):
    """A sweep-response table (cells of arrays) as floats: (rows, columns, samples)."""
    return np.array([[np.asarray(v, dtype=float) for v in row] for row in frame.to_numpy()])


def dump_frame(out, prefix, frame):
    out[prefix + "/index"] = frame.index.to_numpy()
    out[prefix + "/columns"] = np.array([str(c) for c in frame.columns])
    for column in frame.columns:
        values = frame[column].to_numpy()
        try:
            out[f"{prefix}/col/{column}"] = values.astype(float)
        except (TypeError, ValueError):
            out[f"{prefix}/col/{column}"] = np.array([str(v) for v in values])


def read_file(out, data_set, stimulus, path):
    key = "file/" + SHORT[stimulus]
    if stimulus.startswith("natural_movie"):
        analysis = NaturalMovie.from_analysis_file(data_set, path, stimulus)
    elif stimulus.startswith("locally"):
        analysis = LocallySparseNoise.from_analysis_file(data_set, path, stimulus)
    else:
        analysis = CLASSES[stimulus].from_analysis_file(data_set, path)
    out[key + "/sweep_response"] = stack(analysis.sweep_response)
    dump_frame(out, key + "/peak", analysis.peak)
    if stimulus.startswith("locally"):
        out[key + "/mean_response"] = analysis.mean_response
        out[key + "/mean_sweep_response"] = analysis.mean_sweep_response.to_numpy(dtype=float)
        fields = analysis.cell_index_receptive_field_analysis_data
        cells = [fields[str(i)] for i in range(len(fields))]
        out[key + "/rf/events"] = np.array([c["event_vector"]["data"] for c in cells])
        out[key + "/receptive_field"] = analysis.receptive_field
        return
    for name in ("binned_dx_sp", "binned_cells_sp", "binned_dx_vis", "binned_cells_vis"):
        out[f"{key}/{name}"] = np.asarray(getattr(analysis, name), dtype=float)
    if stimulus.startswith("natural_movie"):
        return
    out[key + "/mean_sweep_response"] = analysis.mean_sweep_response.to_numpy(dtype=float)
    out[key + "/response"] = analysis.response
    for name in ("noise_correlation", "signal_correlation", "representational_similarity"):
        if hasattr(analysis, name):
            out[f"{key}/{name}"] = getattr(analysis, name)


def main(mode, path, target, analysis_path=None):
    data_set = BrainObservatoryNwbDataSet(path)
    session = data_set.get_metadata()["session_type"]
    names = [s for s in si.SESSION_STIMULUS_MAP[session] if s != "spontaneous"]
    out = {}
    if mode == "correlations":
        for stimulus in names:
            if stimulus in CLASSES:
                dump_correlations(out, data_set, stimulus)
    elif mode == "speed":
        dump_speed(out, data_set)
    else:
        for stimulus in names:
            read_file(out, data_set, stimulus, analysis_path)
    np.savez(target, **out)


if __name__ == "__main__":
    main(*sys.argv[1:])

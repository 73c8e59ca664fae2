"""Every check on the sample release: right answers pass, '...' is not attempted, the usual
mistakes (off-by-one window, wrong axis, degrees vs radians, raw fluorescence ...) get a hint
that names them, and answers of the wrong type get a type hint instead of an exception.

Answers are computed here the way a student would, independently of the checks' code.
"""

from __future__ import annotations

import numpy as np
import pytest

from brainobs import stimuli
from brainobs.analysis import SessionData, analyze_stimulus, compute_sweep_statistics
from brainobs.exercises import (
    check_containers,
    check_decoding,
    check_dff,
    check_dsi,
    check_global_dsi,
    check_preferred_images,
    check_receptive_field,
    check_running,
    check_stimulus_locked,
    check_tuning_curve,
    split_trials,
)
from tests.exercises.conftest import first_experiment


def assert_mistake(feedback, key: str, *words: str) -> None:
    assert feedback.status == "wrong", repr(feedback)
    assert feedback.mistake == key, repr(feedback)
    for word in words:
        assert word.lower() in feedback.hint.lower(), (word, feedback.hint)


def assert_correct(feedback) -> None:
    assert feedback.passed, repr(feedback)


# -- containers --------------------------------------------------------------------------------

def test_containers(vc):
    first = vc.containers().iloc[0]
    cre, area = first["cre_line"], first["targeted_structure"]
    right = vc.containers(cre_lines=[cre], targeted_structures=[area])
    assert_correct(check_containers(right.index, cre, area, vc=vc))
    assert_correct(check_containers(right, cre, area, vc=vc))  # the table itself is fine
    assert_correct(check_containers(list(right.index)[::-1], cre, area, vc=vc))
    sessions = vc.experiments(experiment_container_ids=list(right.index)).index
    assert_mistake(check_containers(sessions, cre, area, vc=vc), "experiment_ids",
                   "experiment container ids")
    assert check_containers(..., cre, area, vc=vc).status == "not attempted"
    assert check_containers("VISp", cre, area, vc=vc).mistake == "type"


# -- dF/F --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exp_a(vc):
    exp_id = first_experiment(vc, "three_session_A")
    return exp_id, vc.experiment(exp_id)


def test_dff(vc, exp_a):
    exp_id, exp = exp_a
    cells = [int(c) for c in exp.cell_specimen_ids[[2, 4, 6]]]
    start, stop = 1800, 3600

    def check(answer):
        return check_dff(answer, exp_id, cells, start, stop, vc=vc)

    _, right = exp.get_dff(cell_specimen_ids=cells, frames=slice(start, stop))
    assert_correct(check(right))
    assert check(...).status == "not attempted"
    _, longer = exp.get_dff(cell_specimen_ids=cells, frames=slice(start, stop + 1))
    assert_mistake(check(longer), "off_by_one", "off by one", "slice")
    _, shifted = exp.get_dff(cell_specimen_ids=cells, frames=slice(start + 1, stop + 1))
    assert_mistake(check(shifted), "off_by_one")
    assert_mistake(check(right.T), "wrong_axis", "one row per cell")
    _, raw = exp.get_fluorescence(cells, frames=slice(start, stop))
    assert_mistake(check(raw), "raw_fluorescence", "fluorescence", "dF/F")
    _, first_cells = exp.get_dff(cell_specimen_ids=exp.cell_specimen_ids[:3],
                                 frames=slice(start, stop))
    assert_mistake(check(first_cells), "wrong_cells")
    assert check({"a": 1}).mistake == "type"


# -- stimulus-locked ---------------------------------------------------------------------------

def _cut(trace, starts, first, last):
    return trace[starts[:, None] + np.arange(first, last)]


def test_stimulus_locked(vc, exp_a):
    exp_id, exp = exp_a
    cell = int(exp.cell_specimen_ids[5])
    table = exp.get_stimulus_table("drifting_gratings")
    starts = table.start[table.blank_sweep == 0].to_numpy()
    trace = exp.get_dff([cell])[1][0]

    def check(answer):
        return check_stimulus_locked(answer, exp_id, cell, vc=vc)

    trials = _cut(trace, starts, -30, 60)
    assert_correct(check(trials.mean(axis=0)))
    assert check(None).status == "not attempted"
    assert_mistake(check(_cut(trace, starts, -30, 61).mean(axis=0)), "off_by_one", "off by one")
    assert_mistake(check(_cut(trace, starts, -29, 61).mean(axis=0)), "off_by_one")
    assert_mistake(check(trials.mean(axis=1)), "wrong_axis", "axis 0")
    assert_mistake(check(trials), "not_averaged")
    raw = exp.get_fluorescence([cell])[1][0]
    assert_mistake(check(_cut(raw, starts, -30, 60).mean(axis=0)), "raw_fluorescence", "dF/F")
    every = table.start.to_numpy()
    assert_mistake(check(_cut(trace, every, -30, 60).mean(axis=0)), "blank_sweeps", "blank")


# -- tuning curve, DSI, global DSI -------------------------------------------------------------

@pytest.fixture(scope="module")
def tuning_case(vc, exp_a):
    exp_id, exp = exp_a
    result = analyze_stimulus(exp, "drifting_gratings")
    cell = int(result.peak["ptest_dg"].idxmin())
    responses = result.sweeps.frame()[cell]
    table = result.sweeps.table
    pref_tf = result.values["tfvals"][int(result.peak.loc[cell, "tf_dg"])]
    at_tf = table.temporal_frequency == pref_tf
    tuning = responses[at_tf].groupby(table.orientation[at_tf]).mean()
    return exp_id, cell, responses, table, tuning


def test_tuning_curve(vc, tuning_case):
    exp_id, cell, responses, table, tuning = tuning_case

    def check(answer):
        return check_tuning_curve(answer, exp_id, cell, vc=vc)

    assert_correct(check(tuning))
    assert_correct(check(tuning.to_numpy().tolist()))
    nonblank = table.temporal_frequency > 0
    every_tf = responses[nonblank].groupby(table.orientation[nonblank]).mean()
    assert_mistake(check(every_tf), "all_frequencies", "preferred frequency")
    pref_dir = tuning.idxmax()
    at_dir = (table.orientation == pref_dir) & nonblank
    by_tf = responses[at_dir].groupby(table.temporal_frequency[at_dir]).mean()
    assert_mistake(check(by_tf), "wrong_axis", "wrong axis")
    assert check(...).status == "not attempted"


def test_dsi(vc, tuning_case):
    exp_id, cell, _, _, tuning = tuning_case
    pref_dir = tuning.idxmax()
    pref = tuning[pref_dir]

    def check(answer):
        return check_dsi(answer, exp_id, cell, vc=vc)

    null = tuning[(pref_dir + 180) % 360]
    assert_correct(check((pref - null) / (pref + null)))
    orth = (tuning[(pref_dir + 90) % 360] + tuning[(pref_dir - 90) % 360]) / 2
    assert_mistake(check((pref - orth) / (pref + orth)), "orthogonal", "OSI", "180")
    assert check("0.5").mistake == "type"
    assert check(...).status == "not attempted"


def test_global_dsi(vc, tuning_case):
    exp_id, cell, _, _, tuning = tuning_case
    r = np.clip(tuning.to_numpy(), 0, None)
    degrees = tuning.index.to_numpy()

    def check(answer):
        return check_global_dsi(answer, exp_id, cell, vc=vc)

    assert_correct(check(np.abs((r * np.exp(1j * np.deg2rad(degrees))).sum()) / r.sum()))
    assert_mistake(check(np.abs((r * np.exp(1j * degrees)).sum()) / r.sum()), "radians",
                   "degrees vs radians", "np.deg2rad")
    theta = np.deg2rad(degrees)
    assert_mistake(check(np.abs((r * np.exp(2j * theta)).sum()) / r.sum()), "orientation")


# -- preferred images --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scenes(vc):
    exp_id = first_experiment(vc, "three_session_B")
    with vc.experiment(exp_id) as exp:
        result = analyze_stimulus(exp, "natural_scenes")
    return exp_id, result


def test_preferred_images(vc, scenes):
    exp_id, result = scenes
    responses = result.sweeps.frame().drop(columns="dx")
    means = responses.groupby(result.sweeps.table["frame"]).mean()

    def check(answer):
        return check_preferred_images(answer, exp_id, vc=vc)

    right = means.drop(index=-1).idxmax()
    assert_correct(check(right))
    assert_correct(check(right.to_numpy()))
    assert_correct(check(right.iloc[::-1]))  # a Series is matched by cell id
    assert_mistake(check(np.argmax(means.to_numpy(), axis=0)), "off_by_one", "blank")
    assert_mistake(check(means.drop(index=-1).idxmax(axis=1)), "wrong_axis", "wrong axis")
    assert check(...).status == "not attempted"


# -- receptive field ---------------------------------------------------------------------------

def test_receptive_field(vc):
    exp_id = first_experiment(vc, "three_session_C", "three_session_C2")
    with vc.experiment(exp_id) as exp:
        noise = [s for s in exp.list_stimuli() if s in stimuli.SPARSE_NOISE][0]
        data = SessionData.from_experiment(exp, [noise])
    table = data.table(noise)
    sweeps = compute_sweep_statistics(noise, table, data.corrected, data.running_speed,
                                      data.acquisition_rate, data.cell_specimen_ids)
    cell = int(data.cell_specimen_ids[3])
    responses = sweeps.frame()[cell].to_numpy()
    shown = data.templates[noise][table["frame"].to_numpy()]
    valid = ~np.isnan(responses)

    def mean_map(level):
        hit = shown[valid] == level
        return (hit * responses[valid, None, None]).sum(axis=0) / hit.sum(axis=0)

    def check(answer):
        return check_receptive_field(answer, exp_id, cell, noise, vc=vc)

    on_map = mean_map(255)
    assert_correct(check(on_map))
    assert_mistake(check(on_map.T), "wrong_axis", "rows and columns")
    assert_mistake(check(mean_map(0)), "off", "OFF")
    assert check(...).status == "not attempted"


# -- running -----------------------------------------------------------------------------------

def test_running(vc, exp_a):
    exp_id, exp = exp_a
    speed = exp.get_running_speed()[1]
    dff = exp.get_dff()[1]
    raw = exp.get_fluorescence()[1]
    n = min(len(speed), dff.shape[1])
    speed, dff, raw = speed[:n], dff[:, :n], raw[:, :n]
    with np.errstate(invalid="ignore"):
        running, still = speed > 1, speed < 1

    def check(answer):
        return check_running(answer, exp_id, vc=vc)

    right = dff[:, running].mean(axis=1) - dff[:, still].mean(axis=1)
    assert_correct(check(right))
    assert_mistake(check(-right), "reversed", "reversed")
    assert_mistake(check(raw[:, running].mean(axis=1) - raw[:, still].mean(axis=1)),
                   "raw_fluorescence", "dF/F")
    assert_mistake(check(dff.mean(axis=0)), "wrong_axis", "one value per cell")
    if np.isnan(speed).any():
        nan_still = dff[:, running].mean(axis=1) - dff[:, ~running].mean(axis=1)
        assert_mistake(check(nan_still), "nan_as_stationary", "NaN")
    assert check(...).status == "not attempted"


# -- decoding ----------------------------------------------------------------------------------

def test_decoding(vc, scenes):
    exp_id, result = scenes
    images = result.sweeps.table["frame"].to_numpy()
    x = np.nan_to_num(result.sweeps.frame().drop(columns="dx").to_numpy()[images >= 0])
    y = images[images >= 0]
    train = split_trials(y)

    def accuracy(test):
        labels = np.unique(y[train])
        centroids = np.stack([x[train & (y == k)].mean(axis=0) for k in labels])
        d = ((x[test][:, None] - centroids[None]) ** 2).sum(axis=2)
        return np.mean(labels[d.argmin(axis=1)] == y[test])

    def check(answer):
        return check_decoding(answer, exp_id, vc=vc)

    right = accuracy(~train)
    assert 1 / 118 < right < 1  # better than chance on the sample
    assert_correct(check(right))
    assert_mistake(check(100 * right), "percent", "fraction")
    assert_mistake(check(accuracy(train)), "tested_on_training", "training")
    assert check(...).status == "not attempted"


def test_split_trials_alternates_within_each_image():
    assert split_trials(np.array([3, 3, 3, 9, 9])).tolist() == [True, False, True, True, False]


def test_graded_hints_escalate_on_repeated_wrong_answers(vc, tuning_case):
    exp_id, cell, *_ = tuning_case
    given = [check_dsi(-5.0 - k, exp_id, cell, vc=vc) for k in range(4)]
    assert [f.level for f in given] == [1, 2, 3, 3]
    assert "(nudge)" in given[0].hint
    assert "(concept)" in given[1].hint
    assert "(exact step)" in given[2].hint and "180" in given[2].hint
    assert all(f.mistake is None for f in given)


ODD_ANSWERS = ["text", {"a": 1}, [[1, 2], [3]], np.array([]), float("nan"), object(), 3 + 2j,
               [None, None]]


@pytest.mark.parametrize("answer", ODD_ANSWERS, ids=lambda a: type(a).__name__)
def test_no_check_raises_on_odd_answers(vc, exp_a, scenes, answer):
    exp_id, exp = exp_a
    cell = int(exp.cell_specimen_ids[0])
    b_id = scenes[0]
    c_id = first_experiment(vc, "three_session_C", "three_session_C2")
    with vc.experiment(c_id) as exp_c:
        noise = [s for s in exp_c.list_stimuli() if s in stimuli.SPARSE_NOISE][0]
        c_cell = int(exp_c.cell_specimen_ids[0])
    first = vc.containers().iloc[0]
    calls = [
        lambda a: check_containers(a, first["cre_line"], first["targeted_structure"], vc=vc),
        lambda a: check_dff(a, exp_id, [cell], 0, 100, vc=vc),
        lambda a: check_stimulus_locked(a, exp_id, cell, vc=vc),
        lambda a: check_tuning_curve(a, exp_id, cell, vc=vc),
        lambda a: check_dsi(a, exp_id, cell, vc=vc),
        lambda a: check_global_dsi(a, exp_id, cell, vc=vc),
        lambda a: check_preferred_images(a, b_id, vc=vc),
        lambda a: check_receptive_field(a, c_id, c_cell, noise, vc=vc),
        lambda a: check_running(a, exp_id, vc=vc),
        lambda a: check_decoding(a, b_id, vc=vc),
    ]
    for call in calls:
        feedback = call(answer)
        assert feedback.status == "wrong" and feedback.hint, repr(feedback)

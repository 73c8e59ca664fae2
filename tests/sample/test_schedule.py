"""Stimulus schedules: real block orders and every timing rule AllenSDK relies on."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs import stimuli as st
from brainobs.sample.design import SIZES
from brainobs.sample.schedule import BLOCK_ORDER, FRAME_PERIOD, make_schedule

#: AllenSDK get_stimulus_epoch_table thresholds (frames) and expected epoch counts.
THRESHOLD = {"three_session_A": 39, "three_session_B": 15, "three_session_C": 7,
             "three_session_C2": 7}
EPOCHS = {"three_session_A": 7, "three_session_B": 8, "three_session_C": 7,
          "three_session_C2": 10}
CASES = [(t, s) for t in st.SESSION_TYPES for s in ("small", "default")]


def _schedule(session_type: str, size: str = "default", seed: int = 0):
    return make_schedule(session_type, SIZES[size], np.random.default_rng(seed))


def _table_rows(schedule, name):
    """(start, end) rows as AllenSDK builds them from the presentation (sorted by start)."""
    pres = schedule.presentations()[name]
    if name == st.SPONTANEOUS:
        starts = pres.frame_duration[pres.data == 1, 0]
        ends = pres.frame_duration[pres.data == -1, 0]
        return np.column_stack([starts, ends])
    return pres.frame_duration[np.argsort(pres.frame_duration[:, 0], kind="stable")]


def _epochs(schedule):
    """Re-implementation of AllenSDK's epoch cutting: [(stimulus, start, end)] sorted."""
    out = []
    for name in schedule.tables:
        rows = _table_rows(schedule, name)
        cuts = np.flatnonzero(rows[1:, 0] - rows[:-1, 1] > THRESHOLD[schedule.session_type]) + 1
        assert len(cuts) <= 2, f"{name}: more than 3 epochs"
        for part in np.split(rows, cuts):
            out.append((name, int(part[0, 0]), int(part[-1, 1])))
    return sorted(out, key=lambda x: x[1])


@pytest.mark.parametrize(("session_type", "size"), CASES)
def test_epochs_follow_the_real_block_order(session_type, size):
    schedule = _schedule(session_type, size)
    epochs = _epochs(schedule)
    assert len(epochs) == EPOCHS[session_type]
    assert tuple(e[0] for e in epochs) == BLOCK_ORDER[session_type]
    assert [b[0] for b in schedule.blocks] == list(BLOCK_ORDER[session_type])
    assert all(e[1] < f[1] for e, f in zip(epochs, epochs[1:], strict=False))


@pytest.mark.parametrize(("session_type", "size"), CASES)
def test_sweep_windows_fit_around_every_block(session_type, size):
    schedule = _schedule(session_type, size)
    starts = [b[1] for b in schedule.blocks[1:]] + [schedule.n_frames]
    ends = [0] + [b[2] for b in schedule.blocks]
    for k, (name, first, after) in enumerate(schedule.blocks):
        rows = schedule.tables[name]
        inside = (rows.start >= first) & (rows.start <= after)
        assert rows.start[inside].min() - ends[k] >= 30  # grey before the first trial
        assert starts[k] - rows.end[inside].max() >= 30  # ... and after the last one
        if name == st.DRIFTING_GRATINGS:  # AllenSDK's window runs to 90 frames after onset
            assert rows.start[inside].max() + 90 <= starts[k]


def test_drifting_gratings_are_two_seconds_on_one_off():
    rows = _schedule("three_session_A").tables[st.DRIFTING_GRATINGS]
    assert set((rows.end - rows.start).tolist()) == {60}
    step = np.diff(rows.start)
    assert set(step[step < 200].tolist()) <= {90, 91}


@pytest.mark.parametrize("name", [st.STATIC_GRATINGS, st.NATURAL_SCENES])
def test_flashed_sweeps_are_back_to_back_and_the_second_row_lasts_7_frames(name):
    schedule = _schedule("three_session_B")
    rows = _table_rows(schedule, name)
    assert rows[1, 1] - rows[1, 0] == 7
    assert set((rows[:, 1] - rows[:, 0]).tolist()) == {7, 8}
    gaps = rows[1:, 0] - rows[:-1, 1]
    assert (gaps[gaps < 30] == 0).all()


@pytest.mark.parametrize("session_type", ["three_session_C", "three_session_C2"])
def test_sparse_noise_shows_template_frames_in_order(session_type):
    schedule = _schedule(session_type)
    for name in st.stimuli_in_session(session_type):
        if name in st.SPARSE_NOISE:
            rows = schedule.tables[name]
            assert np.array_equal(rows.cond, np.arange(len(rows.cond)))
            assert rows.end[1] - rows.start[1] == 7


@pytest.mark.parametrize("session_type", st.SESSION_TYPES)
def test_movies_show_whole_repeats_one_frame_per_imaging_frame(session_type):
    size = SIZES["default"]
    schedule = _schedule(session_type)
    for name in st.NATURAL_MOVIES:
        if name not in schedule.tables:
            continue
        rows = schedule.tables[name]
        n = size.movie_frames[name]
        assert len(rows.cond) == n * size.movie_repeats
        assert np.array_equal(rows.cond, np.tile(np.arange(n), size.movie_repeats))
        assert (rows.end - rows.start == 1).all()
        step = np.diff(rows.start)
        assert (step[step < 30] == 1).all()


def test_conditions_are_balanced_and_blanks_coded_like_the_real_files():
    size = SIZES["default"]
    a = _schedule("three_session_A").presentations()[st.DRIFTING_GRATINGS]
    blank = a.data[:, 2] == 1
    assert np.isnan(a.data[blank, :2]).all() and not np.isnan(a.data[~blank]).any()
    combos = {tuple(r) for r in a.data[~blank, :2]}
    assert len(combos) == 40
    assert (~blank).sum() == 40 * size.dg_repeats
    b = _schedule("three_session_B").presentations()
    sg = b[st.STATIC_GRATINGS].data
    assert np.isnan(sg).all(axis=1).sum() >= 3
    assert len({tuple(r) for r in sg[~np.isnan(sg).any(axis=1)]}) == 120
    frames = b[st.NATURAL_SCENES].data
    assert np.array_equal(np.bincount(frames + 1), np.full(119, size.ns_repeats))
    assert b[st.STATIC_GRATINGS].features == ("orientation", "spatial_frequency", "phase")
    assert a.features == ("temporal_frequency", "orientation", "blank_sweep")


def test_spontaneous_rows_are_plus_and_minus_one_with_equal_frames():
    pres = _schedule("three_session_C").presentations()[st.SPONTANEOUS]
    assert pres.data.tolist() == [1, -1, 1, -1]
    assert (pres.frame_duration[:, 0] == pres.frame_duration[:, 1]).all()


def test_timestamps_run_at_about_30_hz():
    schedule = _schedule("three_session_A")
    assert np.allclose(np.diff(schedule.timestamps), FRAME_PERIOD)
    pres = schedule.presentations()[st.DRIFTING_GRATINGS]
    assert np.array_equal(pres.timestamps, schedule.timestamps[pres.frame_duration[:, 0]])


def test_large_sessions_have_real_repeat_counts_and_last_about_an_hour():
    size = SIZES["large"]
    a = _schedule("three_session_A", "large")
    assert len(a.tables[st.DRIFTING_GRATINGS].cond) == 630
    assert len(a.tables[st.NATURAL_MOVIE_THREE].cond) == 36000
    b = _schedule("three_session_B", "large")
    assert len(b.tables[st.NATURAL_SCENES].cond) == 5950
    assert 5900 <= len(b.tables[st.STATIC_GRATINGS].cond) <= 6100
    c = _schedule("three_session_C", "large")
    assert len(c.tables[st.LOCALLY_SPARSE_NOISE].cond) == 3 * size.lsn_frames == 8880
    for schedule in (a, b, c):
        assert 55 * 60 < schedule.n_frames * FRAME_PERIOD < 70 * 60


def test_schedules_depend_on_the_random_stream():
    a = _schedule("three_session_B", seed=0).tables[st.NATURAL_SCENES].cond
    b = _schedule("three_session_B", seed=1).tables[st.NATURAL_SCENES].cond
    assert not np.array_equal(a, b)
    assert np.array_equal(a, _schedule("three_session_B", seed=0).tables[st.NATURAL_SCENES].cond)

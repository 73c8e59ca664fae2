"""Stimulus templates: real aspect ratios and grids, real sparse-noise structure, made-up images."""

from __future__ import annotations

import numpy as np
import pytest

from brainobs import stimuli as st
from brainobs.sample.templates import (
    LSN_EXCLUSION,
    make_movie,
    make_scenes,
    make_sparse_noise,
    template_reduction,
)


@pytest.fixture(scope="module")
def scenes():
    return make_scenes()


def test_scenes_keep_the_real_count_and_aspect_ratio(scenes):
    assert scenes.shape[0] == st.N_NATURAL_SCENES
    assert scenes.dtype == np.float32
    assert np.array_equal(scenes, np.round(scenes)) and scenes.min() >= 0 and scenes.max() <= 255
    real = st.NATURAL_SCENES_PIXELS[0] / st.NATURAL_SCENES_PIXELS[1]
    assert abs(scenes.shape[1] / scenes.shape[2] - real) < 0.01


def test_scenes_are_distinct_textured_images(scenes):
    flat = scenes.reshape(len(scenes), -1)
    corr = np.corrcoef(flat)
    assert np.abs(corr[np.triu_indices(len(flat), 1)]).max() < 0.9
    assert (flat.std(axis=1) > 10).all()


def test_movies_move_and_keep_the_real_aspect_ratio():
    movie = make_movie(300, st.NATURAL_MOVIE_ONE)
    assert movie.dtype == np.uint8 and movie.shape == (300, 51, 102)
    step = np.abs(np.diff(movie.astype(float), axis=0)).mean(axis=(1, 2))
    assert (step > 0).mean() > 0.9  # nearly every frame differs from the previous one
    assert np.array_equal(movie, make_movie(300, st.NATURAL_MOVIE_ONE))


@pytest.mark.parametrize("name", st.SPARSE_NOISE)
def test_sparse_noise_has_spots_on_grey_and_respects_the_exclusion_zone(name):
    frames = make_sparse_noise(name, 300)
    assert frames.shape[1:] == st.SPARSE_NOISE_DIMENSIONS[name]
    assert set(np.unique(frames).tolist()) == {st.LSN_OFF, st.LSN_GREY, st.LSN_ON}
    counts = []
    for frame in frames:
        rows, cols = np.nonzero(frame != st.LSN_GREY)
        counts.append(len(rows))
        d = np.maximum(np.abs(rows[:, None] - rows), np.abs(cols[:, None] - cols))
        assert d[np.triu_indices(len(rows), 1)].min(initial=99) >= LSN_EXCLUSION
    if st.SPARSE_NOISE_DIMENSIONS[name] == (16, 28):
        assert 9 < np.mean(counts) < 13
    on = (frames == st.LSN_ON).sum()
    off = (frames == st.LSN_OFF).sum()
    assert 0.8 < on / off < 1.25


def test_template_reduction_names_the_real_size_of_reduced_templates(scenes):
    movie = make_movie(10, st.NATURAL_MOVIE_TWO)
    lsn = make_sparse_noise(st.LOCALLY_SPARSE_NOISE, 3)
    out = template_reduction({st.NATURAL_SCENES: scenes, st.NATURAL_MOVIE_TWO: movie,
                              st.LOCALLY_SPARSE_NOISE: lsn})
    assert out == {st.NATURAL_SCENES: (918, 1174), st.NATURAL_MOVIE_TWO: (304, 608)}

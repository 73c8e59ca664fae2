"""Natural movies: per-repeat dF/F, peak frame and the first-10-repeats reliability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from brainobs.analysis.movies import analyze_natural_movie, movie_repeats


def _table(n_repeats: int, length: int, first: int = 50) -> pd.DataFrame:
    frames = np.tile(np.arange(length), n_repeats)
    return pd.DataFrame({"frame": frames, "start": first + np.arange(len(frames))})


def test_reliability_uses_the_first_ten_repeats_and_peak_the_mean_of_all():
    rng = np.random.default_rng(5)
    length, n_rep = 40, 12
    pattern = np.zeros(length)
    pattern[17] = 1.0
    dff = rng.normal(0, 0.05, (2, 50 + length * n_rep + 10)).astype(np.float32)
    for k in range(n_rep):
        dff[0, 50 + k * length : 50 + (k + 1) * length] += pattern.astype(np.float32)
    dff[1, 50 + 10 * length : 50 + 12 * length] += 5.0  # repeats 11-12 only: ignored by r
    result = analyze_natural_movie("natural_movie_one", _table(n_rep, length), dff,
                                   np.array([1, 2]))
    peak = result.peak
    assert peak.columns.tolist() == ["peak_nm1", "response_reliability_nm1"]
    assert peak.loc[1, "peak_nm1"] == 17
    repeats = [dff[1, 50 + k * length : 50 + (k + 1) * length].astype(float) for k in range(10)]
    rs = [stats.pearsonr(repeats[i], repeats[j])[0] for i in range(10) for j in range(i + 1, 10)]
    assert peak.loc[2, "response_reliability_nm1"] == pytest.approx(np.mean(rs), rel=1e-9)
    assert peak.loc[1, "response_reliability_nm1"] > 0.5 > abs(np.mean(rs))


def test_planted_movie_responses_are_reliable(synthetic_session):
    content, _, data = synthetic_session("three_session_A")
    responsive = content.extra["truth"]["amp"] > 0.3
    for movie in ("natural_movie_one", "natural_movie_three"):
        result = analyze_natural_movie(movie, data.table(movie), data.dff, data.cell_specimen_ids)
        short = "nm1" if movie.endswith("one") else "nm3"
        rel = result.peak[f"response_reliability_{short}"].to_numpy()
        assert (rel[responsive] > 0.2).all() and (np.abs(rel[~(content.extra["truth"]["amp"] > 0)])
                                                  < 0.05).all()
        assert result.extra["repeat_length"] == (900 if short == "nm1" else 3600)


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="not a natural movie"):
        analyze_natural_movie("natural_scenes", _table(2, 3), np.zeros((1, 60)), np.array([1]))
    with pytest.raises(ValueError, match="two repeats"):
        movie_repeats(_table(1, 3))

"""The vectorised statistics equal scipy's (the functions AllenSDK calls), edge cases included."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from brainobs.analysis._stats import (
    group_response,
    grouped_anova_p,
    mean_pairwise_pearson,
    two_group_anova_p,
    welch_p,
)

RNG = np.random.default_rng(42)


def test_two_group_anova_matches_f_oneway_per_row():
    x = RNG.normal(size=(7, 5, 42))
    x[..., 28:] += RNG.normal(size=(7, 5, 1))
    got = two_group_anova_p(x, 28)
    want = np.array([[stats.f_oneway(r[:28], r[28:]).pvalue for r in cell] for cell in x])
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_two_group_anova_constant_groups_and_nan():
    x = np.array([[1.0, 1, 1, 2, 2], [3.0, 3, 3, 3, 3], [1.0, np.nan, 2, 3, 4]])
    p = two_group_anova_p(x, 3)
    assert p[0] == 0.0  # each group constant, groups differ (scipy: F = inf)
    assert np.isnan(p[1]) and np.isnan(p[2])


def test_grouped_anova_matches_f_oneway_with_unequal_groups():
    values = RNG.normal(size=(60, 4))
    values[:20] += 1.0
    groups = [np.arange(0, 20), np.arange(20, 45), np.arange(45, 60)]
    got = grouped_anova_p(values, groups)
    want = [stats.f_oneway(*(values[g, c] for g in groups)).pvalue for c in range(4)]
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_grouped_anova_empty_group_or_nan_gives_nan():
    values = RNG.normal(size=(10, 2))
    assert np.isnan(grouped_anova_p(values, [np.arange(5), np.array([], int)])).all()
    values[3, 1] = np.nan
    p = grouped_anova_p(values, [np.arange(5), np.arange(5, 10)])
    assert np.isfinite(p[0]) and np.isnan(p[1])


def test_welch_matches_ttest_ind_on_masked_subsets():
    x = RNG.normal(size=(6, 30)) + np.linspace(0, 1, 30)
    first = RNG.random((6, 30)) < 0.4
    second = ~first & (RNG.random((6, 30)) < 0.8)
    got = welch_p(x, first, second)
    want = [stats.ttest_ind(r[a], r[b], equal_var=False).pvalue
            for r, a, b in zip(x, first, second, strict=True)]
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_mean_pairwise_pearson_matches_pearsonr_and_skips_constant_trials():
    traces = RNG.normal(size=(3, 6, 14))
    traces[1, 2] = 5.0  # a constant trial: its pairs are NaN and left out
    valid = np.ones((3, 6), bool)
    valid[2, 4:] = False  # padded trials
    got = mean_pairwise_pearson(traces, valid)
    for c in range(3):
        rows = [traces[c, i] for i in range(6) if valid[c, i]]
        rs = [stats.pearsonr(rows[i], rows[j])[0] for i in range(len(rows))
              for j in range(i + 1, len(rows)) if np.ptp(rows[i]) > 0 and np.ptp(rows[j]) > 0]
        assert got[c] == pytest.approx(np.mean(rs), rel=1e-12)


def test_group_response_is_pandas_mean_and_sem_with_counts():
    import pandas as pd

    values = RNG.normal(size=(40, 3))
    values[5, 1] = np.nan
    pvals = RNG.random((40, 3))
    codes = RNG.integers(-1, 4, 40)
    got = group_response(values, pvals, codes, 5, 0.3)
    frame = pd.DataFrame(values)
    for g in range(4):
        rows = codes == g
        sub = frame[rows]
        np.testing.assert_allclose(got[g, :, 0], sub.mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(got[g, :, 1], sub.std(axis=0) / np.sqrt(rows.sum()), rtol=1e-12)
        np.testing.assert_array_equal(got[g, :, 2], (pvals[rows] < 0.3).sum(axis=0))
    assert np.isnan(got[4]).all()  # no trials in group 4

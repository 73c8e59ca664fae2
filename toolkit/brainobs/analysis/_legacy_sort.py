"""numpy 1.x's default ``argsort`` (introsort) for float64, tie order included.

Sorting orders equal values arbitrarily but deterministically; which of several equal
running speeds lands in which speed bin depends on that order. AllenSDK ran
``np.argsort`` with numpy's classic introsort (median-of-3 quicksort, insertion sort below
16 elements, heapsort past a depth limit); numpy >= 1.25 may use SIMD sorts that order ties
differently. This is that classic algorithm, step for step, so the bins hold the same
samples as AllenSDK's. Pure Python: about a second per 100,000 values.
"""

from __future__ import annotations

import numpy as np

__all__ = ["legacy_argsort"]

_SMALL = 15


def _less(a: float, b: float) -> bool:
    """numpy's float order: NaN after everything."""
    return a < b or (b != b and a == a)


def _heapsort(v: list[float], idx: list[int], lo: int, n: int) -> None:
    """numpy's ``aheapsort`` on ``idx[lo : lo + n]`` (1-based heap indexing)."""
    base = lo - 1

    def sift(i: int, j: int, tmp: int, size: int) -> None:
        while j <= size:
            if j < size and _less(v[idx[base + j]], v[idx[base + j + 1]]):
                j += 1
            if _less(v[tmp], v[idx[base + j]]):
                idx[base + i] = idx[base + j]
                i, j = j, j + j
            else:
                break
        idx[base + i] = tmp

    for first in range(n >> 1, 0, -1):
        sift(first, first << 1, idx[base + first], n)
    while n > 1:
        tmp = idx[base + n]
        idx[base + n] = idx[base + 1]
        n -= 1
        sift(1, 2, tmp, n)


def _partition(v: list[float], idx: list[int], pl: int, pr: int) -> int:
    """Median-of-three Hoare partition of ``idx[pl..pr]``; returns the pivot position."""
    pm = pl + ((pr - pl) >> 1)
    if _less(v[idx[pm]], v[idx[pl]]):
        idx[pm], idx[pl] = idx[pl], idx[pm]
    if _less(v[idx[pr]], v[idx[pm]]):
        idx[pr], idx[pm] = idx[pm], idx[pr]
    if _less(v[idx[pm]], v[idx[pl]]):
        idx[pm], idx[pl] = idx[pl], idx[pm]
    vp = v[idx[pm]]
    pi, pj = pl, pr - 1
    idx[pm], idx[pj] = idx[pj], idx[pm]
    while True:
        pi += 1
        while _less(v[idx[pi]], vp):
            pi += 1
        pj -= 1
        while _less(vp, v[idx[pj]]):
            pj -= 1
        if pi >= pj:
            break
        idx[pi], idx[pj] = idx[pj], idx[pi]
    idx[pi], idx[pr - 1] = idx[pr - 1], idx[pi]
    return pi


def _insertion(v: list[float], idx: list[int], pl: int, pr: int) -> None:
    for pi in range(pl + 1, pr + 1):
        vi = idx[pi]
        vp = v[vi]
        pj = pi
        while pj > pl and _less(vp, v[idx[pj - 1]]):
            idx[pj] = idx[pj - 1]
            pj -= 1
        idx[pj] = vi


def legacy_argsort(values: np.ndarray) -> np.ndarray:
    """Indices that sort a 1-D float array, ties ordered as numpy 1.x's ``np.argsort``.

    Examples
    --------
    >>> legacy_argsort(np.array([2.0, np.nan, 1.0, 2.0])).tolist()
    [2, 0, 3, 1]
    """
    v = np.asarray(values, dtype=float).tolist()
    idx = list(range(len(v)))
    pl, pr = 0, len(v) - 1
    stack: list[tuple[int, int, int]] = []
    depth = 2 * (max(len(v), 1).bit_length() - 1)
    while True:
        if depth < 0:
            _heapsort(v, idx, pl, pr - pl + 1)
        else:
            while pr - pl > _SMALL:
                pi = _partition(v, idx, pl, pr)
                depth -= 1
                if pi - pl < pr - pi:
                    stack.append((pi + 1, pr, depth))
                    pr = pi - 1
                else:
                    stack.append((pl, pi - 1, depth))
                    pl = pi + 1
            _insertion(v, idx, pl, pr)
        if not stack:
            return np.array(idx, dtype=np.int64)
        pl, pr, depth = stack.pop()

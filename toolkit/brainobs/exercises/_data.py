"""The data the checks compare with: the source in use, opened experiments, cached results.

Checks compute the right answer from the same data the notebook uses (``$BRAINOBS_SOURCE``
unless a ``VisualCoding2P`` is passed), once per source and experiment: later checks of the
same answer reuse it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

if TYPE_CHECKING:
    from ..analysis.result import StimulusResult
    from ..cache.observatory import VisualCoding2P

__all__ = ["observatory", "remember", "read_experiment", "stimulus_result", "clear"]

T = TypeVar("T")
_MEMORY: dict[tuple[Hashable, ...], Any] = {}
_MAX_ITEMS = 32


def observatory(vc: VisualCoding2P | None = None) -> VisualCoding2P:
    """The dataset to check against: ``vc``, else the one ``$BRAINOBS_SOURCE`` names.

    Examples
    --------
    >>> observatory().source.name  # doctest: +SKIP
    'sample'
    """
    if vc is not None:
        return vc
    from ..cache.observatory import VisualCoding2P

    key = ("observatory", os.environ.get("BRAINOBS_SOURCE"), os.environ.get("BRAINOBS_CACHE_DIR"))
    if key not in _MEMORY:
        _MEMORY[key] = VisualCoding2P(progress=False)
    return _MEMORY[key]


def _source_key(vc: VisualCoding2P) -> str:
    return str(vc.source.url or vc.source.release)


def remember(vc: VisualCoding2P, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per data source and ``key``; later calls return the kept value.

    Examples
    --------
    >>> remember(vc, ("answer", 1), lambda: 42)  # doctest: +SKIP
    42
    """
    full = (_source_key(vc), *key)
    if full not in _MEMORY:
        if len(_MEMORY) >= _MAX_ITEMS:
            _MEMORY.pop(next(iter(_MEMORY)))
        _MEMORY[full] = compute()
    return _MEMORY[full]


def read_experiment(vc: VisualCoding2P, experiment_id: int, reader: Callable[[Any], T]) -> T:
    """Open an experiment, apply ``reader`` to it, close it.

    Examples
    --------
    >>> read_experiment(vc, 920010003, lambda exp: exp.number_of_cells)  # doctest: +SKIP
    35
    """
    with vc.experiment(int(experiment_id)) as exp:
        return reader(exp)


def stimulus_result(vc: VisualCoding2P, experiment_id: int, stimulus: str) -> StimulusResult:
    """``brainobs.analysis.analyze_stimulus`` of one experiment and stimulus, kept (without
    the fluorescence traces, which the checks do not need).

    Examples
    --------
    >>> stimulus_result(vc, 920010003, "drifting_gratings").peak.shape  # doctest: +SKIP
    (35, 12)
    """
    from ..analysis import analyze_stimulus

    def compute() -> StimulusResult:
        result = read_experiment(vc, experiment_id, lambda exp: analyze_stimulus(exp, stimulus))
        if result.sweeps is not None:  # the checks need the per-trial responses, not the traces
            result.sweeps.traces = np.empty((0, 0))
        return result

    return remember(vc, ("analysis", int(experiment_id), stimulus), compute)


def clear() -> None:
    """Forget every kept reference value.

    Examples
    --------
    >>> clear()
    """
    _MEMORY.clear()

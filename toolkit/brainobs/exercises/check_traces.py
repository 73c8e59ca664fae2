"""Checks of the dataset and trace exercises: containers, dF/F, stimulus-locked responses,
running versus stationary.

Each check computes the right answer from the data in use and recognises the usual mistakes
(the wrong filter, one frame too many, raw fluorescence instead of dF/F, the wrong axis ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import stimuli as st
from ._data import observatory, read_experiment, remember
from .convert import as_array, as_id_set, as_per_cell
from .feedback import Feedback, Hints, Mistake, grade

if TYPE_CHECKING:
    from ..cache.observatory import VisualCoding2P

__all__ = ["check_containers", "check_dff", "check_stimulus_locked", "check_running"]

RAW = ("You used fluorescence (raw or neuropil-corrected), not dF/F: brightness in arbitrary "
       "units is not comparable between cells. Use exp.get_dff(...).")


def check_containers(answer: Any, cre_line: str, area: str, *,
                     vc: VisualCoding2P | None = None) -> Feedback:
    """Check the ids of the experiment containers of one cre line in one area.

    Parameters
    ----------
    answer : list of int, array, pandas Index or DataFrame
        The container ids (a table's index is used).
    cre_line, area : str
        The cre line and targeted structure asked for.
    vc : VisualCoding2P, optional
        The dataset (default: the one ``$BRAINOBS_SOURCE`` names).

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_containers(..., "Cux2-CreERT2", "VISp").status
    'not attempted'
    """
    def expected() -> frozenset[int]:
        data = observatory(vc)
        return frozenset(int(i) for i in data.containers(cre_lines=[cre_line],
                                                         targeted_structures=[area]).index)

    def mistakes() -> list[Mistake]:
        data = observatory(vc)
        ids = sorted(expected())
        return [
            Mistake("experiment_ids", as_id_set(data.experiments(experiment_container_ids=ids)
                                                .index),
                    "These are ophys experiment ids (one per session); the question asks for "
                    "experiment container ids (one per field of view)."),
            Mistake("include_failed", as_id_set(data.containers(
                cre_lines=[cre_line], targeted_structures=[area], include_failed=True).index),
                "Your list includes containers that failed quality control; leave them out "
                "(the default of vc.containers)."),
            Mistake("missing_area", as_id_set(data.containers(cre_lines=[cre_line]).index),
                    f"You filtered by cre line only: also keep only the area {area!r}."),
            Mistake("missing_cre_line",
                    as_id_set(data.containers(targeted_structures=[area]).index),
                    f"You filtered by area only: also keep only the cre line {cre_line!r}."),
        ]

    hints = Hints(
        "vc.containers() lists every container; it takes filters as keyword arguments.",
        "Filters are lists: cre_lines=[...] and targeted_structures=[...]; the ids are the "
        "table's index.",
        "answer = vc.containers(cre_lines=[cre_line], targeted_structures=[area]).index",
    )
    return grade("Containers", answer, convert=lambda a: as_id_set(a, "container ids"),
                 expected=expected, mistakes=mistakes, hints=hints, compare=lambda a, b: a == b)


def _trace_rows(vc: VisualCoding2P, experiment_id: int, cells: tuple[int, ...],
                getter: str) -> np.ndarray:
    def compute() -> np.ndarray:
        return read_experiment(vc, experiment_id,
                               lambda exp: np.asarray(getattr(exp, getter)(list(cells))[1]))

    return remember(vc, ("traces", int(experiment_id), cells, getter), compute)


def check_dff(answer: Any, experiment_id: int, cell_specimen_ids: Any, start: int, stop: int,
              *, vc: VisualCoding2P | None = None) -> Feedback:
    """Check the dF/F of some cells over frames ``start`` to ``stop - 1``.

    Parameters
    ----------
    answer : array, shape (n_cells, stop - start)
        dF/F, one row per cell in the order of ``cell_specimen_ids``.
    experiment_id : int
    cell_specimen_ids : list of int
    start, stop : int
        First frame, and the frame after the last.
    vc : VisualCoding2P, optional

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_dff(None, 920010003, [940010001], 0, 1800).status
    'not attempted'
    """
    cells = tuple(int(c) for c in cell_specimen_ids)

    def window(getter: str, first: int, last: int) -> np.ndarray:
        return _trace_rows(observatory(vc), experiment_id, cells, getter)[:, max(first, 0):last]

    def mistakes() -> list[Mistake]:
        right = window("get_dff", start, stop)
        slip = ("Off by one frame: frames start to stop - 1 are slice(start, stop) — Python "
                "slices leave out their end.")
        data = observatory(vc)
        first = read_experiment(data, experiment_id, lambda e: e.cell_specimen_ids[:len(cells)])
        return [
            Mistake("off_by_one", window("get_dff", start, stop + 1), slip),
            Mistake("off_by_one", window("get_dff", start + 1, stop + 1), slip),
            Mistake("off_by_one", window("get_dff", start - 1, stop - 1), slip),
            Mistake("off_by_one", window("get_dff", start, stop - 1), slip),
            Mistake("wrong_axis", right.T, "Rows and columns are swapped: the answer should "
                    "have one row per cell and one column per frame (shape cells × frames)."),
            Mistake("raw_fluorescence", window("get_fluorescence", start, stop), RAW),
            Mistake("raw_fluorescence", window("get_corrected", start, stop), RAW),
            Mistake("percent", 100 * right, "dF/F is a fraction here, not a percentage: do "
                    "not multiply by 100."),
            Mistake("wrong_cells", read_experiment(data, experiment_id, lambda e: np.asarray(
                e.get_dff(list(first), frames=slice(start, stop))[1])),
                "These are the first cells of the experiment, not the cells asked for: pass "
                "cell_specimen_ids=cell_ids."),
        ]

    hints = Hints(
        "exp.get_dff(...) returns (timestamps, traces); you need the traces of a few cells "
        "over a few frames.",
        "get_dff takes the cells (cell_specimen_ids=[...]) and the frames (frames=slice(...)); "
        "a slice leaves out its end.",
        "timestamps, dff = exp.get_dff(cell_specimen_ids=cell_ids, frames=slice(start, stop))",
    )
    return grade("dF/F traces", answer,
                 convert=lambda a: as_array(a, "a 2-D array of dF/F (cells × frames)"),
                 expected=lambda: window("get_dff", start, stop), mistakes=mistakes, hints=hints)


def _locked(trace: np.ndarray, starts: np.ndarray, first: int, last: int) -> np.ndarray:
    return trace[starts[:, None] + np.arange(first, last)]


def check_stimulus_locked(answer: Any, experiment_id: int, cell_specimen_id: int,
                          before: int = 30, after: int = 60, *,
                          vc: VisualCoding2P | None = None) -> Feedback:
    """Check the mean dF/F of one cell around the onsets of the drifting gratings.

    The right answer cuts the cell's dF/F from ``before`` frames before the ``start`` of every
    non-blank grating to ``after - 1`` frames after it, and averages over the trials.

    Parameters
    ----------
    answer : array, shape (before + after,)
    experiment_id : int
        A ``three_session_A`` experiment.
    cell_specimen_id : int
    before, after : int
    vc : VisualCoding2P, optional

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_stimulus_locked(..., 920010003, 940010010).status
    'not attempted'
    """
    def inputs() -> dict[str, np.ndarray]:
        def read(exp: Any) -> dict[str, np.ndarray]:
            table = exp.get_stimulus_table(st.DRIFTING_GRATINGS)
            ids = [int(cell_specimen_id)]
            return {"dff": np.asarray(exp.get_dff(ids)[1])[0],
                    "raw": np.asarray(exp.get_fluorescence(ids)[1])[0],
                    "corrected": np.asarray(exp.get_corrected(ids)[1])[0],
                    "starts": table["start"].to_numpy(dtype=np.int64),
                    "blank": table["blank_sweep"].to_numpy() == 1}

        data = observatory(vc)
        return remember(data, ("locked", int(experiment_id), int(cell_specimen_id)),
                        lambda: read_experiment(data, experiment_id, read))

    def trials(trace: str = "dff", first: int = -before, last: int = after,
               blanks: bool = False) -> np.ndarray:
        d = inputs()
        starts = d["starts"] if blanks else d["starts"][~d["blank"]]
        return _locked(d[trace], starts, first, last)

    def mistakes() -> list[Mistake]:
        slip = (f"Off by one frame: the window is frames start - {before} to start + "
                f"{after - 1}, i.e. start + np.arange(-{before}, {after}) ({before + after} "
                "frames).")
        return [
            *(Mistake("off_by_one", trials(first=a, last=b).mean(axis=0), slip)
              for a, b in ((-before + 1, after + 1), (-before - 1, after - 1),
                           (-before, after + 1), (-before - 1, after))),
            Mistake("wrong_axis", trials().mean(axis=1), "You averaged over time (axis 1) "
                    "instead of over the trials (axis 0): the answer is one value per frame "
                    "of the window."),
            Mistake("not_averaged", trials(), "This is every trial: average them over the "
                    "trials axis (axis 0) to get the mean response."),
            Mistake("raw_fluorescence", trials("raw").mean(axis=0), RAW),
            Mistake("raw_fluorescence", trials("corrected").mean(axis=0), RAW),
            Mistake("blank_sweeps", trials(blanks=True).mean(axis=0), "You included the blank "
                    "sweeps (grey screen, blank_sweep == 1): keep only the gratings."),
        ]

    hints = Hints(
        "Each row of the stimulus table gives the onset frame of one grating in 'start'.",
        "Index the cell's dF/F with a 2-D array of frame numbers: one row per trial, one "
        "column per offset from onset; then average the rows.",
        f"starts = table.start[table.blank_sweep == 0].to_numpy(); "
        f"trials = trace[starts[:, None] + np.arange(-{before}, {after})]; "
        "answer = trials.mean(axis=0)",
    )
    return grade("Stimulus-locked response", answer,
                 convert=lambda a: as_array(a, "a 1-D array (one mean dF/F per frame of the "
                                               "window)"),
                 expected=lambda: trials().mean(axis=0), mistakes=mistakes, hints=hints)


def _run_difference(traces: np.ndarray, running: np.ndarray, still: np.ndarray) -> np.ndarray:
    return np.nanmean(traces[:, running], axis=1) - np.nanmean(traces[:, still], axis=1)


def _running_values(vc: VisualCoding2P, experiment_id: int,
                    threshold: float) -> dict[str, np.ndarray]:
    """The right answer and what each mistake gives (small arrays: the traces are not kept)."""
    def read(exp: Any) -> dict[str, np.ndarray]:
        speed = np.asarray(exp.get_running_speed()[1], dtype=float)
        dff = np.asarray(exp.get_dff()[1])
        n = min(dff.shape[1], len(speed))
        speed, dff = speed[:n], dff[:, :n]
        with np.errstate(invalid="ignore"):
            running, still = speed > threshold, speed < threshold
        raw = np.asarray(exp.get_fluorescence()[1])[:, :n]
        return {"ids": np.asarray(exp.cell_specimen_ids),
                "right": _run_difference(dff, running, still),
                "nan_as_stationary": _run_difference(dff, running, ~running),
                "raw": _run_difference(raw, running, still),
                "per_frame": np.nanmean(dff, axis=0)}

    return remember(vc, ("running", int(experiment_id), float(threshold)),
                    lambda: read_experiment(vc, experiment_id, read))


def check_running(answer: Any, experiment_id: int, threshold: float = 1.0, *,
                  vc: VisualCoding2P | None = None) -> Feedback:
    """Check each cell's mean dF/F while running minus its mean while stationary.

    Running: speed > ``threshold`` cm/s; stationary: speed < ``threshold``; frames of unknown
    speed (NaN) are in neither.

    Parameters
    ----------
    answer : array or Series, one value per cell
        In the order of ``exp.cell_specimen_ids`` (or a Series indexed by cell_specimen_id).
    experiment_id : int
    threshold : float
    vc : VisualCoding2P, optional

    Returns
    -------
    Feedback

    Examples
    --------
    >>> check_running(..., 920010003).status
    'not attempted'
    """
    def values() -> dict[str, np.ndarray]:
        return _running_values(observatory(vc), experiment_id, threshold)

    def mistakes() -> list[Mistake]:
        v = values()
        return [
            Mistake("reversed", -v["right"], "The sign is reversed: running minus stationary."),
            Mistake("nan_as_stationary", v["nan_as_stationary"], "Frames of unknown speed (NaN) "
                    "count as stationary when you use ~running: stationary means speed < "
                    f"{threshold}."),
            Mistake("raw_fluorescence", v["raw"], RAW),
            Mistake("wrong_axis", v["per_frame"], "This has one value per frame: average over "
                    "the frames (axis 1) to get one value per cell."),
        ]

    hints = Hints(
        "Make two boolean masks over the frames from the running speed, then average each "
        "cell's dF/F over each mask.",
        "A boolean mask selects columns: dff[:, mask] keeps the frames where mask is True; "
        "np.nanmean(..., axis=1) averages each cell.",
        f"running = speed > {threshold}; still = speed < {threshold}; answer = "
        "dff[:, running].mean(axis=1) - dff[:, still].mean(axis=1)",
    )

    def convert(a: Any) -> np.ndarray:
        return as_per_cell(a, values()["ids"], "one value per cell")

    return grade("Running vs stationary", answer, convert=convert,
                 expected=lambda: values()["right"], mistakes=mistakes, hints=hints)

"""Filter metadata tables the AllenSDK way, with checked values and helpful errors.

Semantics follow ``BrainObservatoryApi.filter_*``: failed containers (and their experiments and
cells) are hidden unless asked for; cre and reporter lines match case-insensitively; a stimulus
selects the session types that showed it; cell ids select their containers. Unlike AllenSDK, a
bare string is accepted where a list is expected, every value is checked against the values
that exist (an unknown one raises with the valid choices and the closest match), and combining
``experiment_container_ids`` with ``cell_specimen_ids`` intersects them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import InvalidChoiceError, check_choice
from ..stimuli import ALL_STIMULI, sessions_with_stimulus

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONTAINER_FILTERS",
    "EXPERIMENT_FILTERS",
    "CELL_FILTERS",
    "as_list",
    "checked_values",
    "check_keywords",
    "as_experiment_id",
    "filter_containers",
    "filter_experiments",
    "filter_cells",
]

CONTAINER_FILTERS = (
    "ids",
    "targeted_structures",
    "imaging_depths",
    "cre_lines",
    "reporter_lines",
    "transgenic_lines",
    "include_failed",
)
EXPERIMENT_FILTERS = (
    *CONTAINER_FILTERS,
    "experiment_container_ids",
    "session_types",
    "stimuli",
    "cell_specimen_ids",
    "require_eye_tracking",
)
CELL_FILTERS = ("ids", "experiment_container_ids", "include_failed")


def as_list(value: Any) -> list[Any] | None:
    """Return ``value`` as a list: None stays None, a string or scalar becomes ``[value]``.

    Examples
    --------
    >>> as_list("VISp")
    ['VISp']
    >>> as_list([175, 275])
    [175, 275]
    """
    if value is None:
        return None
    if isinstance(value, (str, bytes, int, float)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


def checked_values(
    name: str, values: Any, valid: Iterable[Any], *, case_insensitive: bool = False
) -> list[Any] | None:
    """Check every value against ``valid``; return them in canonical spelling.

    Parameters
    ----------
    name : str
        What the values are, for the message (``"cre line"``).
    values : object
        A value, a list of values, or None (no filter).
    valid : iterable
        The values that exist.
    case_insensitive : bool
        Match regardless of case (AllenSDK does so for cre and reporter lines).

    Returns
    -------
    list or None

    Examples
    --------
    >>> checked_values("cre line", "cux2-creert2", ["Cux2-CreERT2"], case_insensitive=True)
    ['Cux2-CreERT2']
    """
    items = as_list(values)
    if items is None:
        return None
    valid = sorted({v for v in valid if v is not None}, key=str)
    out = []
    for item in items:
        if case_insensitive and isinstance(item, str):
            folded = {str(v).lower(): v for v in valid}
            if item.lower() in folded:
                out.append(folded[item.lower()])
                continue
        out.append(check_choice(name, _coerce(item, valid), valid))
    return out


def _coerce(item: Any, valid: list[Any]) -> Any:
    """Accept numeric strings and numpy integers where the valid values are ints."""
    if valid and isinstance(valid[0], int) and not isinstance(item, bool):
        try:
            return int(item)
        except (TypeError, ValueError):
            return item
    return item


def _common(table: pd.DataFrame, reference: pd.DataFrame, filters: dict[str, Any]) -> Any:
    """Boolean mask for the filters containers and experiments share."""
    mask = table.index == table.index  # all True, same length
    ids = checked_values("id", filters.get("ids"), reference.index)
    if ids is not None:
        mask &= table.index.isin(ids)
    for column, label, fold in (
        ("targeted_structure", "targeted structure", False),
        ("imaging_depth", "imaging depth", False),
        ("cre_line", "cre line", True),
        ("reporter_line", "reporter line", True),
    ):
        wanted = checked_values(
            label, filters.get(column + "s"), reference[column], case_insensitive=fold
        )
        if wanted is not None:
            mask &= table[column].isin(wanted).to_numpy()
    lines = filters.get("transgenic_lines")
    if lines is not None:
        every = {name for names in reference["transgenic_lines"] for name in names}
        wanted = set(checked_values("transgenic line", lines, every, case_insensitive=True))
        mask &= table["transgenic_lines"].map(lambda names: bool(wanted & set(names))).to_numpy()
    return mask


def filter_containers(table: pd.DataFrame, **filters: Any) -> pd.DataFrame:
    """Containers matching the filters (failed ones hidden unless ``include_failed=True``).

    Keywords: ``ids, targeted_structures, imaging_depths, cre_lines, reporter_lines,
    transgenic_lines, include_failed``.

    Examples
    --------
    >>> filter_containers(containers, targeted_structures="VISp")  # doctest: +SKIP
    """
    mask = _common(table, table, filters)
    if not filters.get("include_failed", False):
        mask &= ~table["failed"].to_numpy(dtype=bool)
    return table[mask]


def filter_experiments(
    table: pd.DataFrame, cells: pd.DataFrame | None = None, **filters: Any
) -> pd.DataFrame:
    """Experiments matching the filters.

    Keywords: those of :func:`filter_containers` plus ``experiment_container_ids,
    session_types, stimuli, cell_specimen_ids, require_eye_tracking``. ``cells`` (the cell
    table) is needed only for ``cell_specimen_ids``.

    Examples
    --------
    >>> filter_experiments(experiments, stimuli=["natural_scenes"])  # doctest: +SKIP
    """
    mask = _common(table, table, filters)
    if not filters.get("include_failed", False):
        mask &= ~table["container_failed"].to_numpy(dtype=bool)
    if filters.get("require_eye_tracking", False):
        mask &= (table["fail_eye_tracking"] == False).to_numpy()  # noqa: E712  (None is not False)
    containers = checked_values(
        "experiment container id",
        filters.get("experiment_container_ids"),
        table["experiment_container_id"],
    )
    cell_ids = filters.get("cell_specimen_ids")
    if cell_ids is not None:
        index = cells.index if cells is not None else []
        wanted = checked_values("cell specimen id", cell_ids, index)
        of_cells = set(cells.loc[wanted, "experiment_container_id"].astype(int))
        containers = sorted(of_cells if containers is None else of_cells & set(containers))
    if containers is not None:
        mask &= table["experiment_container_id"].isin(containers).to_numpy()
    sessions = checked_values("session type", filters.get("session_types"), table["session_type"])
    if sessions is not None:
        mask &= table["session_type"].isin(sessions).to_numpy()
    stimuli = checked_values("stimulus", filters.get("stimuli"), ALL_STIMULI)
    if stimuli is not None:
        showing = {s for stim in stimuli for s in sessions_with_stimulus(stim)}
        mask &= table["session_type"].isin(showing).to_numpy()
    return table[mask]


def filter_cells(table: pd.DataFrame, **filters: Any) -> pd.DataFrame:
    """Cells matching ``ids``, ``experiment_container_ids`` and ``include_failed``.

    Examples
    --------
    >>> filter_cells(cells, experiment_container_ids=[container_id])  # doctest: +SKIP
    """
    mask = table.index == table.index
    if not filters.get("include_failed", False) and "failed_experiment_container" in table:
        mask &= ~table["failed_experiment_container"].fillna(False).to_numpy(dtype=bool)
    ids = checked_values("cell specimen id", filters.get("ids"), table.index)
    if ids is not None:
        mask &= table.index.isin(ids)
    containers = checked_values(
        "experiment container id",
        filters.get("experiment_container_ids"),
        table.get("experiment_container_id", []),
    )
    if containers is not None:
        mask &= table["experiment_container_id"].isin(containers).to_numpy()
    return table[mask]


def check_keywords(given: dict[str, Any], valid: tuple[str, ...]) -> None:
    """Raise :class:`InvalidChoiceError` for a filter keyword that does not exist.

    Examples
    --------
    >>> check_keywords({"cre_line": "x"}, CONTAINER_FILTERS)
    Traceback (most recent call last):
    ...
    brainobs.errors.InvalidChoiceError: Unknown filter 'cre_line'. ... Did you mean 'cre_lines'?
    """
    for name in given:
        check_choice("filter", name, valid)


def as_experiment_id(value: Any, experiments: pd.DataFrame) -> int:
    """``value`` as an ophys experiment id of ``experiments`` (a container id gets a hint).

    Examples
    --------
    >>> as_experiment_id("501940850", experiments)  # doctest: +SKIP
    501940850
    """
    containers = set(experiments["experiment_container_id"])
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number in containers:
        msg = (
            f"{number} is an experiment container id, not an ophys experiment id. Pick one of "
            f"its experiments: vc.experiments(experiment_container_ids=[{number}])."
        )
        raise InvalidChoiceError(msg)
    return int(check_choice("ophys experiment id", number, experiments.index))

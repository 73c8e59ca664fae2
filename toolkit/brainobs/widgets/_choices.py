"""The cascade behind the experiment picker: each level offers only what exists above it.

Area -> cre line -> imaging depth -> container -> session. Given the tables of containers and
experiments and the values wanted at each level, :func:`resolve_choices` returns the options
of every level (with counts in their labels) and a consistent choice per level: the wanted
value where it exists, else the first option. Pure functions of two DataFrames, no widgets.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from ..errors import check_choice

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LEVELS", "LEVEL_NAMES", "level_options", "resolve_choices"]

LEVELS: tuple[str, ...] = (
    "targeted_structure",
    "cre_line",
    "imaging_depth",
    "experiment_container_id",
    "ophys_experiment_id",
)
#: What each level is called on screen and in error messages.
LEVEL_NAMES: dict[str, str] = {
    "targeted_structure": "area",
    "cre_line": "cre line",
    "imaging_depth": "depth",
    "experiment_container_id": "container",
    "ophys_experiment_id": "session",
}

Option = tuple[str, Any]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones (ints stay ints), for stable labels and comparisons."""
    return value.item() if hasattr(value, "item") else value


def _matching(containers: pd.DataFrame, chosen: dict[str, Any], upto: int) -> pd.DataFrame:
    keep = containers
    for level in LEVELS[:upto]:
        column = keep.index.to_series() if level == "experiment_container_id" else keep[level]
        keep = keep[column.to_numpy() == chosen.get(level)]
    return keep


def level_options(
    containers: pd.DataFrame, experiments: pd.DataFrame, level: str, chosen: dict[str, Any]
) -> list[Option]:
    """``(label, value)`` options of one level given the choices of the levels above it.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"targeted_structure": ["VISp", "VISp", "VISl"],
    ...                   "cre_line": ["A", "B", "A"], "imaging_depth": [175, 175, 275]},
    ...                  index=pd.Index([1, 2, 3], name="id"))
    >>> level_options(c, None, "targeted_structure", {})
    [('VISl (1 container)', 'VISl'), ('VISp (2 containers)', 'VISp')]
    """
    depth = LEVELS.index(level)
    if level == "ophys_experiment_id":
        mine = experiments[experiments["experiment_container_id"].to_numpy()
                           == chosen.get("experiment_container_id")]
        mine = mine.sort_values("session_type")
        return [(f"{row.session_type} (experiment {_plain(eid)})", _plain(eid))
                for eid, row in mine.iterrows()]
    keep = _matching(containers, chosen, depth)
    if level == "experiment_container_id":
        sessions = experiments.groupby("experiment_container_id").size()
        return [(f"{_plain(cid)} ({_plural(int(sessions.get(cid, 0)), 'session')})", _plain(cid))
                for cid in sorted(keep.index)]
    counts = keep.groupby(level).size()
    unit = " µm" if level == "imaging_depth" else ""
    return [(f"{_plain(value)}{unit} ({_plural(int(n), 'container')})", _plain(value))
            for value, n in counts.sort_index().items()]


def _by_session_type(options: list[Option], session_type: str, strict: bool) -> Any:
    """The experiment of ``session_type`` among a container's sessions (None if absent)."""
    for label, value in options:
        if label.startswith(f"{session_type} "):
            return value
    if strict:
        check_choice("session type", session_type, [label.split(" ")[0] for label, _ in options],
                     hint="Choose one of the container's sessions.")
    return None


def resolve_choices(
    containers: pd.DataFrame,
    experiments: pd.DataFrame,
    wanted: dict[str, Any],
    *,
    strict: Collection[str] = (),
) -> tuple[dict[str, Any], dict[str, list[Option]]]:
    """A consistent choice at every level, and every level's options.

    Parameters
    ----------
    containers, experiments : DataFrame
        ``VisualCoding2P.containers()`` and ``.experiments()``.
    wanted : dict
        Values wanted per level (missing or unavailable ones fall back to the first option);
        ``session_type`` picks the session when ``ophys_experiment_id`` is not given or not
        in the chosen container (so that changing the area keeps the session type).
    strict : collection of str
        Levels whose wanted value must exist (else :class:`InvalidChoiceError`).

    Returns
    -------
    (dict, dict)
        The choice per level, and the ``(label, value)`` options per level.

    Examples
    --------
    >>> chosen, options = resolve_choices(vc.containers(), vc.experiments(),
    ...                                   {"targeted_structure": "VISl"})  # doctest: +SKIP
    """
    chosen: dict[str, Any] = {}
    options: dict[str, list[Option]] = {}
    for level in LEVELS:
        options[level] = level_options(containers, experiments, level, chosen)
        values = [value for _, value in options[level]]
        want = _plain(wanted.get(level))
        if level == "ophys_experiment_id" and wanted.get("session_type") and want not in values:
            want = _by_session_type(options[level], str(wanted["session_type"]),
                                    strict="session_type" in strict)
        if level in strict and want not in values:
            check_choice(LEVEL_NAMES[level], want, values,
                         hint="The options depend on the choices above it.")
        chosen[level] = want if want in values else (values[0] if values else None)
    return chosen, options

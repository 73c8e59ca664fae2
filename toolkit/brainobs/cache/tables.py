"""Turn raw Allen API records (lists of dicts) into tidy metadata tables.

The records are the ones the Allen API returns and the public S3 bucket stores
(``experiment_containers.json``, ``ophys_experiments.json``, ``cell_specimens.json``).
Derived columns follow AllenSDK's definitions: the cre line is the first *driver* transgenic
line with "Cre" in its name, the reporter line the first *reporter* line, the acquisition age
is the acquisition date minus the donor's birth date.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONTAINER_COLUMNS",
    "EXPERIMENT_COLUMNS",
    "container_table",
    "experiment_table",
    "cell_table",
    "cre_line_of",
    "reporter_line_of",
    "transgenic_lines_of",
]

CONTAINER_COLUMNS = (
    "imaging_depth",
    "targeted_structure",
    "cre_line",
    "reporter_line",
    "donor_name",
    "specimen_name",
    "tags",
    "failed",
)
EXPERIMENT_COLUMNS = (
    "imaging_depth",
    "targeted_structure",
    "cre_line",
    "reporter_line",
    "acquisition_age_days",
    "experiment_container_id",
    "session_type",
    "donor_name",
    "specimen_name",
    "fail_eye_tracking",
)


def _lines(specimen: dict[str, Any] | None) -> list[dict[str, Any]]:
    donor = (specimen or {}).get("donor") or {}
    return list(donor.get("transgenic_lines") or [])


def cre_line_of(specimen: dict[str, Any] | None) -> str | None:
    """The Cre driver line of a specimen record (first driver line with "Cre" in its name).

    Examples
    --------
    >>> spec = {"donor": {"transgenic_lines": [
    ...     {"name": "Camk2a-tTA", "transgenic_line_type_name": "driver"},
    ...     {"name": "Cux2-CreERT2", "transgenic_line_type_name": "driver"}]}}
    >>> cre_line_of(spec)
    'Cux2-CreERT2'
    """
    for line in _lines(specimen):
        if line.get("transgenic_line_type_name") == "driver" and "Cre" in line.get("name", ""):
            return line["name"]
    return None


def reporter_line_of(specimen: dict[str, Any] | None) -> str | None:
    """The reporter line of a specimen record (first line of type "reporter").

    Examples
    --------
    >>> reporter_line_of({"donor": {"transgenic_lines": [
    ...     {"name": "Ai93(TITL-GCaMP6f)", "transgenic_line_type_name": "reporter"}]}})
    'Ai93(TITL-GCaMP6f)'
    """
    for line in _lines(specimen):
        if line.get("transgenic_line_type_name") == "reporter":
            return line.get("name")
    return None


def transgenic_lines_of(specimen: dict[str, Any] | None) -> list[str]:
    """All transgenic line names of a specimen record.

    Examples
    --------
    >>> transgenic_lines_of({"donor": {"transgenic_lines": [{"name": "Ai93(TITL-GCaMP6f)"}]}})
    ['Ai93(TITL-GCaMP6f)']
    """
    return [line["name"] for line in _lines(specimen) if "name" in line]


def _tags(specimen: dict[str, Any] | None) -> list[str]:
    donor = (specimen or {}).get("donor") or {}
    names = [c.get("name", "") for c in donor.get("conditions") or []]
    return [n for n in names if not n.startswith("tissuecyte")]


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _age_days(acquired: str | None, specimen: dict[str, Any] | None) -> float | None:
    born = _parse_date(((specimen or {}).get("donor") or {}).get("date_of_birth"))
    when = _parse_date(acquired)
    if born is None or when is None:
        return None
    return float((when - born).days)


def _container_row(rec: dict[str, Any]) -> dict[str, Any]:
    specimen = rec.get("specimen")
    donor = (specimen or {}).get("donor") or {}
    return {
        "id": int(rec["id"]),
        "imaging_depth": int(rec["imaging_depth"]),
        "targeted_structure": (rec.get("targeted_structure") or {}).get("acronym"),
        "cre_line": cre_line_of(specimen),
        "reporter_line": reporter_line_of(specimen),
        "donor_name": donor.get("external_donor_name"),
        "specimen_name": (specimen or {}).get("name"),
        "tags": _tags(specimen),
        "failed": bool(rec.get("failed", False)),
        "transgenic_lines": transgenic_lines_of(specimen),
    }


def container_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Containers as a DataFrame indexed by ``id`` (AllenSDK's simple container fields).

    Parameters
    ----------
    records : list of dict
        Raw ``ExperimentContainer`` records.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONTAINER_COLUMNS` plus ``transgenic_lines`` (list of names).

    Examples
    --------
    >>> import json
    >>> recs = json.load(open("experiment_containers.json"))  # doctest: +SKIP
    >>> container_table(recs).loc[511510675, "targeted_structure"]  # doctest: +SKIP
    'VISp'
    """
    import pandas as pd

    rows = [_container_row(rec) for rec in records]
    columns = ["id", *CONTAINER_COLUMNS, "transgenic_lines"]
    return pd.DataFrame(rows, columns=columns).set_index("id").sort_index()


def _experiment_row(rec: dict[str, Any], container: dict[str, Any] | None) -> dict[str, Any]:
    specimen = rec.get("specimen") or (container or {}).get("specimen")
    structure = rec.get("targeted_structure") or (container or {}).get("targeted_structure")
    donor = (specimen or {}).get("donor") or {}
    failed = (rec.get("experiment_container") or container or {}).get("failed", False)
    return {
        "id": int(rec["id"]),
        "imaging_depth": int(rec["imaging_depth"]),
        "targeted_structure": (structure or {}).get("acronym"),
        "cre_line": cre_line_of(specimen),
        "reporter_line": reporter_line_of(specimen),
        "acquisition_age_days": _age_days(rec.get("date_of_acquisition"), specimen),
        "experiment_container_id": int(rec["experiment_container_id"]),
        "session_type": rec.get("stimulus_name"),
        "donor_name": donor.get("external_donor_name"),
        "specimen_name": (specimen or {}).get("name"),
        "fail_eye_tracking": rec.get("fail_eye_tracking"),
        "container_failed": bool(failed),
        "transgenic_lines": transgenic_lines_of(specimen),
        "date_of_acquisition": rec.get("date_of_acquisition"),
    }


def experiment_table(
    records: list[dict[str, Any]] | None, containers: list[dict[str, Any]]
) -> pd.DataFrame:
    """Experiments as a DataFrame indexed by ``ophys_experiment_id``.

    Parameters
    ----------
    records : list of dict or None
        Raw ``OphysExperiment`` records. If None, the experiments nested in the container
        records are used, with the donor and structure taken from their container.
    containers : list of dict
        Raw ``ExperimentContainer`` records.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXPERIMENT_COLUMNS` plus ``container_failed``, ``transgenic_lines`` and
        ``date_of_acquisition``.

    Examples
    --------
    >>> experiment_table(None, containers).session_type.value_counts()  # doctest: +SKIP
    """
    import pandas as pd

    by_id = {int(c["id"]): c for c in containers}
    if records is None:
        records = [e for c in containers for e in c.get("ophys_experiments") or []]
    rows = [_experiment_row(r, by_id.get(int(r["experiment_container_id"]))) for r in records]
    columns = [
        "id",
        *EXPERIMENT_COLUMNS,
        "container_failed",
        "transgenic_lines",
        "date_of_acquisition",
    ]
    table = pd.DataFrame(rows, columns=columns).set_index("id").sort_index()
    table.index.name = "ophys_experiment_id"
    return table


def cell_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Cell specimens (metrics and metadata) as a DataFrame indexed by ``cell_specimen_id``.

    Examples
    --------
    >>> cell_table([{"cell_specimen_id": 7, "area": "VISp", "p_dg": 0.01}]).loc[7, "area"]
    'VISp'
    """
    import pandas as pd

    table = pd.DataFrame.from_records(records)
    if table.empty:
        return pd.DataFrame(index=pd.Index([], name="cell_specimen_id", dtype="int64"))
    return table.set_index("cell_specimen_id").sort_index()

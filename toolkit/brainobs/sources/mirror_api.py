"""A small Allen API (RMA) answerer over a release folder, for the mirror and for tests.

It answers the queries :mod:`brainobs.sources.allen_api` sends: containers, experiments, cell
metrics (paged), stimulus mappings (from the release's JSON files) and the well-known files of
an experiment (from the files present, with download links into the mirror's own keys).
"""

from __future__ import annotations

import json
import os
import re
import threading
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

__all__ = ["RMA_PATH", "RmaAnswers", "parse_stage"]

RMA_PATH = "/api/v2/data/query.json"
RELEASE_PREFIX = "visual-coding-2p"
_MODEL_FILES = {
    "ExperimentContainer": "experiment_containers.json",
    "OphysExperiment": "ophys_experiments.json",
    "ApiCamCellMetric": "cell_specimens.json",
    "ApiCamStimulusMapping": "stimulus_mappings.json",
}
#: Well-known file type -> glob of its files under the release, by experiment id.
_FILE_GLOBS = {
    "NWBOphys": "ophys_experiment_data/{id}.nwb",
    "OphysExperimentCellRoiMetricsFile": "ophys_experiment_analysis/{id}_*_analysis.h5",
    "ObservatoryEventsFile": "ophys_experiment_events/{id}_events.npz",
}
_STAGE = re.compile(
    r"^model::(?P<model>\w+)"
    r"(?:,rma::criteria,(?P<criteria>.*?))?"
    r"(?:,rma::include,(?P<include>.*?))?"
    r"(?:,rma::options(?P<options>(?:\[[^\]]*\])*))?$"
)
_FILTER = re.compile(r"(\w*)\[(\w+)\$(eq|in)([^\]]*)\]")
_OPTION = re.compile(r"\[(\w+)\$eq([^\]]*)\]")


def parse_stage(q: str) -> dict[str, Any]:
    """Split one RMA model stage into model, filters and options.

    Returns
    -------
    dict
        ``{"model": str, "filters": [(association, field, op, value), ...],
        "options": {name: value}}``.

    Raises
    ------
    ValueError
        If ``q`` is not a single ``model::`` stage.

    Examples
    --------
    >>> stage = parse_stage(
    ...     "model::WellKnownFile,rma::criteria,[attachable_id$eq7],"
    ...     "well_known_file_type[name$eqNWBOphys],rma::options[num_rows$eq'all']"
    ... )
    >>> stage["filters"]
    [('', 'attachable_id', 'eq', '7'), ('well_known_file_type', 'name', 'eq', 'NWBOphys')]
    >>> stage["options"]
    {'num_rows': 'all'}
    """
    found = _STAGE.match(q.strip())
    if not found:
        msg = f"not a single model stage: {q!r}"
        raise ValueError(msg)
    filters = [
        (assoc, field, op, value.strip("'"))
        for assoc, field, op, value in _FILTER.findall(found["criteria"] or "")
    ]
    options = {name: value.strip("'") for name, value in _OPTION.findall(found["options"] or "")}
    return {"model": found["model"], "filters": filters, "options": options}


def _envelope(records: list[Any], start: int, total: int) -> dict[str, Any]:
    return {
        "success": True,
        "id": 0,
        "start_row": start,
        "num_rows": len(records),
        "total_rows": total,
        "msg": records,
    }


def _failure(message: str) -> dict[str, Any]:
    return {
        "success": False,
        "id": -1,
        "start_row": 0,
        "num_rows": 0,
        "total_rows": 0,
        "msg": message,
    }


class RmaAnswers:
    """Answers RMA queries from ``<root>/visual-coding-2p/*.json`` (parsed files are cached).

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> root = pathlib.Path(tempfile.mkdtemp()); (root / "visual-coding-2p").mkdir()
    >>> _ = (root / "visual-coding-2p" / "experiment_containers.json").write_text(
    ...     json.dumps([{"id": 1}, {"id": 2}]))
    >>> status, payload = RmaAnswers(root).answer("model::ExperimentContainer,rma::criteria,"
    ...     "[id$in2],rma::options[num_rows$eq'all'][count$eqfalse]")
    >>> status, payload["msg"]
    (200, [{'id': 2}])
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.release = Path(root) / RELEASE_PREFIX
        self._parsed: dict[str, tuple[int, list[Any]]] = {}
        self._lock = threading.Lock()

    def answer(self, q: str) -> tuple[int, dict[str, Any]]:
        """``(HTTP status, envelope)`` for the query string ``q``.

        Parameters
        ----------
        q : str
            The RMA query (the ``q`` parameter of the request), one ``model::`` stage.

        Returns
        -------
        (int, dict)
            200 and the records; 400 for a query this answerer cannot read; 404 when the
            release lacks the model's file. The envelope is the Allen API's JSON.

        Examples
        --------
        >>> import tempfile
        >>> status, payload = RmaAnswers(tempfile.mkdtemp()).answer("model::ExperimentContainer")
        >>> status, payload["msg"]
        (404, 'This mirror has no visual-coding-2p/experiment_containers.json.')
        >>> RmaAnswers(tempfile.mkdtemp()).answer("not a query")[0]
        400
        """
        try:
            stage = parse_stage(q)
        except ValueError as exc:
            return 400, _failure(f"This mirror cannot parse the query ({exc}).")
        model = stage["model"]
        if model == "WellKnownFile":
            records = self._well_known_files(stage["filters"])
        elif model in _MODEL_FILES:
            try:
                records = self._filtered(model, stage["filters"])
            except FileNotFoundError as exc:
                return 404, _failure(f"This mirror has no {exc.args[0]}.")
            except ValueError as exc:
                return 400, _failure(str(exc))
        else:
            choices = sorted([*_MODEL_FILES, "WellKnownFile"])
            return 400, _failure(f"This mirror does not serve model {model!r}; it has {choices}.")
        return 200, _page(records, stage["options"])

    def _records(self, model: str) -> list[Any]:
        name = _MODEL_FILES[model]
        path = self.release / name
        if model == "OphysExperiment" and not path.is_file():
            return _nested_experiments(self._records("ExperimentContainer"))
        try:
            stamp = path.stat().st_mtime_ns
        except FileNotFoundError:
            raise FileNotFoundError(f"{RELEASE_PREFIX}/{name}") from None
        with self._lock:
            cached = self._parsed.get(name)
        if cached is None or cached[0] != stamp:
            with open(path, encoding="utf-8") as handle:
                cached = (stamp, json.load(handle))
            with self._lock:
                self._parsed[name] = cached
        return cached[1]

    def _filtered(self, model: str, filters: list[tuple[str, str, str, str]]) -> list[Any]:
        records = self._records(model)
        for assoc, field, op, value in filters:
            if assoc:
                msg = f"This mirror cannot filter on {assoc}[{field}] for {model}."
                raise ValueError(msg)
            wanted = set(value.split(",")) if op == "in" else {value}
            records = [r for r in records if str(r.get(field)) in wanted]
        return records

    def _well_known_files(self, filters: list[tuple[str, str, str, str]]) -> list[Any]:
        ids = [v for assoc, field, _, v in filters if not assoc and field == "attachable_id"]
        types = [
            v
            for assoc, field, _, v in filters
            if assoc == "well_known_file_type" and field == "name"
        ]
        if len(ids) != 1 or len(types) != 1 or types[0] not in _FILE_GLOBS:
            return []
        pattern = _FILE_GLOBS[types[0]].format(id=ids[0])
        return [
            _file_record(path.relative_to(self.release.parent).as_posix(), ids[0], types[0])
            for path in sorted(self.release.glob(pattern))
            if path.is_file()
        ]


def _file_record(key: str, attachable_id: str, file_type: str) -> dict[str, Any]:
    return {
        "id": zlib.crc32(key.encode()),
        "attachable_id": int(attachable_id),
        "attachable_type": "OphysExperiment",
        "path": key,
        "download_link": "/" + quote(key),
        "well_known_file_type": {"name": file_type},
    }


def _nested_experiments(containers: list[Any]) -> list[Any]:
    """Experiment records nested in container records (the AllenSDK cache's container file)."""
    experiments = []
    for container in containers:
        for experiment in container.get("ophys_experiments") or []:
            experiments.append({"experiment_container_id": container.get("id"), **experiment})
    return experiments


def _page(records: list[Any], options: dict[str, str]) -> dict[str, Any]:
    order = options.get("order")
    if order:
        field = order.split(",")[0].strip("'").split("+")[0]
        records = sorted(records, key=lambda r: (r.get(field) is None, r.get(field) or 0))
    start = int(options.get("start_row", 0) or 0)
    rows = options.get("num_rows", "all")
    stop = None if rows in ("all", "") else start + int(rows)
    return _envelope(records[start:stop], start, len(records))

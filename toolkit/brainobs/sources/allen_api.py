"""The Allen API (RMA): query URLs, the JSON envelope, paging, well-known-file download links.

URLs are built exactly as AllenSDK's ``BrainObservatoryApi`` builds them (same clauses, same
order), with ``https``. :func:`rma_url` returns the readable form; :func:`quote_rma` gives what
is sent on the wire.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

from ..errors import DownloadError, FormatError, InvalidChoiceError, check_choice
from .transport import DEFAULT_RETRIES, Timeout, request

__all__ = [
    "API_BASE",
    "CELL_PAGE_SIZE",
    "FILE_TYPES",
    "rma_url",
    "quote_rma",
    "experiment_containers_url",
    "ophys_experiments_url",
    "cell_metrics_url",
    "stimulus_mappings_url",
    "well_known_file_url",
    "parse_envelope",
    "query",
    "iter_cell_metrics",
    "well_known_file",
    "download_link",
]

log = logging.getLogger(__name__)

API_BASE = "https://api.brain-map.org"
RMA_PATH = "/api/v2/data/query.json"
CELL_PAGE_SIZE = 2000
#: Well-known file kinds of an ophys experiment -> the API's file type names.
FILE_TYPES = {
    "nwb": "NWBOphys",
    "analysis": "OphysExperimentCellRoiMetricsFile",
    "events": "ObservatoryEventsFile",
}
_SAFE = ";/?:@&=+$,"
_MAX_PAGES = 10_000
_CONTAINER_INCLUDE = (
    "ophys_experiments,isi_experiment,specimen(donor(conditions,age,transgenic_lines)),"
    "targeted_structure"
)
_EXPERIMENT_INCLUDE = (
    "experiment_container,well_known_files(well_known_file_type),targeted_structure,"
    "specimen(donor(age,transgenic_lines))"
)


def rma_url(
    model: str,
    *,
    criteria: str | None = None,
    include: str | None = None,
    only: Sequence[str] | None = None,
    excluded: Sequence[str] | None = None,
    tabular: Sequence[str] | None = None,
    num_rows: int | str | None = "all",
    start_row: int | None = None,
    order: Sequence[str] | None = None,
    count: bool | None = False,
    base: str = API_BASE,
) -> str:
    """A readable RMA query URL: ``<base>/api/v2/data/query.json?q=model::...``.

    Options are written in the API's order: only, except, tabular, num_rows, start_row,
    order, count.

    Examples
    --------
    >>> rma_url("ApiCamStimulusMapping")
    "https://api.brain-map.org/api/v2/data/query.json?q=model::ApiCamStimulusMapping,rma::options[num_rows$eq'all'][count$eqfalse]"
    """
    stage = f"model::{model}"
    if criteria is not None:
        stage += f",rma::criteria,{criteria}"
    if include is not None:
        stage += f",rma::include,{include}"
    options = "".join(_option_clauses(only, excluded, tabular, num_rows, start_row, order, count))
    if options:
        stage += f",rma::options{options}"
    return f"{base.rstrip('/')}{RMA_PATH}?q={stage}"


def _option_clauses(
    only: Sequence[str] | None,
    excluded: Sequence[str] | None,
    tabular: Sequence[str] | None,
    num_rows: int | str | None,
    start_row: int | None,
    order: Sequence[str] | None,
    count: bool | None,
) -> Iterator[str]:
    for name, values in (("only", only), ("except", excluded), ("tabular", tabular)):
        if values is not None:
            yield f"[{name}$eq{','.join(values)}]"
    if num_rows == "all":
        yield "[num_rows$eq'all']"
    elif num_rows is not None:
        yield f"[num_rows$eq{int(num_rows)}]"
    if start_row is not None:
        yield f"[start_row$eq{int(start_row)}]"
    if order is not None:
        yield f"[order$eq{','.join(order)}]"
    if count is not None:
        yield f"[count$eq{'true' if count else 'false'}]"


def quote_rma(url: str) -> str:
    """Percent-quote an RMA URL as it goes on the wire (``;/?:@&=+$,`` stay as they are).

    Examples
    --------
    >>> quote_rma("https://api.brain-map.org/api/v2/data/query.json?q=a[b$eq'c']")
    'https://api.brain-map.org/api/v2/data/query.json?q=a%5Bb$eq%27c%27%5D'
    """
    return quote(url, safe=_SAFE)


def _id_list(ids: int | Iterable[int]) -> str:
    """``"1,2,3"`` from one id or several, checking they are whole numbers."""
    values = [ids] if isinstance(ids, (int, str)) else list(ids)
    try:
        numbers = [int(value) for value in values]
    except (TypeError, ValueError) as exc:
        msg = f"Ids must be whole numbers like 511510736; got {values!r}."
        raise InvalidChoiceError(msg) from exc
    return ",".join(str(number) for number in numbers)


def experiment_containers_url(ids: int | Iterable[int] | None = None, base: str = API_BASE) -> str:
    """Query URL of experiment containers (all, or those with ``ids``), with their nested records.

    Examples
    --------
    >>> experiment_containers_url([511510736]).split("?q=")[1][:60]
    'model::ExperimentContainer,rma::criteria,[id$in511510736],rm'
    """
    criteria = None if ids is None else f"[id$in{_id_list(ids)}]"
    return rma_url("ExperimentContainer", criteria=criteria, include=_CONTAINER_INCLUDE, base=base)


def ophys_experiments_url(ids: int | Iterable[int] | None = None, base: str = API_BASE) -> str:
    """Query URL of ophys experiments (all, or those with ``ids``), with their files.

    Examples
    --------
    >>> ophys_experiments_url(501940850).split("?q=")[1][:56]
    'model::OphysExperiment,rma::criteria,[id$in501940850],rm'
    """
    criteria = None if ids is None else f"[id$in{_id_list(ids)}]"
    return rma_url("OphysExperiment", criteria=criteria, include=_EXPERIMENT_INCLUDE, base=base)


def cell_metrics_url(
    ids: int | Iterable[int] | None = None,
    start_row: int = 0,
    num_rows: int = CELL_PAGE_SIZE,
    base: str = API_BASE,
) -> str:
    """Query URL of one page of cell metrics, ordered by ``cell_specimen_id``.

    Examples
    --------
    >>> cell_metrics_url(start_row=2000).split("rma::options")[1]
    "[num_rows$eq2000][start_row$eq2000][order$eq'cell_specimen_id'][count$eqfalse]"
    """
    criteria = None if ids is None else f"[cell_specimen_id$in{_id_list(ids)}]"
    return rma_url(
        "ApiCamCellMetric",
        criteria=criteria,
        num_rows=num_rows,
        start_row=start_row,
        order=["'cell_specimen_id'"],
        base=base,
    )


def stimulus_mappings_url(base: str = API_BASE) -> str:
    """Query URL of the stimulus mapping records (which metric columns are thumbnails).

    Examples
    --------
    >>> stimulus_mappings_url().split("?q=")[1]
    "model::ApiCamStimulusMapping,rma::options[num_rows$eq'all'][count$eqfalse]"
    """
    return rma_url("ApiCamStimulusMapping", base=base)


def well_known_file_url(ophys_experiment_id: int, kind: str, base: str = API_BASE) -> str:
    """Query URL of an experiment's well-known file: ``kind`` is nwb, analysis or events.

    Examples
    --------
    >>> well_known_file_url(501940850, "nwb").split("?q=")[1].split(",rma::options")[0]
    'model::WellKnownFile,rma::criteria,[attachable_id$eq501940850],well_known_file_type[name$eqNWBOphys]'
    """
    file_type = FILE_TYPES[check_choice("file kind", kind, FILE_TYPES)]
    number = _id_list(ophys_experiment_id)
    criteria = f"[attachable_id$eq{number}],well_known_file_type[name$eq{file_type}]"
    return rma_url("WellKnownFile", criteria=criteria, base=base)


def parse_envelope(body: bytes | str | dict[str, Any], url: str = "the Allen API") -> list[Any]:
    """The records (``msg``) of an RMA answer, or a clear error when the query failed.

    Raises
    ------
    DownloadError
        If the envelope says ``success: false`` (the message is quoted).
    FormatError
        If the answer is not an RMA JSON envelope.

    Examples
    --------
    >>> parse_envelope('{"success": true, "msg": [{"id": 1}]}')
    [{'id': 1}]
    """
    payload = body
    if isinstance(body, (bytes, str)):
        try:
            payload = json.loads(body)
        except ValueError as exc:
            msg = f"The answer to {url} is not JSON ({exc}): {str(body)[:200]!r}"
            raise FormatError(msg) from exc
    if not isinstance(payload, dict) or "msg" not in payload:
        msg = f"The answer to {url} is not an RMA envelope with 'msg': {str(payload)[:200]!r}"
        raise FormatError(msg)
    if payload.get("success") is False:
        msg = (
            f"The Allen API refused the query {url}: {payload['msg']}. Check the ids and "
            "the query; if it worked before, the API may be down (try again later)."
        )
        raise DownloadError(msg)
    records = payload["msg"]
    if not isinstance(records, list):
        msg = f"The answer to {url} has a 'msg' that is not a list: {str(records)[:200]!r}"
        raise FormatError(msg)
    return records


def query(
    url: str, *, timeout: Timeout | None = None, retries: int = DEFAULT_RETRIES, session: Any = None
) -> list[Any]:
    """Send an RMA query (readable URL from the builders) and return its records.

    Examples
    --------
    >>> query(stimulus_mappings_url())[:1]  # doctest: +SKIP
    [{'item': 'natural_movie_one_a_small', 'level': 'R', ...}]
    """
    reply = request(
        quote_rma(url), accept=range(200, 500), timeout=timeout, retries=retries, session=session
    )
    try:
        return parse_envelope(reply.body, url)
    except FormatError:
        if reply.ok:
            raise
        msg = f"The Allen API answered HTTP {reply.status} {reply.reason} to {url}."
        raise DownloadError(msg) from None


def iter_cell_metrics(
    ids: int | Iterable[int] | None = None,
    *,
    base: str = API_BASE,
    page_size: int = CELL_PAGE_SIZE,
    timeout: Timeout | None = None,
    retries: int = DEFAULT_RETRIES,
    session: Any = None,
) -> Iterator[Any]:
    """Every cell-metric record, ``page_size`` rows per request, until a short page.

    Examples
    --------
    >>> cells = list(iter_cell_metrics(base="http://127.0.0.1:8000"))  # doctest: +SKIP
    """
    total = 0
    for page in range(_MAX_PAGES):
        url = cell_metrics_url(ids, start_row=page * page_size, num_rows=page_size, base=base)
        records = query(url, timeout=timeout, retries=retries, session=session)
        total += len(records)
        log.info("cell metrics: %d rows so far", total)
        yield from records
        if len(records) < page_size:
            return


def well_known_file(
    ophys_experiment_id: int,
    kind: str,
    *,
    base: str = API_BASE,
    timeout: Timeout | None = None,
    retries: int = DEFAULT_RETRIES,
    session: Any = None,
) -> dict[str, Any]:
    """The WellKnownFile record of an experiment's NWB, analysis or events file.

    Raises
    ------
    DownloadError
        If the API has no such file for the experiment.

    Examples
    --------
    >>> well_known_file(501940850, "nwb")["download_link"]  # doctest: +SKIP
    '/api/v2/well_known_file_download/514340576'
    """
    url = well_known_file_url(ophys_experiment_id, kind, base)
    records = query(url, timeout=timeout, retries=retries, session=session)
    if not records or not isinstance(records[0], dict) or "download_link" not in records[0]:
        msg = (
            f"Ophys experiment {ophys_experiment_id} has no {kind} file in the Allen API "
            f"(well-known file type {FILE_TYPES[kind]}). Check the id against the experiments "
            "table; some experiments have no analysis or events file."
        )
        raise DownloadError(msg)
    return records[0]


def download_link(
    ophys_experiment_id: int, kind: str, *, base: str = API_BASE, **query_options: Any
) -> str:
    """Full URL to download an experiment's NWB, analysis or events file.

    Examples
    --------
    >>> download_link(501940850, "nwb")  # doctest: +SKIP
    'https://api.brain-map.org/api/v2/well_known_file_download/514340576'
    """
    record = well_known_file(ophys_experiment_id, kind, base=base, **query_options)
    return f"{base.rstrip('/')}/{str(record['download_link']).lstrip('/')}"

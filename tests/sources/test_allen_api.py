"""Allen API (RMA): URLs exactly as AllenSDK builds them, the envelope, paging, file links."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from brainobs.errors import DownloadError, FormatError, InvalidChoiceError
from brainobs.sources import allen_api as api
from brainobs.sources.download import download
from tests.settings import REAL_VC2P

from .conftest import NWB_KEY
from .faults import Fault, serve_faulty

BASE = "https://api.brain-map.org/api/v2/data/query.json?q="
# What AllenSDK 2.16.2's BrainObservatoryApi sends (captured from its own URL builder), with
# https instead of http.
SDK_WIRE = {
    "containers": "model::ExperimentContainer,rma::include,ophys_experiments,isi_experiment,"
    "specimen%28donor%28conditions,age,transgenic_lines%29%29,targeted_structure,"
    "rma::options%5Bnum_rows$eq%27all%27%5D%5Bcount$eqfalse%5D",
    "containers_ids": "model::ExperimentContainer,rma::criteria,%5Bid$in511510736,511510650%5D,"
    "rma::include,ophys_experiments,isi_experiment,specimen%28donor%28conditions,age,"
    "transgenic_lines%29%29,targeted_structure,"
    "rma::options%5Bnum_rows$eq%27all%27%5D%5Bcount$eqfalse%5D",
    "experiments": "model::OphysExperiment,rma::include,experiment_container,"
    "well_known_files%28well_known_file_type%29,targeted_structure,"
    "specimen%28donor%28age,transgenic_lines%29%29,"
    "rma::options%5Bnum_rows$eq%27all%27%5D%5Bcount$eqfalse%5D",
    "experiments_ids": "model::OphysExperiment,rma::criteria,%5Bid$in501940850%5D,"
    "rma::include,experiment_container,well_known_files%28well_known_file_type%29,"
    "targeted_structure,specimen%28donor%28age,transgenic_lines%29%29,"
    "rma::options%5Bnum_rows$eq%27all%27%5D%5Bcount$eqfalse%5D",
    "cells": "model::ApiCamCellMetric,rma::options%5Bnum_rows$eq2000%5D%5Bstart_row$eq0%5D"
    "%5Border$eq%27cell_specimen_id%27%5D%5Bcount$eqfalse%5D",
    "cells_ids": "model::ApiCamCellMetric,rma::criteria,"
    "%5Bcell_specimen_id$in517394843,517394850%5D,rma::options%5Bnum_rows$eq2000%5D"
    "%5Bstart_row$eq0%5D%5Border$eq%27cell_specimen_id%27%5D%5Bcount$eqfalse%5D",
    "stim": "model::ApiCamStimulusMapping,rma::options%5Bnum_rows$eq%27all%27%5D"
    "%5Bcount$eqfalse%5D",
    "nwb": "model::WellKnownFile,rma::criteria,%5Battachable_id$eq501940850%5D,"
    "well_known_file_type%5Bname$eqNWBOphys%5D,"
    "rma::options%5Bnum_rows$eq%27all%27%5D%5Bcount$eqfalse%5D",
    "analysis": "model::WellKnownFile,rma::criteria,%5Battachable_id$eq501940850%5D,"
    "well_known_file_type%5Bname$eqOphysExperimentCellRoiMetricsFile%5D,"
    "rma::options%5Bnum_rows$eq%27all%27%5D%5Bcount$eqfalse%5D",
    "events": "model::WellKnownFile,rma::criteria,%5Battachable_id$eq501940850%5D,"
    "well_known_file_type%5Bname$eqObservatoryEventsFile%5D,"
    "rma::options%5Bnum_rows$eq%27all%27%5D%5Bcount$eqfalse%5D",
}
OURS = {
    "containers": lambda: api.experiment_containers_url(),
    "containers_ids": lambda: api.experiment_containers_url([511510736, 511510650]),
    "experiments": lambda: api.ophys_experiments_url(),
    "experiments_ids": lambda: api.ophys_experiments_url([501940850]),
    "cells": lambda: api.cell_metrics_url(),
    "cells_ids": lambda: api.cell_metrics_url([517394843, 517394850]),
    "stim": lambda: api.stimulus_mappings_url(),
    "nwb": lambda: api.well_known_file_url(501940850, "nwb"),
    "analysis": lambda: api.well_known_file_url(501940850, "analysis"),
    "events": lambda: api.well_known_file_url(501940850, "events"),
}


@pytest.mark.parametrize("name", sorted(SDK_WIRE))
def test_wire_urls_match_allensdk(name):
    assert api.quote_rma(OURS[name]()) == BASE + SDK_WIRE[name]


def test_readable_urls_match_the_sdk_tests():
    assert api.experiment_containers_url() == (
        BASE + "model::ExperimentContainer,rma::include,ophys_experiments,isi_experiment,"
        "specimen(donor(conditions,age,transgenic_lines)),targeted_structure,"
        "rma::options[num_rows$eq'all'][count$eqfalse]"
    )
    assert api.rma_url(
        "WellKnownFile",
        criteria="well_known_file_type[name$eqEyeDlcScreenMapping]",
    ) == (
        BASE + "model::WellKnownFile,rma::criteria,"
        "well_known_file_type[name$eqEyeDlcScreenMapping],"
        "rma::options[num_rows$eq'all'][count$eqfalse]"
    )


def test_options_come_in_the_api_order():
    url = api.rma_url(
        "X",
        only=["a", "b"],
        excluded=["c"],
        tabular=["d"],
        num_rows=5,
        start_row=10,
        order=["e+desc"],
        count=True,
        base="https://h",
    )
    assert url == (
        "https://h/api/v2/data/query.json?q=model::X,rma::options"
        "[only$eqa,b][except$eqc][tabular$eqd][num_rows$eq5][start_row$eq10]"
        "[order$eqe+desc][count$eqtrue]"
    )


def test_bad_ids_and_kinds_are_refused():
    with pytest.raises(InvalidChoiceError, match="whole numbers"):
        api.ophys_experiments_url(["VISp"])
    with pytest.raises(InvalidChoiceError, match="Unknown file kind 'nwb2'"):
        api.well_known_file_url(1, "nwb2")


_PEER_PROBE = """
import json, sys
from allensdk.api.queries.brain_observatory_api import BrainObservatoryApi
import allensdk.core.json_utilities as ju
seen = []
ju.read_url_get = lambda url: seen.append(url) or {"msg": []}
sdk = BrainObservatoryApi()
calls = {
    "containers": lambda: sdk.get_experiment_containers(),
    "containers_ids": lambda: sdk.get_experiment_containers(
        experiment_container_ids=[511510736, 511510650]),
    "experiments": lambda: sdk.get_ophys_experiments(),
    "experiments_ids": lambda: sdk.get_ophys_experiments(ophys_experiment_ids=[501940850]),
    "cells": lambda: list(sdk.get_cell_metrics()),
    "cells_ids": lambda: list(sdk.get_cell_metrics(cell_specimen_ids=[517394843, 517394850])),
    "stim": lambda: sdk.get_stimulus_mappings(),
    "nwb": lambda: sdk.save_ophys_experiment_data(501940850, "x"),
    "analysis": lambda: sdk.save_ophys_experiment_analysis_data(501940850, "x"),
    "events": lambda: sdk.save_ophys_experiment_event_data(501940850, "x"),
}
out = {}
for name, call in calls.items():
    seen.clear()
    try:
        call()
    except Exception:
        pass
    out[name] = seen[0]
json.dump(out, sys.stdout)
"""


@pytest.mark.allensdk
def test_wire_urls_match_a_live_allensdk(tmp_path):
    python = os.environ.get("BRAINOBS_ALLENSDK_PYTHON")
    if not python or not Path(python).exists():
        pytest.skip("set BRAINOBS_ALLENSDK_PYTHON to the AllenSDK 2.16.2 peer's python")
    done = subprocess.run(
        [python, "-W", "ignore", "-c", _PEER_PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=True,
    )
    urls = json.loads(done.stdout)
    assert set(urls) == set(OURS)
    for name, url in urls.items():
        assert api.quote_rma(OURS[name]()) == url.replace("http://", "https://", 1), name


# -- the envelope -----------------------------------------------------------------------------
def test_envelope_gives_the_records():
    body = {
        "success": True,
        "id": 0,
        "start_row": 0,
        "num_rows": 1,
        "total_rows": 1,
        "msg": [{"id": 5}],
    }
    assert api.parse_envelope(json.dumps(body).encode()) == [{"id": 5}]


def test_envelope_failure_quotes_the_api_message():
    body = '{"success": false, "msg": "Data Access error in query: bad criteria"}'
    with pytest.raises(DownloadError, match="refused the query .*bad criteria"):
        api.parse_envelope(body, "https://api.brain-map.org/q")


@pytest.mark.parametrize("body", ["<html>busy</html>", "[1, 2]", '{"msg": "x"}'])
def test_non_envelopes_are_format_errors(body):
    with pytest.raises(FormatError, match="not"):
        api.parse_envelope(body)


# -- against the mirror's RMA endpoint --------------------------------------------------------
N_CELLS = 4500


@pytest.fixture
def rma(release):
    """The release folder with JSON records, served by a (faulty) mirror: (server, base)."""
    folder = release.root / "visual-coding-2p"
    containers = [{"id": 1000 + i, "failed": i == 2} for i in range(3)]
    experiments = [
        {"id": 501940850, "experiment_container_id": 1000, "stimulus_name": "three_session_A"},
        {"id": 501940851, "experiment_container_id": 1001, "stimulus_name": "three_session_B"},
    ]
    cells = [{"cell_specimen_id": 600_000_000 + k, "p_dg": k / N_CELLS} for k in range(N_CELLS)]
    random.Random(0).shuffle(cells)
    for name, records in (
        ("experiment_containers.json", containers),
        ("ophys_experiments.json", experiments),
        ("cell_specimens.json", cells),
    ):
        (folder / name).write_text(json.dumps(records))
    analysis = folder / "ophys_experiment_analysis" / "501940850_three_session_A_analysis.h5"
    analysis.parent.mkdir()
    analysis.write_bytes(b"analysis bytes")
    server, base = serve_faulty(release.root)
    with server:
        yield server, base


def test_query_filters_by_id(rma):
    _, base = rma
    records = api.query(api.experiment_containers_url([1001, 1002], base=base))
    assert [r["id"] for r in records] == [1001, 1002]
    assert len(api.query(api.ophys_experiments_url(base=base))) == 2


def test_cell_metrics_come_in_pages_of_2000_in_id_order(rma):
    server, base = rma
    cells = list(api.iter_cell_metrics(base=base))
    assert [c["cell_specimen_id"] for c in cells] == [600_000_000 + k for k in range(N_CELLS)]
    starts = [s.query.split("[start_row$eq")[1].split("]")[0] for s in server.plan.seen]
    assert starts == ["0", "2000", "4000"]  # 2000 + 2000 + 500: the short page ends it


def test_cell_metrics_stop_after_an_empty_page(rma):
    server, base = rma
    cells = list(api.iter_cell_metrics(base=base, page_size=1500))
    assert len(cells) == N_CELLS and len(server.plan.seen) == 4  # 3 full pages, 1 empty


def test_cell_metrics_by_id(rma):
    _, base = rma
    wanted = [600_000_007, 600_004_000]
    assert [c["cell_specimen_id"] for c in api.iter_cell_metrics(wanted, base=base)] == wanted


def test_busy_api_is_retried(rma):
    server, base = rma
    server.plan.add(Fault("status", status=500), times=2)
    assert len(api.query(api.experiment_containers_url(base=base), retries=2)) == 3


def test_unknown_model_is_a_clear_error(rma):
    _, base = rma
    with pytest.raises(DownloadError, match="does not serve model 'Specimen'"):
        api.query(api.rma_url("Specimen", base=base))


def test_download_link_leads_to_the_file(rma, release, tmp_path):
    _, base = rma
    record = api.well_known_file(501940850, "nwb", base=base)
    assert record["well_known_file_type"] == {"name": "NWBOphys"}
    assert record["attachable_id"] == 501940850
    link = api.download_link(501940850, "nwb", base=base)
    assert link == f"{base}/{NWB_KEY}"
    assert download(link, tmp_path / "x.nwb", progress=False).read_bytes() == release.data
    analysis = api.download_link(501940850, "analysis", base=base)
    assert analysis.endswith("501940850_three_session_A_analysis.h5")


def test_missing_well_known_file_says_which(rma):
    _, base = rma
    with pytest.raises(DownloadError, match="501940850 has no events file"):
        api.download_link(501940850, "events", base=base)


@pytest.mark.realdata
@pytest.mark.skipif(
    not (REAL_VC2P / "experiment_containers.json").is_file(), reason="../shared/realdata is absent"
)
def test_mirror_answers_from_the_real_2017_records(tmp_path):
    folder = tmp_path / "visual-coding-2p"
    folder.mkdir()
    for name in ("experiment_containers.json", "stimulus_mappings.json"):
        shutil.copy(REAL_VC2P / name, folder / name)
    server, base = serve_faulty(tmp_path)
    with server:
        containers = api.query(api.experiment_containers_url(base=base))
        one = api.query(api.experiment_containers_url(511510675, base=base))
        experiments = api.query(api.ophys_experiments_url(base=base))
        mappings = api.query(api.stimulus_mappings_url(base=base))
    assert len(containers) == 216 and one[0]["id"] == 511510675
    assert len(experiments) == 648  # nested in the containers
    assert {e["stimulus_name"] for e in experiments} == {
        "three_session_A",
        "three_session_B",
        "three_session_C",
        "three_session_C2",
    }
    assert len(mappings) == 128

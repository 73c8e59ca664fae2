"""``VisualCoding2P`` on every kind of source: same tables, same files, labelled; offline runs."""

from __future__ import annotations

import logging
import time

import numpy as np
import pandas as pd
import pytest

from brainobs import VisualCoding2P
from brainobs.errors import DownloadError, InvalidChoiceError
from brainobs.nwb.events import read_events
from brainobs.sources.mirror import serve
from tests.settings import REPO

from .conftest import md5_of

NOTEBOOK = REPO / "notebooks" / "01_what_are_those_cells_doing.ipynb"


@pytest.fixture(scope="module")
def folder_vc(sample_release, tmp_path_factory):
    return VisualCoding2P(sample_release, cache_dir=tmp_path_factory.mktemp("folder-cache"))


def _tutorial_steps(vc: VisualCoding2P) -> dict[str, object]:
    """The first tutorial's steps: containers → experiments → experiment → dF/F → cells."""
    containers = vc.containers()
    chosen = vc.containers(
        cre_lines=[containers["cre_line"].iloc[0]],
        targeted_structures=[containers["targeted_structure"].iloc[0]],
    )
    container_id = int(chosen.index[0])
    experiments = vc.experiments(experiment_container_ids=[container_id], stimuli="natural_scenes")
    exp = vc.experiment(experiments.index[0])
    _, dff = exp.get_dff(cell_specimen_ids=exp.cell_specimen_ids[:10], frames=slice(0, 600))
    cells = vc.cells(experiment_container_ids=[container_id])
    return {
        "experiment": int(experiments.index[0]),
        "dff": dff,
        "cells": cells,
        "scenes": exp.get_stimulus_table("natural_scenes"),
    }


# -- sources ------------------------------------------------------------------------------------
def test_mirror_gives_the_same_tables_as_the_folder(mirror, cache, folder_vc):
    _, url = mirror
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    for name in ("containers", "experiments", "cells"):
        remote = getattr(vc, name)(include_failed=True)
        local = getattr(folder_vc, name)(include_failed=True)
        pd.testing.assert_frame_equal(remote, local)
        assert remote.attrs["brainobs"]["source"] == "mirror"
        assert remote.attrs["brainobs"]["url"] == url
        assert remote.attrs["brainobs"]["synthetic"] is True
    assert vc.choices() == folder_vc.choices()
    assert "SYNTHETIC SAMPLE DATA" in repr(vc) and url in repr(vc)
    assert vc.source.root == cache / f"mirror-127.0.0.1-{url.rsplit(':', 1)[1]}"


def test_api_source_gives_the_same_tables_and_files(mirror, cache, folder_vc, caplog):
    server, url = mirror
    caplog.set_level(logging.INFO, logger="brainobs")
    vc = VisualCoding2P(f"api+{url}", cache_dir=cache, progress=False)
    assert vc.source.name == "api" and vc.source.root.name.startswith("api-127.0.0.1-")
    for name in ("containers", "experiments", "cells"):
        pd.testing.assert_frame_equal(
            getattr(vc, name)(include_failed=True), getattr(folder_vc, name)(include_failed=True)
        )
    assert "cell table: page 1" in caplog.text
    assert "Fetching the cell table (visual-coding-2p/cell_specimens.json)" in caplog.text
    eid = int(vc.experiments().index[0])
    assert md5_of(vc.experiment_path(eid)) == md5_of(folder_vc.experiment_path(eid))
    np.testing.assert_array_equal(vc.events(eid), folder_vc.events(eid))
    queries = [path for method, path, _ in server.requests if "query.json" in path]
    assert any("ApiCamCellMetric" in q and "start_row" in q for q in queries)
    assert any("WellKnownFile" in q and "NWBOphys" in q for q in queries)


def test_files_match_the_release_and_open(mirror, cache, sample_release):
    _, url = mirror
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    eid = int(vc.experiments(stimuli="natural_scenes").index[0])
    served = sample_release / "visual-coding-2p"
    nwb = served / "ophys_experiment_data" / f"{eid}.nwb"
    assert md5_of(vc.experiment_path(eid)) == md5_of(nwb)
    events = vc.events(eid)
    np.testing.assert_array_equal(
        events, read_events(served / "ophys_experiment_events" / f"{eid}_events.npz")
    )
    assert events.shape[0] == vc.experiment(eid).number_of_cells


def test_a_file_the_source_lacks_is_a_file_not_found_error(mirror, cache, folder_vc):
    _, url = mirror
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    eid = int(vc.experiments().index[0])
    with pytest.raises(FileNotFoundError, match="does not have the analysis file"):
        vc.analysis_path(eid)
    with pytest.raises(FileNotFoundError, match="is not in"):
        folder_vc.analysis_path(eid)


def test_ids_are_checked_before_any_download(mirror, cache):
    server, url = mirror
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    container = int(vc.experiments()["experiment_container_id"].iloc[0])
    before = len(server.requests)
    with pytest.raises(InvalidChoiceError, match="is an experiment container id"):
        vc.experiment(container)
    with pytest.raises(InvalidChoiceError, match="Unknown ophys experiment id 12"):
        vc.events_path(12)
    assert len(server.requests) == before


# -- offline -------------------------------------------------------------------------------------
def test_warm_cache_runs_the_tutorial_with_no_network(sample_release, cache):
    server, url = serve(sample_release)
    with server:
        online = _tutorial_steps(VisualCoding2P(url, cache_dir=cache, progress=False))
    # the port is closed now: any request would fail after its retries
    started = time.monotonic()
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    offline = _tutorial_steps(vc)
    assert time.monotonic() - started < 5
    assert offline["experiment"] == online["experiment"]
    np.testing.assert_array_equal(offline["dff"], online["dff"])
    pd.testing.assert_frame_equal(offline["cells"], online["cells"])
    pd.testing.assert_frame_equal(offline["scenes"], online["scenes"])
    assert vc.source.synthetic


def test_missing_file_offline_says_what_to_do(sample_release, cache):
    server, url = serve(sample_release)
    with server:
        VisualCoding2P(url, cache_dir=cache, progress=False).experiments()
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)  # no open connection to reuse
    eid = int(vc.experiments().index[-1])
    with pytest.raises(DownloadError) as info:
        vc.experiment(eid)
    message = str(info.value)
    assert f"NWB file of experiment {eid} is not in the cache" in message
    assert url in message and "connection refused" in message
    assert "run this once with network access" in message and "brainobs mirror" in message
    assert not (vc.source.release / "ophys_experiment_data" / f"{eid}.nwb").exists()


def test_cold_start_offline_fails_at_construction_with_advice(sample_release, cache):
    server, url = serve(sample_release)
    server.close()
    with pytest.raises(DownloadError, match="experiment_containers.json is not in the cache"):
        VisualCoding2P(url, cache_dir=cache, progress=False, retries=1)


def test_tutorial_notebook_runs_from_a_warm_cache_with_the_mirror_stopped(
    sample_release, cache, monkeypatch
):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    server, url = serve(sample_release)
    monkeypatch.setenv("BRAINOBS_SOURCE", url)
    monkeypatch.setenv("BRAINOBS_CACHE_DIR", str(cache))

    def run() -> list[str]:
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        client = nbclient.NotebookClient(
            notebook,
            kernel_name="python3",
            timeout=300,
            resources={"metadata": {"path": str(NOTEBOOK.parent)}},
        )
        client.execute()
        return [
            output.get("text", "")
            for cell in notebook.cells
            for output in cell.get("outputs", [])
            if output.get("output_type") == "stream"
        ]

    with server:
        run()  # warms the cache
    printed = "".join(run())  # the mirror is stopped now
    assert "source='mirror'" in printed and url in printed
    assert "Synthetic sample data: True" in printed
    assert "respond significantly to natural scenes" in printed


def test_the_sample_writes_an_analysis_file_on_first_request(sample_release):
    from brainobs.analysis import analyze_stimulus
    from brainobs.analysis.analysis_file import read_analysis_arrays

    vc = VisualCoding2P("sample", cache_dir=sample_release.parent, progress=False)
    eid = int(vc.experiments(session_types="three_session_A").index[0])
    path = vc.analysis_path(eid)
    try:  # the session's release is served by the mirror tests, which expect no analysis file
        assert path.name == f"{eid}_three_session_A_analysis.h5"
        written = path.stat().st_mtime_ns
        assert vc.analysis_path(eid) == path and path.stat().st_mtime_ns == written  # reused
        stored = read_analysis_arrays(path)
    finally:
        path.unlink()
    computed = analyze_stimulus(vc.experiment(eid), "drifting_gratings")
    np.testing.assert_allclose(stored["response_dg"], computed.response, rtol=1e-9)
    peak = stored["peak"]
    np.testing.assert_allclose(peak["osi_dg"].to_numpy(dtype=float),
                               computed.peak["osi_dg"].to_numpy(dtype=float), rtol=1e-9)

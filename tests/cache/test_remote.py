"""Remotes: the S3 layout and the Allen API answer "where, how big, fetch" the same way."""

from __future__ import annotations

import json
import logging

from brainobs.cache.kinds import experiment_spec, metadata_spec, verify_json, verify_npz
from brainobs.cache.remote import ApiRemote, ObjectRemote, make_remote
from brainobs.sources import allen_api


def test_object_remote_sizes_and_fetches_with_the_etag(mirror, sample_release, tmp_path):
    _, url = mirror
    remote = ObjectRemote(url, progress=False)
    spec = metadata_spec("experiment_containers.json")
    located = remote.locate(spec)
    served = sample_release / spec.key
    assert located.size == served.stat().st_size and located.etag.startswith('"')
    assert remote.fetch(spec, tmp_path / "x.json", verify_json) == located
    assert (tmp_path / "x.json").read_bytes() == served.read_bytes()
    assert remote.locate(experiment_spec(1, "nwb")) is None
    assert remote.fetch(experiment_spec(1, "nwb"), tmp_path / "1.nwb", verify_json) is None
    remote.close()


def test_api_remote_pages_the_cell_table_and_logs_each_page(
    mirror, sample_release, tmp_path, caplog, monkeypatch
):
    _, url = mirror
    remote = make_remote("api", url, progress=False)
    assert isinstance(remote, ApiRemote)
    monkeypatch.setattr(allen_api, "CELL_PAGE_SIZE", 50)  # several pages from the sample
    caplog.set_level(logging.INFO, logger="brainobs")
    target = tmp_path / "cell_specimens.json"
    assert remote.fetch(metadata_spec("cell_specimens.json"), target, verify_json) is not None
    served = json.loads((sample_release / "visual-coding-2p" / "cell_specimens.json").read_text())
    assert json.loads(target.read_text()) == sorted(served, key=lambda r: r["cell_specimen_id"])
    assert caplog.text.count("cell table: page") == len(served) // 50 + 1


def test_api_remote_follows_well_known_file_links(mirror, sample_release, tmp_path):
    _, url = mirror
    remote = ApiRemote(url, progress=False)
    eid = int(next((sample_release / "visual-coding-2p" / "ophys_experiment_data").iterdir()).stem)
    located = remote.locate(experiment_spec(eid, "events"))
    served = sample_release / "visual-coding-2p" / "ophys_experiment_events" / f"{eid}_events.npz"
    assert located.url.startswith(url) and located.size == served.stat().st_size
    remote.fetch(experiment_spec(eid, "events"), tmp_path / "e.npz", verify_npz)
    assert (tmp_path / "e.npz").read_bytes() == served.read_bytes()
    assert remote.locate(experiment_spec(eid, "analysis", "three_session_A")) is None


def test_the_bucket_falls_back_on_the_api_for_metadata_only(tmp_path):
    from brainobs.cache.remote import remotes_for
    from brainobs.config import resolve_source

    remote, fallback = remotes_for(resolve_source("s3", cache=tmp_path))
    assert remote.base == "https://allen-brain-observatory.s3.us-west-2.amazonaws.com"
    assert fallback.base == "https://api.brain-map.org"
    assert remotes_for(resolve_source("http://127.0.0.1:9", cache=tmp_path))[1] is None
    assert remotes_for(resolve_source("api", cache=tmp_path))[1] is None


def test_metadata_the_remote_lacks_comes_from_the_fallback(real_release, mirror, tmp_path):
    from brainobs.cache.files import FileStore
    from brainobs.config import resolve_source
    from brainobs.sources.mirror import serve

    _, api_url = mirror  # answers the API queries from the sample release
    server, url = serve(real_release)  # has no cell_specimens.json
    with server:
        source = resolve_source(url, cache=tmp_path)
        store = FileStore(source, ObjectRemote(url, progress=False), ApiRemote(api_url))
        path = store.ensure(metadata_spec("cell_specimens.json"))
        assert store.ledger.get("visual-coding-2p/cell_specimens.json")["url"].startswith(api_url)
        with_nwb = experiment_spec(1, "nwb")
        assert store.remote.locate(with_nwb) is None
    assert len(json.loads(path.read_text())) > 0

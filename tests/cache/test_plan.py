"""Planning downloads: sizes from the source, what is cached, the total against free space."""

from __future__ import annotations

import pytest

from brainobs import VisualCoding2P
from brainobs.errors import DownloadError
from brainobs.sources.mirror import serve


def _served_size(sample_release, key: str) -> int:
    return (sample_release / key).stat().st_size


def test_plan_sizes_files_and_counts_what_is_left(mirror, cache, sample_release):
    _, url = mirror
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    ids = list(vc.experiments().index[:2])
    plan = vc.plan(ids)
    assert list(plan["kind"]) == ["nwb", "events", "nwb", "events"]
    assert list(plan["size"]) == [_served_size(sample_release, key) for key in plan["key"]]
    assert not plan["cached"].any() and plan["available"].all()
    info = plan.attrs["brainobs"]
    assert info["download_bytes"] == int(plan["size"].sum())
    assert info["free_bytes"] > 0 and info["fits"]
    assert info["summary"].startswith("4 files: 4 to download")
    vc.experiment_path(ids[0])
    after = vc.plan(ids)
    assert list(after["cached"]) == [True, False, False, False]
    assert after.attrs["brainobs"]["download_bytes"] == info["download_bytes"] - plan["size"][0]


def test_files_the_source_lacks_are_marked(mirror, cache):
    _, url = mirror
    vc = VisualCoding2P(url, cache_dir=cache, progress=False)
    plan = vc.plan(vc.experiments().index[0], kinds="analysis")
    assert not plan["available"].any() and plan["size"].isna().all()
    assert "1 not available" in plan.attrs["brainobs"]["summary"]


def test_api_plan_agrees_with_the_mirror_plan(mirror, cache):
    _, url = mirror
    ids = list(VisualCoding2P(url, cache_dir=cache, progress=False).experiments().index[:2])
    by_api = VisualCoding2P(f"api+{url}", cache_dir=cache, progress=False).plan(ids)
    by_mirror = VisualCoding2P(url, cache_dir=cache, progress=False).plan(ids)
    assert list(by_api["size"]) == list(by_mirror["size"])


def test_folder_plan_needs_no_server(sample_release, cache):
    vc = VisualCoding2P(sample_release, cache_dir=cache)
    plan = vc.plan(vc.experiments().index, kinds=["nwb"])
    assert plan["cached"].all()
    assert list(plan["size"]) == [_served_size(sample_release, key) for key in plan["key"]]
    assert plan.attrs["brainobs"]["download_bytes"] == 0


def test_plan_offline_says_the_source_cannot_be_reached(sample_release, cache):
    server, url = serve(sample_release)
    with server:
        VisualCoding2P(url, cache_dir=cache, progress=False).experiments()
    vc = VisualCoding2P(url, cache_dir=cache, progress=False, retries=0)
    with pytest.raises(DownloadError, match="(?s)Cannot size the files.*connection refused"):
        vc.plan(vc.experiments().index[:1])

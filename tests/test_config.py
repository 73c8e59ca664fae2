import json

import pytest

from brainobs.config import (
    SAMPLE_MARKER_KEY,
    cache_dir,
    check_base_url,
    resolve_source,
    source_key,
)
from brainobs.errors import InvalidChoiceError


def test_cache_dir_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("BRAINOBS_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    assert cache_dir(tmp_path / "x") == tmp_path / "x"


def test_sample_source_lives_in_the_cache(tmp_path):
    source = resolve_source("sample", cache=tmp_path)
    assert source.synthetic and source.release == tmp_path / "sample" / "visual-coding-2p"


def test_source_from_environment(monkeypatch, tmp_path):
    release = tmp_path / "visual-coding-2p"
    release.mkdir()
    (release / "experiment_containers.json").write_text(json.dumps([{"id": 1}]))
    monkeypatch.setenv("BRAINOBS_SOURCE", str(tmp_path))
    source = resolve_source()
    assert source.name == "folder" and source.release == release and not source.synthetic


def test_folder_with_the_json_directly_is_a_release(tmp_path):
    (tmp_path / "experiment_containers.json").write_text(json.dumps([{SAMPLE_MARKER_KEY: "x"}]))
    source = resolve_source(tmp_path)
    assert source.release == tmp_path and source.synthetic


def test_unknown_source_says_what_would_be_right(tmp_path):
    with pytest.raises(InvalidChoiceError, match="brainobs sample DIR"):
        resolve_source(tmp_path / "nothing-here")


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("BRAINOBS_SOURCE", raising=False)


def test_the_default_source_is_the_public_bucket_over_https(no_env, tmp_path):
    source = resolve_source(cache=tmp_path)
    assert source.name == "s3" and source.remote
    assert source.url == "https://allen-brain-observatory.s3.us-west-2.amazonaws.com"
    assert source.release == tmp_path / "s3" / "visual-coding-2p"
    assert not source.synthetic


def test_the_bucket_url_matches_the_byte_layer():
    from brainobs.config import API_BASE_URL, S3_BASE_URL
    from brainobs.sources.allen_api import API_BASE
    from brainobs.sources.s3 import BUCKET_URL

    assert (S3_BASE_URL, API_BASE_URL) == (BUCKET_URL, API_BASE)


def test_named_and_url_sources(no_env, tmp_path):
    api = resolve_source("api", cache=tmp_path)
    assert (api.name, api.url, api.root) == ("api", "https://api.brain-map.org", tmp_path / "api")
    mirror = resolve_source("http://127.0.0.1:8000/", cache=tmp_path)
    assert (mirror.name, mirror.url) == ("mirror", "http://127.0.0.1:8000")
    assert mirror.root == tmp_path / "mirror-127.0.0.1-8000"
    answerer = resolve_source("api+http://localhost:9000", cache=tmp_path)
    assert (answerer.name, answerer.root.name) == ("api", "api-localhost-9000")
    bucket = resolve_source("https://allen-brain-observatory.s3.us-west-2.amazonaws.com/")
    assert bucket.name == "s3"


def test_a_cached_copy_of_the_sample_is_labelled_synthetic(no_env, tmp_path):
    release = tmp_path / "mirror-127.0.0.1-8000" / "visual-coding-2p"
    release.mkdir(parents=True)
    (release / "experiment_containers.json").write_text(json.dumps([{SAMPLE_MARKER_KEY: "x"}]))
    assert resolve_source("http://127.0.0.1:8000", cache=tmp_path).synthetic


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://example.org/data", "only http:// and https://"),
        ("http://user:secret@example.org", "user name or password"),
        ("http://example.org/?list-type=2", "query or fragment"),
        ("http://example.org:99999", "Port"),
    ],
)
def test_unusable_urls_are_refused(url, problem):
    with pytest.raises(InvalidChoiceError, match=problem):
        resolve_source(url)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/../../etc", "http://host:81/a/../../b", "https://[::1]:9/x/./y"],
)
def test_source_keys_stay_one_safe_folder_name(url):
    key = source_key("mirror", check_base_url(url))
    assert "/" not in key and ".." not in key and key.startswith("mirror-")
    assert all(ch.isalnum() or ch in ".-" for ch in key)


def test_folder_state_lives_in_the_cache_not_in_the_folder(tmp_path):
    (tmp_path / "experiment_containers.json").write_text("[]")
    source = resolve_source(tmp_path, cache=tmp_path / "cache")
    assert source.state.parent == tmp_path / "cache" / "folders"
    assert resolve_source("sample", cache=tmp_path).state == tmp_path / "sample" / ".brainobs"


def test_describe_source_says_sample_is_synthetic_and_names_no_path(tmp_path):
    from brainobs.config import describe_source

    sample = describe_source("sample")
    assert "SYNTHETIC" in sample and "not real recordings" in sample
    assert "/" not in sample.replace("BRAINOBS_SOURCE=s3", "")
    real = describe_source("s3")
    assert "real Allen Brain Observatory" in real and "SYNTHETIC" not in real
    assert "http://127.0.0.1:9" in describe_source("http://127.0.0.1:9")

import json

import pytest

from brainobs.config import SAMPLE_MARKER_KEY, cache_dir, resolve_source
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

"""safe_join / check_key: keys never leave their folder; the .part/.lock neighbours."""

from __future__ import annotations

from pathlib import Path

import pytest

from brainobs.errors import UnsafeKeyError
from brainobs.sources.paths import check_key, lock_path, meta_path, part_path, safe_join


def test_safe_join_keeps_keys_inside_the_root(tmp_path):
    key = "visual-coding-2p/ophys_experiment_data/501940850.nwb"
    assert safe_join(tmp_path, key) == tmp_path / "visual-coding-2p" / "ophys_experiment_data" / (
        "501940850.nwb"
    )
    assert safe_join(tmp_path, "a//./b") == tmp_path / "a" / "b"


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("../x", "'..' part"),
        ("a/../../x", "'..' part"),
        ("/etc/passwd", "absolute"),
        ("C:/Windows/x", "drive letter"),
        ("a\\..\\x", "backslash"),
        ("", "empty"),
        ("a\x00b", "NUL"),
    ],
)
def test_escaping_keys_are_refused_with_the_reason(key, why):
    with pytest.raises(UnsafeKeyError, match=why) as info:
        check_key(key)
    assert isinstance(info.value, ValueError)
    assert "Keys are relative paths" in str(info.value)


def test_a_key_must_name_a_file(tmp_path):
    with pytest.raises(UnsafeKeyError, match="names the folder itself"):
        safe_join(tmp_path, "./")


def test_neighbours_sit_next_to_the_target():
    target = Path("/cache/visual-coding-2p/501940850.nwb")
    assert part_path(target) == Path("/cache/visual-coding-2p/501940850.nwb.part")
    assert meta_path(target) == Path("/cache/visual-coding-2p/501940850.nwb.part.json")
    assert lock_path(target) == Path("/cache/visual-coding-2p/501940850.nwb.lock")

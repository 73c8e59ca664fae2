"""Metadata tables of a source: JSON read once, parsed tables kept as fast copies."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from brainobs import VisualCoding2P
from brainobs.cache.files import FileStore
from brainobs.cache.metadata import Metadata
from brainobs.config import resolve_source


def test_tables_are_kept_and_rebuilt_when_the_json_changes(sample_release, tmp_path):
    release = tmp_path / "copy" / "visual-coding-2p"
    release.mkdir(parents=True)
    for name in ("experiment_containers.json", "ophys_experiments.json", "cell_specimens.json"):
        (release / name).write_bytes((sample_release / "visual-coding-2p" / name).read_bytes())
    cache = tmp_path / "cache"
    vc = VisualCoding2P(release.parent, cache_dir=cache)
    first, _, _ = vc.cells(), vc.experiments(), vc.containers()
    copies = _state(release.parent, cache)
    assert sorted(p.name for p in copies.iterdir()) == [
        "cells.npz",
        "containers.npz",
        "experiments.npz",
    ]
    stamp = (copies / "cells.npz").stat().st_mtime_ns
    pd.testing.assert_frame_equal(VisualCoding2P(release.parent, cache_dir=cache).cells(), first)
    assert (copies / "cells.npz").stat().st_mtime_ns == stamp  # read, not rewritten
    records = json.loads((release / "cell_specimens.json").read_text())
    (release / "cell_specimens.json").write_text(json.dumps(records[:10]))
    assert len(VisualCoding2P(release.parent, cache_dir=cache).cells(include_failed=True)) == 10
    assert (copies / "cells.npz").stat().st_mtime_ns != stamp


def _state(root: Path, cache: Path) -> Path:
    from brainobs.config import resolve_source

    return resolve_source(root, cache).state / "tables"


def test_experiments_come_from_the_containers_when_the_release_has_no_experiment_file(
    sample_release, tmp_path
):
    release = tmp_path / "copy" / "visual-coding-2p"
    release.mkdir(parents=True)
    name = "experiment_containers.json"
    (release / name).write_bytes((sample_release / "visual-coding-2p" / name).read_bytes())
    metadata = Metadata(FileStore(resolve_source(release.parent, tmp_path / "cache"), None))
    nested = sum(len(c["ophys_experiments"]) for c in metadata.container_records)
    assert len(metadata.experiments) == nested > 0
    assert set(metadata.experiments["experiment_container_id"]) == set(metadata.containers.index)

"""The cache's tables and filters on the real 2017 Allen API records (read from ../shared)."""

import shutil
import time

import pytest

from brainobs import VisualCoding2P
from brainobs.errors import DownloadError, InvalidChoiceError
from brainobs.sources.mirror import serve
from tests.settings import REAL_VC2P

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(
        not (REAL_VC2P / "experiment_containers.json").is_file(),
        reason=f"real Allen records not found at {REAL_VC2P} (../shared is absent)",
    ),
]


@pytest.fixture(scope="module", params=["folder", "mirror"])
def vc(request, tmp_path_factory):
    """The real records as a folder source, and served by a mirror as a URL source."""
    cache = tmp_path_factory.mktemp("cache")
    if request.param == "folder":
        yield VisualCoding2P(source=REAL_VC2P, cache_dir=cache)
        return
    root = tmp_path_factory.mktemp("served")
    shutil.copytree(REAL_VC2P, root / "visual-coding-2p")
    server, url = serve(root)
    with server:
        yield VisualCoding2P(source=url, cache_dir=cache, progress=False)


def test_real_release_is_not_labelled_synthetic(vc):
    assert not vc.source.synthetic
    assert vc.containers().attrs["brainobs"]["synthetic"] is False
    assert "SYNTHETIC" not in repr(vc)


def test_failed_containers_hidden_by_default(vc):
    assert len(vc.containers(include_failed=True)) == 216
    assert len(vc.containers()) == 216 - 35
    assert not vc.containers()["failed"].any()


def test_choices_match_the_release(vc):
    choices = vc.choices()
    assert choices["targeted_structures"] == ["VISal", "VISam", "VISl", "VISp", "VISpm", "VISrl"]
    assert "Cux2-CreERT2" in choices["cre_lines"]
    assert all("Cre" in line for line in choices["cre_lines"])
    assert choices["session_types"] == [
        "three_session_A",
        "three_session_B",
        "three_session_C",
        "three_session_C2",
    ]


def test_experiments_rebuilt_from_nested_records(vc):
    every = vc.experiments(include_failed=True)
    assert len(every) == 648
    assert every.session_type.value_counts().to_dict() == {
        "three_session_A": 216,
        "three_session_B": 216,
        "three_session_C": 114,
        "three_session_C2": 102,
    }
    container = 511510675
    mine = vc.experiments(experiment_container_ids=[container])
    assert set(mine.experiment_container_id) == {container}
    assert len(mine) == 3
    row = vc.containers().loc[container]
    assert (mine.targeted_structure == row.targeted_structure).all()
    assert (mine.acquisition_age_days > 0).all()


def test_stimulus_filter_selects_session_types(vc):
    lsn8 = vc.experiments(stimuli="locally_sparse_noise_8deg")
    assert set(lsn8.session_type) == {"three_session_C2"}
    eye = vc.experiments(require_eye_tracking=True)
    assert (eye.fail_eye_tracking == False).all()  # noqa: E712
    assert len(eye) < len(vc.experiments())


def test_cre_lines_match_case_insensitively(vc):
    a = vc.containers(cre_lines="cux2-creert2")
    b = vc.containers(cre_lines=["Cux2-CreERT2"])
    assert list(a.index) == list(b.index) and len(a) > 0


@pytest.mark.parametrize(
    ("keyword", "value", "expected"),
    [
        ("targeted_structures", "VISpp", "Did you mean 'VISp"),
        ("cre_lines", "Cux2", "Did you mean 'Cux2-CreERT2'"),
        ("imaging_depths", 176, "Valid: [175,"),
        ("reporter_lines", "Ai94", "Unknown reporter line 'Ai94'"),
        ("transgenic_lines", "Camk2a", "Did you mean 'Camk2a-tTA'"),
        ("ids", 1, "Unknown id 1"),
    ],
)
def test_bad_container_filters_name_the_valid_choices(vc, keyword, value, expected):
    with pytest.raises(InvalidChoiceError) as info:
        vc.containers(**{keyword: value})
    assert expected in str(info.value)


@pytest.mark.parametrize(
    ("keyword", "value", "expected"),
    [
        ("session_types", "three_session_D", "Did you mean 'three_session_"),
        ("stimuli", "natural_scene", "Did you mean 'natural_scenes'"),
        ("experiment_container_ids", 42, "Unknown experiment container id 42"),
    ],
)
def test_bad_experiment_filters_name_the_valid_choices(vc, keyword, value, expected):
    with pytest.raises(InvalidChoiceError, match=expected):
        vc.experiments(**{keyword: value})


def test_unknown_filter_keyword(vc):
    with pytest.raises(InvalidChoiceError, match="Did you mean 'cre_lines'"):
        vc.containers(cre_line="Cux2-CreERT2")


def test_container_id_given_as_experiment_id(vc):
    with pytest.raises(InvalidChoiceError, match="is an experiment container id"):
        vc.experiment_path(511510675)


def test_no_cell_table_in_this_release(vc):
    with pytest.raises(FileNotFoundError, match="cell_specimens.json"):
        vc.cells()


def test_choices_list_the_real_cre_lines(vc):
    assert vc.choices()["cre_lines"] == [
        "Cux2-CreERT2",
        "Emx1-IRES-Cre",
        "Nr5a1-Cre",
        "Rbp4-Cre_KL100",
        "Rorb-IRES2-Cre",
        "Scnn1a-Tg3-Cre",
    ]
    assert len(vc.choices()["targeted_structures"]) == 6


def test_a_warm_mirror_cache_needs_no_server_even_for_missing_files(tmp_path):
    root = tmp_path / "served"
    shutil.copytree(REAL_VC2P, root / "visual-coding-2p")
    server, url = serve(root)
    with server:
        online = VisualCoding2P(url, cache_dir=tmp_path / "cache", progress=False)
        expected = online.experiments(include_failed=True)
        with pytest.raises(FileNotFoundError):
            online.cells()
    started = time.monotonic()
    offline = VisualCoding2P(url, cache_dir=tmp_path / "cache", progress=False)
    assert list(offline.experiments(include_failed=True).index) == list(expected.index)
    with pytest.raises(FileNotFoundError, match="has no cell_specimens.json"):
        offline.cells()  # remembered as absent: no request to the stopped server
    assert time.monotonic() - started < 3
    offline.verify(refetch=True)  # forgets what the source lacked ...
    with pytest.raises(DownloadError, match="cell_specimens.json is not in the cache"):
        offline.cells()  # ... so it is asked for again

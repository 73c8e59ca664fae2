"""S3 keys, URLs, HEAD and ListObjectsV2 paging, against the mirror."""

from __future__ import annotations

import pytest

from brainobs.errors import DownloadError, FormatError, InvalidChoiceError, UnsafeKeyError
from brainobs.sources import s3

from .conftest import NWB_KEY, SIZE
from .faults import Fault, serve_faulty

# A page as S3 writes it (namespace, quoted ETags, a multipart ETag, a continuation token).
S3_PAGE = b"""<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<Name>allen-brain-observatory</Name><Prefix>visual-coding-2p/ophys_experiment_data/</Prefix>
<KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>
<Contents><Key>visual-coding-2p/ophys_experiment_data/501021421.nwb</Key>
<LastModified>2018-05-03T19:03:04.000Z</LastModified>
<ETag>&quot;3b2e5d0c1f0a4b8e9d7c6b5a49382716-41&quot;</ETag><Size>339253928</Size>
<StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>visual-coding-2p/ophys_experiment_data/501271265.nwb</Key>
<LastModified>2018-05-03T19:03:05.000Z</LastModified>
<ETag>&quot;0cc175b9c0f1b6a831c399e269772661&quot;</ETag><Size>1</Size>
<StorageClass>STANDARD</StorageClass></Contents>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>"""


def test_release_keys_follow_the_bucket_layout():
    assert s3.nwb_key(501940850) == "visual-coding-2p/ophys_experiment_data/501940850.nwb"
    assert s3.analysis_key(501940850, "three_session_C2") == (
        "visual-coding-2p/ophys_experiment_analysis/501940850_three_session_C2_analysis.h5"
    )
    assert s3.events_key("501940850") == (
        "visual-coding-2p/ophys_experiment_events/501940850_events.npz"
    )
    assert s3.metadata_key("cell_specimens.json") == "visual-coding-2p/cell_specimens.json"


def test_bad_ids_and_names_are_refused_with_choices():
    with pytest.raises(InvalidChoiceError, match=r"Valid: \['three_session_A'"):
        s3.analysis_key(1, "three_session_a")
    with pytest.raises(InvalidChoiceError, match="whole number"):
        s3.nwb_key("../1")
    with pytest.raises(InvalidChoiceError, match="metadata file"):
        s3.metadata_key("containers.json")


def test_object_urls_use_the_public_bucket_or_a_mirror():
    assert s3.object_url(s3.nwb_key(1)) == (
        "https://allen-brain-observatory.s3.us-west-2.amazonaws.com/"
        "visual-coding-2p/ophys_experiment_data/1.nwb"
    )
    assert s3.object_url("a b/c+d.json", "http://127.0.0.1:9/") == (
        "http://127.0.0.1:9/a%20b/c%2Bd.json"
    )
    with pytest.raises(UnsafeKeyError, match="'..' part"):
        s3.object_url("visual-coding-2p/../../x")


def test_parse_listing_reads_an_s3_page():
    objects, token = s3.parse_listing(S3_PAGE)
    assert token == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="
    assert [o.size for o in objects] == [339253928, 1]
    assert objects[1].etag == '"0cc175b9c0f1b6a831c399e269772661"'
    assert objects[0].last_modified == "2018-05-03T19:03:04.000Z"


def test_parse_listing_refuses_errors_and_non_xml():
    with pytest.raises(FormatError, match="got <Error>: AccessDenied"):
        s3.parse_listing(b"<Error><Code>AccessDenied</Code></Error>")
    with pytest.raises(FormatError, match="not valid XML"):
        s3.parse_listing(b"<html>")


def test_listing_url_quotes_prefix_and_token():
    url = s3.listing_url("https://b.example", "visual-coding-2p/", "a/b+c=", 50)
    assert url == (
        "https://b.example/?list-type=2&prefix=visual-coding-2p%2F"
        "&continuation-token=a%2Fb%2Bc%3D&max-keys=50"
    )


@pytest.fixture
def bucket(release):
    for i in range(7):
        path = release.root / s3.events_key(1000 + i)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(i + 1))
    server, url = serve_faulty(release.root)
    with server:
        yield server, url


def test_list_objects_pages_through_the_mirror(bucket):
    server, url = bucket
    prefix = "visual-coding-2p/ophys_experiment_events/"
    found = list(s3.list_objects(prefix, url, max_keys=3))
    assert [o.key for o in found] == [s3.events_key(1000 + i) for i in range(7)]
    assert [o.size for o in found] == list(range(1, 8))
    assert len(server.plan.seen) == 3  # pages of 3, 3 and 1


def test_list_objects_retries_a_busy_server(bucket):
    server, url = bucket
    server.plan.add(Fault("status", status=503), times=2)
    assert len(list(s3.list_objects("visual-coding-2p/", url, retries=2))) == 8


def test_head_reports_size_and_etag(bucket, release):
    _, url = bucket
    info = s3.head(s3.object_url(NWB_KEY, url))
    assert (info.key, info.size, info.etag) == (NWB_KEY, SIZE, f'"{release.md5}"')
    with pytest.raises(DownloadError, match="HTTP 404"):
        s3.head(s3.object_url(s3.nwb_key(1), url))


def test_fetch_puts_the_object_under_its_key(bucket, release, tmp_path):
    _, url = bucket
    path = s3.fetch(NWB_KEY, tmp_path / "cache", url, progress=False)
    assert path == tmp_path / "cache" / NWB_KEY
    assert path.read_bytes() == release.data
    with pytest.raises(UnsafeKeyError):
        s3.fetch("/etc/passwd", tmp_path, url)

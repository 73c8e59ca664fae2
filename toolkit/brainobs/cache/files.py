"""The files of one source on this computer: present, verified once, fetched when missing.

For a remote source (s3, api, mirror) a file is used when the ledger says it was verified and
its size and time have not changed (no network, no hashing). Otherwise it is checked again
(md5 against the record, content check) or fetched; a damaged file is removed first, so a
truncated or corrupted file is never handed out. The sample release and folder sources are
used in place.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..config import RELEASE_PREFIX, DataSource
from ..errors import DownloadError
from ..sources.paths import safe_join
from ..sources.verify import etag_md5, file_hash, format_size
from .kinds import FileSpec, verifier_for
from .ledger import Ledger
from .remote import ApiRemote, Located, ObjectRemote

__all__ = ["FileStore", "offline_advice"]

log = logging.getLogger(__name__)

_CELLS = "cell_specimens.json"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def offline_advice(source: DataSource) -> str:
    """What to do when a file is not cached and the source cannot be reached.

    Examples
    --------
    >>> from brainobs.config import resolve_source
    >>> "brainobs mirror" in offline_advice(resolve_source("s3", cache="/tmp/c"))
    True
    """
    return (
        "To get it: run this once with network access (files stay cached in "
        f"{source.root}); or, in a classroom, serve a filled cache or release folder with "
        "`brainobs mirror DIR` and set BRAINOBS_SOURCE=http://HOST:PORT; or work offline "
        "with the synthetic sample release (source='sample')."
    )


class FileStore:
    """Give paths of verified files of ``source``, fetching them from ``remote`` if needed.

    Parameters
    ----------
    source : DataSource
        Where files live (``source.root``) and, for remote sources, where they come from.
    remote : ObjectRemote or ApiRemote, optional
        The remote of a remote source; None for the sample and folders.
    fallback : ApiRemote, optional
        Asked for metadata files that ``remote`` does not have (the public bucket falls back
        on the Allen API, which serves the same records).

    Examples
    --------
    >>> store = FileStore(source, remote)  # doctest: +SKIP
    >>> store.ensure(experiment_spec(501940850, "nwb"))  # doctest: +SKIP
    PosixPath('.../s3/visual-coding-2p/ophys_experiment_data/501940850.nwb')
    """

    def __init__(
        self,
        source: DataSource,
        remote: ObjectRemote | ApiRemote | None,
        fallback: ApiRemote | None = None,
    ) -> None:
        self.source = source
        self.remote = remote
        self.fallback = fallback
        self.ledger = Ledger(source.state)

    def path_of(self, spec: FileSpec) -> Path:
        """Where ``spec`` lives on this computer (keys never leave the release folder).

        The path is computed only; the file need not exist.

        Examples
        --------
        >>> import tempfile
        >>> from brainobs.config import resolve_source
        >>> from brainobs.cache.kinds import metadata_spec
        >>> store = FileStore(resolve_source("s3", cache=tempfile.mkdtemp()), None)
        >>> store.path_of(metadata_spec("experiment_containers.json")).parts[-3:]
        ('s3', 'visual-coding-2p', 'experiment_containers.json')
        """
        inside = spec.key.removeprefix(RELEASE_PREFIX + "/")
        return safe_join(self.source.release, inside)

    def key_of(self, path: Path) -> str:
        """The key of a file inside the release folder (the inverse of :meth:`path_of`).

        Examples
        --------
        >>> import tempfile
        >>> from brainobs.config import resolve_source
        >>> store = FileStore(resolve_source("s3", cache=tempfile.mkdtemp()), None)
        >>> store.key_of(store.source.release / "ophys_experiment_data" / "7.nwb")
        'visual-coding-2p/ophys_experiment_data/7.nwb'
        """
        return f"{RELEASE_PREFIX}/{path.relative_to(self.source.release).as_posix()}"

    def is_cached(self, spec: FileSpec) -> bool:
        """True if ``spec`` is here and (remote sources) verified with an unchanged size.

        Nothing is read or fetched.

        Examples
        --------
        >>> import tempfile
        >>> from brainobs.config import resolve_source
        >>> from brainobs.cache.kinds import metadata_spec
        >>> store = FileStore(resolve_source("s3", cache=tempfile.mkdtemp()), None)
        >>> store.is_cached(metadata_spec("experiment_containers.json"))
        False
        """
        path = self.path_of(spec)
        if not self.source.remote:
            return path.is_file()
        entry = self.ledger.get(spec.key) or {}
        return path.is_file() and path.stat().st_size == entry.get("size")

    def ensure(self, spec: FileSpec, *, required: bool = True) -> Path | None:
        """The path of a verified copy of ``spec``, fetched if needed.

        Parameters
        ----------
        spec : FileSpec
            The file.
        required : bool
            If False, return None when the source does not have the file (metadata files
            that a release may lack); if True, raise FileNotFoundError.

        Raises
        ------
        FileNotFoundError
            The source does not have the file.
        DownloadError
            The file is not cached and the source could not be reached: says which source
            and how to get the file.
        IntegrityError
            Every downloaded copy failed verification.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from brainobs.config import resolve_source
        >>> from brainobs.cache.kinds import metadata_spec
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> (root / "visual-coding-2p").mkdir()
        >>> _ = (root / "visual-coding-2p" / "experiment_containers.json").write_text("[]")
        >>> store = FileStore(resolve_source(root, cache=tempfile.mkdtemp()), None)
        >>> store.ensure(metadata_spec("experiment_containers.json")).name
        'experiment_containers.json'
        >>> store.ensure(metadata_spec("cell_specimens.json"), required=False) is None
        True
        """
        path = self.path_of(spec)
        if not self.source.remote:
            if path.is_file():
                return path
            return self._missing(spec, path.parent, required)
        if self._usable(spec, path):
            return path
        if self.ledger.is_absent(spec.key):
            return self._missing(spec, None, required)
        located = self._fetch(spec, path, self.remote)
        if located is None and spec.kind == "metadata" and self.fallback is not None:
            log.info("%s has no %s; asking %s", self.remote.label, spec.key, self.fallback.label)
            located = self._fetch(spec, path, self.fallback)
        if located is None:
            if not required:  # remembered, so an offline start does not ask again
                self.ledger.record_absent(spec.key, self._url(spec))
            return self._missing(spec, None, required)
        md5 = etag_md5(located.etag) or file_hash(path, "md5")
        self.ledger.record(spec.key, path, md5=md5, etag=located.etag, url=located.url)
        return path

    def check(self, spec: FileSpec) -> str:
        """What is wrong with the cached copy of ``spec`` (size, md5, content), or ``""``.

        Reads the whole file (hash and content check); the ledger is updated when it is fine.

        Examples
        --------
        >>> import tempfile
        >>> from brainobs.config import resolve_source
        >>> from brainobs.cache.kinds import metadata_spec
        >>> store = FileStore(resolve_source("s3", cache=tempfile.mkdtemp()), None)
        >>> spec = metadata_spec("experiment_containers.json")
        >>> path = store.path_of(spec)
        >>> path.parent.mkdir(parents=True)
        >>> _ = path.write_text("[]")
        >>> store.check(spec), store.is_cached(spec)
        ('', True)
        >>> _ = path.write_text('[{"id": 1}')
        >>> store.check(spec).startswith("size 10 != 2")
        True
        """
        path = self.path_of(spec)
        entry = self.ledger.get(spec.key) or {}
        size = path.stat().st_size
        if entry.get("size") is not None and size != entry["size"]:
            return f"size {size:,} != {entry['size']:,} (as verified)"
        recorded = entry.get("md5")
        md5 = file_hash(path, "md5") if recorded or self.source.remote else None
        if recorded and md5 != recorded:
            return f"md5 {md5} != {recorded} (as verified)"
        try:
            verifier_for(spec.kind)(path)
        except Exception as exc:
            return f"{exc}"
        if self.source.remote:
            extra = {name: entry.get(name) for name in ("etag", "url")}
            self.ledger.record(spec.key, path, md5=md5, **extra)
        return ""

    def forget_absent(self) -> list[str]:
        """Forget which files the source was found not to have (they are asked for again).

        Returns
        -------
        list of str
            The keys forgotten.

        Examples
        --------
        >>> import tempfile
        >>> from brainobs.config import resolve_source
        >>> store = FileStore(resolve_source("s3", cache=tempfile.mkdtemp()), None)
        >>> store.ledger.record_absent("visual-coding-2p/cell_specimens.json", "https://...")
        >>> store.forget_absent()
        ['visual-coding-2p/cell_specimens.json']
        """
        keys = [key for key, entry in self.ledger.entries().items() if entry.get("absent")]
        if keys:
            self.ledger.forget(*keys)
        return keys

    def discard(self, spec: FileSpec) -> None:
        """Remove the cached copy of ``spec`` and its record.

        Examples
        --------
        >>> import tempfile
        >>> from brainobs.config import resolve_source
        >>> from brainobs.cache.kinds import metadata_spec
        >>> store = FileStore(resolve_source("s3", cache=tempfile.mkdtemp()), None)
        >>> spec = metadata_spec("experiment_containers.json")
        >>> store.path_of(spec).parent.mkdir(parents=True)
        >>> _ = store.path_of(spec).write_text("[]")
        >>> store.check(spec)
        ''
        >>> store.discard(spec)
        >>> store.path_of(spec).exists(), store.ledger.get(spec.key)
        (False, None)
        """
        self.path_of(spec).unlink(missing_ok=True)
        self.ledger.forget(spec.key)

    # -- internals ----------------------------------------------------------------------------
    def _usable(self, spec: FileSpec, path: Path) -> bool:
        """True if the file here can be used; a damaged one is removed."""
        if not path.is_file():
            return False
        if self.ledger.trusted(spec.key, path):
            return True
        problem = self.check(spec)
        if not problem:
            log.debug("%s checked and recorded", path)
            return True
        log.warning("%s is damaged (%s); fetching it again.", path, problem)
        self.discard(spec)
        return False

    def _url(self, spec: FileSpec) -> str:
        if isinstance(self.remote, ObjectRemote):
            return self.remote.url_of(spec)
        return self.source.url or ""

    def _fetch(
        self, spec: FileSpec, path: Path, remote: ObjectRemote | ApiRemote | None
    ) -> Located | None:
        assert remote is not None
        if spec.key.endswith(_CELLS):
            log.warning(
                "Fetching the cell table (%s) from %s: about 63,000 cells in the full "
                "release, so this can take a minute; once, then it is cached.",
                spec.key,
                remote.label,
            )
        elif spec.kind == "metadata":
            log.info("Fetching %s from %s", spec.key, remote.label)
        try:
            located = remote.fetch(spec, path, verifier_for(spec.kind))
        except DownloadError as exc:
            msg = (
                f"{_capital(spec.what)} is not in the cache ({path}) and could not be "
                f"fetched from {remote.label}:\n{exc}\n{offline_advice(self.source)}"
            )
            raise DownloadError(msg) from exc
        if located is not None and spec.kind != "metadata":
            log.info("%s: %s in the cache", spec.what, format_size(path.stat().st_size))
        return located

    def _missing(self, spec: FileSpec, folder: Path | None, required: bool) -> None:
        if not required:
            return None
        if folder is not None:
            msg = f"{_capital(spec.what)} is not in {folder}."
        else:
            where = f"{_capital(self.source.label)} does not have {spec.what}"
            msg = f"{where} ({self._url(spec)} answered 'no such file'). "
            if spec.kind == "metadata":
                msg += (
                    "Is this address a Visual Coding 2P release in the S3 layout (it should "
                    "serve visual-coding-2p/experiment_containers.json)?"
                )
            else:
                msg += (
                    "Not every experiment has every kind of file (some have no events or "
                    "analysis file); check the id against vc.experiments()."
                )
        raise FileNotFoundError(msg)

    def close(self) -> None:
        """Close the remotes' HTTP sessions, if any.

        Examples
        --------
        >>> import tempfile
        >>> from brainobs.config import resolve_source
        >>> from brainobs.cache.remote import remotes_for
        >>> source = resolve_source("s3", cache=tempfile.mkdtemp())
        >>> store = FileStore(source, *remotes_for(source))
        >>> store.close()
        """
        for remote in (self.remote, self.fallback):
            if remote is not None:
                remote.close()

    def __repr__(self) -> str:
        return f"FileStore({self.source.label})"

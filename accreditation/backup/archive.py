"""The archive file: a gzip-compressed tar of JSON-lines tables, stored files and a
manifest with every member's SHA-256 (see docs/backup.md).

Reading never extracts anything to disk: members are streamed, and only regular files
with relative names that the manifest lists are accepted.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import io
import json
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

FORMAT = "jiceng-cycle-backup"
VERSION = 1
MANIFEST = "manifest.json"
_CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be restored: unreadable, incomplete, altered or foreign.
    Raised before anything is written."""


def encode(value: Any) -> Any:
    """A JSON value for a column value (full precision for times and decimals)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _json_default(value: Any) -> Any:
    encoded = encode(value)
    if encoded is value:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return encoded


def dumps(value: Any) -> bytes:
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default
    ).encode()


class HashingReader(io.RawIOBase):
    """A reader that hashes and counts what passes through it."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.inner.read(len(buffer))
        buffer[: len(chunk)] = chunk
        self.digest.update(chunk)
        self.size += len(chunk)
        return len(chunk)

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()


class Writer:
    """Writes members one by one and the manifest last. Use as a context manager; the
    archive appears at ``path`` only when it is complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.members: dict[str, dict[str, Any]] = {}
        self._partial = path.with_name(path.name + ".partial")
        self._tar: tarfile.TarFile | None = None

    def __enter__(self) -> Writer:
        self._tar = tarfile.open(self._partial, mode="w:gz", format=tarfile.PAX_FORMAT)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self._tar is not None
        self._tar.close()
        if exc_type is None:
            self._partial.replace(self.path)
        else:
            self._partial.unlink(missing_ok=True)

    def _add(self, name: str, stream: IO[bytes], size: int) -> dict[str, Any]:
        assert self._tar is not None
        if name in self.members:
            raise ValueError(f"duplicate member {name}")
        info = tarfile.TarInfo(name)
        info.size = size
        info.mode = 0o644
        info.mtime = 0
        hashing = HashingReader(stream)
        self._tar.addfile(info, hashing)
        if hashing.size != size:
            raise ArchiveError(f"{name}: {hashing.size} bytes read, {size} expected")
        entry = {"sha256": hashing.sha256, "size": size}
        self.members[name] = entry
        return entry

    def add_rows(self, name: str, rows: Iterator[list[Any]]) -> tuple[dict[str, Any], int]:
        """A JSON-lines member, one row (a list of column values) per line. Returns
        the member's checksum entry and the row count."""
        count = 0
        with tempfile.TemporaryFile() as spool:
            for row in rows:
                spool.write(dumps([encode(v) for v in row]))
                spool.write(b"\n")
                count += 1
            size = spool.tell()
            spool.seek(0)
            return self._add(name, spool, size), count

    def add_stream(self, name: str, stream: IO[bytes], size: int) -> dict[str, Any]:
        return self._add(name, stream, size)

    def add_manifest(self, manifest: dict[str, Any]) -> bytes:
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        self._add(MANIFEST, io.BytesIO(data), len(data))
        return data


@dataclass(frozen=True)
class Member:
    name: str
    size: int


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


_UNREADABLE = (tarfile.TarError, EOFError, OSError, ValueError, zlib.error)


class _Guarded(io.RawIOBase):
    """A member's stream whose read errors (truncated or corrupted data) are
    ``ArchiveError``."""

    def __init__(self, inner: IO[bytes], name: str) -> None:
        self.inner, self.name_ = inner, name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            chunk = self.inner.read(len(buffer))
        except _UNREADABLE as exc:
            raise ArchiveError(f"unreadable archive ({self.name_}): {exc}") from exc
        buffer[: len(chunk)] = chunk
        return len(chunk)


def members(path: Path) -> Iterator[tuple[Member, IO[bytes]]]:
    """Stream the archive's members in order. Raises ``ArchiveError`` for anything that
    is not a regular file with a safe relative name, or when the archive is unreadable
    (truncated, not gzip, not tar)."""
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            for info in tar:
                if not info.isreg() or not _safe_name(info.name):
                    raise ArchiveError(f"unexpected member {info.name!r} ({info.type!r})")
                stream = tar.extractfile(info)
                assert stream is not None
                yield Member(info.name, info.size), io.BufferedReader(_Guarded(stream, info.name))
    except _UNREADABLE as exc:
        raise ArchiveError(f"unreadable archive: {exc}") from exc


def read_all(stream: IO[bytes], entry: dict[str, Any], name: str) -> bytes:
    """A member's whole content, checked against its manifest entry."""
    data = stream.read()
    check(name, hashlib.sha256(data).hexdigest(), len(data), entry)
    return data


def check(name: str, sha256: str, size: int, entry: dict[str, Any] | None) -> None:
    if entry is None:
        raise ArchiveError(f"{name} is not listed in the manifest")
    if size != entry["size"] or sha256 != entry["sha256"]:
        raise ArchiveError(
            f"{name}: checksum mismatch (sha256 {sha256}, {size} bytes; the manifest says "
            f"{entry['sha256']}, {entry['size']} bytes)"
        )


def hash_stream(stream: IO[bytes], sink: IO[bytes] | None = None) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return digest.hexdigest(), size


def verify(path: Path) -> dict[str, Any]:
    """Read the whole archive once and return its manifest when every member is
    present, listed, unaltered and of the right row count. Raises ``ArchiveError``
    otherwise. Writes nothing."""
    seen: dict[str, tuple[str, int, int]] = {}
    manifest_bytes = None
    for member, stream in members(path):
        if member.name in seen or (member.name == MANIFEST and manifest_bytes is not None):
            raise ArchiveError(f"duplicate member {member.name}")
        if member.name == MANIFEST:
            manifest_bytes = stream.read()
            continue
        digest = hashlib.sha256()
        size = lines = 0
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")
        seen[member.name] = (digest.hexdigest(), size, lines)
    if manifest_bytes is None:
        raise ArchiveError("no manifest: not a cycle archive")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise ArchiveError(f"unreadable manifest: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise ArchiveError("not a cycle archive")
    if manifest.get("version") != VERSION:
        raise ArchiveError(f"archive format version {manifest.get('version')} is not supported")
    listed = manifest["members"]
    for name, entry in listed.items():
        if name not in seen:
            raise ArchiveError(f"{name} is missing from the archive")
        check(name, seen[name][0], seen[name][1], entry)
    extra = sorted(set(seen) - set(listed))
    if extra:
        raise ArchiveError(f"{extra[0]} is not listed in the manifest")
    for entry in manifest["tables"]:
        lines = seen[entry["member"]][2]
        if lines != entry["rows"]:
            raise ArchiveError(
                f"{entry['member']}: {lines} rows, the manifest says {entry['rows']}"
            )
    return manifest


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:
        return hash_stream(handle)[0]

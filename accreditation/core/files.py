"""Pure checks on uploaded files: the type from the content, and a safe file name.

The type is never taken from the name or the declared content type. Office files are
zip containers; they are recognised from their ``[Content_Types].xml`` main part and
their ``word/`` or ``xl/`` folder, so macro-enabled variants (docm, xlsm) and other zip
files are refused.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from typing import IO

PDF, JPG, PNG, DOCX, XLSX = "pdf", "jpg", "png", "docx", "xlsx"

#: Accepted extensions per type; the first is the one a mismatching name gets.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: ("pdf",),
    JPG: ("jpg", "jpeg"),
    PNG: ("png",),
    DOCX: ("docx",),
    XLSX: ("xlsx",),
}
CONTENT_TYPES: dict[str, str] = {
    PDF: "application/pdf",
    JPG: "image/jpeg",
    PNG: "image/png",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OFFICE_MAIN = {
    DOCX: (
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "word/",
    ),
    XLSX: (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/"),
}
_CONTENT_TYPES_LIMIT = 256 * 1024  # bytes of [Content_Types].xml read, against zip bombs


def _office_type(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names:
                return None
            with archive.open("[Content_Types].xml") as part:
                manifest = part.read(_CONTENT_TYPES_LIMIT)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, ValueError):
        return None
    for file_type, (main, folder) in _OFFICE_MAIN.items():
        if main in manifest and any(name.startswith(folder) for name in names):
            return file_type
    return None


def detect_file_type(stream: IO[bytes]) -> str | None:
    """``pdf``, ``jpg``, ``png``, ``docx`` or ``xlsx`` from the content of a seekable
    binary stream, or None for anything else. Leaves the stream at position 0."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\xff\xd8\xff"):
            return JPG
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"PK\x03\x04"):
            return _office_type(stream)
        return None
    finally:
        stream.seek(0)


#: What a spreadsheet upload may expand to (zip bombs): in all, and per part.
XLSX_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
XLSX_MAX_RATIO = 200
XLSX_MAX_PARTS = 1000


def zip_expansion_problem(
    stream: IO[bytes],
    *,
    max_total: int = XLSX_MAX_UNCOMPRESSED_BYTES,
    max_ratio: int = XLSX_MAX_RATIO,
    max_parts: int = XLSX_MAX_PARTS,
) -> str | None:
    """Why a zip container (an .xlsx) must not be opened, from its directory alone:
    more than ``max_parts`` parts, more than ``max_total`` bytes once decompressed, or
    a part decompressing to more than ``max_ratio`` times its compressed size (beyond
    the first megabyte). None when it may be opened or is not a zip at all (the reader
    reports that). Leaves the stream at position 0."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        stream.seek(0)
    if len(parts) > max_parts:
        return f"{len(parts)} parts (at most {max_parts})"
    total = sum(part.file_size for part in parts)
    if total > max_total:
        return f"{total} bytes once decompressed (at most {max_total})"
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > max_ratio * max(part.compress_size, 1):
            return f"part {part.filename} expands {part.file_size // max(part.compress_size, 1)}×"
    return None


_RESERVED = re.compile(r'[<>:"|?*\x00]')
_SPACES = re.compile(r"\s+")


def sanitise_filename(name: str, *, file_type: str | None = None, max_chars: int = 120) -> str:
    """A file name safe to store and show: the last path component only, Unicode
    normalised (NFKC), without control, format (e.g. bidi override) or reserved
    characters, without leading dots, at most ``max_chars`` characters with the
    extension kept. With ``file_type``, an extension that does not fit the detected type
    is replaced by the type's own. Never empty."""
    name = unicodedata.normalize("NFKC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    name = _RESERVED.sub("_", name)
    name = _SPACES.sub(" ", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        stem, extension = name, ""
    stem = stem.rstrip(" .")
    if file_type is not None and extension.lower() not in EXTENSIONS[file_type]:
        if extension:
            stem = f"{stem}.{extension}"
        extension = EXTENSIONS[file_type][0]
    extension = extension.lower()
    suffix = f".{extension}" if extension else ""
    stem = stem[: max(1, max_chars - len(suffix))].rstrip(" .") or "file"
    return f"{stem}{suffix}"

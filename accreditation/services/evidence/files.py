"""Checking an uploaded file (size, type from the content, SHA-256, a safe name) and
storing it once per content.

Files go to Django's default storage (local disk now, S3 later) under
``evidence/<2 hex>/<sha256>.<ext>``. A refused upload stores nothing: every check runs
before the first write, and a failure after the write removes the new file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accreditation.conf import setting
from accreditation.core.errors import EvidenceRejected
from accreditation.core.files import EXTENSIONS, detect_file_type, sanitise_filename
from accreditation.models import Evidence

_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class InspectedFile:
    sha256: str
    size: int
    file_type: str
    name: str


def inspect_upload(
    file: File,
    *,
    filename: str | None = None,
    max_bytes: int | None = None,
    accepted: Collection[str] | None = None,
    accepted_text: str | None = None,
) -> InspectedFile:
    """Size, type (from the content), SHA-256 and a safe name of an upload, without
    storing anything. Raises ``EvidenceRejected`` with reason ``empty``, ``too_large``
    (limit ``max_bytes``, by default ``ACCREDITATION["EVIDENCE_MAX_BYTES"]``) or
    ``unsupported_type`` (a type outside ``accepted``, by default every type
    ``detect_file_type`` knows; ``accepted_text`` then says which are)."""
    limit = int(setting("EVIDENCE_MAX_BYTES")) if max_bytes is None else max_bytes
    too_large = EvidenceRejected(
        _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit},
        reason="too_large",
        limit=limit,
    )
    declared = getattr(file, "size", None)
    if declared is not None and declared > limit:
        raise too_large
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    while chunk := file.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise too_large
        digest.update(chunk)
    file.seek(0)
    if size == 0:
        raise EvidenceRejected(_("The file is empty."), reason="empty")
    file_type = detect_file_type(file)
    if file_type is None or (accepted is not None and file_type not in accepted):
        raise EvidenceRejected(
            accepted_text
            or _(
                "Only PDF, JPEG, PNG, Word (docx) and Excel (xlsx) files are accepted; the "
                "content of this file is none of these."
            ),
            reason="unsupported_type",
        )
    name = sanitise_filename(
        filename if filename is not None else (file.name or ""),
        file_type=file_type,
        max_chars=int(setting("EVIDENCE_NAME_MAX_CHARS")),
    )
    return InspectedFile(digest.hexdigest(), size, file_type, name)


def store_inspected(inspected: InspectedFile, file: File) -> tuple[Evidence, str | None]:
    """The evidence row for this content, creating row and file when new. Returns the
    storage name written by this call (None when nothing was written)."""
    existing = Evidence.objects.filter(sha256=inspected.sha256).first()
    if existing is not None:
        return existing, None
    path = (
        f"evidence/{inspected.sha256[:2]}/{inspected.sha256}.{EXTENSIONS[inspected.file_type][0]}"
    )
    written = None
    if not default_storage.exists(path):  # a leftover of a rolled-back upload is reused
        file.seek(0)
        path = written = default_storage.save(path, file)
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                sha256=inspected.sha256,
                file=path,
                size=inspected.size,
                file_type=inspected.file_type,
                original_name=inspected.name,
            )
    except IntegrityError:  # the same content was stored concurrently
        if written:
            default_storage.delete(written)
        return Evidence.objects.get(sha256=inspected.sha256), None
    return evidence, written

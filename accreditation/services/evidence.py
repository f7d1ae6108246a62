"""Evidence files: upload (checked, hashed, stored once per content), attach to more
items, detach.

Files go to Django's default storage (local disk now, S3 later) under
``evidence/<2 hex>/<sha256>.<ext>``. A refused upload stores nothing: every check runs
before the first write, and a failure after the write removes the new file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accreditation.conf import setting
from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import EvidenceRejected
from accreditation.core.files import EXTENSIONS, detect_file_type, sanitise_filename
from accreditation.models import Assessment, Evidence, EvidenceAttachment, ItemGrade, User
from accreditation.permissions import Action, require
from accreditation.services.common import lock_assessment, refuse_unless_editable

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


def _check_items(assessment: Assessment, codes: list[str]) -> None:
    if not codes:
        raise EvidenceRejected(_("Choose at least one item."), reason="no_items")
    known = set(
        ItemGrade.objects.filter(assessment=assessment, item_code__in=codes).values_list(
            "item_code", flat=True
        )
    )
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            {"item_codes": _("Unknown items: %(codes)s") % {"codes": ", ".join(unknown)}}
        )


def _attach(
    actor: User, assessment: Assessment, evidence: Evidence, name: str, codes: list[str]
) -> list[EvidenceAttachment]:
    present = set(
        EvidenceAttachment.objects.filter(
            assessment=assessment, evidence=evidence, item_code__in=codes
        ).values_list("item_code", flat=True)
    )
    new = [
        EvidenceAttachment(
            assessment=assessment, item_code=code, evidence=evidence, name=name, uploaded_by=actor
        )
        for code in codes
        if code not in present
    ]
    for attachment in new:
        attachment.save()
    if new:
        audit_record(
            actor=actor,
            action=AuditAction.EVIDENCE_ATTACH,
            target=assessment,
            after={
                "items": [a.item_code for a in new],
                "name": name,
                "sha256": evidence.sha256,
                "size": evidence.size,
                "type": evidence.file_type,
            },
        )
    return new


def evidence_upload(
    *,
    actor: User,
    assessment: Assessment,
    item_codes: Sequence[str],
    file: File,
    filename: str | None = None,
) -> list[EvidenceAttachment]:
    """Check an uploaded file and attach it to ``item_codes`` of the assessment.

    The type is detected from the content (pdf, jpg, png, docx, xlsx only); the size
    limit is ``ACCREDITATION["EVIDENCE_MAX_BYTES"]``; the name (``filename`` or the
    file's own) is neutralised. Content already stored (same SHA-256) is not stored
    again. Returns the new attachments (none for items that already had this file).

    Raises, storing nothing: ``PermissionDenied`` unless ``actor`` is staff of the
    institution; ``NotEditable`` unless the assessment is a draft or returned;
    ``EvidenceRejected`` (reason ``no_items``, ``empty``, ``too_large``,
    ``unsupported_type``); ``ValidationError`` for unknown item codes."""
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    codes = list(dict.fromkeys(item_codes))
    if not codes:
        raise EvidenceRejected(_("Choose at least one item."), reason="no_items")
    inspected = inspect_upload(file, filename=filename)
    written = None
    try:
        with transaction.atomic():
            locked = lock_assessment(assessment)
            require(actor, Action.ASSESSMENT_EDIT, locked)
            refuse_unless_editable(locked)
            _check_items(locked, codes)
            evidence, written = store_inspected(inspected, file)
            return _attach(actor, locked, evidence, inspected.name, codes)
    except BaseException:
        if written:
            default_storage.delete(written)
        raise


def evidence_attach(
    *, actor: User, attachment: EvidenceAttachment, item_codes: Sequence[str]
) -> list[EvidenceAttachment]:
    """Attach a file already attached to this assessment to more items. Same refusals
    as :func:`evidence_upload` except the file checks."""
    assessment = attachment.assessment
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    codes = list(dict.fromkeys(item_codes))
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.ASSESSMENT_EDIT, locked)
        refuse_unless_editable(locked)
        _check_items(locked, codes)
        return _attach(actor, locked, attachment.evidence, attachment.name, codes)


def evidence_detach(*, actor: User, attachment: EvidenceAttachment) -> None:
    """Remove a file from one item. The stored file stays: other items, assessments or
    frozen snapshots may refer to its content. Raises ``PermissionDenied`` unless
    ``actor`` is staff of the institution, ``NotEditable`` after submission."""
    assessment = attachment.assessment
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.ASSESSMENT_EDIT, locked)
        refuse_unless_editable(locked)
        row = (
            EvidenceAttachment.objects.select_related("evidence")
            .filter(pk=attachment.pk, assessment=locked)
            .first()
        )
        if row is None:
            return
        row.delete()
        audit_record(
            actor=actor,
            action=AuditAction.EVIDENCE_DETACH,
            target=locked,
            before={
                "item": row.item_code,
                "name": row.name,
                "sha256": row.evidence.sha256,
            },
        )

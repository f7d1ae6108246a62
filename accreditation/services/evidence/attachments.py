"""Attachments of evidence files to items: upload, attach to more items, reuse an
earlier file of the institution, detach; the dates every attachment carries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import EvidenceRejected, NotEditable
from accreditation.models import Assessment, Evidence, EvidenceAttachment, ItemGrade, User
from accreditation.permissions import Action, require
from accreditation.selectors.evidence import reuse_source_for_institution
from accreditation.services.common import lock_assessment, refuse_unless_editable
from accreditation.services.evidence.files import inspect_upload, store_inspected

#: How far ahead an effective date may lie (a later one is taken for a typing error).
MAX_EFFECTIVE_AHEAD = dt.timedelta(days=366)


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


@dataclass(frozen=True, slots=True)
class Dates:
    effective_on: dt.date
    expires_on: dt.date | None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "effective_on": self.effective_on.isoformat(),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
        }


def check_dates(effective_on: dt.date | None, expires_on: dt.date | None) -> Dates:
    """The dates of an attachment, the effective date defaulting to today. Raises
    ``ValidationError`` on ``effective_on`` more than a year ahead, on ``expires_on``
    before the effective date."""
    today = timezone.localdate()
    effective = effective_on or today
    errors: dict[str, str] = {}
    if effective > today + MAX_EFFECTIVE_AHEAD:
        errors["effective_on"] = _("The effective date is more than a year ahead.")
    if expires_on is not None and expires_on < effective:
        errors["expires_on"] = _("The expiry date is before the effective date.")
    if errors:
        raise ValidationError(errors)
    return Dates(effective, expires_on)


def _attach(
    actor: User,
    assessment: Assessment,
    evidence: Evidence,
    name: str,
    codes: list[str],
    dates: Dates,
    *,
    action: AuditAction = AuditAction.EVIDENCE_ATTACH,
    audit_extra: dict[str, Any] | None = None,
) -> list[EvidenceAttachment]:
    present = set(
        EvidenceAttachment.objects.filter(
            assessment=assessment,
            evidence=evidence,
            item_code__in=codes,
            replaced_at__isnull=True,
        ).values_list("item_code", flat=True)
    )
    new = [
        EvidenceAttachment(
            assessment=assessment,
            item_code=code,
            evidence=evidence,
            name=name,
            uploaded_by=actor,
            effective_on=dates.effective_on,
            expires_on=dates.expires_on,
        )
        for code in codes
        if code not in present
    ]
    for attachment in new:
        attachment.save()
    if new:
        audit_record(
            actor=actor,
            action=action,
            target=assessment,
            after={
                "items": [a.item_code for a in new],
                "name": name,
                "sha256": evidence.sha256,
                "size": evidence.size,
                "type": evidence.file_type,
                **dates.as_dict(),
                **(audit_extra or {}),
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
    effective_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> list[EvidenceAttachment]:
    """Check an uploaded file and attach it to ``item_codes`` of the assessment.

    The type is detected from the content (pdf, jpg, png, docx, xlsx only); the size
    limit is ``ACCREDITATION["EVIDENCE_MAX_BYTES"]``; the name (``filename`` or the
    file's own) is neutralised. Content already stored (same SHA-256) is not stored
    again. The attachments take effect on ``effective_on`` (default today) and expire
    after ``expires_on`` (default never). Returns the new attachments (none for items
    that already had this file).

    Raises, storing nothing: ``PermissionDenied`` unless ``actor`` is staff of the
    institution; ``NotEditable`` unless the assessment is a draft or returned;
    ``EvidenceRejected`` (reason ``no_items``, ``empty``, ``too_large``,
    ``unsupported_type``); ``ValidationError`` for unknown item codes and for bad
    dates (see :func:`check_dates`)."""
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    codes = list(dict.fromkeys(item_codes))
    if not codes:
        raise EvidenceRejected(_("Choose at least one item."), reason="no_items")
    dates = check_dates(effective_on, expires_on)
    inspected = inspect_upload(file, filename=filename)
    written = None
    try:
        with transaction.atomic():
            locked = lock_assessment(assessment)
            require(actor, Action.ASSESSMENT_EDIT, locked)
            refuse_unless_editable(locked)
            _check_items(locked, codes)
            evidence, written = store_inspected(inspected, file)
            return _attach(actor, locked, evidence, inspected.name, codes, dates)
    except BaseException:
        if written:
            default_storage.delete(written)
        raise


def evidence_attach(
    *,
    actor: User,
    attachment: EvidenceAttachment,
    item_codes: Sequence[str],
    effective_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> list[EvidenceAttachment]:
    """Attach a file already attached to this assessment to more items, with the
    dates given or, when ``effective_on`` is omitted, those of ``attachment``. Same
    refusals as :func:`evidence_upload` except the file checks."""
    assessment = attachment.assessment
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    codes = list(dict.fromkeys(item_codes))
    if effective_on is None:
        dates = Dates(attachment.effective_on, attachment.expires_on)
    else:
        dates = check_dates(effective_on, expires_on)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.ASSESSMENT_EDIT, locked)
        refuse_unless_editable(locked)
        _check_items(locked, codes)
        return _attach(actor, locked, attachment.evidence, attachment.name, codes, dates)


def evidence_reuse(
    *,
    actor: User,
    assessment: Assessment,
    item_codes: Sequence[str],
    source: EvidenceAttachment,
) -> list[EvidenceAttachment]:
    """Attach the file of ``source`` (any earlier attachment of the same institution:
    any assessment, cycle or item) to ``item_codes`` of ``assessment`` without
    uploading it again, with the name and dates of ``source``. Returns the new
    attachments (none for items that already have this file).

    Raises: ``PermissionDenied`` unless ``actor`` is staff of the institution;
    ``NotEditable`` unless the assessment is a draft or returned; ``EvidenceRejected``
    (reason ``no_items``); ``ValidationError`` on ``source`` when it belongs to another
    institution (answered as if it did not exist) and on ``item_codes`` for unknown
    items."""
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    codes = list(dict.fromkeys(item_codes))
    if not codes:
        raise EvidenceRejected(_("Choose at least one item."), reason="no_items")
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.ASSESSMENT_EDIT, locked)
        refuse_unless_editable(locked)
        row = reuse_source_for_institution(
            institution_id=locked.institution_id, attachment_id=source.pk
        )
        if row is None:
            raise ValidationError({"source": _("No such file.")})
        _check_items(locked, codes)
        return _attach(
            actor,
            locked,
            row.evidence,
            row.name,
            codes,
            Dates(row.effective_on, row.expires_on),
            action=AuditAction.EVIDENCE_REUSE,
            audit_extra={"source": {"attachment": row.pk, "assessment": row.assessment_id}},
        )


def current_row(locked: Assessment, attachment: EvidenceAttachment) -> EvidenceAttachment:
    """The attachment re-read in the locked assessment; refuses a superseded one."""
    row = (
        EvidenceAttachment.objects.select_related("evidence")
        .filter(pk=attachment.pk, assessment=locked)
        .first()
    )
    if row is None:
        raise EvidenceAttachment.DoesNotExist(_("No such file."))
    if row.replaced_at is not None:
        raise NotEditable(
            _("This revision has been superseded; change the current revision instead."),
            details={"current": latest_revision_id(row)},
        )
    return row


def latest_revision_id(row: EvidenceAttachment) -> int:
    latest = row
    while (newer := latest.revisions.order_by("-id").first()) is not None:
        latest = newer
    return latest.pk


def evidence_detach(*, actor: User, attachment: EvidenceAttachment) -> None:
    """Remove a file from one item, with the superseded revisions it replaced. The
    stored file stays: other items, assessments or frozen snapshots may refer to its
    content. Raises ``PermissionDenied`` unless ``actor`` is staff of the institution,
    ``NotEditable`` after submission or when the attachment is superseded (remove the
    current revision)."""
    assessment = attachment.assessment
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.ASSESSMENT_EDIT, locked)
        refuse_unless_editable(locked)
        try:
            row = current_row(locked, attachment)
        except EvidenceAttachment.DoesNotExist:
            return
        chain = [row]
        while chain[-1].replaces_id is not None:
            chain.append(EvidenceAttachment.objects.get(pk=chain[-1].replaces_id))
        for revision in chain:  # newest first: each one protects the one it replaced
            revision.delete()
        audit_record(
            actor=actor,
            action=AuditAction.EVIDENCE_DETACH,
            target=locked,
            before={
                "item": row.item_code,
                "name": row.name,
                "sha256": row.evidence.sha256,
                **({"revisions": len(chain)} if len(chain) > 1 else {}),
            },
        )

"""Revisions of an attachment (a new file replacing it, the old one kept as history)
and corrections of its dates."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.models import EvidenceAttachment, User
from accreditation.permissions import Action, require
from accreditation.services.common import lock_assessment, refuse_unless_editable
from accreditation.services.evidence.attachments import Dates, check_dates, current_row
from accreditation.services.evidence.files import inspect_upload, store_inspected


def evidence_revise(
    *,
    actor: User,
    attachment: EvidenceAttachment,
    file: File,
    filename: str | None = None,
    effective_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> EvidenceAttachment:
    """Upload a new revision of ``attachment``: a new attachment of the same item of
    the same assessment, revision number one up, ``replaces`` pointing at the old one,
    which is marked superseded (kept as history, no longer current evidence). The file
    is checked and stored as by :func:`evidence_upload`; the dates are the new
    document's (effective default today, no expiry by default).

    Raises, storing nothing: as :func:`evidence_upload`; ``NotEditable`` when
    ``attachment`` is itself superseded; ``ValidationError`` on ``file`` when it is
    the file of the current revision or already attached to the item."""
    assessment = attachment.assessment
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    dates = check_dates(effective_on, expires_on)
    inspected = inspect_upload(file, filename=filename)
    written = None
    try:
        with transaction.atomic():
            locked = lock_assessment(assessment)
            require(actor, Action.ASSESSMENT_EDIT, locked)
            refuse_unless_editable(locked)
            old = current_row(locked, attachment)
            if inspected.sha256 == old.evidence.sha256:
                raise ValidationError(
                    {"file": _("This is the file of the current revision; choose the new one.")}
                )
            if EvidenceAttachment.objects.filter(
                assessment=locked,
                item_code=old.item_code,
                evidence__sha256=inspected.sha256,
                replaced_at__isnull=True,
            ).exists():
                raise ValidationError({"file": _("This file is already attached to the item.")})
            evidence, written = store_inspected(inspected, file)
            old.replaced_at = timezone.now()
            old.save(update_fields=["replaced_at"])
            new = EvidenceAttachment.objects.create(
                assessment=locked,
                item_code=old.item_code,
                evidence=evidence,
                name=inspected.name,
                uploaded_by=actor,
                effective_on=dates.effective_on,
                expires_on=dates.expires_on,
                revision=old.revision + 1,
                replaces=old,
            )
            audit_record(
                actor=actor,
                action=AuditAction.EVIDENCE_REVISE,
                target=locked,
                before={
                    "attachment": old.pk,
                    "item": old.item_code,
                    "revision": old.revision,
                    "name": old.name,
                    "sha256": old.evidence.sha256,
                },
                after={
                    "attachment": new.pk,
                    "item": new.item_code,
                    "revision": new.revision,
                    "name": new.name,
                    "sha256": evidence.sha256,
                    "size": evidence.size,
                    "type": evidence.file_type,
                    **dates.as_dict(),
                },
            )
            return new
    except BaseException:
        if written:
            default_storage.delete(written)
        raise


def evidence_dates_set(
    *,
    actor: User,
    attachment: EvidenceAttachment,
    effective_on: dt.date,
    expires_on: dt.date | None,
) -> EvidenceAttachment:
    """Correct the dates of a current attachment (``expires_on`` None: no expiry).
    Returns the attachment as stored; writes nothing (not even an audit row) when the
    dates are unchanged.

    Raises: ``PermissionDenied`` unless ``actor`` is staff of the institution;
    ``NotEditable`` unless the assessment is a draft or returned, or when the
    attachment is superseded; ``ValidationError`` for bad dates (see
    :func:`check_dates`)."""
    assessment = attachment.assessment
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    dates = check_dates(effective_on, expires_on)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.ASSESSMENT_EDIT, locked)
        refuse_unless_editable(locked)
        row = current_row(locked, attachment)
        before = Dates(row.effective_on, row.expires_on)
        if before == dates:
            return row
        row.effective_on, row.expires_on = dates.effective_on, dates.expires_on
        row.save(update_fields=["effective_on", "expires_on"])
        audit_record(
            actor=actor,
            action=AuditAction.EVIDENCE_DATES_SET,
            target=locked,
            before={"attachment": row.pk, "item": row.item_code, **before.as_dict()},
            after={"attachment": row.pk, "item": row.item_code, **dates.as_dict()},
        )
        return row

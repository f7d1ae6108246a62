"""Recognitions and certificate records: granted after the public notice, downgraded
or revoked later (look-backs and reductions use the helpers here)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.conf import setting
from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import DomainError, InvalidTransition
from accreditation.models import (
    RECOGNITION_TRANSITIONS,
    Assessment,
    CertificateRecord,
    CertificateSequence,
    Objection,
    PublicNotice,
    PublicNoticeEntry,
    Recognition,
    User,
)
from accreditation.permissions import Action, require
from accreditation.services.common import (
    assessment_transition,
    check_transition,
    lock_assessment,
)
from standards.scoring.types import LEVEL_RANK

Status = Assessment.Status
RStatus = Recognition.Status
#: The audit action of each status a recognition can be moved to.
STATUS_ACTIONS = {
    RStatus.DOWNGRADED: AuditAction.RECOGNITION_DOWNGRADED,
    RStatus.REVOKED: AuditAction.RECOGNITION_REVOKED,
    RStatus.SUPERSEDED: AuditAction.RECOGNITION_SUPERSEDED,
}


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` on; 29 February becomes 28 February when needed."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def certificate_number_allocate(*, province_code: str, year: int, level: str) -> str:
    """The next certificate number for the province, year and level, e.g.
    ``JC-44-2026-T-00001`` (format and level letters are settings). The sequence row
    is locked for the rest of the caller's transaction, so concurrent allocations
    queue and never repeat a number; the unique number column is the last guard."""
    key = {"province_code": province_code, "year": year, "level": level}
    with transaction.atomic():
        sequence = CertificateSequence.objects.select_for_update().filter(**key).first()
        if sequence is None:
            try:
                with transaction.atomic():
                    sequence = CertificateSequence.objects.create(**key)
            except IntegrityError:  # created meanwhile by a concurrent allocation
                sequence = CertificateSequence.objects.select_for_update().get(**key)
        CertificateSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
        sequence.refresh_from_db(fields=["last_value"])
    return setting("CERTIFICATE_NUMBER_FORMAT").format(
        province=province_code,
        year=year,
        letter=setting("CERTIFICATE_LEVEL_LETTERS")[level],
        seq=sequence.last_value,
    )


def certificate_record_issue(
    *, actor: User | None, recognition: Recognition, supersedes: CertificateRecord | None = None
) -> CertificateRecord:
    """Record a certificate for ``recognition`` with a fresh number; a reissue
    supersedes the previous record (version + 1). Call inside the caller's
    transaction; the PDF is rendered and stored elsewhere."""
    province = recognition.cycle.province.code[:2]
    if supersedes is not None:
        supersedes.status = CertificateRecord.Status.SUPERSEDED
        supersedes.save(update_fields=["status"])
    record = CertificateRecord.objects.create(
        recognition=recognition,
        number=certificate_number_allocate(
            province_code=province, year=recognition.cycle.year, level=recognition.level
        ),
        version=supersedes.version + 1 if supersedes else 1,
        supersedes=supersedes,
        issued_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CERTIFICATE_ISSUE,
        target=record,
        assessment=recognition.assessment,
        after={"number": record.number, "version": record.version, "level": recognition.level},
    )
    return record


def recognition_grant(*, actor: User | None, assessment: Assessment) -> Recognition:
    """Recognise an institution whose listing survived a closed public notice: the
    level decided, the cycle, the issuing body and the notice's document number,
    valid for the cycle's number of years, with a certificate record. An active
    recognition from an earlier cycle becomes superseded. Run by the review process
    when the notice closes.

    Raises ``PermissionDenied`` unless ``actor`` is an officer covering the issuing
    region; ``InvalidTransition`` unless the assessment is on public notice;
    ``DomainError`` (``notice_not_closed``) unless its notice is closed with no
    objection open against it."""
    with transaction.atomic():
        locked = lock_assessment(assessment, "cycle__province", "institution")
        check_transition(locked, Status.RECOGNISED)
        entry = (
            PublicNoticeEntry.objects.filter(
                assessment=locked, status=PublicNoticeEntry.Status.LISTED
            )
            .select_related("notice__region", "decision")
            .order_by("-id")
            .first()
        )
        if (
            entry is None
            or entry.notice.status != PublicNotice.Status.CLOSED
            or entry.objections.filter(status=Objection.Status.OPEN).exists()
        ):
            raise DomainError(
                _("Nothing is recognised before its public notice closes."),
                code="notice_not_closed",
            )
        notice = entry.notice
        require(actor, Action.NOTICE_MANAGE, notice.region)
        recognised_on = timezone.localdate()
        previous = Recognition.objects.select_for_update().filter(
            institution=locked.institution, status=RStatus.ACTIVE
        )
        for old in previous:
            _set_status(
                actor,
                old,
                RStatus.SUPERSEDED,
                _("Recognised again in %(cycle)s.") % {"cycle": locked.cycle.name},
            )
        recognition = Recognition.objects.create(
            institution=locked.institution,
            cycle=locked.cycle,
            assessment=locked,
            decision=entry.decision,
            level=entry.level,
            issuing_region=notice.region,
            issuing_body=setting("ISSUING_BODY_FORMAT").format(region=notice.region.name),
            notice=notice,
            notice_document_number=notice.document_number,
            recognised_on=recognised_on,
            valid_until=add_years(recognised_on, locked.cycle.validity_years),
        )
        entry.status = PublicNoticeEntry.Status.RECOGNISED
        entry.save(update_fields=["status"])
        assessment_transition(
            locked,
            Status.RECOGNISED,
            actor=actor,
            action=AuditAction.RECOGNITION_GRANT,
            target=recognition,
            after={
                "level": recognition.level,
                "valid_until": recognition.valid_until.isoformat(),
                "notice": notice.document_number,
            },
        )
        certificate_record_issue(actor=actor, recognition=recognition)
    return recognition


def _set_status(actor: User | None, recognition: Recognition, status: str, reason: str) -> None:
    if status not in RECOGNITION_TRANSITIONS[recognition.status]:
        raise InvalidTransition(
            _("A recognition that is %(current)s cannot become %(target)s.")
            % {"current": recognition.status, "target": status},
            details={"from": recognition.status, "to": status},
        )
    before = recognition.status
    recognition.status = status
    recognition.status_reason = reason
    recognition.save(update_fields=["status", "status_reason", "updated_at"])
    certificate_status = (
        CertificateRecord.Status.REVOKED
        if status == RStatus.REVOKED
        else CertificateRecord.Status.SUPERSEDED
    )
    recognition.certificates.filter(status=CertificateRecord.Status.VALID).update(
        status=certificate_status
    )
    audit_record(
        actor=actor,
        action=STATUS_ACTIONS[Recognition.Status(status)],
        target=recognition,
        assessment=recognition.assessment,
        before={"status": before},
        after={"status": status},
        note=reason,
    )


def recognition_change(
    *, actor: User, recognition: Recognition, action: str, reason: str, to_level: str = ""
) -> Recognition | None:
    """Downgrade or revoke a locked, active recognition (for look-backs and
    reductions, inside their transaction). A downgrade keeps the old recognition as
    ``downgraded`` and returns a new active one at ``to_level`` (same cycle, issuer and
    validity) with a reissued certificate record; a revocation revokes the
    recognition and its certificates and returns None.

    Raises ``InvalidTransition`` unless the recognition is active; ``DomainError``
    (``not_lower``) for a downgrade to a level that is not lower."""
    if action == "revoke":
        _set_status(actor, recognition, RStatus.REVOKED, reason)
        return None
    if to_level not in LEVEL_RANK or LEVEL_RANK[to_level] >= LEVEL_RANK[recognition.level]:
        raise DomainError(
            _("A downgrade goes to a lower level."),
            code="not_lower",
            details={"recognition": recognition.pk, "level": recognition.level, "to": to_level},
        )
    old_certificate = recognition.certificates.filter(status=CertificateRecord.Status.VALID).first()
    _set_status(actor, recognition, RStatus.DOWNGRADED, reason)
    replacement = Recognition.objects.create(
        institution=recognition.institution,
        cycle=recognition.cycle,
        assessment=recognition.assessment,
        decision=recognition.decision,
        level=to_level,
        issuing_region=recognition.issuing_region,
        issuing_body=recognition.issuing_body,
        notice=recognition.notice,
        notice_document_number=recognition.notice_document_number,
        recognised_on=recognition.recognised_on,
        valid_until=recognition.valid_until,
        supersedes=recognition,
        status_reason=reason,
    )
    if old_certificate is not None:
        old_certificate.refresh_from_db()
    certificate_record_issue(actor=actor, recognition=replacement, supersedes=old_certificate)
    return replacement


def lock_recognitions(ids: list[int]) -> list[Recognition]:
    """Recognitions re-read under row locks, in id order."""
    return list(
        Recognition.objects.select_for_update(of=("self",))
        .select_related("institution__region", "issuing_region", "cycle__province", "assessment")
        .filter(pk__in=ids)
        .order_by("pk")
    )

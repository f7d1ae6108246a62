"""Certificates: the signed, stored PDF of a recognition.

A certificate record is created with its recognition (``recognition_grant``) or by a
reissue; :func:`certificate_issue` gives it its PDF: it freezes the signed fields on
the record (institution name and licence number, level, cycle, issuing body, issue
date, validity, number, version), computes the verification code over them with the
key derived from ``SECRET_KEY`` (``selectors.certificates.certificate_secret``),
renders the PDF with a QR code to ``{PUBLIC_BASE_URL}/verify/<code>/`` and stores it in
the default storage with its SHA-256. :func:`certificate_reissue` makes a corrected
new version that supersedes the old record. Revoking a recognition revokes its
certificate (``services.recognitions.recognition_change``); verification shows it.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.conf import setting
from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import DomainError
from accreditation.models import CertificateRecord, Recognition, User
from accreditation.pdf import CertificateData, certificate_code, render_certificate
from accreditation.permissions import Action, require
from accreditation.selectors.certificates import certificate_secret, live_fields
from accreditation.services.pdf import configured_font
from accreditation.services.recognitions import certificate_record_issue

CStatus = CertificateRecord.Status


def verification_url(code: str) -> str:
    """The QR code's payload: ``{PUBLIC_BASE_URL}/verify/<code>/``."""
    return f"{setting('PUBLIC_BASE_URL').rstrip('/')}/verify/{code}/"


def certificate_file_name(record: CertificateRecord) -> str:
    return f"{record.number}-v{record.version}.pdf"


def _lock(certificate: CertificateRecord) -> CertificateRecord:
    return (
        CertificateRecord.objects.select_for_update(of=("self",))
        .select_related(
            "recognition__institution__region",
            "recognition__cycle",
            "recognition__issuing_region",
            "recognition__assessment",
        )
        .get(pk=certificate.pk)
    )


def certificate_issue(*, actor: User | None, certificate: CertificateRecord) -> CertificateRecord:
    """Render and store the PDF of a valid certificate record, in one transaction:
    freeze the signed fields on the record, store the verification code, the file
    (``certificates/<number>-v<version>.pdf``) and its SHA-256, and audit it.
    Idempotent: a record that already has its file is returned as it is. When the
    transaction fails, the file it stored is removed.

    Raises ``PermissionDenied`` unless ``actor`` (None: the system or a batch) is an
    officer covering the issuing region; ``DomainError`` (``certificate_not_valid``)
    for a superseded or revoked record, (``certificate_expired``) when the
    recognition ended before the record was issued."""
    if actor is not None:
        require(actor, Action.NOTICE_MANAGE, certificate.recognition.issuing_region)
    written: list[str] = []
    try:
        return _issue(actor, certificate, written)
    except BaseException:
        # The transaction rolled back: the stored file would be referenced by nothing.
        for name in written:
            default_storage.delete(name)
        raise


def _issue(
    actor: User | None, certificate: CertificateRecord, written: list[str]
) -> CertificateRecord:
    with transaction.atomic():
        record = _lock(certificate)
        if record.sha256:
            return record
        if record.status != CStatus.VALID:
            raise DomainError(
                _("Only a valid certificate can be issued."),
                code="certificate_not_valid",
                details={"status": record.status},
            )
        try:
            fields = live_fields(record)
        except ValueError:
            raise DomainError(
                _("The recognition's validity ended before this certificate was issued."),
                code="certificate_expired",
            ) from None
        code = certificate_code(fields, certificate_secret())
        pdf = render_certificate(
            CertificateData(
                fields=fields, verification_code=code, verification_url=verification_url(code)
            ),
            font=configured_font(),
        )
        record.institution_name = fields.institution_name
        record.institution_licence = fields.institution_licence
        record.level = fields.level
        record.cycle_year = fields.cycle_year
        record.issuing_body = fields.issuing_body
        record.issue_date = fields.issue_date
        record.valid_until = fields.valid_until
        record.verification_code = code
        record.sha256 = hashlib.sha256(pdf).hexdigest()
        record.rendered_at = timezone.now()
        record.file.save(certificate_file_name(record), ContentFile(pdf), save=False)
        assert record.file.name  # set by save()
        written.append(record.file.name)
        record.save()
        audit_record(
            actor=actor,
            action=AuditAction.CERTIFICATE_RENDER,
            target=record,
            assessment=record.recognition.assessment,
            after={
                "number": record.number,
                "version": record.version,
                "file": record.file.name,
                "sha256": record.sha256,
            },
        )
    return record


def certificate_reissue(
    *, actor: User | None, certificate: CertificateRecord, reason: str
) -> CertificateRecord:
    """After a correction (the institution's registered name, say): a new record with
    a new number and ``version + 1`` supersedes ``certificate`` and gets its PDF from
    the current data. The old record and file stay; the old code verifies as
    superseded, naming the new number. Returns the new record.

    Raises ``PermissionDenied`` unless ``actor`` is an officer covering the issuing
    region; ``ValidationError`` without a reason; ``DomainError``
    (``certificate_not_valid``) unless ``certificate`` is the valid one of an active
    recognition."""
    if actor is not None:
        require(actor, Action.NOTICE_MANAGE, certificate.recognition.issuing_region)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the reissue.")})
    issued: CertificateRecord | None = None
    try:
        with transaction.atomic():
            issued = _reissue(actor, certificate, reason)
    except BaseException:
        if issued is not None and issued.file.name:  # rolled back after the file was stored
            default_storage.delete(issued.file.name)
        raise
    return issued


def _reissue(actor: User | None, certificate: CertificateRecord, reason: str) -> CertificateRecord:
    """The new record and its file; the caller holds the transaction."""
    old = _lock(certificate)
    recognition = old.recognition
    if old.status != CStatus.VALID or recognition.status != Recognition.Status.ACTIVE:
        raise DomainError(
            _("Only the valid certificate of an active recognition can be reissued."),
            code="certificate_not_valid",
            details={"status": old.status, "recognition": recognition.status},
        )
    new = certificate_record_issue(actor=actor, recognition=recognition, supersedes=old)
    audit_record(
        actor=actor,
        action=AuditAction.CERTIFICATE_REISSUE,
        target=new,
        assessment=recognition.assessment,
        before={"number": old.number, "version": old.version},
        after={"number": new.number, "version": new.version},
        note=reason.strip(),
    )
    return certificate_issue(actor=None, certificate=new)

"""Public certificate verification: what a certificate number or verification code
(from the QR code, or typed) proves, and whether a printed verification code belongs
to it.

:func:`certificate_fields` is the one derivation of the signed fields from a
certificate record: the fields frozen on the record when its PDF was rendered, or,
before that, the live data of its recognition. The renderer
(``services.certificates.certificate_issue``) signs them with
:func:`certificate_secret` and stores the code; a rendered record whose stored fields
no longer match its stored code was altered outside the services and reports
``tampered``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from accreditation.models import CertificateBatch, CertificateRecord, Recognition
from accreditation.pdf.data import CertificateFields
from accreditation.pdf.verification import ALPHABET, normalise_code, verify_code
from accreditation.selectors.visibility import in_officer_region

VALID = "valid"
EXPIRED = "expired"
REVOKED = "revoked"
SUPERSEDED = "superseded"
#: The stored fields of a rendered certificate do not match its code.
TAMPERED = "tampered"

#: What a typed certificate number may contain (letters, digits, hyphens).
NUMBER_RE = re.compile(r"^[A-Za-z0-9-]{1,40}$")


@dataclass(frozen=True, slots=True)
class CertificateCheck:
    """The public facts of one certificate and its state on ``checked_on``.

    ``code_matches`` is None when no verification code was given, else whether the
    code is the one printed on this certificate."""

    number: str
    institution_name: str
    institution_licence: str
    region_name: str
    level: str
    cycle_year: int
    issuing_body: str
    issue_date: dt.date
    valid_until: dt.date
    version: int
    checked_on: dt.date
    revoked_on: dt.date | None = None
    revocation_reason: str = ""
    superseded_by: str = ""
    code_matches: bool | None = None
    #: The stored record fails its own signature: do not trust the fields shown.
    tampered: bool = False

    @property
    def status(self) -> str:
        """Tampered beats revoked beats superseded beats expired; otherwise valid."""
        if self.tampered:
            return TAMPERED
        if self.revoked_on is not None:
            return REVOKED
        if self.superseded_by:
            return SUPERSEDED
        if self.checked_on > self.valid_until:
            return EXPIRED
        return VALID


def certificate_secret() -> bytes:
    """The key of verification codes, derived from the server's secret key (never
    the secret key itself)."""
    return hmac.new(
        settings.SECRET_KEY.encode(), b"jiceng-certificate-verification", hashlib.sha256
    ).digest()


def certificate_fields(record: CertificateRecord) -> CertificateFields:
    """The signed fields of ``record``: those frozen on it when its PDF was rendered,
    else :func:`live_fields`. Raises ``ValueError`` for stored values that cannot be
    a certificate's (an altered row)."""
    if record.verification_code:
        if record.cycle_year is None or record.issue_date is None or record.valid_until is None:
            raise ValueError("a rendered certificate lacks its year or dates: an altered row")
        return CertificateFields(
            number=record.number,
            institution_name=record.institution_name,
            institution_licence=record.institution_licence,
            level=record.level,
            cycle_year=record.cycle_year,
            issuing_body=record.issuing_body,
            issue_date=record.issue_date,
            valid_until=record.valid_until,
            version=record.version,
        )
    return live_fields(record)


def live_fields(record: CertificateRecord) -> CertificateFields:
    """The fields a certificate for ``record`` prints today, from its recognition,
    institution and cycle (loaded with it)."""
    recognition = record.recognition
    return CertificateFields(
        number=record.number,
        institution_name=recognition.institution.name,
        institution_licence=recognition.institution.licence_number,
        level=recognition.level,
        cycle_year=recognition.cycle.year,
        issuing_body=recognition.issuing_body,
        issue_date=timezone.localtime(record.issued_at).date(),
        valid_until=recognition.valid_until,
        version=record.version,
    )


def _successor(record: CertificateRecord) -> str:
    """The number of the certificate that replaced ``record``: its reissue, else the
    institution's current valid certificate."""
    reissue = CertificateRecord.objects.filter(supersedes=record).values_list("number", flat=True)
    for number in reissue:
        return number
    current = (
        CertificateRecord.objects.filter(
            recognition__institution_id=record.recognition.institution_id,
            status=CertificateRecord.Status.VALID,
        )
        .order_by("-id")
        .values_list("number", flat=True)
        .first()
    )
    return current or "-"


def canonical_code(text: str) -> str | None:
    """``7k2q m9xd-0c4v tr8a`` -> ``7K2Q-M9XD-0C4V-TR8A``; None when it cannot be a
    verification code."""
    plain = normalise_code(text) if isinstance(text, str) else ""
    if len(plain) != 16 or any(ch not in ALPHABET for ch in plain):
        return None
    return "-".join(plain[i : i + 4] for i in range(0, 16, 4))


def certificate_lookup(
    *, number: str, code: str = "", on: dt.date | None = None
) -> CertificateCheck | None:
    """The certificate numbered ``number`` (case and surrounding spaces ignored) and
    its state on ``on`` (default today), or None. ``number`` may also be the
    verification code itself (the QR code's ``/verify/<code>/``): the certificate with
    that code is found and the code counts as given. With ``code``, also whether it is
    the verification code of this certificate. A rendered certificate is checked
    against its own stored code: an altered row answers ``tampered``. Public: reveals
    only what the certificate prints. Two or three queries."""
    number = number.strip().upper()
    if not NUMBER_RE.match(number):
        return None
    records = CertificateRecord.objects.select_related(
        "recognition__institution__region", "recognition__cycle"
    )
    record = records.filter(number=number).first()
    if record is None:
        as_code = canonical_code(number)
        if not as_code:
            return None
        record = records.filter(verification_code=as_code).first()
        if record is None:
            return None
        code = as_code
    recognition = record.recognition
    checked_on = on or timezone.localdate()
    try:
        fields = certificate_fields(record)
        tampered = bool(record.verification_code) and not verify_code(
            fields, record.verification_code, certificate_secret()
        )
    except (TypeError, ValueError):
        tampered = True
    if tampered:
        # Altered data is never shown as the certificate's: only its number and state.
        return CertificateCheck(
            number=record.number,
            institution_name="",
            institution_licence="",
            region_name="",
            level="",
            cycle_year=0,
            issuing_body="",
            issue_date=checked_on,
            valid_until=checked_on,
            version=record.version,
            checked_on=checked_on,
            tampered=True,
        )
    revoked = (
        record.status == CertificateRecord.Status.REVOKED
        or recognition.status == Recognition.Status.REVOKED
    )
    superseded = not revoked and (
        record.status == CertificateRecord.Status.SUPERSEDED
        or recognition.status != Recognition.Status.ACTIVE
    )
    return CertificateCheck(
        number=fields.number,
        institution_name=fields.institution_name,
        institution_licence=fields.institution_licence,
        region_name=recognition.institution.region.name,
        level=fields.level,
        cycle_year=fields.cycle_year,
        issuing_body=fields.issuing_body,
        issue_date=fields.issue_date,
        valid_until=fields.valid_until,
        version=fields.version,
        checked_on=checked_on,
        revoked_on=timezone.localtime(recognition.updated_at).date() if revoked else None,
        revocation_reason=recognition.status_reason if revoked else "",
        superseded_by=_successor(record) if superseded else "",
        code_matches=verify_code(fields, code, certificate_secret()) if code else None,
    )


def certificate_batches_visible_to(user: Any) -> QuerySet[CertificateBatch]:
    """Batches whose issuing region the user covers: officers of that region or above,
    and administrators. Newest first."""
    qs = CertificateBatch.objects.select_related("notice", "region").order_by("-id")
    return in_officer_region(user, qs, "region__path")


@dataclass(frozen=True, slots=True)
class BatchProgress:
    id: int
    notice: str
    status: str
    total: int
    done: int
    failed: int
    errors: tuple[dict, ...]

    @property
    def remaining(self) -> int:
        return self.total - self.done - self.failed

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def certificate_batch_progress(*, user: Any, batch_id: int) -> BatchProgress:
    """Progress of one batch for an officer. Raises ``CertificateBatch.DoesNotExist``
    when it does not exist or the user may not see it. One query."""
    batch = certificate_batches_visible_to(user).get(pk=batch_id)
    return BatchProgress(
        id=batch.pk,
        notice=batch.notice.document_number,
        status=batch.status,
        total=batch.total,
        done=batch.done,
        failed=batch.failed,
        errors=tuple(batch.errors),
    )

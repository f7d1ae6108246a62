"""Public certificate verification: what a certificate number (from the QR code or
typed) proves, and whether a printed verification code belongs to it.

:func:`certificate_fields` is the one derivation of the signed fields from a
certificate record; the certificate renderer must sign the same fields with
:func:`certificate_secret` so that the code printed on paper verifies here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accreditation.models import CertificateRecord, Recognition
from accreditation.pdf.data import CertificateData, CertificateFields
from accreditation.pdf.verification import certificate_code, verify_code

VALID = "valid"
EXPIRED = "expired"
REVOKED = "revoked"
SUPERSEDED = "superseded"

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

    @property
    def status(self) -> str:
        """Revoked beats superseded beats expired; otherwise valid."""
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
    """The signed fields of ``record`` (with its recognition, institution and cycle
    loaded)."""
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


def certificate_lookup(
    *, number: str, code: str = "", on: dt.date | None = None
) -> CertificateCheck | None:
    """The certificate numbered ``number`` (case and surrounding spaces ignored) and
    its state on ``on`` (default today), or None. With ``code``, also whether it is the
    verification code of this certificate. Public: reveals only what the certificate
    prints. Two or three queries."""
    number = number.strip().upper()
    if not NUMBER_RE.match(number):
        return None
    record = (
        CertificateRecord.objects.select_related(
            "recognition__institution__region", "recognition__cycle"
        )
        .filter(number=number)
        .first()
    )
    if record is None:
        return None
    recognition = record.recognition
    fields = certificate_fields(record)
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
        checked_on=on or timezone.localdate(),
        revoked_on=timezone.localtime(recognition.updated_at).date() if revoked else None,
        revocation_reason=recognition.status_reason if revoked else "",
        superseded_by=_successor(record) if superseded else "",
        code_matches=verify_code(fields, code, certificate_secret()) if code else None,
    )


def certificate_document(*, record: CertificateRecord) -> CertificateData:
    """Everything the certificate of ``record`` prints (with its recognition,
    institution and cycle loaded): the signed fields, the verification code signed
    with :func:`certificate_secret`, the QR link to the public verification page and
    the record's status (a superseded or revoked copy is watermarked). Pure apart
    from the reverse URL lookup."""
    fields = certificate_fields(record)
    base = str(getattr(settings, "ACCREDITATION", {}).get("PUBLIC_BASE_URL", "")).rstrip("/")
    path = reverse("web:verify_code", args=[quote(record.number, safe="")])
    return CertificateData(
        fields=fields,
        verification_code=certificate_code(fields, certificate_secret()),
        verification_url=f"{base}{path}",
        status=record.status,
    )

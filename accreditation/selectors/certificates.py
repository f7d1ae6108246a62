"""Public certificate verification: what a verification code proves.

The review workflow stores issued certificates; until its certificate records are
merged, :func:`certificate_lookup` finds nothing and the verification page answers
"no such certificate" for every code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

VALID = "valid"
EXPIRED = "expired"
REVOKED = "revoked"
SUPERSEDED = "superseded"


@dataclass(frozen=True, slots=True)
class CertificateCheck:
    """The public facts of one certificate and its state on ``checked_on``."""

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
    revoked_on: dt.date | None = None
    revocation_reason: str = ""
    superseded_by: str = ""
    checked_on: dt.date | None = None

    @property
    def status(self) -> str:
        """Revoked beats superseded beats expired; otherwise valid."""
        if self.revoked_on is not None:
            return REVOKED
        if self.superseded_by:
            return SUPERSEDED
        if (self.checked_on or timezone.localdate()) > self.valid_until:
            return EXPIRED
        return VALID


def certificate_lookup(*, code: str) -> CertificateCheck | None:
    """The certificate whose verification code is ``code`` (normalised: upper case,
    no hyphens or spaces), or None. Public: reveals only what the certificate prints."""
    return None

"""Reads of evidence dates and reuse: whether an attachment has expired (pure, from
fields already read), which current attachments of an assessment have, and the
institution's earlier files offered for reuse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Max
from django.utils import timezone

from accreditation.models import EvidenceAttachment

if TYPE_CHECKING:
    from accreditation.selectors.assessments import AttachmentInfo

#: ``expiry_state`` values: past its expiry date, or within the warning window of it.
EXPIRED = "expired"
EXPIRES_SOON = "expires_soon"
#: How many days ahead of its expiry an attachment is flagged as expiring soon.
EXPIRY_WARNING_DAYS = 30
#: The most files the reuse list offers.
REUSE_CHOICES_LIMIT = 100


def expiry_state(expires_on: dt.date | None, *, on: dt.date) -> str:
    """``EXPIRED`` when ``expires_on`` is before ``on`` (a document is valid on its
    expiry day), ``EXPIRES_SOON`` within ``EXPIRY_WARNING_DAYS`` of it, else ``""``.
    Pure."""
    if expires_on is None:
        return ""
    if expires_on < on:
        return EXPIRED
    if (expires_on - on).days <= EXPIRY_WARNING_DAYS:
        return EXPIRES_SOON
    return ""


def expired_among(
    attachments: Mapping[str, Iterable[AttachmentInfo]], *, on: dt.date | None = None
) -> list[tuple[str, AttachmentInfo]]:
    """(item code, attachment) of every current attachment expired on ``on`` (default
    today), by item code then upload order. Superseded revisions never count. Pure."""
    on = on or timezone.localdate()
    return [
        (code, info)
        for code in sorted(attachments)
        for info in attachments[code]
        if not info.superseded and expiry_state(info.expires_on, on=on) == EXPIRED
    ]


def expired_attachments(
    *, assessment_id: int, on: dt.date | None = None
) -> list[EvidenceAttachment]:
    """The assessment's current attachments expired on ``on`` (default today), by item
    code and upload order. One query."""
    return list(
        EvidenceAttachment.objects.filter(
            assessment_id=assessment_id,
            replaced_at__isnull=True,
            expires_on__lt=on or timezone.localdate(),
        ).order_by("item_code", "id")
    )


@dataclass(frozen=True, slots=True)
class ReusableFile:
    """An earlier file of the institution, offered to attach again: its latest current
    attachment (the source of a reuse) and where that is."""

    attachment_id: int
    name: str
    item_code: str
    cycle_year: int
    effective_on: dt.date
    expires_on: dt.date | None
    expiry: str

    @property
    def expired(self) -> bool:
        return self.expiry == EXPIRED


def institution_reusable_files(
    *, institution_id: int, limit: int = REUSE_CHOICES_LIMIT, on: dt.date | None = None
) -> list[ReusableFile]:
    """The institution's stored files, once each (their latest current attachment on
    any of its assessments), newest first, at most ``limit``. The caller has checked
    that the user belongs to (or may see) the institution. One query."""
    on = on or timezone.localdate()
    current = EvidenceAttachment.objects.filter(
        assessment__institution_id=institution_id, replaced_at__isnull=True
    )
    latest = current.values("evidence_id").annotate(last=Max("id")).values("last")
    rows = (
        current.filter(pk__in=latest)
        .order_by("-id")
        .values_list(
            "id", "name", "item_code", "assessment__cycle__year", "effective_on", "expires_on"
        )[:limit]
    )
    return [
        ReusableFile(pk, name, code, year, effective, expires, expiry_state(expires, on=on))
        for pk, name, code, year, effective, expires in rows
    ]


def reuse_source_for_institution(
    *, institution_id: int, attachment_id: int
) -> EvidenceAttachment | None:
    """The attachment if it is on an assessment of the institution, with its evidence
    file; None otherwise (another institution's files are invisible). One query."""
    return (
        EvidenceAttachment.objects.select_related("evidence")
        .filter(pk=attachment_id, assessment__institution_id=institution_id)
        .first()
    )

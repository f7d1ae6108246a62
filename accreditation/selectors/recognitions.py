"""Reads of recognitions for the officer's pages: the filtered list with each
recognition's certificates, one recognition, its certificates and look-backs. A
constant number of queries each."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from accreditation.models import CertificateRecord, Finding, LookBack, Recognition, Region
from accreditation.selectors.visibility import lookbacks_visible_to, recognitions_visible_to
from standards.models import Level


def recognitions_for_user(*, user: Any) -> QuerySet[Recognition]:
    """Recognitions ``user`` may see, with institution (and region), cycle and issuing
    region."""
    return recognitions_visible_to(user).select_related(
        "institution__region", "cycle", "issuing_region"
    )


def recognitions_filtered_for_user(
    *, user: Any, level: str = "", status: str = "", region: Region | None = None
) -> QuerySet[Recognition]:
    """:func:`recognitions_for_user` at ``level``, in ``status`` and in or below
    ``region`` (each ignored when empty or unknown), latest first, each with its
    certificates newest version first (prefetched: two queries per page)."""
    qs = recognitions_for_user(user=user)
    if level in Level.values:
        qs = qs.filter(level=level)
    if status in Recognition.Status.values:
        qs = qs.filter(status=status)
    if region is not None:
        qs = qs.filter(institution__region__path__startswith=region.path)
    return qs.prefetch_related(
        Prefetch("certificates", queryset=CertificateRecord.objects.order_by("-version"))
    ).order_by("-recognised_on", "institution__name", "-id")


def recognition_get_for_user(*, user: Any, recognition_id: int) -> Recognition | None:
    """One of :func:`recognitions_for_user`; None when it does not exist or is out of
    scope."""
    return recognitions_for_user(user=user).filter(pk=recognition_id).first()


def recognition_certificates(*, recognition: Recognition) -> list[CertificateRecord]:
    """The recognition's certificate records, newest version first (prefetched ones
    are used as they are)."""
    return list(recognition.certificates.all())


def recognition_certificates_latest_first(*, recognition: Recognition) -> list[CertificateRecord]:
    """The recognition's certificate records, newest version first. One query."""
    return list(recognition.certificates.order_by("-version"))


def recognition_certificate_get(
    *, recognition: Recognition, certificate_id: int
) -> CertificateRecord | None:
    """One certificate record of the recognition; None when it has no such record."""
    return recognition.certificates.filter(pk=certificate_id).first()


def recognition_lookbacks(*, user: Any, recognition: Recognition) -> list[LookBack]:
    """The recognition's look-backs (回头看) ``user`` may see, with who recorded them
    and the findings a rectification look-back raised (``rectification_findings``),
    latest first. Two queries."""
    return list(
        lookbacks_visible_to(user)
        .filter(recognition=recognition)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch("rectification_findings", queryset=Finding.objects.order_by("id"))
        )
        .order_by("-id")
    )

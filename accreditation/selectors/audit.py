"""The audit trail, per assessment and per user, behind the permission checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from accreditation.core import audit_chain
from accreditation.models import Assessment, AuditEvent, User
from accreditation.permissions import Action, require


def audit_events_for_assessment(*, viewer: User, assessment: Assessment) -> QuerySet[AuditEvent]:
    """Every recorded change to the assessment and anything inside it, newest first.
    Raises ``PermissionDenied`` unless ``viewer`` may see the assessment."""
    require(viewer, Action.ASSESSMENT_VIEW, assessment)
    return AuditEvent.objects.filter(assessment=assessment).select_related("actor").order_by("-id")


def audit_events_by_user(*, viewer: User, user: User) -> QuerySet[AuditEvent]:
    """Every change made by ``user``, newest first. Users see their own trail;
    administrators see anyone's. Raises ``PermissionDenied`` otherwise."""
    require(viewer, Action.HISTORY_VIEW, user)
    return AuditEvent.objects.filter(actor=user).order_by("-id")


def audit_chain_rows(*, chunk_size: int = 5000) -> Iterator[dict[str, Any]]:
    """Every audit row in id order with its hashes and hashed content, streamed (a
    server-side cursor on PostgreSQL): memory stays constant however long the log.
    For ``audit_chain.verify_chain``; no permission check (operators only)."""
    return (
        AuditEvent.objects.order_by("id")
        .values("id", "prev_hash", "hash", *audit_chain.CONTENT_FIELDS)
        .iterator(chunk_size=chunk_size)
    )

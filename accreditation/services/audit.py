"""The one writer of the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from accreditation.models import Assessment, AuditEvent, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    assessment: Assessment | None = None,
) -> AuditEvent:
    """Insert one audit row for ``target``. Call it inside the service's transaction so
    the row commits or rolls back with the change it records. ``before``/``after`` must
    be JSON-serialisable. Pass ``assessment`` for every change to an assessment or
    anything inside it (defaults to ``target`` when that is an assessment), so the
    assessment's history is one indexed query."""
    if assessment is None and isinstance(target, Assessment):
        assessment = target
    return AuditEvent.objects.create(
        assessment=assessment,
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        before=before,
        after=after,
        note=note,
    )

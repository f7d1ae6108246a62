"""The one writer of the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from accreditation.models import AuditEvent, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Insert one audit row for ``target``. Call it inside the service's transaction so
    the row commits or rolls back with the change it records. ``before``/``after`` must
    be JSON-serialisable."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        before=before,
        after=after,
        note=note,
    )

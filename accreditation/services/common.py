"""Helpers every assessment service uses: the row lock, the transition check, the
status change with its audit row, and the editability check."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import InvalidTransition, NotEditable
from accreditation.models import ALLOWED_TRANSITIONS, Assessment, User


def check_transition(assessment: Assessment, to_status: str) -> None:
    """Raise ``InvalidTransition`` unless ``ALLOWED_TRANSITIONS`` allows the change."""
    if to_status not in ALLOWED_TRANSITIONS[assessment.status]:
        raise InvalidTransition(
            _("An assessment that is %(current)s cannot become %(target)s.")
            % {"current": assessment.status, "target": to_status},
            details={"from": assessment.status, "to": to_status},
        )


def lock_assessment(assessment: Assessment, *related: str) -> Assessment:
    """The assessment re-read under a row lock (inside a transaction), with ``related``
    objects joined but not locked."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=assessment.pk)
    )


def status_set(locked: Assessment, to_status: str, *fields: str) -> str:
    """Move ``locked`` (read by :func:`lock_assessment` in the caller's transaction) to
    ``to_status``: refuse an illegal transition (``InvalidTransition``), bump the
    version and save the status, the version and ``fields``. Returns the status it
    left. Prefer :func:`assessment_transition`, which also writes the audit row."""
    check_transition(locked, to_status)
    previous = locked.status
    locked.status = to_status
    locked.version += 1
    locked.save(update_fields=["status", "version", *fields])
    return previous


def assessment_transition(
    locked: Assessment,
    to_status: str,
    *,
    actor: User | None,
    action: AuditAction,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    fields: tuple[str, ...] = (),
) -> str:
    """The status change of a service, audited: :func:`status_set`, then one audit row
    ``action`` on ``target`` (the assessment itself by default) whose ``before`` and
    ``after`` hold the status left and entered besides the given values. Returns the
    status it left."""
    previous = status_set(locked, to_status, *fields)
    audit_record(
        actor=actor,
        action=action,
        target=locked if target is None else target,
        assessment=locked,
        before={"status": previous, **(before or {})},
        after={"status": to_status, **(after or {})},
        note=note,
    )
    return previous


def refuse_unless_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise NotEditable(
            _(
                "The assessment is %(status)s; it can be changed only when it is a draft or "
                "returned for correction."
            )
            % {"status": assessment.status},
            details={"status": assessment.status},
        )

"""Helpers the rectification services share: the constants, the text and date checks,
the finding's lock, transition check, status change and audit row."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import InvalidTransition, NotEditable
from accreditation.models import (
    FINDING_TRANSITIONS,
    Assessment,
    ConsolidatedGrade,
    Consolidation,
    Finding,
    FindingSource,
    FindingStatus,
    ItemGrade,
    User,
)

Status = FindingStatus
Source = FindingSource


#: Days the institution has to answer a finding with a plan. PROVISIONAL: provinces
#: set their own; no national rule was found.
FINDING_PLAN_DAYS = 30
#: Days before a due date when reminders start.
FINDING_REMINDER_DAYS = 7
MAX_TEXT_CHARS = 4000
REQUIRED_GRADES = ("C", "B", "A")
#: Assessment statuses on which findings may be raised (submitted onwards).
NOT_YET = frozenset({Assessment.Status.DRAFT, Assessment.Status.WITHDRAWN})


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def text_problems(*, required: bool = True, **fields: str) -> dict[str, str]:
    """Errors by field for texts that are empty (when ``required``), too long or hold
    a character the database cannot store."""
    errors: dict[str, str] = {}
    for name, value in fields.items():
        if not value:
            if required:
                errors[name] = _("This field is required.")
        elif len(value) > MAX_TEXT_CHARS:
            errors[name] = _("At most %(limit)d characters.") % {"limit": MAX_TEXT_CHARS}
        elif "\x00" in value:
            errors[name] = _("The text contains a character that cannot be stored.")
    return errors


def future_date(value: object, field: str, errors: dict[str, str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            errors[field] = _("Enter a date as YYYY-MM-DD.")
            return None
    if not isinstance(value, dt.date):
        errors[field] = _("Enter a date as YYYY-MM-DD.")
        return None
    if value < timezone.localdate():
        errors[field] = _("The date is in the past.")
        return None
    return value


def check_finding_transition(finding: Finding, to_status: str) -> None:
    if to_status not in FINDING_TRANSITIONS[finding.status]:
        raise InvalidTransition(
            _("A finding that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": finding.get_status_display(),
                "target": Status(to_status).label,
            },
            details={"from": finding.status, "to": to_status},
        )


def lock_finding(finding: Finding) -> Finding:
    return (
        Finding.objects.select_for_update(of=("self",))
        .select_related("assessment__institution__region", "assessment__cycle", "lookback")
        .get(pk=finding.pk)
    )


def finding_status_set(locked: Finding, to_status: str, *fields: str) -> str:
    check_finding_transition(locked, to_status)
    previous = locked.status
    locked.status = to_status
    locked.version += 1
    locked.save(update_fields=["status", "version", *fields])
    return previous


def finding_audit(
    actor: User | None,
    action: AuditAction,
    finding: Finding,
    target: object = None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=target or finding,  # type: ignore[arg-type]
        assessment=finding.assessment,
        before=before,
        after={"finding": finding.pk, "status": finding.status, **(after or {})},
        note=note,
    )


def last_consolidation(assessment: Assessment) -> Consolidation | None:
    """The assessment's latest completed consolidation (the accepted grading)."""
    return (
        Consolidation.objects.filter(assessment=assessment, status=Consolidation.Status.COMPLETED)
        .order_by("-id")
        .first()
    )


def grade_found(assessment: Assessment, item_code: str) -> str:
    consolidation = last_consolidation(assessment)
    if consolidation is not None:
        final = (
            ConsolidatedGrade.objects.filter(consolidation=consolidation, item_code=item_code)
            .values_list("final_grade", flat=True)
            .first()
        )
        if final is not None:
            return final
    return (
        ItemGrade.objects.filter(assessment=assessment, item_code=item_code)
        .values_list("grade", flat=True)
        .first()
        or ""
    )


def refuse_when_resolved(locked: Finding) -> None:
    if locked.status in (Status.CLOSED, Status.WITHDRAWN):
        raise NotEditable(
            _("This finding is “%(status)s”: it is resolved and nothing more can be added to it.")
            % {"status": locked.get_status_display()}
        )

"""Look-backs (回头看) that require rectification by a deadline instead of revoking at
once: their findings, and the conclusion (rectified: the recognition stands; failed:
it is revoked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import InvalidTransition
from accreditation.models import UNRESOLVED, ItemGrade, LookBack, Recognition, User
from accreditation.permissions import Action, require
from accreditation.services.findings.common import (
    FINDING_PLAN_DAYS,
    REQUIRED_GRADES,
    Source,
    clean_text,
    text_problems,
)
from accreditation.services.findings.raising import create_finding
from accreditation.services.recognitions import lock_recognitions, recognition_change

Rectification = LookBack.Rectification


@dataclass(frozen=True, slots=True)
class RectifyItem:
    """One shortcoming a look-back requires rectified: an item (blank: the institution
    as a whole), what was found, and the grade required (C, B, A or blank)."""

    description: str
    item_code: str = ""
    required_grade: str = ""


def rectify_items_check(
    recognition: Recognition, items: Sequence[RectifyItem], rectify_by: object
) -> tuple[dt.date | None, dict[str, str]]:
    """The deadline as a date, and the errors by field (``rectify_by``,
    ``items[i].field``) of a look-back requiring rectification."""
    errors: dict[str, str] = {}
    deadline: dt.date | None = None
    if isinstance(rectify_by, str) and rectify_by:
        try:
            rectify_by = dt.date.fromisoformat(rectify_by)
        except ValueError:
            errors["rectify_by"] = _("Enter a date as YYYY-MM-DD.")
    if isinstance(rectify_by, dt.date):
        if rectify_by <= timezone.localdate():
            errors["rectify_by"] = _("The deadline must be after today.")
        else:
            deadline = rectify_by
    elif "rectify_by" not in errors:
        errors["rectify_by"] = _("Give the date by which the institution must rectify.")
    if not items:
        errors["items"] = _("List at least one shortcoming to rectify.")
    codes = set(
        ItemGrade.objects.filter(assessment_id=recognition.assessment_id).values_list(
            "item_code", flat=True
        )
    )
    for i, item in enumerate(items):
        for field, message in text_problems(description=clean_text(item.description)).items():
            errors[f"items[{i}].{field}"] = message
        if item.item_code and item.item_code not in codes:
            errors[f"items[{i}].item_code"] = _("No such item in this assessment.")
        if item.required_grade not in ("", *REQUIRED_GRADES):
            errors[f"items[{i}].required_grade"] = _("Choose C, B or A.")
    return deadline, errors


def lookback_findings_raise(
    *, actor: User, lookback: LookBack, items: Sequence[RectifyItem]
) -> None:
    """The findings of a look-back that requires rectification (inside its
    transaction, after :func:`rectify_items_check`): each plan is due within
    :data:`FINDING_PLAN_DAYS` days, and never after the look-back's deadline."""
    assert lookback.rectify_by is not None
    plan_due = min(timezone.localdate() + dt.timedelta(days=FINDING_PLAN_DAYS), lookback.rectify_by)
    assessment = lookback.recognition.assessment
    for item in items:
        create_finding(
            actor,
            assessment,
            source=Source.LOOKBACK,
            item_code=item.item_code,
            description=clean_text(item.description),
            required_grade=item.required_grade,
            due_on=plan_due,
            lookback=lookback,
        )


def _conclude(actor: User | None, locked: LookBack, on: dt.date) -> LookBack:
    open_findings = locked.rectification_findings.filter(status__in=UNRESOLVED).count()
    if open_findings and on <= locked.rectify_by:  # type: ignore[operator]
        raise InvalidTransition(
            _("%(count)d finding(s) are still being rectified; the deadline is %(date)s.")
            % {"count": open_findings, "date": locked.rectify_by.isoformat()},  # type: ignore[union-attr]
            details={"open_findings": open_findings},
        )
    recognition = locked.recognition
    if open_findings:
        reason = _(
            "Rectification required by the look-back of %(date)s was not completed by %(deadline)s."
        ) % {"date": locked.recorded_at.date().isoformat(), "deadline": locked.rectify_by}
        (recognition,) = lock_recognitions([recognition.pk])
        if recognition.status == Recognition.Status.ACTIVE:
            recognition_change(actor=actor, recognition=recognition, action="revoke", reason=reason)  # type: ignore[arg-type]
        locked.rectification = Rectification.FAILED
    else:
        locked.rectification = Rectification.RECTIFIED
    locked.concluded_by = actor
    locked.concluded_at = timezone.now()
    locked.save(update_fields=["rectification", "concluded_by", "concluded_at"])
    audit_record(
        actor=actor,
        action=AuditAction.LOOKBACK_CONCLUDE,
        target=locked,
        assessment=recognition.assessment,
        after={"rectification": locked.rectification, "open_findings": open_findings},
    )
    return locked


def _lock_lookback(lookback: LookBack) -> LookBack:
    locked = (
        LookBack.objects.select_for_update(of=("self",))
        .select_related("recognition__assessment", "recognition__institution__region")
        .select_related("recognition__issuing_region")
        .get(pk=lookback.pk)
    )
    if locked.rectification != Rectification.PENDING:
        raise InvalidTransition(
            _("This look-back is not awaiting rectification."),
            details={"rectification": locked.rectification},
        )
    return locked


def lookback_conclude(*, actor: User, lookback: LookBack) -> LookBack:
    """Conclude a look-back that required rectification: when every finding is closed
    (or withdrawn) it is ``rectified`` and the recognition stands; after the deadline
    with findings still open it ``failed`` and the recognition is revoked.

    Raises ``PermissionDenied`` unless ``actor`` may review the recognition;
    ``InvalidTransition`` when the look-back is not awaiting rectification, or when
    findings are still open before the deadline."""
    require(actor, Action.RECOGNITION_REVIEW, lookback.recognition)
    with transaction.atomic():
        locked = _lock_lookback(lookback)
        require(actor, Action.RECOGNITION_REVIEW, locked.recognition)
        return _conclude(actor, locked, timezone.localdate())


def lookbacks_expired_conclude(*, on: dt.date | None = None) -> list[LookBack]:
    """Conclude every look-back whose rectification deadline passed before ``on``
    (today): the daily job (``send_deadline_reminders``) revokes where rectification
    failed and records where it succeeded. Returns the look-backs concluded."""
    on = on or timezone.localdate()
    concluded = []
    pending = LookBack.objects.filter(
        rectification=Rectification.PENDING, rectify_by__lt=on
    ).order_by("id")
    for lookback in pending:
        with transaction.atomic():
            concluded.append(_conclude(None, _lock_lookback(lookback), on))
    return concluded

"""Acting on recognitions after the fact: batch reductions (核减), usually after a
consistency check, and look-backs (回头看) on one institution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import InvalidTransition
from accreditation.models import (
    ConsistencyCheck,
    LookBack,
    LookBackOutcome,
    Recognition,
    RecognitionAction,
    Reduction,
    ReductionEntry,
    Region,
    User,
)
from accreditation.permissions import Action, require
from accreditation.services.findings.lookbacks import (
    RectifyItem,
    lookback_findings_raise,
    rectify_items_check,
)
from accreditation.services.recognitions import lock_recognitions, recognition_change

MAX_TEXT_CHARS = 4000


@dataclass(frozen=True, slots=True)
class ReductionItem:
    """One recognition to cut: ``action`` is ``downgrade`` (to ``to_level``) or
    ``revoke``."""

    recognition: Recognition
    action: str
    to_level: str = ""


def reduction_apply(
    *,
    actor: User,
    region: Region,
    reason: str,
    items: Sequence[ReductionItem],
    check: ConsistencyCheck | None = None,
) -> Reduction:
    """Apply a reduction (核减): downgrade or revoke the chosen active recognitions in
    ``region`` with one reason, all or none. Certificates are revoked or reissued.

    Raises ``PermissionDenied`` unless ``actor`` is a provincial or national officer
    covering ``region``; ``ValidationError`` for an empty reason or list, an unknown
    action or a recognition outside the region; ``InvalidTransition`` for one that is
    not active; ``DomainError`` (``not_lower``) for a downgrade that is not lower."""
    require(actor, Action.CHECK_RUN, region)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason or len(reason) > MAX_TEXT_CHARS:
        errors["reason"] = _("Give the reason for the reduction.")
    if not items or len({i.recognition.pk for i in items}) != len(items):
        errors["items"] = _("Choose each recognition once.")
    if any(i.action not in (RecognitionAction.DOWNGRADE, RecognitionAction.REVOKE) for i in items):
        errors["items"] = _("Each recognition is downgraded or revoked.")
    if check is not None and check.region_id != region.pk:
        errors["check"] = _("The check is of another region.")
    if errors:
        raise ValidationError(errors)
    by_id = {i.recognition.pk: i for i in items}
    with transaction.atomic():
        locked = lock_recognitions(list(by_id))
        outside = [r.pk for r in locked if not region.contains(r.institution.region)]
        if outside:
            raise ValidationError(
                {
                    "items": _("Recognitions outside the region: %(ids)s")
                    % {"ids": ", ".join(map(str, outside))}
                }
            )
        reduction = Reduction.objects.create(
            region=region, check_run=check, reason=reason, applied_by=actor
        )
        for recognition in locked:
            item = by_id[recognition.pk]
            replacement = recognition_change(
                actor=actor,
                recognition=recognition,
                action=item.action,
                reason=reason,
                to_level=item.to_level,
            )
            ReductionEntry.objects.create(
                reduction=reduction,
                recognition=recognition,
                action=item.action,
                to_level=item.to_level if item.action == RecognitionAction.DOWNGRADE else "",
                replacement=replacement,
            )
        audit_record(
            actor=actor,
            action=AuditAction.REDUCTION_APPLY,
            target=reduction,
            after={
                "entries": [
                    {"recognition": i.recognition.pk, "action": i.action, "to": i.to_level}
                    for i in items
                ]
            },
            note=reason,
        )
    return reduction


def lookback_record(
    *,
    actor: User,
    recognition: Recognition,
    outcome: str,
    reason: str,
    to_level: str = "",
    findings: str = "",
    rectify_by: dt.date | str | None = None,
    rectify_items: Sequence[RectifyItem] = (),
) -> LookBack:
    """Record a look-back (回头看) on one recognition: ``confirm`` it, ``downgrade`` it
    to ``to_level`` or ``revoke`` it, with a reason; or ``rectify``: the institution
    must rectify ``rectify_items`` (each becomes a finding) by ``rectify_by``, and the
    look-back is concluded later (``services.findings.lookback_conclude``; failing
    revokes).

    Raises ``PermissionDenied`` unless ``actor`` is an officer covering the
    institution at the issuing level or above; ``ValidationError`` for an unknown
    outcome, no reason, or (rectify) no deadline after today or no items;
    ``InvalidTransition`` for a recognition that is not active; ``DomainError``
    (``not_lower``) for a downgrade that is not lower."""
    require(actor, Action.RECOGNITION_REVIEW, recognition)
    reason, findings = (reason or "").strip(), (findings or "").strip()
    errors: dict[str, str] = {}
    deadline = None
    if outcome not in LookBackOutcome.values:
        errors["outcome"] = _("Confirm, downgrade, revoke or require rectification.")
    elif outcome == LookBackOutcome.RECTIFY:
        deadline, problems = rectify_items_check(recognition, rectify_items, rectify_by)
        errors.update(problems)
    if not reason or len(reason) > MAX_TEXT_CHARS:
        errors["reason"] = _("Give the reason.")
    if len(findings) > MAX_TEXT_CHARS:
        errors["findings"] = _("The findings are too long.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        (locked,) = lock_recognitions([recognition.pk])
        require(actor, Action.RECOGNITION_REVIEW, locked)
        if locked.status != Recognition.Status.ACTIVE:
            raise InvalidTransition(
                _("Only an active recognition can be looked back at."),
                details={"from": locked.status},
            )
        replacement = None
        if outcome in (RecognitionAction.DOWNGRADE, RecognitionAction.REVOKE):
            replacement = recognition_change(
                actor=actor, recognition=locked, action=outcome, reason=reason, to_level=to_level
            )
        lookback = LookBack.objects.create(
            recognition=locked,
            outcome=outcome,
            to_level=to_level if outcome == RecognitionAction.DOWNGRADE else "",
            reason=reason,
            findings=findings,
            replacement=replacement,
            recorded_by=actor,
            rectify_by=deadline,
            rectification=(
                LookBack.Rectification.PENDING if outcome == LookBackOutcome.RECTIFY else ""
            ),
        )
        audit_record(
            actor=actor,
            action=AuditAction.LOOKBACK_RECORD,
            target=lookback,
            assessment=locked.assessment,
            after={
                "outcome": outcome,
                "to_level": lookback.to_level,
                "rectify_by": deadline.isoformat() if deadline else None,
            },
            note=reason,
        )
        if outcome == LookBackOutcome.RECTIFY:
            lookback_findings_raise(actor=actor, lookback=lookback, items=rectify_items)
    return lookback

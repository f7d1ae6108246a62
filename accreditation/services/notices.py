"""The public notice (公示): open a list, record and resolve objections, close it.

Lock order everywhere: the notice row, then assessment rows (by id), then the review
process rows (taken by the workflow driver)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import DomainError, InvalidTransition
from accreditation.models import (
    OBJECTION_TRANSITIONS,
    Assessment,
    Cycle,
    Objection,
    PublicNotice,
    PublicNoticeEntry,
    Region,
    User,
)
from accreditation.permissions import Action, require
from accreditation.selectors.reviews import latest_decision
from accreditation.services.common import (
    assessment_transition,
    check_transition,
    lock_assessment,
    status_set,
)
from accreditation.services.consolidation import consolidation_reopen
from workflows import driver
from workflows.steps import Step

Status = Assessment.Status
MAX_TEXT_CHARS = 4000


def today() -> dt.date:
    return timezone.localdate()


def _lock_notice(notice: PublicNotice) -> PublicNotice:
    return (
        PublicNotice.objects.select_for_update(of=("self",))
        .select_related("region", "cycle")
        .get(pk=notice.pk)
    )


def public_notice_open(
    *,
    actor: User,
    cycle: Cycle,
    region: Region,
    assessments: Sequence[Assessment],
    starts_on: dt.date,
    document_number: str,
    title: str = "",
) -> PublicNotice:
    """Publish the proposed list of decided assessments in ``region`` (a city or the
    province, the level that confirms their levels) for the cycle's notice days (5 to
    7), ``starts_on`` to ``ends_on`` inclusive. Each assessment goes on public notice.

    Raises ``PermissionDenied`` unless ``actor`` is an officer covering ``region``;
    ``ValidationError`` for a missing or reused document number, an empty list, or a
    region that is not a city or province of the cycle; ``DomainError``
    (``notice_refused``) whose ``details["refused"]`` says, per assessment id, why it
    cannot be listed (not decided, no level, outside the region, decided elsewhere)."""
    require(actor, Action.NOTICE_MANAGE, region)
    document_number = (document_number or "").strip()
    errors: dict[str, str] = {}
    if not document_number:
        errors["document_number"] = _("A document number is required.")
    elif PublicNotice.objects.filter(region=region, document_number=document_number).exists():
        errors["document_number"] = _("This document number is already used.")
    if region.level not in (Region.Level.CITY, Region.Level.PROVINCE) or not (
        cycle.province.contains(region)
    ):
        errors["region"] = _("A notice is issued by a city or the province of the cycle.")
    if not assessments:
        errors["assessments"] = _("The list is empty.")
    if errors:
        raise ValidationError(errors)
    days = cycle.notice_days
    with transaction.atomic():
        notice = PublicNotice.objects.create(
            cycle=cycle,
            region=region,
            issuing_level=region.level,
            document_number=document_number,
            title=(title or "").strip(),
            starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=days - 1),
            days=days,
            opened_by=actor,
        )
        refused: dict[str, str] = {}
        listed = []
        for assessment in sorted(assessments, key=lambda a: a.pk):
            locked = lock_assessment(assessment, "cycle", "institution__region")
            decision = latest_decision(assessment_id=locked.pk)
            if locked.status != Status.DECIDED or decision is None:
                refused[str(locked.pk)] = "not_decided"
            elif not decision.decided_level:
                refused[str(locked.pk)] = "no_level"
            elif locked.cycle_id != cycle.pk or not region.contains(locked.institution.region):
                refused[str(locked.pk)] = "outside_region"
            elif locked.cycle.review_level(decision.decided_level) != region.level:
                refused[str(locked.pk)] = "wrong_issuing_level"
            else:
                listed.append((locked, decision))
        if refused:
            raise DomainError(
                _("%(count)d assessments cannot be listed.") % {"count": len(refused)},
                code="notice_refused",
                details={"refused": refused},
            )
        for locked, decision in listed:
            check_transition(locked, Status.PUBLIC_NOTICE)
            PublicNoticeEntry.objects.create(
                notice=notice, assessment=locked, decision=decision, level=decision.decided_level
            )
            assessment_transition(
                locked,
                Status.PUBLIC_NOTICE,
                actor=actor,
                action=AuditAction.NOTICE_LIST,
                target=notice,
                after={"level": decision.decided_level},
            )
            driver.task_complete(assessment=locked, actor=actor, names=(Step.AWAIT_NOTICE,))
        audit_record(
            actor=actor,
            action=AuditAction.NOTICE_OPEN,
            target=notice,
            after={
                "document_number": document_number,
                "starts_on": notice.starts_on.isoformat(),
                "ends_on": notice.ends_on.isoformat(),
                "entries": len(listed),
            },
        )
    return notice


def objection_record(
    *,
    actor: User,
    notice: PublicNotice,
    assessment: Assessment,
    content: str,
    objector: str = "",
    received_on: dt.date | None = None,
) -> Objection:
    """Record an objection against a listed institution, received during the window.
    While it is open nothing on the notice is recognised.

    Raises ``PermissionDenied`` unless ``actor`` is an officer covering the issuing
    region; ``DomainError`` with ``notice_closed``, ``outside_window`` (received before
    the start, after the end or in the future) or ``not_listed``; ``ValidationError``
    for empty content."""
    require(actor, Action.NOTICE_MANAGE, notice.region)
    content = (content or "").strip()
    if not content or len(content) > MAX_TEXT_CHARS:
        raise ValidationError({"content": _("Describe the objection (at most 4000 characters).")})
    received_on = received_on or today()
    with transaction.atomic():
        locked_notice = _lock_notice(notice)
        locked = lock_assessment(assessment)
        if locked_notice.status != PublicNotice.Status.OPEN:
            raise DomainError(_("The notice is closed."), code="notice_closed")
        if not (locked_notice.starts_on <= received_on <= locked_notice.ends_on) or (
            received_on > today()
        ):
            raise DomainError(
                _("Objections are recorded only during the notice window."),
                code="outside_window",
                details={
                    "starts_on": locked_notice.starts_on.isoformat(),
                    "ends_on": locked_notice.ends_on.isoformat(),
                },
            )
        entry = PublicNoticeEntry.objects.filter(
            notice=locked_notice, assessment=locked, status=PublicNoticeEntry.Status.LISTED
        ).first()
        if entry is None:
            raise DomainError(_("The institution is not on this notice."), code="not_listed")
        objection = Objection.objects.create(
            entry=entry,
            notice=locked_notice,
            objector=(objector or "").strip()[:200],
            content=content,
            received_on=received_on,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditAction.OBJECTION_RECORD,
            target=objection,
            assessment=locked,
            after={"notice": locked_notice.pk, "received_on": received_on.isoformat()},
            note=content,
        )
    return objection


def objection_resolve(*, actor: User, objection: Objection, upheld: bool, reason: str) -> Objection:
    """Resolve an open objection, with a reason. Dismissed: the institution stays on
    the list. Upheld: it is withdrawn from the list, its other open objections close
    with it, and the assessment goes back to the panel lead's consolidation, starting
    from the previous final grades.

    Raises ``PermissionDenied`` unless ``actor`` is an officer covering the issuing
    region; ``InvalidTransition`` for a resolved objection; ``ValidationError``
    without a reason."""
    notice = PublicNotice.objects.select_related("region").get(pk=objection.notice_id)
    require(actor, Action.NOTICE_MANAGE, notice.region)
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_TEXT_CHARS:
        raise ValidationError({"reason": _("Give the reason for the resolution.")})
    target = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    with transaction.atomic():
        _lock_notice(notice)
        entry = PublicNoticeEntry.objects.get(pk=objection.entry_id)
        locked = lock_assessment(entry.assessment)
        current = Objection.objects.select_for_update().get(pk=objection.pk)
        if target not in OBJECTION_TRANSITIONS[current.status]:
            raise InvalidTransition(
                _("The objection is already resolved."),
                details={"from": current.status, "to": target},
            )
        now = timezone.now()
        current.status, current.resolution_reason = target, reason
        current.resolved_by, current.resolved_at = actor, now
        current.save(update_fields=["status", "resolution_reason", "resolved_by", "resolved_at"])
        after: dict[str, object] = {"status": target}
        if upheld:
            check_transition(locked, Status.CONSOLIDATION)
            Objection.objects.filter(entry=entry, status=Objection.Status.OPEN).update(
                status=Objection.Status.CLOSED,
                resolution_reason=_("Closed with objection %(id)d, upheld.") % {"id": current.pk},
                resolved_by=actor,
                resolved_at=now,
            )
            entry.status = PublicNoticeEntry.Status.WITHDRAWN
            entry.save(update_fields=["status"])
            consolidation = consolidation_reopen(assessment=locked, actor=actor)
            # Audited below as the objection's resolution.
            status_set(locked, Status.CONSOLIDATION)
            after.update(assessment_status=locked.status, consolidation=consolidation.pk)
        audit_record(
            actor=actor,
            action=AuditAction.OBJECTION_UPHOLD if upheld else AuditAction.OBJECTION_DISMISS,
            target=current,
            assessment=locked,
            before={"status": Objection.Status.OPEN},
            after=after,
            note=reason,
        )
        if upheld:
            driver.task_complete(assessment=locked, actor=actor, names=(Step.IN_NOTICE,))
    return current


def public_notice_close(*, actor: User, notice: PublicNotice) -> PublicNotice:
    """Close the notice after its last day, when no objection is open. Every
    institution still listed is then recognised (the review process runs
    ``recognition_grant`` for each, in this transaction).

    Raises ``PermissionDenied`` unless ``actor`` is an officer covering the issuing
    region; ``DomainError`` with ``notice_closed``, ``notice_window_open`` (before the
    day after ``ends_on``) or ``objections_open`` (``details["objections"]``)."""
    require(actor, Action.NOTICE_MANAGE, notice.region)
    with transaction.atomic():
        locked_notice = _lock_notice(notice)
        if locked_notice.status != PublicNotice.Status.OPEN:
            raise DomainError(_("The notice is closed."), code="notice_closed")
        if today() <= locked_notice.ends_on:
            raise DomainError(
                _("The notice runs until %(date)s.") % {"date": locked_notice.ends_on},
                code="notice_window_open",
                details={"ends_on": locked_notice.ends_on.isoformat()},
            )
        open_objections = list(
            Objection.objects.filter(
                notice=locked_notice, status=Objection.Status.OPEN
            ).values_list("pk", flat=True)
        )
        if open_objections:
            raise DomainError(
                _("Resolve the open objections first."),
                code="objections_open",
                details={"objections": open_objections},
            )
        locked_notice.status = PublicNotice.Status.CLOSED
        locked_notice.closed_by = actor
        locked_notice.closed_at = timezone.now()
        locked_notice.save(update_fields=["status", "closed_by", "closed_at"])
        entries = locked_notice.entries.filter(status=PublicNoticeEntry.Status.LISTED)
        assessments = [e.assessment for e in entries.select_related("assessment")]
        audit_record(
            actor=actor,
            action=AuditAction.NOTICE_CLOSE,
            target=locked_notice,
            after={"recognised": [a.pk for a in assessments]},
        )
        for assessment in sorted(assessments, key=lambda a: a.pk):
            locked = lock_assessment(assessment)
            driver.task_complete(assessment=locked, actor=actor, names=(Step.IN_NOTICE,))
    return locked_notice

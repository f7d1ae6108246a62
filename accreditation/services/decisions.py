"""The commission's decision: confirm the computed level or override it with a
reason, one assessment or a whole list at once."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.core.audit import audit_record
from accreditation.core.errors import DomainError
from accreditation.models import Assessment, Consolidation, Decision, User
from accreditation.permissions import Action, require
from accreditation.selectors.reviews import latest_result
from accreditation.selectors.scoring import cycle_standard_for
from accreditation.services.common import check_transition, lock_assessment
from workflows import driver

Status = Assessment.Status
MAX_REASON_CHARS = 2000


@dataclass(frozen=True, slots=True)
class DecisionInput:
    """One line of a decision list. ``level`` None confirms the computed level; ""
    decides that no level is awarded; a level code decides that level."""

    assessment: Assessment
    level: str | None = None
    override_reason: str = ""


def _decide(actor: User, item: DecisionInput, batch_id: uuid.UUID) -> Decision:
    locked = lock_assessment(item.assessment, "cycle", "institution__region")
    require(actor, Action.DECIDE, locked)
    check_transition(locked, Status.DECIDED)
    result = latest_result(assessment_id=locked.pk)
    latest = Consolidation.objects.filter(assessment=locked).order_by("-id").first()
    if result is None or latest is None or result.consolidation_id != latest.pk:
        raise DomainError(_("No result has been computed yet."), code="no_result")
    decided = result.computed_level if item.level is None else item.level
    reason = (item.override_reason or "").strip()
    awarded = set(cycle_standard_for(assessment=locked).rule_sets())
    if decided and decided not in awarded:
        raise ValidationError({"level": _("This cycle does not award that level here.")})
    if decided != result.computed_level and not reason:
        raise ValidationError({"override_reason": _("Say why the computed level is overridden.")})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError({"override_reason": _("The reason is too long.")})
    decision = Decision.objects.create(
        assessment=locked,
        result=result,
        computed_level=result.computed_level,
        decided_level=decided,
        override_reason=reason if decided != result.computed_level else "",
        officer=actor,
        batch_id=batch_id,
    )
    before = locked.status
    locked.status = Status.DECIDED
    locked.version += 1
    locked.save(update_fields=["status", "version"])
    audit_record(
        actor=actor,
        action="decision.override" if decision.is_override else "decision.confirm",
        target=decision,
        assessment=locked,
        before={"status": before, "computed_level": result.computed_level},
        after={"status": locked.status, "decided_level": decided, "batch": str(batch_id)},
        note=decision.override_reason,
    )
    driver.task_complete(assessment=locked, actor=actor, names=("decide",))
    return decision


def decision_record(
    *,
    actor: User,
    assessment: Assessment,
    level: str | None = None,
    override_reason: str = "",
) -> Decision:
    """Decide one assessment: ``level`` None confirms the computed level; another
    level (or "" for none) overrides it and needs ``override_reason``. A decided level
    goes on to the public notice; no level ends the application as not recognised.

    Raises ``PermissionDenied`` unless ``actor`` is an officer at the reviewing level;
    ``InvalidTransition`` unless the assessment is in consolidation; ``DomainError``
    (``no_result``) before a result is computed; ``ValidationError`` for a level the
    cycle does not award or an override without a reason."""
    require(actor, Action.DECIDE, assessment)
    with transaction.atomic():
        return _decide(actor, DecisionInput(assessment, level, override_reason), uuid.uuid4())


def decisions_record(*, actor: User, decisions: Sequence[DecisionInput]) -> list[Decision]:
    """Decide a whole list at once, in one transaction and under one batch id: all are
    recorded or none. Refusals are collected: ``PermissionDenied`` when the actor may
    not decide one of them, else ``DomainError`` (``batch_refused``) whose
    ``details["refused"]`` gives, per assessment id, the code and message."""
    batch_id = uuid.uuid4()
    refused: dict[str, dict[str, str]] = {}
    recorded: list[Decision] = []
    for item in decisions:
        require(actor, Action.DECIDE, item.assessment)
    with transaction.atomic():
        for item in sorted(decisions, key=lambda d: d.assessment.pk):
            try:
                with transaction.atomic():
                    recorded.append(_decide(actor, item, batch_id))
            except PermissionDenied:
                raise
            except ValidationError as exc:
                refused[str(item.assessment.pk)] = {
                    "code": "invalid",
                    "message": "; ".join(exc.messages),
                }
            except DomainError as exc:
                refused[str(item.assessment.pk)] = {"code": exc.code, "message": str(exc.message)}
        if refused:
            raise DomainError(
                _("%(count)d of the decisions were refused; none was recorded.")
                % {"count": len(refused)},
                code="batch_refused",
                details={"refused": refused},
            )
    order = {d.assessment.pk: i for i, d in enumerate(decisions)}
    return sorted(recorded, key=lambda d: order[d.assessment_id])


def assessment_not_recognised(*, actor: User | None, assessment: Assessment) -> Assessment:
    """Close an application the commission decided to award no level. Run by the
    review process after such a decision.

    Raises ``InvalidTransition`` unless the assessment is decided."""
    with transaction.atomic():
        locked = lock_assessment(assessment)
        check_transition(locked, Status.NOT_RECOGNISED)
        before = locked.status
        locked.status = Status.NOT_RECOGNISED
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        audit_record(
            actor=actor,
            action="assessment.not_recognised",
            target=locked,
            before={"status": before},
            after={"status": locked.status},
        )
    return locked

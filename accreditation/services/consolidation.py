"""The panel lead's consolidation: one final grade per item, with a reason wherever it
departs from the experts' majority (or the experts split evenly)."""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import audit_record
from accreditation.core.errors import DomainError, IncompleteError, NotEditable, Problem
from accreditation.models import (
    Assessment,
    ConsolidatedGrade,
    Consolidation,
    ExpertAssignment,
    ExpertItemGrade,
    ExpertReview,
    ItemGrade,
    ReviewRound,
    ReviewStage,
    User,
)
from accreditation.permissions import Action, require
from accreditation.services.common import check_transition, lock_assessment
from workflows import driver

Status = Assessment.Status
Value = ExpertItemGrade.Value
MAX_REASON_CHARS = 2000


def majority(grades: list[str]) -> str:
    """The grade more than half of the experts gave, or "" when there is none. Pure."""
    if not grades:
        return ""
    grade, count = Counter(grades).most_common(1)[0]
    return grade if count * 2 > len(grades) else ""


def consolidation_open(*, assessment: Assessment, actor: User | None = None) -> Consolidation:
    """Open the lead's consolidation once every panel expert has submitted: one row per
    item with the self-assessment grade (as submitted for this round), each expert's
    grade, the majority, and whether anyone disagrees. The final grade starts at the
    majority. The assessment moves to consolidation. Run by the review process after
    the panel's reviews are joined (``actor`` None: the workflow itself).

    Raises ``InvalidTransition`` unless the assessment is in expert review;
    ``DomainError`` (``reviews_missing``) unless every panel expert submitted."""
    with transaction.atomic():
        locked = lock_assessment(assessment)
        check_transition(locked, Status.CONSOLIDATION)
        round_ = ReviewRound.objects.select_related("snapshot").get(
            assessment=locked, stage=ReviewStage.EXPERT, outcome=ReviewRound.Outcome.OPEN
        )
        reviews = list(
            ExpertReview.objects.filter(round=round_)
            .select_related("assignment")
            .prefetch_related("grades")
            .order_by("assignment__role", "assignment_id")
        )
        panel = locked.expert_assignments.count()
        if len(reviews) != panel or not all(r.is_submitted for r in reviews):
            raise DomainError(
                _("Not every panel expert has submitted a review."), code="reviews_missing"
            )
        lead = next(r.expert for r in reviews if r.assignment.role == ExpertAssignment.Role.LEAD)
        consolidation = Consolidation.objects.create(assessment=locked, round=round_, lead=lead)
        self_grades = round_.snapshot.data["grades"]
        by_expert = {r.expert_id: {g.item_code: g.grade for g in r.grades.all()} for r in reviews}
        rows = []
        codes = ItemGrade.objects.filter(assessment=locked).order_by("item__position")
        for position, code in enumerate(codes.values_list("item_code", flat=True)):
            grades = {str(e): g[code] for e, g in by_expert.items()}
            common = majority(list(grades.values()))
            own = self_grades.get(code, {}).get("grade", "")
            rows.append(
                ConsolidatedGrade(
                    consolidation=consolidation,
                    item_code=code,
                    position=position,
                    self_grade=own,
                    expert_grades=grades,
                    majority_grade=common,
                    disagreement=len(set(grades.values())) > 1 or bool(own and own != common),
                    final_grade=common,
                )
            )
        ConsolidatedGrade.objects.bulk_create(rows)
        before = locked.status
        locked.status = Status.CONSOLIDATION
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        audit_record(
            actor=actor,
            action="consolidation.open",
            target=consolidation,
            assessment=locked,
            before={"status": before},
            after={
                "status": locked.status,
                "experts": len(reviews),
                "disagreements": sum(r.disagreement for r in rows),
            },
        )
    return consolidation


def consolidation_reopen(*, assessment: Assessment, actor: User) -> Consolidation:
    """A new open consolidation starting from the latest completed one's final grades
    and reasons (after an objection is upheld). The caller holds the assessment lock
    and moves the status."""
    previous = (
        Consolidation.objects.filter(assessment=assessment, status=Consolidation.Status.COMPLETED)
        .order_by("-id")
        .first()
    )
    if previous is None:
        raise DomainError(_("There is no consolidation to reopen."), code="no_consolidation")
    consolidation = Consolidation.objects.create(
        assessment=assessment, round=previous.round, lead=previous.lead, reopened_from=previous
    )
    ConsolidatedGrade.objects.bulk_create(
        ConsolidatedGrade(
            consolidation=consolidation,
            item_code=row.item_code,
            position=row.position,
            self_grade=row.self_grade,
            expert_grades=row.expert_grades,
            majority_grade=row.majority_grade,
            disagreement=row.disagreement,
            final_grade=row.final_grade,
            reason=row.reason,
        )
        for row in previous.grades.all()
    )
    return consolidation


def _open_consolidation(assessment: Assessment) -> Consolidation:
    consolidation = Consolidation.objects.filter(
        assessment=assessment, status=Consolidation.Status.OPEN
    ).first()
    if assessment.status != Status.CONSOLIDATION or consolidation is None:
        raise NotEditable(_("The assessment is not being consolidated."))
    return consolidation


def consolidation_grade_set(
    *, actor: User, assessment: Assessment, item_code: str, final_grade: str, reason: str = ""
) -> ConsolidatedGrade:
    """Set the final grade of one item. A grade that departs from the experts'
    majority, or any grade where the experts split evenly, needs a reason.

    Raises ``PermissionDenied`` unless ``actor`` is the panel lead; ``NotEditable``
    unless a consolidation is open; ``ValidationError`` for an unknown item, an
    invalid grade or a missing reason."""
    reason = (reason or "").strip()
    if final_grade not in Value.values or final_grade == Value.UNGRADED:
        raise ValidationError({"final_grade": _("Choose none, C, B, A or not applicable.")})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError({"reason": _("The reason is too long.")})
    require(actor, Action.CONSOLIDATE, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.CONSOLIDATE, locked)
        consolidation = _open_consolidation(locked)
        row = consolidation.grades.filter(item_code=item_code).first()
        if row is None:
            raise ValidationError({"item_code": _("No such item in this assessment.")})
        if final_grade != row.majority_grade and not reason:
            raise ValidationError(
                {"reason": _("Say why the final grade departs from the experts' majority.")}
            )
        before = {"final_grade": row.final_grade, "reason": row.reason}
        row.final_grade = final_grade
        row.reason = reason
        row.updated_at = timezone.now()
        row.save(update_fields=["final_grade", "reason", "updated_at"])
        audit_record(
            actor=actor,
            action="consolidation.grade",
            target=consolidation,
            assessment=locked,
            before=before,
            after={"final_grade": row.final_grade, "reason": row.reason},
            note=item_code,
        )
    return row


def consolidation_complete(*, actor: User, assessment: Assessment) -> Consolidation:
    """Finish the consolidation: every item has a final grade, with a reason wherever
    one is needed. Closes the expert round; the process then computes the result and
    asks the commission to decide.

    Raises ``PermissionDenied`` unless ``actor`` is the panel lead; ``NotEditable``
    unless a consolidation is open; ``IncompleteError`` listing every item without a
    final grade or without a needed reason; ``WrongStep`` when the process is not at
    the consolidation."""
    require(actor, Action.CONSOLIDATE, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.CONSOLIDATE, locked)
        consolidation = _open_consolidation(locked)
        problems = []
        for row in consolidation.grades.order_by("position"):
            if not row.final_grade:
                problems.append(
                    Problem(
                        "no_final_grade",
                        _("Item %(item)s has no final grade.") % {"item": row.item_code},
                        row.item_code,
                    )
                )
            elif row.needs_reason and not row.reason:
                problems.append(
                    Problem(
                        "reason_missing",
                        _("Item %(item)s departs from the majority without a reason.")
                        % {"item": row.item_code},
                        row.item_code,
                    )
                )
        if problems:
            raise IncompleteError(
                _("The consolidation is not complete: %(count)d problems.")
                % {"count": len(problems)},
                problems=problems,
            )
        consolidation.status = Consolidation.Status.COMPLETED
        consolidation.completed_at = timezone.now()
        consolidation.save(update_fields=["status", "completed_at"])
        ReviewRound.objects.filter(
            pk=consolidation.round_id, outcome=ReviewRound.Outcome.OPEN
        ).update(
            outcome=ReviewRound.Outcome.COMPLETED,
            closed_at=consolidation.completed_at,
            closed_by=actor,
        )
        audit_record(
            actor=actor,
            action="consolidation.complete",
            target=consolidation,
            assessment=locked,
            after={"consolidation": consolidation.pk},
        )
        driver.task_complete(assessment=locked, actor=actor, names=("consolidate",))
    return consolidation

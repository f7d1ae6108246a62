"""The review stages: rounds, the county review, returns for correction with comments
per item, and entering the expert stage.

A round is one stage's handling of one submission; a return closes it and the
resubmission (``services.submission``) opens a new round of the same stage, so every
round is kept. Each service locks the assessment, checks permission and transition,
writes an audit row and completes its step of the review process, in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import WrongStep
from accreditation.models import (
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    Consolidation,
    CountyReview,
    ItemGrade,
    ReviewRound,
    ReviewStage,
    User,
)
from accreditation.permissions import Action, may, require
from accreditation.services.common import (
    assessment_transition,
    check_transition,
    lock_assessment,
)
from accreditation.services.notifications import email_on_commit
from workflows import driver
from workflows.steps import Step

Status = Assessment.Status
Outcome = ReviewRound.Outcome

#: The steps of the review process from which an assessment can be returned, with the
#: stage a resubmission goes back to.
RETURN_STEPS: dict[Step, str] = {
    Step.COUNTY_REVIEW: ReviewStage.COUNTY,
    Step.ASSIGN_PANEL: ReviewStage.EXPERT,
    Step.CONSOLIDATE: ReviewStage.EXPERT,
}
MAX_COMMENT_CHARS = 4000


def _open_round(assessment: Assessment, stage: str) -> ReviewRound:
    number = ReviewRound.objects.filter(assessment=assessment, stage=stage).count() + 1
    snapshot = AssessmentSnapshot.objects.filter(assessment=assessment).order_by("-sequence")[0]
    return ReviewRound.objects.create(
        assessment=assessment, stage=stage, number=number, snapshot=snapshot
    )


def _close_round(assessment: Assessment, outcome: str, actor: User | None) -> ReviewRound | None:
    round_ = ReviewRound.objects.filter(assessment=assessment, outcome=Outcome.OPEN).first()
    if round_ is not None:
        round_.outcome = outcome
        round_.closed_at = timezone.now()
        round_.closed_by = actor
        round_.save(update_fields=["outcome", "closed_at", "closed_by"])
    return round_


def _clean_comments(assessment: Assessment, item_comments: Mapping[str, str] | None) -> dict:
    comments = {code: text.strip() for code, text in (item_comments or {}).items() if text.strip()}
    known = set(
        ItemGrade.objects.filter(assessment=assessment, item_code__in=list(comments)).values_list(
            "item_code", flat=True
        )
    )
    errors: dict[str, str] = {}
    unknown = sorted(set(comments) - known)
    if unknown:
        errors["item_comments"] = _("Unknown items: %(codes)s") % {"codes": ", ".join(unknown)}
    if any(len(text) > MAX_COMMENT_CHARS for text in comments.values()):
        errors["item_comments"] = _("A comment is too long.")
    if errors:
        raise ValidationError(errors)
    return comments


def review_stage_begin(
    *, assessment: Assessment, stage: str, actor: User | None = None
) -> ReviewRound:
    """Open the next round of ``stage`` for the latest submission. Entering the expert
    stage moves the assessment to expert review. Run by the review process (``actor``
    None: the workflow itself) when a submission reaches a stage.

    Raises ``InvalidTransition`` when the assessment cannot enter the stage."""
    with transaction.atomic():
        locked = lock_assessment(assessment)
        if stage == ReviewStage.EXPERT:
            check_transition(locked, Status.EXPERT_REVIEW)
            round_ = _open_round(locked, ReviewStage.EXPERT)
            assessment_transition(
                locked,
                Status.EXPERT_REVIEW,
                actor=actor,
                action=AuditAction.REVIEW_ROUND_OPEN,
                target=round_,
                after={"stage": stage, "round": round_.number},
            )
        else:
            # The status stays "submitted" until a county reviewer takes the review.
            check_transition(locked, Status.COUNTY_REVIEW)
            round_ = _open_round(locked, ReviewStage.COUNTY)
            audit_record(
                actor=actor,
                action=AuditAction.REVIEW_ROUND_OPEN,
                target=round_,
                assessment=locked,
                before={"status": locked.status},
                after={"status": locked.status, "stage": stage, "round": round_.number},
            )
    return round_


def county_review_start(*, actor: User, assessment: Assessment) -> Assessment:
    """A county reviewer takes the submitted assessment: it becomes "county review"
    and the step is assigned to them.

    Raises ``PermissionDenied`` unless ``actor`` is a county reviewer or officer whose
    region covers the institution; ``InvalidTransition`` unless it is submitted;
    ``WrongStep`` when the process is not at the county review."""
    require(actor, Action.COUNTY_REVIEW, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment, "institution__region")
        require(actor, Action.COUNTY_REVIEW, locked)
        check_transition(locked, Status.COUNTY_REVIEW)
        driver.task_claim(assessment=locked, actor=actor, names=(Step.COUNTY_REVIEW,))
        assessment_transition(
            locked, Status.COUNTY_REVIEW, actor=actor, action=AuditAction.COUNTY_REVIEW_START
        )
    return locked


def county_review_forward(
    *,
    actor: User,
    assessment: Assessment,
    comment: str = "",
    item_comments: Mapping[str, str] | None = None,
) -> CountyReview:
    """Forward the assessment from the county review to the expert review, with an
    optional comment and notes per item. Closes the county round, opens the expert
    round and hands the process on to the panel assignment.

    Raises ``PermissionDenied`` unless ``actor`` is a county reviewer or officer whose
    region covers the institution; ``InvalidTransition`` when the assessment is not
    at the county review; ``WrongStep`` when the process is not; ``ValidationError``
    for unknown items."""
    comment = (comment or "").strip()
    require(actor, Action.COUNTY_REVIEW, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment, "institution__region")
        require(actor, Action.COUNTY_REVIEW, locked)
        check_transition(locked, Status.EXPERT_REVIEW)
        if locked.status not in (Status.SUBMITTED, Status.COUNTY_REVIEW):
            raise WrongStep(_("The assessment is not at the county review."))
        comments = _clean_comments(locked, item_comments)
        round_ = _close_round(locked, Outcome.FORWARDED, actor)
        if round_ is None or round_.stage != ReviewStage.COUNTY:
            raise WrongStep(_("The assessment is not at the county review."))
        record = CountyReview.objects.create(
            round=round_,
            assessment=locked,
            reviewer=actor,
            decision=CountyReview.Decision.FORWARDED,
            comment=comment,
            item_comments=comments,
        )
        expert_round = _open_round(locked, ReviewStage.EXPERT)
        assessment_transition(
            locked,
            Status.EXPERT_REVIEW,
            actor=actor,
            action=AuditAction.COUNTY_REVIEW_FORWARD,
            after={
                "county_round": round_.number,
                "expert_round": expert_round.number,
                "items": sorted(comments),
            },
            note=comment,
        )
        driver.task_complete(assessment=locked, actor=actor, names=(Step.COUNTY_REVIEW,))
    return record


def _may_return_at(actor: User, assessment: Assessment, step: Step) -> bool:
    if step == Step.COUNTY_REVIEW:
        return may(actor, Action.COUNTY_REVIEW, assessment)
    if step == Step.ASSIGN_PANEL:
        return may(actor, Action.PANEL_ASSIGN, assessment)
    return may(actor, Action.CONSOLIDATE, assessment) or may(actor, Action.PANEL_ASSIGN, assessment)


def assessment_return(
    *,
    actor: User,
    assessment: Assessment,
    reason: str,
    item_comments: Mapping[str, str] | None = None,
) -> AssessmentReturn:
    """Return the assessment for correction (退回修改) with a reason and comments per
    item; the institution can edit and resubmit it, and the resubmission goes back to
    the stage that returned it. The round is closed as returned and kept.

    Who may return depends on the step: at the county review, a county reviewer or
    officer covering the institution; at the panel assignment, an officer at the
    reviewing level; at the consolidation, the panel lead or such an officer. Experts
    grading cannot be interrupted: return from the consolidation.

    Raises ``PermissionDenied`` for anyone else; ``InvalidTransition`` from a status
    that cannot be returned (a draft, a decision); ``WrongStep`` when the process is
    at no step that can return; ``ValidationError`` for an empty reason or unknown
    item codes."""
    reason = (reason or "").strip()
    require(actor, Action.ASSESSMENT_RETURN, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment, "institution__region", "cycle")
        require(actor, Action.ASSESSMENT_RETURN, locked)
        check_transition(locked, Status.RETURNED)
        errors: dict[str, str | list[str]] = {}
        if not reason:
            errors["reason"] = _("Say why the assessment is returned.")
        try:
            comments = _clean_comments(locked, item_comments)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        steps = [s for s in driver.open_step_names(assessment=locked) if s in RETURN_STEPS]
        if not steps:
            raise WrongStep(
                _("The assessment cannot be returned at this step."),
                details={"open": driver.open_step_names(assessment=locked)},
            )
        step = steps[0]
        if not _may_return_at(actor, locked, step):
            raise PermissionDenied(_("You are not allowed to do this."))
        stage = RETURN_STEPS[step]
        round_ = _close_round(locked, Outcome.RETURNED, actor)
        if step == Step.COUNTY_REVIEW and round_ is not None:
            CountyReview.objects.create(
                round=round_,
                assessment=locked,
                reviewer=actor,
                decision=CountyReview.Decision.RETURNED,
                comment=reason,
                item_comments=comments,
            )
        if step == Step.CONSOLIDATE:
            Consolidation.objects.filter(
                assessment=locked, status=Consolidation.Status.OPEN
            ).update(status=Consolidation.Status.SUPERSEDED)
        returned = AssessmentReturn.objects.create(
            assessment=locked,
            from_status=locked.status,
            stage=stage,
            round=round_,
            returned_by=actor,
            reason=reason,
            item_comments=comments,
        )
        assessment_transition(
            locked,
            Status.RETURNED,
            actor=actor,
            action=AuditAction.ASSESSMENT_RETURN,
            after={"return": returned.pk, "stage": stage, "items": sorted(comments)},
            note=reason,
        )
        driver.task_complete(assessment=locked, actor=actor, names=(step,))
        email_on_commit(
            recipients=locked.institution.staff.all(),
            subject=_("Assessment returned for correction"),
            body=reason,
        )
    return returned

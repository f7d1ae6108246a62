"""Reads of the review stages: rounds, the panel, expert grades (hidden from an expert
until their own review is submitted), the consolidation worksheet, the latest result
and decision. Each runs a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from accreditation.models import (
    Assessment,
    AssessmentResult,
    AssessmentReturn,
    ConsolidatedGrade,
    Consolidation,
    CountyReview,
    Decision,
    ExpertAssignment,
    ExpertItemGrade,
    ExpertPhoto,
    ExpertReview,
    RecordList,
    RecordSample,
    ReviewRound,
    ReviewStage,
    SampledRecord,
    User,
)
from accreditation.permissions import Action, may

Role = User.Role


def open_round(*, assessment_id: int) -> ReviewRound | None:
    return ReviewRound.objects.filter(
        assessment_id=assessment_id, outcome=ReviewRound.Outcome.OPEN
    ).first()


def latest_round(*, assessment_id: int, stage: str) -> ReviewRound | None:
    return (
        ReviewRound.objects.filter(assessment_id=assessment_id, stage=stage)
        .order_by("-number")
        .first()
    )


def panel_lead(*, assessment_id: int) -> User | None:
    assignment = (
        ExpertAssignment.objects.filter(
            assessment_id=assessment_id, role=ExpertAssignment.Role.LEAD
        )
        .select_related("expert")
        .first()
    )
    return assignment.expert if assignment else None


def latest_result(*, assessment_id: int) -> AssessmentResult | None:
    return AssessmentResult.objects.filter(assessment_id=assessment_id).order_by("-id").first()


def latest_decision(*, assessment_id: int) -> Decision | None:
    return Decision.objects.filter(assessment_id=assessment_id).order_by("-id").first()


def latest_consolidation(*, assessment_id: int) -> Consolidation | None:
    return Consolidation.objects.filter(assessment_id=assessment_id).order_by("-id").first()


@dataclass(frozen=True, slots=True)
class ExpertGrades:
    """One expert's review in the latest expert round: grades by item code."""

    expert_id: int
    role: str
    submitted: bool
    grades: dict[str, ExpertItemGrade] = field(default_factory=dict)


def _officer_or_admin_in_scope(viewer: User, assessment: Assessment) -> bool:
    return viewer.role in (Role.OFFICER, Role.ADMINISTRATOR) and may(
        viewer, Action.ASSESSMENT_VIEW, assessment
    )


def expert_grades_for(*, viewer: User, assessment: Assessment) -> list[ExpertGrades]:
    """The panel's reviews of the latest expert round, as ``viewer`` may see them.

    Officers and administrators in scope see every review. A panel expert sees their
    own review, and the others' only once their own is submitted (each expert grades
    independently). Everyone else is refused with ``PermissionDenied``. Three queries.
    """
    assignment = None
    if viewer.role == Role.EXPERT:
        assignment = ExpertAssignment.objects.filter(assessment=assessment, expert=viewer).first()
        if assignment is None:
            raise PermissionDenied
    elif not _officer_or_admin_in_scope(viewer, assessment):
        raise PermissionDenied
    round_ = latest_round(assessment_id=assessment.pk, stage=ReviewStage.EXPERT)
    if round_ is None:
        return []
    reviews = list(
        ExpertReview.objects.filter(round=round_)
        .select_related("assignment")
        .prefetch_related("grades")
        .order_by("assignment__role", "assignment_id")
    )
    if assignment is not None:
        own = next((r for r in reviews if r.assignment_id == assignment.pk), None)
        if own is None or not own.is_submitted:
            reviews = [own] if own is not None else []
    return [
        ExpertGrades(
            expert_id=review.expert_id,
            role=review.assignment.role,
            submitted=review.is_submitted,
            grades={g.item_code: g for g in review.grades.all()},
        )
        for review in reviews
    ]


def consolidation_rows(*, viewer: User, assessment: Assessment) -> list[ConsolidatedGrade]:
    """The latest consolidation's items for the lead's worksheet: the items where the
    experts or the self-assessment disagree first, then the rest, each group in
    catalogue order. Panel experts, and officers and administrators in scope, may see
    it. Two queries."""
    if viewer.role == Role.EXPERT:
        if not ExpertAssignment.objects.filter(assessment=assessment, expert=viewer).exists():
            raise PermissionDenied
    elif not _officer_or_admin_in_scope(viewer, assessment):
        raise PermissionDenied
    consolidation = latest_consolidation(assessment_id=assessment.pk)
    if consolidation is None:
        return []
    return list(
        ConsolidatedGrade.objects.filter(consolidation=consolidation).order_by(
            "-disagreement", "position"
        )
    )


@dataclass(frozen=True, slots=True)
class OnSiteEvidence:
    """What the panel found on site in the consolidated round, by item code."""

    photos: dict[str, list[ExpertPhoto]] = field(default_factory=dict)
    samples: dict[str, list[RecordSample]] = field(default_factory=dict)


def consolidation_onsite(*, viewer: User, assessment: Assessment) -> OnSiteEvidence:
    """The on-site photos and the record samples of the experts of the latest
    consolidation's round (all their reviews are submitted by then), for whoever may
    see the consolidation (:func:`consolidation_rows`' rule). Five queries."""
    if viewer.role == Role.EXPERT:
        if not ExpertAssignment.objects.filter(assessment=assessment, expert=viewer).exists():
            raise PermissionDenied
    elif not _officer_or_admin_in_scope(viewer, assessment):
        raise PermissionDenied
    consolidation = latest_consolidation(assessment_id=assessment.pk)
    found = OnSiteEvidence()
    if consolidation is None:
        return found
    photos = ExpertPhoto.objects.filter(
        assessment=assessment, grade__review__round_id=consolidation.round_id
    ).select_related("evidence", "taken_by", "grade")
    for photo in photos.order_by("id"):
        found.photos.setdefault(photo.grade.item_code, []).append(photo)
    experts = ExpertReview.objects.filter(round_id=consolidation.round_id).values("expert_id")
    samples = (
        RecordSample.objects.filter(assessment=assessment, drawn_by_id__in=experts)
        .select_related("drawn_by")
        .prefetch_related(Prefetch("results", queryset=SampledRecord.objects.order_by("position")))
        .order_by("id")
    )
    for sample in samples:
        found.samples.setdefault(sample.item_code, []).append(sample)
    return found


@dataclass(frozen=True, slots=True)
class RoundHistory:
    round: ReviewRound
    county_review: CountyReview | None
    returned: AssessmentReturn | None


def review_history(*, viewer: User, assessment: Assessment) -> list[RoundHistory]:
    """Every review round, oldest first, with the county reviewer's record and the
    return (comments per item, resubmission) when there was one. Visible to whoever
    may see the assessment. Three queries."""
    if not may(viewer, Action.ASSESSMENT_VIEW, assessment):
        raise PermissionDenied
    rounds = list(
        ReviewRound.objects.filter(assessment=assessment).select_related("closed_by").order_by("id")
    )
    county = {c.round_id: c for c in CountyReview.objects.filter(assessment=assessment)}
    returns = {r.round_id: r for r in AssessmentReturn.objects.filter(assessment=assessment)}
    return [RoundHistory(r, county.get(r.pk), returns.get(r.pk)) for r in rounds]


@dataclass(frozen=True, slots=True)
class ExpertSampling:
    """For the expert's scoring page: the newest record list per item and the
    expert's own samples (with their records in order) per item."""

    lists: dict[str, RecordList] = field(default_factory=dict)
    samples: dict[str, RecordSample] = field(default_factory=dict)


def expert_sampling_for(*, viewer: User, assessment: Assessment) -> ExpertSampling:
    """The record lists of the assessment and ``viewer``'s own samples drawn from
    them (panel experts only; ``PermissionDenied`` otherwise). Three queries."""
    if not ExpertAssignment.objects.filter(assessment=assessment, expert=viewer).exists():
        raise PermissionDenied
    found = ExpertSampling()
    for frozen in RecordList.objects.filter(assessment=assessment).order_by("item_code", "version"):
        found.lists[frozen.item_code] = frozen  # the newest version wins
    samples = (
        RecordSample.objects.filter(assessment=assessment, drawn_by=viewer)
        .select_related("record_list")
        .prefetch_related(Prefetch("results", queryset=SampledRecord.objects.order_by("position")))
        .order_by("id")
    )
    for sample in samples:
        found.samples[sample.item_code] = sample  # the latest draw (from the newest list)
    return found

"""The review stages' reads as querysets, for paginated, filtered and ordered lists.

Each applies the rule of the corresponding selector in ``selectors.reviews`` (which
decides who may see what) and returns a queryset of the rows it allows, in a constant
number of queries.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accreditation.models import (
    Assessment,
    ConsolidatedGrade,
    Consolidation,
    ExpertItemGrade,
    ExpertPhoto,
    RecordList,
    RecordSample,
    ReviewRound,
    SampledRecord,
    User,
)
from accreditation.permissions import Action, require
from accreditation.selectors.reviews import (
    consolidation_rows,
    expert_grades_for,
    latest_consolidation,
)


def review_rounds_for(*, viewer: User, assessment: Assessment) -> QuerySet[ReviewRound]:
    """Every review round of the assessment (``review_history``'s rounds). Raises
    ``PermissionDenied`` unless ``viewer`` may see the assessment."""
    require(viewer, Action.ASSESSMENT_VIEW, assessment)
    return ReviewRound.objects.filter(assessment=assessment).select_related(
        "closed_by", "county__reviewer"
    )


def expert_item_grades_for(*, viewer: User, assessment: Assessment) -> QuerySet[ExpertItemGrade]:
    """The expert grades of the latest expert round that ``viewer`` may see, by the
    rule of :func:`~accreditation.selectors.reviews.expert_grades_for` (an expert sees
    the others' only once their own review is submitted). Raises ``PermissionDenied``
    as it does. Four queries."""
    visible = [
        grade.pk
        for review in expert_grades_for(viewer=viewer, assessment=assessment)
        for grade in review.grades.values()
    ]
    return ExpertItemGrade.objects.filter(pk__in=visible).select_related(
        "review__assignment", "review__expert"
    )


def expert_photos_for(*, viewer: User, assessment: Assessment) -> QuerySet[ExpertPhoto]:
    """The on-site photos of the expert grades ``viewer`` may see (the rule of
    :func:`expert_item_grades_for`: an expert their own, and the others' once their own
    review is submitted; the lead at consolidation, officers and administrators in
    scope all). Raises ``PermissionDenied`` as it does."""
    grades = expert_item_grades_for(viewer=viewer, assessment=assessment)
    return ExpertPhoto.objects.filter(
        assessment=assessment, grade__in=grades.values("pk")
    ).select_related("evidence", "taken_by", "grade")


def record_lists_for(*, viewer: User, assessment: Assessment) -> QuerySet[RecordList]:
    """The frozen record lists of the assessment, newest version first per item, for
    whoever may see the assessment."""
    require(viewer, Action.ASSESSMENT_VIEW, assessment)
    return RecordList.objects.filter(assessment=assessment).select_related("uploaded_by")


def record_samples_for(*, viewer: User, assessment: Assessment) -> QuerySet[RecordSample]:
    """The record samples drawn by the experts whose grades ``viewer`` may see (the
    rule of :func:`expert_item_grades_for`), with their drawn records in order."""
    experts = {
        review.expert_id for review in expert_grades_for(viewer=viewer, assessment=assessment)
    }
    return (
        RecordSample.objects.filter(assessment=assessment, drawn_by_id__in=experts)
        .select_related("drawn_by", "record_list")
        .prefetch_related(Prefetch("results", queryset=SampledRecord.objects.order_by("position")))
    )


def consolidation_grades_for(
    *, viewer: User, assessment: Assessment
) -> QuerySet[ConsolidatedGrade]:
    """The rows of the latest consolidation, by the rule of
    :func:`~accreditation.selectors.reviews.consolidation_rows` (panel experts,
    officers and administrators in scope). Raises ``PermissionDenied`` as it does."""
    rows = consolidation_rows(viewer=viewer, assessment=assessment)
    return ConsolidatedGrade.objects.filter(pk__in=[row.pk for row in rows])


def consolidation_for(*, viewer: User, assessment: Assessment) -> Consolidation | None:
    """The latest consolidation, for whoever may see its rows (as
    :func:`consolidation_grades_for`); None before there is one."""
    consolidation_rows(viewer=viewer, assessment=assessment)
    return latest_consolidation(assessment_id=assessment.pk)

"""Reads of one assessment's item rows and evidence for the pages: codes, titles,
counts, one stored row, one attachment, an item's criteria. One query each at most."""

from __future__ import annotations

from accreditation.models import Assessment, EvidenceAttachment, ItemGrade
from standards.models import Criterion, Item


def assessment_item_codes(*, assessment: Assessment) -> list[str]:
    """The item codes of the assessment's rows (one per item of its edition)."""
    return list(assessment.grades.values_list("item_code", flat=True))


def assessment_item_titles(*, assessment: Assessment) -> dict[str, str]:
    """Item code -> the item's title, for every row of the assessment."""
    return dict(assessment.grades.values_list("item_code", "item__title"))


def assessment_item_count(*, assessment: Assessment) -> int:
    """How many item rows the assessment has."""
    return assessment.grades.count()


def item_grade_stored(*, assessment_id: int, item_code: str) -> ItemGrade | None:
    """The stored row of one item with who saved it last (for a stale-version answer);
    None when the assessment has no such item. The caller has checked the scope."""
    return (
        ItemGrade.objects.filter(assessment_id=assessment_id, item_code=item_code)
        .select_related("updated_by")
        .first()
    )


def attachment_in_assessment(
    *, assessment: Assessment, attachment_id: int
) -> EvidenceAttachment | None:
    """The attachment if it belongs to ``assessment`` (which the caller may see); None
    otherwise."""
    return EvidenceAttachment.objects.filter(pk=attachment_id, assessment=assessment).first()


def item_criteria(*, item: Item) -> list[Criterion]:
    """The item's grade criteria: those prefetched with it (``assessment_workspace``
    and ``checklist_grades`` prefetch them, so no query), else one query."""
    return list(item.criteria.all())

"""Reads of one assessment: the checklist, progress, evidence, returns and snapshots.

Callers fetch the assessment through ``assessment_get_for_user`` (or check
``Action.ASSESSMENT_VIEW``) first; these functions do not check permissions again.
Each runs a constant number of queries, independent of the number of items.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accreditation.models import (
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    EvidenceAttachment,
    ItemGrade,
    MetricSource,
)
from accreditation.selectors.evidence import EXPIRED, EXPIRES_SOON, expiry_state
from accreditation.selectors.scoring import facts_in_force
from standards.models import Chapter, Edition
from standards.scoring import Facts, auto_not_applicable
from standards.selectors import edition_spec

NA = ItemGrade.Value.NA
UNGRADED = ItemGrade.Value.UNGRADED


@dataclass(frozen=True, slots=True)
class ChapterProgress:
    code: str
    title: str
    total: int
    applicable: int
    answered: int
    not_applicable: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "total": self.total,
            "applicable": self.applicable,
            "answered": self.answered,
            "not_applicable": self.not_applicable,
        }


@dataclass(frozen=True, slots=True)
class Progress:
    """Answered / applicable per chapter. An item is applicable unless claimed N/A or
    made N/A by the facts in force; it is answered once it has a grade."""

    chapters: tuple[ChapterProgress, ...]
    applicable: int
    answered: int

    @property
    def complete(self) -> bool:
        return self.answered == self.applicable

    def as_dict(self) -> dict[str, Any]:
        return {
            "applicable": self.applicable,
            "answered": self.answered,
            "chapters": [c.as_dict() for c in self.chapters],
        }


def _edition(assessment: Assessment) -> Edition:
    return assessment.edition  # cached when fetched with select_related("edition")


def assessment_progress(*, assessment: Assessment) -> Progress:
    """Progress of the self-assessment. At most four queries."""
    spec = edition_spec(edition=_edition(assessment))
    grades = dict(ItemGrade.objects.filter(assessment=assessment).values_list("item_code", "grade"))
    facts_row = facts_in_force(institution_id=assessment.institution_id)
    auto = set(auto_not_applicable(spec, facts_row.as_facts() if facts_row else Facts()))
    titles = dict(
        Chapter.objects.filter(edition_id=assessment.edition_id).values_list("code", "title")
    )
    # Per chapter: total, applicable, answered, not applicable.
    counts: dict[str, list[int]] = {code: [0, 0, 0, 0] for code in spec.chapters}
    for item in spec.items:
        tally = counts[item.chapter]
        tally[0] += 1
        grade = grades.get(item.code, UNGRADED)
        if grade == NA or item.code in auto:
            tally[3] += 1
        else:
            tally[1] += 1
            tally[2] += grade != UNGRADED
    chapters = tuple(
        ChapterProgress(code, titles.get(code, ""), *values) for code, values in counts.items()
    )
    return Progress(
        chapters=chapters,
        applicable=sum(c.applicable for c in chapters),
        answered=sum(c.answered for c in chapters),
    )


@dataclass(frozen=True, slots=True)
class AttachmentInfo:
    """One attachment as the checklist and the submission read it. ``expiry`` is
    :func:`~accreditation.selectors.evidence.expiry_state` on the day it was read."""

    id: int
    name: str
    sha256: str
    size: int
    file_type: str
    effective_on: dt.date | None = None
    expires_on: dt.date | None = None
    revision: int = 1
    replaces_id: int | None = None
    superseded: bool = False
    expiry: str = ""

    @property
    def expired(self) -> bool:
        return self.expiry == EXPIRED

    @property
    def expires_soon(self) -> bool:
        return self.expiry == EXPIRES_SOON


@dataclass(frozen=True, slots=True)
class MetricSourceInfo:
    """An imported metric value's provenance: the return's year, file hash and row."""

    year: int
    sha256: str
    row: int | None


@dataclass(frozen=True, slots=True)
class ChecklistRow:
    """One item with its catalogue text and the institution's current values."""

    grade: ItemGrade  # with .item, .item.section and .item.section.chapter loaded
    auto_not_applicable: bool
    #: The item's current evidence (superseded revisions are in ``history``).
    attachments: tuple[AttachmentInfo, ...] = field(default=())
    review_comment: str = ""
    #: Where the metric value came from, when imported and not changed since.
    metric_source: MetricSourceInfo | None = None
    #: Superseded revisions of the item's evidence, oldest first.
    history: tuple[AttachmentInfo, ...] = field(default=())

    @property
    def code(self) -> str:
        return self.grade.item_code


def assessment_attachments(
    *, assessment: Assessment, include_superseded: bool = False, on: dt.date | None = None
) -> dict[str, list[AttachmentInfo]]:
    """Item code -> the item's current evidence, in upload order (with
    ``include_superseded``, its superseded revisions too, flagged). Expiry is judged on
    ``on`` (default today). One query."""
    on = on or timezone.localdate()
    by_item: dict[str, list[AttachmentInfo]] = defaultdict(list)
    query = EvidenceAttachment.objects.filter(assessment=assessment)
    if not include_superseded:
        query = query.filter(replaced_at__isnull=True)
    rows = query.order_by("id").values_list(
        "id",
        "item_code",
        "name",
        "evidence__sha256",
        "evidence__size",
        "evidence__file_type",
        "effective_on",
        "expires_on",
        "revision",
        "replaces_id",
        "replaced_at",
    )
    for pk, code, name, sha256, size, file_type, effective, expires, rev, replaces, gone in rows:
        by_item[code].append(
            AttachmentInfo(
                pk,
                name,
                sha256,
                size,
                file_type,
                effective_on=effective,
                expires_on=expires,
                revision=rev,
                replaces_id=replaces,
                superseded=gone is not None,
                expiry=expiry_state(expires, on=on),
            )
        )
    return dict(by_item)


def split_history(
    infos: Iterable[AttachmentInfo],
) -> tuple[tuple[AttachmentInfo, ...], tuple[AttachmentInfo, ...]]:
    """(current, superseded) of an item's attachments. Pure."""
    infos = tuple(infos)
    return (
        tuple(i for i in infos if not i.superseded),
        tuple(i for i in infos if i.superseded),
    )


def latest_return(*, assessment: Assessment) -> AssessmentReturn | None:
    return AssessmentReturn.objects.filter(assessment=assessment).order_by("-id").first()


def checklist_grades(*, assessment: Assessment) -> QuerySet[ItemGrade]:
    """The assessment's item grades in catalogue order with item, section, chapter and
    criteria loaded: the rows :func:`assessment_checklist` decorates. Callers may filter,
    reorder or slice it (e.g. one page) and pass the rows back."""
    return (
        ItemGrade.objects.filter(assessment=assessment)
        .select_related("item__section__chapter", "metric_source__fact_import")
        .prefetch_related("item__criteria")
        .order_by("item__position")
    )


def assessment_checklist(
    *, assessment: Assessment, grades: Iterable[ItemGrade] | None = None
) -> list[ChecklistRow]:
    """Every item in catalogue order (or the rows of ``grades``, from
    :func:`checklist_grades`) with grade, evidence, applicability and, when the
    assessment was returned, the reviewer's comment. Five queries."""
    grades = list(grades if grades is not None else checklist_grades(assessment=assessment))
    facts_row = facts_in_force(institution_id=assessment.institution_id)
    spec = edition_spec(edition=_edition(assessment))
    auto = set(auto_not_applicable(spec, facts_row.as_facts() if facts_row else Facts()))
    attachments = assessment_attachments(assessment=assessment, include_superseded=True)
    comments: dict[str, str] = {}
    if assessment.status == Assessment.Status.RETURNED:
        returned = latest_return(assessment=assessment)
        comments = returned.item_comments if returned else {}
    rows = []
    for row in grades:
        current, history = split_history(attachments.get(row.item_code, ()))
        rows.append(
            ChecklistRow(
                grade=row,
                auto_not_applicable=row.item_code in auto,
                attachments=current,
                review_comment=comments.get(row.item_code, ""),
                metric_source=metric_source_info(row),
                history=history,
            )
        )
    return rows


def metric_source_info(grade: ItemGrade) -> MetricSourceInfo | None:
    """The provenance of an imported metric value still as imported, else None. Reads
    ``grade.metric_source`` (loaded by :func:`checklist_grades`: no query)."""
    try:
        source = grade.metric_source
    except MetricSource.DoesNotExist:
        return None
    if grade.metric_value is None or source.value != grade.metric_value:
        return None
    imported = source.fact_import
    return MetricSourceInfo(
        imported.year if imported else 0,
        imported.file_sha256 if imported else "",
        source.source_row,
    )


def assessment_snapshots(*, assessment: Assessment) -> list[AssessmentSnapshot]:
    """Frozen submissions, newest first."""
    return list(AssessmentSnapshot.objects.filter(assessment=assessment).order_by("-sequence"))


#: Statuses whose grading the commission has accepted (decided, with or without a level).
ACCEPTED_STATUSES = (
    Assessment.Status.DECIDED,
    Assessment.Status.PUBLIC_NOTICE,
    Assessment.Status.RECOGNISED,
    Assessment.Status.NOT_RECOGNISED,
)


def last_accepted_assessment(*, institution_id: int, before_year: int) -> Assessment | None:
    """The institution's latest assessment of a cycle before ``before_year`` whose
    grading was accepted (decided) after a completed consolidation: what a new cycle's
    assessment can carry forward. One query."""
    return (
        Assessment.objects.filter(
            institution_id=institution_id,
            cycle__year__lt=before_year,
            status__in=ACCEPTED_STATUSES,
            consolidations__status="completed",
        )
        .select_related("edition", "cycle")
        .order_by("-cycle__year", "-id")
        .distinct()
        .first()
    )

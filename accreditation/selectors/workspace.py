"""The self-assessment workspace: everything the checklist page shows, in six queries
whatever the number of items.

One read gives the items (with section, chapter and criteria), the institution's
values, evidence, applicability, progress per chapter, the live provisional level
with its gap plan and, for a returned assessment, the reviewer's comments. Progress
and the edition's scoring spec are computed from the rows already read instead of
being queried again.
"""

from __future__ import annotations

from dataclasses import dataclass

from accreditation.models import Assessment, AssessmentReturn, ItemGrade
from accreditation.selectors.assessments import (
    ChapterProgress,
    ChecklistRow,
    Progress,
    assessment_attachments,
    latest_return,
    metric_source_info,
    split_history,
)
from accreditation.selectors.scoring import (
    ProvisionalResult,
    ScoringInputs,
    cycle_standard_for,
    facts_in_force,
    provisional_result,
)
from standards.scoring import Condition, EditionSpec, Facts, ItemSpec, auto_not_applicable
from standards.selectors import rule_spec

NA = ItemGrade.Value.NA
UNGRADED = ItemGrade.Value.UNGRADED


@dataclass(frozen=True, slots=True)
class Workspace:
    assessment: Assessment
    rows: tuple[ChecklistRow, ...]
    progress: Progress
    result: ProvisionalResult
    returned: AssessmentReturn | None
    #: The levels the cycle awards this institution, lowest first.
    levels: tuple[str, ...]


def _edition_spec(assessment: Assessment, grades: list[ItemGrade]) -> EditionSpec:
    """The scoring spec built from rows already loaded with item, section and chapter."""
    return EditionSpec(
        assessment.edition.code,
        [
            ItemSpec(
                code=row.item_code,
                chapter=row.item.section.chapter.code,
                tier=row.item.tier,
                applicability=(
                    Condition.from_mapping(row.item.applicability)
                    if row.item.applicability
                    else None
                ),
            )
            for row in grades
        ],
    )


def _progress(grades: list[ItemGrade], auto: set[str]) -> Progress:
    counts: dict[str, list] = {}
    for row in grades:
        chapter = row.item.section.chapter
        entry = counts.setdefault(chapter.code, [chapter.title, 0, 0, 0, 0])
        entry[1] += 1
        if row.grade == NA or row.item_code in auto:
            entry[4] += 1
            continue
        entry[2] += 1
        if row.grade != UNGRADED:
            entry[3] += 1
    chapters = tuple(ChapterProgress(code, *values) for code, values in counts.items())
    return Progress(
        chapters=chapters,
        applicable=sum(c.applicable for c in chapters),
        answered=sum(c.answered for c in chapters),
    )


def assessment_workspace(*, assessment: Assessment, with_criteria: bool = True) -> Workspace:
    """The checklist of ``assessment`` with progress and the provisional result.

    ``assessment`` must come with ``edition`` loaded (``assessment_get_for_user`` does
    that); the caller has checked that the user may see it. Six queries (five without
    criteria, one fewer unless the assessment is returned), independent of the number
    of items."""
    query = (
        ItemGrade.objects.filter(assessment=assessment)
        .select_related("item__section__chapter", "metric_source__fact_import")
        .order_by("item__position")
    )
    if with_criteria:
        query = query.prefetch_related("item__criteria")
    grades = list(query)
    facts_row = facts_in_force(institution_id=assessment.institution_id)
    facts = facts_row.as_facts() if facts_row else Facts()
    spec = _edition_spec(assessment, grades)
    auto = set(auto_not_applicable(spec, facts))
    attachments = assessment_attachments(assessment=assessment, include_superseded=True)
    returned = None
    comments: dict[str, str] = {}
    if assessment.status == Assessment.Status.RETURNED:
        returned = latest_return(assessment=assessment)
        comments = returned.item_comments if returned else {}
    standard = cycle_standard_for(assessment=assessment)
    rule_sets = standard.rule_sets()
    inputs = ScoringInputs(
        edition=spec,
        rule_sets=rule_sets,
        rules={level: rule_spec(rs) for level, rs in rule_sets.items()},
        facts_row=facts_row,
        facts=facts,
        grades={row.item_code: row.grade for row in grades if row.grade != UNGRADED},
    )
    rows = tuple(
        ChecklistRow(
            grade=row,
            auto_not_applicable=row.item_code in auto,
            attachments=current,
            review_comment=comments.get(row.item_code, ""),
            metric_source=metric_source_info(row),
            history=history,
        )
        for row in grades
        for current, history in (split_history(attachments.get(row.item_code, ())),)
    )
    return Workspace(
        assessment=assessment,
        rows=rows,
        progress=_progress(grades, auto),
        result=provisional_result(inputs=inputs, target_level=assessment.target_level),
        returned=returned,
        levels=tuple(rule_sets),
    )

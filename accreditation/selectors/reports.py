"""The assessment report's inputs: :class:`~accreditation.pdf.ReportData` built from an
assessment in a constant number of queries.

``build_report_data`` is pure: it takes the JSON forms of an evaluation and a gap plan
(as the engine's ``as_dict()`` gives them and as results store them), the items, the
grades and the facts, and prints everything in Chinese, with reasons rebuilt from the
structured conditions rather than the engine's English sentences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils import timezone

from accreditation.excel.labels import FINDING_SOURCE_LABELS, FINDING_STATUS_LABELS, KIND_LABELS
from accreditation.models import (
    Assessment,
    AssessmentResult,
    ConsolidatedGrade,
    Decision,
    ExpertItemGrade,
    ItemGrade,
    Region,
    User,
)
from accreditation.pdf import LEVEL_LABELS, ChapterRow, FactRow, GapRow, GapSection, ReportData
from accreditation.pdf.data import FindingRow, ItemRow
from accreditation.pdf.reasons import gap_reason, result_reasons
from accreditation.selectors.findings import assessment_findings
from accreditation.selectors.scoring import assessment_scoring_inputs, provisional_result
from accreditation.selectors.visibility import assessment_get_for_user
from standards.models import Chapter, RuleSet
from standards.scoring.types import VALID_GRADES


@dataclass(frozen=True, slots=True)
class ReportItem:
    code: str
    chapter: str
    title: str
    tier: str


def fact_rows(facts: Mapping[str, Any]) -> tuple[FactRow, ...]:
    """The institution's facts, formatted (``服务人口 48,300 人``); undeclared: 未申报."""

    def number(value: Any, unit: str) -> str:
        return "未申报" if value is None else f"{value:,} {unit}"

    ward = facts.get("inpatient_ward")
    return (
        FactRow("服务人口", number(facts.get("service_population"), "人")),
        FactRow("卫生技术人员", number(facts.get("medical_staff"), "人")),
        FactRow("床位数", number(facts.get("beds"), "张")),
        FactRow("设置病房", "未申报" if ward is None else ("是" if ward else "否")),
    )


def rule_set_label(versions: Mapping[str, tuple[int, bool]]) -> str:
    """``基本标准 第 2 版（暂行）；推荐标准 第 1 版`` from level -> (version, provisional),
    lowest level first."""
    order = list(LEVEL_LABELS)
    parts = [
        f"{LEVEL_LABELS[level]} 第 {version} 版{'（暂行）' if provisional else ''}"
        for level, (version, provisional) in sorted(
            versions.items(), key=lambda kv: order.index(kv[0])
        )
    ]
    return "；".join(parts) or "—"


def eligibility_of(rule_sets: Mapping[str, RuleSet]) -> dict[str, dict[str, Any]]:
    """Level -> its eligibility conditions and how they combine, for the reasons."""
    return {
        level: {"conditions": list(rs.eligibility or ()), "combine": rs.eligibility_combine}
        for level, rs in rule_sets.items()
        if rs.eligibility
    }


def _grade(value: str, *, auto_na: bool) -> str:
    if auto_na:
        return "NA"
    return value if value in VALID_GRADES else "none"


def build_report_data(
    *,
    reference: str,
    institution_name: str,
    institution_licence: str,
    institution_kind: str,
    region: str,
    cycle_year: int,
    edition: str,
    rule_set: str,
    generated_on: dt.date,
    evaluation: Mapping[str, Any],
    gap_plan: Mapping[str, Any],
    items: Sequence[ReportItem],
    chapter_titles: Mapping[str, str],
    self_grades: Mapping[str, str],
    review_grades: Mapping[str, str],
    findings: Mapping[str, str] | None = None,
    facts: Mapping[str, Any] | None = None,
    eligibility: Mapping[str, Mapping[str, Any]] | None = None,
    rectification: Sequence[FindingRow] = (),
) -> ReportData:
    """Pure. Grades missing or empty print as 未达标 (none), except items the facts make
    not applicable (``evaluation["auto_not_applicable"]``), which print as 不适用."""
    facts = facts or {}
    auto = set(evaluation.get("auto_not_applicable", ()))
    titles = {item.code: item.title for item in items}
    chapters_shares = evaluation.get("shares", {}).get("chapters", {})
    chapters = []
    for code, title in chapter_titles.items():
        basic = chapters_shares.get(code, {}).get("basic", {})
        chapters.append(
            ChapterRow(
                code=code,
                name=title,
                applicable=basic.get("applicable", 0),
                c_or_better=basic.get("C_or_better", 0),
                b_or_better=basic.get("B_or_better", 0),
                a=basic.get("A", 0),
                not_applicable=basic.get("not_applicable", 0),
            )
        )
    rows = tuple(
        ItemRow(
            code=item.code,
            chapter=item.chapter,
            title=item.title,
            tier=item.tier,
            self_grade=_grade(self_grades.get(item.code, ""), auto_na=item.code in auto),
            review_grade=_grade(review_grades.get(item.code, ""), auto_na=item.code in auto),
            finding=(findings or {}).get(item.code, ""),
        )
        for item in items
    )
    upgrades = tuple(
        GapRow(u["item"], titles.get(u["item"], ""), u["from"], u["to"])
        for u in gap_plan.get("upgrades", ())
    )
    gap = GapSection(
        target=gap_plan.get("target"),
        reachable=bool(gap_plan.get("reachable", True)),
        upgrades=upgrades,
        reason=gap_reason(gap_plan.get("reason", "")),
    )
    return ReportData(
        reference=reference,
        institution_name=institution_name,
        institution_licence=institution_licence,
        institution_kind=institution_kind,
        region=region,
        cycle_year=cycle_year,
        edition=edition,
        rule_set=rule_set,
        generated_on=generated_on,
        level=evaluation.get("level"),
        reasons=result_reasons(evaluation, eligibility=eligibility, facts=facts),
        facts=fact_rows(facts),
        chapters=tuple(chapters),
        items=rows,
        gap=gap,
        findings=tuple(rectification),
    )


def finding_rows(assessment: Assessment) -> tuple[FindingRow, ...]:
    """The assessment's rectification findings as the report prints them: each with
    its status and, once a plan is in, its owner; the date is the next step's. Two
    queries."""
    return tuple(
        FindingRow(
            item_code=f.item_code,
            source=FINDING_SOURCE_LABELS.get(f.source, f.source),
            description=f.description,
            status=FINDING_STATUS_LABELS.get(f.status, f.status),
            due_on=None if f.status in ("closed", "withdrawn") else f.due_on,
            owner=f.latest_plan.owner if f.latest_plan else "",  # type: ignore[attr-defined]
            closed=f.status == "closed",
        )
        for f in assessment_findings(assessment=assessment)
    )


def region_full_name(region: Region) -> str:
    """``示范省东川市河口县``: the names along the region's path. One query."""
    codes = [code for code in region.path.split("/") if code]
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return "".join(names.get(code, "") for code in codes)


def _items(assessment: Assessment) -> tuple[list[ReportItem], dict[str, str], dict[str, str]]:
    grades = (
        ItemGrade.objects.filter(assessment=assessment)
        .order_by("item__position")
        .values_list("item_code", "grade", "item__title", "item__tier", "item__section__chapter_id")
    )
    rows = Chapter.objects.filter(edition_id=assessment.edition_id).order_by("position")
    chapters, titles = {}, {}
    for pk, code, title in rows.values_list("id", "code", "title"):
        chapters[pk] = code
        titles[code] = title
    items, own = [], {}
    for code, grade, title, tier, chapter_id in grades:
        items.append(ReportItem(code, chapters[chapter_id], title, tier))
        own[code] = grade
    return items, own, titles


#: Statuses from which the institution itself sees the review's grades and findings.
DECIDED_STATUSES = frozenset(
    {
        Assessment.Status.DECIDED,
        Assessment.Status.PUBLIC_NOTICE,
        Assessment.Status.RECOGNISED,
        Assessment.Status.NOT_RECOGNISED,
    }
)


def _findings(consolidation_id: int) -> dict[str, str]:
    """Item code -> the experts' findings and the lead's reason, joined. Two queries."""
    parts: dict[str, list[str]] = {}
    for code, finding in (
        ExpertItemGrade.objects.filter(review__round__consolidations=consolidation_id)
        .order_by("review_id", "id")
        .values_list("item_code", "finding")
    ):
        if finding.strip() and finding.strip() not in parts.get(code, []):
            parts.setdefault(code, []).append(finding.strip())
    for code, reason in (
        ConsolidatedGrade.objects.filter(consolidation_id=consolidation_id)
        .exclude(reason="")
        .values_list("item_code", "reason")
    ):
        parts.setdefault(code, []).append(f"评定说明：{reason.strip()}")
    return {code: "；".join(texts) for code, texts in parts.items()}


def _result_report(
    assessment: Assessment, result: AssessmentResult, on: dt.date | None
) -> ReportData:
    items, own, chapter_titles = _items(assessment)
    rows = ConsolidatedGrade.objects.filter(consolidation_id=result.consolidation_id)
    final: dict[str, str] = {}
    for code, self_grade, final_grade in rows.values_list("item_code", "self_grade", "final_grade"):
        own[code] = self_grade or own.get(code, "")
        final[code] = final_grade
    rule_ids = [entry["id"] for entry in result.rule_sets.values() if entry.get("id")]
    rule_sets = {rs.level: rs for rs in RuleSet.objects.filter(pk__in=rule_ids)}
    label = rule_set_label(
        {
            level: (entry.get("version", 1), bool(entry.get("provisional")))
            for level, entry in result.rule_sets.items()
        }
    )
    facts = result.inputs.get("facts", {})
    data = build_report_data(
        reference=f"评审-{assessment.cycle.year}-{assessment.pk:06d}",
        institution_name=assessment.institution.name,
        institution_licence=assessment.institution.licence_number,
        institution_kind=KIND_LABELS.get(assessment.institution.kind, assessment.institution.kind),
        region=region_full_name(assessment.institution.region),
        cycle_year=assessment.cycle.year,
        edition=assessment.edition.title,
        rule_set=label,
        generated_on=on or timezone.localdate(),
        evaluation=result.evaluation,
        gap_plan=result.gap_plan,
        items=items,
        chapter_titles=chapter_titles,
        self_grades=own,
        review_grades=final,
        findings=_findings(result.consolidation_id),
        facts=facts,
        eligibility=eligibility_of(rule_sets),
        rectification=finding_rows(assessment),
    )
    decision = Decision.objects.filter(result=result).order_by("-id").first()
    if decision is not None and decision.decided_level != decision.computed_level:
        decided = LEVEL_LABELS.get(decision.decided_level, "未达到任何等级")
        note = f"委员会决定：认定为{decided}（{decision.override_reason}）"
        data = replace(data, level=decision.decided_level or None, reasons=(note, *data.reasons))
    return data


def assessment_report_data(
    *, user: Any, assessment_id: int, on: dt.date | None = None
) -> ReportData:
    """The report of an assessment, as far as it has gone. With a review result (and,
    for the institution's own staff, once decided): the consolidated final grades
    against the self-assessment, the experts' findings, the result's reasons and gap
    plan, and the commission's decision when it departs from the computed level.
    Before that: the self-assessment scored with the cycle's rule sets (review
    grades equal the self grades). Raises ``Assessment.DoesNotExist`` when the user
    may not see the assessment. A constant number of queries."""
    assessment = assessment_get_for_user(user=user, assessment_id=assessment_id)
    result = AssessmentResult.objects.filter(assessment=assessment).order_by("-id").first()
    staff = getattr(user, "role", "") == User.Role.INSTITUTION_STAFF
    if result is not None and (not staff or assessment.status in DECIDED_STATUSES):
        return _result_report(assessment, result, on)
    inputs = assessment_scoring_inputs(assessment=assessment, on=on)
    outcome = provisional_result(inputs=inputs, target_level=assessment.target_level)
    items, own, chapter_titles = _items(assessment)
    institution = assessment.institution
    return build_report_data(
        reference=f"自评-{assessment.cycle.year}-{assessment.pk:06d}",
        institution_name=institution.name,
        institution_licence=institution.licence_number,
        institution_kind=KIND_LABELS.get(institution.kind, institution.kind),
        region=region_full_name(institution.region),
        cycle_year=assessment.cycle.year,
        edition=assessment.edition.title,
        rule_set=rule_set_label(
            {level: (rs.version, rs.provisional) for level, rs in inputs.rule_sets.items()}
        ),
        generated_on=on or timezone.localdate(),
        evaluation=outcome.evaluation.as_dict(),
        gap_plan=outcome.plan.as_dict(),
        items=items,
        chapter_titles=chapter_titles,
        self_grades=own,
        review_grades=own,
        facts=outcome.facts.as_dict(),
        eligibility=eligibility_of(inputs.rule_sets),
        rectification=finding_rows(assessment),
    )

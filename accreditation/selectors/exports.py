"""Reads behind the spreadsheet exports, permission-checked, in a constant number of
queries. Each returns the plain dataclass its writer in ``accreditation.excel`` takes."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

from django.db.models import Count
from django.utils import timezone

from accreditation.conf import setting
from accreditation.excel.assessment_items import ItemResult, ItemResults
from accreditation.excel.region_summary import LEVELS, RegionRow, RegionSummary, Targets
from accreditation.models import (
    Assessment,
    AssessmentResult,
    ConsolidatedGrade,
    Consolidation,
    EvidenceAttachment,
    ExpertItemGrade,
    ExpertReview,
    Institution,
    ItemGrade,
    Recognition,
    Region,
    User,
)
from accreditation.permissions import Action, require
from accreditation.selectors.scoring import assessment_provisional_result
from accreditation.selectors.visibility import assessment_get_for_user

CHC = Institution.Kind.CHC


def _region_label(region: Region) -> str:
    return region.name


def assessment_item_results(*, user: Any, assessment_id: int) -> ItemResults:
    """Every item of the assessment in catalogue order with the self-assessment (grade,
    N/A reason, metric, note, number of evidence files) and the provisional level.
    Raises ``Assessment.DoesNotExist`` when the user may not see the assessment."""
    assessment = assessment_get_for_user(user=user, assessment_id=assessment_id)
    grades = (
        ItemGrade.objects.filter(assessment=assessment)
        .select_related("item__section__chapter")
        .order_by("item__position")
    )
    evidence = dict(
        EvidenceAttachment.objects.filter(assessment=assessment)
        .values_list("item_code")
        .annotate(n=Count("id"))
        .values_list("item_code", "n")
    )
    rows = tuple(
        ItemResult(
            chapter=row.item.section.chapter.code,
            chapter_title=row.item.section.chapter.title,
            code=row.item_code,
            title=row.item.title,
            tier=row.item.tier,
            self_grade=row.grade,
            na_reason=row.na_reason,
            metric_value=row.metric_value,
            note=row.note,
            evidence_count=evidence.get(row.item_code, 0),
        )
        for row in grades
    )
    review = _review_columns(user, assessment)
    if review is not None:
        titles, _, by_code = review
        blank = (("",) * len(titles), "", "")
        rows = tuple(
            replace(row, expert_grades=grades, final_grade=final, findings=findings)
            for row in rows
            for grades, final, findings in [by_code.get(row.code, blank)]
        )
    result = assessment_provisional_result(assessment=assessment)
    institution = assessment.institution
    return ItemResults(
        institution_name=institution.name,
        institution_licence=institution.licence_number,
        region=_region_label(institution.region),
        cycle=assessment.cycle.name,
        edition=f"{assessment.edition.title}（{assessment.edition.code}）",
        status=assessment.status,
        target_level=assessment.target_level,
        provisional_level=result.evaluation.level,
        rows=rows,
        experts=review[0] if review else (),
        reviewed=review is not None,
        final_level=review[1] if review else None,
    )


#: Statuses from which everyone who sees the assessment sees the review's grades.
DECIDED = frozenset({"decided", "public_notice", "recognised", "not_recognised"})


def _review_columns(
    user: Any, assessment: Assessment
) -> tuple[tuple[str, ...], str | None, dict[str, tuple[tuple[str, ...], str, str]]] | None:
    """The latest completed consolidation as (expert column titles, computed level,
    item code -> (expert grades, final grade, findings)); None before there is one, and
    for institution staff and experts until the decision. Four queries."""
    if assessment.status not in DECIDED and user.role not in (
        User.Role.OFFICER,
        User.Role.ADMINISTRATOR,
    ):
        return None
    consolidation = (
        Consolidation.objects.filter(assessment=assessment, status=Consolidation.Status.COMPLETED)
        .order_by("-id")
        .first()
    )
    if consolidation is None:
        return None
    reviews = list(
        ExpertReview.objects.filter(round_id=consolidation.round_id)
        .select_related("expert")
        .order_by("assignment__role", "assignment_id")
    )
    experts = [str(review.expert_id) for review in reviews]
    titles = tuple(r.expert.first_name or r.expert.username for r in reviews)
    findings: dict[str, list[str]] = {}
    for code, finding in (
        ExpertItemGrade.objects.filter(review__in=[r.pk for r in reviews])
        .exclude(finding="")
        .values_list("item_code", "finding")
    ):
        findings.setdefault(code, []).append(finding.strip())
    by_code = {}
    for grade in ConsolidatedGrade.objects.filter(consolidation=consolidation):
        texts = list(dict.fromkeys(findings.get(grade.item_code, [])))
        if grade.reason:
            texts.append(f"评定说明：{grade.reason}")
        by_code[grade.item_code] = (
            tuple(str(grade.expert_grades.get(e, "")) for e in experts),
            grade.final_grade,
            "；".join(texts),
        )
    level = (
        AssessmentResult.objects.filter(consolidation=consolidation)
        .order_by("-id")
        .values_list("computed_level", flat=True)
        .first()
    )
    return titles, level or None, by_code


def region_targets(province_code: str | None) -> Targets:
    """The targets for a province (by its zone), or the national ones."""
    zone = setting("PROVINCE_ZONES").get((province_code or "")[:2], "national")
    targets = setting("TARGETS")
    chosen = targets.get(zone) or targets["national"]
    basis = {"east": "东部", "central": "中部", "west": "西部"}.get(zone, "全国")
    return Targets(
        standard=float(chosen["standard"]),
        recommended=float(chosen["recommended"]),
        basis=f"{basis}目标",
    )


def region_summary(
    *, user: Any, region: Region | None, year: int, on: dt.date | None = None
) -> RegionSummary:
    """Counts per child region of ``region`` (None: per province, nationally): all
    institutions by kind; the assessments of the cycles of ``year`` by status and by
    declared level; recognitions in force on ``on`` (active, not expired, any cycle)
    by level, with the shares reaching a standard and 推荐标准 against the targets.
    The last row is the whole region. Institutions placed directly in ``region`` (not
    in a child) get a row of their own, 本级.

    Raises ``PermissionDenied`` unless the user may report on the region
    (``Action.REGION_REPORT``). Four queries, whatever the size of the region."""
    require(user, Action.REGION_REPORT, region)
    prefix = region.path if region else ""
    if region is None:
        children = list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("code"))
    else:
        children = list(region.children.order_by("code"))
    rows: dict[str, dict[str, Any]] = {
        child.code: {"code": child.code, "name": child.name} for child in children
    }
    own = {"code": region.code if region else "", "name": "本级"}

    def bucket(path: str) -> dict[str, Any]:
        code = path[len(prefix) :].split("/", 1)[0]
        return rows.get(code) or own

    tallies: dict[int, Counter] = defaultdict(Counter)
    institutions = Institution.objects.filter(region__path__startswith=prefix).values_list(
        "region__path", "kind"
    )
    for path, kind in institutions:
        tally = tallies[id(bucket(path))]
        tally["institutions"] += 1
        tally["community_centres" if kind == CHC else "health_centres"] += 1
    assessments = Assessment.objects.filter(
        cycle__year=year, institution__region__path__startswith=prefix
    ).values_list("institution__region__path", "status", "target_level")
    for path, status, target in assessments:
        tally = tallies[id(bucket(path))]
        tally["assessments"] += 1
        tally[f"status:{status}"] += 1
        tally[f"target:{target}"] += 1
    today = on or timezone.localdate()
    recognised = Recognition.objects.filter(
        status=Recognition.Status.ACTIVE,
        valid_until__gte=today,
        institution__region__path__startswith=prefix,
    ).values_list("institution__region__path", "level")
    for path, level in recognised:
        tallies[id(bucket(path))][f"level:{level}"] += 1

    def make(base: dict[str, Any], tally: Counter) -> RegionRow:
        return RegionRow(
            code=base["code"],
            name=base["name"],
            institutions=tally["institutions"],
            health_centres=tally["health_centres"],
            community_centres=tally["community_centres"],
            assessments=tally["assessments"],
            by_status={k[7:]: v for k, v in tally.items() if k.startswith("status:")},
            by_target={k[7:]: v for k, v in tally.items() if k.startswith("target:")},
            recognised={lv: tally[f"level:{lv}"] for lv in LEVELS},
        )

    out = [make(base, tallies[id(base)]) for base in rows.values()]
    if tallies.get(id(own)):
        out.append(make(own, tallies[id(own)]))
    total: Counter = Counter()
    for tally in tallies.values():
        total.update(tally)
    name = region.name if region else "全国"
    return RegionSummary(
        region=name,
        year=year,
        generated_on=today,
        rows=tuple(out),
        total=make({"code": region.code if region else "", "name": f"{name}合计"}, total),
        targets=region_targets(region.path.split("/", 1)[0] if region else None),
    )

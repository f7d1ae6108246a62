"""Reads behind the spreadsheet exports, permission-checked, in a constant number of
queries. Each returns the plain dataclass its writer in ``accreditation.excel`` takes."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count
from django.utils import timezone

from accreditation.conf import setting
from accreditation.excel.assessment_items import ItemResult, ItemResults
from accreditation.excel.region_summary import RegionRow, RegionSummary, Targets
from accreditation.models import Assessment, EvidenceAttachment, Institution, ItemGrade, Region
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
    )


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
    """Counts per child region of ``region`` (None: per province, nationally) for the
    cycles of ``year``: institutions by kind, assessments by status and by declared
    level; the last row is the whole region. Institutions placed directly in
    ``region`` (not in a child) get a row of their own, 本级.

    Raises ``PermissionDenied`` unless the user may report on the region
    (``Action.REGION_REPORT``). Three queries, whatever the size of the region."""
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
        generated_on=on or timezone.localdate(),
        rows=tuple(out),
        total=make({"code": region.code if region else "", "name": f"{name}合计"}, total),
        targets=region_targets(region.path.split("/", 1)[0] if region else None),
    )

"""Reads of the commission officer's pages: the region dashboard with progress against
the policy targets, and the lists of assessments waiting for a panel, a decision or
a public notice. Each runs a constant number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from accreditation.conf import setting
from accreditation.models import (
    Assessment,
    AssessmentResult,
    Cycle,
    Finding,
    Institution,
    Recognition,
    Region,
    User,
)
from accreditation.permissions import Action, require
from accreditation.scope import user_scope
from accreditation.selectors.findings import finding_counts_q
from accreditation.selectors.visibility import assessments_visible_to
from workflows.selectors import InboxRow, task_inbox
from workflows.steps import Step

#: Levels that count as "reaching a standard" (基本标准 and 推荐标准; 合格 does not).
STANDARD_LEVELS: tuple[str, ...] = ("basic", "recommended")


def zone_of(province_code: str) -> str:
    """The province's zone (``east``, ``central``, ``west``) from
    ``ACCREDITATION["PROVINCE_ZONES"]``, or ``national`` when it is not listed."""
    return setting("PROVINCE_ZONES").get((province_code or "")[:2], "national")


def targets(zone: str = "national") -> dict[str, float]:
    """The shares to reach at a standard and at 推荐标准 for a zone
    (``ACCREDITATION["TARGETS"]``; the national ones for an unknown zone)."""
    table = setting("TARGETS")
    chosen = table.get(zone) or table["national"]
    return {"standard": float(chosen["standard"]), "recommended": float(chosen["recommended"])}


@dataclass(slots=True)
class RegionProgress:
    """Figures for one child region (or for institutions registered at the region
    itself): institutions, the year's assessments by status and target level, and the
    active recognitions by level (whatever cycle granted them)."""

    region_id: int | None
    code: str
    name: str
    level: str
    zone: str = "national"
    institutions: int = 0
    assessments: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_target_level: Counter = field(default_factory=Counter)
    recognised: Counter = field(default_factory=Counter)
    #: Rectification findings of every cycle: ``open`` (unresolved), ``overdue``,
    #: ``closed``.
    findings: Counter = field(default_factory=Counter)

    def add(self, other: RegionProgress) -> None:
        self.institutions += other.institutions
        self.assessments += other.assessments
        self.by_status.update(other.by_status)
        self.by_target_level.update(other.by_target_level)
        self.recognised.update(other.recognised)
        self.findings.update(other.findings)

    @property
    def at_standard(self) -> int:
        return sum(self.recognised[level] for level in STANDARD_LEVELS)

    @property
    def standard_ratio(self) -> float | None:
        return self.at_standard / self.institutions if self.institutions else None

    @property
    def recommended_ratio(self) -> float | None:
        return self.recognised["recommended"] / self.institutions if self.institutions else None

    @property
    def targets(self) -> dict[str, float]:
        return targets(self.zone)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "institutions": self.institutions,
            "assessments": self.assessments,
            "by_status": dict(sorted(self.by_status.items())),
            "by_target_level": dict(sorted(self.by_target_level.items())),
            "recognised": dict(sorted(self.recognised.items())),
        }


@dataclass(frozen=True, slots=True)
class OfficerDashboard:
    region: Region | None  # None: national
    year: int | None
    years: tuple[int, ...]
    rows: tuple[RegionProgress, ...]
    direct: RegionProgress | None
    totals: RegionProgress


def _bucket_rows(qs: QuerySet, path_field: str, width: int, *fields: str) -> QuerySet:
    return (
        qs.annotate(bucket=Substr(path_field, 1, width))
        .values("bucket", *fields)
        .annotate(n=Count("pk"))
        .order_by()
    )


def officer_dashboard(
    *, viewer: User, region: Region | None, year: int | None = None
) -> OfficerDashboard:
    """Progress in ``region`` (None: the whole country, for national officers) per
    child region: institutions, assessments of the cycles of ``year`` (default: the
    latest year with a cycle in scope) by status and target level, and active
    recognitions by level, whence the shares at a standard and at 推荐标准, and the
    rectification findings of that year's assessments open, overdue and closed. Six
    queries, whatever the numbers of institutions, regions and findings.

    Each row carries its zone (a province's, from its code), whence its targets.

    Raises ``PermissionDenied`` unless ``viewer`` may see figures for the region
    (the whole country: national officers and administrators)."""
    require(viewer, Action.REGION_REPORT, region)
    if region is None:
        prefix = ""
        name, code, level = "", "", ""
    else:
        prefix, name, code, level = region.path, region.name, region.code, region.level
    zone = zone_of(prefix.split("/", 1)[0]) if prefix else "national"
    children = list(Region.objects.filter(parent=region).order_by("code"))
    cycles = Cycle.objects.all()
    if prefix:
        cycles = cycles.filter(province__path=prefix.split("/", 1)[0] + "/")
    years = tuple(cycles.order_by("-year").values_list("year", flat=True).distinct())
    if year is None and years:
        year = years[0]
    rows = {
        c.path: RegionProgress(c.pk, c.code, c.name, c.level, zone if prefix else zone_of(c.code))
        for c in children  # a region's children share one code length
    }
    direct = RegionProgress(region.pk if region else None, code, name, level, zone)
    width = len(prefix) + (len(children[0].code) + 1 if children else 0)
    institutions = Institution.objects.all()
    # No cycle yet: nothing to count (a year of None would match no row either).
    assessments = Assessment.objects.none()
    findings = Finding.objects.none()
    if year is not None:
        assessments = Assessment.objects.filter(cycle__year=year)
        # The findings counted are those of the year's assessments, like the assessments
        # columns and the action plans the row links to.
        findings = Finding.objects.filter(assessment__cycle__year=year)
    recognitions = Recognition.objects.filter(status=Recognition.Status.ACTIVE)
    if prefix:
        institutions = institutions.filter(region__path__startswith=prefix)
        assessments = assessments.filter(institution__region__path__startswith=prefix)
        recognitions = recognitions.filter(institution__region__path__startswith=prefix)
        findings = findings.filter(assessment__institution__region__path__startswith=prefix)
    for row in _bucket_rows(institutions, "region__path", width):
        rows.get(row["bucket"], direct).institutions += row["n"]
    for row in _bucket_rows(
        assessments, "institution__region__path", width, "status", "target_level"
    ):
        target = rows.get(row["bucket"], direct)
        target.assessments += row["n"]
        target.by_status[row["status"]] += row["n"]
        target.by_target_level[row["target_level"]] += row["n"]
    for row in _bucket_rows(recognitions, "institution__region__path", width, "level"):
        rows.get(row["bucket"], direct).recognised[row["level"]] += row["n"]
    counts = finding_counts_q(timezone.localdate())
    finding_rows = (
        findings.annotate(bucket=Substr("assessment__institution__region__path", 1, width))
        .values("bucket")
        .annotate(**{name: Count("pk", filter=q) for name, q in counts.items()})
        .order_by()
    )
    for row in finding_rows:
        figures = cast(dict[str, Any], row)  # the annotated counts are not in the stubs
        target = rows.get(figures["bucket"], direct)
        for name in counts:
            target.findings[name] += figures[name]
    totals = RegionProgress(region.pk if region else None, code, name, level, zone)
    for part in [*rows.values(), direct]:
        totals.add(part)
    has_direct = bool(direct.institutions or direct.assessments)
    return OfficerDashboard(
        region=region,
        year=year,
        years=years,
        rows=tuple(rows.values()),
        direct=direct if has_direct else None,
        totals=totals,
    )


def officer_region_or_none(*, viewer: User, region_id: int | None) -> Region | None:
    """The region a dashboard shows: ``region_id`` when it is the officer's region or
    lies below it, else the officer's own region (None for national officers). Raises
    ``Region.DoesNotExist`` for an id outside the officer's region."""
    if region_id is None:
        return viewer.region if viewer.region_id else None
    in_scope = user_scope(viewer).path_q("path")
    regions = Region.objects.none() if in_scope is None else Region.objects.filter(in_scope)
    return regions.get(pk=region_id)


# --- Work lists -----------------------------------------------------------------------


def officer_steps(*, viewer: User, step: Step) -> list[InboxRow]:
    """The viewer's open ``step`` tasks (``Step.ASSIGN_PANEL``, ``DECIDE``,
    ``AWAIT_NOTICE``, ``IN_NOTICE``) at their level in their region. One query."""
    return [row for row in task_inbox(user=viewer) if row.step == step]


@dataclass(frozen=True, slots=True)
class PendingDecision:
    task: InboxRow
    assessment: Assessment
    result: AssessmentResult | None


def decisions_pending(*, viewer: User) -> list[PendingDecision]:
    """Assessments whose decision the viewer may take, with their latest computed
    result (level, reasons, agreement). Three queries."""
    tasks = officer_steps(viewer=viewer, step=Step.DECIDE)
    ids = [t.assessment_id for t in tasks]
    assessments = {
        a.pk: a
        for a in assessments_visible_to(viewer)
        .filter(pk__in=ids)
        .select_related("cycle", "institution__region")
    }
    results: dict[int, AssessmentResult] = {}
    for result in AssessmentResult.objects.filter(assessment_id__in=ids).order_by("-id"):
        results.setdefault(result.assessment_id, result)
    return [
        PendingDecision(t, assessments[t.assessment_id], results.get(t.assessment_id))
        for t in tasks
        if t.assessment_id in assessments
    ]

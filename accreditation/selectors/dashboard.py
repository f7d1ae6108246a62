"""Dashboard figures: institutions and assessments per child region, by status and by
level, in a constant number of queries whatever the number of institutions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils import timezone

from accreditation.models import Assessment, Cycle, Finding, Institution, Region, User
from accreditation.permissions import Action, require
from accreditation.selectors.findings import finding_counts_q


@dataclass(slots=True)
class RegionFigures:
    """Counts for one region (a child of the dashboard's region, or the institutions
    registered directly at the dashboard's region itself)."""

    code: str
    name: str
    level: str
    institutions: int = 0
    assessments: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_target_level: Counter = field(default_factory=Counter)
    #: Rectification findings: ``open`` (unresolved), ``overdue``, ``closed``.
    findings: Counter = field(default_factory=Counter)

    def add(self, other: RegionFigures) -> None:
        self.institutions += other.institutions
        self.assessments += other.assessments
        self.by_status.update(other.by_status)
        self.by_target_level.update(other.by_target_level)
        self.findings.update(other.findings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "institutions": self.institutions,
            "assessments": self.assessments,
            "by_status": dict(sorted(self.by_status.items())),
            "by_target_level": dict(sorted(self.by_target_level.items())),
            "findings": {k: self.findings[k] for k in ("open", "overdue", "closed")},
        }


@dataclass(frozen=True, slots=True)
class RegionDashboard:
    region: Region
    cycle: Cycle | None
    totals: RegionFigures
    children: tuple[RegionFigures, ...]
    direct: RegionFigures | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": {
                "code": self.region.code,
                "name": self.region.name,
                "level": self.region.level,
            },
            "cycle": self.cycle.pk if self.cycle else None,
            "totals": self.totals.as_dict(),
            "children": [child.as_dict() for child in self.children],
            "direct": self.direct.as_dict() if self.direct else None,
        }


def region_dashboard(
    *, viewer: User, region: Region, cycle: Cycle | None = None
) -> RegionDashboard:
    """Institutions and assessments (optionally of one cycle) in ``region``, per child
    region, by status and by target level, and the rectification findings open, overdue
    and closed; institutions registered at ``region`` itself are counted under
    ``direct``. Four queries, whatever the numbers.

    Children are told apart by the path prefix one division code long; the children of
    one region share a code length (6 digits down to counties, 9 for townships).

    Raises ``PermissionDenied`` unless ``viewer`` may see figures for the region
    (administrators, and county reviewers and officers whose region covers it)."""
    require(viewer, Action.DASHBOARD_VIEW, region)
    children = list(Region.objects.filter(parent=region).order_by("code"))
    figures = {child.path: RegionFigures(child.code, child.name, child.level) for child in children}
    direct = RegionFigures(region.code, region.name, region.level)
    width = len(region.path) + (len(children[0].code) + 1 if children else 0)
    institutions = (
        Institution.objects.filter(region__path__startswith=region.path)
        .annotate(bucket=Substr("region__path", 1, width))
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assessments = Assessment.objects.filter(institution__region__path__startswith=region.path)
    if cycle is not None:
        assessments = assessments.filter(cycle=cycle)
    assessment_rows = (
        assessments.annotate(bucket=Substr("institution__region__path", 1, width))
        .values("bucket", "status", "target_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    findings = Finding.objects.filter(assessment__institution__region__path__startswith=region.path)
    if cycle is not None:
        findings = findings.filter(assessment__cycle=cycle)
    counts = finding_counts_q(timezone.localdate())
    finding_rows = (
        findings.annotate(bucket=Substr("assessment__institution__region__path", 1, width))
        .values("bucket")
        .annotate(**{name: Count("pk", filter=q) for name, q in counts.items()})
        .order_by()
    )
    for finding_row in finding_rows:
        row_counts: dict[str, Any] = dict(finding_row)
        target = figures.get(row_counts["bucket"], direct)
        for name in counts:
            target.findings[name] += row_counts[name]
    for row in institutions:
        figures.get(row["bucket"], direct).institutions += row["n"]
    for row in assessment_rows:
        target = figures.get(row["bucket"], direct)
        target.assessments += row["n"]
        target.by_status[row["status"]] += row["n"]
        target.by_target_level[row["target_level"]] += row["n"]
    totals = RegionFigures(region.code, region.name, region.level)
    for part in [*figures.values(), direct]:
        totals.add(part)
    return RegionDashboard(
        region=region,
        cycle=cycle,
        totals=totals,
        children=tuple(figures.values()),
        direct=direct if direct.institutions or direct.assessments else None,
    )

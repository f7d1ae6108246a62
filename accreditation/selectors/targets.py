"""Progress against the campaign's policy targets: the share of institutions with an
active recognition at 基本标准 or above ("reaching a standard") and at 推荐标准, per
child region. One query on top of the region dashboard's."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Substr

from accreditation.conf import setting
from accreditation.models import Recognition, Region
from accreditation.selectors.dashboard import RegionDashboard, RegionFigures

#: Levels that count as "reaching a standard" (达到服务能力标准).
STANDARD_LEVELS = ("basic", "recommended")


@dataclass(frozen=True, slots=True)
class TargetRow:
    code: str
    name: str
    institutions: int
    recognised: dict[str, int]

    @property
    def standard(self) -> int:
        return sum(self.recognised.get(level, 0) for level in STANDARD_LEVELS)

    @property
    def recommended(self) -> int:
        return self.recognised.get("recommended", 0)

    @property
    def standard_share(self) -> float:
        return self.standard / self.institutions if self.institutions else 0.0

    @property
    def recommended_share(self) -> float:
        return self.recommended / self.institutions if self.institutions else 0.0


def policy_targets() -> tuple[float, float]:
    """(share reaching a standard, share at 推荐), from ``ACCREDITATION["POLICY_TARGETS"]``."""
    targets = setting("POLICY_TARGETS")
    return float(targets["standard"]), float(targets["recommended"])


def target_rows(*, dashboard: RegionDashboard) -> tuple[TargetRow, list[TargetRow]]:
    """The region's totals and one row per child region (the dashboard's children,
    same order), counting active recognitions by level. One query."""
    region: Region = dashboard.region
    children = list(
        Region.objects.filter(parent=region).order_by("code").values_list("path", "code")
    )
    width = len(region.path) + (len(children[0][1]) + 1 if children else 0)
    counts: dict[str, Counter] = {}
    rows = (
        Recognition.objects.filter(
            status=Recognition.Status.ACTIVE, institution__region__path__startswith=region.path
        )
        .annotate(bucket=Substr("institution__region__path", 1, width))
        .values("bucket", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total: Counter = Counter()
    for row in rows:
        counts.setdefault(row["bucket"], Counter())[row["level"]] += row["n"]
        total[row["level"]] += row["n"]
    by_code = {code: path for path, code in children}

    def make(figures: RegionFigures, recognised: Counter) -> TargetRow:
        return TargetRow(figures.code, figures.name, figures.institutions, dict(recognised))

    child_rows = [
        make(child, counts.get(by_code.get(child.code, ""), Counter()))
        for child in dashboard.children
    ]
    return make(dashboard.totals, total), child_rows

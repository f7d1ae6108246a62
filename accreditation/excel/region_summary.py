"""The region summary (sheet 地区汇总): per child region, institutions, assessments by
status and by declared level, recognitions by level and the shares reaching a standard
and 推荐标准 against the targets. Pure.

"Reaching a standard" counts recognitions at 基本标准 or 推荐标准 (合格 is a pass, not
a standard); shares are of all institutions in the region.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from accreditation.excel.labels import LEVEL_LABELS, STATUS_LABELS
from accreditation.excel.writing import add_table, new_workbook, workbook_bytes

SHEET = "地区汇总"
LEVELS = ("qualified", "basic", "recommended")
STANDARD_LEVELS = ("basic", "recommended")


@dataclass(frozen=True, slots=True)
class Targets:
    """Shares of institutions to reach a standard and 推荐标准 (editable settings)."""

    standard: float
    recommended: float
    basis: str = ""


@dataclass(frozen=True, slots=True)
class RegionRow:
    code: str
    name: str
    institutions: int = 0
    health_centres: int = 0
    community_centres: int = 0
    assessments: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_target: dict[str, int] = field(default_factory=dict)
    #: Active recognitions by level; None when recognitions are not tracked.
    recognised: dict[str, int] | None = None

    @property
    def standard_share(self) -> float | None:
        if self.recognised is None or not self.institutions:
            return None
        return sum(self.recognised.get(lv, 0) for lv in STANDARD_LEVELS) / self.institutions

    @property
    def recommended_share(self) -> float | None:
        if self.recognised is None or not self.institutions:
            return None
        return self.recognised.get("recommended", 0) / self.institutions


@dataclass(frozen=True, slots=True)
class RegionSummary:
    region: str
    year: int
    generated_on: dt.date
    rows: tuple[RegionRow, ...]
    total: RegionRow
    targets: Targets
    statuses: tuple[str, ...] = tuple(STATUS_LABELS)

    @property
    def tracks_recognitions(self) -> bool:
        return self.total.recognised is not None


def _met(share: float | None, target: float) -> str:
    if share is None:
        return ""
    return "是" if share >= target else "否"


def write(data: RegionSummary) -> bytes:
    headers = ["区划代码", "地区", "机构数", "卫生院", "社区卫生服务中心", "参评数"]
    headers += [STATUS_LABELS[s] for s in data.statuses]
    headers += [f"申报{LEVEL_LABELS[lv]}" for lv in LEVELS]
    percent: list[int] = []
    if data.tracks_recognitions:
        headers += [f"认定{LEVEL_LABELS[lv]}" for lv in LEVELS]
        start = len(headers)
        headers += ["达标占比", "达标目标", "达标是否达到", "推荐占比", "推荐目标", "推荐是否达到"]
        percent = [start, start + 1, start + 3, start + 4]

    def cells(row: RegionRow) -> list[object]:
        out: list[object] = [
            row.code,
            row.name,
            row.institutions,
            row.health_centres,
            row.community_centres,
            row.assessments,
        ]
        out += [row.by_status.get(s, 0) for s in data.statuses]
        out += [row.by_target.get(lv, 0) for lv in LEVELS]
        if data.tracks_recognitions:
            recognised = row.recognised or {}
            out += [recognised.get(lv, 0) for lv in LEVELS]
            out += [
                row.standard_share,
                data.targets.standard,
                _met(row.standard_share, data.targets.standard),
                row.recommended_share,
                data.targets.recommended,
                _met(row.recommended_share, data.targets.recommended),
            ]
        return out

    caption = [
        f"{data.year} 年度 {data.region} 优质服务基层行汇总表",
        f"生成日期：{data.generated_on.isoformat()}",
    ]
    if data.tracks_recognitions:
        caption.append(
            f"目标：达到基本标准及以上 {data.targets.standard:.0%}，"
            f"推荐标准 {data.targets.recommended:.0%}（{data.targets.basis}）"
        )
    workbook = new_workbook()
    add_table(
        workbook,
        SHEET,
        headers,
        [*(cells(row) for row in data.rows), cells(data.total)],
        widths=[12, 20, *[10] * (len(headers) - 2)],
        caption=caption,
        percent_columns=percent,
    )
    return workbook_bytes(workbook)

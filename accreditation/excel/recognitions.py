"""The recognition list by region (认定名单): every recognition of a region, grouped by
its child regions, and the counts per child region and level. Pure."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from accreditation.excel.labels import KIND_LABELS, LEVEL_LABELS
from accreditation.excel.labels import label as _label
from accreditation.excel.writing import add_table, new_workbook, workbook_bytes

SHEET = "认定名单"
COUNTS_SHEET = "按地区统计"
LEVELS = ("qualified", "basic", "recommended")
RECOGNITION_STATUS_LABELS: dict[str, str] = {
    "active": "有效",
    "downgraded": "已降级",
    "revoked": "已撤销",
    "superseded": "已被新认定替代",
}


@dataclass(frozen=True, slots=True)
class RecognitionRow:
    group: str  # the child region the institution lies in (the grouping key)
    region: str  # the institution's own region, full name below the report's region
    institution_name: str
    institution_kind: str
    licence_number: str
    level: str
    recognised_on: dt.date
    valid_until: dt.date
    document_number: str
    certificate_number: str
    status: str


@dataclass(frozen=True, slots=True)
class RecognitionList:
    region: str
    year: int | None
    generated_on: dt.date
    #: Sorted by group, then level (highest first), then institution name.
    rows: tuple[RecognitionRow, ...]


def write(data: RecognitionList) -> bytes:
    workbook = new_workbook()
    period = f"{data.year} 年度" if data.year else "历年"
    add_table(
        workbook,
        SHEET,
        [
            "序号",
            "地区",
            "所在地区",
            "机构名称",
            "机构类型",
            "执业许可证登记号",
            "认定等级",
            "认定日期",
            "有效期至",
            "认定文号",
            "证书编号",
            "状态",
        ],
        [
            (
                n,
                row.group,
                row.region,
                row.institution_name,
                _label(KIND_LABELS, row.institution_kind),
                row.licence_number,
                _label(LEVEL_LABELS, row.level),
                row.recognised_on,
                row.valid_until,
                row.document_number,
                row.certificate_number,
                _label(RECOGNITION_STATUS_LABELS, row.status),
            )
            for n, row in enumerate(data.rows, 1)
        ],
        widths=[6, 14, 22, 34, 16, 28, 12, 12, 12, 24, 24, 14],
        caption=[
            f"{data.region}{period}优质服务基层行认定名单",
            f"生成日期：{data.generated_on.isoformat()}",
        ],
    )
    counts: dict[str, Counter[str]] = {}
    for row in data.rows:
        if row.status == "active":
            counts.setdefault(row.group, Counter())[row.level] += 1
    table = [
        (group, *(tally[lv] for lv in LEVELS), sum(tally.values()))
        for group, tally in counts.items()
    ]
    totals: Counter[str] = Counter()
    for tally in counts.values():
        totals.update(tally)
    table.append(("合计", *(totals[lv] for lv in LEVELS), sum(totals.values())))
    add_table(
        workbook,
        COUNTS_SHEET,
        ["地区", *(LEVEL_LABELS[lv] for lv in LEVELS), "合计"],
        table,
        widths=[18, 10, 10, 10, 10],
        caption=[f"{data.region}{period}有效认定数（按地区、等级）"],
    )
    return workbook_bytes(workbook)

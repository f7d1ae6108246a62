"""The public-notice list (公示名单): one notice's entries. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accreditation.excel.labels import KIND_LABELS, LEVEL_LABELS
from accreditation.excel.labels import label as _label
from accreditation.excel.writing import add_table, new_workbook, workbook_bytes

SHEET = "公示名单"
HEADERS = (
    "序号",
    "所在地区",
    "机构名称",
    "机构类型",
    "执业许可证登记号",
    "拟认定等级",
    "状态",
    "异议数",
)
ENTRY_STATUS_LABELS: dict[str, str] = {
    "listed": "公示中",
    "withdrawn": "已撤回（异议成立）",
    "recognised": "已认定",
}


@dataclass(frozen=True, slots=True)
class NoticeEntryRow:
    region: str
    institution_name: str
    institution_kind: str
    licence_number: str
    level: str
    status: str
    objections: int = 0


@dataclass(frozen=True, slots=True)
class NoticeList:
    title: str
    document_number: str
    issuing_region: str
    starts_on: dt.date
    ends_on: dt.date
    rows: tuple[NoticeEntryRow, ...]


def write(data: NoticeList) -> bytes:
    """One row per entry, numbered, in the order given."""
    workbook = new_workbook()
    caption = [
        data.title or f"{data.issuing_region}优质服务基层行拟认定名单公示",
        f"文号：{data.document_number}　发布单位：{data.issuing_region}",
        f"公示期：{data.starts_on.isoformat()} 至 {data.ends_on.isoformat()}",
    ]
    add_table(
        workbook,
        SHEET,
        [
            "序号",
            "所在地区",
            "机构名称",
            "机构类型",
            "执业许可证登记号",
            "拟认定等级",
            "状态",
            "异议数",
        ],
        [
            (
                n,
                row.region,
                row.institution_name,
                _label(KIND_LABELS, row.institution_kind),
                row.licence_number,
                _label(LEVEL_LABELS, row.level),
                _label(ENTRY_STATUS_LABELS, row.status),
                row.objections,
            )
            for n, row in enumerate(data.rows, 1)
        ],
        widths=[6, 24, 34, 16, 28, 12, 18, 8],
        caption=caption,
    )
    return workbook_bytes(workbook)

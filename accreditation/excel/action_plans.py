"""A region's rectification action plans (整改台账): one row per finding with its latest
plan. Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accreditation.excel.labels import FINDING_SOURCE_LABELS, FINDING_STATUS_LABELS
from accreditation.excel.writing import add_table, new_workbook, workbook_bytes

SHEET = "整改台账"
HEADERS = (
    "序号",
    "所在地区",
    "机构名称",
    "年度",
    "条款",
    "来源",
    "问题描述",
    "现等级",
    "要求等级",
    "状态",
    "下一步截止日期",
    "是否逾期",
    "原因分析",
    "整改措施",
    "责任人",
    "完成期限",
    "计划审核",
)
PLAN_LABELS: dict[str, str] = {"pending": "待审核", "accepted": "已通过", "returned": "已退回"}
GRADE_LABELS: dict[str, str] = {"": "", "none": "未达标", "NA": "不适用"}


@dataclass(frozen=True, slots=True)
class ActionPlanRow:
    region: str
    institution_name: str
    year: int
    item_code: str
    source: str
    description: str
    current_grade: str
    required_grade: str
    status: str
    due_on: dt.date
    overdue: bool
    root_cause: str = ""
    actions: str = ""
    owner: str = ""
    plan_due_on: dt.date | None = None
    plan_outcome: str = ""


@dataclass(frozen=True, slots=True)
class ActionPlans:
    region: str
    on: dt.date
    rows: tuple[ActionPlanRow, ...]


def write(data: ActionPlans) -> bytes:
    """One row per finding, numbered, in the order given; texts that a spreadsheet
    would run as formulas are neutralised by ``add_table``."""
    workbook = new_workbook()
    add_table(
        workbook,
        SHEET,
        list(HEADERS),
        [
            (
                n,
                row.region,
                row.institution_name,
                row.year,
                row.item_code or "（整体）",
                FINDING_SOURCE_LABELS.get(row.source, row.source),
                row.description,
                GRADE_LABELS.get(row.current_grade, row.current_grade),
                row.required_grade,
                FINDING_STATUS_LABELS.get(row.status, row.status),
                row.due_on.isoformat(),
                "是" if row.overdue else "否",
                row.root_cause,
                row.actions,
                row.owner,
                row.plan_due_on.isoformat() if row.plan_due_on else "",
                PLAN_LABELS.get(row.plan_outcome, row.plan_outcome),
            )
            for n, row in enumerate(data.rows, 1)
        ],
        widths=[6, 20, 30, 8, 10, 12, 40, 8, 8, 16, 14, 8, 30, 40, 12, 12, 10],
        caption=[f"{data.region}优质服务基层行整改台账（截至 {data.on.isoformat()}）"],
    )
    return workbook_bytes(workbook)

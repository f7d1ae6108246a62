"""Per-item results of one assessment (sheets 概况 and 条款结果). Pure.

The self-assessment columns are always there; the review columns (one per expert,
the final grade and the findings) appear when the data carries them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accreditation.excel.labels import GRADE_LABELS, LEVEL_LABELS, STATUS_LABELS, TIER_LABELS
from accreditation.excel.labels import label as _label
from accreditation.excel.writing import add_table, new_workbook, workbook_bytes

SHEET = "条款结果"
SUMMARY_SHEET = "概况"


@dataclass(frozen=True, slots=True)
class ItemResult:
    chapter: str
    chapter_title: str
    code: str
    title: str
    tier: str
    self_grade: str
    na_reason: str = ""
    metric_value: Decimal | None = None
    note: str = ""
    evidence_count: int = 0
    #: One grade per expert, in the order of ``ItemResults.experts``.
    expert_grades: tuple[str, ...] = ()
    final_grade: str = ""
    findings: str = ""


@dataclass(frozen=True, slots=True)
class ItemResults:
    institution_name: str
    institution_licence: str
    region: str
    cycle: str
    edition: str
    status: str
    target_level: str
    provisional_level: str | None
    rows: tuple[ItemResult, ...]
    #: Column titles of the experts whose grades the rows carry (empty: no review yet).
    experts: tuple[str, ...] = ()
    reviewed: bool = False
    final_level: str | None = None


def write(data: ItemResults) -> bytes:
    """The workbook: a summary sheet, then one row per item in catalogue order."""
    workbook = new_workbook()
    summary = [
        ("机构名称", data.institution_name),
        ("执业许可证登记号", data.institution_licence),
        ("所在地区", data.region),
        ("评价周期", data.cycle),
        ("评价标准", data.edition),
        ("状态", _label(STATUS_LABELS, data.status)),
        ("申报等级", _label(LEVEL_LABELS, data.target_level)),
        ("自评测算等级", _label(LEVEL_LABELS, data.provisional_level)),
    ]
    if data.reviewed:
        summary.append(("评审结果等级", _label(LEVEL_LABELS, data.final_level)))
    add_table(workbook, SUMMARY_SHEET, ["项目", "内容"], summary, widths=[18, 60])
    headers = [
        "章",
        "章名称",
        "条款编号",
        "条款内容",
        "条款类别",
        "自评等级",
        "不适用理由",
        "指标值",
        "自评说明",
        "佐证材料数",
    ]
    headers += [f"专家评分：{name}" for name in data.experts]
    if data.reviewed:
        headers += ["最终等级", "评审意见"]
    rows = []
    for row in data.rows:
        cells: list[object] = [
            row.chapter,
            row.chapter_title,
            row.code,
            row.title,
            _label(TIER_LABELS, row.tier),
            _label(GRADE_LABELS, row.self_grade),
            row.na_reason,
            float(row.metric_value) if row.metric_value is not None else None,
            row.note,
            row.evidence_count,
        ]
        cells += [_label(GRADE_LABELS, g) for g in row.expert_grades]
        if data.reviewed:
            cells += [_label(GRADE_LABELS, row.final_grade), row.findings]
        rows.append(cells)
    widths = [6, 22, 10, 50, 9, 9, 24, 9, 30, 10]
    widths += [14] * len(data.experts) + ([10, 50] if data.reviewed else [])
    add_table(workbook, SHEET, headers, rows, widths=widths)
    return workbook_bytes(workbook)

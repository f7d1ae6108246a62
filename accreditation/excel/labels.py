"""Chinese labels for the codes printed in spreadsheets."""

from __future__ import annotations

GRADE_LABELS: dict[str, str] = {
    "": "未评",
    "none": "未达标",
    "C": "C",
    "B": "B",
    "A": "A",
    "NA": "不适用",
}
TIER_LABELS: dict[str, str] = {"basic": "基本", "recommended": "推荐★"}
LEVEL_LABELS: dict[str, str] = {
    "": "未达到",
    "qualified": "合格",
    "basic": "基本标准",
    "recommended": "推荐标准",
}
STATUS_LABELS: dict[str, str] = {
    "draft": "自评中",
    "submitted": "已提交",
    "county_review": "县级审核中",
    "returned": "退回修改",
    "expert_review": "专家评审中",
    "consolidation": "评审汇总中",
    "decided": "已作出决定",
    "public_notice": "公示中",
    "recognised": "已认定",
    "not_recognised": "未通过",
    "withdrawn": "已撤回",
}
KIND_LABELS: dict[str, str] = {
    "thc": "乡镇卫生院",
    "central_thc": "中心乡镇卫生院",
    "chc": "社区卫生服务中心",
}


FINDING_SOURCE_LABELS: dict[str, str] = {
    "county": "县级审核",
    "panel": "专家组",
    "objection": "公示异议",
    "lookback": "回头看",
    "consistency": "一致性核查",
}
FINDING_STATUS_LABELS: dict[str, str] = {
    "open": "待提交整改计划",
    "plan_submitted": "计划待审核",
    "plan_accepted": "整改中",
    "evidence_submitted": "整改材料待核实",
    "closed": "已销号",
    "withdrawn": "已撤销",
}


def label(mapping: dict[str, str], code: str | None) -> str:
    """The label of ``code``, or the code itself when unknown (never fails)."""
    return mapping.get(code or "", code or "")

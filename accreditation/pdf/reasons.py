"""Chinese reasons for a result, from the engine's structured conditions. Pure.

The scoring engine explains itself in English (``ConditionResult.describe``); a report
prints Chinese built from the structured figures instead: the condition code, the
required and actual shares and counts, and the items holding the level back. The input
is the JSON form of an evaluation (``Evaluation.as_dict()``, as stored with a result),
so a report can be printed again years later from what was stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from accreditation.pdf.data import LEVEL_LABELS
from standards.scoring.types import LEVEL_RANK

#: Condition code -> what the share counts.
SHARE_LABELS: dict[str, str] = {
    "basic_C": "基本条款 C 级及以上",
    "basic_B": "基本条款 B 级及以上",
    "basic_A": "基本条款 A 级",
    "recommended_C": "推荐条款 C 级及以上",
}
#: Condition code -> the grade the holding items are below.
BELOW: dict[str, str] = {"basic_C": "C", "basic_B": "B", "basic_A": "A", "recommended_C": "C"}
FACT_LABELS: dict[str, tuple[str, str]] = {
    "medical_staff": ("卫生技术人员", "人"),
    "service_population": ("服务人口", "人"),
    "beds": ("床位", "张"),
    "inpatient_ward": ("设置病房", ""),
}
OPERATORS: dict[str, str] = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
#: How many item codes a reason lists before "等 N 项".
MAX_ITEMS = 12


def percent(share: float) -> str:
    """``0.6`` -> ``60%``, ``0.525`` -> ``52.5%``."""
    text = f"{share * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _items(codes: Sequence[str]) -> str:
    shown = "、".join(codes[:MAX_ITEMS])
    return shown + (f" 等 {len(codes)} 项" if len(codes) > MAX_ITEMS else "")


def _value(fact: str, value: Any) -> str:
    if isinstance(value, bool) or fact == "inpatient_ward":
        return "是" if value else "否"
    return f"{value:,}" if isinstance(value, int) else str(value)


def eligibility_text(
    conditions: Sequence[Mapping[str, Any]], facts: Mapping[str, Any], combine: str = "all"
) -> str:
    """``卫生技术人员 40 人（须 < 10）且服务人口 30,000 人（须 < 10,000）``."""
    parts = []
    for cond in conditions:
        fact = cond["fact"]
        label, unit = FACT_LABELS.get(fact, (fact, ""))
        actual = facts.get(fact)
        suffix = f" {unit}" if unit else ""
        shown = "未申报" if actual is None else f"{_value(fact, actual)}{suffix}"
        op = OPERATORS.get(cond["op"], cond["op"])
        parts.append(f"{label} {shown}（须 {op} {_value(fact, cond['value'])}）")
    return ("且" if combine == "all" else "或").join(parts)


def condition_reason(
    condition: Mapping[str, Any],
    *,
    eligibility: Mapping[str, Any] | None = None,
    facts: Mapping[str, Any] | None = None,
) -> str:
    """One failed condition as a Chinese sentence (without the level). ``eligibility``
    is the level's rule (``conditions`` and ``combine``) for an eligibility failure."""
    code = condition.get("condition") or condition.get("code", "")
    items = list(condition.get("items") or ())
    if code in SHARE_LABELS:
        text = (
            f"{SHARE_LABELS[code]}条款占比 {percent(condition.get('actual', 0))}，"
            f"低于要求的 {percent(condition.get('required', 0))}"
            f"（{condition.get('actual_count', 0)}/{condition.get('denominator', 0)} 项，"
            f"需 {condition.get('required_count', 0)} 项）"
        )
        if items:
            text += f"；未达 {BELOW[code]} 级的条款：{_items(items)}"
        return text
    if code == "must_pass":
        return f"必达条款未达到要求等级：{_items(items)}" if items else "必达条款未达到要求等级"
    if code == "eligibility":
        if eligibility and eligibility.get("conditions"):
            detail = eligibility_text(
                eligibility["conditions"], facts or {}, eligibility.get("combine", "all")
            )
            return f"不符合该等级的申请条件：{detail}"
        return "不符合该等级的申请条件"
    return "未满足判定规则的条件"


def result_reasons(
    evaluation: Mapping[str, Any],
    *,
    eligibility: Mapping[str, Mapping[str, Any]] | None = None,
    facts: Mapping[str, Any] | None = None,
) -> tuple[str, ...]:
    """Why each level above the result was not reached, one line per failed condition
    (a share condition repeated by a level that includes a lower one is said once),
    e.g. ``推荐标准：基本条款 B 级及以上条款占比 52%，低于要求的 60%（…）``.
    ``evaluation`` is ``Evaluation.as_dict()``; ``eligibility`` maps a level to its
    rule's eligibility (``conditions``, ``combine``)."""
    reached = evaluation.get("level")
    rank = LEVEL_RANK[reached] if reached else -1
    lines = []
    seen: set[tuple[Any, ...]] = set()
    for level in evaluation.get("levels", ()):
        if LEVEL_RANK.get(level["level"], -1) <= rank:
            continue
        label = LEVEL_LABELS.get(level["level"], level["level"])
        for condition in level.get("conditions", ()):
            if condition.get("passed"):
                continue
            code = condition.get("condition") or condition.get("code", "")
            if code in SHARE_LABELS:
                # A level that includes a lower one repeats its conditions: say it once.
                key = (code, condition.get("required"), condition.get("denominator"))
                if key in seen:
                    continue
                seen.add(key)
            reason = condition_reason(
                condition, eligibility=(eligibility or {}).get(level["level"]), facts=facts
            )
            lines.append(f"{label}：{reason}")
    return tuple(lines)


_GAP_REASONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"needs (\d+) more items at C or better, only (\d+) can rise"),
        "还需 {0} 个基本条款达到 C 级及以上，但只有 {1} 个条款可以提升",
    ),
    (
        re.compile(r"needs (\d+) more items at B or better; not enough can rise"),
        "还需 {0} 个基本条款达到 B 级及以上，可提升的条款不足",
    ),
    (
        re.compile(r"needs (\d+) more items at A; not enough can rise"),
        "还需 {0} 个基本条款达到 A 级，可提升的条款不足",
    ),
    (
        re.compile(r"needs (\d+) more recommended-tier items at C, only (\d+) can rise"),
        "还需 {0} 个推荐条款达到 C 级及以上，但只有 {1} 个条款可以提升",
    ),
    (
        re.compile(r"no combination of upgrades reaches the shares"),
        "任何条款提升组合都达不到要求的占比",
    ),
)
_NOT_ELIGIBLE = re.compile(r"not eligible for (\w+)")


def gap_reason(text: str) -> str:
    """The gap planner's reason (English, free text) in Chinese; known sentences are
    translated with their figures, anything else becomes a generic sentence."""
    if not text:
        return ""
    match = _NOT_ELIGIBLE.fullmatch(text.strip())
    if match:
        return f"不符合{LEVEL_LABELS.get(match.group(1), match.group(1))}的申请条件"
    for pattern, template in _GAP_REASONS:
        match = pattern.fullmatch(text.strip())
        if match:
            return template.format(*match.groups())
    return "现有条款无法达到该等级"

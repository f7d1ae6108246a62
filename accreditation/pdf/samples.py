"""Plausible sample inputs for the benchmark, the tests and eyeballing the layout.

Not fixtures of real institutions: every name and number here is made up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from accreditation.pdf.data import (
    CertificateData,
    CertificateFields,
    ChapterRow,
    FactRow,
    GapRow,
    GapSection,
    ItemRow,
    ReportData,
)
from accreditation.pdf.verification import certificate_code

SAMPLE_SECRET = b"sample-secret-for-tests-and-bench-only"
CHAPTERS: tuple[tuple[str, str], ...] = (
    ("1", "功能任务与资源配置"),
    ("2", "基本医疗和公共卫生服务"),
    ("3", "业务管理"),
    ("4", "综合管理"),
)
_TOPICS = (
    "科室设置", "人员配备", "床位与病房", "房屋建筑", "设备配置", "门诊服务", "住院服务",
    "慢病管理", "预防接种", "医疗质量安全", "院感防控", "药事管理", "信息化建设", "财务管理",
)  # fmt: skip
_FINDINGS = (
    "",
    "制度文件齐全，执行记录完整。",
    "部分记录缺少负责人签字，需补充完善。",
    "现场查看设备运行正常，维护记录不全。",
    "自评材料与现场情况不符，按现场情况评定。",
)
_GRADES = ("A", "B", "C", "B", "none", "A", "C", "NA")


def sample_fields(**overrides: Any) -> CertificateFields:
    fields = CertificateFields(
        number="YZJC-2026-990102-0042",
        institution_name="示范市示范区青山街道社区卫生服务中心",
        institution_licence="PDY12345-699010212D2112",
        level="recommended",
        cycle_year=2026,
        issuing_body="示范省卫生健康委员会",
        issue_date=date(2026, 11, 3),
        valid_until=date(2029, 11, 2),
        version=1,
    )
    return replace(fields, **overrides)


def sample_certificate(
    *, status: str = "valid", secret: bytes = SAMPLE_SECRET, **overrides: Any
) -> CertificateData:
    fields = sample_fields(**overrides)
    return CertificateData(
        fields=fields,
        verification_code=certificate_code(fields, secret),
        verification_url=f"https://jiceng.example.org/verify/{fields.number}?v={fields.version}",
        status=status,
    )


def sample_items(count: int) -> tuple[ItemRow, ...]:
    """``count`` items spread over the four chapters, about one in ten recommended-tier."""
    items = []
    for n in range(count):
        chapter = CHAPTERS[n * len(CHAPTERS) // count][0]
        self_grade = _GRADES[n % len(_GRADES)]
        review_grade = self_grade if n % 5 else _GRADES[(n + 3) % len(_GRADES)]
        items.append(
            ItemRow(
                code=f"{chapter}.{n // 10 % 9 + 1}.{n % 10 + 1}",
                chapter=chapter,
                title=f"{_TOPICS[n % len(_TOPICS)]}符合服务能力标准要求（第{n + 1}项）",
                tier="recommended" if n % 10 == 9 else "basic",
                self_grade=self_grade,
                review_grade=review_grade,
                finding=_FINDINGS[n % len(_FINDINGS)],
            )
        )
    return tuple(items)


def sample_report(item_count: int = 120) -> ReportData:
    return ReportData(
        reference="PJ-2026-000731",
        institution_name="示范市示范区青山街道社区卫生服务中心",
        institution_licence="PDY12345-699010212D2112",
        institution_kind="社区卫生服务中心",
        region="示范省示范市示范区",
        cycle_year=2026,
        edition="社区卫生服务中心服务能力标准（2022 年版）",
        rule_set="2023 年评价规则 第 3 版（暂行）",
        generated_on=date(2026, 10, 20),
        level="basic",
        reasons=(
            "推荐标准：B 级及以上条款占比 52.0%，低于要求的 60%",
            "推荐标准：推荐条款 C 级及以上占比 40.0%，低于要求的 50%",
        ),
        facts=(
            FactRow("服务人口", "48,300 人"),
            FactRow("卫生技术人员", "86 人"),
            FactRow("床位数", "30 张"),
            FactRow("设置病房", "是"),
        ),
        chapters=(
            ChapterRow("1", "功能任务与资源配置", 22, 21, 14, 6, 1),
            ChapterRow("2", "基本医疗和公共卫生服务", 30, 27, 16, 5),
            ChapterRow("3", "业务管理", 25, 23, 12, 3, 2),
            ChapterRow("4", "综合管理", 20, 19, 9, 2),
        ),
        items=sample_items(item_count),
        gap=GapSection(
            target="recommended",
            reachable=True,
            upgrades=(
                GapRow("2.3.4", "慢病管理符合服务能力标准要求", "C", "B"),
                GapRow("3.1.2", "院感防控符合服务能力标准要求", "C", "B"),
                GapRow("4.2.1", "信息化建设符合服务能力标准要求", "none", "C"),
            ),
        ),
    )

"""Synthetic catalogue documents of any size, for the import benchmark and tests.
The content is made up; only the shape is real."""

from __future__ import annotations

from typing import Any

from standards.importers.types import EDITION_FORMAT, RULESET_FORMAT

REVIEW_METHODS = ("document_review", "site_inspection", "interview", "record_sampling")


def _item(code: str, n: int) -> dict[str, Any]:
    recommended = n % 10 == 0
    quantitative = n % 7 == 0
    item: dict[str, Any] = {
        "code": code,
        "title": f"条款 {code}",
        "tier": "recommended" if recommended else "basic",
        "starred": recommended,
        "kind": "quantitative" if quantitative else "documentary",
        "review_methods": list(REVIEW_METHODS[: 1 + n % 3]),
        "evidence_required": n % 4 != 0,
        "evidence_hint": f"条款 {code} 的佐证材料",
        "criteria": {
            "C": {"text": f"{code} C级要求"},
            "B": {"text": f"{code} 在C级基础上……"},
            "A": {"text": f"{code} 在B级基础上……"},
        },
    }
    if n % 5 == 0:
        item["applicability"] = {"fact": "beds", "op": ">", "value": 0}
    if quantitative:
        item["metric"] = {"code": f"metric_{n}", "label": f"指标 {n}", "unit": "个"}
        for grade, value in (("C", 10), ("B", 20), ("A", 32.5)):
            item["criteria"][grade]["threshold"] = {"op": ">=", "value": value}
    if n % 3 == 0:
        item["criteria"]["B"]["steps"] = [
            {"code": "b-1", "text": "子项一"},
            {"code": "b-2", "text": "子项二"},
        ]
    return item


def sample_edition_document(
    *, code: str, items: int = 100, status: str = "draft", per_section: int = 5
) -> dict[str, Any]:
    """An edition document with ``items`` items in four chapters of ``per_section``-item
    sections; item ``n`` (from 1) is recommended-tier when n % 10 == 0, quantitative
    with thresholds when n % 7 == 0, conditional on beds when n % 5 == 0."""
    sections: list[dict[str, Any]] = []
    for n in range(1, items + 1):
        chapter_no = 1 + (n - 1) * 4 // max(items, 1)
        if (
            not sections
            or len(sections[-1]["items"]) == per_section
            or (sections[-1]["chapter"] != chapter_no)
        ):
            same = [s for s in sections if s["chapter"] == chapter_no]
            sections.append(
                {"chapter": chapter_no, "code": f"{chapter_no}.{len(same) + 1}", "items": []}
            )
        section = sections[-1]
        section["items"].append(_item(f"{section['code']}.{len(section['items']) + 1}", n))
    chapters = []
    for chapter_no in dict.fromkeys(s["chapter"] for s in sections):
        chapters.append(
            {
                "code": str(chapter_no),
                "title": f"第{chapter_no}章",
                "sections": [
                    {"code": s["code"], "title": f"第{s['code']}节", "items": s["items"]}
                    for s in sections
                    if s["chapter"] == chapter_no
                ],
            }
        )
    return {
        "format": EDITION_FORMAT,
        "edition": {
            "code": code,
            "kind": "thc",
            "year": 2022,
            "title": f"合成标准 {code}",
            "status": status,
            "provisional": True,
            "source_note": "synthetic",
        },
        "chapters": chapters,
    }


def sample_ruleset_document(*, edition: str, status: str = "draft") -> dict[str, Any]:
    """Qualified, basic and recommended national rule sets for ``edition``."""
    return {
        "format": RULESET_FORMAT,
        "edition": edition,
        "rule_sets": [
            {
                "level": "qualified",
                "version": 1,
                "status": status,
                "basic_min": {"C": 0.8, "B": 0.2, "A": 0.05},
                "eligibility": {
                    "combine": "all",
                    "conditions": [
                        {"fact": "medical_staff", "op": "<", "value": 10},
                        {"fact": "service_population", "op": "<", "value": 10000},
                    ],
                },
            },
            {
                "level": "basic",
                "version": 1,
                "status": status,
                "provisional": True,
                "basic_min": {"C": 0.9, "B": 0.6, "A": 0.2},
            },
            {
                "level": "recommended",
                "version": 1,
                "status": status,
                "provisional": True,
                "basic_min": {"C": 0.95, "B": 0.8, "A": 0.5},
                "recommended_min_C": 0.6,
                "includes": ["basic"],
            },
        ],
    }

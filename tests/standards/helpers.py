"""Small builders for catalogue files in tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook

from standards.importers.excel import ITEM_COLUMNS

DATA = Path(__file__).parent / "data"
EDITION_YAML = DATA / "THC-TEST.yaml"
RULESET_YAML = DATA / "THC-TEST-rules.yaml"


def edition_doc() -> dict[str, Any]:
    """A fresh copy of the small test edition as a document."""
    return copy.deepcopy(yaml.safe_load(EDITION_YAML.read_text(encoding="utf-8")))


def ruleset_doc() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(RULESET_YAML.read_text(encoding="utf-8")))


def write_yaml(path: Path, document: Any) -> Path:
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), "utf-8")
    return path


def item_row(**values: Any) -> list[Any]:
    """One items-sheet row in ITEM_COLUMNS order; unnamed columns are empty."""
    unknown = set(values) - set(ITEM_COLUMNS)
    assert not unknown, unknown
    return [values.get(name) for name in ITEM_COLUMNS]


def good_item_row(code: str = "1.1.1", **values: Any) -> list[Any]:
    chapter, section = code.split(".")[0], ".".join(code.split(".")[:2])
    row: dict[str, Any] = {
        "chapter_code": chapter,
        "chapter_title": f"章 {chapter}",
        "section_code": section,
        "section_title": f"节 {section}",
        "code": code,
        "title": f"条款 {code}",
        "tier": "basic",
        "starred": False,
        "kind": "documentary",
        "review_methods": "document_review",
        "evidence_required": True,
        "C_text": "C要求",
        "B_text": "B要求",
        "A_text": "A要求",
    }
    row.update(values)
    return item_row(**row)


EDITION_ROWS: list[list[Any]] = [
    ["field", "value"],
    ["code", "THC-XL"],
    ["kind", "thc"],
    ["year", 2022],
    ["title", "Excel 测试标准"],
    ["status", "draft"],
    ["provisional", True],
    ["source_note", ""],
]


def write_xlsx(
    path: Path,
    rows: list[list[Any]],
    *,
    edition_rows: list[list[Any]] | None = None,
    header: list[str] | None = None,
) -> Path:
    workbook = Workbook()
    head = workbook.active
    head.title = "edition"
    for row in edition_rows if edition_rows is not None else EDITION_ROWS:
        head.append(row)
    items = workbook.create_sheet("items")
    items.append(header if header is not None else list(ITEM_COLUMNS))
    for row in rows:
        items.append(row)
    workbook.save(path)
    return path

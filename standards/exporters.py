"""Editions and rule sets written back to the file format of docs/catalogue-format.md
(YAML, JSON, and for editions Excel). Export then import reproduces the same content,
so export -> import -> export is a fixed point in every format.

The ``*_to_document`` functions are pure (dataclasses in, plain dicts out); the
``*_export`` functions read the database through ``standards.selectors``.
"""

from __future__ import annotations

import io
import json
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from standards.importers.excel import EDITION_FIELDS, EDITION_SHEET, ITEM_COLUMNS, ITEMS_SHEET
from standards.importers.types import (
    EDITION_FORMAT,
    GRADES,
    RULESET_FORMAT,
    CriterionData,
    EditionData,
    ItemData,
    RuleSetData,
    RuleSetFileData,
    number_out,
)
from standards.models import Edition
from standards.selectors import edition_document, ruleset_file_document

YAML = "yaml"
JSON = "json"
XLSX = "xlsx"
EDITION_FORMATS = (YAML, JSON, XLSX)
RULESET_FORMATS = (YAML, JSON)


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as the format doc is written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _criterion(crit: CriterionData) -> dict[str, Any]:
    out: dict[str, Any] = {"text": crit.text}
    if crit.threshold is not None:
        out["threshold"] = {"op": crit.threshold.op, "value": number_out(crit.threshold.value)}
    if crit.steps:
        out["steps"] = [{"code": s.code, "text": s.text} for s in crit.steps]
    return out


def _item(item: ItemData) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": item.code,
        "title": item.title,
        "tier": item.tier,
        "starred": item.starred,
        "kind": item.kind,
        "review_methods": list(item.review_methods),
    }
    if item.applicability is not None:
        out["applicability"] = item.applicability.as_dict()
    out["evidence_required"] = item.evidence_required
    out["evidence_hint"] = item.evidence_hint
    if item.metric is not None:
        out["metric"] = {
            "code": item.metric.code,
            "label": item.metric.label,
            "unit": item.metric.unit,
        }
    out["criteria"] = {crit.grade: _criterion(crit) for crit in item.criteria}
    return out


def edition_to_document(data: EditionData) -> dict[str, Any]:
    """An edition in the YAML/JSON file shape, every field written out."""
    return {
        "format": EDITION_FORMAT,
        "edition": {
            "code": data.code,
            "kind": data.kind,
            "year": data.year,
            "title": data.title,
            "status": data.status,
            "provisional": data.provisional,
            "source_note": data.source_note,
        },
        "chapters": [
            {
                "code": ch.code,
                "title": ch.title,
                "sections": [
                    {"code": sec.code, "title": sec.title, "items": [_item(i) for i in sec.items]}
                    for sec in ch.sections
                ],
            }
            for ch in data.chapters
        ],
    }


def _rule_set(rs: RuleSetData) -> dict[str, Any]:
    return {
        "level": rs.level,
        "province_code": rs.province_code,
        "version": rs.version,
        "status": rs.status,
        "provisional": rs.provisional,
        "source_note": rs.source_note,
        "basic_min": {
            "C": number_out(rs.min_basic_c),
            "B": number_out(rs.min_basic_b),
            "A": number_out(rs.min_basic_a),
        },
        "recommended_min_C": (
            None if rs.min_recommended_c is None else number_out(rs.min_recommended_c)
        ),
        "includes": list(rs.includes),
        "na_excluded": rs.na_excluded,
        "eligibility": {
            "combine": rs.eligibility_combine,
            "conditions": [c.as_dict() for c in rs.eligibility],
        },
        "must_pass": [{"item": m.item, "grade": m.grade} for m in rs.must_pass],
    }


def ruleset_file_to_document(data: RuleSetFileData) -> dict[str, Any]:
    """A rule-set file in the YAML/JSON shape."""
    return {
        "format": RULESET_FORMAT,
        "edition": data.edition,
        "rule_sets": [_rule_set(rs) for rs in data.rule_sets],
    }


def dump_yaml(document: dict[str, Any]) -> str:
    return yaml.dump(
        document,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )


def dump_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _cell(sheet: Any, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text


def _item_row(chapter: Any, section: Any, item: ItemData) -> dict[str, Any]:
    row: dict[str, Any] = {
        "chapter_code": chapter.code,
        "chapter_title": chapter.title,
        "section_code": section.code,
        "section_title": section.title,
        "code": item.code,
        "title": item.title,
        "tier": item.tier,
        "starred": item.starred,
        "kind": item.kind,
        "review_methods": ", ".join(item.review_methods),
        "applicability": str(item.applicability) if item.applicability else None,
        "evidence_required": item.evidence_required,
        "evidence_hint": item.evidence_hint or None,
        "metric_code": item.metric.code if item.metric else None,
        "metric_label": item.metric.label if item.metric else None,
        "metric_unit": (item.metric.unit or None) if item.metric else None,
    }
    by_grade = {crit.grade: crit for crit in item.criteria}
    for grade in GRADES:
        crit = by_grade[grade]
        row[f"{grade}_text"] = crit.text
        row[f"{grade}_threshold"] = str(crit.threshold) if crit.threshold else None
        row[f"{grade}_steps"] = "\n".join(f"{s.code}: {s.text}" for s in crit.steps) or None
    return row


def edition_to_workbook(data: EditionData) -> bytes:
    """An edition as the Excel workbook of the format doc (sheets ``edition`` and
    ``items``)."""
    workbook = Workbook()
    head = workbook.active
    assert isinstance(head, Worksheet)  # a new workbook's one sheet
    head.title = EDITION_SHEET
    head.append(["field", "value"])
    for field in EDITION_FIELDS:
        head.append([field, None])
        _cell(head, head.max_row, 2, getattr(data, field))
    head.column_dimensions["A"].width = 14
    head.column_dimensions["B"].width = 60

    sheet = workbook.create_sheet(ITEMS_SHEET)
    sheet.append(list(ITEM_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    row_no = 1
    for chapter in data.chapters:
        for section in chapter.sections:
            for item in section.items:
                row_no += 1
                values = _item_row(chapter, section, item)
                for col, name in enumerate(ITEM_COLUMNS, start=1):
                    _cell(sheet, row_no, col, values[name])
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, name in enumerate(ITEM_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=col).column_letter
        long = name.endswith(("_title", "_text", "_steps", "_hint")) or name == "title"
        sheet.column_dimensions[letter].width = 40 if long else 14
        if long:
            for row in range(2, row_no + 1):
                sheet.cell(row=row, column=col).alignment = wrap
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def edition_export(*, edition: Edition, file_format: str) -> bytes:
    """The stored edition as file content in ``file_format`` (yaml, json or xlsx)."""
    data = edition_document(edition=edition)
    if file_format == XLSX:
        return edition_to_workbook(data)
    document = edition_to_document(data)
    if file_format == JSON:
        return dump_json(document).encode()
    if file_format == YAML:
        return dump_yaml(document).encode()
    raise ValueError(f"unknown format {file_format!r}; use one of {', '.join(EDITION_FORMATS)}")


def ruleset_export(*, edition: Edition, file_format: str) -> bytes:
    """Every rule set of the stored edition as a rule-set file (yaml or json)."""
    document = ruleset_file_to_document(ruleset_file_document(edition=edition))
    if file_format == JSON:
        return dump_json(document).encode()
    if file_format == YAML:
        return dump_yaml(document).encode()
    raise ValueError(f"rule sets export to {' or '.join(RULESET_FORMATS)}, not {file_format!r}")

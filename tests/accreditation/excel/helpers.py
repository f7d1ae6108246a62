"""Workbooks for import tests: valid rows from the format's own writer, or raw cells."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from accreditation.excel.experts import ExpertRow
from accreditation.excel.institutions import COLUMNS as INSTITUTION_COLUMNS
from accreditation.excel.institutions import FactsRow, InstitutionRow

INSTITUTION_HEADERS = [c.header for c in INSTITUTION_COLUMNS]


def raw_workbook(sheet: str, rows: Sequence[Sequence[Any]]) -> bytes:
    """An .xlsx with one sheet holding ``rows`` as given (row 1 = headers)."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def institution(n: int, **overrides: Any) -> InstitutionRow:
    values: dict[str, Any] = {
        "row": n + 1,
        "name": f"导入第{n}卫生院",
        "kind": "thc",
        "licence_number": f"IMP{n:06d}",
        "region_code": "990102",
        "address": f"河口县{n}号",
        "contact_name": "张三",
        "contact_phone": "0571-1234567",
        "contact_email": f"c{n}@example.cn",
        "facts": FactsRow(
            effective_from=dt.date(2026, 1, 1),
            medical_staff=30 + n,
            service_population=20000,
            beds=10,
            inpatient_ward=True,
        ),
    }
    values.update(overrides)
    return InstitutionRow(**values)


def expert(n: int, **overrides: Any) -> ExpertRow:
    values: dict[str, Any] = {
        "row": n + 1,
        "username": f"expert{n}",
        "full_name": f"专家{n}",
        "home_region_code": "990202",
        "employer_licence": "",
        "specialty": "公共卫生",
        "declared_conflicts": (),
        "email": f"e{n}@example.cn",
    }
    values.update(overrides)
    return ExpertRow(**values)

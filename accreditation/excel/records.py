"""The frozen list of records an item's record sampling (病历抽查) draws from (sheet
病历清单): columns, parsing and a template. Pure.

One row per record (a medical record, a prescription, a file), keyed by its number in
the institution's own system; the date and department help the expert find it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from accreditation.excel import reading as r
from accreditation.excel.writing import import_workbook

SHEET = "病历清单"
MAX_ID_CHARS = 64
MAX_DEPARTMENT_CHARS = 100


def record_id(value: Any) -> str:
    result = r.code(value)
    if len(result) > MAX_ID_CHARS:
        raise r.Invalid(
            _("At most %(limit)d characters (this has %(length)d).")
            % {"limit": MAX_ID_CHARS, "length": len(result)}
        )
    return result


def department(value: Any) -> str:
    result = r.text(value)
    if len(result) > MAX_DEPARTMENT_CHARS:
        raise r.Invalid(
            _("At most %(limit)d characters (this has %(length)d).")
            % {"limit": MAX_DEPARTMENT_CHARS, "length": len(result)}
        )
    return result


COLUMNS: tuple[r.Column, ...] = (
    r.Column("record_id", "病历号", record_id, required=True, note="机构系统中的编号，不重复"),
    r.Column("date", "日期", r.date, note="就诊或建档日期"),
    r.Column("department", "科室", department),
)


@dataclass(frozen=True, slots=True)
class RecordRow:
    row: int
    record_id: str
    date: str = ""
    department: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"id": self.record_id, "date": self.date, "department": self.department}


@dataclass
class RecordSheet:
    rows: list[RecordRow]
    table: r.Table


def parse(source: r.Source, *, max_rows: int, max_bytes: int) -> RecordSheet:
    """Read and check the sheet (required numbers, dates, numbers repeated in the
    file). Errors are on ``table.errors``."""
    table = r.read_table(
        source, sheet=SHEET, columns=COLUMNS, max_rows=max_rows, max_bytes=max_bytes
    )
    rows: list[RecordRow] = []
    first_seen: dict[str, int] = {}
    for row in table.rows:
        v = row.values
        number = v["record_id"]
        if number in first_seen:
            table.error(
                row.number,
                "record_id",
                _("Record %(value)s repeats row %(row)d.")
                % {"value": number, "row": first_seen[number]},
            )
            continue
        first_seen[number] = row.number
        rows.append(
            RecordRow(
                row=row.number,
                record_id=number,
                date=v["date"].isoformat() if v["date"] else "",
                department=v["department"] or "",
            )
        )
    return RecordSheet(rows=rows, table=table)


def write(rows: Iterable[RecordRow] = ()) -> bytes:
    """A workbook in the import format: the headers, then ``rows`` (none: a blank
    template), and a sheet 说明 describing each column."""
    return import_workbook(
        SHEET,
        COLUMNS,
        ([row.record_id, row.date, row.department] for row in rows),
        widths=[20, 14, 20],
        header_width=20,
    )

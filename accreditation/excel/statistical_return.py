"""The annual statistical return (年报) sheet: columns, parsing (.xlsx and CSV) and a
template. Pure: no ORM.

One row per institution, identified by its practice-licence number (column
执业许可证登记号). Every fact column of :data:`FACT_DEFINITIONS` is optional; an empty
cell leaves that fact as it is. Columns headed ``指标:<item code>`` (or
``metric:<item code>``) carry metric values of assessment items. The layout is
provisional (see ``accreditation.models.facts``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from accreditation.excel import reading as r
from accreditation.excel.writing import import_workbook
from accreditation.models.facts import FACT_DEFINITIONS

SHEET = "年报"
METRIC_HEADER = re.compile(r"^\s*(?:指标|metric)\s*[:：]\s*(\S+)\s*$", re.IGNORECASE)
MAX_VALUE = Decimal("999999999999")


def number(value: Any) -> Decimal:
    """A number, zero or more, at most two decimals (a formula's text is refused)."""
    if isinstance(value, bool):
        raise r.Invalid(_("Expected a number, zero or more."))
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise r.Invalid(_("%(value)s is not a number.") % {"value": value}) from None
    if not result.is_finite() or result < 0 or result > MAX_VALUE:
        raise r.Invalid(_("%(value)s is not a number, zero or more.") % {"value": value})
    if result != result.quantize(Decimal("0.01")):
        raise r.Invalid(_("%(value)s has more than two decimals.") % {"value": value})
    return result.quantize(Decimal("0.01"))


def whole(value: Any) -> Decimal:
    result = number(value)
    if result != result.to_integral_value():
        raise r.Invalid(_("%(value)s is not a whole number.") % {"value": value})
    return result


BASE_COLUMNS: tuple[r.Column, ...] = (
    r.Column("licence_number", "执业许可证登记号", r.code, required=True, note="机构的唯一代码"),
    r.Column("name", "机构名称", r.text, note="仅供核对，不导入"),
    *(
        r.Column(d.key, d.header, whole if d.integer else number, note="暂定列（provisional）")
        for d in FACT_DEFINITIONS
    ),
)


@dataclass(frozen=True, slots=True)
class ReturnRow:
    row: int
    licence_number: str
    facts: dict[str, Decimal]
    metrics: dict[str, Decimal]


@dataclass
class ReturnSheet:
    rows: list[ReturnRow]
    table: r.Table
    sha256: str
    file_format: str
    #: Item code -> column key of the metric columns found.
    metric_columns: dict[str, str] = field(default_factory=dict)


def _columns(header: Sequence[Any]) -> tuple[list[r.Column], dict[str, str]]:
    columns = list(BASE_COLUMNS)
    metrics: dict[str, str] = {}
    for raw in header:
        match = METRIC_HEADER.match("" if raw is None else str(raw))
        if match and match.group(1) not in metrics:
            key = f"metric:{match.group(1)}"
            metrics[match.group(1)] = key
            columns.append(r.Column(key, str(raw), number))
    return columns, metrics


def _csv_rows(data: bytes) -> list[tuple[Any, ...]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise r.ImportRefused(
            [r.CellError("", 0, "", "", _("The CSV file is not UTF-8 or GB18030 text."))]
        )
    if "\x00" in text:
        raise r.ImportRefused([r.CellError("", 0, "", "", _("Not a CSV text file."))])
    try:
        return [tuple(row) for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise r.ImportRefused(
            [r.CellError("", 0, "", "", _("Not a readable CSV file (%(error)s).") % {"error": exc})]
        ) from exc


def parse(data: bytes, *, file_format: str, max_rows: int, max_bytes: int) -> ReturnSheet:
    """Read and check the return without the database: headers, cell types, required
    cells and licence numbers repeated in the file. ``file_format`` is ``xlsx`` or
    ``csv``. Errors are on ``table.errors``; only clean rows are returned. Raises
    :class:`reading.ImportRefused` for file-level problems (size, not the format, zip
    bomb, missing sheet or required column, too many rows)."""
    if len(data) > max_bytes:
        raise r.ImportRefused(
            [
                r.CellError(
                    "", 0, "", "", _("The file is larger than %(max)d bytes.") % {"max": max_bytes}
                )
            ]
        )
    if not data:
        raise r.ImportRefused([r.CellError("", 0, "", "", _("The file is empty."))])
    sheet_name = SHEET if file_format == "xlsx" else "CSV"
    if file_format == "xlsx":
        workbook = r.open_workbook(data, max_bytes=max_bytes)
        try:
            if SHEET not in workbook.sheetnames:
                found = ", ".join(repr(name) for name in workbook.sheetnames)
                raise r.ImportRefused(
                    [
                        r.CellError(
                            "",
                            0,
                            "",
                            "",
                            _("Sheet %(sheet)r is missing (the file has: %(found)s).")
                            % {"sheet": SHEET, "found": found},
                        )
                    ]
                )
            raw_rows = workbook[SHEET].iter_rows(values_only=True)
            table, metrics = _read(sheet_name, raw_rows, max_rows)
        except r._LAZY_ERRORS as exc:
            raise r.ImportRefused([r._unreadable(exc)]) from exc
        finally:
            workbook.close()
    elif file_format == "csv":
        if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise r.ImportRefused(
                [
                    r.CellError(
                        "",
                        0,
                        "",
                        "",
                        _("This is a spreadsheet, not a CSV file; upload it as .xlsx."),
                    )
                ]
            )
        table, metrics = _read(sheet_name, iter(_csv_rows(data)), max_rows)
    else:
        raise r.ImportRefused([r.CellError("", 0, "", "", _("Upload an .xlsx or .csv file."))])
    rows: list[ReturnRow] = []
    first_seen: dict[str, int] = {}
    for row in table.rows:
        licence = row.values["licence_number"]
        if licence in first_seen:
            table.error(
                row.number,
                "licence_number",
                _("Licence number %(value)s repeats row %(row)d.")
                % {"value": licence, "row": first_seen[licence]},
            )
            continue
        first_seen[licence] = row.number
        facts = {
            d.key: row.values[d.key] for d in FACT_DEFINITIONS if row.values[d.key] is not None
        }
        values = {
            code: row.values[key] for code, key in metrics.items() if row.values[key] is not None
        }
        rows.append(ReturnRow(row=row.number, licence_number=licence, facts=facts, metrics=values))
    return ReturnSheet(
        rows=rows,
        table=table,
        sha256=hashlib.sha256(data).hexdigest(),
        file_format=file_format,
        metric_columns=metrics,
    )


def _read(sheet: str, raw_rows: Any, max_rows: int) -> tuple[r.Table, dict[str, str]]:
    header = tuple(next(raw_rows, ()))
    columns, metrics = _columns(header)
    index, table = r._headers(sheet, header, columns)
    if table.errors:
        raise r.ImportRefused(table.errors)
    data_rows = 0
    max_scanned = 2 * max_rows + 1000
    for number_, values in enumerate(raw_rows, start=2):
        if number_ > max_scanned:
            raise r.ImportRefused(
                [
                    r.CellError(
                        sheet,
                        0,
                        "",
                        "",
                        _("More than %(max)d rows, blank ones included; split the file.")
                        % {"max": max_scanned},
                    )
                ]
            )
        if not any(v is not None and str(v).strip() for v in values):
            continue
        first = values[0] if values else None
        if isinstance(first, str) and first.lstrip().startswith("#"):
            continue
        data_rows += 1
        if data_rows > max_rows:
            raise r.ImportRefused(
                [
                    r.CellError(
                        sheet,
                        0,
                        "",
                        "",
                        _("More than %(max)d data rows; split the file.") % {"max": max_rows},
                    )
                ]
            )
        r._row(table, number_, tuple(values), index, columns)
    return table, metrics


def template() -> bytes:
    """A blank .xlsx template: the headers, and a sheet 说明 describing each column,
    including the ``指标:<item code>`` metric columns."""
    notes = [
        *BASE_COLUMNS,
        r.Column(
            "metric", "指标:<条款编号>", number, note="可选：评审条款的指标值，例如 指标:1.2.1"
        ),
    ]
    return import_workbook(SHEET, notes, [], widths=[24] * len(notes), header_width=24)

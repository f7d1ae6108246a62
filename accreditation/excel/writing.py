"""Building .xlsx files: one styled sheet per table, returned as bytes. Pure."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
TITLE_FONT = Font(bold=True, size=13)
PERCENT = "0.0%"
#: First characters that make a spreadsheet read a cell as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralised(value: Any) -> Any:
    """``value`` safe to put in a cell: text that a spreadsheet could take for a
    formula (``=cmd|' /C calc'!A0``, ``@SUM(...)``, ``-2+3``) gets an apostrophe in front
    and stays text; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def new_workbook() -> Workbook:
    """An empty workbook (its default sheet removed)."""
    workbook = Workbook()
    default = workbook.active  # a new workbook's one sheet
    if default is not None:
        workbook.remove(default)
    return workbook


def add_table(
    workbook: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
    caption: Sequence[str] = (),
    percent_columns: Sequence[int] = (),
) -> Worksheet:
    """Append sheet ``title``: optional caption lines, then a bold frozen header row
    with a filter, then ``rows`` (text that could read as a formula neutralised, see
    :func:`neutralised`). ``percent_columns`` (0-based) are formatted as
    percentages. Returns the sheet."""
    sheet = workbook.create_sheet(title)
    for n, line in enumerate(caption):
        sheet.append([neutralised(line)])
        if n == 0:
            sheet.cell(row=1, column=1).font = TITLE_FONT
    if caption:
        sheet.append([])
    header_row = sheet.max_row + 1 if caption else 1
    sheet.append(list(headers))
    for col in range(1, len(headers) + 1):
        cell = sheet.cell(row=header_row, column=col)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([neutralised(value) for value in row])
    last = sheet.max_row
    for col in percent_columns:
        letter = get_column_letter(col + 1)
        for (cell,) in sheet[f"{letter}{header_row + 1}:{letter}{max(last, header_row + 1)}"]:
            cell.number_format = PERCENT
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if last > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{last}"
    for i, header in enumerate(headers):
        width = widths[i] if widths and i < len(widths) else max(8, 2 * len(header) + 2)
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    return sheet


def import_workbook(
    sheet: str,
    columns: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int],
    header_width: int,
) -> bytes:
    """A workbook in an import format: sheet ``sheet`` with the ``columns``' headers,
    then ``rows`` (none: a blank template), and a sheet 说明 describing each column
    (its header, whether required, its note; ``reading.Column``)."""
    workbook = new_workbook()
    add_table(workbook, sheet, [c.header for c in columns], rows, widths=widths)
    add_table(
        workbook,
        "说明",
        ["列标题", "必填", "说明"],
        [(c.header, "是" if c.required else "", c.note) for c in columns],
        widths=[header_width, 8, 60],
    )
    return workbook_bytes(workbook)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

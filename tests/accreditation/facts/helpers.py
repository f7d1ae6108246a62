"""Statistical-return files for the tests, in .xlsx and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

HEADERS = ["执业许可证登记号", "机构名称", "实有床位数", "卫生技术人员数", "服务人口数"]


def xlsx(rows: Sequence[Sequence[object]], headers: Sequence[str] = HEADERS, sheet="年报") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: Sequence[Sequence[object]], headers: Sequence[str] = HEADERS, encoding="utf-8-sig"
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode(encoding)

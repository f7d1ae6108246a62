"""Reading one sheet of an .xlsx upload into typed rows, every problem located.

Pure: no ORM. :func:`read_table` opens the workbook (refusing files that are too
large, not .xlsx, or lack the sheet or its required headers), maps headers to column
specs, converts every cell with its column's parser and returns the rows it could
read together with every :class:`CellError` found. It never stops at the first bad
row: callers report all problems at once and write nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import ParseError

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from accreditation.core.errors import DomainError
from accreditation.core.files import zip_expansion_problem

Source = bytes | str | os.PathLike[str] | IO[bytes]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and other OLE documents)
_SPLIT = re.compile(r"[,，;；、\s]+")
_DATE_TEXT = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")


@dataclass(frozen=True, slots=True)
class CellError:
    """One problem: where (sheet, 1-based row, column letter and header) and why.
    ``row`` 0 and an empty ``column`` mean the whole file or the whole sheet."""

    sheet: str
    row: int
    column: str
    header: str
    reason: str

    def __str__(self) -> str:
        where = f"sheet '{self.sheet}'" if self.sheet else "file"
        if self.row:
            where += f" row {self.row}"
        if self.column or self.header:
            where += f" column {self.column}" if self.column else " column"
            if self.header:
                where += f" ({self.header})"
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "reason": self.reason,
        }


class ImportRefused(DomainError):
    """A spreadsheet import refused; nothing was written. ``errors`` lists every
    problem in sheet and row order."""

    code = "import_refused"
    status = 400  # bad input, located

    def __init__(self, errors: Sequence[CellError]):
        self.errors = sorted(errors, key=lambda e: (e.sheet, e.row, e.column))
        super().__init__(
            _("Nothing imported: %(count)d problem(s) found.") % {"count": len(self.errors)},
            details={"errors": [e.as_dict() for e in self.errors]},
        )


class Invalid(ValueError):
    """Raised by a cell parser; the message is the reason shown to the user."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column of an import sheet: its key, its printed header and how a cell becomes
    a value. ``parse`` gets a non-empty cell and raises :class:`Invalid`; an empty cell
    is ``None`` (an error when ``required``)."""

    key: str
    header: str
    parse: Callable[[Any], Any]
    required: bool = False
    note: str = ""  # shown in the template's second row

    def matches(self, text: str) -> bool:
        name = _header_text(text)
        return name in (_header_text(self.header), self.key.lower())


@dataclass(frozen=True, slots=True)
class Row:
    """The values of one sheet row that parsed; ``number`` is the 1-based row."""

    number: int
    values: dict[str, Any]


@dataclass
class Table:
    sheet: str
    rows: list[Row]
    errors: list[CellError]
    #: Column key -> (letter, header as written).
    columns: dict[str, tuple[str, str]]

    def error(self, row: int, key: str, reason: str) -> CellError:
        """A :class:`CellError` for column ``key`` of ``row``, recorded on the table."""
        letter, header = self.columns.get(key, ("", ""))
        err = CellError(self.sheet, row, letter, header, reason)
        self.errors.append(err)
        return err


def _header_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return re.sub(r"[\s*＊]", "", text).lower()


# ----------------------------------------------------------------------------- parsers


def text(value: Any) -> str:
    """Text, stripped. Whole numbers read as digits (a licence number typed as a number)."""
    if isinstance(value, bool):
        raise Invalid(_("Expected text, not TRUE/FALSE."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        raise Invalid(_("Expected text, not a date."))
    return str(value).strip()


def code(value: Any) -> str:
    """A code without spaces (licence number, division code, username)."""
    result = text(value)
    if any(ch.isspace() for ch in result):
        raise Invalid(_("%(value)r must not contain spaces.") % {"value": result})
    return result


def digits(value: Any) -> str:
    result = code(value)
    if not result.isdigit():
        raise Invalid(_("%(value)r is not a code of digits.") % {"value": result})
    return result


def count(value: Any) -> int:
    """A whole number, zero or more."""
    if isinstance(value, bool):
        raise Invalid(_("Expected a whole number, zero or more."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        value = int(value)
    if not isinstance(value, int) or value < 0:
        raise Invalid(_("%(value)r is not a whole number, zero or more.") % {"value": value})
    return value


_YES = frozenset({"是", "有", "yes", "y", "true", "1", "√", "✓"})
_NO = frozenset({"否", "无", "no", "n", "false", "0"})


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(int(value) if isinstance(value, float) else value).strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise Invalid(_("%(value)r is not 是 or 否 (yes or no).") % {"value": value})


def date(value: Any) -> dt.date:
    """A date cell, or text like 2026-01-01 / 2026/1/1 / 2026年1月1日."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise Invalid(_("Expected a date without a time of day."))
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE_TEXT.match(str(value)) if isinstance(value, str) else None
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise Invalid(_("%(value)r is not a date (e.g. 2026-01-01).") % {"value": value})


def email(value: Any) -> str:
    result = text(value)
    try:
        validate_email(result)
    except ValidationError:
        raise Invalid(_("%(value)r is not a valid e-mail address.") % {"value": result}) from None
    return result


def code_list(value: Any) -> tuple[str, ...]:
    """Codes separated by commas, semicolons, 、 or spaces; duplicates dropped, order kept."""
    return tuple(dict.fromkeys(part for part in _SPLIT.split(text(value)) if part))


def choice(options: dict[str, str]) -> Callable[[Any], str]:
    """A parser accepting the keys of ``options`` (case-insensitive) and returning the
    mapped value; the message lists the first spelling of each value."""
    folded = {k.lower(): v for k, v in options.items()}
    shown = ", ".join(dict.fromkeys({v: k for k, v in reversed(options.items())}.values()))

    def parse(value: Any) -> str:
        word = text(value)
        result = folded.get(word.lower())
        if result is None:
            raise Invalid(
                _("%(value)r is not one of: %(options)s.") % {"value": word, "options": shown}
            )
        return result

    return parse


# ----------------------------------------------------------------------------- reading


def _read_bytes(source: Source, max_bytes: int) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        size = os.path.getsize(source)
        if size > max_bytes:
            raise ImportRefused([_too_large(max_bytes)])
        data = Path(source).read_bytes()
    else:
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImportRefused([_too_large(max_bytes)])
    return data


def _file_error(reason: str, sheet: str = "") -> CellError:
    return CellError(sheet, 0, "", "", reason)


def _too_large(max_bytes: int) -> CellError:
    return _file_error(_("The file is larger than %(max)d bytes.") % {"max": max_bytes})


def _unreadable(exc: Exception) -> CellError:
    return _file_error(_("Not a readable .xlsx workbook (%(error)s).") % {"error": exc})


def open_workbook(source: Source, *, max_bytes: int) -> Any:
    """The workbook (read-only, values only). Raises :class:`ImportRefused` for an
    oversized file (also once unpacked: zip bombs), a legacy .xls, or anything else
    that is not a readable .xlsx."""
    data = _read_bytes(source, max_bytes)
    if not data:
        raise ImportRefused([_file_error(_("The file is empty."))])
    if data.startswith(_OLE_MAGIC):
        raise ImportRefused(
            [_file_error(_("This is a legacy .xls file; save it as .xlsx and retry."))]
        )
    if not data.startswith(_ZIP_MAGIC):
        raise ImportRefused([_file_error(_("Not an Excel .xlsx file."))])
    problem = zip_expansion_problem(io.BytesIO(data))
    if problem is not None:
        raise ImportRefused(
            [_file_error(_("The workbook is too large once unpacked: %(why)s.") % {"why": problem})]
        )
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportRefused([_unreadable(exc)]) from exc
    except Exception as exc:  # openpyxl raises many types for broken parts
        raise ImportRefused([_unreadable(exc)]) from exc


#: What a broken part raises while a read-only sheet is read.
_LAZY_ERRORS = (ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError)


def read_table(
    source: Source,
    *,
    sheet: str,
    columns: Sequence[Column],
    max_rows: int,
    max_bytes: int,
) -> Table:
    """Read sheet ``sheet``: row 1 holds the headers (in any order; the printed header
    or the column key), data starts at row 2, blank rows are skipped, and a row whose
    first cell starts with ``#`` is a note. Every cell error is collected; a row with
    any error is left out of ``rows``. Raises :class:`ImportRefused` for file-level
    problems (see :func:`open_workbook`), a missing sheet, missing or unknown or
    repeated headers, and more than ``max_rows`` data rows."""
    workbook = open_workbook(source, max_bytes=max_bytes)
    try:
        if sheet not in workbook.sheetnames:
            found = ", ".join(repr(name) for name in workbook.sheetnames)
            reason = _("Sheet %(sheet)r is missing (the file has: %(found)s).") % {
                "sheet": sheet,
                "found": found,
            }
            raise ImportRefused([_file_error(reason)])
        rows = workbook[sheet].iter_rows(values_only=True)
        index, table = _headers(sheet, next(rows, ()), columns)
        if table.errors:
            raise ImportRefused(table.errors)
        data_rows = 0
        # Blank rows cost time too: a sheet may declare a million of them.
        max_scanned = 2 * max_rows + 1000
        for number, values in enumerate(rows, start=2):
            if number > max_scanned:
                reason = _("More than %(max)d rows, blank ones included; split the file.") % {
                    "max": max_scanned
                }
                raise ImportRefused([_file_error(reason, sheet)])
            if not any(v is not None and str(v).strip() for v in values):
                continue
            first = values[0] if values else None
            if isinstance(first, str) and first.lstrip().startswith("#"):
                continue
            data_rows += 1
            if data_rows > max_rows:
                reason = _("More than %(max)d data rows; split the file.") % {"max": max_rows}
                raise ImportRefused([_file_error(reason, sheet)])
            _row(table, number, values, index, columns)
        return table
    except _LAZY_ERRORS as exc:
        # Sheets are read lazily: a broken part (or XML the parser refuses, such as an
        # entity expansion) shows only now.
        raise ImportRefused([_unreadable(exc)]) from exc
    finally:
        workbook.close()


def _headers(
    sheet: str, header: tuple[Any, ...], columns: Sequence[Column]
) -> tuple[dict[str, int], Table]:
    table = Table(sheet=sheet, rows=[], errors=[], columns={})
    index: dict[str, int] = {}
    for i, raw in enumerate(header):
        if raw is None or not str(raw).strip():
            continue
        letter = get_column_letter(i + 1)
        spec = next((c for c in columns if c.matches(str(raw))), None)
        if spec is None:
            table.errors.append(CellError(sheet, 1, letter, str(raw), _("Unknown column.")))
        elif spec.key in index:
            table.errors.append(CellError(sheet, 1, letter, str(raw), _("Column repeated.")))
        else:
            index[spec.key] = i
            table.columns[spec.key] = (letter, str(raw).strip())
    if not header:
        table.errors.append(_file_error(_("The sheet is empty: row 1 holds the headers."), sheet))
        return index, table
    for spec in columns:
        if spec.required and spec.key not in index:
            table.errors.append(CellError(sheet, 1, "", spec.header, _("Required column missing.")))
    return index, table


def _row(
    table: Table,
    number: int,
    values: tuple[Any, ...],
    index: dict[str, int],
    columns: Sequence[Column],
) -> None:
    parsed: dict[str, Any] = {}
    ok = True
    for spec in columns:
        i = index.get(spec.key)
        raw = values[i] if i is not None and i < len(values) else None
        if isinstance(raw, str) and not raw.strip():
            raw = None
        if raw is None:
            if spec.required:
                table.error(number, spec.key, _("Required."))
                ok = False
            parsed[spec.key] = None
            continue
        try:
            parsed[spec.key] = spec.parse(raw)
        except Invalid as exc:
            table.error(number, spec.key, str(exc))
            ok = False
    if ok:
        table.rows.append(Row(number=number, values=parsed))

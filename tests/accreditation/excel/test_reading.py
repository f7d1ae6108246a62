"""The sheet reader and parsers, without the database."""

import datetime as dt
import io
import zipfile

import pytest

from accreditation.excel import institutions
from accreditation.excel import reading as r
from accreditation.excel.reading import ImportRefused
from tests.accreditation.excel.helpers import INSTITUTION_HEADERS, institution, raw_workbook

LIMITS = {"max_rows": 100, "max_bytes": 1_000_000}


def refused(source, **limits) -> list[r.CellError]:
    with pytest.raises(ImportRefused) as info:
        institutions.parse(source, **{**LIMITS, **limits})
    return info.value.errors


def test_parse_reads_rows_written_by_the_template_writer():
    rows = [institution(1), institution(2, kind="chc", facts=None)]
    sheet = institutions.parse(institutions.write(rows), **LIMITS)
    assert sheet.table.errors == []
    assert sheet.rows == rows


def test_parse_accepts_headers_in_any_order_and_column_keys():
    data = raw_workbook(
        "机构名单",
        [
            ["region_code", "执业许可证登记号", "机构类型", "机构名称"],
            [990102, 12345678, "乡镇卫生院", "  甲镇卫生院 "],
        ],
    )
    (row,) = institutions.parse(data, **LIMITS).rows
    assert (row.name, row.kind, row.licence_number, row.region_code) == (
        "甲镇卫生院",
        "thc",
        "12345678",
        "990102",
    )
    assert row.facts is None


def test_parse_reports_every_bad_cell_with_sheet_row_and_column():
    data = raw_workbook(
        "机构名单",
        [
            INSTITUTION_HEADERS,
            ["", "医院", "A 1", "B", "99x", "", "", "", "not-mail", -1, 10, 0, "也许", "明天"],
            ["好镇卫生院", "社区卫生服务中心", "L1", "C", "990102"],
        ],
    )
    sheet = institutions.parse(data, **LIMITS)
    assert sheet.rows == []
    found = {(e.row, e.column, e.header) for e in sheet.table.errors}
    assert found == {
        (2, "A", "机构名称"),
        (2, "B", "机构类型"),
        (2, "C", "执业许可证登记号"),
        (2, "E", "行政区划代码"),
        (2, "I", "联系邮箱"),
        (2, "J", "卫生技术人员数"),
        (2, "M", "设置病房"),
        (2, "N", "生效日期"),
        (3, "D", "类别代码"),  # C does not match a community centre
    }
    assert all(e.sheet == "机构名单" for e in sheet.table.errors)
    assert str(sheet.table.errors[0]).startswith("sheet '机构名单' row 2 column ")


def test_parse_requires_the_facts_columns_together():
    row = ["甲镇卫生院", "乡镇卫生院", "L1", "", "990102", "", "", "", "", 10]
    sheet = institutions.parse(raw_workbook("机构名单", [INSTITUTION_HEADERS, row]), **LIMITS)
    headers = {e.header for e in sheet.table.errors}
    assert headers == {"服务人口数", "床位数", "设置病房", "生效日期"}


def test_parse_refuses_a_ward_without_beds_and_repeated_licence_numbers():
    rows = [
        institution(1, facts=institution(1).facts.__class__(dt.date(2026, 1, 1), 5, 100, 0, True)),
        institution(2),
        institution(3, licence_number="IMP000002"),
    ]
    sheet = institutions.parse(institutions.write(rows), **LIMITS)
    assert [(e.row, e.header) for e in sheet.table.errors] == [
        (2, "床位数"),
        (4, "执业许可证登记号"),
    ]
    assert "row 3" in sheet.table.errors[1].reason
    assert [row.licence_number for row in sheet.rows] == ["IMP000002"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 3, 1), dt.date(2026, 3, 1)),
        ("2026-03-01", dt.date(2026, 3, 1)),
        ("2026/3/1", dt.date(2026, 3, 1)),
        ("2026年3月1日", dt.date(2026, 3, 1)),
    ],
)
def test_date_accepts_cells_and_common_spellings(value, expected):
    assert r.date(value) == expected


@pytest.mark.parametrize("value", ["2026-02-30", "soon", dt.datetime(2026, 3, 1, 12, 0)])
def test_date_refuses_non_dates(value):
    with pytest.raises(r.Invalid):
        r.date(value)


def test_code_list_splits_on_chinese_and_latin_separators():
    assert r.code_list("A1, B2、C3；A1 D4") == ("A1", "B2", "C3", "D4")


def test_refuses_a_file_that_is_not_xlsx():
    (error,) = refused(b"name,kind\nx,y\n")
    assert (error.sheet, error.row, error.column) == ("", 0, "")
    assert "xlsx" in error.reason


def test_refuses_a_legacy_xls_file():
    (error,) = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert ".xls" in error.reason


def test_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    (error,) = refused(buffer.getvalue())
    assert "readable" in error.reason


def test_refuses_an_empty_file():
    (error,) = refused(b"")
    assert "empty" in error.reason


def test_refuses_an_oversized_file_before_reading_it():
    data = institutions.write([institution(1)])
    (error,) = refused(data, max_bytes=len(data) - 1)
    assert "larger than" in error.reason


def test_refuses_an_oversized_file_given_by_path(tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 2000)
    (error,) = refused(str(path), max_bytes=1000)
    assert "larger than" in error.reason


def test_refuses_a_workbook_without_the_sheet():
    (error,) = refused(raw_workbook("Sheet1", [INSTITUTION_HEADERS]))
    assert "'机构名单'" in error.reason and "'Sheet1'" in error.reason


def test_refuses_missing_required_unknown_and_repeated_headers():
    errors = refused(raw_workbook("机构名单", [["机构名称", "机构类型", "机构类型", "备注"]]))
    assert {(e.row, e.column, e.header, e.reason) for e in errors} == {
        (1, "C", "机构类型", "Column repeated."),
        (1, "D", "备注", "Unknown column."),
        (1, "", "执业许可证登记号", "Required column missing."),
        (1, "", "行政区划代码", "Required column missing."),
    }


def test_refuses_more_rows_than_the_cap():
    rows = [institution(n) for n in range(1, 6)]
    (error,) = refused(institutions.write(rows), max_rows=4)
    assert (error.sheet, error.row) == ("机构名单", 0)
    assert "4" in error.reason


def test_blank_and_note_rows_are_skipped():
    data = raw_workbook(
        "机构名单",
        [
            ["机构名称", "机构类型", "执业许可证登记号", "行政区划代码"],
            ["# 示例行，不导入", None, None, None],
            [None, None, None, None],
            ["甲镇卫生院", "thc", "L1", "990102"],
        ],
    )
    (row,) = institutions.parse(data, **LIMITS).rows
    assert row.row == 4

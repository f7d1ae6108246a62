"""The statistical-return import: both formats, every problem located, all or nothing,
provenance kept, permission and region checked."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from accreditation.excel import statistical_return
from accreditation.excel.reading import ImportRefused
from accreditation.models import AuditEvent, FactImport, InstitutionFact, ItemGrade, MetricSource
from accreditation.services.facts import facts_import
from tests.accreditation.facts.helpers import HEADERS, csv_bytes, xlsx


def snapshot():
    return (
        InstitutionFact.objects.count(),
        FactImport.objects.count(),
        MetricSource.objects.count(),
        AuditEvent.objects.count(),
        list(ItemGrade.objects.values_list("metric_value", flat=True)),
    )


def refused(world, data, *, actor=None, file_format="xlsx", year=2026):
    before = snapshot()
    with pytest.raises(ImportRefused) as info:
        facts_import(
            actor=actor or world.administrator, data=data, file_format=file_format, year=year
        )
    assert snapshot() == before, "nothing may be written"
    return [(e.row, e.column, e.header, e.reason) for e in info.value.errors]


def rows(world):
    return [
        [world.institution_a.licence_number, "河口镇卫生院", 30, 45, 32000],
        [world.institution_b.licence_number, "石门镇卫生院", 0, 12, 8000],
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_stores_every_value_with_its_file_row_and_import(world, fmt):
    data = xlsx(rows(world)) if fmt == "xlsx" else csv_bytes(rows(world))
    result = facts_import(
        actor=world.officer_province, data=data, file_format=fmt, year=2026, file_name="年报.x"
    )
    assert (result.rows, result.created, result.updated, result.unchanged) == (2, 6, 0, 0)
    record = result.fact_import
    assert record is not None
    assert (record.year, record.file_format, record.rows, record.values_written) == (
        2026,
        fmt,
        2,
        6,
    )
    assert len(record.file_sha256) == 64
    assert record.imported_by == world.officer_province
    beds = InstitutionFact.objects.get(institution=world.institution_a, year=2026, key="beds")
    assert (beds.value, beds.source, beds.fact_import, beds.source_row) == (
        Decimal("30"),
        "import",
        record,
        2,
    )
    pop_b = InstitutionFact.objects.get(institution=world.institution_b, key="service_population")
    assert (pop_b.value, pop_b.source_row) == (Decimal("8000"), 3)
    event = AuditEvent.objects.get(action="facts.import")
    assert event.actor == world.officer_province
    assert event.after["created"] == 6 and event.after["sha256"] == record.file_sha256


def test_reimporting_changed_values_updates_them_and_keeps_the_rest(world):
    facts_import(actor=None, data=xlsx(rows(world)), file_format="xlsx", year=2026)
    changed = rows(world)
    changed[0][2] = 35
    result = facts_import(actor=None, data=xlsx(changed), file_format="xlsx", year=2026)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 5)
    beds = InstitutionFact.objects.get(institution=world.institution_a, key="beds")
    assert (beds.value, beds.version, beds.fact_import) == (Decimal("35"), 2, result.fact_import)


def test_dry_run_checks_and_writes_nothing(world):
    before = snapshot()
    result = facts_import(
        actor=world.administrator,
        data=xlsx(rows(world)),
        file_format="xlsx",
        year=2026,
        dry_run=True,
    )
    assert (result.dry_run, result.created, result.fact_import) == (True, 6, None)
    assert snapshot() == before


def test_bad_rows_are_all_reported_by_row_and_column_and_nothing_is_written(world):
    data = xlsx(
        [
            [world.institution_a.licence_number, "", 30, 45, 1000],
            ["NOPE0001", "", 1, 1, 1],
            [world.institution_b.licence_number, "", -1, 1.5, 1],
            [world.institution_a.licence_number, "", 1, 1, 1],
            ["", "x", 1, 1, 1],
            ["NOPE0002", "", "三十", 1, 1],
        ]
    )
    errors = refused(world, data)
    assert errors == [
        (3, "A", "执业许可证登记号", "No institution has the licence number NOPE0001."),
        (4, "C", "实有床位数", "-1 is not a number, zero or more."),
        (4, "D", "卫生技术人员数", "1.5 is not a whole number."),
        (
            5,
            "A",
            "执业许可证登记号",
            f"Licence number {world.institution_a.licence_number} repeats row 2.",
        ),
        (6, "A", "执业许可证登记号", "Required."),
        (7, "C", "实有床位数", "三十 is not a number."),
    ]


def test_bad_files_are_refused_with_a_reason(world):
    assert refused(world, b"") == [(0, "", "", "The file is empty.")]
    assert refused(world, b"hello") == [(0, "", "", "Not an Excel .xlsx file.")]
    assert refused(world, xlsx(rows(world), sheet="Sheet1"))[0][3].startswith(
        "Sheet '年报' is missing"
    )
    assert refused(world, xlsx([], headers=["机构名称", "乱列"])) == [
        (1, "", "执业许可证登记号", "Required column missing."),
        (1, "B", "乱列", "Unknown column."),
    ]
    assert refused(world, xlsx(rows(world)), file_format="csv") == [
        (0, "", "", "This is a spreadsheet, not a CSV file; upload it as .xlsx.")
    ]
    assert refused(world, b"\xff\xfe\x00\x00" * 3, file_format="csv")[0][3]
    with pytest.raises(ImportRefused):
        facts_import(
            actor=None, data=xlsx(rows(world)), file_format="xlsx", year=2026, max_bytes=100
        )
    with pytest.raises(ImportRefused) as info:
        facts_import(
            actor=None, data=csv_bytes(rows(world)), file_format="csv", year=2026, max_rows=1
        )
    assert "More than 1 data rows" in info.value.errors[0].reason


def test_csv_in_gb18030_is_read(world):
    data = csv_bytes(rows(world), encoding="gb18030")
    assert facts_import(actor=None, data=data, file_format="csv", year=2026).created == 6


def test_an_officer_may_import_only_institutions_in_scope(world):
    errors = refused(world, xlsx(rows(world)), actor=world.officer_city)
    assert errors == [(3, "A", "执业许可证登记号", "石门镇卫生院 is outside your region.")]


@pytest.mark.parametrize("who", ["staff_a", "reviewer_a", "expert"])
def test_only_officers_and_administrators_may_import(world, who):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        facts_import(
            actor=getattr(world, who), data=xlsx(rows(world)), file_format="xlsx", year=2026
        )
    assert snapshot() == before


def test_metric_columns_write_item_metric_values_with_their_source(world):
    headers = [*HEADERS, "指标:1.1.4"]
    data = xlsx([[world.institution_a.licence_number, "", 30, 45, 1000, 28]], headers=headers)
    result = facts_import(actor=world.officer_city, data=data, file_format="xlsx", year=2026)
    assert result.metrics == 1
    grade = ItemGrade.objects.get(assessment=world.assessment_a, item_code="1.1.4")
    assert grade.metric_value == Decimal("28")
    source = MetricSource.objects.get(grade=grade)
    assert (source.source, source.fact_import, source.source_row) == (
        "import",
        result.fact_import,
        2,
    )


def test_a_metric_for_an_unknown_item_is_a_row_error(world):
    headers = [*HEADERS, "指标:9.9.9"]
    data = xlsx([[world.institution_a.licence_number, "", 30, 45, 1000, 28]], headers=headers)
    assert refused(world, data) == [
        (2, "F", "指标:9.9.9", "河口镇卫生院 has no assessment in 2026 with an item 9.9.9.")
    ]


def test_the_template_has_every_column_and_its_notes():
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(statistical_return.template()))
    headers = [c.value for c in workbook["年报"][1]]
    assert headers[:2] == ["执业许可证登记号", "机构名称"]
    assert "实有床位数" in headers and "指标:<条款编号>" in headers
    assert workbook["说明"]["C3"].value == "仅供核对，不导入"

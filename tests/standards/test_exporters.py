"""Export -> import into an empty database -> export reproduces the same content."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from standards.exporters import dump_yaml, edition_export, ruleset_export
from standards.importers import read_file
from standards.models import Edition, RuleSet
from standards.samples import sample_edition_document
from standards.selectors import edition_document
from standards.services import catalogue_file_import
from tests.standards.helpers import EDITION_YAML, RULESET_YAML

pytestmark = pytest.mark.django_db


def workbook_values(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    values = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}
    workbook.close()
    return values


def comparable(content: bytes, file_format: str):
    # An .xlsx file holds save timestamps; its content is the cell values.
    return workbook_values(content) if file_format == "xlsx" else content


def empty_the_catalogue() -> None:
    RuleSet.objects.all().delete()
    Edition.objects.all().delete()


@pytest.fixture
def sample_file(tmp_path):
    path = tmp_path / "SAMPLE-1.yaml"
    document = sample_edition_document(code="SAMPLE-1", items=40, status="published")
    path.write_text(dump_yaml(document), "utf-8")
    return path


@pytest.mark.parametrize("file_format", ["yaml", "json", "xlsx"])
@pytest.mark.parametrize("source", ["test file", "sample"])
def test_edition_round_trip_is_lossless(tmp_path, sample_file, file_format, source):
    path = EDITION_YAML if source == "test file" else sample_file
    original = read_file(path)
    catalogue_file_import(actor=None, path=path)
    first = edition_export(edition=Edition.objects.get(), file_format=file_format)
    exported = tmp_path / f"export.{file_format}"
    exported.write_bytes(first)
    empty_the_catalogue()

    catalogue_file_import(actor=None, path=exported)
    second = edition_export(edition=Edition.objects.get(), file_format=file_format)

    assert comparable(second, file_format) == comparable(first, file_format)
    assert edition_document(edition=Edition.objects.get()) == original
    assert read_file(exported) == original


@pytest.mark.parametrize("file_format", ["yaml", "json"])
def test_rule_set_round_trip_is_lossless(tmp_path, file_format):
    catalogue_file_import(actor=None, path=EDITION_YAML)
    catalogue_file_import(actor=None, path=RULESET_YAML)
    edition = Edition.objects.get()
    edition_file = tmp_path / f"edition.{file_format}"
    edition_file.write_bytes(edition_export(edition=edition, file_format=file_format))
    first = ruleset_export(edition=edition, file_format=file_format)
    rules_file = tmp_path / f"rules.{file_format}"
    rules_file.write_bytes(first)
    empty_the_catalogue()

    catalogue_file_import(actor=None, path=edition_file)
    catalogue_file_import(actor=None, path=rules_file)
    second = ruleset_export(edition=Edition.objects.get(), file_format=file_format)

    assert second == first
    assert read_file(rules_file) == read_file(RULESET_YAML)


def test_yaml_export_writes_every_field_in_the_documented_order():
    catalogue_file_import(actor=None, path=EDITION_YAML)

    text = edition_export(edition=Edition.objects.get(), file_format="yaml").decode()

    assert text.startswith(
        "format: jiceng-standard/1\n"
        "edition:\n"
        "  code: THC-TEST\n"
        "  kind: thc\n"
        "  year: 2022\n"
        "  title: 乡镇卫生院服务能力标准（测试版）\n"
        "  status: published\n"
        "  provisional: true\n"
        "  source_note: 测试用的小标准，不是官方文本\n"
        "chapters:\n"
        "  - code: '1'\n"
    )
    assert (
        "          - code: 1.2.1\n"
        "            title: 床位设置\n"
        "            tier: basic\n"
        "            starred: false\n"
        "            kind: quantitative\n"
        "            review_methods:\n"
        "              - data_verification\n"
        "            applicability:\n"
        "              fact: inpatient_ward\n"
        "              op: ==\n"
        "              value: true\n"
        "            evidence_required: true\n"
        "            evidence_hint: ''\n"
        "            metric:\n"
        "              code: beds\n"
        "              label: 实际开放床位数\n"
        "              unit: 张\n"
        "            criteria:\n"
        "              C:\n"
        "                text: 开放床位不少于20张\n"
        "                threshold:\n"
        "                  op: '>='\n"
        "                  value: 20\n"
    ) in text


def test_excel_export_has_the_documented_sheets_and_columns():
    catalogue_file_import(actor=None, path=EDITION_YAML)

    values = workbook_values(edition_export(edition=Edition.objects.get(), file_format="xlsx"))

    assert values["edition"][:3] == [("field", "value"), ("code", "THC-TEST"), ("kind", "thc")]
    header, *rows = values["items"]
    assert header[:7] == (
        "chapter_code",
        "chapter_title",
        "section_code",
        "section_title",
        "code",
        "title",
        "tier",
    )
    row = dict(zip(header, rows[1], strict=True))
    assert (row["applicability"], row["C_threshold"], row["A_threshold"]) == (
        "inpatient_ward == true",
        ">= 20",
        ">= 37.5",
    )
    row = dict(zip(header, rows[2], strict=True))
    assert row["A_steps"] == "a-1: 日间手术制度\na-2: 日间手术病历"
    assert row["review_methods"] == "record_sampling, interview"


def test_rule_sets_do_not_export_to_excel():
    catalogue_file_import(actor=None, path=EDITION_YAML)

    with pytest.raises(ValueError, match="rule sets export to yaml or json, not 'xlsx'"):
        ruleset_export(edition=Edition.objects.get(), file_format="xlsx")

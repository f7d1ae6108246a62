"""Reading catalogue files into dataclasses (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from standards.importers import (
    CatalogueFileError,
    ConditionData,
    CriterionData,
    EditionData,
    ItemData,
    MetricData,
    MustPassData,
    RuleSetData,
    RuleSetFileData,
    StepData,
    ThresholdData,
    read_file,
)
from tests.standards.helpers import (
    EDITION_YAML,
    RULESET_YAML,
    edition_doc,
    good_item_row,
    write_json,
    write_xlsx,
    write_yaml,
)


def test_read_yaml_edition_gives_the_tree_in_file_order():
    edition = read_file(EDITION_YAML)

    assert isinstance(edition, EditionData)
    assert (edition.code, edition.kind, edition.year, edition.status) == (
        "THC-TEST",
        "thc",
        2022,
        "published",
    )
    assert edition.provisional is True
    assert [ch.code for ch in edition.chapters] == ["1", "2"]
    assert [sec.code for ch in edition.chapters for sec in ch.sections] == ["1.1", "1.2", "2.1"]
    assert [item.code for item in edition.items()] == ["1.1.1", "1.2.1", "2.1.1"]
    assert edition.items()[1] == ItemData(
        code="1.2.1",
        title="床位设置",
        tier="basic",
        starred=False,
        kind="quantitative",
        review_methods=("data_verification",),
        applicability=ConditionData("inpatient_ward", "==", True),
        evidence_required=True,
        evidence_hint="",
        metric=MetricData(code="beds", label="实际开放床位数", unit="张"),
        criteria=(
            CriterionData("C", "开放床位不少于20张", ThresholdData(">=", Decimal(20))),
            CriterionData("B", "开放床位不少于30张", ThresholdData(">=", Decimal(30))),
            CriterionData("A", "床位使用率不低于75%", ThresholdData(">=", Decimal("37.5"))),
        ),
    )
    assert edition.items()[2].criteria[2].steps == (
        StepData("a-1", "日间手术制度"),
        StepData("a-2", "日间手术病历"),
    )


def test_item_location_names_path_code_and_yaml_line():
    edition = read_file(EDITION_YAML)

    assert edition.items()[2].where == "chapters[1].sections[0].items[0] (code 2.1.1), line 60"


def test_read_json_edition_equals_the_yaml_one(tmp_path):
    path = write_json(tmp_path / "THC-TEST.json", edition_doc())

    assert read_file(path) == read_file(EDITION_YAML)


def test_read_ruleset_file():
    rule_sets = read_file(RULESET_YAML)

    assert isinstance(rule_sets, RuleSetFileData)
    assert rule_sets.edition == "THC-TEST"
    assert rule_sets.rule_sets[0] == RuleSetData(
        level="qualified",
        province_code="",
        version=1,
        status="published",
        provisional=False,
        source_note="2023年评价指导",
        min_basic_c=Decimal("0.8"),
        min_basic_b=Decimal("0.2"),
        min_basic_a=Decimal("0.05"),
        min_recommended_c=None,
        includes=(),
        na_excluded=True,
        eligibility_combine="all",
        eligibility=(
            ConditionData("medical_staff", "<", 10),
            ConditionData("service_population", "<", 10000),
        ),
        must_pass=(),
    )
    assert rule_sets.rule_sets[1].must_pass == (MustPassData("1.1.1", "C"),)
    assert rule_sets.rule_sets[2].includes == ("basic",)


def test_must_pass_items_are_checked_when_the_edition_items_are_known():
    with pytest.raises(CatalogueFileError) as exc:
        read_file(RULESET_YAML, item_codes={"2.1.1"})

    assert exc.value.errors == [
        "THC-TEST-rules.yaml: rule_sets[1] (level basic v1), line 25: field 'must_pass[0].item': "
        "item '1.1.1' does not exist in edition THC-TEST"
    ]


def test_unknown_format_key_is_refused(tmp_path):
    path = write_yaml(tmp_path / "x.yaml", {"format": "jiceng-standard/2", "edition": {}})

    with pytest.raises(CatalogueFileError) as exc:
        read_file(path)

    assert exc.value.errors == [
        "x.yaml: line 1: field 'format': 'jiceng-standard/2' is not one of "
        "jiceng-standard/1, jiceng-ruleset/1"
    ]


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: jiceng-standard/1\nedition: [unclosed\n", "utf-8")

    with pytest.raises(CatalogueFileError) as exc:
        read_file(path)

    # The wording of the reason comes from the YAML parser (libyaml or pure Python).
    [error] = exc.value.errors
    assert error.startswith("broken.yaml: line 3, column 1: not valid YAML: ")


def test_json_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "jiceng-standard/1",\n "edition": }', "utf-8")

    with pytest.raises(CatalogueFileError) as exc:
        read_file(path)

    assert exc.value.errors == ["broken.json: line 2, column 13: not valid JSON: Expecting value"]


def test_read_excel_workbook(tmp_path):
    path = write_xlsx(
        tmp_path / "THC-XL.xlsx",
        [
            good_item_row("1.1.1", review_methods="document_review, interview"),
            good_item_row(
                "1.1.2",
                tier="recommended",
                starred="是",
                applicability="beds > 0",
                metric_code="beds",
                metric_label="床位",
                C_threshold=">= 20",
                B_steps="b-1: 第一步\nb-2：第二步",
            ),
            good_item_row("2.1.1", evidence_required="no"),
        ],
    )

    edition = read_file(path)

    assert isinstance(edition, EditionData)
    assert (edition.code, edition.title, edition.provisional) == ("THC-XL", "Excel 测试标准", True)
    items = edition.items()
    assert [i.code for i in items] == ["1.1.1", "1.1.2", "2.1.1"]
    assert items[0].review_methods == ("document_review", "interview")
    assert items[1].starred is True
    assert items[1].applicability == ConditionData("beds", ">", 0)
    assert items[1].criteria[0].threshold == ThresholdData(">=", Decimal(20))
    assert items[1].criteria[1].steps == (StepData("b-1", "第一步"), StepData("b-2", "第二步"))
    assert items[2].evidence_required is False
    assert items[2].where == "sheet 'items' row 4 (code 2.1.1)"


def test_excel_errors_name_sheet_row_and_column(tmp_path):
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            good_item_row("1.1.1", tier="basik"),
            good_item_row("1.1.2", applicability="beds >> 0", starred="maybe"),
            good_item_row("1.2.1", B_text=None, C_threshold=">= 5"),
        ],
    )

    with pytest.raises(CatalogueFileError) as exc:
        read_file(path)

    assert exc.value.errors == [
        "bad.xlsx: sheet 'items' row 3 (code 1.1.2): column 'starred' (H): "
        "'maybe' is not TRUE or FALSE",
        "bad.xlsx: sheet 'items' row 3 (code 1.1.2): column 'applicability' (K): "
        "'beds >> 0' is not 'fact op value'",
        "bad.xlsx: sheet 'items' row 2 (code 1.1.1): column 'tier' (G): "
        "'basik' is not one of basic, recommended",
        "bad.xlsx: sheet 'items' row 4 (code 1.2.1): column 'C_threshold' (R): "
        "a threshold needs a metric on the item",
        "bad.xlsx: sheet 'items' row 4 (code 1.2.1): column 'B_text' (T): is required",
    ]


def test_a_missing_or_non_mapping_object_is_reported_once(tmp_path):
    doc = edition_doc()
    del doc["edition"]
    doc["chapters"][0]["sections"][0]["items"][0]["criteria"]["C"] = None
    path = write_json(tmp_path / "x.json", doc)

    with pytest.raises(CatalogueFileError) as exc:
        read_file(path)

    assert exc.value.errors == [
        "x.json: field 'edition': is required",
        "x.json: chapters[0].sections[0].items[0] (code 1.1.1): field 'criteria.C': must be a "
        "mapping of fields, not null",
    ]

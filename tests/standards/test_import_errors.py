"""Every kind of bad content is reported with its location, field and reason, and
nothing is written."""

from __future__ import annotations

import pytest

from standards.importers import CatalogueFileError
from standards.importers.excel import ITEM_COLUMNS
from standards.services import catalogue_file_import
from tests.standards.helpers import (
    EDITION_YAML,
    edition_doc,
    good_item_row,
    ruleset_doc,
    write_json,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

ITEM0 = "chapters[0].sections[0].items[0] (code 1.1.1)"
ITEM1 = "chapters[0].sections[1].items[0] (code 1.2.1)"


def first_item(doc):
    return doc["chapters"][0]["sections"][0]["items"][0]


def quantitative_item(doc):
    return doc["chapters"][0]["sections"][1]["items"][0]


def _missing_title(doc):
    del first_item(doc)["title"]


def _bad_tier(doc):
    first_item(doc)["tier"] = "basik"


def _duplicate_code(doc):
    doc["chapters"][0]["sections"][0]["items"].append(dict(first_item(doc)))


def _wrong_prefix(doc):
    first_item(doc)["code"] = "1.2.9"


def _missing_grade(doc):
    del first_item(doc)["criteria"]["B"]


def _threshold_without_metric(doc):
    del quantitative_item(doc)["metric"]


def _bad_applicability(doc):
    first_item(doc)["applicability"] = {"fact": "bed", "op": "=>", "value": 0}


def _unknown_field(doc):
    first_item(doc)["weight"] = 3


def _bad_section_code(doc):
    doc["chapters"][1]["sections"][0]["code"] = "1.9"


EDITION_CASES = {
    "required field": (
        _missing_title,
        [f"bad.json: {ITEM0}: field 'title': is required"],
    ),
    "enum value": (
        _bad_tier,
        [f"bad.json: {ITEM0}: field 'tier': 'basik' is not one of basic, recommended"],
    ),
    "duplicate code": (
        _duplicate_code,
        [
            "bad.json: chapters[0].sections[0].items[1] (code 1.1.1): field 'code': duplicate "
            "item code '1.1.1' (also chapters[0].sections[0].items[0])",
        ],
    ),
    "item code prefix": (
        _wrong_prefix,
        [
            "bad.json: chapters[0].sections[0].items[0] (code 1.2.9): field 'code': '1.2.9' "
            "must be the section code '1.1' followed by one part"
        ],
    ),
    "section code prefix": (
        _bad_section_code,
        [
            "bad.json: chapters[1].sections[0] (code 1.9): field 'code': '1.9' must be the "
            "chapter code '2' followed by one part",
            "bad.json: chapters[1].sections[0].items[0] (code 2.1.1): field 'code': '2.1.1' "
            "must be the section code '1.9' followed by one part",
        ],
    ),
    "C/B/A all present": (
        _missing_grade,
        [f"bad.json: {ITEM0}: field 'criteria': grade B is missing; C, B and A are all required"],
    ),
    "threshold needs a metric": (
        _threshold_without_metric,
        [
            f"bad.json: {ITEM1}: field 'criteria.{grade}.threshold': a threshold needs a "
            "metric on the item"
            for grade in "CBA"
        ],
    ),
    "applicability condition": (
        _bad_applicability,
        [
            f"bad.json: {ITEM0}: field 'applicability.fact': 'bed' is not one of "
            "medical_staff, service_population, beds, inpatient_ward",
            f"bad.json: {ITEM0}: field 'applicability.op': '=>' is not one of >=, >, <=, <, ==, !=",
        ],
    ),
    "unknown field": (
        _unknown_field,
        [
            f"bad.json: {ITEM0}: field 'weight': unknown field (expected one of code, title, "
            "tier, starred, kind, review_methods, applicability, evidence_required, "
            "evidence_hint, metric, criteria)"
        ],
    ),
}


@pytest.mark.parametrize("case", EDITION_CASES)
def test_bad_edition_content_is_reported_and_nothing_written(tmp_path, row_counts, case):
    mutate, expected = EDITION_CASES[case]
    doc = edition_doc()
    mutate(doc)
    path = write_json(tmp_path / "bad.json", doc)
    before = row_counts()

    with pytest.raises(CatalogueFileError) as exc:
        catalogue_file_import(actor=None, path=path)

    assert exc.value.errors == expected
    assert row_counts() == before


def test_all_problems_are_reported_together(tmp_path, row_counts):
    doc = edition_doc()
    for mutate in (_bad_tier, _missing_grade, _threshold_without_metric):
        mutate(doc)
    path = write_json(tmp_path / "bad.json", doc)

    with pytest.raises(CatalogueFileError) as exc:
        catalogue_file_import(actor=None, path=path)

    assert len(exc.value.errors) == 5
    assert row_counts()["Edition"] == 0


def test_yaml_errors_name_the_line(tmp_path, row_counts):
    text = EDITION_YAML.read_text("utf-8").replace("tier: recommended", "tier: basik")
    path = tmp_path / "THC-2022.yaml"
    path.write_text(text, "utf-8")

    with pytest.raises(CatalogueFileError) as exc:
        catalogue_file_import(actor=None, path=path)

    assert exc.value.errors == [
        "THC-2022.yaml: chapters[1].sections[0].items[0] (code 2.1.1), line 62: field 'tier': "
        "'basik' is not one of basic, recommended"
    ]
    assert row_counts()["Edition"] == 0


def test_bad_excel_rows_are_reported_by_sheet_row_and_column(tmp_path, row_counts):
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            good_item_row("1.1.1"),
            good_item_row("1.1.1", title="重复"),
            good_item_row("1.2.1", chapter_title="另一个章标题", A_text=""),
        ],
    )
    before = row_counts()

    with pytest.raises(CatalogueFileError) as exc:
        catalogue_file_import(actor=None, path=path)

    assert exc.value.errors == [
        "bad.xlsx: sheet 'items' row 4 column 'chapter_title' (B): '另一个章标题' differs from "
        "the chapter title in row 2",
        "bad.xlsx: sheet 'items' row 3 (code 1.1.1): column 'code' (E): duplicate item code "
        "'1.1.1' (also row 2)",
        "bad.xlsx: sheet 'items' row 4 (code 1.2.1): column 'A_text' (W): is required",
    ]
    assert row_counts() == before


def test_excel_missing_column_and_edition_field_are_reported(tmp_path):
    header = [name for name in ITEM_COLUMNS if name != "tier"]
    row = good_item_row("1.1.1")
    del row[ITEM_COLUMNS.index("tier")]
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [row],
        header=header,
        edition_rows=[["field", "value"], ["code", "XL-1"], ["kind", "hospital"]],
    )

    with pytest.raises(CatalogueFileError) as exc:
        catalogue_file_import(actor=None, path=path)

    assert exc.value.errors == [
        "bad.xlsx: sheet 'items' row 1: missing column 'tier'",
        "bad.xlsx: sheet 'edition' row 3: field 'kind' column B: 'hospital' is not one of thc, chc",
        "bad.xlsx: sheet 'edition': field 'year': is required",
        "bad.xlsx: sheet 'edition': field 'title': is required",
    ]


def test_excel_edition_sheet_errors_name_the_row(tmp_path):
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [good_item_row("1.1.1")],
        edition_rows=[["field", "value"], ["code", "XL-1"], ["kind", "hospital"], ["year", 2022]],
    )

    with pytest.raises(CatalogueFileError) as exc:
        catalogue_file_import(actor=None, path=path)

    assert exc.value.errors == [
        "bad.xlsx: sheet 'edition' row 3: field 'kind' column B: 'hospital' is not one of thc, chc",
        "bad.xlsx: sheet 'edition': field 'title': is required",
    ]


# --- rule sets ------------------------------------------------------------------------


@pytest.fixture
def stored_edition():
    catalogue_file_import(actor=None, path=EDITION_YAML)


def _share_above_one(doc):
    doc["rule_sets"][0]["basic_min"]["B"] = 1.2


def _include_higher_level(doc):
    doc["rule_sets"][1]["includes"] = ["recommended", "excellent"]


def _must_pass_unknown_item(doc):
    doc["rule_sets"][1]["must_pass"] = [{"item": "9.9.9", "grade": "C"}]


def _bad_eligibility(doc):
    doc["rule_sets"][0]["eligibility"]["conditions"][0] = {"fact": "staff", "op": "<"}


def _duplicate_rule_set(doc):
    doc["rule_sets"].append(dict(doc["rule_sets"][1]))


QUALIFIED = "rule_sets[0] (level qualified v1)"
BASIC = "rule_sets[1] (level basic v1)"

RULESET_CASES = {
    "share in [0, 1]": (
        _share_above_one,
        [f"rules.json: {QUALIFIED}: field 'basic_min.B': 1.2 is not a share between 0 and 1"],
    ),
    "includes known lower levels": (
        _include_higher_level,
        [
            f"rules.json: {BASIC}: field 'includes[0]': 'recommended' is not a level below basic",
            f"rules.json: {BASIC}: field 'includes[1]': 'excellent' is not one of qualified, "
            "basic, recommended",
        ],
    ),
    "must_pass items exist": (
        _must_pass_unknown_item,
        [
            f"rules.json: {BASIC}: field 'must_pass[0].item': item '9.9.9' does not exist in "
            "edition THC-TEST"
        ],
    ),
    "eligibility condition": (
        _bad_eligibility,
        [
            f"rules.json: {QUALIFIED}: field 'eligibility.conditions[0].fact': 'staff' is not "
            "one of medical_staff, service_population, beds, inpatient_ward",
            f"rules.json: {QUALIFIED}: field 'eligibility.conditions[0].value': is required",
        ],
    ),
    "duplicate rule set": (
        _duplicate_rule_set,
        [
            "rules.json: rule_sets[3] (level basic v1): duplicate rule set basic v1 national "
            "(also rule_sets[1])"
        ],
    ),
}


@pytest.mark.parametrize("case", RULESET_CASES)
def test_bad_rule_set_content_is_reported_and_nothing_written(
    stored_edition, tmp_path, row_counts, case
):
    mutate, expected = RULESET_CASES[case]
    doc = ruleset_doc()
    mutate(doc)
    path = write_json(tmp_path / "rules.json", doc)
    before = row_counts()

    with pytest.raises(CatalogueFileError) as exc:
        catalogue_file_import(actor=None, path=path)

    assert exc.value.errors == expected
    assert row_counts() == before

"""import_standard, export_standard and load_catalogue through call_command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from standards.importers import read_file
from standards.models import Edition, RuleSet
from tests.standards.helpers import EDITION_YAML, RULESET_YAML, edition_doc, write_yaml

pytestmark = pytest.mark.django_db


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_import_standard_imports_an_edition_and_its_rule_sets():
    out, _ = run("import_standard", str(EDITION_YAML))
    out2, _ = run("import_standard", str(RULESET_YAML))

    assert out == (
        f"{EDITION_YAML}: edition THC-TEST created (2 chapters, 3 sections, 3 items, published)\n"
    )
    assert out2 == f"{RULESET_YAML}: 3 rule sets for THC-TEST: 3 created\n"
    assert RuleSet.objects.filter(edition__code="THC-TEST").count() == 3


def test_import_standard_prints_every_error_and_writes_nothing(tmp_path, row_counts):
    doc = edition_doc()
    doc["edition"]["kind"] = "hospital"
    doc["chapters"][0]["sections"][0]["items"][0]["tier"] = "basik"
    path = write_yaml(tmp_path / "bad.yaml", doc)
    before = row_counts()
    err = io.StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("import_standard", str(path), stdout=io.StringIO(), stderr=err)

    assert str(exc.value) == f"{path}: nothing imported (2 problem(s))"

    assert err.getvalue() == (
        "bad.yaml: edition (code THC-TEST), line 4: field 'kind': 'hospital' is not one of "
        "thc, chc\n"
        "bad.yaml: chapters[0].sections[0].items[0] (code 1.1.1), line 19: field 'tier': "
        "'basik' is not one of basic, recommended\n"
    )
    assert row_counts() == before


def test_import_standard_reports_a_refused_change(tmp_path, row_counts):
    run("import_standard", str(EDITION_YAML))
    doc = edition_doc()
    doc["edition"]["year"] = 2023
    path = write_yaml(tmp_path / "THC-TEST.yaml", doc)
    before = row_counts()
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_standard", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue() == (
        "THC-TEST.yaml: Edition THC-TEST is published, so its content cannot change (year "
        "changed). Import it under a new edition code, or clone THC-TEST to a draft and "
        "import into that.\n"
    )
    assert row_counts() == before


@pytest.mark.parametrize("file_format", ["yaml", "json", "xlsx"])
def test_export_standard_writes_a_file_that_imports_back(tmp_path, file_format):
    run("import_standard", str(EDITION_YAML))
    run("import_standard", str(RULESET_YAML))
    output = tmp_path / f"THC-TEST.{file_format}"
    rules = tmp_path / "rules.json"

    out, _ = run(
        "export_standard",
        "THC-TEST",
        "--format",
        file_format,
        "--output",
        str(output),
        "--rulesets-output",
        str(rules),
    )

    assert out == (
        f"THC-TEST: edition written to {output} ({file_format})\n"
        f"THC-TEST: rule sets written to {rules} (json)\n"
    )
    assert read_file(output) == read_file(EDITION_YAML)
    assert read_file(rules) == read_file(RULESET_YAML)


def test_export_standard_refuses_an_unknown_edition(tmp_path):
    with pytest.raises(CommandError) as exc:
        run("export_standard", "NOPE", "--output", str(tmp_path / "x.yaml"))

    assert str(exc.value) == "Edition NOPE does not exist."


@pytest.fixture
def catalogue(tmp_path, settings):
    (tmp_path / "editions").mkdir()
    (tmp_path / "rulesets").mkdir()
    (tmp_path / "editions" / "THC-TEST.yaml").write_bytes(EDITION_YAML.read_bytes())
    (tmp_path / "rulesets" / "THC-TEST.yaml").write_bytes(RULESET_YAML.read_bytes())
    settings.ACCREDITATION = {**settings.ACCREDITATION, "CATALOGUE_DIR": tmp_path}
    return tmp_path


def test_load_catalogue_imports_editions_then_rule_sets(catalogue):
    out, err = run("load_catalogue")

    assert out == (
        "editions/THC-TEST.yaml: edition THC-TEST created (2 chapters, 3 sections, 3 items, "
        "published)\n"
        "rulesets/THC-TEST.yaml: 3 rule sets for THC-TEST: 3 created\n"
    )
    assert err == ""


def test_load_catalogue_twice_changes_nothing(catalogue, row_counts):
    run("load_catalogue")
    before = row_counts()

    out, _ = run("load_catalogue")

    assert row_counts() == before
    assert out == (
        "editions/THC-TEST.yaml: edition THC-TEST unchanged (published)\n"
        "rulesets/THC-TEST.yaml: 3 rule sets for THC-TEST: 3 unchanged\n"
    )


def test_load_catalogue_reports_a_bad_file_and_fails(catalogue, row_counts):
    doc = edition_doc()
    doc["edition"]["code"] = "CHC-TEST"
    doc["edition"]["kind"] = "clinic"
    write_yaml(catalogue / "editions" / "CHC-TEST.yaml", doc)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("load_catalogue", stdout=out, stderr=err)

    assert str(exc.value) == "1 of 3 catalogue files refused."

    assert out.getvalue() == (
        "editions/CHC-TEST.yaml: refused (1 problem(s))\n"
        "editions/THC-TEST.yaml: edition THC-TEST created (2 chapters, 3 sections, 3 items, "
        "published)\n"
        "rulesets/THC-TEST.yaml: 3 rule sets for THC-TEST: 3 created\n"
    )
    assert err.getvalue() == (
        "editions/CHC-TEST.yaml: edition (code CHC-TEST), line 4: field 'kind': 'clinic' is "
        "not one of thc, chc\n"
    )
    assert list(Edition.objects.values_list("code", flat=True)) == ["THC-TEST"]


def test_load_catalogue_without_files_says_so(tmp_path, settings):
    settings.ACCREDITATION = {"CATALOGUE_DIR": tmp_path}

    out, err = run("load_catalogue")

    assert (out, err) == ("", f"No catalogue files under {tmp_path}/editions or /rulesets.\n")

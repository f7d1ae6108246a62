"""The import commands and the template command."""

import io

import pytest
from django.core.management import CommandError, call_command

from accreditation.excel import experts as expert_sheet
from accreditation.excel import institutions as institution_sheet
from accreditation.models import Institution, User
from tests.accreditation.excel.helpers import expert, institution


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_institutions_prints_a_summary(world, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(institution_sheet.write([institution(1), institution(2)]))
    out, _ = run("import_institutions", str(path))
    assert out.strip() == f"{path}: 2 row(s): 2 created, 0 updated, 0 unchanged"
    out, _ = run("import_institutions", str(path))
    assert out.strip().endswith("0 created, 0 updated, 2 unchanged")


def test_import_institutions_prints_every_error_and_fails(world, tmp_path):
    path = tmp_path / "list.xlsx"
    rows = [institution(1, region_code="1"), institution(2, region_code="2")]
    path.write_bytes(institution_sheet.write(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"nothing imported \(2 problem\(s\)\)"):
        call_command("import_institutions", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "sheet '机构名单' row 2 column E (行政区划代码): No region has the code 1.",
        "sheet '机构名单' row 3 column E (行政区划代码): No region has the code 2.",
    ]
    assert not Institution.objects.filter(licence_number__startswith="IMP").exists()


def test_import_commands_report_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("import_experts", str(tmp_path / "missing.xlsx"))


def test_import_experts_with_a_row_cap(world, tmp_path):
    path = tmp_path / "experts.xlsx"
    path.write_bytes(expert_sheet.write([expert(1), expert(2)]))
    with pytest.raises(CommandError):
        run("import_experts", str(path), "--max-rows", "1")
    out, _ = run("import_experts", str(path))
    assert "2 created" in out
    assert User.objects.filter(username__in=["expert1", "expert2"], role="expert").count() == 2


@pytest.mark.parametrize(("kind", "sheet"), [("institutions", "机构名单"), ("experts", "专家库")])
def test_excel_template_writes_a_blank_importable_workbook(tmp_path, kind, sheet):
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    run("excel_template", kind, str(path))
    workbook = load_workbook(path)
    assert workbook.sheetnames == [sheet, "说明"]
    assert workbook[sheet].max_row == 1

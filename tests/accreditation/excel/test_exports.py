"""Exports: permission-checked selectors feed pure writers; files open with openpyxl."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from accreditation.excel import assessment_items, region_summary
from accreditation.models import Assessment
from accreditation.selectors.exports import (
    assessment_item_results,
    region_targets,
)
from accreditation.selectors.exports import (
    region_summary as region_summary_read,
)
from accreditation.services.assessments import assessment_open
from tests.accreditation.helpers import grade_all
from tests.factories import InstitutionFactory, StaffFactory


def sheet_rows(data: bytes, sheet: str) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data))
    return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]


def test_assessment_items_export_lists_every_item_with_the_self_grade(world):
    grade_all(world.assessment_a, world.staff_a, {"1.1.1": "A", "1.1.2": "none", "1.1.3": "NA"})

    data = assessment_item_results(user=world.officer_city, assessment_id=world.assessment_a.pk)
    rows = sheet_rows(assessment_items.write(data), "条款结果")

    assert rows[0][:6] == ("章", "章名称", "条款编号", "条款内容", "条款类别", "自评等级")
    assert [(r[2], r[4], r[5], r[6]) for r in rows[1:]] == [
        ("1.1.1", "基本", "A", None),
        ("1.1.2", "基本", "未达标", None),
        ("1.1.3", "基本", "不适用", "不适用"),
        ("1.1.4", "基本", "未评", None),
        ("2.1.1", "基本", "未评", None),
        ("2.1.2", "推荐★", "未评", None),
    ]
    summary = dict(sheet_rows(assessment_items.write(data), "概况")[1:])
    assert summary["机构名称"] == "河口镇卫生院"
    assert summary["状态"] == "自评中"
    assert summary["申报等级"] == "基本标准"


def test_assessment_items_export_is_refused_outside_the_users_scope(world):
    with pytest.raises(Assessment.DoesNotExist):
        assessment_item_results(user=world.officer_other_city, assessment_id=world.assessment_a.pk)
    with pytest.raises(Assessment.DoesNotExist):
        assessment_item_results(user=world.staff_b, assessment_id=world.assessment_a.pk)


def test_assessment_items_export_runs_a_constant_number_of_queries(
    world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        assessment_item_results(user=world.staff_a, assessment_id=world.assessment_a.pk)


def test_region_summary_counts_per_child_region_with_a_total(world):
    InstitutionFactory(region=world.county_a, kind="chc")
    data = region_summary_read(user=world.officer_province, region=world.province, year=2026)

    by_code = {row.code: row for row in data.rows}
    assert list(by_code) == ["990100", "990200"]
    east = by_code["990100"]
    assert (east.institutions, east.health_centres, east.community_centres) == (2, 1, 1)
    assert (east.assessments, east.by_status, east.by_target) == (1, {"draft": 1}, {"basic": 1})
    assert (data.total.institutions, data.total.assessments) == (3, 2)
    assert data.total.by_status == {"draft": 2}

    rows = sheet_rows(region_summary.write(data), "地区汇总")
    assert rows[0][0] == "2026 年度 示范省 优质服务基层行汇总表"
    header = rows[4]
    assert header[:6] == ("区划代码", "地区", "机构数", "卫生院", "社区卫生服务中心", "参评数")
    body = {row[0]: row for row in rows[5:-1]}
    assert body["990100"][1:6] == ("东川市", 2, 1, 1, 1)
    assert body["990100"][header.index("自评中")] == 1
    assert body["990100"][header.index("申报基本标准")] == 1
    assert rows[-1][1:6] == ("示范省合计", 3, 2, 1, 2)


def test_region_summary_of_other_years_counts_no_assessments(world):
    data = region_summary_read(user=world.administrator, region=world.province, year=2025)
    assert (data.total.institutions, data.total.assessments) == (2, 0)


def test_region_summary_puts_institutions_of_the_region_itself_on_their_own_row(world):
    data = region_summary_read(user=world.officer_city, region=world.county_a, year=2026)
    assert [(row.name, row.institutions) for row in data.rows] == [("本级", 1)]


@pytest.mark.parametrize(
    ("who", "region", "allowed"),
    [
        ("officer_province", "province", True),
        ("officer_city", "city", True),
        ("officer_city", "province", False),
        ("officer_city", "other_city", False),
        ("reviewer_a", "county_a", True),
        ("reviewer_a", "city", False),
        ("officer_national", None, True),
        ("officer_province", None, False),
        ("administrator", None, True),
        ("staff_a", "county_a", False),
        ("expert", "province", False),
    ],
)
def test_region_summary_permissions(world, who, region, allowed):
    user = getattr(world, who)
    area = getattr(world, region) if region else None
    if allowed:
        region_summary_read(user=user, region=area, year=2026)
    else:
        with pytest.raises(PermissionDenied):
            region_summary_read(user=user, region=area, year=2026)


def test_national_summary_has_one_row_per_province(world):
    data = region_summary_read(user=world.officer_national, region=None, year=2026)
    assert [(row.code, row.institutions) for row in data.rows] == [("990000", 2)]
    assert data.total.name == "全国合计"


def test_region_summary_runs_a_constant_number_of_queries(world, django_assert_num_queries):
    for _ in range(5):
        staff = StaffFactory(institution=InstitutionFactory(region=world.county_b))
        assessment_open(
            actor=staff, cycle=world.cycle, institution=staff.institution, target_level="basic"
        )
    with django_assert_num_queries(4):
        region_summary_read(user=world.administrator, region=world.province, year=2026)


def test_targets_follow_the_provinces_zone():
    assert region_targets("330000").standard == 0.85  # 浙江: east
    assert region_targets("620000").recommended == 0.10  # 甘肃: west
    assert region_targets("990000").standard == 0.70  # not a real province: national


def test_region_summary_writer_prints_shares_against_targets():
    row = region_summary.RegionRow(
        code="990100",
        name="东川市",
        institutions=10,
        recognised={"basic": 5, "recommended": 2},
    )
    data = region_summary.RegionSummary(
        region="示范省",
        year=2026,
        generated_on=dt.date(2026, 12, 1),
        rows=(row,),
        total=row,
        targets=region_summary.Targets(standard=0.7, recommended=0.2, basis="全国目标"),
    )
    rows = sheet_rows(region_summary.write(data), "地区汇总")
    header = rows[4]
    first = rows[5]
    assert first[header.index("认定推荐标准")] == 2
    assert first[header.index("达标占比")] == pytest.approx(0.7)
    assert first[header.index("达标是否达到")] == "是"
    assert first[header.index("推荐占比")] == pytest.approx(0.2)
    assert first[header.index("推荐是否达到")] == "是"
    assert rows[2][0] == "目标：达到基本标准及以上 70%，推荐标准 20%（全国目标）"


def test_export_commands_write_workbooks(world, tmp_path):
    out = tmp_path / "items.xlsx"
    call_command(
        "export_assessment_items",
        str(world.assessment_a.pk),
        "--as",
        "staff_a",
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    assert len(sheet_rows(out.read_bytes(), "条款结果")) == 7
    out = tmp_path / "summary.xlsx"
    call_command(
        "export_region_summary",
        "--region",
        "990000",
        "--year",
        "2026",
        "--as",
        "officer_province",
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    assert sheet_rows(out.read_bytes(), "地区汇总")[-1][1] == "示范省合计"
    with pytest.raises(CommandError, match="may not report"):
        call_command(
            "export_region_summary",
            "--region=990000",
            "--year=2026",
            "--as=staff_a",
            f"-o={out}",
        )
    with pytest.raises(CommandError, match="no assessment"):
        call_command(
            "export_assessment_items", str(world.assessment_a.pk), "--as=staff_b", f"-o={out}"
        )


def test_notice_list_writer_numbers_the_entries_under_the_notice_caption():
    from accreditation.excel import notices

    data = notices.NoticeList(
        title="",
        document_number="卫公示〔2026〕1号",
        issuing_region="示范省",
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 11, 7),
        rows=(
            notices.NoticeEntryRow("东川市河口县", "河口镇卫生院", "thc", "L1", "basic", "listed"),
            notices.NoticeEntryRow(
                "西岭市石门县", "石门社区卫生服务中心", "chc", "L2", "recommended", "withdrawn", 2
            ),
        ),
    )
    rows = sheet_rows(notices.write(data), "公示名单")
    assert rows[0][0] == "示范省优质服务基层行拟认定名单公示"
    assert rows[2][0] == "公示期：2026-11-01 至 2026-11-07"
    assert rows[4] == notices.HEADERS
    assert rows[5] == (
        1,
        "东川市河口县",
        "河口镇卫生院",
        "乡镇卫生院",
        "L1",
        "基本标准",
        "公示中",
        0,
    )
    assert rows[6][5:] == ("推荐标准", "已撤回（异议成立）", 2)


def test_recognition_list_writer_counts_active_recognitions_per_region_and_level():
    from accreditation.excel import recognitions

    def row(group, name, level, status="active"):
        return recognitions.RecognitionRow(
            group=group,
            region=f"{group}某县",
            institution_name=name,
            institution_kind="thc",
            licence_number=name,
            level=level,
            recognised_on=dt.date(2026, 11, 20),
            valid_until=dt.date(2029, 11, 20),
            document_number="卫认〔2026〕3号",
            certificate_number=f"JC-99-2026-J-{name}",
            status=status,
        )

    data = recognitions.RecognitionList(
        region="示范省",
        year=2026,
        generated_on=dt.date(2026, 12, 1),
        rows=(
            row("东川市", "A", "recommended"),
            row("东川市", "B", "basic"),
            row("东川市", "C", "basic", status="revoked"),
            row("西岭市", "D", "qualified"),
        ),
    )
    content = recognitions.write(data)
    listed = sheet_rows(content, "认定名单")
    assert listed[0][0] == "示范省2026 年度优质服务基层行认定名单"
    assert [r[3] for r in listed[4:]] == ["A", "B", "C", "D"]
    assert listed[6][11] == "已撤销"
    assert listed[4][7] == dt.datetime(2026, 11, 20)
    counts = sheet_rows(content, "按地区统计")[2:]
    assert counts == [
        ("地区", "合格", "基本标准", "推荐标准", "合计"),
        ("东川市", 0, 1, 1, 2),
        ("西岭市", 1, 0, 0, 1),
        ("合计", 1, 1, 1, 3),
    ]

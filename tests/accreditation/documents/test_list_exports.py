"""Exports that need the review workflow: per-item results with the experts' grades,
the public-notice list, the recognition list by region, recognitions in the region
summary."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from openpyxl import load_workbook

from accreditation.excel import assessment_items, notices, recognitions, region_summary
from accreditation.models import CertificateRecord, PublicNotice
from accreditation.selectors.exports import assessment_item_results
from accreditation.selectors.exports import region_summary as region_summary_read
from accreditation.selectors.lists import notice_list, recognition_list
from tests.workflows.helpers import at_decision


def sheet_rows(data: bytes, sheet: str) -> list[tuple]:
    return [tuple(r) for r in load_workbook(io.BytesIO(data))[sheet].iter_rows(values_only=True)]


def test_item_results_carry_each_experts_grade_the_final_grade_and_findings(world, experts):
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("B", "B"))

    data = assessment_item_results(user=world.officer_province, assessment_id=world.assessment_a.pk)

    assert data.reviewed and data.experts == ("lead", "member")
    rows = sheet_rows(assessment_items.write(data), "条款结果")
    header = rows[0]
    assert header[-4:] == ("专家评分：lead", "专家评分：member", "最终等级", "评审意见")
    first = dict(zip(header, rows[1], strict=True))
    grades = (first["自评等级"], first["专家评分：lead"], first["专家评分：member"])
    assert grades == ("A", "B", "B")
    assert first["最终等级"] == "B"
    assert "核查" in first["评审意见"]


def test_institution_staff_get_the_review_columns_only_once_decided(world, experts):
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("B", "B"))
    data = assessment_item_results(user=world.staff_a, assessment_id=world.assessment_a.pk)
    assert not data.reviewed and data.experts == ()


def test_notice_list_lists_every_entry(world, notice):
    data = notice_list(user=world.staff_b, notice_id=notice.pk)
    assert (data.document_number, data.issuing_region) == (notice.document_number, "示范省")
    assert [(r.region, r.institution_name, r.status) for r in data.rows] == [
        ("东川市河口县", "河口镇卫生院", "recognised"),
        ("西岭市石门县", "石门镇卫生院", "recognised"),
    ]
    rows = sheet_rows(notices.write(data), "公示名单")
    assert rows[5][:3] == (1, "东川市河口县", "河口镇卫生院")


def test_notice_list_is_refused_to_users_without_a_role(world, notice, django_user_model):
    nobody = django_user_model.objects.create(username="nobody")
    with pytest.raises(PublicNotice.DoesNotExist):
        notice_list(user=nobody, notice_id=notice.pk)


def test_recognition_list_groups_by_child_region_with_certificate_numbers(world, notice):
    data = recognition_list(user=world.officer_province, region=world.province, year=2026)

    assert [(r.group, r.region, r.institution_name) for r in data.rows] == [
        ("东川市", "河口县", "河口镇卫生院"),
        ("西岭市", "石门县", "石门镇卫生院"),
    ]
    numbers = set(CertificateRecord.objects.values_list("number", flat=True))
    assert {r.certificate_number for r in data.rows} == numbers
    content = recognitions.write(data)
    counts = sheet_rows(content, "按地区统计")
    assert counts[-1][0] == "合计" and counts[-1][-1] == 2
    city = recognition_list(user=world.officer_city, region=world.city)
    assert [r.institution_name for r in city.rows] == ["河口镇卫生院"]
    with pytest.raises(PermissionDenied):
        recognition_list(user=world.officer_city, region=world.province)


def test_region_summary_counts_recognitions_against_the_targets(world, notice):
    data = region_summary_read(user=world.officer_province, region=world.province, year=2026)
    assert data.tracks_recognitions
    levels = {k: v for k, v in data.total.recognised.items() if v}
    assert sum(levels.values()) == 2
    rows = sheet_rows(region_summary.write(data), "地区汇总")
    header = rows[4]
    total = dict(zip(header, rows[-1], strict=True))
    assert total["达标目标"] == pytest.approx(0.70)
    reached = sum(levels.get(lv, 0) for lv in ("basic", "recommended"))
    standard = reached / data.total.institutions
    assert total["达标占比"] == pytest.approx(standard)


def test_list_export_commands(world, notice, tmp_path):
    out = tmp_path / "list.xlsx"
    call_command(
        "export_notice_list", str(notice.pk), "--as=officer_province", f"-o={out}",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert sheet_rows(out.read_bytes(), "公示名单")[5][2] == "河口镇卫生院"
    call_command(
        "export_recognitions", "--region=990000", "--as=officer_province", f"-o={out}",
        stdout=io.StringIO(),
    )  # fmt: skip
    assert len(sheet_rows(out.read_bytes(), "认定名单")) == 6

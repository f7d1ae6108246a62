"""The assessment report from the database: Chinese text, reasons from the structured
conditions, permissions."""

import datetime as dt
import re

import pytest

from accreditation.models import Assessment, AssessmentResult
from accreditation.selectors.reports import assessment_report_data, fact_rows
from accreditation.services.decisions import decision_record
from accreditation.services.reports import assessment_report_render
from tests.accreditation.helpers import grade_all
from tests.pdf.pdftools import fonts, text
from tests.workflows.helpers import at_decision


def squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


@pytest.fixture
def graded(world):
    grades = {"1.1.1": "A", "1.1.2": "B", "1.1.3": "C", "1.1.4": "none", "2.1.1": "B"}
    grade_all(world.assessment_a, world.staff_a, grades)
    return world


def test_report_data_follows_the_self_assessment_and_the_rule_sets(graded):
    data = assessment_report_data(
        user=graded.staff_a, assessment_id=graded.assessment_a.pk, on=dt.date(2026, 10, 1)
    )
    assert data.institution_name == "河口镇卫生院"
    assert data.region == "示范省东川市河口县"
    assert data.institution_kind == "乡镇卫生院"
    assert data.reference == f"自评-2026-{graded.assessment_a.pk:06d}"
    assert data.level == "basic"
    assert data.reasons == (
        "推荐标准：基本条款 C 级及以上条款占比 80%，低于要求的 90%（4/5 项，需 5 项）；"
        "未达 C 级的条款：1.1.4",
        "推荐标准：推荐条款 C 级及以上条款占比 0%，低于要求的 50%（0/1 项，需 1 项）；"
        "未达 C 级的条款：2.1.2",
    )
    assert [(c.code, c.applicable, c.c_or_better, c.b_or_better, c.a) for c in data.chapters] == [
        ("1", 4, 3, 2, 1),
        ("2", 1, 1, 1, 0),
    ]
    assert [(i.code, i.self_grade, i.review_grade) for i in data.items][:4] == [
        ("1.1.1", "A", "A"),
        ("1.1.2", "B", "B"),
        ("1.1.3", "C", "C"),
        ("1.1.4", "none", "none"),
    ]
    assert data.items[-1].code == "2.1.2" and data.items[-1].self_grade == "none"
    assert (data.gap.target, data.gap.reachable) == ("recommended", True)
    assert [(u.item_code, u.from_grade, u.to_grade) for u in data.gap.upgrades] == [
        ("1.1.4", "none", "C"),
        ("2.1.2", "none", "C"),
    ]
    assert data.gap.upgrades[0].item_title == "条款 1.1.4"
    assert data.rule_set == "合格 第 1 版；基本标准 第 1 版；推荐标准 第 1 版"
    assert data.facts == fact_rows(
        {"service_population": 30000, "medical_staff": 40, "beds": 20, "inpatient_ward": True}
    )


def test_report_pdf_holds_the_expected_chinese_text_in_an_embedded_font(graded):
    pdf = assessment_report_render(user=graded.officer_city, assessment_id=graded.assessment_a.pk)
    content = squash(text(pdf))
    for expected in (
        "评审报告",
        "河口镇卫生院",
        "示范省东川市河口县",
        "一、机构基本情况",
        "二、评审结果",
        "未达到更高等级的原因",
        "基本条款C级及以上条款占比",
        "三、各章达标情况",
        "四、逐条评审结果",
        "五、整改提升计划",
        "卫生技术人员",
        "第1页",
    ):
        assert squash(expected) in content, expected
    assert all(font.embedded_truetype for font in fonts(pdf))


def test_report_is_refused_outside_the_users_scope(graded):
    with pytest.raises(Assessment.DoesNotExist):
        assessment_report_render(user=graded.staff_b, assessment_id=graded.assessment_a.pk)


def test_report_data_runs_a_constant_number_of_queries(graded, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assessment_report_data(user=graded.staff_a, assessment_id=graded.assessment_a.pk)


def test_report_after_the_review_prints_final_grades_findings_and_the_result(world, experts):
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("B", "B"))

    data = assessment_report_data(user=world.officer_province, assessment_id=world.assessment_a.pk)

    assert data.reference == f"评审-2026-{world.assessment_a.pk:06d}"
    rows = {item.code: item for item in data.items}
    assert (rows["1.1.1"].self_grade, rows["1.1.1"].review_grade) == ("A", "B")
    assert rows["1.1.1"].finding == "核查"
    result = AssessmentResult.objects.get(assessment=world.assessment_a)
    assert data.level == (result.computed_level or None)
    assert data.rule_set == "合格 第 1 版；基本标准 第 1 版；推荐标准 第 1 版"
    pdf = assessment_report_render(user=world.officer_province, assessment_id=world.assessment_a.pk)
    content = squash(text(pdf))
    assert "复核与自评一致0个，下调6个" in content
    assert "核查" in content


def test_institution_staff_see_the_review_only_once_decided(world, experts):
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("B", "B"))
    before = assessment_report_data(user=world.staff_a, assessment_id=world.assessment_a.pk)
    assert before.reference.startswith("自评-")
    decision_record(actor=world.officer_province, assessment=world.assessment_a)
    after = assessment_report_data(user=world.staff_a, assessment_id=world.assessment_a.pk)
    assert after.reference.startswith("评审-")


def test_an_overriding_decision_is_printed_with_its_reason(world, experts):
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("B", "B"))
    decision_record(
        actor=world.officer_province,
        assessment=world.assessment_a,
        level="qualified",
        override_reason="现场核查发现问题",
    )
    data = assessment_report_data(user=world.officer_province, assessment_id=world.assessment_a.pk)
    assert data.level == "qualified"
    assert data.reasons[0] == "委员会决定：认定为合格（现场核查发现问题）"


def test_the_report_lists_findings_with_their_status(world, experts):
    from accreditation.services.findings import findings_from_gap_plan, plan_submit

    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("C", "C"))
    raised = findings_from_gap_plan(actor=world.officer_province, assessment=world.assessment_a)
    plan_submit(
        actor=world.staff_a,
        finding=raised[0],
        root_cause="制度未落实",
        actions="修订制度",
        owner="王主任",
        due_on=raised[0].due_on,
    )
    data = assessment_report_data(user=world.officer_province, assessment_id=world.assessment_a.pk)
    assert [(f.item_code, f.source) for f in data.findings] == [
        (f.item_code, "专家组") for f in raised
    ]
    assert (data.findings[0].status, data.findings[0].owner) == ("计划待审核", "王主任")
    assert {f.status for f in data.findings[1:]} == {"待提交整改计划"}
    pdf = assessment_report_render(user=world.officer_province, assessment_id=world.assessment_a.pk)
    content = squash(text(pdf))
    assert "六、整改问题清单" in content
    assert f"共{len(raised)}个问题，已核实销号0个。" in content
    assert "王主任" in content and "计划待审核" in content

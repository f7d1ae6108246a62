import dataclasses
import re

from reportlab.lib.pagesizes import A4

from accreditation.pdf.data import GapSection
from accreditation.pdf.report import render_assessment_report
from accreditation.pdf.samples import sample_report
from tests.pdf.pdftools import FontInfo, fonts, page_texts, reader, text

PAGE_NUMBER = re.compile(r"第 (\d+) 页 / 共 (\d+) 页")


def _render(**overrides):
    return render_assessment_report(dataclasses.replace(sample_report(120), **overrides))


def test_120_item_report_numbers_every_page_out_of_the_total():
    pages = page_texts(render_assessment_report(sample_report(120)))
    assert len(pages) >= 4
    numbers = [PAGE_NUMBER.findall(page) for page in pages]
    assert numbers == [[(str(i), str(len(pages)))] for i in range(1, len(pages) + 1)]


def test_report_pages_are_a4_portrait():
    pdf = reader(render_assessment_report(sample_report(10)))
    sizes = {
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in pdf.pages
    }
    assert sizes == {(round(A4[0], 2), round(A4[1], 2))}


def test_every_item_appears_with_its_code_and_title():
    data = sample_report(120)
    body = text(render_assessment_report(data)).replace("\n", "")
    missing = [item.code for item in data.items if item.code not in body]
    assert missing == []
    assert "医疗质量安全符合服务能力标准要求（第10项）" in body
    assert "共 120 个条款，复核与自评一致 99 个，下调 9 个" in body


def test_item_table_header_repeats_on_every_page_it_spans():
    data = sample_report(120)
    pages = [page.replace("\n", "") for page in page_texts(render_assessment_report(data))]
    with_items = [i for i, page in enumerate(pages) if "符合服务能力标准要求（第" in page]
    assert len(with_items) >= 3
    assert all("问题与发现" in pages[i] for i in with_items)


def test_report_names_the_chapters_in_table_chart_and_item_groups():
    body = text(render_assessment_report(sample_report(120)))
    for name in ["功能任务与资源配置", "基本医疗和公共卫生服务", "业务管理", "综合管理"]:
        assert body.count(name) >= 2  # chapter table and the item table's group row
    for label in ["第1章", "第4章", "C级及以上", "B级及以上", "A级", "100%"]:
        assert label in body


def test_chapter_table_prints_counts_with_shares():
    body = text(render_assessment_report(sample_report(10)))
    assert "21（95.5%）" in body
    assert "6（27.3%）" in body


def test_result_reasons_and_gap_plan_are_printed():
    body = text(render_assessment_report(sample_report(10)))
    for expected in [
        "二、评审结果",
        "评审结果：基本标准",
        "1. 推荐标准：B 级及以上条款占比 52.0%，低于要求的 60%",
        "五、整改提升计划",
        "达到“推荐标准”至少需要提升以下 3 个条款（共 3 级）：",
        "信息化建设符合服务能力标准要求",
    ]:
        assert expected in body


def test_report_without_a_level_says_so():
    body = text(_render(level=None, gap=GapSection(target="qualified", reachable=False,
                                                   reason="合格标准仅适用于小型机构")))  # fmt: skip
    assert "评审结果：未达到合格标准" in body
    assert "在现有条款范围内无法达到合格：合格标准仅适用于小型机构" in body


def test_report_at_the_top_level_needs_no_gap_plan():
    body = text(_render(level="recommended", reasons=(), gap=GapSection(target=None)))
    assert "评审结果：推荐标准" in body
    assert "已达到最高等级。" in body
    assert "已达到最高等级，无需提升。" in body


def test_markup_characters_in_data_print_literally():
    body = text(_render(institution_name="<b>某某 & 卫生院</b>"))
    assert "<b>某某 & 卫生院</b>" in body


def test_report_uses_only_the_embedded_cjk_font():
    found = fonts(render_assessment_report(sample_report(120)))
    assert {f.base_font.split("+")[1] for f in found} == {"UMingCN-0"}
    assert all(isinstance(f, FontInfo) and f.embedded_truetype for f in found)


def test_report_rendering_is_deterministic():
    data = sample_report(30)
    assert render_assessment_report(data) == render_assessment_report(data)


def test_empty_report_renders_the_fixed_sections():
    pages = page_texts(_render(chapters=(), items=(), facts=(), reasons=()))
    assert len(pages) == 1
    assert "一、机构基本情况" in pages[0]
    assert "第 1 页 / 共 1 页" in pages[0]


def test_findings_print_as_section_six_only_when_there_are_some():
    from datetime import date

    from accreditation.pdf.data import FindingRow

    assert "整改问题清单" not in text(_render())
    rows = (
        FindingRow("1.2.3", "专家组", "制度未落实", "整改中", date(2027, 3, 1), "王主任"),
        FindingRow("", "回头看", "病历书写不规范", "已销号", None, "李医生", closed=True),
    )
    body = text(_render(findings=rows)).replace("\n", "")
    assert "六、整改问题清单" in body
    assert "共 2 个问题，已核实销号 1 个。" in body
    assert "2027-03-01" in body and "整体" in body and "王主任" in body

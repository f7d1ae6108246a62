import hashlib
from datetime import date

import pytest
from reportlab.lib.pagesizes import A4

from accreditation.pdf.certificate import chinese_date, render_certificate
from accreditation.pdf.fonts import clear_font_cache, load_cjk_font
from accreditation.pdf.qr import encode_qr
from accreditation.pdf.samples import sample_certificate
from tests.pdf.pdftools import FontInfo, fonts, page_texts, reader
from tests.pdf.qrdecode import decode, matrix_from_pdf


def test_certificate_is_one_a4_landscape_page():
    pdf = reader(render_certificate(sample_certificate()))
    box = pdf.pages[0].mediabox
    assert len(pdf.pages) == 1
    assert (round(float(box.width), 2), round(float(box.height), 2)) == (
        round(A4[1], 2),
        round(A4[0], 2),
    )


def test_certificate_text_carries_every_printed_fact():
    data = sample_certificate()
    (text,) = page_texts(render_certificate(data))
    for expected in [
        "优质服务基层行",
        "证书",
        "示范市示范区青山街道社区卫生服务中心",
        "医疗机构执业许可证登记号：PDY12345-699010212D2112",
        "经审核评价，该机构在 2026 年度“优质服务基层行”活动中达到",
        "推荐标准",
        "特发此证。",
        "证书编号：YZJC-2026-990102-0042",
        "发证日期：2026年11月3日",
        "有效期至：2029年11月2日",
        f"验 证 码：{data.verification_code}",
        "验证网址：https://jiceng.example.org/verify/YZJC-2026-990102-0042?v=1",
        "示范省卫生健康委员会",
    ]:
        assert expected in text


@pytest.mark.parametrize(
    ("level", "label"), [("qualified", "合格"), ("basic", "基本标准"), ("recommended", "推荐标准")]
)
def test_level_is_printed_in_chinese(level, label):
    (text,) = page_texts(render_certificate(sample_certificate(level=level)))
    levels = [line for line in text.splitlines() if line in {"合格", "基本标准", "推荐标准"}]
    assert levels == [label]


def test_qr_code_on_the_page_decodes_to_exactly_the_verification_url():
    data = sample_certificate()
    matrix = matrix_from_pdf(render_certificate(data))
    assert decode(matrix) == data.verification_url.encode("ascii")
    assert matrix == encode_qr(data.verification_url).modules


def test_re_issued_version_prints_its_version_and_a_new_code():
    first, second = sample_certificate(), sample_certificate(version=2)
    (text,) = page_texts(render_certificate(second))
    assert "证书编号：YZJC-2026-990102-0042（第 2 版）" in text
    assert second.verification_code != first.verification_code


@pytest.mark.parametrize(
    ("status", "watermark"), [("revoked", "已撤销"), ("superseded", "已被替代")]
)
def test_revoked_or_superseded_certificate_carries_a_watermark(status, watermark):
    (text,) = page_texts(render_certificate(sample_certificate(status=status)))
    assert text.splitlines()[-1] == watermark


def test_valid_certificate_has_no_watermark():
    (text,) = page_texts(render_certificate(sample_certificate()))
    assert "已撤销" not in text
    assert "已被替代" not in text


def test_rendering_is_deterministic_so_sha256_identifies_the_file():
    data = sample_certificate()
    digests = {hashlib.sha256(render_certificate(data)).hexdigest() for _ in range(3)}
    assert len(digests) == 1
    assert render_certificate(sample_certificate(status="revoked")) != render_certificate(data)


def test_certificate_embeds_a_subset_of_the_truetype_font_and_nothing_else():
    pdf = render_certificate(sample_certificate(), font=load_cjk_font())
    assert fonts(pdf) == {FontInfo("/AAAAAA+UMingCN-0", "/TrueType", True)}


def test_builtin_fallback_is_not_embedded_but_still_extracts():
    clear_font_cache()
    try:
        font = load_cjk_font("/nonexistent/font.ttf", system_fonts=())
        pdf = render_certificate(sample_certificate(), font=font)
    finally:
        clear_font_cache()
    assert fonts(pdf) == {FontInfo("/STSong-Light", "/Type0", False)}
    (text,) = page_texts(pdf)
    assert "示范市示范区青山街道社区卫生服务中心" in text
    assert "推荐标准" in text


def test_long_names_still_print_in_full():
    name = "新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县爱新舍里镇中心卫生院"
    (text,) = page_texts(
        render_certificate(sample_certificate(institution_name=name, issuing_body=name))
    )
    assert text.count(name) == 2


def test_document_title_names_the_certificate():
    metadata = reader(render_certificate(sample_certificate())).metadata
    assert (metadata.title, metadata.author) == (
        "优质服务基层行证书 YZJC-2026-990102-0042",
        "示范省卫生健康委员会",
    )


def test_chinese_date_has_no_zero_padding():
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"

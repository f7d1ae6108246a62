"""The certificate: one A4 landscape page drawn directly on a canvas.

Layout, top to bottom inside a double border: the campaign name and the title
证书, the institution's name (shrunk to fit), its licence number, the award
sentence with the level in large type, then the certificate number, dates and
verification code on the left, the issuing body and date in the middle, and the
QR code to the verification page on the right. A revoked or superseded
certificate carries a diagonal watermark drawn over everything.
"""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from accreditation.pdf.data import REVOKED, SUPERSEDED, CertificateData
from accreditation.pdf.fonts import CJKFont, load_cjk_font
from accreditation.pdf.qr import draw_qr, encode_qr

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
CAMPAIGN = "优质服务基层行"
TITLE = "证书"
WATERMARKS: dict[str, str] = {REVOKED: "已撤销", SUPERSEDED: "已被替代"}

RED = colors.HexColor("#9b1c1c")
GOLD = colors.HexColor("#b08d3c")
INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#555555")

_OUTER = 24.0  # outer border inset, points
_INNER = 32.0  # inner border inset
_QR_SIZE = 96.0
_NAME_MAX_WIDTH = PAGE_WIDTH - 2 * 90.0


def chinese_date(day: date) -> str:
    """``2026年11月3日``: no zero padding, as Chinese official documents print dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def render_certificate(data: CertificateData, *, font: CJKFont | None = None) -> bytes:
    """Render ``data`` as a one-page PDF and return its bytes.

    ``font`` defaults to :func:`load_cjk_font` (cached per process). The output is
    deterministic: the same data and font give the same bytes, so a stored file
    can be identified by its sha256. The QR code's payload is exactly
    ``data.verification_url``. Every printed string is real text, so pypdf or
    pdftotext extract it.
    """
    font = font or load_cjk_font()
    fields = data.fields
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        invariant=1,
        pageCompression=1,
        initialFontName=font.name,  # type: ignore[arg-type]  # a font name; the stubs say float
    )
    canvas.setTitle(f"{CAMPAIGN}{TITLE} {fields.number}")
    canvas.setAuthor(fields.issuing_body)
    canvas.setSubject(f"{fields.institution_name} {fields.level_label}")
    canvas.setCreator("jiceng-accreditation")

    _borders(canvas)
    name = font.name
    centre = PAGE_WIDTH / 2

    canvas.setFillColor(RED)
    canvas.setFont(name, 24)
    canvas.drawCentredString(centre, 505, CAMPAIGN, charSpace=6)
    canvas.setFont(name, 46)
    canvas.drawCentredString(centre, 440, TITLE, charSpace=40)

    canvas.setFillColor(INK)
    size = _fit(fields.institution_name, name, 30, _NAME_MAX_WIDTH)
    canvas.setFont(name, size)
    canvas.drawCentredString(centre, 375, fields.institution_name)
    canvas.setFillColor(GREY)
    canvas.setFont(name, 11)
    canvas.drawCentredString(centre, 352, f"医疗机构执业许可证登记号：{fields.institution_licence}")

    canvas.setFillColor(INK)
    canvas.setFont(name, 16)
    canvas.drawCentredString(
        centre, 312, f"经审核评价，该机构在 {fields.cycle_year} 年度“{CAMPAIGN}”活动中达到"
    )
    canvas.setFillColor(RED)
    canvas.setFont(name, 36)
    canvas.drawCentredString(centre, 258, fields.level_label, charSpace=4)
    canvas.setFillColor(INK)
    canvas.setFont(name, 16)
    canvas.drawCentredString(centre, 222, "特发此证。")

    _particulars(canvas, data, name)
    _issuer(canvas, data, name)
    qr_x = PAGE_WIDTH - _INNER - 14 - _QR_SIZE
    qr_y = _INNER + 26
    draw_qr(canvas, encode_qr(data.verification_url), qr_x, qr_y, _QR_SIZE)
    canvas.setFillColor(GREY)
    canvas.setFont(name, 8)
    canvas.drawCentredString(qr_x + _QR_SIZE / 2, qr_y - 11, "扫码验证真伪")

    if data.status in WATERMARKS:
        _watermark(canvas, WATERMARKS[data.status], name)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _borders(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(3)
    canvas.rect(_OUTER, _OUTER, PAGE_WIDTH - 2 * _OUTER, PAGE_HEIGHT - 2 * _OUTER)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.8)
    canvas.rect(_INNER, _INNER, PAGE_WIDTH - 2 * _INNER, PAGE_HEIGHT - 2 * _INNER)
    # Small squares in the corners between the two lines.
    canvas.setFillColor(RED)
    mid = (_OUTER + _INNER) / 2
    for x in (mid, PAGE_WIDTH - mid):
        for y in (mid, PAGE_HEIGHT - mid):
            canvas.rect(x - 3, y - 3, 6, 6, stroke=0, fill=1)
    canvas.restoreState()


def _particulars(canvas: Canvas, data: CertificateData, font: str) -> None:
    fields = data.fields
    number = fields.number
    if fields.version > 1:
        number = f"{number}（第 {fields.version} 版）"
    lines = (
        f"证书编号：{number}",
        f"发证日期：{chinese_date(fields.issue_date)}",
        f"有效期至：{chinese_date(fields.valid_until)}",
        f"验 证 码：{data.verification_code}",
    )
    x = _INNER + 30
    y = _INNER + 92
    canvas.setFillColor(INK)
    canvas.setFont(font, 11)
    for line in lines:
        canvas.drawString(x, y, line)
        y -= 17
    canvas.setFillColor(GREY)
    canvas.setFont(font, 7.5)
    canvas.drawString(x, y - 2, f"验证网址：{data.verification_url}")


def _issuer(canvas: Canvas, data: CertificateData, font: str) -> None:
    fields = data.fields
    centre = PAGE_WIDTH - _INNER - 14 - _QR_SIZE - 150
    canvas.setFillColor(INK)
    size = _fit(fields.issuing_body, font, 15, 250)
    canvas.setFont(font, size)
    canvas.drawCentredString(centre, _INNER + 92, fields.issuing_body)
    canvas.setFont(font, 12)
    canvas.drawCentredString(centre, _INNER + 70, chinese_date(fields.issue_date))


def _watermark(canvas: Canvas, text: str, font: str) -> None:
    canvas.saveState()
    canvas.setFillColor(RED, alpha=0.28)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(24)
    size = _fit(text, font, 120, PAGE_WIDTH * 0.8)
    canvas.setFont(font, size)
    canvas.drawCentredString(0, -size / 3, text, charSpace=size / 6)
    canvas.restoreState()


def _fit(text: str, font: str, size: float, max_width: float) -> float:
    """``size``, or the smaller size at which ``text`` is ``max_width`` wide."""
    width = stringWidth(text, font, size)
    return size if width <= max_width else size * max_width / width

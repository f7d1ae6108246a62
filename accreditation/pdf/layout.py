"""Platypus building blocks shared by the multi-page documents: styles, the page
furniture (running header, "第 X 页 / 共 Y 页" footer) and labels for codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from accreditation.pdf.data import LEVEL_LABELS

GRADE_LABELS: dict[str, str] = {"none": "未达C", "C": "C", "B": "B", "A": "A", "NA": "不适用"}
TIER_LABELS: dict[str, str] = {"basic": "基本", "recommended": "推荐★"}

ACCENT = colors.HexColor("#9b1c1c")
HEADER_FILL = colors.HexColor("#efe6d8")
RULE = colors.HexColor("#8c8c8c")
DOWNGRADE_FILL = colors.HexColor("#fbeaea")


def level_label(level: str | None) -> str:
    return LEVEL_LABELS[level] if level else "未达到合格标准"


@dataclass(frozen=True, slots=True)
class Styles:
    """Paragraph styles in one CJK font (CJK line breaking, no bold face needed)."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    result: ParagraphStyle
    cell: ParagraphStyle
    cell_centre: ParagraphStyle
    head_cell: ParagraphStyle

    @classmethod
    def for_font(cls, font: str) -> Styles:
        base = ParagraphStyle("body", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
        cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11)
        return cls(
            title=ParagraphStyle(
                "title",
                parent=base,
                fontSize=20,
                leading=28,
                alignment=TA_CENTER,
                textColor=ACCENT,
                spaceAfter=4,
            ),
            subtitle=ParagraphStyle(
                "subtitle",
                parent=base,
                fontSize=14,
                leading=20,
                alignment=TA_CENTER,
                spaceAfter=10,
            ),
            heading=ParagraphStyle(
                "heading",
                parent=base,
                fontSize=13,
                leading=18,
                textColor=ACCENT,
                spaceBefore=12,
                spaceAfter=6,
            ),
            body=base,
            result=ParagraphStyle("result", parent=base, fontSize=14, leading=20, spaceAfter=6),
            cell=cell,
            cell_centre=ParagraphStyle("cell_centre", parent=cell, alignment=TA_CENTER),
            head_cell=ParagraphStyle("head_cell", parent=cell, alignment=TA_CENTER),
        )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: markup characters in ``text`` are escaped."""
    return Paragraph(escape(text), style)


def numbered_canvas(font: str, header_left: str, header_right: str) -> type[Canvas]:
    """A canvas class that defers pages until ``save`` so each footer knows the total.

    Pages are kept as canvas states (the recipe from ReportLab's users' list): the
    document is laid out once, and only the header and footer are drawn at the end.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            # Canvas._startPage and _pagesize: private state the recipe relies on; the
            # stubs leave them out.
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furniture(number, total)
                super().showPage()
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            width, height = self._pagesize  # type: ignore[attr-defined]
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(RULE)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.drawString(48, height - 36, header_left)
            self.drawRightString(width - 48, height - 36, header_right)
            self.line(48, height - 40, width - 48, height - 40)
            self.drawCentredString(width / 2, 28, f"第 {number} 页 / 共 {total} 页")
            self.restoreState()

    return NumberedCanvas

"""The assessment report: a multi-page A4 portrait document built with Platypus.

Sections: 一 institution facts, 二 the result and why no higher level was reached,
三 chapter shares (table and bar chart), 四 every item's self grade against the
review grade with findings (one long table, header row repeated on each page),
五 the gap plan. Each page has a running header and "第 X 页 / 共 Y 页".
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from accreditation.pdf.certificate import chinese_date
from accreditation.pdf.data import ChapterRow, ReportData
from accreditation.pdf.fonts import CJKFont, load_cjk_font
from accreditation.pdf.layout import (
    DOWNGRADE_FILL,
    GRADE_LABELS,
    HEADER_FILL,
    RULE,
    TIER_LABELS,
    Styles,
    level_label,
    numbered_canvas,
    para,
)
from standards.scoring.types import GRADE_RANK, NA

TITLE = "优质服务基层行评审报告"
_WIDTH = A4[0] - 2 * 18 * mm  # usable width between the margins
SERIES = (
    ("C级及以上", colors.HexColor("#4f7cac")),
    ("B级及以上", colors.HexColor("#e0a339")),
    ("A级", colors.HexColor("#9b1c1c")),
)


def render_assessment_report(data: ReportData, *, font: CJKFont | None = None) -> bytes:
    """Render ``data`` as a PDF report and return its bytes.

    ``font`` defaults to :func:`load_cjk_font`. Deterministic: the same data and font
    give the same bytes. Any number of items; the item table splits across pages
    with its header row repeated. Every string is real, extractable text.
    """
    font = font or load_cjk_font()
    styles = Styles.for_font(font.name)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        title=f"{TITLE} {data.reference}",
        author=data.institution_name,
        subject=f"{data.cycle_year} 年度评审",
        creator="jiceng-accreditation",
        invariant=1,
        initialFontName=font.name,
    )
    story: list[Flowable] = [
        para(TITLE, styles.title),
        para(data.institution_name, styles.subtitle),
        *_facts(data, styles),
        *_result(data, styles),
        *_chapters(data, styles, font.name),
        *_items(data, styles),
        *_gap(data, styles),
        *_findings(data, styles),
    ]
    canvasmaker = numbered_canvas(font.name, data.institution_name, f"{TITLE}　{data.reference}")
    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


def _table(
    rows: Sequence[Sequence[object]], widths: list[float], styles: Styles, *, header: bool = True
) -> Table:
    table = Table([list(row) for row in rows], colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        # Empty cells of spanned rows are plain strings: keep them off Helvetica too.
        ("FONTNAME", (0, 0), (-1, -1), styles.cell.fontName),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL))
    table.setStyle(TableStyle(commands))
    return table


def _facts(data: ReportData, styles: Styles) -> list[Flowable]:
    pairs = [
        ("机构名称", data.institution_name),
        ("执业许可证登记号", data.institution_licence),
        ("机构类别", data.institution_kind),
        ("所在地区", data.region),
        ("评审周期", f"{data.cycle_year} 年度"),
        ("评审编号", data.reference),
        ("标准版本", data.edition),
        ("判定规则", data.rule_set),
        *((row.label, row.value) for row in data.facts),
        ("报告日期", chinese_date(data.generated_on)),
    ]
    if len(pairs) % 2:
        pairs.append(("", ""))
    cell, label = styles.cell, styles.head_cell
    rows = [
        [
            para(pairs[i][0], label),
            para(pairs[i][1], cell),
            para(pairs[i + 1][0], label),
            para(pairs[i + 1][1], cell),
        ]
        for i in range(0, len(pairs), 2)
    ]
    table = _table(rows, [0.18 * _WIDTH, 0.32 * _WIDTH] * 2, styles, header=False)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
                ("BACKGROUND", (2, 0), (2, -1), HEADER_FILL),
            ]
        )
    )
    return [para("一、机构基本情况", styles.heading), table]


def _result(data: ReportData, styles: Styles) -> list[Flowable]:
    out: list[Flowable] = [
        para("二、评审结果", styles.heading),
        para(f"评审结果：{level_label(data.level)}", styles.result),
    ]
    if data.reasons:
        out.append(para("未达到更高等级的原因：", styles.body))
        out += [para(f"{i}. {reason}", styles.body) for i, reason in enumerate(data.reasons, 1)]
    elif data.level == "recommended":
        out.append(para("已达到最高等级。", styles.body))
    return out


def _percent(row: ChapterRow, count: int) -> str:
    return f"{count}（{row.share(count):.1%}）"


def _chapters(data: ReportData, styles: Styles, font: str) -> list[Flowable]:
    if not data.chapters:
        return []
    head = ["章", "名称", "适用条款", "不适用", "C级及以上", "B级及以上", "A级"]
    rows: list[Sequence[object]] = [[para(h, styles.head_cell) for h in head]]
    for row in data.chapters:
        values = [
            row.code,
            row.name,
            str(row.applicable),
            str(row.not_applicable),
            _percent(row, row.c_or_better),
            _percent(row, row.b_or_better),
            _percent(row, row.a),
        ]
        rows.append(
            [para(values[0], styles.cell_centre), para(values[1], styles.cell)]
            + [para(v, styles.cell_centre) for v in values[2:]]
        )
    widths = [0.06, 0.30, 0.10, 0.08, 0.152, 0.152, 0.156]
    return [
        para("三、各章达标情况（基本条款，按适用条款计）", styles.heading),
        _table(rows, [w * _WIDTH for w in widths], styles),
        Spacer(1, 8),
        KeepTogether([_chart(data.chapters, font)]),
    ]


def _chart(chapters: tuple[ChapterRow, ...], font: str) -> Drawing:
    """Grouped bars per chapter: shares of C-or-better, B-or-better and A, in percent."""
    drawing = Drawing(_WIDTH, 190, initialFontName=font)  # the renderer's, else Helvetica
    chart = VerticalBarChart()
    # types-reportlab types widget sizes as int; ReportLab's own check takes any number.
    chart.x, chart.y, chart.width, chart.height = 40, 30, _WIDTH - 150, 145  # type: ignore[assignment]
    chart.data = [
        [round(100 * row.share(getattr(row, attr)), 1) for row in chapters]
        for attr in ("c_or_better", "b_or_better", "a")
    ]
    chart.categoryAxis.categoryNames = [f"第{row.code}章" for row in chapters]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.barLabelFormat = "%.0f"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 5
    chart.groupSpacing = 8
    for index, (_, colour) in enumerate(SERIES):
        chart.bars[index].fillColor = colour
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = _WIDTH - 95, 150  # type: ignore[assignment]  # as chart.width
    legend.fontName = font
    legend.fontSize = 8
    legend.alignment = "right"
    legend.colorNamePairs = [(colour, label) for label, colour in SERIES]
    drawing.add(legend)
    return drawing


def _agreement(self_grade: str, review_grade: str) -> str:
    if self_grade == review_grade:
        return "一致"
    if NA in (self_grade, review_grade):
        return "不一致"
    return "下调" if GRADE_RANK[review_grade] < GRADE_RANK[self_grade] else "上调"


def _items(data: ReportData, styles: Styles) -> list[Flowable]:
    if not data.items:
        return []
    head = ["条款", "名称", "层级", "自评", "复核", "比对", "问题与发现"]
    rows: list[Sequence[object]] = [[para(h, styles.head_cell) for h in head]]
    commands: list[tuple[Any, ...]] = []
    names = {row.code: row.name for row in data.chapters}
    chapter = None
    for item in data.items:
        if item.chapter != chapter:
            chapter = item.chapter
            commands += [
                ("SPAN", (0, len(rows)), (-1, len(rows))),
                ("BACKGROUND", (0, len(rows)), (-1, len(rows)), HEADER_FILL),
            ]
            rows.append([para(f"第{chapter}章　{names[chapter]}", styles.cell)] + [""] * 6)
        verdict = _agreement(item.self_grade, item.review_grade)
        if verdict == "下调":
            commands.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), DOWNGRADE_FILL))
        cells = [
            item.code,
            TIER_LABELS[item.tier],
            GRADE_LABELS[item.self_grade],
            GRADE_LABELS[item.review_grade],
            verdict,
        ]
        rows.append(
            [para(cells[0], styles.cell), para(item.title, styles.cell)]
            + [para(c, styles.cell_centre) for c in cells[1:]]
            + [para(item.finding, styles.cell)]
        )
    widths = [0.09, 0.27, 0.08, 0.08, 0.08, 0.08, 0.32]
    table = _table(rows, [w * _WIDTH for w in widths], styles)
    table.setStyle(TableStyle(commands))
    downgraded = sum(_agreement(i.self_grade, i.review_grade) == "下调" for i in data.items)
    summary = (
        f"共 {len(data.items)} 个条款，复核与自评一致 "
        f"{sum(i.self_grade == i.review_grade for i in data.items)} 个，下调 {downgraded} 个"
        "（下调的条款以浅红色标出）。"
    )
    # A heading alone at the foot of a page: start the section on the next one instead.
    return [
        CondPageBreak(50 * mm),
        para("四、逐条评审结果", styles.heading),
        para(summary, styles.body),
        Spacer(1, 4),
        table,
    ]


def _gap(data: ReportData, styles: Styles) -> list[Flowable]:
    gap = data.gap
    out: list[Flowable] = [CondPageBreak(40 * mm), para("五、整改提升计划", styles.heading)]
    if gap.target is None:
        return [*out, para("已达到最高等级，无需提升。", styles.body)]
    target = level_label(gap.target)
    if not gap.reachable:
        reason = f"：{gap.reason}" if gap.reason else "。"
        return [*out, para(f"在现有条款范围内无法达到{target}{reason}", styles.body)]
    steps = sum(GRADE_RANK[u.to_grade] - GRADE_RANK[u.from_grade] for u in gap.upgrades)
    out.append(
        para(
            f"达到“{target}”至少需要提升以下 {len(gap.upgrades)} 个条款（共 {steps} 级）：",
            styles.body,
        )
    )
    head = ["序号", "条款", "名称", "现等级", "目标等级"]
    rows: list[Sequence[object]] = [[para(h, styles.head_cell) for h in head]]
    for number, upgrade in enumerate(gap.upgrades, 1):
        rows.append(
            [
                para(str(number), styles.cell_centre),
                para(upgrade.item_code, styles.cell),
                para(upgrade.item_title, styles.cell),
                para(GRADE_LABELS[upgrade.from_grade], styles.cell_centre),
                para(GRADE_LABELS[upgrade.to_grade], styles.cell_centre),
            ]
        )
    widths = [0.08, 0.12, 0.54, 0.13, 0.13]
    return [*out, Spacer(1, 4), _table(rows, [w * _WIDTH for w in widths], styles)]


def _findings(data: ReportData, styles: Styles) -> list[Flowable]:
    """Section six, once findings were raised: each with its status and, once a plan
    is in, the person responsible and the date of the next step."""
    if not data.findings:
        return []
    out: list[Flowable] = [CondPageBreak(40 * mm), para("六、整改问题清单", styles.heading)]
    closed = sum(1 for f in data.findings if f.closed)
    out.append(para(f"共 {len(data.findings)} 个问题，已核实销号 {closed} 个。", styles.body))
    head = ["序号", "条款", "来源", "问题描述", "状态", "责任人", "截止日期"]
    rows: list[Sequence[object]] = [[para(h, styles.head_cell) for h in head]]
    for number, finding in enumerate(data.findings, 1):
        rows.append(
            [
                para(str(number), styles.cell_centre),
                para(finding.item_code or "整体", styles.cell),
                para(finding.source, styles.cell),
                para(finding.description, styles.cell),
                para(finding.status, styles.cell),
                para(finding.owner, styles.cell),
                para(finding.due_on.isoformat() if finding.due_on else "", styles.cell_centre),
            ]
        )
    widths = [0.07, 0.1, 0.12, 0.35, 0.14, 0.1, 0.12]
    return [*out, Spacer(1, 4), _table(rows, [w * _WIDTH for w in widths], styles)]

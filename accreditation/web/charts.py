"""Charts drawn on the server as inline SVG: no script, no library, no CDN.

Every label goes through ``format_html`` (escaped); colours come from CSS classes in
the stylesheet (the content security policy forbids style attributes). Each chart
has a <title> and <desc> for screen readers, and the pages print the same figures in
a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
GAP = 10
LABEL_WIDTH = 150
CHART_WIDTH = 620
VALUE_WIDTH = 60


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    label: str
    css: str


def _svg(title: str, desc: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title><desc>{}</desc>{}</svg>",
        LABEL_WIDTH + CHART_WIDTH + VALUE_WIDTH,
        height,
        title,
        desc,
        body,
    )


def legend(series: Sequence[Series]) -> SafeString:
    return format_html(
        '<ul class="legend">{}</ul>',
        format_html_join(
            "",
            '<li><span class="legend__swatch {}"></span>{}</li>',
            ((s.css, s.label) for s in series),
        ),
    )


def stacked_bars(
    *, title: str, rows: Sequence[tuple[str, dict[str, int]]], series: Sequence[Series]
) -> SafeString:
    """One horizontal bar per row, split by ``series``, scaled to the largest total."""
    largest = max((sum(counts.get(s.key, 0) for s in series) for _, counts in rows), default=0)
    scale = CHART_WIDTH / largest if largest else 0
    parts = []
    for index, (label, counts) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        x = LABEL_WIDTH
        parts.append(
            format_html(
                '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 6,
                label,
            )
        )
        total = 0
        for s in series:
            value = counts.get(s.key, 0)
            if not value:
                continue
            width = round(value * scale, 2)
            parts.append(
                format_html(
                    '<rect class="{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {}</title></rect>",
                    s.css,
                    x,
                    y,
                    width,
                    BAR_HEIGHT,
                    s.label,
                    value,
                )
            )
            x += width
            total += value
        parts.append(
            format_html(
                '<text class="chart__value" x="{}" y="{}">{}</text>',
                x + 6,
                y + BAR_HEIGHT - 6,
                total,
            )
        )
    height = GAP + len(rows) * (BAR_HEIGHT + GAP)
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{s.label} {counts.get(s.key, 0)}" for s in series)
        for label, counts in rows
    )
    return _svg(title, desc, max(height, 40), mark_safe("".join(parts)))


def share_bars(
    *,
    title: str,
    rows: Sequence[tuple[str, float, float]],
    targets: tuple[float, float],
    labels: tuple[str, str],
) -> SafeString:
    """Per row, two bars: the share reaching a standard and the share at 推荐, each
    against its policy target drawn as a marker line."""
    parts = []
    row_height = 2 * BAR_HEIGHT + 3 * GAP
    for index, (label, standard, recommended) in enumerate(rows):
        top = GAP + index * row_height
        parts.append(
            format_html(
                '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                top + BAR_HEIGHT,
                label,
            )
        )
        for offset, (share, target, name, css) in enumerate(
            (
                (standard, targets[0], labels[0], "chart__standard"),
                (recommended, targets[1], labels[1], "chart__recommended"),
            )
        ):
            y = top + offset * (BAR_HEIGHT // 2 + GAP // 2 + 6)
            met = share >= target
            parts.append(
                format_html(
                    '<rect class="chart__track" x="{}" y="{}" width="{}" height="{}"></rect>'
                    '<rect class="{} {}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}: {}%</title></rect>"
                    '<line class="chart__target" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
                    '<text class="chart__value" x="{}" y="{}">{}%</text>',
                    LABEL_WIDTH,
                    y,
                    CHART_WIDTH,
                    BAR_HEIGHT // 2 + 2,
                    css,
                    "chart__met" if met else "chart__short",
                    LABEL_WIDTH,
                    y,
                    round(share * CHART_WIDTH, 2),
                    BAR_HEIGHT // 2 + 2,
                    name,
                    round(share * 100, 1),
                    LABEL_WIDTH + round(target * CHART_WIDTH, 2),
                    LABEL_WIDTH + round(target * CHART_WIDTH, 2),
                    y - 3,
                    y + BAR_HEIGHT // 2 + 5,
                    LABEL_WIDTH + CHART_WIDTH + 6,
                    y + BAR_HEIGHT // 2,
                    round(share * 100, 1),
                )
            )
    height = GAP + len(rows) * row_height
    desc = "; ".join(
        f"{label}: {labels[0]} {standard:.1%}, {labels[1]} {recommended:.1%}"
        for label, standard, recommended in rows
    )
    return _svg(title, desc, max(height, 40), mark_safe("".join(parts)))

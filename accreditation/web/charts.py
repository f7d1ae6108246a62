"""Bar charts as inline SVG, drawn on the server: no script, no chart library, no CDN.

Pure functions over plain values; every text is escaped. Colours are SVG presentation
attributes (``fill=``, ``stroke=``), which the content security policy allows where
``style`` attributes are refused; the classes let the stylesheet refine them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

#: Colours of the bars (the site's primary green; below a target: amber).
BAR_FILL = "#0a6b4f"
BAR_BELOW_FILL = "#c77700"
TARGET_STROKE = "#b42318"
AXIS_STROKE = "#5d6770"
GRID_STROKE = "#d5dbe0"
TEXT_FILL = "#1d2327"


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its value and an optional text after the value. ``below``
    says whether it falls short of its own target (default: below the highest target
    line)."""

    label: str
    value: float
    note: str = ""
    below: bool | None = None


@dataclass(frozen=True, slots=True)
class TargetLine:
    """A vertical line across the bars at ``value``, labelled at the top."""

    value: float
    label: str


def percent_text(value: float) -> str:
    """``0.725`` -> ``72.5%``; whole numbers without decimals."""
    number = round(value * 100, 1)
    return f"{number:g}%"


def count_text(value: float) -> str:
    return f"{value:g}"


def _text_width(text: str) -> float:
    """A rough rendered width in pixels at 13px: CJK characters are square."""
    return sum(13.0 if ord(ch) > 0x2E80 else 7.5 for ch in text)


def _ticks(maximum: float, count: int = 5) -> list[float]:
    return [maximum * i / count for i in range(count + 1)]


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    targets: Sequence[TargetLine] = (),
    maximum: float | None = None,
    value_text: Callable[[float], str] = percent_text,
    axis_label: str = "",
    width: int = 640,
    chart_id: str = "chart",
) -> str:
    """Horizontal bars, one per ``bars`` entry, with an x axis from 0 to ``maximum``
    (default: 1 for shares, else the largest value rounded up to a multiple of five),
    grid lines at its
    ticks, the value at the end of each bar and vertical target lines. Bars below their
    target are drawn in the warning colour. Returns the ``<svg>`` markup; every
    text is escaped, so it is safe to mark safe."""
    if maximum is None:
        highest = max([b.value for b in bars] + [t.value for t in targets] + [0.0])
        # Shares run to 100%; counts to the next multiple of five (whole-number ticks).
        maximum = 1.0 if value_text is percent_text else 5.0 * max(1, math.ceil(highest / 5))
    maximum = maximum or 1.0
    row, bar_height, bottom = 30, 18, 40
    top = 20 + 14 * max(len(targets), 1)
    label_width = min(220.0, max(60.0, max((_text_width(b.label) for b in bars), default=60)))
    left = label_width + 16
    right = 70
    plot = max(120.0, width - left - right)
    height = top + row * max(len(bars), 1) + bottom
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    threshold = max((t.value for t in targets), default=None)

    def x(value: float) -> float:
        return left + plot * max(0.0, min(value, maximum)) / maximum

    description = "; ".join(
        f"{b.label}: {value_text(b.value)}" + (f" ({b.note})" if b.note else "") for b in bars
    )
    if targets:
        description += "; " + "; ".join(f"{t.label}: {value_text(t.value)}" for t in targets)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" font-size="13" '
        f'fill="{TEXT_FILL}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
    ]
    axis_y = top + row * max(len(bars), 1)
    for tick in _ticks(maximum):
        tx = _fmt(x(tick))
        parts.append(
            f'<line class="chart__grid" x1="{tx}" y1="{top - 6}" x2="{tx}" y2="{axis_y}" '
            f'stroke="{GRID_STROKE}" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="chart__tick" x="{tx}" y="{axis_y + 16}" text-anchor="middle" '
            f'font-size="11">{escape(value_text(tick))}</text>'
        )
    parts.append(
        f'<line class="chart__axis" x1="{_fmt(left)}" y1="{axis_y}" x2="{_fmt(left + plot)}" '
        f'y2="{axis_y}" stroke="{AXIS_STROKE}" stroke-width="1"/>'
    )
    parts.append(
        f'<line class="chart__axis" x1="{_fmt(left)}" y1="{top - 6}" x2="{_fmt(left)}" '
        f'y2="{axis_y}" stroke="{AXIS_STROKE}" stroke-width="1"/>'
    )
    if axis_label:
        parts.append(
            f'<text class="chart__axis-label" x="{_fmt(left + plot / 2)}" y="{axis_y + 34}" '
            f'text-anchor="middle" font-size="12">{escape(axis_label)}</text>'
        )
    if not bars:
        parts.append(f'<text x="{_fmt(left + 8)}" y="{top + 18}" font-size="12">–</text>')
    for index, bar in enumerate(bars):
        y = top + row * index + (row - bar_height) / 2
        below = (
            bar.below if bar.below is not None else threshold is not None and bar.value < threshold
        )
        fill = BAR_BELOW_FILL if below else BAR_FILL
        css = "chart__bar chart__bar--below" if below else "chart__bar"
        bar_width = max(0.0, x(bar.value) - left)
        parts.append(
            f'<text class="chart__label" x="{_fmt(label_width + 8)}" y="{_fmt(y + 13)}" '
            f'text-anchor="end">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect class="{css}" x="{_fmt(left)}" y="{_fmt(y)}" width="{_fmt(bar_width)}" '
            f'height="{bar_height}" fill="{fill}"><title>{escape(bar.label)}: '
            f"{escape(value_text(bar.value))}</title></rect>"
        )
        value = value_text(bar.value) + (f" ({bar.note})" if bar.note else "")
        parts.append(
            f'<text class="chart__value" x="{_fmt(left + bar_width + 6)}" y="{_fmt(y + 13)}" '
            f'font-size="12">{escape(value)}</text>'
        )
    for index, target in enumerate(targets):
        tx = _fmt(x(target.value))
        anchor = "end" if target.value > maximum * 0.75 else "middle"
        parts.append(
            f'<line class="chart__target" x1="{tx}" y1="{top - 10}" x2="{tx}" y2="{axis_y}" '
            f'stroke="{TARGET_STROKE}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text class="chart__target-label" x="{tx}" y="{top - 12 - 14 * index}" '
            f'text-anchor="{anchor}" '
            f'font-size="12" fill="{TARGET_STROKE}">'
            f"{escape(target.label)} {escape(value_text(target.value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)

"""The server-drawn SVG charts: pure, escaped, with axes, values and target lines."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from accreditation.web.charts import Bar, TargetLine, bar_chart, count_text, percent_text

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def test_a_chart_is_well_formed_svg_with_a_bar_per_value_and_the_target_line():
    markup = bar_chart(
        [Bar("东川市", 0.5, "1/2"), Bar("西岭市", 0.8)],
        title="达标比例",
        targets=[TargetLine(0.7, "全国目标")],
        chart_id="c1",
    )
    root = _parse(markup)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "达标比例"
    bars = root.findall(f"{SVG}rect")
    assert [b.get("class") for b in bars] == ["chart__bar chart__bar--below", "chart__bar"]
    assert [b.get("fill") for b in bars] == ["#c77700", "#0a6b4f"]
    widths = [float(b.get("width")) for b in bars]
    assert round(widths[1] / widths[0], 6) == 1.6
    (target,) = [e for e in root.iter(f"{SVG}line") if e.get("class") == "chart__target"]
    assert target.get("stroke") == "#b42318"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "全国目标 70%" in texts
    assert "50% (1/2)" in texts
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart__tick"] == [
        "0%",
        "20%",
        "40%",
        "60%",
        "80%",
        "100%",
    ]
    assert "style=" not in markup


def test_every_text_is_escaped():
    evil = '<script>alert("x")</script>&'
    markup = bar_chart([Bar(evil, 0.2, evil)], title=evil, targets=[TargetLine(0.5, evil)])
    assert "<script>" not in markup
    root = _parse(markup)  # still well-formed
    assert root.find(f"{SVG}title").text == evil


def test_counts_scale_to_the_largest_value_and_values_are_clipped():
    markup = bar_chart([Bar("a", 4), Bar("b", 8)], title="n", value_text=count_text)
    widths = [float(r.get("width")) for r in _parse(markup).iter(f"{SVG}rect")]
    assert widths[0] * 2 == widths[1]
    ticks = [t.text for t in _parse(markup).iter(f"{SVG}text") if t.get("class") == "chart__tick"]
    assert ticks == ["0", "2", "4", "6", "8", "10"]
    over = bar_chart([Bar("a", 1.5)], title="share")
    (rect,) = _parse(over).iter(f"{SVG}rect")
    assert float(rect.get("width")) == 640 - 76 - 70


def test_an_empty_chart_still_draws_its_axes():
    root = _parse(bar_chart([], title="empty"))
    assert not list(root.iter(f"{SVG}rect"))
    assert [e for e in root.iter(f"{SVG}line") if e.get("class") == "chart__axis"]


def test_percent_text():
    assert (percent_text(0.7), percent_text(0.725), percent_text(0)) == ("70%", "72.5%", "0%")


def test_bars_judged_against_their_own_target_and_stacked_target_labels():
    markup = bar_chart(
        [Bar("a", 0.5, below=False), Bar("b", 0.9, below=True)],
        title="t",
        targets=[TargetLine(0.7, "全国"), TargetLine(0.85, "东部")],
    )
    root = _parse(markup)
    assert [r.get("class") for r in root.iter(f"{SVG}rect")] == [
        "chart__bar",
        "chart__bar chart__bar--below",
    ]
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") == "chart__target-label"]
    assert [t.text for t in labels] == ["全国 70%", "东部 85%"]
    assert labels[0].get("y") != labels[1].get("y")

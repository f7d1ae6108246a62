"""The region dashboard: assessments by status and level per child region, progress
against the policy targets as server-drawn charts, rectification findings per region
with the action plans (整改台账) to download, the work waiting and the overdue lists."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accreditation.excel import action_plans
from accreditation.models import Assessment, Region, Stage
from accreditation.selectors.deadlines import overdue_assessments
from accreditation.selectors.findings import action_plans_for, overdue_findings
from accreditation.selectors.officer import (
    OfficerDashboard,
    RegionProgress,
    officer_dashboard,
    officer_region_or_none,
    targets,
)
from accreditation.selectors.regions import region_get_for_user
from accreditation.web.access import SignedInRequest
from accreditation.web.charts import Bar, TargetLine, bar_chart, count_text, percent_text
from accreditation.web.views.officer.common import officer_required
from standards.models import Level
from workflows.selectors import task_inbox
from workflows.steps import Step

ZONE_LABELS = {
    "national": gettext_lazy("National target"),
    "east": gettext_lazy("Eastern provinces' target"),
    "central": gettext_lazy("Central provinces' target"),
    "west": gettext_lazy("Western provinces' target"),
}
ZONES = ("east", "central", "west")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: SignedInRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


def _lines(zone: str, key: str) -> list[TargetLine]:
    """The national target line, and the zone's when the region lies in one."""
    lines = [TargetLine(targets()[key], str(ZONE_LABELS["national"]))]
    if zone != "national":
        lines.append(TargetLine(targets(zone)[key], str(ZONE_LABELS[zone])))
    return lines


def _share_chart(
    data: OfficerDashboard,
    *,
    target: str,
    share: Callable[[Any], float | None],
    count: Callable[[Any], int],
    title: str,
    chart_id: str,
) -> str:
    """Per child region with institutions: the share reaching ``target`` ("standard" or
    "recommended") against that region's target line, with count/institutions."""
    bars = [
        Bar(
            r.name,
            share(r) or 0.0,
            f"{count(r)}/{r.institutions}",
            below=(share(r) or 0.0) < r.targets[target],
        )
        for r in data.rows
        if r.institutions
    ]
    return bar_chart(
        bars,
        title=title,
        targets=_lines(data.totals.zone, target),
        axis_label=_("Share of institutions"),
        chart_id=chart_id,
    )


def _charts(data: OfficerDashboard) -> dict[str, str]:
    standard = _share_chart(
        data,
        target="standard",
        share=lambda r: r.standard_ratio,
        count=lambda r: r.at_standard,
        title=_("Institutions at a standard (basic or recommended)"),
        chart_id="chart-standard",
    )
    recommended = _share_chart(
        data,
        target="recommended",
        share=lambda r: r.recommended_ratio,
        count=lambda r: r.recognised["recommended"],
        title=_("Institutions at the recommended standard"),
        chart_id="chart-recommended",
    )
    assessments = bar_chart(
        [Bar(r.name, float(r.assessments)) for r in data.rows],
        title=_("Assessments this year"),
        value_text=count_text,
        axis_label=_("Assessments"),
        chart_id="chart-assessments",
    )
    # Every text in the markup is escaped by the chart module.
    return {
        "standard": mark_safe(standard),
        "recommended": mark_safe(recommended),
        "assessments": mark_safe(assessments),
    }


def _ratio(value: float | None) -> str:
    return "–" if value is None else percent_text(value)


def _table_row(
    row: RegionProgress, statuses: list, levels: list, *, link: bool, direct: bool = False
) -> dict[str, Any]:
    return {
        "row": row,
        "link": link,
        "direct": direct,
        "statuses": [row.by_status[s.value] for s in statuses],
        "findings": [row.findings[k] for k in ("open", "overdue", "closed")],
        "levels": [row.recognised[lv.value] for lv in levels],
        "standard": _ratio(row.standard_ratio),
        "recommended": _ratio(row.recommended_ratio),
        "standard_target": percent_text(row.targets["standard"]),
        "recommended_target": percent_text(row.targets["recommended"]),
        "standard_below": row.standard_ratio is not None
        and row.standard_ratio < row.targets["standard"],
        "recommended_below": row.recommended_ratio is not None
        and row.recommended_ratio < row.targets["recommended"],
    }


@require_GET
@officer_required
def dashboard(request: SignedInRequest, region_id: int | None = None) -> HttpResponse:
    """The officer's region (or a region below it) at a glance. The work lists and the
    overdue list are the officer's own, shown on their region's page."""
    try:
        region = officer_region_or_none(viewer=request.user, region_id=region_id)
    except Region.DoesNotExist:
        raise Http404(_("No such region.")) from None
    data = officer_dashboard(viewer=request.user, region=region, year=_year(request))
    statuses = [s for s in Assessment.Status if data.totals.by_status[s.value]]
    levels = list(Level)
    drill_down = bool(data.rows) and (region is None or region.level != Region.Level.COUNTY)
    table = [_table_row(row, statuses, levels, link=drill_down) for row in data.rows]
    if data.direct:
        table.append(_table_row(data.direct, statuses, levels, link=False, direct=True))
    context: dict[str, Any] = {
        "data": data,
        "region": region,
        "statuses": statuses,
        "levels": levels,
        "table": table,
        "totals": _table_row(data.totals, statuses, levels, link=False),
        "charts": _charts(data),
        "targets": {k: percent_text(v) for k, v in targets().items()},
        "zone": ZONE_LABELS[data.totals.zone] if data.totals.zone != "national" else "",
        "zone_targets": [
            (
                ZONE_LABELS[zone],
                percent_text(targets(zone)["standard"]),
                percent_text(targets(zone)["recommended"]),
            )
            for zone in ZONES
        ],
        "own_page": region_id is None,
    }
    if region_id is None:
        waiting = Counter(row.step for row in task_inbox(user=request.user))
        context["waiting"] = {
            "panels": waiting[Step.ASSIGN_PANEL],
            "decisions": waiting[Step.DECIDE],
            "to_publish": waiting[Step.AWAIT_NOTICE],
            "on_notice": waiting[Step.IN_NOTICE],
        }
        context["overdue"] = [
            (row, Stage(row.stage).label) for row in overdue_assessments(viewer=request.user)
        ]
        context["overdue_findings"] = overdue_findings(viewer=request.user)
    return render(request, "web/officer/dashboard.html", context)


@require_GET
@officer_required
def action_plans_download(request: SignedInRequest, region_id: int) -> HttpResponse:
    """The region's action plans (整改台账) as Excel: every finding of the region and
    below with its latest plan; with ``?year=``, those of that year's assessments, as
    the dashboard row that links here counts them. 404 outside the officer's region."""
    region = region_get_for_user(user=request.user, region_id=region_id)
    if region is None:
        raise Http404(_("No such region."))
    year = _year(request)
    data = action_plans_for(viewer=request.user, region=region, year=year)
    response = HttpResponse(action_plans.write(data), content_type=XLSX)
    name = f"action-plans-{region.code}" + (f"-{year}" if year else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response

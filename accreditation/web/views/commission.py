"""Commission officers: the region dashboard with server-drawn charts, their task
inbox, and one assessment's case page (panel assignment with conflict-of-interest
feedback, the decision)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accreditation.errors import ConflictOfInterest, DomainError
from accreditation.models import Assessment, ConflictRule, Cycle, Region, User
from accreditation.permissions import Action, may
from accreditation.selectors.dashboard import region_dashboard
from accreditation.selectors.people import conflict_rules_for
from accreditation.selectors.reviews import (
    consolidation_rows,
    latest_decision,
    latest_result,
    review_history,
)
from accreditation.selectors.scoring import cycle_standard_for
from accreditation.selectors.targets import policy_targets, target_rows
from accreditation.selectors.visibility import experts_visible_to
from accreditation.services.decisions import decision_record
from accreditation.services.panels import panel_assign
from accreditation.web import charts
from accreditation.web.access import assessment_or_404, role_required
from accreditation.web.presenters import level_label, result_condition_texts
from standards.models import Level
from workflows import driver
from workflows.selectors import task_inbox

OFFICER = User.Role.OFFICER
Status = Assessment.Status

STATUS_SERIES = [
    charts.Series("draft", Status.DRAFT.label, "s-draft"),
    charts.Series("submitted", Status.SUBMITTED.label, "s-submitted"),
    charts.Series("county_review", Status.COUNTY_REVIEW.label, "s-county"),
    charts.Series("returned", Status.RETURNED.label, "s-returned"),
    charts.Series("expert_review", Status.EXPERT_REVIEW.label, "s-expert"),
    charts.Series("consolidation", Status.CONSOLIDATION.label, "s-consolidation"),
    charts.Series("decided", Status.DECIDED.label, "s-decided"),
    charts.Series("public_notice", Status.PUBLIC_NOTICE.label, "s-notice"),
    charts.Series("recognised", Status.RECOGNISED.label, "s-recognised"),
    charts.Series("not_recognised", Status.NOT_RECOGNISED.label, "s-not"),
    charts.Series("withdrawn", Status.WITHDRAWN.label, "s-withdrawn"),
]


def _series(series: list[charts.Series]) -> list[charts.Series]:
    """Labels are lazy translations: resolve them in the request's language."""
    return [charts.Series(s.key, str(s.label), s.css) for s in series]


def _level_series() -> list[charts.Series]:
    return [
        charts.Series(Level.QUALIFIED, str(Level.QUALIFIED.label), "l-qualified"),
        charts.Series(Level.BASIC, str(Level.BASIC.label), "l-basic"),
        charts.Series(Level.RECOMMENDED, str(Level.RECOMMENDED.label), "l-recommended"),
    ]


def _dashboard_region(request: HttpRequest) -> Region | None:
    """The region asked for (?region=code) if the officer covers it, else theirs."""
    code = request.GET.get("region")
    user = request.user
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None or not may(user, Action.DASHBOARD_VIEW, region):
            raise Http404(_("No such region."))
        return region
    return user.region


@require_GET
@role_required(OFFICER)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Assessments by status and by target level per child region, and the shares of
    institutions recognised against the policy targets, drawn as SVG."""
    region = _dashboard_region(request)
    if region is None:  # national officers choose a province
        provinces = Region.objects.filter(level=Region.Level.PROVINCE).order_by("code")
        return render(request, "web/commission/choose_region.html", {"provinces": provinces})
    province_code = region.path.split("/", 1)[0]
    cycles = list(Cycle.objects.filter(province__code=province_code).order_by("-year"))
    cycle = next((c for c in cycles if str(c.pk) == request.GET.get("cycle")), None)
    if cycle is None and cycles:
        cycle = next((c for c in cycles if c.is_open), cycles[0])
    board = region_dashboard(viewer=request.user, region=region, cycle=cycle)
    totals, rows = target_rows(dashboard=board)
    targets = policy_targets()
    child_label = {c.code: c.name for c in board.children}
    status_chart = charts.stacked_bars(
        title=_("Assessments by status"),
        rows=[(c.name, dict(c.by_status)) for c in board.children],
        series=_series(STATUS_SERIES),
    )
    target_chart = charts.stacked_bars(
        title=_("Assessments by target level"),
        rows=[(c.name, dict(c.by_target_level)) for c in board.children],
        series=_level_series(),
    )
    share_labels = (_("Reaching a standard"), _("At 推荐标准"))
    share_chart = charts.share_bars(
        title=_("Progress against the policy targets"),
        rows=[
            (child_label.get(r.code, r.name), r.standard_share, r.recommended_share) for r in rows
        ],
        targets=targets,
        labels=share_labels,
    )
    return render(
        request,
        "web/commission/dashboard.html",
        {
            "region": region,
            "parent": region.parent,
            "cycle": cycle,
            "cycles": cycles,
            "board": board,
            "totals": totals,
            "rows": rows,
            "targets": targets,
            "status_chart": status_chart,
            "status_legend": charts.legend(_series(STATUS_SERIES)),
            "target_chart": target_chart,
            "target_legend": charts.legend(_level_series()),
            "share_chart": share_chart,
            "share_labels": share_labels,
            "share_legend": charts.legend(
                [
                    charts.Series("standard", share_labels[0], "chart__standard"),
                    charts.Series("recommended", share_labels[1], "chart__recommended"),
                ]
            ),
            "target_pct": [f"{t:.0%}" for t in targets],
            "header_scope": request.user.region.name if request.user.region_id else "",
        },
    )


@require_GET
@role_required(OFFICER)
def tasks(request: HttpRequest) -> HttpResponse:
    """Panels to assign, decisions to take and notices to run, at the officer's level."""
    rows = [
        {"row": row, "target": level_label(row.target_level)}
        for row in task_inbox(user=request.user)
    ]
    return render(request, "web/commission/tasks.html", {"rows": rows})


def _case_context(request: HttpRequest, assessment: Assessment) -> dict[str, Any]:
    steps = driver.open_step_names(assessment=assessment)
    result = latest_result(assessment_id=assessment.pk)
    context: dict[str, Any] = {
        "assessment": assessment,
        "steps": steps,
        "history": review_history(viewer=request.user, assessment=assessment),
        "result": result,
        "result_label": level_label(result.computed_level) if result else "",
        "reasons": result_condition_texts(result.evaluation) if result else [],
        "decision": latest_decision(assessment_id=assessment.pk),
        "target_label": level_label(assessment.target_level),
    }
    if "assign_panel" in steps and may(request.user, Action.PANEL_ASSIGN, assessment):
        experts = list(
            experts_visible_to(request.user)
            .select_related("expert_profile__home_region")
            .order_by("username")
        )
        rule_labels = dict(ConflictRule.choices)
        rule_labels["no_profile"] = _("The expert has no expert profile.")
        context["experts"] = [
            {
                "user": expert,
                "conflicts": [
                    str(rule_labels.get(rule, rule))
                    for rule in conflict_rules_for(expert=expert, assessment=assessment)
                ],
            }
            for expert in experts
        ]
    if "decide" in steps and may(request.user, Action.DECIDE, assessment):
        awarded = list(cycle_standard_for(assessment=assessment).rule_sets())
        context["levels"] = [(level, level_label(level)) for level in awarded]
        context["rows"] = consolidation_rows(viewer=request.user, assessment=assessment)
    return context


@require_GET
@role_required(OFFICER)
def case(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """One assessment for the commission: where it stands, the review so far, the
    computed result with its reasons, and the action its step needs."""
    assessment = assessment_or_404(request, assessment_id)
    return render(request, "web/commission/case.html", _case_context(request, assessment))


def _refused(
    request: HttpRequest, assessment: Assessment, errors: list[str], status: int, **extra: Any
) -> HttpResponse:
    context = {**_case_context(request, assessment), "errors": errors, **extra}
    return render(request, "web/commission/case.html", context, status=status)


@require_POST
@role_required(OFFICER)
def panel(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Assign the panel: a lead and members. A conflict of interest refuses the whole
    panel and names each expert and rule."""
    assessment = assessment_or_404(request, assessment_id)
    ids = [
        pk
        for pk in [request.POST.get("lead", ""), *request.POST.getlist("members")]
        if pk.isdigit()
    ]
    chosen = {str(u.pk): u for u in experts_visible_to(request.user).filter(pk__in=ids)}
    lead = chosen.get(request.POST.get("lead", ""))
    members = [chosen[pk] for pk in request.POST.getlist("members") if pk in chosen]
    picked = {"lead": request.POST.get("lead", ""), "members": request.POST.getlist("members")}
    if lead is None:
        return _refused(request, assessment, [_("Choose a panel lead.")], 400, picked=picked)
    try:
        panel_assign(actor=request.user, assessment=assessment, lead=lead, members=members)
    except ConflictOfInterest as exc:
        return _refused(request, assessment, [exc.message], 409, picked=picked)
    except ValidationError as exc:
        return _refused(request, assessment, list(exc.messages), 400, picked=picked)
    except DomainError as exc:
        return _refused(request, assessment, [exc.message], 409, picked=picked)
    messages.success(request, _("The panel is assigned; each expert has a grading task."))
    return redirect("web:commission_case", assessment.pk)


@require_POST
@role_required(OFFICER)
def decide(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Confirm the computed level or decide another (or none) with a reason."""
    assessment = assessment_or_404(request, assessment_id)
    choice = request.POST.get("level", "computed")
    reason = (request.POST.get("reason") or "").strip()
    level = None if choice == "computed" else ("" if choice == "none" else choice)
    try:
        decision_record(
            actor=request.user, assessment=assessment, level=level, override_reason=reason
        )
    except ValidationError as exc:
        return _refused(request, assessment, list(exc.messages), 400, typed_reason=reason)
    except PermissionDenied:
        raise
    except DomainError as exc:
        return _refused(request, assessment, [exc.message], 409, typed_reason=reason)
    messages.success(request, _("The decision is recorded."))
    return redirect("web:commission_case", assessment.pk)

"""Panels and decisions: assign an expert panel with conflict-of-interest feedback per
expert before submitting, and confirm or override computed results one at a time or
as a list."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accreditation.core.errors import DomainError
from accreditation.models import Assessment, AssessmentResult
from accreditation.permissions import Action, require
from accreditation.selectors.assessment_lists import assessments_get_for_user
from accreditation.selectors.assignments import expert_pool_for_user, experts_get_for_user
from accreditation.selectors.officer import decisions_pending, officer_steps
from accreditation.selectors.people import conflict_rules_by_expert
from accreditation.services.decisions import DecisionInput, decision_record, decisions_record
from accreditation.services.panels import panel_assign
from accreditation.web.access import SignedInRequest, assessment_or_404
from accreditation.web.presenters import _condition_text, level_label
from accreditation.web.views.officer.common import CONFLICT_LABELS, officer_required, refuse
from standards.models import Level
from standards.scoring.engine import ConditionResult
from workflows.steps import Step

#: The decision select's value for "no level is awarded".
NO_LEVEL = "none"


def _ids(values: list[str]) -> list[int]:
    return sorted({int(v) for v in values if v.isdigit()})


# --- Panels ---------------------------------------------------------------------------


@require_GET
@officer_required
def panels(request: SignedInRequest) -> HttpResponse:
    """Assessments waiting for a panel at the officer's level in their region."""
    rows = officer_steps(viewer=request.user, step=Step.ASSIGN_PANEL)
    tasks = [
        {
            "row": row,
            "target": level_label(row.target_level),
            "url": reverse("web:officer_panel", args=[row.assessment_id]),
            "action": _("Assign the panel"),
        }
        for row in rows
    ]
    return render(request, "web/officer/panels.html", {"rows": rows, "tasks": tasks})


def _pool(request: SignedInRequest, assessment: Assessment) -> list[dict[str, Any]]:
    """Every active expert with the conflict-of-interest rules that forbid them here
    (the same check the panel service runs), conflicted experts last. A constant number
    of queries."""
    experts = expert_pool_for_user(user=request.user)
    conflicts = conflict_rules_by_expert(experts=experts, assessment=assessment)
    pool = []
    for expert in experts:
        rules = conflicts[expert.pk]
        profile = getattr(expert, "expert_profile", None)
        pool.append(
            {
                "expert": expert,
                "profile": profile,
                "conflicts": [str(CONFLICT_LABELS.get(r, r)) for r in rules],
            }
        )
    pool.sort(key=lambda row: bool(row["conflicts"]))
    return pool


@require_http_methods(["GET", "POST"])
@officer_required
def panel_assign_view(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """The expert pool with each expert's conflicts; choose a lead and members. A panel
    with a conflicted expert is refused by the service and the refusal shown."""
    assessment = assessment_or_404(request, assessment_id)
    require(request.user, Action.PANEL_ASSIGN, assessment)
    lead_id, member_ids = None, []
    if request.method == "POST":
        lead_ids = _ids(request.POST.getlist("lead"))
        member_ids = [pk for pk in _ids(request.POST.getlist("members")) if pk not in lead_ids]
        chosen = experts_get_for_user(user=request.user, ids=lead_ids + member_ids)
        lead_id = lead_ids[0] if len(lead_ids) == 1 else None
        if lead_id is None or lead_id not in chosen:
            messages.error(request, _("Choose one panel lead."))
        else:
            try:
                panel_assign(
                    actor=request.user,
                    assessment=assessment,
                    lead=chosen[lead_id],
                    members=[chosen[pk] for pk in member_ids if pk in chosen],
                )
            except (ValidationError, PermissionDenied, DomainError) as exc:
                refuse(request, exc)
            else:
                messages.success(
                    request,
                    _("The panel of %(name)s is assigned.") % {"name": assessment.institution.name},
                )
                return redirect("web:officer_panels")
    waiting = any(
        row.assessment_id == assessment.pk
        for row in officer_steps(viewer=request.user, step=Step.ASSIGN_PANEL)
    )
    context = {
        "assessment": assessment,
        "pool": _pool(request, assessment),
        "lead_id": lead_id,
        "member_ids": member_ids,
        "waiting": waiting,
        "target_label": level_label(assessment.target_level),
    }
    return render(request, "web/officer/panel_assign.html", context)


# --- Decisions ------------------------------------------------------------------------


def _reasons(result: AssessmentResult) -> list[str]:
    """Why each level above the computed one was not reached, translated."""
    ranks = {level: i for i, level in enumerate(Level.values)}
    reached = ranks.get(result.computed_level, -1)
    texts = []
    for entry in result.evaluation.get("levels", []):
        if ranks.get(entry["level"], -1) <= reached:
            continue
        for cond in entry.get("conditions", []):
            if cond.get("passed"):
                continue
            condition = ConditionResult(
                level=entry["level"],
                code=cond["condition"],
                passed=False,
                required_share=(
                    Fraction(str(cond["required"])) if cond.get("required") is not None else None
                ),
                actual_count=cond.get("actual_count", 0),
                required_count=cond.get("required_count", 0),
                denominator=cond.get("denominator", 0),
                holding=tuple(cond.get("items", ())),
                explanation=cond.get("message", ""),
            )
            texts.append(f"{level_label(entry['level'])}: {_condition_text(condition)}")
    return texts


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100, 1):g}%"


@require_GET
@officer_required
def decisions(request: SignedInRequest) -> HttpResponse:
    """Computed results waiting for the officer's decision: level, reasons, agreement."""
    rows = []
    for pending in decisions_pending(viewer=request.user):
        result = pending.result
        rows.append(
            {
                "assessment": pending.assessment,
                "result": result,
                "level_label": level_label(result.computed_level) if result else "",
                "reasons": _reasons(result) if result else [],
                "self_review": _rate(result.agreement_self_review.get("rate")) if result else "–",
                "experts": _rate(result.agreement_experts.get("mean_rate")) if result else "–",
                "kappa": result.agreement_experts.get("mean_kappa") if result else None,
            }
        )
    levels = [(value, label) for value, label in Level.choices]
    return render(
        request,
        "web/officer/decisions.html",
        {"rows": rows, "levels": levels, "no_level": NO_LEVEL},
    )


def _decision_input(request: SignedInRequest, assessment: Assessment) -> DecisionInput:
    choice = request.POST.get(f"level-{assessment.pk}", "")
    level = None if choice == "" else "" if choice == NO_LEVEL else choice
    reason = request.POST.get(f"reason-{assessment.pk}", "")
    return DecisionInput(assessment=assessment, level=level, override_reason=reason)


@require_POST
@officer_required
def decisions_take(request: SignedInRequest) -> HttpResponse:
    """Decide one assessment (``one``) or every selected one (``selected``) at once,
    all or none."""
    one = request.POST.get("one", "")
    ids = _ids([one]) if one else _ids(request.POST.getlist("selected"))
    if not ids:
        messages.error(request, _("Select the assessments to decide."))
        return redirect("web:officer_decisions")
    found = {a.pk: a for a in assessments_get_for_user(user=request.user, ids=ids)}
    if len(found) != len(ids):
        raise Http404(_("No such assessment."))
    inputs = [_decision_input(request, found[pk]) for pk in ids]
    try:
        if one:
            decision_record(
                actor=request.user,
                assessment=inputs[0].assessment,
                level=inputs[0].level,
                override_reason=inputs[0].override_reason,
            )
        else:
            decisions_record(actor=request.user, decisions=inputs)
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(
            request,
            ngettext("%(count)d decision recorded.", "%(count)d decisions recorded.", len(inputs))
            % {"count": len(inputs)},
        )
    return redirect("web:officer_decisions")

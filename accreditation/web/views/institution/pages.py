"""The staff's pages: the current cycle at a glance, opening an assessment (from last
cycle's accepted grading if they choose), the checklist with autosave, its summary and
who saved an item last, the target level and submission.

The checklist's script saves items through the API (``PATCH
/api/v1/assessments/<id>/items/<code>/``, session and CSRF); the JSON endpoints here
answer refusals in the API's error shape and status (``web.responses``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accreditation.core.errors import ConflictError, DomainError, IncompleteError
from accreditation.models import Institution, ItemGrade, Stage, User
from accreditation.selectors.assessment_lists import assessments_of_institution
from accreditation.selectors.assessments import (
    assessment_progress,
    assessment_snapshots,
    last_accepted_assessment,
)
from accreditation.selectors.cycles import (
    cycle_deadlines,
    cycle_get_for_institution,
    cycle_standard_for_institution,
    cycle_standard_of,
    cycles_for_institution,
)
from accreditation.selectors.items import item_grade_stored
from accreditation.selectors.scoring import assessment_provisional_result
from accreditation.selectors.workspace import Workspace, assessment_workspace
from accreditation.services.assessments import assessment_open, assessment_target_level_set
from accreditation.services.carry import carried_confirm
from accreditation.services.submission import assessment_submit
from accreditation.web.access import (
    SignedInRequest,
    assessment_or_404,
    json_role_required,
    role_required,
)
from accreditation.web.forms import TargetLevelForm
from accreditation.web.presenters import (
    GRADE_CHOICES,
    GRADE_LABELS,
    autosave_texts,
    checklist_chapters,
    level_label,
    result_view,
    workspace_result,
)
from accreditation.web.responses import json_error, refuse
from accreditation.web.views.institution import STAFF
from accreditation.web.views.institution.evidence import reusable_choices


def _user_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _own_institution(user: User) -> Institution:
    """The staff member's institution (a database constraint gives each one)."""
    if user.institution is None:
        raise PermissionDenied(_("This page is not available to your role."))
    return user.institution


# --- Pages --------------------------------------------------------------------------


@role_required(STAFF)
def institution_home(request: SignedInRequest) -> HttpResponse:
    """The current cycle at a glance: status, deadlines, target level, progress and the
    provisional level; or, before the assessment is opened, the form to open it."""
    institution = _own_institution(request.user)
    cycles = cycles_for_institution(institution=institution)
    assessments = {a.cycle_id: a for a in assessments_of_institution(institution=institution)}
    current = next((c for c in cycles if c.is_open), cycles[0] if cycles else None)
    context: dict[str, Any] = {
        "institution": institution,
        "cycle": current,
        "header_scope": institution.name,
        "history": [assessments[c.pk] for c in cycles if c.pk in assessments and c is not current],
    }
    if current is not None:
        context["deadlines"] = cycle_deadlines(cycle=current)
        context["today"] = timezone.localdate()
        assessment = assessments.get(current.pk)
        context["assessment"] = assessment
        due = next((d for d in context["deadlines"] if d.stage == Stage.SELF_ASSESSMENT), None)
        context["days_left"] = None
        if due is not None and (assessment is None or assessment.is_editable):
            context["self_deadline"] = due
            context["days_left"] = (due.due_on - context["today"]).days
        if assessment is not None:
            result = assessment_provisional_result(assessment=assessment)
            context.update(
                progress=assessment_progress(assessment=assessment),
                result=result_view(result, {}),
                snapshots=assessment_snapshots(assessment=assessment),
                target_label=level_label(assessment.target_level),
            )
        elif current.is_open:
            standard = cycle_standard_for_institution(cycle=current, institution=institution)
            levels = list(standard.rule_sets()) if standard else []
            context["open_form"] = TargetLevelForm(levels=levels) if levels else None
            context["carry_source"] = last_accepted_assessment(
                institution_id=institution.pk, before_year=current.year
            )
    return render(request, "web/institution/home.html", context)


@require_POST
@role_required(STAFF)
def assessment_open_view(request: SignedInRequest, cycle_id: int) -> HttpResponse:
    institution = _own_institution(request.user)
    cycle = cycle_get_for_institution(institution=institution, cycle_id=cycle_id)
    if cycle is None:
        raise Http404(_("No such cycle."))
    standard = cycle_standard_for_institution(cycle=cycle, institution=institution)
    form = TargetLevelForm(request.POST, levels=list(standard.rule_sets()) if standard else [])
    if not form.is_valid():
        messages.error(request, _("Choose a target level."))
        return redirect("web:institution_home")
    try:
        assessment = assessment_open(
            actor=request.user,
            cycle=cycle,
            institution=institution,
            target_level=form.cleaned_data["target_level"],
            carry_forward=bool(request.POST.get("carry_forward")),
        )
    except (DomainError, ValidationError) as exc:
        refuse(request, exc)
        return redirect("web:institution_home")
    messages.success(request, _("The self-assessment is open."))
    return redirect("web:checklist", assessment.pk)


@require_POST
@role_required(STAFF)
def carried_confirm_view(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """Confirm every carried-over proposal as it stands."""
    assessment = assessment_or_404(request, assessment_id)
    try:
        codes = carried_confirm(actor=request.user, assessment=assessment)
    except (DomainError, PermissionDenied) as exc:
        refuse(request, exc)
    else:
        messages.success(
            request,
            ngettext("%(count)d proposal confirmed.", "%(count)d proposals confirmed.", len(codes))
            % {"count": len(codes)},
        )
    return redirect("web:checklist", assessment_id)


def _checklist_context(request: SignedInRequest, workspace: Workspace) -> dict[str, Any]:
    assessment = workspace.assessment
    return {
        "assessment": assessment,
        "editable": assessment.is_editable,
        "chapters": checklist_chapters(workspace),
        "progress": workspace.progress,
        "result": workspace_result(workspace),
        "returned": workspace.returned,
        "returned_items": [row for row in workspace.rows if row.review_comment],
        "carried": {
            "proposed": [r for r in workspace.rows if r.grade.carry == ItemGrade.Carry.PROPOSED],
            "flagged": [
                r
                for r in workspace.rows
                if r.grade.carry in (ItemGrade.Carry.CHANGED, ItemGrade.Carry.NEW)
            ],
        },
        "grade_choices": [(value, GRADE_LABELS[value]) for value in GRADE_CHOICES],
        "target_form": TargetLevelForm(
            initial={"target_level": assessment.target_level, "version": assessment.version},
            levels=list(workspace.levels),
        ),
        "header_scope": assessment.institution.name,
        "reusable_files": reusable_choices(assessment) if assessment.is_editable else [],
        "i18n": autosave_texts(
            {
                "grade": _("Grade"),
                "na_reason": _("Reason for not applicable"),
                "metric_value": _("Metric value"),
                "note": _("Note"),
            }
        ),
    }


@require_GET
@role_required(STAFF)
def checklist(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """The whole checklist by chapter; editable while a draft or returned."""
    assessment = assessment_or_404(request, assessment_id)
    workspace = assessment_workspace(assessment=assessment)
    context = _checklist_context(request, workspace)
    return render(request, "web/institution/checklist.html", context)


@require_GET
@json_role_required(STAFF)
def checklist_summary(request: SignedInRequest, assessment_id: int) -> JsonResponse:
    """Progress per chapter and the provisional result, refreshed after saves: the
    sidebar as HTML (rendered and escaped by the template) plus the counts."""
    assessment = assessment_or_404(request, assessment_id)
    workspace = assessment_workspace(assessment=assessment, with_criteria=False)
    context = {
        "assessment": assessment,
        "progress": workspace.progress,
        "result": workspace_result(workspace),
        "editable": assessment.is_editable,
    }
    html = render_to_string("web/institution/_summary.html", context, request=request)
    return JsonResponse({"html": html, "progress": workspace.progress.as_dict()})


@require_GET
@json_role_required(STAFF)
def item_last_save(request: SignedInRequest, assessment_id: int, item_code: str) -> JsonResponse:
    """Who saved the item last and when (local time, HH:MM), for the conflict panel.
    The page saves through the API (``PATCH /api/v1/assessments/<id>/items/<code>/``),
    whose 409 ``stale_version`` carries the stored values but not the person."""
    assessment = assessment_or_404(request, assessment_id)
    saved = item_grade_stored(assessment_id=assessment.pk, item_code=item_code)
    if saved is None:
        return json_error("not_found", _("Not found."), 404)
    return JsonResponse(
        {
            "item": item_code,
            "version": saved.version,
            "updated_by": _user_name(saved.updated_by),
            "updated_at": (
                timezone.localtime(saved.updated_at).strftime("%H:%M") if saved.updated_at else ""
            ),
        }
    )


@require_POST
@role_required(STAFF)
def target_level_view(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    assessment = assessment_or_404(request, assessment_id)
    standard = cycle_standard_of(assessment=assessment)
    form = TargetLevelForm(request.POST, levels=list(standard.rule_sets()) if standard else [])
    if form.is_valid():
        try:
            assessment_target_level_set(
                actor=request.user,
                assessment=assessment,
                target_level=form.cleaned_data["target_level"],
                expected_version=form.cleaned_data["version"] or assessment.version,
            )
            messages.success(request, _("The target level is saved."))
        except ConflictError:
            messages.error(
                request, _("Someone else changed the target level meanwhile; check it again.")
            )
        except (ValidationError, PermissionDenied, DomainError) as exc:
            refuse(request, exc)
    else:
        messages.error(request, _("Choose a target level."))
    return redirect("web:checklist", assessment.pk)


@require_POST
@role_required(STAFF)
def submit(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """Submit; when anything is missing, list every problem at once with links."""
    assessment = assessment_or_404(request, assessment_id)
    try:
        assessment_submit(actor=request.user, assessment=assessment)
    except IncompleteError as exc:
        return render(
            request,
            "web/institution/submit_problems.html",
            {
                "assessment": assessment,
                "problems": exc.problems,
                "header_scope": assessment.institution.name,
            },
            status=exc.status,
        )
    except DomainError as exc:
        refuse(request, exc)
        return redirect("web:checklist", assessment.pk)
    messages.success(request, _("The self-assessment is submitted."))
    return redirect("web:institution_home")

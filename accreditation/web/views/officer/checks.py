"""Consistency checks after recognition: run one on a sample of a region's
recognitions, record the re-scores, complete it to see the agreement per item and per
region, and apply reductions (核减) with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accreditation.core.errors import DomainError
from accreditation.models import ConsistencyCheck, RecognitionAction
from accreditation.permissions import Action, may
from accreditation.selectors.checks import (
    check_get_for_user,
    check_reductions,
    check_sample_get,
    check_samples_by_id,
    check_samples_with_results,
    checks_recent_for_user,
)
from accreditation.selectors.cycles import cycle_get, cycles_for_officer
from accreditation.selectors.regions import (
    check_regions_for_officer,
    region_get_for_user,
    region_names_by_path,
)
from accreditation.services.consistency import (
    consistency_check_complete,
    consistency_check_run,
    consistency_rescore_record,
)
from accreditation.services.reductions import ReductionItem, reduction_apply
from accreditation.web.access import SignedInRequest
from accreditation.web.forms_officer import CheckRunForm
from accreditation.web.presenters import GRADE_CHOICES, grade_label, level_label
from accreditation.web.views.officer.common import officer_required, refuse
from standards.models import Level


def _check_or_404(request: SignedInRequest, check_id: int) -> ConsistencyCheck:
    check = check_get_for_user(user=request.user, check_id=check_id)
    if check is None:
        raise Http404(_("No such check."))
    return check


@require_GET
@officer_required
def checks(request: SignedInRequest) -> HttpResponse:
    """The checks in the region and the form to run one."""
    listed = checks_recent_for_user(user=request.user, limit=100)
    context = {
        "checks": listed,
        "form": CheckRunForm(),
        "cycles": cycles_for_officer(viewer=request.user),
        "regions": check_regions_for_officer(viewer=request.user),
        "may_run": request.user.region_id is None
        or may(request.user, Action.CHECK_RUN, request.user.region),
    }
    return render(request, "web/officer/checks.html", context)


@require_POST
@officer_required
def check_run(request: SignedInRequest) -> HttpResponse:
    form = CheckRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the cycle, the region and a share between 0 and 1."))
        return redirect("web:officer_checks")
    region = region_get_for_user(user=request.user, region_id=form.cleaned_data["region"])
    cycle = cycle_get(cycle_id=form.cleaned_data["cycle"])
    if region is None or cycle is None:
        raise Http404(_("No such region or cycle."))
    try:
        check = consistency_check_run(
            actor=request.user,
            cycle=cycle,
            region=region,
            sample_share=form.cleaned_data["sample_share"],
            seed=form.cleaned_data["seed"],
        )
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
        return redirect("web:officer_checks")
    messages.success(request, _("The sample is drawn; record the re-scores."))
    return redirect("web:officer_check", check.pk)


def _report_regions(report: dict | None) -> list[tuple[str, dict]]:
    """The report's per-region rows with region names (one query)."""
    if not report:
        return []
    per_region = report.get("per_region", {})
    names = region_names_by_path(paths=per_region)
    return [(names.get(path, path), row) for path, row in per_region.items()]


@require_GET
@officer_required
def check_detail(request: SignedInRequest, check_id: int) -> HttpResponse:
    check = _check_or_404(request, check_id)
    samples = check_samples_with_results(check=check)
    rows = []
    for sample in samples:
        recognised = sample.recognition.decision.result.inputs["grades"]
        current = sample.grades or recognised
        rows.append(
            {
                "sample": sample,
                "level": level_label(sample.recognition.level),
                "rescored_level": level_label(sample.rescored_level)
                if sample.grades is not None
                else "",
                "items": [
                    (code, grade, current.get(code, "")) for code, grade in recognised.items()
                ],
            }
        )
    context = {
        "check": check,
        "rows": rows,
        "grades": [(g, grade_label(g)) for g in GRADE_CHOICES],
        "report_regions": _report_regions(check.report),
        "actions": [
            (RecognitionAction.DOWNGRADE, RecognitionAction.DOWNGRADE.label),
            (RecognitionAction.REVOKE, RecognitionAction.REVOKE.label),
        ],
        "levels": Level.choices,
        "reductions": check_reductions(check=check),
    }
    return render(request, "web/officer/check_detail.html", context)


@require_POST
@officer_required
def check_rescore(request: SignedInRequest, check_id: int, sample_id: int) -> HttpResponse:
    check = _check_or_404(request, check_id)
    sample = check_sample_get(check=check, sample_id=sample_id)
    if sample is None:
        raise Http404(_("No such sample."))
    grades = {
        key.removeprefix("grade-"): request.POST.get(key, "")
        for key in request.POST
        if key.startswith("grade-")
    }
    try:
        consistency_rescore_record(
            actor=request.user, check=check, recognition=sample.recognition, grades=grades
        )
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("The re-score is recorded."))
    return redirect("web:officer_check", check.pk)


@require_POST
@officer_required
def check_complete(request: SignedInRequest, check_id: int) -> HttpResponse:
    check = _check_or_404(request, check_id)
    try:
        consistency_check_complete(actor=request.user, check=check)
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("The check is completed."))
    return redirect("web:officer_check", check.pk)


@require_POST
@officer_required
def check_reduce(request: SignedInRequest, check_id: int) -> HttpResponse:
    """Apply a reduction (核减) to the chosen sampled recognitions, with one reason."""
    check = _check_or_404(request, check_id)
    samples = check_samples_by_id(check=check)
    items = []
    for value in request.POST.getlist("samples"):
        if not value.isdigit() or int(value) not in samples:
            raise Http404(_("No such sample."))
        sample = samples[int(value)]
        items.append(
            ReductionItem(
                recognition=sample.recognition,
                action=request.POST.get(f"action-{sample.pk}", ""),
                to_level=request.POST.get(f"to-{sample.pk}", ""),
            )
        )
    try:
        reduction_apply(
            actor=request.user,
            region=check.region,
            reason=request.POST.get("reason", ""),
            items=items,
            check=check,
        )
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("The reduction is applied."))
    return redirect("web:officer_check", check.pk)

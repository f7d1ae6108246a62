"""Public notices (公示): open a notice for decided assessments, record objections,
resolve them, and close the notice once its window has ended."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accreditation.core.errors import DomainError
from accreditation.models import Cycle, Decision, PublicNotice, Region
from accreditation.selectors.officer import officer_steps
from accreditation.selectors.visibility import (
    assessments_visible_to,
    notices_visible_to,
    objections_visible_to,
)
from accreditation.services.certificate_batches import (
    certificate_batch_resume,
    certificate_batch_start,
)
from accreditation.services.notices import (
    objection_record,
    objection_resolve,
    public_notice_close,
    public_notice_open,
)
from accreditation.web.access import SignedInRequest
from accreditation.web.forms_officer import NoticeOpenForm, ObjectionForm, ObjectionResolveForm
from accreditation.web.presenters import level_label
from accreditation.web.views.officer.common import officer_required, refuse, region_prefix

LIST_LIMIT = 100


def _notices(request: SignedInRequest):
    """Notices issued in the officer's region (404 for any other)."""
    prefix = region_prefix(request.user)
    qs = notices_visible_to(request.user).select_related("region", "cycle")
    return qs.filter(region__path__startswith=prefix) if prefix else qs


def _notice_or_404(request: SignedInRequest, notice_id: int) -> PublicNotice:
    try:
        return _notices(request).get(pk=notice_id)
    except PublicNotice.DoesNotExist:
        raise Http404(_("No such notice.")) from None


def _issuing_path(institution_path: str, level: str) -> str:
    parts = institution_path.split("/")
    return "/".join(parts[: 1 if level == Region.Level.PROVINCE else 2]) + "/"


def _awaiting(request: SignedInRequest) -> list[dict[str, Any]]:
    """Decided assessments waiting for their notice, grouped by cycle and by the
    commission that publishes their level (the city or the province). Four queries."""
    tasks = officer_steps(viewer=request.user, step="await_notice")
    ids = [t.assessment_id for t in tasks]
    assessments = list(
        assessments_visible_to(request.user)
        .filter(pk__in=ids)
        .select_related("cycle", "institution__region")
        .order_by("institution__name")
    )
    decisions: dict[int, Decision] = {}
    for decision in Decision.objects.filter(assessment_id__in=ids).order_by("-id"):
        decisions.setdefault(decision.assessment_id, decision)
    paths = {}
    for a in assessments:
        level = a.cycle.review_level(decisions[a.pk].decided_level) if a.pk in decisions else ""
        paths[a.pk] = _issuing_path(a.institution.region.path, level) if level else ""
    regions = {r.path: r for r in Region.objects.filter(path__in=set(paths.values()))}
    groups: dict[tuple[int, str], list] = defaultdict(list)
    for a in assessments:
        if paths[a.pk] in regions:
            groups[(a.cycle_id, paths[a.pk])].append(
                (a, level_label(decisions[a.pk].decided_level))
            )
    return [
        {
            "cycle": rows[0][0].cycle,
            "region": regions[path],
            "rows": rows,
            "form": NoticeOpenForm(
                initial={"starts_on": timezone.localdate()},
                prefix=f"g{cycle_id}-{regions[path].pk}",
            ),
            "prefix": f"g{cycle_id}-{regions[path].pk}",
        }
        for (cycle_id, path), rows in groups.items()
    ]


@require_GET
@officer_required
def notices(request: SignedInRequest) -> HttpResponse:
    """The decided assessments to publish, and the notices issued in the region."""
    listed = list(_notices(request).order_by("-starts_on", "-id")[:LIST_LIMIT])
    return render(
        request,
        "web/officer/notices.html",
        {"groups": _awaiting(request), "notices": listed, "today": timezone.localdate()},
    )


@require_POST
@officer_required
def notice_open(request: SignedInRequest) -> HttpResponse:
    """Publish the selected assessments of one group (cycle and issuing region)."""
    prefix = region_prefix(request.user)
    try:
        cycle = Cycle.objects.select_related("province").get(pk=int(request.POST["cycle"]))
        regions = Region.objects.filter(path__startswith=prefix) if prefix else Region.objects
        region = regions.get(pk=int(request.POST["region"]))
    except (KeyError, ValueError, Cycle.DoesNotExist, Region.DoesNotExist):
        raise Http404(_("No such notice.")) from None
    form = NoticeOpenForm(request.POST, prefix=f"g{cycle.pk}-{region.pk}")
    ids = sorted({int(v) for v in request.POST.getlist("assessments") if v.isdigit()})
    chosen = list(assessments_visible_to(request.user).filter(pk__in=ids))
    if len(chosen) != len(ids):
        raise Http404(_("No such assessment."))
    if not form.is_valid():
        messages.error(
            request,
            " ".join(str(m) for errors in form.errors.values() for m in errors),
        )
        return redirect("web:officer_notices")
    try:
        notice = public_notice_open(
            actor=request.user,
            cycle=cycle,
            region=region,
            assessments=chosen,
            starts_on=form.cleaned_data["starts_on"],
            document_number=form.cleaned_data["document_number"],
            title=form.cleaned_data["title"],
        )
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
        return redirect("web:officer_notices")
    messages.success(
        request,
        _("Notice %(number)s is open until %(date)s.")
        % {"number": notice.document_number, "date": notice.ends_on.isoformat()},
    )
    return redirect("web:officer_notice", notice.pk)


@require_GET
@officer_required
def notice_detail(request: SignedInRequest, notice_id: int) -> HttpResponse:
    """A notice's entries with their objections, and its actions."""
    notice = _notice_or_404(request, notice_id)
    entries = list(notice.entries.select_related("assessment__institution__region", "decision"))
    objections: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for objection in objections_visible_to(request.user).filter(notice=notice).order_by("id"):
        objections[objection.entry_id].append(
            {"objection": objection, "form": ObjectionResolveForm(prefix=f"o{objection.pk}")}
        )
    today = timezone.localdate()
    context = {
        "notice": notice,
        "rows": [(e, level_label(e.level), objections.get(e.pk, [])) for e in entries],
        "objection_form": ObjectionForm(initial={"received_on": today}),
        "listed": [e for e in entries if e.status == e.Status.LISTED],
        "today": today,
        "window_open": today <= notice.ends_on,
        "open_objections": sum(
            1 for rows in objections.values() for r in rows if r["objection"].status == "open"
        ),
        "batch": notice.certificate_batches.order_by("-id").first(),
        "recognised": sum(1 for e in entries if e.status == e.Status.RECOGNISED),
    }
    return render(request, "web/officer/notice_detail.html", context)


@require_POST
@officer_required
def objection_add(request: SignedInRequest, notice_id: int) -> HttpResponse:
    notice = _notice_or_404(request, notice_id)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the institution and describe the objection."))
        return redirect("web:officer_notice", notice.pk)
    assessment = (
        assessments_visible_to(request.user).filter(pk=form.cleaned_data["assessment"]).first()
    )
    if assessment is None:
        raise Http404(_("No such assessment."))
    try:
        objection_record(
            actor=request.user,
            notice=notice,
            assessment=assessment,
            content=form.cleaned_data["content"],
            objector=form.cleaned_data["objector"],
            received_on=form.cleaned_data["received_on"],
        )
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("The objection is recorded."))
    return redirect("web:officer_notice", notice.pk)


@require_POST
@officer_required
def objection_resolve_view(
    request: SignedInRequest, notice_id: int, objection_id: int
) -> HttpResponse:
    notice = _notice_or_404(request, notice_id)
    objection = objections_visible_to(request.user).filter(pk=objection_id, notice=notice).first()
    if objection is None:
        raise Http404(_("No such objection."))
    form = ObjectionResolveForm(request.POST, prefix=f"o{objection.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose the outcome and give the reason."))
        return redirect("web:officer_notice", notice.pk)
    try:
        objection_resolve(
            actor=request.user,
            objection=objection,
            upheld=form.cleaned_data["outcome"] == "upheld",
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("The objection is resolved."))
    return redirect("web:officer_notice", notice.pk)


@require_POST
@officer_required
def notice_close(request: SignedInRequest, notice_id: int) -> HttpResponse:
    """Close the notice: everyone still listed is recognised."""
    notice = _notice_or_404(request, notice_id)
    try:
        public_notice_close(actor=request.user, notice=notice)
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(
            request, _("The notice is closed; the institutions listed are recognised.")
        )
    return redirect("web:officer_notice", notice.pk)


@require_POST
@officer_required
def notice_certificates(request: SignedInRequest, notice_id: int) -> HttpResponse:
    """Issue the certificates of every recognition of the notice in the background
    (or run the last batch again when it stopped or some failed)."""
    notice = _notice_or_404(request, notice_id)
    batch = notice.certificate_batches.order_by("-id").first()
    try:
        if request.POST.get("resume") and batch is not None:
            certificate_batch_resume(actor=request.user, batch=batch)
        else:
            certificate_batch_start(actor=request.user, notice=notice)
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(
            request, _("The certificates are being issued; this page shows the progress.")
        )
    return redirect("web:officer_notice", notice.pk)

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
from accreditation.models import Assessment, PublicNotice
from accreditation.selectors.assessment_lists import assessments_get_for_user
from accreditation.selectors.cycles import cycle_get
from accreditation.selectors.notices import (
    notice_entries,
    notice_get_for_officer,
    notice_latest_batch,
    notice_objections,
    notices_awaiting_for_officer,
    notices_recent_for_officer,
    objection_get_for_user,
)
from accreditation.selectors.regions import region_get_for_user
from accreditation.selectors.visibility import assessment_get_for_user
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
from accreditation.web.views.officer.common import officer_required, refuse

LIST_LIMIT = 100


def _notice_or_404(request: SignedInRequest, notice_id: int) -> PublicNotice:
    try:
        return notice_get_for_officer(viewer=request.user, notice_id=notice_id)
    except PublicNotice.DoesNotExist:
        raise Http404(_("No such notice.")) from None


def _awaiting(request: SignedInRequest) -> list[dict[str, Any]]:
    """Decided assessments waiting for their notice, grouped by cycle and by the
    commission that publishes their level, each group with its open form. Four
    queries."""
    groups = []
    for group in notices_awaiting_for_officer(viewer=request.user):
        prefix = f"g{group.cycle.pk}-{group.region.pk}"
        groups.append(
            {
                "cycle": group.cycle,
                "region": group.region,
                "rows": [(a, level_label(level)) for a, level in group.rows],
                "form": NoticeOpenForm(initial={"starts_on": timezone.localdate()}, prefix=prefix),
                "prefix": prefix,
            }
        )
    return groups


@require_GET
@officer_required
def notices(request: SignedInRequest) -> HttpResponse:
    """The decided assessments to publish, and the notices issued in the region."""
    listed = notices_recent_for_officer(viewer=request.user, limit=LIST_LIMIT)
    return render(
        request,
        "web/officer/notices.html",
        {"groups": _awaiting(request), "notices": listed, "today": timezone.localdate()},
    )


@require_POST
@officer_required
def notice_open(request: SignedInRequest) -> HttpResponse:
    """Publish the selected assessments of one group (cycle and issuing region)."""
    try:
        cycle = cycle_get(cycle_id=int(request.POST["cycle"]))
        region = region_get_for_user(user=request.user, region_id=int(request.POST["region"]))
    except (KeyError, ValueError):
        raise Http404(_("No such notice.")) from None
    if cycle is None or region is None:
        raise Http404(_("No such notice."))
    form = NoticeOpenForm(request.POST, prefix=f"g{cycle.pk}-{region.pk}")
    ids = sorted({int(v) for v in request.POST.getlist("assessments") if v.isdigit()})
    chosen = assessments_get_for_user(user=request.user, ids=ids)
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
    entries = notice_entries(notice=notice)
    objections: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for objection in notice_objections(viewer=request.user, notice=notice):
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
        "batch": notice_latest_batch(notice=notice),
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
    try:
        assessment = assessment_get_for_user(
            user=request.user, assessment_id=form.cleaned_data["assessment"]
        )
    except Assessment.DoesNotExist:
        raise Http404(_("No such assessment.")) from None
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
    objection = objection_get_for_user(user=request.user, notice=notice, objection_id=objection_id)
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
    batch = notice_latest_batch(notice=notice)
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

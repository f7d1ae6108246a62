"""Recognitions in the officer's region with their certificate records, and look-backs
(回头看) on one recognition: confirm, downgrade or revoke with a reason.

Certificates: the review process records a certificate (number, version, status) when
it recognises an institution; issuing it (``certificate_issue``) renders and stores the
signed PDF; a reissue after a correction supersedes it with a new number. The list
links the API's download (the stored file, else rendered from the record). Whole
notices are issued in the background from the notice's page.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accreditation.core.errors import DomainError
from accreditation.models import LookBack, LookBackOutcome, Recognition
from accreditation.permissions import Action, may
from accreditation.selectors.recognitions import (
    recognition_certificate_get,
    recognition_certificates,
    recognition_certificates_latest_first,
    recognition_get_for_user,
    recognition_lookbacks,
    recognitions_filtered_for_user,
)
from accreditation.selectors.regions import region_get_for_user, regions_below_officer
from accreditation.services.certificates import certificate_issue, certificate_reissue
from accreditation.services.findings import RectifyItem, lookback_conclude
from accreditation.services.reductions import lookback_record
from accreditation.web.access import SignedInRequest
from accreditation.web.forms_officer import LookBackForm
from accreditation.web.presenters import level_label
from accreditation.web.views.officer.common import officer_required, refuse
from standards.models import Level

PAGE_SIZE = 50
#: "1.2.3: what was found" (ASCII or full-width colon); a line without a leading item
#: code is about the institution as a whole.
ITEM_LINE = re.compile(r"^\s*([0-9A-Za-z]+(?:[.\-][0-9A-Za-z]+)+)\s*[:：]\s*(.*)$")


def rectify_items(text: str) -> list[RectifyItem]:
    """The shortcomings of a look-back requiring rectification, one per non-blank line:
    "item code: what was found", or just what was found."""
    items = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = ITEM_LINE.match(line)
        if match:
            items.append(RectifyItem(description=match.group(2), item_code=match.group(1)))
        else:
            items.append(RectifyItem(description=line.strip()))
    return items


@require_GET
@officer_required
def recognitions(request: SignedInRequest) -> HttpResponse:
    """Recognitions filtered by level, region and status, with their certificate
    numbers linked to the public verification page."""
    level = request.GET.get("level", "")
    status = request.GET.get("status", "")
    region_id = request.GET.get("region", "")
    region = None
    if region_id.isdigit():
        region = region_get_for_user(user=request.user, region_id=int(region_id))
        if region is None:
            raise Http404(_("No such region."))
    qs = recognitions_filtered_for_user(
        user=request.user, level=level, status=status, region=region
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(r, level_label(r.level), recognition_certificates(recognition=r)) for r in page]
    return render(
        request,
        "web/officer/recognitions.html",
        {
            "page": page,
            "rows": rows,
            "levels": Level.choices,
            "statuses": Recognition.Status.choices,
            "regions": regions_below_officer(viewer=request.user),
            "chosen": {"level": level, "status": status, "region": region.pk if region else None},
        },
    )


@require_http_methods(["GET", "POST"])
@officer_required
def recognition_detail(request: SignedInRequest, recognition_id: int) -> HttpResponse:
    """One recognition: its certificates and look-backs, and the look-back form."""
    recognition = recognition_get_for_user(user=request.user, recognition_id=recognition_id)
    if recognition is None:
        raise Http404(_("No such recognition."))
    form = LookBackForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            rectify = data["outcome"] == LookBackOutcome.RECTIFY
            try:
                lookback = lookback_record(
                    actor=request.user,
                    recognition=recognition,
                    outcome=data["outcome"],
                    reason=data["reason"],
                    to_level=data["to_level"],
                    findings=data["findings"],
                    rectify_by=data["rectify_by"] if rectify else None,
                    rectify_items=rectify_items(data["shortcomings"]) if rectify else (),
                )
            except (ValidationError, PermissionDenied, DomainError) as exc:
                refuse(request, exc)
            else:
                messages.success(
                    request,
                    _("The look-back is recorded; the institution rectifies by %(date)s.")
                    % {"date": lookback.rectify_by.isoformat()}
                    if lookback.rectify_by
                    else _("The look-back is recorded."),
                )
                target = lookback.replacement or recognition
                return redirect("web:officer_recognition", target.pk)
        else:
            messages.error(request, _("Choose the outcome and give the reason."))
    lookbacks = recognition_lookbacks(user=request.user, recognition=recognition)
    context = {
        "recognition": recognition,
        "level_label": level_label(recognition.level),
        "certificates": recognition_certificates_latest_first(recognition=recognition),
        "lookbacks": lookbacks,
        "pending": LookBack.Rectification.PENDING,
        "form": form,
        "may_review": may(request.user, Action.RECOGNITION_REVIEW, recognition)
        and recognition.status == Recognition.Status.ACTIVE,
        "may_issue": may(request.user, Action.NOTICE_MANAGE, recognition.issuing_region),
        "may_conclude": may(request.user, Action.RECOGNITION_REVIEW, recognition),
    }
    return render(request, "web/officer/recognition_detail.html", context)


def _certificate_or_404(request: SignedInRequest, recognition_id: int, certificate_id: int):
    recognition = recognition_get_for_user(user=request.user, recognition_id=recognition_id)
    certificate = (
        recognition_certificate_get(recognition=recognition, certificate_id=certificate_id)
        if recognition
        else None
    )
    if certificate is None:
        raise Http404(_("No such certificate."))
    return recognition, certificate


@require_POST
@officer_required
def certificate_issue_view(
    request: SignedInRequest, recognition_id: int, certificate_id: int
) -> HttpResponse:
    """Render and store the signed PDF of a valid certificate record."""
    recognition, certificate = _certificate_or_404(request, recognition_id, certificate_id)
    try:
        certificate_issue(actor=request.user, certificate=certificate)
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(
            request, _("Certificate %(number)s is issued.") % {"number": certificate.number}
        )
    return redirect("web:officer_recognition", recognition.pk)


@require_POST
@officer_required
def certificate_reissue_view(
    request: SignedInRequest, recognition_id: int, certificate_id: int
) -> HttpResponse:
    """Supersede a valid certificate with a new number, after a correction."""
    recognition, certificate = _certificate_or_404(request, recognition_id, certificate_id)
    try:
        new = certificate_reissue(
            actor=request.user, certificate=certificate, reason=request.POST.get("reason", "")
        )
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(
            request,
            _("Certificate %(old)s is replaced by %(new)s.")
            % {"old": certificate.number, "new": new.number},
        )
    return redirect("web:officer_recognition", recognition.pk)


@require_POST
@officer_required
def lookback_conclude_view(
    request: SignedInRequest, recognition_id: int, lookback_id: int
) -> HttpResponse:
    """Conclude a look-back awaiting rectification: rectified when every finding is
    closed; after the deadline with findings open, failed (the recognition is
    revoked)."""
    recognition = recognition_get_for_user(user=request.user, recognition_id=recognition_id)
    lookbacks = (
        recognition_lookbacks(user=request.user, recognition=recognition) if recognition else []
    )
    lookback = next((lb for lb in lookbacks if lb.pk == lookback_id), None)
    if recognition is None or lookback is None:
        raise Http404(_("No such look-back."))
    try:
        concluded = lookback_conclude(actor=request.user, lookback=lookback)
    except (ValidationError, PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(
            request,
            _("Rectified: the recognition stands.")
            if concluded.rectification == LookBack.Rectification.RECTIFIED
            else _("Rectification failed: the recognition is revoked."),
        )
    return redirect("web:officer_recognition", recognition.pk)

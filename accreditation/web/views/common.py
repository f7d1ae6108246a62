"""Pages every signed-in user reaches: the home page that routes each role to its
start page, and evidence downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accreditation.models import EvidenceAttachment, User
from accreditation.selectors.assessment_lists import assessments_recent_for_user
from accreditation.selectors.visibility import attachment_get_for_user
from accreditation.web.access import SignedInRequest, assessment_or_404

Role = User.Role
#: Roles with a start page of their own; the others see the home page.
START_PAGES: dict[str, str] = {
    Role.INSTITUTION_STAFF: "web:institution_home",
    Role.COUNTY_REVIEWER: "web:review_queue",
    Role.EXPERT: "web:expert_tasks",
    Role.OFFICER: "web:officer_dashboard",
}
HOME_LIST_LIMIT = 50


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: answers without touching the database or the
    session (also the bare baseline of the load benchmarks)."""
    return JsonResponse({"status": "ok"})


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """Send each role to its start page; administrators see the assessments and a
    link to the admin."""
    user = request.user
    if user.is_active and user.role in START_PAGES:
        return redirect(START_PAGES[user.role])
    assessments = assessments_recent_for_user(user=user, limit=HOME_LIST_LIMIT)
    return render(
        request,
        "web/home.html",
        {"assessments": assessments, "has_role": bool(user.role), "limit": HOME_LIST_LIMIT},
    )


@login_required
def evidence_download(
    request: SignedInRequest, assessment_id: int, attachment_id: int
) -> FileResponse:
    """An evidence file of an assessment the user may see, as a download (never shown
    inline: the content was only checked for its type)."""
    assessment = assessment_or_404(request, assessment_id)
    try:
        attachment = attachment_get_for_user(user=request.user, attachment_id=attachment_id)
    except EvidenceAttachment.DoesNotExist:
        raise Http404(_("No such file.")) from None
    if attachment.assessment_id != assessment.pk:
        raise Http404(_("No such file."))
    return FileResponse(
        attachment.evidence.file.open("rb"), as_attachment=True, filename=attachment.name
    )

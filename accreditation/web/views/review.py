"""County reviewers: the queue of submitted assessments in their county, and one
assessment with its self-grades and evidence, item comments, forward or return."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accreditation.core.errors import DomainError, refusal
from accreditation.models import Assessment, User
from accreditation.selectors.assessment_lists import assessments_recent_for_user
from accreditation.selectors.items import assessment_item_codes
from accreditation.selectors.reviews import review_history
from accreditation.selectors.workspace import assessment_workspace
from accreditation.services.reviews import (
    assessment_return,
    county_review_forward,
    county_review_start,
)
from accreditation.web.access import SignedInRequest, assessment_or_404, role_required
from accreditation.web.presenters import (
    GRADE_LABELS,
    checklist_chapters,
    level_label,
    workspace_result,
)
from accreditation.web.responses import refuse
from workflows.selectors import task_inbox

REVIEWER = User.Role.COUNTY_REVIEWER
Status = Assessment.Status
#: Statuses at which the county reviewer acts.
AT_COUNTY = (Status.SUBMITTED, Status.COUNTY_REVIEW)
RECENT_LIMIT = 50
MAX_COMMENT_CHARS = 4000


@require_GET
@role_required(REVIEWER)
def queue(request: SignedInRequest) -> HttpResponse:
    """Open county reviews in the reviewer's county, oldest first, and the county's
    other assessments with their status."""
    inbox = task_inbox(user=request.user)
    tasks = [
        {
            "row": row,
            "target": level_label(row.target_level),
            "status": Status(row.assessment_status).label,
            "url": reverse("web:review_assessment", args=[row.assessment_id]),
            "action": _("Review"),
        }
        for row in inbox
    ]
    waiting = {row.assessment_id for row in inbox}
    others = assessments_recent_for_user(user=request.user, limit=RECENT_LIMIT, exclude_ids=waiting)
    return render(
        request,
        "web/review/queue.html",
        {"tasks": tasks, "others": others, "limit": RECENT_LIMIT},
    )


def _item_comments(data: Any, codes: list[str]) -> dict[str, str]:
    return {
        code: text
        for code in codes
        if (text := (data.get(f"item-{code}") or "").strip()[:MAX_COMMENT_CHARS])
    }


def _page(
    request: SignedInRequest,
    assessment: Assessment,
    *,
    comment: str = "",
    item_comments: dict[str, str] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    workspace = assessment_workspace(assessment=assessment)
    return render(
        request,
        "web/review/assessment.html",
        {
            "assessment": assessment,
            "chapters": checklist_chapters(workspace),
            "progress": workspace.progress,
            "result": workspace_result(workspace),
            "history": review_history(viewer=request.user, assessment=assessment),
            "grade_labels": GRADE_LABELS,
            "acting": assessment.status in AT_COUNTY,
            "claimable": assessment.status == Status.SUBMITTED,
            "comment": comment,
            "item_comments": item_comments or {},
            "errors": errors or [],
        },
        status=status,
    )


@require_GET
@role_required(REVIEWER)
def assessment_view(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """Self-grades, evidence and criteria item by item; comments, forward or return."""
    return _page(request, assessment_or_404(request, assessment_id))


@require_POST
@role_required(REVIEWER)
def claim(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """Take the review: the assessment becomes "county review" and the step is the
    reviewer's."""
    assessment = assessment_or_404(request, assessment_id)
    try:
        county_review_start(actor=request.user, assessment=assessment)
    except (PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("You are reviewing this assessment."))
    return redirect("web:review_assessment", assessment.pk)


@require_POST
@role_required(REVIEWER)
def decide(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """Forward to the expert review or return for correction, with the overall comment
    (the reason, for a return) and comments per item. A refusal shows the page again
    with everything typed kept."""
    assessment = assessment_or_404(request, assessment_id)
    codes = assessment_item_codes(assessment=assessment)
    comment = (request.POST.get("comment") or "").strip()[:MAX_COMMENT_CHARS]
    comments = _item_comments(request.POST, codes)
    action = request.POST.get("action")
    try:
        if action == "forward":
            county_review_forward(
                actor=request.user, assessment=assessment, comment=comment, item_comments=comments
            )
            messages.success(request, _("The assessment is forwarded to the expert review."))
        elif action == "return":
            assessment_return(
                actor=request.user, assessment=assessment, reason=comment, item_comments=comments
            )
            messages.success(request, _("The assessment is returned to the institution."))
        else:
            raise ValidationError(_("Choose forward or return."))
    except ValidationError as exc:
        errors = [str(m) for m in exc.messages]
        return _page(
            request, assessment, comment=comment, item_comments=comments, errors=errors, status=400
        )
    except (PermissionDenied, DomainError) as exc:
        refused = refusal(exc)
        return _page(
            request,
            assessment,
            comment=comment,
            item_comments=comments,
            errors=[refused.text()],
            status=refused.status,
        )
    return redirect("web:review_queue")

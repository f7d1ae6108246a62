"""Rectification (整改) in the pages: the findings in the viewer's scope, one finding
with its plans and evidence of effect and the forms the viewer may use in its status,
an assessment's findings with the gap plan as the starting list, and the files.

The forms post their raw values to the services, which decide: a refusal by field is
shown beside the field with everything typed kept, nothing written; any other refusal
is a page message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accreditation.core.errors import DomainError, validation_fields
from accreditation.models import (
    INSTITUTION_OWES,
    Assessment,
    Finding,
    FindingSource,
    FindingStatus,
    RectificationFile,
    User,
)
from accreditation.permissions import Action, may
from accreditation.selectors.findings import (
    assessment_findings,
    finding_candidates,
    finding_detail,
    finding_links,
    finding_list,
    rectification_file_for,
)
from accreditation.selectors.items import assessment_item_titles
from accreditation.services.findings import (
    finding_raise,
    finding_reopen,
    finding_verify,
    finding_withdraw,
    findings_from_gap_plan,
    plan_accept,
    plan_return,
    plan_submit,
    rectification_evidence_submit,
)
from accreditation.web.access import SignedInRequest, assessment_or_404, role_required
from accreditation.web.responses import refusal_text, refuse

Role = User.Role
Status = FindingStatus
#: Everyone with a scope sees the findings in it.
VIEWERS = (
    Role.INSTITUTION_STAFF,
    Role.COUNTY_REVIEWER,
    Role.EXPERT,
    Role.OFFICER,
    Role.ADMINISTRATOR,
)
#: Who opens an assessment's findings page (raising is the permission's business).
RAISERS = (Role.COUNTY_REVIEWER, Role.EXPERT, Role.OFFICER)
PAGE_SIZE = 50
#: The sources a finding is raised from on the assessment's page; the others come from
#: the record they name (an upheld objection, a look-back, a re-scored sample).
PAGE_SOURCES = (FindingSource.COUNTY, FindingSource.PANEL)
#: The records a finding may be raised from, by the parameter naming them (the
#: notice page links an upheld objection, the check page a re-scored sample), with the
#: source they give. Look-backs raise theirs from the look-back form.
LINKED_SOURCES = {
    "objection": FindingSource.OBJECTION,
    "consistency_sample": FindingSource.CONSISTENCY,
}
REQUIRED_GRADES = ("C", "B", "A")
#: What the page says after each step.
DONE = {
    "plan": gettext_lazy("The rectification plan is submitted for review."),
    "evidence": gettext_lazy("The evidence of effect is submitted for verification."),
    "accept": gettext_lazy("The plan is accepted; the institution now rectifies."),
    "return": gettext_lazy("The plan is returned for revision."),
    "verify": gettext_lazy("Verified: the finding is closed."),
    "reopen": gettext_lazy("Reopened: the institution submits evidence again."),
    "withdraw": gettext_lazy("The finding is withdrawn."),
}


def _base(user: User) -> str:
    return "web/officer/base.html" if user.role == Role.OFFICER else "web/base.html"


def _owes_days(finding: Finding, today: Any) -> tuple[bool, int]:
    """Whether the institution's next step is overdue, and by how many days."""
    overdue = finding.status in INSTITUTION_OWES and finding.due_on < today
    return overdue, (today - finding.due_on).days if overdue else 0


def _row(finding: Finding, today: Any) -> dict[str, Any]:
    overdue, days = _owes_days(finding, today)
    return {
        "finding": finding,
        "overdue": overdue,
        "days_overdue": days,
        "owes": finding.status in INSTITUTION_OWES,
        "resolved": finding.status in (Status.CLOSED, Status.WITHDRAWN),
    }


# --- The list ------------------------------------------------------------------------


@require_GET
@role_required(*VIEWERS)
def findings(request: SignedInRequest) -> HttpResponse:
    """Findings in the viewer's scope, the soonest due first, filtered by status,
    source and overdue; overdue rows are flagged in words, not by colour alone."""
    status = request.GET.get("status", "")
    source = request.GET.get("source", "")
    overdue = request.GET.get("overdue", "") == "1"
    chosen = {
        "status": status if status in Status.values else "",
        "source": source if source in FindingSource.values else "",
        "overdue": overdue,
    }
    rows = finding_list(viewer=request.user, filters=chosen)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "web/findings/list.html",
        {
            "base": _base(request.user),
            "page": page,
            "rows": [_row(f, today) for f in page],
            "statuses": Status.choices,
            "sources": FindingSource.choices,
            "chosen": chosen,
        },
    )


# --- One finding ---------------------------------------------------------------------


def _finding_or_404(request: SignedInRequest, finding_id: int) -> Finding:
    try:
        return finding_detail(viewer=request.user, pk=finding_id)
    except Finding.DoesNotExist:
        raise Http404(_("No such finding.")) from None


def _forms(user: User, finding: Finding) -> dict[str, bool]:
    """Which forms the viewer may use in the finding's status."""
    respond = may(user, Action.FINDING_RESPOND, finding.assessment)
    decide = may(user, Action.FINDING_DECIDE, finding)
    return {
        "plan": respond and finding.status == Status.OPEN,
        "evidence": respond and finding.status == Status.PLAN_ACCEPTED,
        "plan_decision": decide and finding.status == Status.PLAN_SUBMITTED,
        "verification": decide and finding.status == Status.EVIDENCE_SUBMITTED,
        "withdraw": decide and finding.status in (Status.OPEN, Status.PLAN_SUBMITTED),
    }


def _finding_page(
    request: SignedInRequest,
    finding: Finding,
    *,
    step: str = "",
    typed: Mapping[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "web/findings/detail.html",
        {
            "base": _base(request.user),
            "finding": finding,
            "row": _row(finding, today),
            "forms": _forms(request.user, finding),
            "step": step,
            "typed": typed or {},
            "errors": errors or {},
            "today": today.isoformat(),
        },
        status=status,
    )


def _step(request: SignedInRequest, finding: Finding, step: str) -> None:
    data, user = request.POST, request.user
    comment = data.get("comment", "")
    runs: dict[str, Callable[[], object]] = {
        "plan": lambda: plan_submit(
            actor=user,
            finding=finding,
            root_cause=data.get("root_cause", ""),
            actions=data.get("actions", ""),
            owner=data.get("owner", ""),
            due_on=data.get("due_on") or None,
        ),
        "evidence": lambda: rectification_evidence_submit(
            actor=user,
            finding=finding,
            description=data.get("description", ""),
            files=request.FILES.getlist("files"),
        ),
        "accept": lambda: plan_accept(actor=user, finding=finding, comment=comment),
        "return": lambda: plan_return(actor=user, finding=finding, comment=comment),
        "verify": lambda: finding_verify(actor=user, finding=finding, comment=comment),
        "reopen": lambda: finding_reopen(actor=user, finding=finding, comment=comment),
        "withdraw": lambda: finding_withdraw(
            actor=user, finding=finding, reason=data.get("reason", "")
        ),
    }
    runs[step]()


@require_http_methods(["GET", "POST"])
@role_required(*VIEWERS)
def finding(request: SignedInRequest, finding_id: int) -> HttpResponse:
    """GET: the finding, its plans and evidence of effect with their files, and the
    forms the viewer may use now. POST (``step``): the institution's plan or evidence,
    the decider's accept / return, verify / reopen, or withdraw."""
    found = _finding_or_404(request, finding_id)
    if request.method == "GET":
        return _finding_page(request, found)
    step = request.POST.get("step", "")
    if step not in DONE:
        messages.error(request, _("Choose what to do."))
        return redirect("web:finding", found.pk)
    try:
        _step(request, found, step)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return _finding_page(
            request,
            found,
            step=step,
            typed=request.POST,
            errors=validation_fields(exc),
            status=400,
        )
    except (PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(request, str(DONE[step]))
    return redirect("web:finding", found.pk)


@require_GET
@login_required
def rectification_file(request: SignedInRequest, file_id: int) -> FileResponse:
    """A file of evidence of effect, as a download (never inline), to anyone who sees
    the finding; the selector answers the scope, so 404 for everyone else."""
    try:
        file = rectification_file_for(viewer=request.user, pk=file_id)
    except RectificationFile.DoesNotExist:
        raise Http404(_("No such file.")) from None
    return FileResponse(file.evidence.file.open("rb"), as_attachment=True, filename=file.name)


# --- An assessment's findings --------------------------------------------------------


def _link_ids(data: Mapping[str, Any]) -> dict[str, int | None]:
    """The linked record named in ``data`` (at most one is used: the first)."""
    for name in LINKED_SOURCES:
        value = str(data.get(name) or "")
        if value:
            return {name: int(value) if value.isdigit() else 0}
    return {}


def _linked(assessment: Assessment, data: Mapping[str, Any]) -> dict[str, Any]:
    """The record named in ``data`` among the assessment's (``finding_links``); raises
    ``ValidationError`` on its field for one of another assessment or none."""
    ids = _link_ids(data)
    return finding_links(assessment=assessment, ids=ids) if ids else {}


def _link_text(name: str, record: Any) -> str:
    """What the raise form says of the record the finding comes from."""
    if name == "objection":
        return _("Objection received on %(date)s (%(status)s): %(content)s") % {
            "date": record.received_on.isoformat(),
            "status": record.get_status_display(),
            "content": record.content,
        }
    agreement = (record.agreement or {}).get("rate", "–")
    return _("Re-scored in a consistency check: level %(level)s, agreement %(rate)s.") % {
        "level": record.get_rescored_level_display() or "–",
        "rate": agreement,
    }


def _assessment_page(
    request: SignedInRequest,
    assessment: Assessment,
    *,
    typed: Mapping[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    link: Mapping[str, Any] | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    default_source = FindingSource.PANEL if user.role == Role.EXPERT else FindingSource.COUNTY
    linked = None
    for name, record in (link or {}).items():
        if record is not None:
            source = LINKED_SOURCES[name]
            linked = {
                "name": name,
                "pk": record.pk,
                "source": source.value,
                "source_label": source.label,
                "text": _link_text(name, record),
            }
    return render(
        request,
        "web/findings/assessment.html",
        {
            "base": _base(user),
            "assessment": assessment,
            "candidates": finding_candidates(assessment=assessment),
            "rows": [_row(f, today) for f in assessment_findings(assessment=assessment)],
            "may_raise": may(user, Action.FINDING_RAISE, assessment),
            "items": list(assessment_item_titles(assessment=assessment).items()),
            "sources": [(s.value, s.label) for s in PAGE_SOURCES],
            "grades": REQUIRED_GRADES,
            "typed": typed or {"source": default_source},
            "linked": linked,
            "errors": errors or {},
            "chosen_codes": getattr(typed, "getlist", lambda _key: [])("item_codes"),
            "today": today.isoformat(),
        },
        status=status,
    )


def _raise(request: SignedInRequest, assessment: Assessment, link: Mapping[str, Any]) -> str:
    """Run the posted ``step`` (a finding raised by hand comes from ``link``, the
    record named, if any); what the page says when it succeeded."""
    data = request.POST
    if data.get("step") == "from_gap_plan":
        codes = data.getlist("item_codes")
        if not codes:
            raise ValidationError({"item_codes": _("Choose the items to raise findings for.")})
        raised = findings_from_gap_plan(
            actor=request.user,
            assessment=assessment,
            item_codes=codes,
            due_on=data.get("plan_due_on") or None,
        )
        return ngettext(
            "%(count)d finding raised from the gap plan.",
            "%(count)d findings raised from the gap plan.",
            len(raised),
        ) % {"count": len(raised)}
    if data.get("step") == "raise":
        finding_raise(
            actor=request.user,
            assessment=assessment,
            source=data.get("source", ""),
            description=data.get("description", ""),
            item_code=data.get("item_code", ""),
            required_grade=data.get("required_grade", ""),
            due_on=data.get("due_on") or None,
            **link,
        )
        return _("The finding is raised; the institution answers with a plan.")
    raise ValidationError(_("Choose what to do."))


@require_http_methods(["GET", "POST"])
@role_required(*RAISERS)
def assessment_findings_view(request: SignedInRequest, assessment_id: int) -> HttpResponse:
    """GET: the gap plan as the starting list (the items that reach the target, with
    checkboxes), the form to raise one finding, and the assessment's findings; with
    ``?objection=`` or ``?consistency_sample=`` the form raises the finding from that
    record of the assessment (404 for another's). POST (``step``): raise findings for
    the chosen gap-plan items, or one finding."""
    assessment = assessment_or_404(request, assessment_id)
    if request.method == "GET":
        try:
            link = _linked(assessment, request.GET)
        except ValidationError:
            raise Http404(_("No such record for this assessment.")) from None
        return _assessment_page(request, assessment, link=link)
    link = {}
    try:
        link = _linked(assessment, request.POST)
        done = _raise(request, assessment, link)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
        return _assessment_page(
            request,
            assessment,
            typed=request.POST,
            errors=validation_fields(exc),
            status=400,
            link=link,
        )
    except (PermissionDenied, DomainError) as exc:
        refuse(request, exc)
    else:
        messages.success(request, done)
    return redirect("web:assessment_findings", assessment.pk)

"""Facts with provenance in the pages: the officer's statistical-return import (with a
dry run and the table of every problem), the institution's facts with a challenge form,
and the county's queue of challenges to accept or reject."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accreditation.core.errors import DomainError
from accreditation.excel import statistical_return
from accreditation.excel.reading import ImportRefused
from accreditation.models import FACT_DEFINITIONS, User
from accreditation.selectors.facts import (
    challenge_get_for_user,
    challenges_queue,
    fact_get_for_user,
    fact_imports_recent,
    facts_for_institution,
)
from accreditation.services.facts import (
    fact_challenge_accept,
    fact_challenge_raise,
    fact_challenge_reject,
    facts_import,
)
from accreditation.web import responses
from accreditation.web.access import SignedInRequest, role_required

Role = User.Role
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FACT_HEADERS = {d.key: d.header for d in FACT_DEFINITIONS}


def _refuse(request: SignedInRequest, exc: Exception) -> None:
    messages.error(request, responses.refusal_text(exc))


@require_http_methods(["GET", "POST"])
@role_required(Role.OFFICER, Role.ADMINISTRATOR)
def facts_import_view(request: SignedInRequest) -> HttpResponse:
    """GET: the form, the layout and recent imports. POST: check (dry run) or import
    the uploaded return; every problem is listed in a table, nothing is written."""
    context: dict = {"errors": [], "result": None, "year": ""}
    if request.method == "POST":
        upload = request.FILES.get("file")
        year_text = request.POST.get("year", "")
        context["year"] = year_text
        if upload is None or not year_text.isdigit():
            messages.error(request, _("Choose the file and enter the year."))
        else:
            name = upload.name or ""
            try:
                context["result"] = facts_import(
                    actor=request.user,
                    data=upload.read(),
                    file_format="csv" if name.lower().endswith(".csv") else "xlsx",
                    year=int(year_text),
                    file_name=name,
                    dry_run=bool(request.POST.get("dry_run")),
                )
            except ImportRefused as exc:
                context["errors"] = exc.errors
                messages.error(request, str(exc.message))
            except (PermissionDenied, ValidationError, DomainError) as exc:
                _refuse(request, exc)
    context["columns"] = statistical_return.BASE_COLUMNS
    context["imports"] = fact_imports_recent(user=request.user)
    status = 400 if context["errors"] else 200
    return render(request, "web/facts/import.html", context, status=status)


@role_required(Role.OFFICER, Role.ADMINISTRATOR)
def facts_template_download(request: SignedInRequest) -> HttpResponse:
    response = HttpResponse(statistical_return.template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="statistical-return.xlsx"'
    return response


@role_required(Role.INSTITUTION_STAFF)
def institution_facts(request: SignedInRequest) -> HttpResponse:
    """The institution's facts by year with their source, and a challenge form on each."""
    if request.user.institution_id is None:
        raise Http404(_("Your account is not linked to an institution."))
    facts = facts_for_institution(user=request.user, institution_id=request.user.institution_id)
    for fact in facts:
        fact.label = FACT_HEADERS.get(fact.key, fact.key)  # type: ignore[attr-defined]
    return render(request, "web/facts/institution.html", {"facts": facts})


@require_POST
@role_required(Role.INSTITUTION_STAFF)
def fact_challenge_view(request: SignedInRequest, fact_id: int) -> HttpResponse:
    fact = fact_get_for_user(user=request.user, fact_id=fact_id)
    if fact is None:
        raise Http404(_("No such fact."))
    try:
        fact_challenge_raise(
            actor=request.user,
            fact=fact,
            proposed_value=request.POST.get("proposed_value", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Challenge sent to the county."))
    except (PermissionDenied, ValidationError, DomainError) as exc:
        _refuse(request, exc)
    return redirect("web:institution_facts")


@role_required(Role.COUNTY_REVIEWER, Role.OFFICER, Role.ADMINISTRATOR)
def challenge_queue(request: SignedInRequest) -> HttpResponse:
    """Open challenges in the region, soonest due first, with accept and reject."""
    challenges = challenges_queue(user=request.user)
    for challenge in challenges:
        challenge.label = FACT_HEADERS.get(challenge.fact.key, challenge.fact.key)  # type: ignore[attr-defined]
    return render(request, "web/facts/challenges.html", {"challenges": challenges})


@require_POST
@role_required(Role.COUNTY_REVIEWER, Role.OFFICER, Role.ADMINISTRATOR)
def challenge_decide(request: SignedInRequest, challenge_id: int) -> HttpResponse:
    challenge = challenge_get_for_user(user=request.user, challenge_id=challenge_id)
    if challenge is None:
        raise Http404(_("No such challenge."))
    comment = request.POST.get("comment", "")
    try:
        if request.POST.get("decision") == "accept":
            fact_challenge_accept(actor=request.user, challenge=challenge, comment=comment)
            messages.success(request, _("Challenge accepted; the value is updated."))
        else:
            fact_challenge_reject(actor=request.user, challenge=challenge, comment=comment)
            messages.success(request, _("Challenge rejected."))
    except (PermissionDenied, ValidationError, DomainError) as exc:
        _refuse(request, exc)
    return redirect("web:fact_challenges")

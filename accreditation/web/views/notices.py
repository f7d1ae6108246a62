"""Commission officers: public notices (公示) with objections, and the recognition
list with certificate records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accreditation.errors import DomainError
from accreditation.models import Assessment, Cycle, PublicNotice, Region, User
from accreditation.permissions import Action, may
from accreditation.selectors.visibility import (
    assessments_visible_to,
    certificates_visible_to,
    notices_visible_to,
    objections_visible_to,
    recognitions_visible_to,
)
from accreditation.services.notices import (
    objection_record,
    objection_resolve,
    public_notice_close,
    public_notice_open,
)
from accreditation.web.access import role_required
from accreditation.web.presenters import level_label

OFFICER = User.Role.OFFICER
Status = Assessment.Status
LIST_LIMIT = 200


def _notices(user: User):
    qs = notices_visible_to(user).select_related("region", "cycle")
    if user.region_id:
        qs = qs.filter(region__path__startswith=user.region.path)
    return qs


def _open_form_context(request: HttpRequest) -> dict[str, Any]:
    """Decided assessments in the officer's region waiting for a notice, the regions
    the officer may publish for, and the cycles."""
    user = request.user
    decided = list(
        assessments_visible_to(user)
        .filter(status=Status.DECIDED)
        .select_related("institution__region", "cycle")
        .order_by("institution__name")
    )
    regions = Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.PROVINCE])
    if user.region_id:
        regions = regions.filter(path__startswith=user.region.path)
    return {
        "decided": decided,
        "regions": [r for r in regions.order_by("path") if may(user, Action.NOTICE_MANAGE, r)],
        "cycles": Cycle.objects.filter(
            pk__in={a.cycle_id for a in decided}, status=Cycle.Status.OPEN
        ),
        "today": timezone.localdate(),
    }


@require_http_methods(["GET", "POST"])
@role_required(OFFICER)
def notices(request: HttpRequest) -> HttpResponse:
    """The notices in the officer's region, and a form to publish a new one from the
    decided assessments."""
    context: dict[str, Any] = {
        "notices": list(_notices(request.user).order_by("-starts_on")[:LIST_LIMIT])
    }
    if request.method == "POST":
        form = request.POST
        typed = {
            "region": form.get("region", ""),
            "cycle": form.get("cycle", ""),
            "document_number": form.get("document_number", ""),
            "title": form.get("title", ""),
            "starts_on": form.get("starts_on", ""),
            "assessments": form.getlist("assessments"),
        }
        errors: list[str] = []
        region = Region.objects.filter(pk=typed["region"] or 0).first()
        cycle = Cycle.objects.filter(pk=typed["cycle"] or 0).first()
        chosen = list(
            assessments_visible_to(request.user).filter(pk__in=typed["assessments"] or [0])
        )
        try:
            starts_on = dt.date.fromisoformat(typed["starts_on"])
        except ValueError:
            starts_on = None
            errors.append(_("Enter the first day of the notice."))
        if region is None or cycle is None:
            errors.append(_("Choose the issuing region and the cycle."))
        if not errors:
            try:
                notice = public_notice_open(
                    actor=request.user,
                    cycle=cycle,
                    region=region,
                    assessments=chosen,
                    starts_on=starts_on,
                    document_number=typed["document_number"],
                    title=typed["title"],
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            except DomainError as exc:
                errors.append(exc.message)
                refused = (exc.details or {}).get("refused") or {}
                errors.extend(f"{pk}: {why}" for pk, why in refused.items())
            else:
                messages.success(request, _("The notice is published."))
                return redirect("web:commission_notice", notice.pk)
        context.update(_open_form_context(request), errors=errors, typed=typed)
        return render(request, "web/commission/notices.html", context, status=400)
    context.update(_open_form_context(request), typed={"assessments": []})
    return render(request, "web/commission/notices.html", context)


def _notice_or_404(request: HttpRequest, notice_id: int) -> PublicNotice:
    notice = _notices(request.user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404(_("No such notice."))
    return notice


def _notice_page(request: HttpRequest, notice: PublicNotice, **extra: Any) -> HttpResponse:
    entries = list(
        notice.entries.select_related("assessment__institution__region").order_by(
            "assessment__institution__name"
        )
    )
    objections = list(
        objections_visible_to(request.user)
        .filter(notice=notice)
        .select_related("entry__assessment__institution")
        .order_by("id")
    )
    status = extra.pop("status", 200)
    return render(
        request,
        "web/commission/notice.html",
        {
            "notice": notice,
            "entries": [{"entry": e, "level": level_label(e.level)} for e in entries],
            "objections": objections,
            "manage": may(request.user, Action.NOTICE_MANAGE, notice.region),
            "today": timezone.localdate(),
            **extra,
        },
        status=status,
    )


@require_GET
@role_required(OFFICER)
def notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    return _notice_page(request, _notice_or_404(request, notice_id))


@require_POST
@role_required(OFFICER)
def notice_action(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Record an objection, resolve one (upheld or dismissed, with a reason) or close
    the notice, which recognises everyone still listed."""
    notice = _notice_or_404(request, notice_id)
    action = request.POST.get("action")
    try:
        if action == "object":
            entry = notice.entries.filter(assessment_id=request.POST.get("assessment") or 0).first()
            if entry is None:
                raise ValidationError(_("Choose an institution on the notice."))
            objection_record(
                actor=request.user,
                notice=notice,
                assessment=entry.assessment,
                content=request.POST.get("content", ""),
                objector=request.POST.get("objector", ""),
            )
            messages.success(request, _("The objection is recorded."))
        elif action in ("uphold", "dismiss"):
            objection = (
                objections_visible_to(request.user)
                .filter(notice=notice, pk=request.POST.get("objection") or 0)
                .first()
            )
            if objection is None:
                raise Http404(_("No such objection."))
            objection_resolve(
                actor=request.user,
                objection=objection,
                upheld=action == "uphold",
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("The objection is resolved."))
        elif action == "close":
            public_notice_close(actor=request.user, notice=notice)
            messages.success(
                request, _("The notice is closed; the listed institutions are recognised.")
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        return _notice_page(request, notice, errors=list(exc.messages), status=400)
    except DomainError as exc:
        return _notice_page(request, notice, errors=[exc.message], status=409)
    return redirect("web:commission_notice", notice.pk)


@require_GET
@role_required(OFFICER)
def recognitions(request: HttpRequest) -> HttpResponse:
    """Recognitions in the officer's region with their current certificate records
    and verification links."""
    rows = list(
        recognitions_visible_to(request.user)
        .select_related("institution__region", "cycle")
        .order_by("-recognised_on", "institution__name")[:LIST_LIMIT]
    )
    certificates: dict[int, list] = {}
    for record in (
        certificates_visible_to(request.user)
        .filter(recognition__in=[r.pk for r in rows])
        .order_by("-id")
    ):
        certificates.setdefault(record.recognition_id, []).append(record)
    return render(
        request,
        "web/commission/recognitions.html",
        {
            "rows": [
                {"r": r, "level": level_label(r.level), "certificates": certificates.get(r.pk, [])}
                for r in rows
            ],
            "limit": LIST_LIMIT,
        },
    )

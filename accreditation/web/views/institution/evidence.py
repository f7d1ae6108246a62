"""The checklist's evidence endpoints: upload, new revision, corrected dates, reuse of
an earlier file and removal, each answering with the item's attachments (JSON and the
list's HTML); refusals in the API's error shape and status (``web.responses``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accreditation.core.errors import DomainError
from accreditation.models import Assessment, EvidenceAttachment
from accreditation.selectors.assessments import (
    AttachmentInfo,
    assessment_attachments,
    split_history,
)
from accreditation.selectors.evidence import (
    institution_reusable_files,
    reuse_source_for_institution,
)
from accreditation.selectors.items import attachment_in_assessment
from accreditation.services.evidence import (
    evidence_dates_set,
    evidence_detach,
    evidence_reuse,
    evidence_revise,
    evidence_upload,
)
from accreditation.web.access import SignedInRequest, assessment_or_404, json_role_required
from accreditation.web.forms import (
    EvidenceDatesForm,
    EvidenceReuseForm,
    EvidenceReviseForm,
    EvidenceUploadForm,
)
from accreditation.web.responses import json_error, json_refusal
from accreditation.web.views.institution import STAFF

# --- JSON helpers -------------------------------------------------------------------


def _attachment_json(assessment: Assessment, info: AttachmentInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "name": info.name,
        "size": info.size,
        "type": info.file_type,
        "effective_on": info.effective_on.isoformat() if info.effective_on else None,
        "expires_on": info.expires_on.isoformat() if info.expires_on else None,
        "revision": info.revision,
        "expired": info.expired,
        "expires_soon": info.expires_soon,
        "url": reverse("web:evidence_download", args=[assessment.pk, info.id]),
        "detach_url": reverse("web:evidence_detach", args=[assessment.pk, info.id]),
        "revise_url": reverse("web:evidence_revise", args=[assessment.pk, info.id]),
    }


def reusable_choices(assessment: Assessment) -> list[dict[str, Any]]:
    """The institution's earlier files for the reuse lists: id and a label."""
    choices = []
    for f in institution_reusable_files(institution_id=assessment.institution_id):
        details = [str(f.cycle_year), f.item_code]
        if f.expires_on:
            details.append(_("expires %(date)s") % {"date": f.expires_on.isoformat()})
        if f.expired:
            details.append(_("Expired"))
        choices.append({"id": f.attachment_id, "label": f"{f.name} ({', '.join(details)})"})
    return choices


@require_POST
@json_role_required(STAFF)
def evidence_upload_view(request: SignedInRequest, assessment_id: int) -> JsonResponse:
    """Attach an uploaded file to one item; answers with the item's attachments."""
    assessment = assessment_or_404(request, assessment_id)
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if "file" not in form.errors:
            return _form_refusal(form)
        return json_error(
            "invalid", _("Choose a file."), 400, fields={"file": [_("Choose a file.")]}
        )
    upload = form.cleaned_data["file"]
    code = form.cleaned_data["item"]
    try:
        evidence_upload(
            actor=request.user,
            assessment=assessment,
            item_codes=[code],
            file=upload,
            filename=upload.name,
            effective_on=form.cleaned_data["effective_on"],
            expires_on=form.cleaned_data["expires_on"],
        )
    except (ValidationError, PermissionDenied, DomainError) as exc:
        return json_refusal(exc)
    return _item_attachments(request, assessment, code)


def _attachment_step(
    request: SignedInRequest,
    assessment_id: int,
    attachment_id: int,
    step: Callable[[EvidenceAttachment, Mapping[str, Any]], None],
    form_class: type[forms.Form] | None = None,
) -> JsonResponse:
    """A step on one attachment: the assessment and the attachment in it (404
    otherwise), the form's refusal by field, the service's refusal, else the item's
    attachments."""
    assessment = assessment_or_404(request, assessment_id)
    attachment = attachment_in_assessment(assessment=assessment, attachment_id=attachment_id)
    if attachment is None:
        return json_error("not_found", _("No such file."), 404)
    data: Mapping[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            return _form_refusal(form)
        data = form.cleaned_data
    try:
        step(attachment, data)
    except (ValidationError, PermissionDenied, DomainError) as exc:
        return json_refusal(exc)
    return _item_attachments(request, assessment, attachment.item_code)


@require_POST
@json_role_required(STAFF)
def evidence_revise_view(
    request: SignedInRequest, assessment_id: int, attachment_id: int
) -> JsonResponse:
    """Upload a new revision of an attachment; answers with the item's attachments."""

    def revise(attachment: EvidenceAttachment, data: Mapping[str, Any]) -> None:
        evidence_revise(
            actor=request.user,
            attachment=attachment,
            file=data["file"],
            filename=data["file"].name,
            effective_on=data["effective_on"],
            expires_on=data["expires_on"],
        )

    return _attachment_step(request, assessment_id, attachment_id, revise, EvidenceReviseForm)


@require_POST
@json_role_required(STAFF)
def evidence_dates_view(
    request: SignedInRequest, assessment_id: int, attachment_id: int
) -> JsonResponse:
    """Correct an attachment's effective date and expiry (a blank expiry: none), with
    no new upload; answers with the item's attachments."""

    def set_dates(attachment: EvidenceAttachment, data: Mapping[str, Any]) -> None:
        evidence_dates_set(
            actor=request.user,
            attachment=attachment,
            effective_on=data["effective_on"],
            expires_on=data["expires_on"],
        )

    return _attachment_step(request, assessment_id, attachment_id, set_dates, EvidenceDatesForm)


@require_POST
@json_role_required(STAFF)
def evidence_reuse_view(request: SignedInRequest, assessment_id: int) -> JsonResponse:
    """Attach an earlier file of the institution to one item without uploading it
    again; answers with the item's attachments."""
    assessment = assessment_or_404(request, assessment_id)
    form = EvidenceReuseForm(request.POST)
    if not form.is_valid():
        return _form_refusal(form)
    code = form.cleaned_data["item"]
    source = reuse_source_for_institution(
        institution_id=assessment.institution_id, attachment_id=form.cleaned_data["source"]
    )
    if source is None:
        return json_error(
            "invalid", _("No such file."), 400, fields={"source": [_("No such file.")]}
        )
    try:
        evidence_reuse(actor=request.user, assessment=assessment, item_codes=[code], source=source)
    except (ValidationError, PermissionDenied, DomainError) as exc:
        return json_refusal(exc)
    return _item_attachments(request, assessment, code)


def _form_refusal(form: Any) -> JsonResponse:
    fields = {name: [str(m) for m in messages_] for name, messages_ in form.errors.items()}
    first = next(iter(fields.values()))[0]
    return json_error("invalid", first, 400, fields=fields)


def _item_attachments(request: SignedInRequest, assessment: Assessment, code: str) -> JsonResponse:
    infos = assessment_attachments(assessment=assessment, include_superseded=True).get(code, [])
    current, history = split_history(infos)
    html = render_to_string(
        "web/institution/_attachments.html",
        {
            "assessment": assessment,
            "attachments": current,
            "history": history,
            "editable": assessment.is_editable,
        },
        request=request,
    )
    return JsonResponse(
        {
            "item": code,
            "attachments": [_attachment_json(assessment, i) for i in current],
            "html": html,
        }
    )


@require_POST
@json_role_required(STAFF)
def evidence_detach_view(
    request: SignedInRequest, assessment_id: int, attachment_id: int
) -> JsonResponse:
    """Remove an attachment (with the revisions it replaced); answers with the item's
    attachments."""

    def detach(attachment: EvidenceAttachment, _data: Mapping[str, Any]) -> None:
        evidence_detach(actor=request.user, attachment=attachment)

    return _attachment_step(request, assessment_id, attachment_id, detach)

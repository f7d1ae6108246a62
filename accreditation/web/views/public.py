"""Public pages, no sign-in: certificate verification reached by code or QR."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from accreditation.pdf.verification import normalise_code
from accreditation.selectors.certificates import certificate_lookup
from accreditation.web.forms import VerifyForm
from accreditation.web.presenters import level_label


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """A form to type a verification code; the QR code links straight to the result."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("web:verify_code", code=form.cleaned_data["code"])
    return render(request, "web/public/verify_form.html", {"form": form})


@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate a code belongs to, with its state: valid, expired, revoked or
    superseded. An unknown code answers 404 with the same page."""
    normalised = normalise_code(code)
    certificate = certificate_lookup(code=normalised) if normalised.isalnum() else None
    context = {
        "code": code,
        "certificate": certificate,
        "level_label": level_label(certificate.level) if certificate else "",
        "form": VerifyForm(initial={"code": code}),
    }
    return render(
        request, "web/public/verify_result.html", context, status=200 if certificate else 404
    )

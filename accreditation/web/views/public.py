"""Public pages, no sign-in: certificate verification reached by the QR code (the
certificate's number in the URL) or by typing the number and the printed code."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accreditation.conf import setting
from accreditation.core.throttle import allow
from accreditation.selectors.certificates import certificate_lookup
from accreditation.web.forms import VerifyForm
from accreditation.web.presenters import level_label


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """A form for the certificate number and, optionally, the verification code."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        url = reverse("web:verify_code", args=[form.cleaned_data["number"]])
        if form.cleaned_data["code"]:
            url += "?" + urlencode({"code": form.cleaned_data["code"]})
        return redirect(url)
    return render(request, "web/public/verify_form.html", {"form": form})


@require_GET
def verify_code(request: HttpRequest, number: str) -> HttpResponse:
    """The certificate with this number and its state: valid, expired, revoked or
    superseded; with ``?code=``, whether the printed verification code belongs to it
    (at most ``VERIFY_CODE_CHECKS_PER_HOUR`` checks per address, then 429 without the
    check). An unknown number answers 404 with the same page."""
    code = request.GET.get("code", "")[:40]
    throttled = bool(code) and not allow(
        request, scope="verify-code", limit=int(setting("VERIFY_CODE_CHECKS_PER_HOUR"))
    )
    certificate = certificate_lookup(number=number, code="" if throttled else code)
    context = {
        "throttled": throttled,
        "number": number,
        "certificate": certificate,
        "level_label": level_label(certificate.level) if certificate else "",
        "form": VerifyForm(initial={"number": number.upper(), "code": code}),
    }
    status = 429 if throttled else 200 if certificate else 404
    return render(request, "web/public/verify_result.html", context, status=status)

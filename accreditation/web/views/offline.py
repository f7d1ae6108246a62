"""The experts' scoring pages as an installable web app that works offline: the web
manifest, the service worker (served from the site root so its scope is the whole
site) and the offline bundle, the pages an expert's phone keeps for their assigned
assessments."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accreditation.models import User
from accreditation.selectors.assignments import expert_assignments_for_user
from accreditation.web.access import SignedInRequest, json_role_required

# Bump when the service worker's caching rules change: old caches are dropped.
CACHE_NAME = "accreditation-offline-v1"

# What every offline page needs besides itself.
STATIC_FILES = (
    "accreditation/app.css",
    "accreditation/app.js",
    "accreditation/checklist.js",
    "accreditation/offline.js",
    "accreditation/favicon.svg",
)


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable, opening on the expert's tasks."""
    data = {
        "name": _("Quality Service at Grassroots: on-site review"),
        "short_name": _("On-site review"),
        "start_url": reverse("web:expert_tasks"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5f8b",
        "lang": "zh-Hans",
        "icons": [
            {
                "src": static("accreditation/favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            }
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, from the site root (its default scope is ``/``; the
    header says so explicitly). Never cached by the browser's HTTP cache, so a new
    version takes over on the next visit."""
    body = render_to_string(
        "web/offline/sw.js",
        # JSON of the project's own constants and static URLs: no user input.
        {
            "cache_json": json.dumps(CACHE_NAME),
            "static_json": json.dumps([static(path) for path in STATIC_FILES]),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@json_role_required(User.Role.EXPERT)
def bundle(request: SignedInRequest) -> JsonResponse:
    """The pages to keep offline for the signed-in expert: the tasks page, the static
    files, and for every assessment they are assigned to, its scoring page (criteria,
    self-grades, evidence list and the expert's own grades) and its summary. Only
    experts get it, and only their own assignments are listed."""
    pages = [reverse("web:expert_tasks")]
    for assignment in expert_assignments_for_user(user=request.user):
        pages.append(reverse("web:expert_scoring", args=[assignment.assessment_id]))
        pages.append(reverse("web:expert_scoring_summary", args=[assignment.assessment_id]))
    return JsonResponse(
        {
            "cache": CACHE_NAME,
            "pages": pages,
            "static": [static(path) for path in STATIC_FILES],
        }
    )

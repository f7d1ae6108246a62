"""The pages' answers to a service's refusal, through the one mapping of
``accreditation.core.errors``: the JSON endpoints answer the API's error shape and
status (``{"error": {code, message, fields, details}}``; 400 invalid, 403 not allowed,
404 not found, 409 a state that refuses the change, 422 incomplete), and the pages
show the same message as a page message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, JsonResponse

from accreditation.core.errors import error_body, refusal


def json_error(
    code: str,
    message: Any,
    status: int,
    *,
    fields: dict[str, list[str]] | None = None,
    details: dict[str, Any] | None = None,
) -> JsonResponse:
    """An error of the page itself (no file chosen, not signed in) in the one shape."""
    return JsonResponse(error_body(code, message, fields=fields, details=details), status=status)


def json_refusal(exc: Exception) -> JsonResponse:
    """A service's refusal as a JSON response; re-raises anything else."""
    refused = refusal(exc)
    if refused is None:
        raise exc
    return JsonResponse(refused.body(), status=refused.status)


def refusal_text(exc: Exception) -> str:
    """A service's refusal as one sentence for the page; re-raises anything else."""
    refused = refusal(exc)
    if refused is None:
        raise exc
    return refused.text()


def refuse(request: HttpRequest, exc: Exception) -> None:
    """Show a service's refusal as the page's error message."""
    messages.error(request, refusal_text(exc))

"""JSON answers of the pages' endpoints in the services' error vocabulary: an object
with ``code`` and ``message``; 400 for invalid input, 403 when not allowed, 409 for a
stale version or a state that refuses the change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _

from accreditation.core.errors import DomainError


def json_error(code: str, message: str, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse({"code": code, "message": str(message), **extra}, status=status)


def json_refusal(exc: Exception) -> JsonResponse:
    """A service's refusal as a JSON response; re-raises anything else."""
    if isinstance(exc, ValidationError):
        errors = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"__all__": [str(m) for m in exc.messages]}
        )
        message = " ".join(m for msgs in errors.values() for m in msgs)
        return json_error("invalid", message, 400, errors=errors)
    if isinstance(exc, PermissionDenied):
        return json_error("permission_denied", _("You are not allowed to do this."), 403)
    if isinstance(exc, DomainError):
        status = 400 if exc.code == "evidence_rejected" else 409
        return JsonResponse(exc.as_dict(), status=status)
    raise exc

"""The one error shape of the API, for every failure:

    {"error": {"code": "...", "message": "...", "fields": {"field": ["..."]}, "details": {}}}

``code`` is stable (clients switch on it); ``message`` is for people and translated;
``fields`` holds per-field messages of a validation failure (nested fields joined with
dots, ``non_field_errors`` for the rest); ``details`` carries what a client needs to
recover (``current`` for a stale version, ``problems`` for an incomplete submission,
``reason`` for a refused upload, ``errors`` for a malformed catalogue file, ``wait``
for throttling).

Status codes: 400 invalid input, 401 not authenticated, 403 not allowed, 404 not found
or out of scope, 405/406/415 protocol, 409 state conflicts (stale version, invalid
transition, not editable, other domain refusals), 413 request too large, 422
incomplete submission, 429 throttled or locked out.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from accreditation.core.errors import (
    ConflictError,
    DomainError,
    EvidenceRejected,
    IncompleteError,
)
from standards.importers import CatalogueFileError

logger = logging.getLogger(__name__)

NON_FIELD = "non_field_errors"

#: HTTP status per domain error class; the first match in order wins.
DOMAIN_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (IncompleteError, status.HTTP_422_UNPROCESSABLE_ENTITY),
    (EvidenceRejected, status.HTTP_400_BAD_REQUEST),
    (ConflictError, status.HTTP_409_CONFLICT),
    (DomainError, status.HTTP_409_CONFLICT),
)

#: Stable codes of the DRF exceptions (their default codes, renamed where unclear).
API_CODES: dict[type[exceptions.APIException], str] = {
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


class LockedOut(exceptions.APIException):
    """Too many failed sign-ins for this user name from this address (django-axes)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("Too many failed sign-in attempts; try again later.")
    default_code = "locked_out"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "too_large"


def error_body(
    code: str,
    message: Any,
    *,
    fields: dict[str, list[str]] | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": force_str(message),
            "fields": fields or {},
            "details": details or {},
        }
    }


def flatten_fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF or Django error details as ``{"a.b": ["message", ...]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD if key in ("__all__", NON_FIELD) and not prefix else str(key)
            for sub, messages in flatten_fields(value, f"{prefix}{name}.").items():
                out.setdefault(sub, []).extend(messages)
        return out
    name = prefix.rstrip(".") or NON_FIELD
    if isinstance(detail, list | tuple):
        if any(isinstance(part, dict | list | tuple) for part in detail):
            for index, part in enumerate(detail):
                if part in ({}, [], ()):
                    continue
                if isinstance(part, dict | list | tuple):
                    for sub, messages in flatten_fields(part, f"{prefix}{index}.").items():
                        out.setdefault(sub, []).extend(messages)
                else:
                    out.setdefault(name, []).append(force_str(part))
            return out
        return {name: [force_str(part) for part in detail]}
    return {name: [force_str(detail)]}


def _django_validation_fields(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return flatten_fields(exc.message_dict)
    return {NON_FIELD: list(exc.messages)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's ``EXCEPTION_HANDLER``: every known failure as the one error shape. Unknown
    exceptions return None, so Django logs them and answers 500."""
    headers: dict[str, str] = {}
    if isinstance(exc, DomainError):
        code = next(s for cls, s in DOMAIN_STATUS if isinstance(exc, cls))
        body = error_body(exc.code, exc.message, details=exc.details)
    elif isinstance(exc, CatalogueFileError):
        code = status.HTTP_400_BAD_REQUEST
        body = error_body(
            "catalogue_file_invalid",
            _("The catalogue file cannot be imported; see details.errors."),
            details={"errors": exc.errors},
        )
    elif isinstance(exc, DjangoValidationError):
        code = status.HTTP_400_BAD_REQUEST
        body = error_body(
            "invalid",
            _("The request is not valid; see the fields."),
            fields=_django_validation_fields(exc),
        )
    elif isinstance(exc, exceptions.ValidationError):
        code = status.HTTP_400_BAD_REQUEST
        body = error_body(
            "invalid",
            _("The request is not valid; see the fields."),
            fields=flatten_fields(exc.detail),
        )
    elif isinstance(exc, Http404 | ObjectDoesNotExist):
        code = status.HTTP_404_NOT_FOUND
        body = error_body("not_found", _("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        code = status.HTTP_403_FORBIDDEN
        message = str(exc) or _("You are not allowed to do this.")
        body = error_body("permission_denied", message)
    elif isinstance(exc, RequestDataTooBig):
        return exception_handler(RequestTooLarge(), context)
    elif isinstance(exc, SuspiciousOperation):
        code = status.HTTP_400_BAD_REQUEST
        body = error_body("bad_request", _("The request was refused as malformed."))
    elif isinstance(exc, OverflowError):
        # A number too large for the database, past every bounded field: bad input.
        code = status.HTTP_400_BAD_REQUEST
        body = error_body("invalid", _("A number in the request is out of range."))
    elif isinstance(exc, exceptions.APIException):
        code = exc.status_code
        api_code = next(
            (name for cls, name in API_CODES.items() if isinstance(exc, cls)),
            exc.default_code,
        )
        details: dict[str, Any] = {}
        # Throttled.__init__ sets wait; the stubs leave the attribute out.
        wait = exc.wait if isinstance(exc, exceptions.Throttled) else None  # type: ignore[attr-defined]
        if wait is not None:
            details["wait"] = int(wait)
            headers["Retry-After"] = str(int(wait))
        # Set on the exception by APIView.handle_exception for 401s.
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        detail = exc.detail
        message = detail if isinstance(detail, str) else str(exc.default_detail)
        fields = flatten_fields(detail) if isinstance(detail, dict | list) else None
        body = error_body(str(api_code), message, fields=fields, details=details)
    else:
        return None
    set_rollback()
    return Response(body, status=code, headers=headers)

"""The one error vocabulary of the services, and its one mapping to HTTP.

Services raise :class:`django.core.exceptions.ValidationError` for malformed input,
:class:`django.core.exceptions.PermissionDenied` when the actor may not act, and a
:class:`DomainError` subclass when the request is well-formed and allowed but the state
of the data refuses it. Every domain error has a stable ``code`` (for the API and the
templates), JSON-serialisable ``details`` and its HTTP ``status``; messages are
translatable.

:func:`refusal` maps any of these (and "does not exist") to one :class:`Refusal`: the
status, the code, the message, the messages by field and the details. The API's
exception handler, the pages' JSON answers and the pages' messages all go through it,
so an incomplete submission is 422 everywhere and a stale version 409 everywhere:

    {"error": {"code": "...", "message": "...", "fields": {"field": ["..."]}, "details": {}}}
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, overload

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: ``fields`` key of messages that belong to no one field.
NON_FIELD = "non_field_errors"


class DomainError(Exception):
    """A refused operation. ``code`` is stable; ``message`` is for people; ``status`` is
    the HTTP status it answers (409: the state of the data refuses it)."""

    code: str = "domain_error"
    status: int = 409

    def __init__(self, message: str | Promise, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details if details is not None else {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}


class ConflictError(DomainError):
    """A stale write: ``current`` holds the stored values (with their ``version``) so the
    user can merge and retry."""

    code = "stale_version"

    def __init__(self, message: str | Promise, *, current: dict[str, Any]):
        super().__init__(message, details={"current": current})
        self.current = current


class InvalidTransition(DomainError):
    """The status change is not in the allowed transition map."""

    code = "invalid_transition"


class NotEditable(DomainError):
    """The object is in a state that refuses changes (e.g. an assessment under review)."""

    code = "not_editable"


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason a submission is incomplete. ``item`` is empty for assessment-wide ones."""

    code: str
    message: str
    item: str = ""


class IncompleteError(DomainError):
    """Submission refused; ``problems`` lists every problem found, in catalogue order."""

    code = "incomplete"
    status = 422

    def __init__(self, message: str | Promise, *, problems: list[Problem]):
        super().__init__(message, details={"problems": [asdict(p) for p in problems]})
        self.problems = problems


class EvidenceRejected(DomainError):
    """An upload refused before anything was stored. ``reason`` is one of ``empty``,
    ``too_large``, ``unsupported_type``, ``no_items``."""

    code = "evidence_rejected"
    status = 400

    def __init__(self, message: str | Promise, *, reason: str, **details: Any):
        super().__init__(message, details={"reason": reason, **details})
        self.reason = reason


class WrongStep(DomainError):
    """The assessment's review process is not waiting for this step (another step is
    open, or the process has moved on). ``details`` names the open steps."""

    code = "wrong_step"


class ConflictOfInterest(DomainError):
    """An expert may not review this institution. ``details`` lists, per refused
    expert, the rule codes that apply (``ConflictRule``)."""

    code = "conflict_of_interest"


# --- the one mapping to HTTP ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refused request as every interface answers it."""

    status: int
    code: str
    message: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The one error shape: ``{"error": {code, message, fields, details}}``."""
        return error_body(self.code, self.message, fields=self.fields, details=self.details)

    def text(self) -> str:
        """One sentence for a page message: the message, or the field messages of an
        invalid input."""
        if self.code == "invalid" and self.fields:
            return " ".join(m for messages in self.fields.values() for m in messages)
        return self.message


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
    """Django or DRF error details as ``{"a.b": ["message", ...]}`` (nested fields
    joined with dots, list positions as numbers, ``non_field_errors`` for the rest)."""
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


def validation_fields(exc: ValidationError) -> dict[str, list[str]]:
    """A Django ``ValidationError``'s messages by field."""
    if hasattr(exc, "error_dict"):
        return flatten_fields(exc.message_dict)
    return {NON_FIELD: [force_str(m) for m in exc.messages]}


@overload
def refusal(
    exc: DomainError | ValidationError | PermissionDenied | Http404 | ObjectDoesNotExist,
) -> Refusal: ...
@overload
def refusal(exc: BaseException) -> Refusal | None: ...
def refusal(exc: BaseException) -> Refusal | None:
    """How a service's refusal answers: a domain error with its own status, code and
    details; 400 ``invalid`` with the messages by field; 403 ``permission_denied``; 404
    ``not_found`` (missing or out of scope). None for anything else."""
    if isinstance(exc, DomainError):
        return Refusal(exc.status, exc.code, force_str(exc.message), details=exc.details)
    if isinstance(exc, ValidationError):
        return Refusal(
            400,
            "invalid",
            force_str(_("The request is not valid; see the fields.")),
            fields=validation_fields(exc),
        )
    if isinstance(exc, PermissionDenied):
        message = str(exc) or _("You are not allowed to do this.")
        return Refusal(403, "permission_denied", force_str(message))
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return Refusal(404, "not_found", force_str(_("Not found.")))
    return None

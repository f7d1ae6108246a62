"""The one domain error vocabulary of the accreditation services.

Services raise :class:`django.core.exceptions.ValidationError` for malformed input,
:class:`django.core.exceptions.PermissionDenied` when the actor may not act, and a
:class:`DomainError` subclass when the request is well-formed and allowed but the state
of the data refuses it. Every domain error has a stable ``code`` (for the API and the
templates) and JSON-serialisable ``details``; messages are translatable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class DomainError(Exception):
    """A refused operation. ``code`` is stable; ``message`` is for people."""

    code: str = "domain_error"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None):
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

    def __init__(self, message: str, *, current: dict[str, Any]):
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

    def __init__(self, message: str, *, problems: list[Problem]):
        super().__init__(message, details={"problems": [asdict(p) for p in problems]})
        self.problems = problems


class EvidenceRejected(DomainError):
    """An upload refused before anything was stored. ``reason`` is one of ``empty``,
    ``too_large``, ``unsupported_type``, ``no_items``."""

    code = "evidence_rejected"

    def __init__(self, message: str, *, reason: str, **details: Any):
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

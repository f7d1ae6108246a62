"""Helpers of the officer's pages: the role gate and the services' refusals as
messages."""

from __future__ import annotations

from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accreditation.core.errors import ConflictOfInterest, DomainError
from accreditation.models import ConflictRule, User
from accreditation.web import responses
from accreditation.web.access import SignedInRequest, role_required

OFFICER = User.Role.OFFICER
officer_required = role_required(OFFICER)

#: Conflict-of-interest rule code -> what the page says.
CONFLICT_LABELS = {
    **dict(ConflictRule.choices),
    "no_profile": gettext_lazy("The expert has no expert profile"),
}
#: Why an assessment cannot go on a notice (``notice_refused`` details).
NOTICE_REFUSALS = {
    "not_decided": gettext_lazy("not decided"),
    "no_level": gettext_lazy("decided without a level"),
    "outside_region": gettext_lazy("outside the notice's region or cycle"),
    "wrong_issuing_level": gettext_lazy("its level is published by another commission"),
}


def refusal_text(exc: Exception) -> str:
    """A service's refusal as one sentence for the page (``web.responses``), with the
    refused experts, batch rows or notice entries named."""
    if isinstance(exc, ConflictOfInterest):
        parts = [
            f"{c['username']}: " + ", ".join(str(CONFLICT_LABELS.get(r, r)) for r in c["rules"])
            for c in exc.details.get("conflicts", [])
        ]
        return _("Conflict of interest, the panel was not assigned: %(list)s.") % {
            "list": "; ".join(parts)
        }
    text = responses.refusal_text(exc)
    if isinstance(exc, DomainError) and exc.code == "batch_refused":
        refused = exc.details.get("refused", {})
        text += " " + "; ".join(
            _("#%(id)s: %(message)s") % {"id": pk, "message": row["message"]}
            for pk, row in refused.items()
        )
    elif isinstance(exc, DomainError) and exc.code == "notice_refused":
        refused = exc.details.get("refused", {})
        text += " " + "; ".join(
            _("#%(id)s: %(message)s") % {"id": pk, "message": NOTICE_REFUSALS.get(code, code)}
            for pk, code in refused.items()
        )
    return text


def refuse(request: SignedInRequest, exc: Exception) -> None:
    messages.error(request, refusal_text(exc))

"""Helpers every assessment service uses: the row lock, the transition check and the
editability check."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from accreditation.errors import InvalidTransition, NotEditable
from accreditation.models import ALLOWED_TRANSITIONS, Assessment


def check_transition(assessment: Assessment, to_status: str) -> None:
    """Raise ``InvalidTransition`` unless ``ALLOWED_TRANSITIONS`` allows the change."""
    if to_status not in ALLOWED_TRANSITIONS[assessment.status]:
        raise InvalidTransition(
            _("An assessment that is %(current)s cannot become %(target)s.")
            % {"current": assessment.status, "target": to_status},
            details={"from": assessment.status, "to": to_status},
        )


def lock_assessment(assessment: Assessment, *related: str) -> Assessment:
    """The assessment re-read under a row lock (inside a transaction), with ``related``
    objects joined but not locked."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=assessment.pk)
    )


def refuse_unless_editable(assessment: Assessment) -> None:
    if not assessment.is_editable:
        raise NotEditable(
            _(
                "The assessment is %(status)s; it can be changed only when it is a draft or "
                "returned for correction."
            )
            % {"status": assessment.status},
            details={"status": assessment.status},
        )


#: Refused in free text: PostgreSQL cannot store it, and no one types it.
NUL = "\x00"


def unstorable_text(**fields: str) -> dict[str, str]:
    """Errors by field for texts holding a character the database cannot store (NUL),
    as Django's form fields refuse it. Empty when all can be stored."""
    return {
        name: _("The text contains a character that cannot be stored.")
        for name, value in fields.items()
        if NUL in (value or "")
    }


def text_errors(model: type[models.Model], **fields: str) -> dict[str, str]:
    """Errors by field for texts ``model`` cannot store: holding NUL (see
    :func:`unstorable_text`) or longer than the field allows (SQLite would store them;
    PostgreSQL refuses the whole statement). Empty when all can be stored."""
    errors = unstorable_text(**fields)
    for name, value in fields.items():
        field = model._meta.get_field(name)
        limit = field.max_length if isinstance(field, models.Field) else None
        if limit is not None and len(value or "") > limit:
            errors[name] = _("At most %(limit)d characters (this has %(length)d).") % {
                "limit": limit,
                "length": len(value),
            }
    return errors

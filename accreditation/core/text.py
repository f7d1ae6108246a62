"""Limits on free text: what the database cannot store (NUL) and what a field cannot
hold (its ``max_length``). SQLite would store both; PostgreSQL refuses the whole
statement, so services check first and refuse by field."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

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

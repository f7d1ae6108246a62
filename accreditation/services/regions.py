"""Writes of administrative regions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.core.audit import audit_record
from accreditation.core.text import text_errors
from accreditation.models import Region, User
from accreditation.models.regions import PARENT_LEVEL
from accreditation.permissions import Action, require


def region_create(
    *, actor: User | None, code: str, name: str, level: str, parent: Region | None = None
) -> Region:
    """Create a region under ``parent`` (a province has none). ``actor`` None means a
    command-line operator. Raises ``ValidationError`` when the code is taken, not a
    string of digits, or the parent's level does not sit directly above ``level``;
    ``PermissionDenied`` unless the actor is an administrator."""
    if actor is not None:
        require(actor, Action.REGION_MANAGE)
    errors: dict[str, str] = {}
    if level not in Region.Level.values:
        errors["level"] = _("Unknown level.")
    elif (parent.level if parent else None) != PARENT_LEVEL[level]:
        errors["parent"] = _("A region of this level needs a parent one level up.")
    if not code.isdigit() or len(code) not in (6, 9, 12):
        errors["code"] = _("A division code has 6, 9 or 12 digits.")
    elif Region.objects.filter(code=code).exists():
        errors["code"] = _("A region with this code exists.")
    if not name.strip():
        errors["name"] = _("A name is required.")
    errors.update(text_errors(Region, name=name.strip()))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        region = Region.objects.create(code=code, name=name.strip(), level=level, parent=parent)
        audit_record(
            actor=actor,
            action="region.create",
            target=region,
            after={"code": code, "name": region.name, "level": level, "path": region.path},
        )
    return region

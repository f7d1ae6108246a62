"""Template context for every page: the signed-in user's scope for the header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accreditation.models import User

Role = User.Role


def scope_label(user: User) -> str:
    """The institution or region the user acts for ("" for experts and administrators)."""
    if user.role == Role.INSTITUTION_STAFF and user.institution is not None:
        return user.institution.name
    if user.role in (Role.COUNTY_REVIEWER, Role.OFFICER):
        if user.region is not None:
            return user.region.name
        if user.role == Role.OFFICER:
            return _("National")
    return ""


def header(request: HttpRequest) -> dict[str, Any]:
    """``header_scope``, computed only when the header shows it; a view that has the
    institution at hand passes ``header_scope`` itself and saves the query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"header_scope": SimpleLazyObject(lambda: scope_label(user))}

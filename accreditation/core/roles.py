"""The roles a user acts in, shared by the accreditation domain (whose ``User`` model
stores one) and the catalogue (whose rules name them): the vocabulary lives below both.

Deny by default: anonymous and inactive users, and users without a role, act in no
role at all (:func:`acting_role` answers None).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INSTITUTION_STAFF = "institution_staff", _("Institution staff")
    COUNTY_REVIEWER = "county_reviewer", _("County reviewer")
    EXPERT = "expert", _("Expert reviewer")
    OFFICER = "officer", _("Commission officer")
    ADMINISTRATOR = "administrator", _("Administrator")


def acting_role(user: Any) -> str | None:
    """The role ``user`` acts in: None for anonymous and inactive users and for users
    without a role."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "role", "") or None

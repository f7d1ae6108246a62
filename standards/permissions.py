"""Who may see and change the catalogue, stated here once, in the roles of the bottom
layer (``accreditation.core.roles``) so that the catalogue needs nothing of the
accreditation domain.

Published and retired editions and rule sets are public to every user acting in a
role; drafts are work in progress of the administrators, who alone manage the
catalogue (import, publish, retire, clone). ``accreditation.permissions`` answers its
``CATALOGUE_VIEW`` and ``CATALOGUE_MANAGE`` actions with these functions, and
``standards.selectors.editions_visible_to`` / ``rule_sets_visible_to`` apply the same
rule as querysets.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accreditation.core.roles import Role, acting_role
from standards.models import PublicationStatus


def sees_drafts(user: Any) -> bool:
    """Whether ``user`` sees draft editions and rule sets (administrators)."""
    return acting_role(user) == Role.ADMINISTRATOR


def may_view(user: Any, obj: Any = None) -> bool:
    """Whether ``user`` may see ``obj`` (an edition, a rule set, or None for the
    catalogue as a whole)."""
    if acting_role(user) is None:
        return False
    return getattr(obj, "status", None) != PublicationStatus.DRAFT or sees_drafts(user)


def may_manage(user: Any, obj: Any = None) -> bool:
    """Whether ``user`` may import, publish, retire and clone (administrators)."""
    return acting_role(user) == Role.ADMINISTRATOR


def require_manage(user: Any) -> None:
    """Raise ``PermissionDenied`` unless :func:`may_manage` allows it."""
    if not may_manage(user):
        raise PermissionDenied(_("You are not allowed to do this."))

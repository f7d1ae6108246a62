"""API tokens (``rest_framework.authtoken``): one per user, issued at first sign-in
through the API and revoked on request. Both are audited."""

from __future__ import annotations

from django.db import transaction
from rest_framework.authtoken.models import Token

from accreditation.core.audit import audit_record
from accreditation.models import User


def api_token_issue(*, user: User) -> Token:
    """The user's token, created (and audited) when they have none. The caller has
    authenticated ``user``."""
    with transaction.atomic():
        token, created = Token.objects.get_or_create(user=user)
        if created:
            audit_record(actor=user, action="api_token.issue", target=user)
    return token


def api_token_revoke(*, user: User) -> bool:
    """Delete the user's token; True when there was one."""
    with transaction.atomic():
        deleted, _rows = Token.objects.filter(user=user).delete()
        if deleted:
            audit_record(actor=user, action="api_token.revoke", target=user)
    return bool(deleted)

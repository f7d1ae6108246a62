"""E-mail side effects, sent through Django's e-mail backend once the transaction that
caused them commits (never for a change that rolled back)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from accreditation.models import User


def email_on_commit(*, recipients: Iterable[User], subject: str, body: str) -> list[str]:
    """Schedule one e-mail per recipient with an address (addresses are not shown to
    each other); returns the addresses."""
    addresses = sorted({u.email for u in recipients if u.email and u.is_active})
    if addresses:
        messages = tuple((subject, body, settings.DEFAULT_FROM_EMAIL, [a]) for a in addresses)
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return addresses

"""Sessions that bring their user along: one query per signed-in request instead of two.

Django's database sessions read the session row, then ``AuthenticationMiddleware`` reads
the user by the id stored in it. Here the session row carries the user's id in a column
(:class:`~accreditation.models.sessions.UserSession`, kept equal to the id in the data
on every save), so the store reads the session joined to its user, and the user's region
(what the region scope reads), in one ``SELECT``; :class:`AuthenticationMiddleware` then
takes that user instead of reading it again. Everything Django checks still holds: the
backend that signed the user in must still be configured, the user must still be able
to authenticate (active), and the session's auth hash must match the user's password
(with the fallback keys rotated as Django does), otherwise the session is flushed and the
request is anonymous. Sessions signed in through a backend other than Django's
``ModelBackend`` fall back to Django's own lookup.

``SESSION_ENGINE = "accreditation.sessions"`` selects the store; ``clearsessions``
works as with Django's store.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any, cast

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.middleware import auser
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from accreditation.models.sessions import UserSession

#: The store has not read its row (or read none): the middleware asks Django.
_NOT_LOADED = object()


class SessionStore(DBStore):
    """Database sessions in ``accreditation_session``, read with their user."""

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self.loaded_user: Any = _NOT_LOADED

    @classmethod
    def get_model_class(cls) -> type[UserSession]:
        return UserSession

    def _get_session_from_db(self):
        """Django's lookup (unexpired row by key; a suspicious key is logged and
        forgotten), with the user and their region joined: LEFT JOINs, since anonymous
        sessions have no user and national officers no region."""
        try:
            row = UserSession.objects.select_related("user__region").get(
                session_key=self.session_key, expire_date__gt=timezone.now()
            )
        except (UserSession.DoesNotExist, SuspiciousOperation) as exc:
            if isinstance(exc, SuspiciousOperation):
                logging.getLogger(f"django.security.{type(exc).__name__}").warning(str(exc))
            self._session_key = None
            return None
        self.loaded_user = row.user
        return row

    def create_model_instance(self, data: dict[str, Any]) -> UserSession:
        row = cast(UserSession, super().create_model_instance(data))  # self.model's
        row.user_id = _user_id(data.get(SESSION_KEY))
        return row


def _user_id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def session_user(request) -> Any:
    """The user of ``request``'s session, as ``django.contrib.auth.get_user`` decides it,
    taking the user the session store read with the session row when it has one."""
    session = request.session
    try:
        user_id = session[SESSION_KEY]
        backend_path = session[BACKEND_SESSION_KEY]
    except KeyError:
        return AnonymousUser()
    user: Any = getattr(session, "loaded_user", _NOT_LOADED)
    if (
        user is _NOT_LOADED
        or user is None
        or _user_id(user_id) != user.pk
        or backend_path not in settings.AUTHENTICATION_BACKENDS
    ):
        return auth.get_user(request)
    backend = auth.load_backend(backend_path)
    if not isinstance(backend, ModelBackend) or type(backend).get_user is not ModelBackend.get_user:
        return auth.get_user(request)  # a backend with its own way to find the user
    if not backend.user_can_authenticate(user):
        return AnonymousUser()
    return _verified(request, user)


def _verified(request, user: Any) -> Any:
    """``user`` if the session's auth hash matches (Django's check, fallback keys
    included), else the session is flushed and the request is anonymous."""
    session = request.session
    session_hash = session.get(HASH_SESSION_KEY)
    current = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, current):
        return user
    if session_hash and any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    ):
        session.cycle_key()
        session[HASH_SESSION_KEY] = current
        return user
    session.flush()
    return AnonymousUser()


def _cached_user(request) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's ``AuthenticationMiddleware``, taking the user read with the session."""

    def process_request(self, request) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(partial(_cached_user, request))
        request.auser = partial(auser, request)

"""Who may open which page: role gates for views and the JSON endpoints.

A page answers an anonymous visitor with the login redirect, a signed-in user of
another role with 403, and an object outside the user's scope with 404 (the same as
an object that does not exist, so ids leak nothing). The JSON endpoints answer an
anonymous caller with 401 instead of a redirect, so the page's script can say
"sign in again" rather than parse a login form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accreditation.models import Assessment, User
from accreditation.selectors.visibility import assessment_get_for_user
from accreditation.web.responses import json_error, json_refusal

Role = User.Role
View = Callable[..., HttpResponse]


class SignedInRequest(HttpRequest):
    """The request a view behind :func:`role_required`, :func:`json_role_required` or
    ``login_required`` receives: its ``user`` is a signed-in :class:`User`, never
    ``AnonymousUser`` (the gates turn everyone else away). For the type checker only;
    views annotate their request with it."""

    user: User


def _has_role(user: Any, roles: tuple[str, ...]) -> bool:
    return bool(user.is_active and user.role and user.role in roles)


def role_required(*roles: str) -> Callable[[View], View]:
    """Page views: login redirect for anonymous users, 403 for other roles."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _has_role(request.user, roles):
                raise PermissionDenied(_("This page is not available to your role."))
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator


def json_role_required(*roles: str) -> Callable[[View], View]:
    """JSON endpoints: 401 for anonymous callers, 403 for other roles, 404 for objects
    out of scope, in the one error shape (``web.responses``)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return json_error("login_required", _("Your session has ended; sign in."), 401)
            if not _has_role(request.user, roles):
                return json_refusal(PermissionDenied(_("You are not allowed to do this.")))
            try:
                return view(request, *args, **kwargs)
            except Http404 as exc:
                return json_refusal(exc)

        return wrapper

    return decorator


def assessment_or_404(request: SignedInRequest, assessment_id: int) -> Assessment:
    """The assessment (with cycle, institution, region and edition) if the user may
    see it; 404 otherwise."""
    try:
        return assessment_get_for_user(user=request.user, assessment_id=assessment_id)
    except Assessment.DoesNotExist:
        raise Http404(_("No such assessment.")) from None

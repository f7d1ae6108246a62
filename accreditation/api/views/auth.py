from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accreditation.api.exceptions import LockedOut
from accreditation.api.serializers.people import (
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
)
from accreditation.core.api import validated
from accreditation.services.tokens import api_token_issue, api_token_revoke


@extend_schema(tags=["auth"])
class TokenObtain(APIView):
    """Exchange a user name and password for the user's API token (created on first
    use). Throttled per address; repeated failures lock the user name out (django-axes,
    as for the sign-in page)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request):
        data = validated(TokenRequestSerializer, request.data)
        http_request = request._request  # axes records the attempt against this request
        user = authenticate(http_request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(http_request, "axes_locked_out", False):
                # Answer in the API's error shape; otherwise axes' middleware would
                # replace the response with its own plain-text lockout page.
                http_request.axes_locked_out = False
                raise LockedOut()
            raise ValidationError(
                {"non_field_errors": [_("Unable to sign in with this user name and password.")]},
                code="invalid_credentials",
            )
        token = api_token_issue(user=user)
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        return Response(TokenSerializer({"token": token.key, "user": user.pk}).data)


@extend_schema(tags=["auth"])
class TokenRevoke(APIView):
    """Delete the caller's API token; the next request with it answers 401."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        api_token_revoke(user=request.user)
        return Response(status=204)


@extend_schema(tags=["auth"])
class Me(APIView):
    """The signed-in user, with role and scope."""

    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)


@extend_schema(tags=["auth"])
class Ping(APIView):
    """The signed-in user's name and nothing else: the cheapest authenticated request,
    for health checks and as the baseline of the load benchmarks."""

    @extend_schema(
        responses=inline_serializer("Ping", {"username": serializers.CharField()}),
    )
    def get(self, request):
        return Response({"username": request.user.get_username()})

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response

from accreditation.api import filters
from accreditation.api.serializers.people import (
    AuditEventSerializer,
    UserCreateSerializer,
    UserSerializer,
)
from accreditation.api.views.base import caller
from accreditation.core.api import validated
from accreditation.models import AuditEvent, User
from accreditation.selectors import audit_events_by_user, users_visible_to
from accreditation.services.people import user_create


@extend_schema(tags=["users"])
class UserList(generics.ListAPIView):
    """Users: administrators see everyone, anyone else only themselves."""

    queryset = User.objects.none()
    serializer_class = UserSerializer
    filterset_class = filters.UserFilter
    ordering_fields = ["id", "username", "role", "date_joined", "last_login"]
    ordering = ["username"]

    def get_queryset(self):
        return users_visible_to(self.request.user).select_related("region")

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def post(self, request):
        """Create a user with a role and its scope (administrators)."""
        data = validated(UserCreateSerializer, request.data)
        user = user_create(actor=request.user, **data)
        return Response(UserSerializer(user).data, status=201)


@extend_schema(tags=["users"])
class UserDetail(generics.RetrieveAPIView):
    queryset = User.objects.none()
    serializer_class = UserSerializer

    def get_queryset(self):
        return users_visible_to(self.request.user).select_related("region")


@extend_schema(tags=["users"])
class UserHistory(generics.ListAPIView):
    """Every change the user made, newest first (their own trail; administrators:
    anyone's)."""

    queryset = AuditEvent.objects.none()
    serializer_class = AuditEventSerializer
    filterset_class = filters.AuditEventFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]

    def get_queryset(self):
        subject = users_visible_to(self.request.user).get(pk=self.kwargs["pk"])
        return audit_events_by_user(viewer=caller(self.request), user=subject).select_related(
            "actor"
        )

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from accreditation.models import Assessment, User
from accreditation.selectors import assessment_get_for_user

M = TypeVar("M", bound=Model)


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The validated data, or a ``ValidationError`` (400) with every field's messages."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def referenced(queryset: QuerySet[M], pk: Any, field: str) -> M:
    """An object named in a request body, from the caller's visible ``queryset``. A
    missing and an out-of-scope object give the same 400 field error, so ids leak
    nothing."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):  # the model's DoesNotExist too
        raise ValidationError({field: [_("Not found.")]}) from None


def caller(request: Request) -> User:
    """The signed-in user of a view behind ``IsAuthenticated`` (the default); an
    anonymous caller would answer 401."""
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


class AssessmentScoped(APIView):
    """Views under ``assessments/<assessment_id>/``: the assessment is fetched once
    through the visibility selector, so an assessment out of scope answers 404."""

    _assessment: Assessment

    def get_assessment(self) -> Assessment:
        if not hasattr(self, "_assessment"):
            self._assessment = assessment_get_for_user(
                user=self.request.user, assessment_id=self.kwargs["assessment_id"]
            )
        return self._assessment

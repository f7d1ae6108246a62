from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from accreditation.models import Assessment
from accreditation.selectors import assessment_get_for_user


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The validated data, or a ``ValidationError`` (400) with every field's messages."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def referenced(queryset: QuerySet, pk: Any, field: str) -> Model:
    """An object named in a request body, from the caller's visible ``queryset``. A
    missing and an out-of-scope object give the same 400 field error, so ids leak
    nothing."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise ValidationError({field: [_("Not found.")]}) from None


class AssessmentScoped:
    """Views under ``assessments/<assessment_id>/``: the assessment is fetched once
    through the visibility selector, so an assessment out of scope answers 404."""

    request: Request
    kwargs: dict[str, Any]

    def get_assessment(self) -> Assessment:
        if not hasattr(self, "_assessment"):
            self._assessment = assessment_get_for_user(
                user=self.request.user, assessment_id=self.kwargs["assessment_id"]
            )
        return self._assessment

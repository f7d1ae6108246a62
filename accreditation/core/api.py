"""The API's base helpers, shared by the accreditation API and the catalogue's
(``standards.api``): request validation, bounded ids, the FilterSet base and
pagination. Imports Django, Django REST framework and django-filter, nothing of the
project.

Ids are bounded: every integer the API passes to the database fits a 64-bit column, so
an absurd id answers 400 or 404, never a database error.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as django_filters
from rest_framework import pagination, serializers
from rest_framework.exceptions import ValidationError

M = TypeVar("M", bound=Model)

#: The largest value of a 64-bit signed integer column (SQLite and PostgreSQL bigint).
MAX_ID = 2**63 - 1


def IdField(**kwargs: Any) -> serializers.IntegerField:
    """An id (or a version) in a request body: a whole number from 1 to ``MAX_ID``."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """A whole-number filter (ids, foreign keys, years, sequences) bounded to a 64-bit
    column."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdConverter:
    """``<id:name>`` in URLs: at most 18 digits, so it always fits a 64-bit id; longer
    numbers match no route and answer 404."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class FilterSet(django_filters.FilterSet):
    """Numbers and foreign keys filter by bounded whole numbers (``IdFilter``): an
    absurd value answers 400, and a foreign key's id is matched without telling
    whether the object exists."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        **{
            field: {"filter_class": IdFilter}
            for field in (
                models.AutoField,
                models.BigAutoField,
                models.IntegerField,
                models.BigIntegerField,
                models.SmallIntegerField,
                models.PositiveIntegerField,
                models.PositiveBigIntegerField,
                models.PositiveSmallIntegerField,
                models.ForeignKey,
                models.OneToOneField,
            )
        },
    }


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N&page_size=M`` (at most 200); the page size defaults to
    ``REST_FRAMEWORK["PAGE_SIZE"]``."""

    page_size_query_param = "page_size"
    max_page_size = 200


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

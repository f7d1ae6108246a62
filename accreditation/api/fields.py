"""Bounded numbers for ids and versions: every integer the API passes to the database
fits a 64-bit column, so an absurd id answers 400 or 404, never a database error."""

from __future__ import annotations

from typing import Any

from django import forms
from django_filters import rest_framework as filters
from rest_framework import serializers

#: The largest value of a 64-bit signed integer column (SQLite and PostgreSQL bigint).
MAX_ID = 2**63 - 1


def IdField(**kwargs: Any) -> serializers.IntegerField:
    """An id (or a version) in a request body: a whole number from 1 to ``MAX_ID``."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class IdFilter(filters.NumberFilter):
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

from __future__ import annotations

from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.selectors import editions_visible_to, rule_sets_visible_to
from standards.api import filters
from standards.api.serializers import (
    EditionDetailSerializer,
    EditionSerializer,
    ItemSerializer,
    RuleSetSerializer,
    WhatIfInputSerializer,
    WhatIfResultSerializer,
)
from standards.evaluation import what_if_evaluation
from standards.models import Chapter, Edition, Item, RuleSet


def edition_for(request, code: str) -> Edition:
    """The edition if the caller may see it; ``Edition.DoesNotExist`` (404) otherwise."""
    return editions_visible_to(request.user).get(code=code)


@extend_schema(tags=["catalogue"])
class EditionList(generics.ListAPIView):
    """Editions of the standards; drafts only for administrators."""

    queryset = Edition.objects.none()
    serializer_class = EditionSerializer
    filterset_class = filters.EditionFilter
    ordering_fields = ["code", "kind", "year", "status", "published_at"]
    ordering = ["kind", "-year", "code"]

    def get_queryset(self):
        return editions_visible_to(self.request.user).annotate(item_count=Count("items"))


@extend_schema(tags=["catalogue"])
class EditionDetail(generics.RetrieveAPIView):
    """One edition with its chapters and sections (items: ``items/``)."""

    queryset = Edition.objects.none()
    serializer_class = EditionDetailSerializer
    lookup_field = "code"

    def get_queryset(self):
        return (
            editions_visible_to(self.request.user)
            .annotate(item_count=Count("items"))
            .prefetch_related(
                Prefetch(
                    "chapters",
                    Chapter.objects.order_by("position").prefetch_related("sections"),
                )
            )
        )


class EditionItemsMixin:
    queryset = Item.objects.none()
    serializer_class = ItemSerializer

    def get_queryset(self):
        edition = edition_for(self.request, self.kwargs["code"])
        return (
            Item.objects.filter(edition=edition)
            .select_related("section__chapter")
            .prefetch_related("criteria")
        )


@extend_schema(tags=["catalogue"])
class ItemList(EditionItemsMixin, generics.ListAPIView):
    """The items of an edition with their grade criteria, in catalogue order."""

    filterset_class = filters.ItemFilter
    ordering_fields = ["position", "code", "tier"]
    ordering = ["position"]


@extend_schema(tags=["catalogue"])
class ItemDetail(EditionItemsMixin, generics.RetrieveAPIView):
    lookup_field = "code"
    lookup_url_kwarg = "item_code"


@extend_schema(tags=["catalogue"])
class RuleSetList(generics.ListAPIView):
    """Rule sets: the conditions per level, edition and province (drafts only for
    administrators)."""

    queryset = RuleSet.objects.none()
    serializer_class = RuleSetSerializer
    filterset_class = filters.RuleSetFilter
    ordering_fields = ["id", "level", "version", "province_code", "edition__code"]
    ordering = ["edition__code", "province_code", "level", "-version"]

    def get_queryset(self):
        return rule_sets_visible_to(self.request.user).select_related("edition")


@extend_schema(tags=["catalogue"])
class RuleSetDetail(generics.RetrieveAPIView):
    queryset = RuleSet.objects.none()
    serializer_class = RuleSetSerializer

    def get_queryset(self):
        return rule_sets_visible_to(self.request.user).select_related("edition")


@extend_schema(
    tags=["catalogue"],
    request=WhatIfInputSerializer,
    responses=WhatIfResultSerializer,
    summary="What-if evaluation",
)
class EditionEvaluate(APIView):
    """Evaluate a hypothetical grading of the edition: level, shares, reasons and the
    smallest upgrade plan, as ``manage.py evaluate`` prints it. Stores nothing."""

    def post(self, request, code: str):
        edition = edition_for(request, code)
        data = WhatIfInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = what_if_evaluation(edition=edition, **data.validated_data)
        return Response(WhatIfResultSerializer(result).data)

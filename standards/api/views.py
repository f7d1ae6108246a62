from __future__ import annotations

import tempfile
from pathlib import Path

from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.core.api import validated
from standards.api import filters
from standards.api.serializers import (
    CatalogueImportSerializer,
    EditionCloneSerializer,
    EditionDetailSerializer,
    EditionSerializer,
    ExportQuerySerializer,
    ImportResultSerializer,
    ItemSerializer,
    RuleSetSerializer,
    WhatIfInputSerializer,
    WhatIfResultSerializer,
)
from standards.evaluation import what_if_evaluation
from standards.exporters import edition_export
from standards.models import Chapter, Edition, Item, RuleSet
from standards.permissions import require_manage
from standards.selectors import editions_visible_to, rule_sets_visible_to
from standards.services import (
    edition_clone,
    edition_publish,
    edition_retire,
    ruleset_publish,
    ruleset_retire,
)
from standards.services.files import CATALOGUE_SUFFIXES, catalogue_file_import


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


class EditionItemsMixin(generics.GenericAPIView[Item]):
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
        data = validated(WhatIfInputSerializer, request.data)
        result = what_if_evaluation(edition=edition, **data)
        return Response(WhatIfResultSerializer(result).data)


# --- administration (administrators; the services write and audit) -----------------------

FILE_TYPES = {
    "yaml": ("application/yaml", "yaml"),
    "json": ("application/json", "json"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@extend_schema(tags=["catalogue"])
class CatalogueImport(APIView):
    """Import one edition or rule-set file (administrators). Idempotent: identical
    content changes nothing. A malformed file answers 400 ``catalogue_file_invalid``
    with every problem in ``details.errors``; a refused import (a published edition
    whose content differs...) 400 ``invalid``. Nothing is written on refusal."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": CatalogueImportSerializer},
        responses=ImportResultSerializer,
    )
    def post(self, request):
        data = validated(CatalogueImportSerializer, request.data)
        require_manage(request.user)
        upload = data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in CATALOGUE_SUFFIXES:
            raise ValidationError(
                {"file": [_("Send a .yaml, .yml, .json or .xlsx catalogue file.")]}
            )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"upload{suffix}"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            result = catalogue_file_import(actor=request.user, path=path, source=upload.name)
        return Response(ImportResultSerializer(result).data)


class EditionAction(APIView):
    def get_edition(self) -> Edition:
        edition = edition_for(self.request, self.kwargs["code"])
        require_manage(self.request.user)
        return edition


@extend_schema(tags=["catalogue"])
class EditionPublish(EditionAction):
    @extend_schema(request=None, responses=EditionSerializer)
    def post(self, request, code: str):
        """Publish a draft edition; its content is immutable from then on."""
        edition = edition_publish(actor=request.user, edition=self.get_edition())
        return Response(EditionSerializer(_with_count(edition)).data)


@extend_schema(tags=["catalogue"])
class EditionRetire(EditionAction):
    @extend_schema(request=None, responses=EditionSerializer)
    def post(self, request, code: str):
        """Retire a published edition."""
        edition = edition_retire(actor=request.user, edition=self.get_edition())
        return Response(EditionSerializer(_with_count(edition)).data)


@extend_schema(tags=["catalogue"])
class EditionClone(EditionAction):
    @extend_schema(request=EditionCloneSerializer, responses={201: EditionSerializer})
    def post(self, request, code: str):
        """A draft copy of the edition under a new code (rule sets are not copied)."""
        source = self.get_edition()
        data = validated(EditionCloneSerializer, request.data)
        clone = edition_clone(actor=request.user, edition=source, new_code=data["new_code"])
        return Response(EditionSerializer(_with_count(clone)).data, status=201)


@extend_schema(tags=["catalogue"])
class EditionExport(APIView):
    @extend_schema(
        parameters=[ExportQuerySerializer],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The edition file (YAML, JSON or Excel)."
            )
        },
    )
    def get(self, request, code: str):
        """The edition as a catalogue file, in the format ``import`` reads."""
        edition = edition_for(request, code)
        query = validated(ExportQuerySerializer, request.query_params)
        content_type, suffix = FILE_TYPES[query["file_format"]]
        content = edition_export(edition=edition, file_format=query["file_format"])
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{edition.code}.{suffix}"'
        return response

    def perform_content_negotiation(self, request, force=False):
        # The body is the file whatever the Accept header; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)


class RuleSetAction(APIView):
    def get_rule_set(self) -> RuleSet:
        rule_set = rule_sets_visible_to(self.request.user).get(pk=self.kwargs["pk"])
        require_manage(self.request.user)
        return rule_set


@extend_schema(tags=["catalogue"])
class RuleSetPublish(RuleSetAction):
    @extend_schema(request=None, responses=RuleSetSerializer)
    def post(self, request, pk: int):
        """Publish a draft rule set; immutable from then on."""
        rule_set = ruleset_publish(actor=request.user, rule_set=self.get_rule_set())
        return Response(RuleSetSerializer(rule_set).data)


@extend_schema(tags=["catalogue"])
class RuleSetRetire(RuleSetAction):
    @extend_schema(request=None, responses=RuleSetSerializer)
    def post(self, request, pk: int):
        """Retire a published rule set."""
        rule_set = ruleset_retire(actor=request.user, rule_set=self.get_rule_set())
        return Response(RuleSetSerializer(rule_set).data)


def _with_count(edition: Edition) -> Edition:
    """``edition`` read again with its ``item_count``, as the list annotates it."""
    return Edition.objects.annotate(item_count=Count("items")).get(pk=edition.pk)

"""Institution facts with provenance: the statistical-return import (with a dry run),
the facts, manual entries and challenges."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api import filters
from accreditation.api.schema import errors
from accreditation.api.serializers.facts import (
    ChallengeDecisionSerializer,
    ChallengeInputSerializer,
    ChallengeSerializer,
    FactImportResultSerializer,
    FactImportSerializer,
    FactImportUploadSerializer,
    FactInputSerializer,
    FactSerializer,
)
from accreditation.core.api import referenced, validated
from accreditation.excel import statistical_return
from accreditation.models import FactChallenge, FactImport, InstitutionFact
from accreditation.selectors import institutions_visible_to
from accreditation.selectors.facts import (
    fact_challenges_visible_to,
    fact_imports_visible_to,
    facts_visible_to,
)
from accreditation.services.facts import (
    fact_challenge_accept,
    fact_challenge_raise,
    fact_challenge_reject,
    fact_set,
    facts_import,
)

TAGS = ["facts"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@extend_schema(tags=TAGS)
class FactList(generics.ListAPIView):
    """Fact values of the institutions in your scope, each with its source (import and
    row, manual entry or accepted challenge)."""

    queryset = InstitutionFact.objects.none()
    serializer_class = FactSerializer
    filterset_class = filters.InstitutionFactFilter
    ordering_fields = ["id", "year", "key"]
    ordering = ["institution_id", "-year", "key"]

    def get_queryset(self):
        return facts_visible_to(self.request.user)

    @extend_schema(request=FactInputSerializer, responses={201: FactSerializer, **errors(409)})
    def post(self, request):
        """Enter one value by hand (county reviewers and officers in scope,
        administrators). 409 ``not_editable`` while a challenge of it is open."""
        data = validated(FactInputSerializer, request.data)
        institution = referenced(
            institutions_visible_to(request.user), data.pop("institution"), "institution"
        )
        fact = fact_set(actor=request.user, institution=institution, **data)
        return Response(FactSerializer(facts_visible_to(request.user).get(pk=fact.pk)).data, 201)


@extend_schema(tags=TAGS)
class FactDetail(generics.RetrieveAPIView):
    queryset = InstitutionFact.objects.none()
    serializer_class = FactSerializer

    def get_queryset(self):
        return facts_visible_to(self.request.user)


@extend_schema(tags=TAGS)
class FactImportList(generics.ListAPIView):
    """Imports of the statistical return: yours (officers) or all (administrators)."""

    queryset = FactImport.objects.none()
    serializer_class = FactImportSerializer
    ordering_fields = ["id", "imported_at"]
    ordering = ["-id"]
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return fact_imports_visible_to(self.request.user)

    @extend_schema(
        request={"multipart/form-data": FactImportUploadSerializer},
        responses={200: FactImportResultSerializer, 201: FactImportResultSerializer, **errors(409)},
    )
    def post(self, request):
        """Upload the annual statistical return (.xlsx or .csv; officers and
        administrators, every row in their region). 400 ``import_refused`` with
        ``details.errors`` (sheet, row, column, header, reason for each problem) writes
        nothing. ``dry_run``: 200 with what would be written."""
        data = validated(FactImportUploadSerializer, request.data)
        upload = data["file"]
        name = upload.name or ""
        fmt = "csv" if name.lower().endswith(".csv") else "xlsx"
        result = facts_import(
            actor=request.user,
            data=upload.read(),
            file_format=fmt,
            year=data["year"],
            file_name=name,
            dry_run=data["dry_run"],
        )
        body = FactImportResultSerializer(result).data
        return Response(body, status=200 if result.dry_run else 201)


@extend_schema(tags=TAGS)
class FactImportTemplate(APIView):
    @extend_schema(responses={(200, XLSX): OpenApiResponse(description="The .xlsx template.")})
    def get(self, request):
        """The blank template of the statistical return, with a sheet 说明 describing
        every column (the layout is provisional)."""
        response = HttpResponse(statistical_return.template(), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="statistical-return.xlsx"'
        return response


@extend_schema(tags=TAGS)
class ChallengeList(generics.ListAPIView):
    """Challenges of fact values in your scope, the soonest due first."""

    queryset = FactChallenge.objects.none()
    serializer_class = ChallengeSerializer
    filterset_class = filters.FactChallengeFilter
    ordering_fields = ["id", "due_on", "raised_at"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return fact_challenges_visible_to(self.request.user)

    @extend_schema(
        request=ChallengeInputSerializer, responses={201: ChallengeSerializer, **errors(409)}
    )
    def post(self, request):
        """Challenge a value (the institution's staff): the proposed value and why.
        409 ``not_editable`` when the value is already challenged."""
        data = validated(ChallengeInputSerializer, request.data)
        fact = referenced(facts_visible_to(request.user), data.pop("fact"), "fact")
        challenge = fact_challenge_raise(actor=request.user, fact=fact, **data)
        return Response(ChallengeSerializer(self.get_queryset().get(pk=challenge.pk)).data, 201)


@extend_schema(tags=TAGS)
class ChallengeDetail(generics.RetrieveAPIView):
    queryset = FactChallenge.objects.none()
    serializer_class = ChallengeSerializer

    def get_queryset(self):
        return fact_challenges_visible_to(self.request.user)


class _Decide(APIView):
    accept = True

    @extend_schema(
        tags=TAGS,
        request=ChallengeDecisionSerializer,
        responses={200: ChallengeSerializer, **errors(409)},
    )
    def post(self, request, pk: int):
        challenge = fact_challenges_visible_to(request.user).get(pk=pk)
        data = validated(ChallengeDecisionSerializer, request.data)
        if self.accept:
            fact_challenge_accept(actor=request.user, challenge=challenge, **data)
        else:
            fact_challenge_reject(actor=request.user, challenge=challenge, **data)
        return Response(
            ChallengeSerializer(fact_challenges_visible_to(request.user).get(pk=pk)).data
        )


class ChallengeAccept(_Decide):
    """Accept: the value becomes the proposed one, its source the challenge (county
    reviewers and officers in scope, administrators). 409 ``invalid_transition`` once
    answered."""

    accept = True


class ChallengeReject(_Decide):
    """Reject with a comment (required); the value stays."""

    accept = False

"""Regions (and their dashboards), institutions and their facts, cycles."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api import filters
from accreditation.api.schema import errors
from accreditation.api.serializers.dashboard import DashboardQuerySerializer, DashboardSerializer
from accreditation.api.serializers.places import (
    CycleCreateSerializer,
    CycleSerializer,
    CycleStandardInputSerializer,
    CycleStandardSerializer,
    DeadlineInputSerializer,
    DeadlineSerializer,
    FactsInputSerializer,
    FactsRecordSerializer,
    InstitutionCreateSerializer,
    InstitutionSerializer,
    RegionCreateSerializer,
    RegionSerializer,
)
from accreditation.core.api import referenced, validated
from accreditation.models import Cycle, CycleStandard, Institution, InstitutionFacts, Region
from accreditation.selectors import (
    cycles_visible_to,
    institutions_visible_to,
    region_dashboard,
    regions_visible_to,
)
from accreditation.services.cycles import (
    cycle_close,
    cycle_create,
    cycle_deadline_set,
    cycle_standard_set,
)
from accreditation.services.institutions import institution_create, institution_facts_record
from accreditation.services.regions import region_create

# --- regions ------------------------------------------------------------------------------


@extend_schema(tags=["regions"])
class RegionList(generics.ListAPIView):
    """Administrative divisions (public to every role)."""

    queryset = Region.objects.none()
    serializer_class = RegionSerializer
    filterset_class = filters.RegionFilter
    ordering_fields = ["path", "code", "name", "level"]
    ordering = ["path"]

    def get_queryset(self):
        return regions_visible_to(self.request.user).select_related("parent")

    @extend_schema(request=RegionCreateSerializer, responses={201: RegionSerializer})
    def post(self, request):
        """Create a region (administrators)."""
        data = validated(RegionCreateSerializer, request.data)
        region = region_create(actor=request.user, **data)
        return Response(RegionSerializer(region).data, status=201)


@extend_schema(tags=["regions"])
class RegionDetail(generics.RetrieveAPIView):
    queryset = Region.objects.none()
    serializer_class = RegionSerializer
    lookup_field = "code"

    def get_queryset(self):
        return regions_visible_to(self.request.user).select_related("parent")


@extend_schema(tags=["regions"])
class RegionDashboardView(APIView):
    """Institutions and assessments in the region per child region, by status and by
    target level (administrators, and reviewers and officers covering the region)."""

    @extend_schema(parameters=[DashboardQuerySerializer], responses=DashboardSerializer)
    def get(self, request, code: str):
        region = regions_visible_to(request.user).get(code=code)
        query = validated(DashboardQuerySerializer, request.query_params)
        cycle = None
        if "cycle" in query:
            cycle = referenced(cycles_visible_to(request.user), query["cycle"], "cycle")
        dashboard = region_dashboard(viewer=request.user, region=region, cycle=cycle)
        return Response(DashboardSerializer(dashboard.as_dict()).data)


# --- institutions -------------------------------------------------------------------------


@extend_schema(tags=["institutions"])
class InstitutionList(generics.ListAPIView):
    """Institutions in the caller's scope."""

    queryset = Institution.objects.none()
    serializer_class = InstitutionSerializer
    filterset_class = filters.InstitutionFilter
    ordering_fields = ["id", "name", "licence_number", "kind", "created_at"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return institutions_visible_to(self.request.user).select_related("region")

    @extend_schema(request=InstitutionCreateSerializer, responses={201: InstitutionSerializer})
    def post(self, request):
        """Register an institution (administrators)."""
        data = validated(InstitutionCreateSerializer, request.data)
        institution = institution_create(actor=request.user, **data)
        return Response(InstitutionSerializer(institution).data, status=201)


@extend_schema(tags=["institutions"])
class InstitutionDetail(generics.RetrieveAPIView):
    queryset = Institution.objects.none()
    serializer_class = InstitutionSerializer

    def get_queryset(self):
        return institutions_visible_to(self.request.user).select_related("region")


@extend_schema(tags=["institutions"])
class InstitutionFactsList(generics.ListAPIView):
    """The institution's dated facts (staff, population, beds), newest first."""

    queryset = InstitutionFacts.objects.none()
    serializer_class = FactsRecordSerializer
    filterset_class = filters.FactsFilter
    ordering_fields = ["effective_from", "recorded_at"]
    ordering = ["-effective_from"]

    def get_institution(self) -> Institution:
        return institutions_visible_to(self.request.user).get(pk=self.kwargs["pk"])

    def get_queryset(self):
        return self.get_institution().facts_snapshots.select_related("recorded_by")

    @extend_schema(request=FactsInputSerializer, responses={201: FactsRecordSerializer})
    def post(self, request, pk: int):
        """Record the facts in force from a date (the institution's staff,
        administrators); replaces the record of the same date."""
        institution = self.get_institution()
        data = validated(FactsInputSerializer, request.data)
        facts = institution_facts_record(actor=request.user, institution=institution, **data)
        return Response(FactsRecordSerializer(facts).data, status=201)


# --- cycles -------------------------------------------------------------------------------


def _cycles(request):
    return (
        cycles_visible_to(request.user)
        .select_related("province")
        .prefetch_related(
            Prefetch("standards", CycleStandard.objects.select_related("edition")), "deadlines"
        )
    )


@extend_schema(tags=["cycles"])
class CycleList(generics.ListAPIView):
    """Yearly campaigns per province with their standards and deadlines."""

    queryset = Cycle.objects.none()
    serializer_class = CycleSerializer
    filterset_class = filters.CycleFilter
    ordering_fields = ["id", "year", "name", "created_at"]
    ordering = ["-year", "province__code"]

    def get_queryset(self):
        return _cycles(self.request)

    @extend_schema(request=CycleCreateSerializer, responses={201: CycleSerializer})
    def post(self, request):
        """Open a cycle for a province (administrators, officers of the province or
        national)."""
        data = validated(CycleCreateSerializer, request.data)
        cycle = cycle_create(actor=request.user, **data)
        return Response(CycleSerializer(cycle).data, status=201)


@extend_schema(tags=["cycles"])
class CycleDetail(generics.RetrieveAPIView):
    queryset = Cycle.objects.none()
    serializer_class = CycleSerializer

    def get_queryset(self):
        return _cycles(self.request)


class CycleScoped(APIView):
    def get_cycle(self) -> Cycle:
        return (
            cycles_visible_to(self.request.user)
            .select_related("province")
            .get(pk=self.kwargs["pk"])
        )


@extend_schema(tags=["cycles"])
class CycleStandardSet(CycleScoped):
    @extend_schema(
        request=CycleStandardInputSerializer,
        responses={200: CycleStandardSerializer, **errors(409)},
    )
    def post(self, request, pk: int):
        """Choose the edition and per-level rule sets the cycle applies to the edition's
        institution kind. 409 ``not_editable`` once assessments are open under it."""
        cycle = self.get_cycle()
        data = validated(CycleStandardInputSerializer, request.data)
        standard = cycle_standard_set(actor=request.user, cycle=cycle, **data)
        return Response(CycleStandardSerializer(standard).data)


@extend_schema(tags=["cycles"])
class CycleDeadlineSet(CycleScoped):
    @extend_schema(request=DeadlineInputSerializer, responses=DeadlineSerializer)
    def post(self, request, pk: int):
        """Set or move the deadline of one stage."""
        cycle = self.get_cycle()
        data = validated(DeadlineInputSerializer, request.data)
        deadline = cycle_deadline_set(actor=request.user, cycle=cycle, **data)
        return Response(DeadlineSerializer(deadline).data)


@extend_schema(tags=["cycles"])
class CycleClose(CycleScoped):
    @extend_schema(request=None, responses={200: CycleSerializer, **errors(409)})
    def post(self, request, pk: int):
        """Close the cycle: nothing can be opened or submitted in it any more. 409
        ``invalid_transition`` when closed already."""
        cycle = cycle_close(actor=request.user, cycle=self.get_cycle())
        return Response(CycleSerializer(cycle).data)

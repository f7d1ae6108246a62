"""Consistency checks, reductions (核减) and overdue assessments."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api import filters
from accreditation.api.schema import errors
from accreditation.api.serializers.notices import (
    CheckRunSerializer,
    CheckSerializer,
    OverdueQuerySerializer,
    OverdueSerializer,
    ReductionInputSerializer,
    ReductionSerializer,
    RescoreSerializer,
    SampleSerializer,
)
from accreditation.core.api import referenced, validated
from accreditation.models import (
    ConsistencyCheck,
    Reduction,
)
from accreditation.selectors import (
    checks_visible_to,
    cycles_visible_to,
    recognitions_visible_to,
    reductions_visible_to,
)
from accreditation.selectors.deadlines import overdue_assessments
from accreditation.services.consistency import (
    consistency_check_complete,
    consistency_check_run,
    consistency_rescore_record,
)
from accreditation.services.reductions import ReductionItem, reduction_apply

# --- consistency checks and reductions ----------------------------------------------


def _checks(request):
    return (
        checks_visible_to(request.user)
        .select_related("region", "created_by")
        .prefetch_related("samples__rescored_by")
    )


@extend_schema(tags=["checks"])
class CheckList(generics.ListAPIView):
    """Consistency checks (re-scoring a sample of recognitions) in the officer's
    region."""

    queryset = ConsistencyCheck.objects.none()
    serializer_class = CheckSerializer
    filterset_class = filters.CheckFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]

    def get_queryset(self):
        return _checks(self.request)

    @extend_schema(request=CheckRunSerializer, responses={201: CheckSerializer, **errors(409)})
    def post(self, request):
        """Start a check: sample a share of the region's active recognitions in the
        cycle, deterministically from the seed (provincial or national officers)."""
        data = validated(CheckRunSerializer, request.data)
        check = consistency_check_run(
            actor=request.user,
            cycle=referenced(cycles_visible_to(request.user), data.pop("cycle"), "cycle"),
            **data,
        )
        return Response(CheckSerializer(_checks(request).get(pk=check.pk)).data, status=201)


@extend_schema(tags=["checks"])
class CheckDetail(generics.RetrieveAPIView):
    queryset = ConsistencyCheck.objects.none()
    serializer_class = CheckSerializer

    def get_queryset(self):
        return _checks(self.request)


@extend_schema(tags=["checks"])
class CheckRescore(APIView):
    @extend_schema(request=RescoreSerializer, responses={200: SampleSerializer, **errors(409)})
    def post(self, request, pk: int, recognition_id: int):
        """Record the checkers' grades of one sampled recognition."""
        check = checks_visible_to(request.user).select_related("region").get(pk=pk)
        recognition = (
            check.samples.select_related("recognition")
            .get(recognition_id=recognition_id)
            .recognition
        )
        data = validated(RescoreSerializer, request.data)
        sample = consistency_rescore_record(
            actor=request.user, check=check, recognition=recognition, grades=data["grades"]
        )
        return Response(SampleSerializer(sample).data)


@extend_schema(tags=["checks"])
class CheckComplete(APIView):
    @extend_schema(request=None, responses={200: CheckSerializer, **errors(409, 422)})
    def post(self, request, pk: int):
        """Complete the check once every sample is re-scored (422 ``incomplete``
        otherwise) and store the agreement report."""
        check = checks_visible_to(request.user).select_related("region").get(pk=pk)
        consistency_check_complete(actor=request.user, check=check)
        return Response(CheckSerializer(_checks(request).get(pk=check.pk)).data)


def _reductions(request):
    return (
        reductions_visible_to(request.user)
        .select_related("region", "applied_by")
        .prefetch_related("entries")
    )


@extend_schema(tags=["checks"])
class ReductionList(generics.ListAPIView):
    """Reductions (核减) in the officer's region."""

    queryset = Reduction.objects.none()
    serializer_class = ReductionSerializer
    filterset_class = filters.ReductionFilter
    ordering_fields = ["id", "applied_at"]
    ordering = ["-id"]

    def get_queryset(self):
        return _reductions(self.request)

    @extend_schema(
        request=ReductionInputSerializer, responses={201: ReductionSerializer, **errors(409)}
    )
    def post(self, request):
        """Downgrade or revoke chosen active recognitions of a region with one reason,
        all or none (provincial or national officers)."""
        data = validated(ReductionInputSerializer, request.data)
        recognitions = recognitions_visible_to(request.user).select_related("institution__region")
        check = None
        if data["check_run"] is not None:
            check = referenced(checks_visible_to(request.user), data["check_run"], "check_run")
        reduction = reduction_apply(
            actor=request.user,
            region=data["region"],
            reason=data["reason"],
            check=check,
            items=[
                ReductionItem(
                    recognition=referenced(recognitions, item["recognition"], "items"),
                    action=item["action"],
                    to_level=item["to_level"],
                )
                for item in data["items"]
            ],
        )
        return Response(
            ReductionSerializer(_reductions(request).get(pk=reduction.pk)).data, status=201
        )


# --- deadlines --------------------------------------------------------------------------


@extend_schema(tags=["review"])
class OverdueList(generics.ListAPIView):
    """Assessments in the officer's scope still at a stage whose deadline has passed,
    longest overdue first (officers; 403 for anyone else). The selector computes the
    rows, so the list filters by ``stage`` only and keeps its order."""

    serializer_class = OverdueSerializer
    filter_backends: list = []

    @extend_schema(parameters=[OverdueQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = validated(OverdueQuerySerializer, self.request.query_params)
        rows = overdue_assessments(viewer=self.request.user)
        if query.get("stage"):
            rows = [row for row in rows if row.stage == query["stage"]]
        return rows

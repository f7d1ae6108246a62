"""Record sampling (病历抽查) over the API: the institution freezes an item's record
list, a panel expert draws a reproducible sample and records pass/fail per record;
anyone may recompute a draw from its list, seed and size."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api.schema import errors
from accreditation.api.serializers.sampling import (
    RecordListDetailSerializer,
    RecordListSerializer,
    RecordListUploadSerializer,
    RecordSampleSerializer,
    SampleDrawSerializer,
    SampledRecordInputSerializer,
    SampledRecordSerializer,
    SampleVerifySerializer,
)
from accreditation.api.views.base import AssessmentScoped, caller
from accreditation.core.api import validated
from accreditation.models import RecordList, RecordSample
from accreditation.selectors.review_lists import record_lists_for, record_samples_for
from accreditation.services.sampling import (
    record_list_upload,
    record_sample_draw,
    sample_verify,
    sampled_record_set,
)

TAGS = ["record sampling"]


@extend_schema(tags=TAGS)
class RecordListList(AssessmentScoped, generics.ListAPIView):
    """The frozen record lists of one item, newest version first (the draw uses the
    newest), and the upload of a new version by the institution's staff."""

    queryset = RecordList.objects.none()
    serializer_class = RecordListSerializer
    ordering_fields = ["version"]
    ordering = ["-version"]
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        lists = record_lists_for(viewer=caller(self.request), assessment=self.get_assessment())
        return lists.filter(item_code=self.kwargs["item_code"])

    @extend_schema(
        request={"multipart/form-data": RecordListUploadSerializer},
        responses={201: RecordListSerializer, **errors(409)},
    )
    def post(self, request, assessment_id: int, item_code: str):
        """Freeze a list (sheet 病历清单: 病历号 required, 日期, 科室). 400
        ``import_refused`` lists every bad row and column and writes nothing."""
        data = validated(RecordListUploadSerializer, request.data)
        frozen = record_list_upload(
            actor=request.user,
            assessment=self.get_assessment(),
            item_code=item_code,
            file=data["file"],
        )
        return Response(RecordListSerializer(frozen).data, status=201)


@extend_schema(tags=TAGS)
class RecordListDetail(AssessmentScoped, APIView):
    @extend_schema(responses=RecordListDetailSerializer)
    def get(self, request, assessment_id: int, pk: int):
        """One frozen list with its records, as hashed."""
        lists = record_lists_for(viewer=caller(request), assessment=self.get_assessment())
        return Response(RecordListDetailSerializer(lists.get(pk=pk)).data)


@extend_schema(tags=TAGS)
class RecordSampleList(AssessmentScoped, generics.ListAPIView):
    """The samples drawn by the experts whose grades the caller may see, with each
    drawn record's outcome and the summary the item's grade shows."""

    queryset = RecordSample.objects.none()
    serializer_class = RecordSampleSerializer
    filterset_fields = ["item_code"]
    ordering_fields = ["id", "item_code"]
    ordering = ["item_code", "id"]

    def get_queryset(self):
        return record_samples_for(viewer=caller(self.request), assessment=self.get_assessment())


@extend_schema(tags=TAGS)
class RecordSampleDraw(AssessmentScoped, APIView):
    @extend_schema(
        request=SampleDrawSerializer, responses={201: RecordSampleSerializer, **errors(409)}
    )
    def post(self, request, assessment_id: int, item_code: str):
        """Draw the caller's sample from the item's newest list (panel experts while
        grading; once per list). 409 ``stale_version`` when already drawn."""
        data = validated(SampleDrawSerializer, request.data)
        sample = record_sample_draw(
            actor=request.user, assessment=self.get_assessment(), item_code=item_code, **data
        )
        sample = record_samples_for(viewer=caller(request), assessment=self.get_assessment()).get(
            pk=sample.pk
        )
        return Response(RecordSampleSerializer(sample).data, status=201)


@extend_schema(tags=TAGS)
class SampledRecordSet(AssessmentScoped, APIView):
    @extend_schema(
        request=SampledRecordInputSerializer,
        responses={200: SampledRecordSerializer, **errors(409)},
    )
    def put(self, request, assessment_id: int, pk: int, record_id: str):
        """Record pass or fail (and a note) for one drawn record (the expert who drew)."""
        data = validated(SampledRecordInputSerializer, request.data)
        sample = record_samples_for(viewer=caller(request), assessment=self.get_assessment()).get(
            pk=pk
        )
        row = sampled_record_set(actor=request.user, sample=sample, record_id=record_id, **data)
        return Response(SampledRecordSerializer(row).data)


@extend_schema(tags=TAGS)
class RecordSampleVerify(AssessmentScoped, APIView):
    @extend_schema(responses=SampleVerifySerializer)
    def get(self, request, assessment_id: int, pk: int):
        """Recompute the draw from the stored list, seed and size."""
        sample = record_samples_for(viewer=caller(request), assessment=self.get_assessment()).get(
            pk=pk
        )
        return Response(
            SampleVerifySerializer(
                {
                    "reproducible": sample_verify(sample),
                    "algorithm": sample.algorithm,
                    "drawn": sample.drawn,
                }
            ).data
        )

"""Public notices and objections, and a notice's certificate batch."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api import filters
from accreditation.api.schema import errors
from accreditation.api.serializers.notices import (
    CertificateBatchSerializer,
    NoticeOpenSerializer,
    NoticeSerializer,
    ObjectionInputSerializer,
    ObjectionResolveSerializer,
    ObjectionSerializer,
)
from accreditation.core.api import referenced, validated
from accreditation.models import (
    Objection,
    PublicNotice,
    PublicNoticeEntry,
)
from accreditation.selectors import (
    assessments_visible_to,
    cycles_visible_to,
    notices_visible_to,
    objections_visible_to,
)
from accreditation.services.certificate_batches import (
    certificate_batch_start,
)
from accreditation.services.notices import (
    objection_record,
    objection_resolve,
    public_notice_close,
    public_notice_open,
)

# --- public notices -------------------------------------------------------------------


def _notices(request):
    return (
        notices_visible_to(request.user)
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "entries",
                PublicNoticeEntry.objects.select_related("assessment__institution").order_by("id"),
            )
        )
    )


@extend_schema(tags=["notices"])
class NoticeList(generics.ListAPIView):
    """Public notices (公示) of proposed lists, with their entries (public to every
    role)."""

    queryset = PublicNotice.objects.none()
    serializer_class = NoticeSerializer
    filterset_class = filters.NoticeFilter
    ordering_fields = ["id", "starts_on", "ends_on"]
    ordering = ["-starts_on", "-id"]

    def get_queryset(self):
        return _notices(self.request)

    @extend_schema(request=NoticeOpenSerializer, responses={201: NoticeSerializer, **errors(409)})
    def post(self, request):
        """Publish the proposed list of decided assessments in a region for the cycle's
        notice days (officers covering the region, at the level that confirms the
        levels)."""
        data = validated(NoticeOpenSerializer, request.data)
        visible = assessments_visible_to(request.user).select_related(
            "cycle", "institution__region"
        )
        notice = public_notice_open(
            actor=request.user,
            cycle=referenced(cycles_visible_to(request.user), data["cycle"], "cycle"),
            region=data["region"],
            assessments=[referenced(visible, pk, "assessments") for pk in data["assessments"]],
            starts_on=data["starts_on"],
            document_number=data["document_number"],
            title=data.get("title", ""),
        )
        return Response(NoticeSerializer(_notices(request).get(pk=notice.pk)).data, status=201)


@extend_schema(tags=["notices"])
class NoticeDetail(generics.RetrieveAPIView):
    queryset = PublicNotice.objects.none()
    serializer_class = NoticeSerializer

    def get_queryset(self):
        return _notices(self.request)


class NoticeScoped(APIView):
    def get_notice(self) -> PublicNotice:
        return (
            notices_visible_to(self.request.user).select_related("region").get(pk=self.kwargs["pk"])
        )


@extend_schema(tags=["notices"])
class NoticeClose(NoticeScoped):
    @extend_schema(request=None, responses={200: NoticeSerializer, **errors(409)})
    def post(self, request, pk: int):
        """Close the notice after its last day with no objection open: every entry
        still listed is recognised and gets a certificate record. 409
        ``notice_window_open``, ``objections_open`` or ``notice_closed``."""
        notice = public_notice_close(actor=request.user, notice=self.get_notice())
        return Response(NoticeSerializer(_notices(request).get(pk=notice.pk)).data)


@extend_schema(tags=["notices"])
class ObjectionList(NoticeScoped, generics.ListAPIView):
    """Objections against the notice's entries (officers covering the issuing region
    and administrators; others see none)."""

    queryset = Objection.objects.none()
    serializer_class = ObjectionSerializer
    filterset_class = filters.ObjectionFilter
    ordering_fields = ["id", "received_on"]
    ordering = ["id"]

    def get_queryset(self):
        return (
            objections_visible_to(self.request.user)
            .filter(notice=self.get_notice())
            .select_related("entry", "recorded_by", "resolved_by")
        )

    @extend_schema(
        request=ObjectionInputSerializer, responses={201: ObjectionSerializer, **errors(409)}
    )
    def post(self, request, pk: int):
        """Record an objection received during the window (officers covering the
        issuing region). 409 ``notice_closed``, ``outside_window`` or ``not_listed``."""
        notice = self.get_notice()
        data = validated(ObjectionInputSerializer, request.data)
        objection = objection_record(
            actor=request.user,
            notice=notice,
            assessment=referenced(
                assessments_visible_to(request.user), data.pop("assessment"), "assessment"
            ),
            **data,
        )
        return Response(ObjectionSerializer(objection).data, status=201)


@extend_schema(tags=["notices"])
class ObjectionResolve(APIView):
    @extend_schema(
        request=ObjectionResolveSerializer, responses={200: ObjectionSerializer, **errors(409)}
    )
    def post(self, request, pk: int, objection_id: int):
        """Resolve an objection with a reason: dismissed keeps the entry listed;
        upheld withdraws it and sends the assessment back to the consolidation."""
        objection = objections_visible_to(request.user).get(pk=objection_id, notice_id=pk)
        data = validated(ObjectionResolveSerializer, request.data)
        resolved = objection_resolve(actor=request.user, objection=objection, **data)
        return Response(ObjectionSerializer(resolved).data)


@extend_schema(tags=["recognitions"])
class CertificateBatchStart(NoticeScoped):
    @extend_schema(request=None, responses={202: CertificateBatchSerializer, **errors(409)})
    def post(self, request, pk: int):
        """Issue every certificate of the notice's active recognitions in the
        background (officers covering the notice's region); the batch already waiting
        or running for this notice is returned instead of a second one. 409
        ``nothing_to_issue``."""
        batch = certificate_batch_start(actor=request.user, notice=self.get_notice())
        return Response(CertificateBatchSerializer(batch).data, status=202)

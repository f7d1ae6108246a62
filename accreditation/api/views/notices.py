"""After the decision: public notices and objections; recognitions, certificates and
look-backs; consistency checks and reductions (核减); overdue assessments."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accreditation.api import filters
from accreditation.api.schema import errors
from accreditation.api.serializers.notices import (
    CertificateSerializer,
    CheckRunSerializer,
    CheckSerializer,
    LookBackInputSerializer,
    LookBackSerializer,
    NoticeOpenSerializer,
    NoticeSerializer,
    ObjectionInputSerializer,
    ObjectionResolveSerializer,
    ObjectionSerializer,
    OverdueQuerySerializer,
    OverdueSerializer,
    RecognitionSerializer,
    ReductionInputSerializer,
    ReductionSerializer,
    RescoreSerializer,
    SampleSerializer,
    VerificationQuerySerializer,
    VerificationSerializer,
)
from accreditation.api.views.base import referenced, validated
from accreditation.conf import setting
from accreditation.models import (
    CertificateRecord,
    ConsistencyCheck,
    LookBack,
    Objection,
    PublicNotice,
    PublicNoticeEntry,
    Recognition,
    Reduction,
)
from accreditation.pdf import render_certificate
from accreditation.selectors import (
    assessments_visible_to,
    certificates_visible_to,
    checks_visible_to,
    cycles_visible_to,
    lookbacks_visible_to,
    notices_visible_to,
    objections_visible_to,
    recognitions_visible_to,
    reductions_visible_to,
)
from accreditation.selectors.certificates import (
    CertificateCheck,
    certificate_document,
    certificate_lookup,
)
from accreditation.selectors.deadlines import overdue_assessments
from accreditation.services.consistency import (
    consistency_check_complete,
    consistency_check_run,
    consistency_rescore_record,
)
from accreditation.services.notices import (
    objection_record,
    objection_resolve,
    public_notice_close,
    public_notice_open,
)
from accreditation.services.reductions import ReductionItem, lookback_record, reduction_apply
from accreditation.web.throttle import allow

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


# --- recognitions and certificates --------------------------------------------------


def _recognitions(request):
    return (
        recognitions_visible_to(request.user)
        .select_related("institution", "issuing_region")
        .prefetch_related(
            Prefetch(
                "certificates",
                CertificateRecord.objects.select_related("issued_by", "supersedes"),
            )
        )
    )


@extend_schema(tags=["recognitions"])
class RecognitionList(generics.ListAPIView):
    """Recognitions of the institutions in the caller's scope, with their
    certificate records."""

    queryset = Recognition.objects.none()
    serializer_class = RecognitionSerializer
    filterset_class = filters.RecognitionFilter
    ordering_fields = ["id", "recognised_on", "valid_until", "level"]
    ordering = ["-recognised_on", "-id"]

    def get_queryset(self):
        return _recognitions(self.request)


@extend_schema(tags=["recognitions"])
class RecognitionDetail(generics.RetrieveAPIView):
    queryset = Recognition.objects.none()
    serializer_class = RecognitionSerializer

    def get_queryset(self):
        return _recognitions(self.request)


@extend_schema(tags=["recognitions"])
class LookBackList(generics.ListAPIView):
    """Look-backs (回头看) of one recognition."""

    queryset = LookBack.objects.none()
    serializer_class = LookBackSerializer
    filterset_class = filters.LookBackFilter
    ordering_fields = ["id", "recorded_at"]
    ordering = ["-id"]

    def get_recognition(self) -> Recognition:
        return (
            recognitions_visible_to(self.request.user)
            .select_related("institution__region", "issuing_region")
            .get(pk=self.kwargs["pk"])
        )

    def get_queryset(self):
        return (
            lookbacks_visible_to(self.request.user)
            .filter(recognition=self.get_recognition())
            .select_related("recorded_by")
        )

    @extend_schema(
        request=LookBackInputSerializer, responses={201: LookBackSerializer, **errors(409)}
    )
    def post(self, request, pk: int):
        """Record a look-back: confirm, downgrade (``to_level``) or revoke, with a
        reason (officers covering the institution at the issuing level or above)."""
        recognition = self.get_recognition()
        data = validated(LookBackInputSerializer, request.data)
        lookback = lookback_record(actor=request.user, recognition=recognition, **data)
        return Response(LookBackSerializer(lookback).data, status=201)


@extend_schema(tags=["recognitions"])
class CertificateList(generics.ListAPIView):
    """Certificate records of the recognitions in the caller's scope."""

    queryset = CertificateRecord.objects.none()
    serializer_class = CertificateSerializer
    filterset_class = filters.CertificateFilter
    ordering_fields = ["id", "number", "issued_at"]
    ordering = ["-id"]

    def get_queryset(self):
        return certificates_visible_to(self.request.user).select_related("issued_by", "supersedes")


@extend_schema(tags=["recognitions"])
class CertificateDetail(generics.RetrieveAPIView):
    queryset = CertificateRecord.objects.none()
    serializer_class = CertificateSerializer
    lookup_field = "number"

    def get_queryset(self):
        return certificates_visible_to(self.request.user).select_related("issued_by", "supersedes")


@extend_schema(tags=["recognitions"])
class CertificateDownload(APIView):
    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The certificate as PDF."
            )
        }
    )
    def get(self, request, number: str):
        """The certificate PDF (the stored file once one is kept; otherwise rendered
        from the record, deterministically). Superseded and revoked copies carry a
        watermark."""
        record = (
            certificates_visible_to(request.user)
            .select_related("recognition__institution", "recognition__cycle")
            .get(number=number)
        )
        if record.file:
            return FileResponse(
                record.file.open("rb"),
                as_attachment=True,
                filename=f"{record.number}.pdf",
                content_type="application/pdf",
            )
        content = render_certificate(certificate_document(record=record))
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{record.number}.pdf"'
        return response

    def perform_content_negotiation(self, request, force=False):
        # The body is the file whatever the Accept header; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)


@extend_schema(tags=["public"])
class CertificateVerify(APIView):
    """Public, no sign-in: what a certificate number (from the QR code or typed)
    proves, and with ``?code=`` whether the printed verification code belongs to it.
    An unknown number answers 404. Code checks share the verification page's limit per
    address (``VERIFY_CODE_CHECKS_PER_HOUR``); past it, 429."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "verification"

    @extend_schema(parameters=[VerificationQuerySerializer], responses=VerificationSerializer)
    def get(self, request, number: str):
        query = validated(VerificationQuerySerializer, request.query_params)
        code = query.get("code", "")
        if code and not allow(
            request._request,
            scope="verify-code",
            limit=int(setting("VERIFY_CODE_CHECKS_PER_HOUR")),
        ):
            raise Throttled()
        check = certificate_lookup(number=number, code=code)
        if check is None:
            raise NotFound
        return Response(VerificationSerializer(_public(check)).data)


def _public(check: CertificateCheck) -> dict:
    return {field: getattr(check, field) for field in VerificationSerializer().fields}


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

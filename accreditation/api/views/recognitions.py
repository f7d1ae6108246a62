"""Recognitions, look-backs and certificates: records, issue and reissue, batches,
download and public verification."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import FileResponse
from django.utils.translation import gettext as _
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
    CertificateBatchSerializer,
    CertificateSerializer,
    LookBackInputSerializer,
    LookBackSerializer,
    RecognitionSerializer,
    ReissueSerializer,
    VerificationQuerySerializer,
    VerificationSerializer,
)
from accreditation.conf import setting
from accreditation.core.api import validated
from accreditation.core.errors import DomainError
from accreditation.core.throttle import allow
from accreditation.models import (
    CertificateBatch,
    CertificateRecord,
    LookBack,
    Recognition,
)
from accreditation.selectors import (
    certificates_visible_to,
    lookbacks_visible_to,
    recognitions_visible_to,
)
from accreditation.selectors.certificates import (
    CertificateCheck,
    certificate_batches_visible_to,
    certificate_lookup,
)
from accreditation.services.certificate_batches import (
    certificate_batch_resume,
)
from accreditation.services.certificates import (
    certificate_file_name,
    certificate_issue,
    certificate_reissue,
)
from accreditation.services.findings import RectifyItem, lookback_conclude
from accreditation.services.reductions import lookback_record

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
        reason (officers covering the institution at the issuing level or above); or
        ``rectify``: each of ``rectify_items`` becomes a finding to rectify by
        ``rectify_by``, and failing it revokes (``look-backs/<id>/conclude/``)."""
        recognition = self.get_recognition()
        data = validated(LookBackInputSerializer, request.data)
        data["rectify_items"] = [RectifyItem(**item) for item in data["rectify_items"]]
        lookback = lookback_record(actor=request.user, recognition=recognition, **data)
        return Response(LookBackSerializer(lookback).data, status=201)


@extend_schema(tags=["recognitions"])
class LookBackConclude(APIView):
    @extend_schema(request=None, responses={200: LookBackSerializer, **errors(409)})
    def post(self, request, pk: int):
        """Conclude a look-back that required rectification: ``rectified`` when every
        finding is closed (the recognition stands); after the deadline with findings
        open, ``failed`` and the recognition is revoked. 409 ``invalid_transition``
        while findings are open before the deadline."""
        lookback = (
            lookbacks_visible_to(request.user)
            .select_related("recognition__institution__region", "recognition__issuing_region")
            .get(pk=pk)
        )
        concluded = lookback_conclude(actor=request.user, lookback=lookback)
        return Response(LookBackSerializer(concluded).data)


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


def _certificate(request, number: str) -> CertificateRecord:
    return (
        certificates_visible_to(request.user)
        .select_related("recognition__issuing_region", "issued_by", "supersedes")
        .get(number=number)
    )


@extend_schema(tags=["recognitions"])
class CertificateDownload(APIView):
    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The certificate as issued (PDF)."
            ),
            **errors(409),
        }
    )
    def get(self, request, number: str):
        """The stored PDF, exactly as issued (its SHA-256 is on the record). 409
        ``not_issued`` until the certificate is issued (``issue/`` or a batch)."""
        record = _certificate(request, number)
        if not record.file:
            raise DomainError(_("This certificate has not been issued yet."), code="not_issued")
        return FileResponse(
            record.file.open("rb"),
            as_attachment=True,
            filename=certificate_file_name(record),
            content_type="application/pdf",
        )

    def perform_content_negotiation(self, request, force=False):
        # The body is the file whatever the Accept header; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)


@extend_schema(tags=["recognitions"])
class CertificateIssue(APIView):
    @extend_schema(request=None, responses={200: CertificateSerializer, **errors(409)})
    def post(self, request, number: str):
        """Render and store the certificate's PDF with its verification code (officers
        covering the issuing region). Idempotent. 409 ``certificate_not_valid`` or
        ``certificate_expired``."""
        record = certificate_issue(actor=request.user, certificate=_certificate(request, number))
        return Response(CertificateSerializer(record).data)


@extend_schema(tags=["recognitions"])
class CertificateReissue(APIView):
    @extend_schema(request=ReissueSerializer, responses={201: CertificateSerializer, **errors(409)})
    def post(self, request, number: str):
        """After a correction: a new certificate (new number, version + 1) supersedes
        this one, with a reason; the old one then verifies as superseded."""
        record = _certificate(request, number)
        data = validated(ReissueSerializer, request.data)
        new = certificate_reissue(actor=request.user, certificate=record, reason=data["reason"])
        return Response(CertificateSerializer(new).data, status=201)


@extend_schema(tags=["recognitions"])
class CertificateBatchList(generics.ListAPIView):
    """Certificate batches (every certificate of a notice, issued in the background)
    of regions the officer covers."""

    queryset = CertificateBatch.objects.none()
    serializer_class = CertificateBatchSerializer
    filterset_class = filters.CertificateBatchFilter
    ordering_fields = ["id", "created_at"]
    ordering = ["-id"]

    def get_queryset(self):
        return certificate_batches_visible_to(self.request.user).select_related("created_by")


@extend_schema(tags=["recognitions"])
class CertificateBatchDetail(generics.RetrieveAPIView):
    queryset = CertificateBatch.objects.none()
    serializer_class = CertificateBatchSerializer

    def get_queryset(self):
        return certificate_batches_visible_to(self.request.user).select_related("created_by")


@extend_schema(tags=["recognitions"])
class CertificateBatchResume(APIView):
    @extend_schema(request=None, responses={202: CertificateBatchSerializer})
    def post(self, request, pk: int):
        """Run a failed, stuck or partly failed batch again; issued certificates are
        skipped."""
        batch = certificate_batches_visible_to(request.user).get(pk=pk)
        batch = certificate_batch_resume(actor=request.user, batch=batch)
        return Response(CertificateBatchSerializer(batch).data, status=202)


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
    names = list(VerificationSerializer().fields)  # BindingDict iterates over the names
    return {name: getattr(check, name) for name in names}

"""Recognitions, look-backs and certificates: download and public verification."""

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
    LookBackInputSerializer,
    LookBackSerializer,
    RecognitionSerializer,
    VerificationQuerySerializer,
    VerificationSerializer,
)
from accreditation.api.views.base import validated
from accreditation.conf import setting
from accreditation.models import (
    CertificateRecord,
    LookBack,
    Recognition,
)
from accreditation.pdf import render_certificate
from accreditation.selectors import (
    certificates_visible_to,
    lookbacks_visible_to,
    recognitions_visible_to,
)
from accreditation.selectors.certificates import (
    CertificateCheck,
    certificate_document,
    certificate_lookup,
)
from accreditation.services.reductions import lookback_record
from accreditation.web.throttle import allow

# --- public notices -------------------------------------------------------------------


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

"""Evidence on an assessment: list, upload (multipart), attach to more items, detach,
download (streamed)."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accreditation.api import filters
from accreditation.api.schema import errors
from accreditation.api.serializers.assessments import (
    AttachmentSerializer,
    EvidenceAttachSerializer,
    EvidenceUploadSerializer,
)
from accreditation.api.views.base import AssessmentScoped, validated
from accreditation.core.files import CONTENT_TYPES
from accreditation.models import EvidenceAttachment
from accreditation.selectors import attachments_visible_to
from accreditation.services.evidence import evidence_attach, evidence_detach, evidence_upload

TAGS = ["evidence"]


class AttachmentScoped(AssessmentScoped):
    def get_attachment(self) -> EvidenceAttachment:
        return (
            attachments_visible_to(self.request.user)
            .select_related("evidence", "uploaded_by", "assessment")
            .get(pk=self.kwargs["pk"], assessment=self.get_assessment())
        )


@extend_schema(tags=TAGS)
class EvidenceList(AssessmentScoped, generics.ListAPIView):
    """Files attached to the assessment's items."""

    queryset = EvidenceAttachment.objects.none()
    serializer_class = AttachmentSerializer
    filterset_class = filters.AttachmentFilter
    ordering_fields = ["id", "item_code", "name", "created_at"]
    ordering = ["item_code", "id"]
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return (
            attachments_visible_to(self.request.user)
            .filter(assessment=self.get_assessment())
            .select_related("evidence", "uploaded_by")
        )

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: AttachmentSerializer(many=True), **errors(409, 413)},
    )
    def post(self, request, assessment_id: int):
        """Upload a file and attach it to items (the institution's staff, while a draft
        or returned). The type is detected from the content (PDF, JPEG, PNG, docx,
        xlsx); 400 ``evidence_rejected`` with ``details.reason`` (``empty``,
        ``too_large``, ``unsupported_type``, ``no_items``) stores nothing. Returns the
        new attachments (none for items that already had this file)."""
        assessment = self.get_assessment()
        data = validated(EvidenceUploadSerializer, request.data)
        created = evidence_upload(
            actor=request.user,
            assessment=assessment,
            item_codes=data["item_codes"],
            file=data["file"],
            filename=data["file"].name,
        )
        return Response(AttachmentSerializer(created, many=True).data, status=201)


@extend_schema(tags=TAGS)
class EvidenceDetail(AttachmentScoped, APIView):
    @extend_schema(responses=AttachmentSerializer)
    def get(self, request, assessment_id: int, pk: int):
        return Response(AttachmentSerializer(self.get_attachment()).data)

    @extend_schema(responses={204: None, **errors(409)})
    def delete(self, request, assessment_id: int, pk: int):
        """Detach the file from its item (the institution's staff, while a draft or
        returned)."""
        evidence_detach(actor=request.user, attachment=self.get_attachment())
        return Response(status=204)


@extend_schema(tags=TAGS)
class EvidenceAttach(AttachmentScoped, APIView):
    @extend_schema(
        request=EvidenceAttachSerializer,
        responses={201: AttachmentSerializer(many=True), **errors(409)},
    )
    def post(self, request, assessment_id: int, pk: int):
        """Attach the same file to more items of the assessment."""
        attachment = self.get_attachment()
        data = validated(EvidenceAttachSerializer, request.data)
        created = evidence_attach(
            actor=request.user, attachment=attachment, item_codes=data["item_codes"]
        )
        return Response(AttachmentSerializer(created, many=True).data, status=201)


@extend_schema(tags=TAGS)
class EvidenceDownload(AttachmentScoped, APIView):
    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, with its detected content type."
            )
        }
    )
    def get(self, request, assessment_id: int, pk: int):
        """The file, streamed, to anyone who may see the assessment."""
        attachment = self.get_attachment()
        evidence = attachment.evidence
        return FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=attachment.name,
            content_type=CONTENT_TYPES[evidence.file_type],
        )

    def perform_content_negotiation(self, request, force=False):
        # The body is the file whatever the Accept header; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

"""Evidence on an assessment: list, upload (multipart), attach to more items, reuse an
earlier file of the institution, revise (multipart), correct the dates, detach,
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
    EvidenceDatesSerializer,
    EvidenceReuseSerializer,
    EvidenceReviseSerializer,
    EvidenceUploadSerializer,
)
from accreditation.api.views.base import AssessmentScoped
from accreditation.core.api import referenced, validated
from accreditation.core.files import CONTENT_TYPES
from accreditation.models import EvidenceAttachment
from accreditation.selectors import attachments_visible_to
from accreditation.services.evidence import (
    evidence_attach,
    evidence_dates_set,
    evidence_detach,
    evidence_reuse,
    evidence_revise,
    evidence_upload,
)

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
    ordering_fields = ["id", "item_code", "name", "created_at", "effective_on", "expires_on"]
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
        ``too_large``, ``unsupported_type``, ``no_items``) stores nothing, as does 400
        on ``effective_on`` (more than a year ahead) or ``expires_on`` (before the
        effective date). Returns the new attachments (none for items that already had
        this file)."""
        assessment = self.get_assessment()
        data = validated(EvidenceUploadSerializer, request.data)
        created = evidence_upload(
            actor=request.user,
            assessment=assessment,
            item_codes=data["item_codes"],
            file=data["file"],
            filename=data["file"].name,
            effective_on=data.get("effective_on"),
            expires_on=data.get("expires_on"),
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
class EvidenceReuse(AssessmentScoped, APIView):
    @extend_schema(
        request=EvidenceReuseSerializer,
        responses={201: AttachmentSerializer(many=True), **errors(409)},
    )
    def post(self, request, assessment_id: int):
        """Attach an earlier file of the institution (``source``: an attachment on any
        of its assessments, any cycle) to items of this assessment without uploading it
        again, with the source's name and dates. A ``source`` of another institution
        answers 400 on ``source`` as if it did not exist."""
        assessment = self.get_assessment()
        data = validated(EvidenceReuseSerializer, request.data)
        source = referenced(
            attachments_visible_to(request.user).filter(
                assessment__institution_id=assessment.institution_id
            ),
            data["source"],
            "source",
        )
        created = evidence_reuse(
            actor=request.user,
            assessment=assessment,
            item_codes=data["item_codes"],
            source=source,
        )
        return Response(AttachmentSerializer(created, many=True).data, status=201)


@extend_schema(tags=TAGS)
class EvidenceRevise(AttachmentScoped, APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": EvidenceReviseSerializer},
        responses={201: AttachmentSerializer, **errors(409, 413)},
    )
    def post(self, request, assessment_id: int, pk: int):
        """Upload a new revision of the attachment: same item, revision number one up,
        ``replaces`` the old one, which becomes superseded (kept, listed as history).
        The file is checked as on upload. 409 when the attachment is already
        superseded (``details.current``: the current revision); 400 on ``file`` when it
        is the current file."""
        attachment = self.get_attachment()
        data = validated(EvidenceReviseSerializer, request.data)
        new = evidence_revise(
            actor=request.user,
            attachment=attachment,
            file=data["file"],
            filename=data["file"].name,
            effective_on=data.get("effective_on"),
            expires_on=data.get("expires_on"),
        )
        return Response(AttachmentSerializer(new).data, status=201)


@extend_schema(tags=TAGS)
class EvidenceDates(AttachmentScoped, APIView):
    @extend_schema(
        request=EvidenceDatesSerializer,
        responses={200: AttachmentSerializer, **errors(409)},
    )
    def put(self, request, assessment_id: int, pk: int):
        """Correct the effective date and expiry of a current attachment (the
        institution's staff, while a draft or returned)."""
        attachment = self.get_attachment()
        data = validated(EvidenceDatesSerializer, request.data)
        row = evidence_dates_set(
            actor=request.user,
            attachment=attachment,
            effective_on=data["effective_on"],
            expires_on=data["expires_on"],
        )
        row.uploaded_by = attachment.uploaded_by
        return Response(AttachmentSerializer(row).data)


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

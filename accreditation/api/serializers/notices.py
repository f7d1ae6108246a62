"""Public notices and objections; recognitions, certificates, look-backs; consistency
checks and reductions."""

from __future__ import annotations

from rest_framework import serializers

from accreditation.api.serializers.common import RegionRefSerializer
from accreditation.core.api import IdField
from accreditation.models import (
    CertificateBatch,
    CertificateRecord,
    ConsistencyCheck,
    ConsistencySample,
    LookBack,
    LookBackOutcome,
    Objection,
    PublicNotice,
    PublicNoticeEntry,
    Recognition,
    RecognitionAction,
    Reduction,
    ReductionEntry,
    Region,
    Stage,
    User,
)
from standards.models import Level


class NoticeEntrySerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="assessment.institution.name", read_only=True)

    class Meta:
        model = PublicNoticeEntry
        fields = ["id", "assessment", "institution", "level", "status"]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    entries = NoticeEntrySerializer(many=True, read_only=True)

    class Meta:
        model = PublicNotice
        fields = [
            "id",
            "cycle",
            "region",
            "issuing_level",
            "document_number",
            "title",
            "starts_on",
            "ends_on",
            "days",
            "status",
            "created_at",
            "closed_at",
            "entries",
        ]
        read_only_fields = fields


class NoticeOpenSerializer(serializers.Serializer):
    cycle = IdField()
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    assessments = serializers.ListField(child=IdField(), allow_empty=False, max_length=1000)
    starts_on = serializers.DateField()
    document_number = serializers.CharField(max_length=100)
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ObjectionSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="entry.assessment_id", read_only=True)
    recorded_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    resolved_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "notice",
            "assessment",
            "objector",
            "content",
            "received_on",
            "status",
            "resolution_reason",
            "recorded_by",
            "recorded_at",
            "resolved_by",
            "resolved_at",
        ]
        read_only_fields = fields


class ObjectionInputSerializer(serializers.Serializer):
    assessment = IdField(help_text="The listed assessment objected to.")
    content = serializers.CharField(max_length=10_000)
    objector = serializers.CharField(required=False, allow_blank=True, max_length=200)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)


class ObjectionResolveSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True, max_length=10_000)


class CertificateSerializer(serializers.ModelSerializer):
    issued_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    supersedes = serializers.SlugRelatedField[CertificateRecord](
        slug_field="number", read_only=True
    )

    class Meta:
        model = CertificateRecord
        fields = [
            "id",
            "number",
            "version",
            "status",
            "supersedes",
            "recognition",
            "issued_at",
            "issued_by",
            "rendered_at",
            "sha256",
        ]
        read_only_fields = fields


class RecognitionSerializer(serializers.ModelSerializer):
    institution = serializers.SerializerMethodField()
    issuing_region = RegionRefSerializer(read_only=True)
    certificates = CertificateSerializer(many=True, read_only=True)

    class Meta:
        model = Recognition
        fields = [
            "id",
            "institution",
            "cycle",
            "assessment",
            "decision",
            "level",
            "issuing_region",
            "issuing_body",
            "notice",
            "notice_document_number",
            "recognised_on",
            "valid_until",
            "status",
            "status_reason",
            "supersedes",
            "certificates",
        ]
        read_only_fields = fields

    def get_institution(self, obj: Recognition) -> dict[str, int | str]:
        return {"id": obj.institution_id, "name": obj.institution.name}


class LookBackSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = LookBack
        fields = [
            "id",
            "recognition",
            "outcome",
            "to_level",
            "reason",
            "findings",
            "replacement",
            "recorded_by",
            "recorded_at",
            "rectify_by",
            "rectification",
            "concluded_at",
        ]
        read_only_fields = fields


class RectifyItemSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=4000, allow_blank=True)
    item_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    required_grade = serializers.ChoiceField(
        choices=[("C", "C"), ("B", "B"), ("A", "A")], required=False, allow_blank=True, default=""
    )


class LookBackInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=LookBackOutcome.choices)
    reason = serializers.CharField(allow_blank=True, max_length=10_000)
    to_level = serializers.ChoiceField(
        choices=Level.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="For a downgrade.",
    )
    findings = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    rectify_by = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="For rectify: the deadline."
    )
    rectify_items = RectifyItemSerializer(
        many=True, required=False, default=list, help_text="For rectify: each becomes a finding."
    )


class SampleSerializer(serializers.ModelSerializer):
    rescored_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = ConsistencySample
        fields = [
            "id",
            "recognition",
            "grades",
            "rescored_level",
            "agreement",
            "rescored_by",
            "rescored_at",
        ]
        read_only_fields = fields


class CheckSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    created_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    samples = SampleSerializer(many=True, read_only=True)

    class Meta:
        model = ConsistencyCheck
        fields = [
            "id",
            "cycle",
            "region",
            "sample_share",
            "seed",
            "population",
            "status",
            "report",
            "created_by",
            "created_at",
            "completed_at",
            "samples",
        ]
        read_only_fields = fields


class CheckRunSerializer(serializers.Serializer):
    cycle = IdField()
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    sample_share = serializers.DecimalField(max_digits=5, decimal_places=4)
    seed = serializers.CharField(required=False, allow_blank=True, max_length=64)


class RescoreSerializer(serializers.Serializer):
    grades = serializers.DictField(
        child=serializers.CharField(max_length=4), help_text="Item code -> none, C, B, A or NA."
    )


class ReductionEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ReductionEntry
        fields = ["id", "recognition", "action", "to_level", "replacement"]
        read_only_fields = fields


class ReductionSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)
    applied_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    entries = ReductionEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Reduction
        fields = ["id", "region", "check_run", "reason", "applied_by", "applied_at", "entries"]
        read_only_fields = fields


class ReductionItemSerializer(serializers.Serializer):
    recognition = IdField()
    action = serializers.ChoiceField(
        choices=RecognitionAction.choices, help_text="downgrade or revoke."
    )
    to_level = serializers.ChoiceField(
        choices=Level.choices, required=False, allow_blank=True, default=""
    )


class ReductionInputSerializer(serializers.Serializer):
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    reason = serializers.CharField(allow_blank=True, max_length=10_000)
    # With many=True DRF hands max_length to the ListSerializer; the stubs do not know.
    items = ReductionItemSerializer(  # type: ignore[call-arg]
        many=True, allow_empty=False, max_length=1000
    )
    check_run = IdField(required=False, allow_null=True, default=None)


class OverdueSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(source="assessment.pk")
    institution = serializers.CharField(source="assessment.institution.name")
    status = serializers.CharField(source="assessment.status")
    stage = serializers.CharField()
    due_on = serializers.DateField()
    days_overdue = serializers.IntegerField()


class OverdueQuerySerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)


class VerificationQuerySerializer(serializers.Serializer):
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="The verification code printed on the certificate (optional).",
    )


class VerificationSerializer(serializers.Serializer):
    """What a certificate number proves: only what the certificate prints, and its
    state today."""

    number = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["valid", "expired", "revoked", "superseded", "tampered"],
        help_text="tampered: the stored record fails its own signature; nothing else is shown.",
    )
    institution_name = serializers.CharField()
    institution_licence = serializers.CharField()
    region_name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    cycle_year = serializers.IntegerField()
    issuing_body = serializers.CharField()
    issue_date = serializers.DateField()
    valid_until = serializers.DateField()
    version = serializers.IntegerField()
    checked_on = serializers.DateField()
    revoked_on = serializers.DateField(allow_null=True)
    revocation_reason = serializers.CharField(allow_blank=True)
    superseded_by = serializers.CharField(allow_blank=True)
    tampered = serializers.BooleanField()
    code_matches = serializers.BooleanField(
        allow_null=True, help_text="Null without a code; else whether it is this certificate's."
    )


class ReissueSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=10_000)


class CertificateBatchSerializer(serializers.ModelSerializer):
    notice = serializers.CharField(source="notice.document_number", read_only=True)
    region = RegionRefSerializer(read_only=True)
    created_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = CertificateBatch
        fields = [
            "id",
            "notice",
            "region",
            "status",
            "total",
            "done",
            "failed",
            "errors",
            "runs",
            "created_by",
            "created_at",
            "started_at",
        ]
        read_only_fields = fields

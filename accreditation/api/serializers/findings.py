from __future__ import annotations

from rest_framework import serializers

from accreditation.models import (
    Finding,
    FindingSource,
    RectificationEvidence,
    RectificationFile,
    RectificationPlan,
)
from accreditation.selectors.findings import is_overdue

GRADES = [("C", "C"), ("B", "B"), ("A", "A")]


class FindingSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_id")
    institution = serializers.IntegerField(source="assessment.institution_id")
    institution_name = serializers.CharField(source="assessment.institution.name")
    region = serializers.CharField(source="assessment.institution.region.code")
    cycle = serializers.IntegerField(source="assessment.cycle_id")
    raised_by = serializers.CharField(source="raised_by.username")
    lookback = serializers.IntegerField(source="lookback_id", allow_null=True)
    objection = serializers.IntegerField(source="objection_id", allow_null=True)
    assessment_return = serializers.IntegerField(source="assessment_return_id", allow_null=True)
    consistency_sample = serializers.IntegerField(source="consistency_sample_id", allow_null=True)
    version = serializers.IntegerField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "assessment",
            "institution",
            "institution_name",
            "region",
            "cycle",
            "item_code",
            "source",
            "description",
            "current_grade",
            "required_grade",
            "status",
            "due_on",
            "overdue",
            "lookback",
            "objection",
            "assessment_return",
            "consistency_sample",
            "raised_by",
            "raised_at",
            "closed_at",
            "version",
        ]
        read_only_fields = fields

    def get_overdue(self, finding: Finding) -> bool:
        """The institution's next step (plan, or evidence of effect) is past its date."""
        return is_overdue(finding)


class PlanSerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.username")
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = RectificationPlan
        fields = [
            "id",
            "root_cause",
            "actions",
            "owner",
            "due_on",
            "submitted_by",
            "submitted_at",
            "outcome",
            "decided_by",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields


class RectificationFileSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="evidence.sha256")
    size = serializers.IntegerField(source="evidence.size")
    file_type = serializers.CharField(source="evidence.file_type")

    class Meta:
        model = RectificationFile
        fields = ["id", "name", "sha256", "size", "file_type"]
        read_only_fields = fields


class EvidenceOfEffectSerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.username")
    decided_by = serializers.CharField(source="decided_by.username", default=None)
    plan = serializers.IntegerField(source="plan_id")
    files = RectificationFileSerializer(many=True)

    class Meta:
        model = RectificationEvidence
        fields = [
            "id",
            "plan",
            "description",
            "files",
            "submitted_by",
            "submitted_at",
            "outcome",
            "decided_by",
            "decided_at",
            "comment",
        ]
        read_only_fields = fields


class FindingDetailSerializer(FindingSerializer):
    plans = PlanSerializer(many=True)
    evidence = EvidenceOfEffectSerializer(many=True)

    class Meta(FindingSerializer.Meta):
        fields = [*FindingSerializer.Meta.fields, "plans", "evidence"]
        read_only_fields = fields


class FindingInputSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(min_value=1)
    # Taken out of the class by DRF's metaclass; the stubs see it shadow Field.source.
    source = serializers.ChoiceField(choices=FindingSource.choices)  # type: ignore[assignment]
    description = serializers.CharField(max_length=4000)
    item_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    required_grade = serializers.ChoiceField(
        choices=GRADES, required=False, allow_blank=True, default=""
    )
    due_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Plan due; default 30 days."
    )
    lookback = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    objection = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    assessment_return = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    consistency_sample = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class FromGapPlanSerializer(serializers.Serializer):
    item_codes = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        allow_null=True,
        default=None,
        help_text="Items of the gap plan to raise; all of them when omitted.",
    )
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


class PlanInputSerializer(serializers.Serializer):
    # Blank and missing values reach the service, which names the field in Chinese.
    root_cause = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    actions = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    owner = serializers.CharField(max_length=100, required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, allow_blank=True)


class EvidenceOfEffectInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=4000, allow_blank=True)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=20
    )


class CandidateSerializer(serializers.Serializer):
    item_code = serializers.CharField()
    title = serializers.CharField()
    from_grade = serializers.CharField()
    to_grade = serializers.CharField()
    finding = serializers.IntegerField(source="finding.pk", default=None, allow_null=True)


class CandidateListSerializer(serializers.Serializer):
    target = serializers.CharField(allow_null=True)
    reachable = serializers.BooleanField()
    items = CandidateSerializer(many=True)


class CarryResultSerializer(serializers.Serializer):
    source = serializers.IntegerField(source="source.pk")  # type: ignore[assignment]
    proposed = serializers.ListField(child=serializers.CharField())
    changed = serializers.ListField(child=serializers.CharField())
    new = serializers.ListField(child=serializers.CharField())
    evidence = serializers.IntegerField()


class CarriedConfirmSerializer(serializers.Serializer):
    item_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, allow_null=True, default=None
    )


class CarriedConfirmResultSerializer(serializers.Serializer):
    confirmed = serializers.ListField(child=serializers.CharField())

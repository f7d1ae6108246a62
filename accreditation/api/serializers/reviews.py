"""The review process: tasks, county review, rounds, panels, expert grading,
consolidation, results and decisions."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from viewflow.workflow.models import Task

from accreditation.core.api import IdField
from accreditation.core.files import CONTENT_TYPES
from accreditation.models import (
    AssessmentResult,
    ConsolidatedGrade,
    Consolidation,
    CountyReview,
    Decision,
    ExpertAssignment,
    ExpertItemGrade,
    ExpertPhoto,
    ExpertProfile,
    ExpertReview,
    ItemGrade,
    ReviewRound,
    User,
)
from standards.models import Level


class TaskSerializer(serializers.ModelSerializer):
    """An open step of a review process that the caller may take."""

    step = serializers.CharField(source="flow_task.name", read_only=True)
    title = serializers.CharField(source="flow_task.task_title", read_only=True)
    owner = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    assessment = serializers.IntegerField(
        source="process.assessmentprocess.assessment_id", read_only=True
    )
    assessment_status = serializers.CharField(
        source="process.assessmentprocess.assessment.status", read_only=True
    )
    institution = serializers.CharField(
        source="process.assessmentprocess.assessment.institution.name", read_only=True
    )
    target_level = serializers.CharField(
        source="process.assessmentprocess.assessment.target_level", read_only=True
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "step",
            "title",
            "status",
            "created",
            "owner",
            "assessment",
            "assessment_status",
            "institution",
            "target_level",
        ]
        read_only_fields = fields


class CountyForwardSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    item_comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=10_000),
        required=False,
        default=dict,
        help_text="Item code -> note.",
    )


class CountyReviewSerializer(serializers.ModelSerializer):
    reviewer = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = CountyReview
        fields = ["id", "decision", "reviewer", "comment", "item_comments", "created_at"]
        read_only_fields = fields


class ReviewRoundSerializer(serializers.ModelSerializer):
    snapshot = serializers.IntegerField(source="snapshot.sequence", read_only=True)
    closed_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    county_review = serializers.SerializerMethodField()

    class Meta:
        model = ReviewRound
        fields = [
            "id",
            "stage",
            "number",
            "snapshot",
            "outcome",
            "opened_at",
            "closed_at",
            "closed_by",
            "county_review",
        ]
        read_only_fields = fields

    @extend_schema_field(CountyReviewSerializer(allow_null=True))
    def get_county_review(self, obj: ReviewRound):
        county = getattr(obj, "county", None)
        return CountyReviewSerializer(county).data if county else None


class ExpertSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="first_name", read_only=True)
    home_region = serializers.SerializerMethodField()
    employer = serializers.SerializerMethodField()
    specialty = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "home_region", "employer", "specialty"]
        read_only_fields = fields

    def _profile(self, obj: User) -> ExpertProfile | None:
        return getattr(obj, "expert_profile", None)

    def get_home_region(self, obj: User) -> str | None:
        profile = self._profile(obj)
        return profile.home_region.code if profile else None

    def get_employer(self, obj: User) -> int | None:
        profile = self._profile(obj)
        return profile.employer_id if profile else None

    def get_specialty(self, obj: User) -> str:
        profile = self._profile(obj)
        return profile.specialty if profile else ""


class PanelMemberSerializer(serializers.ModelSerializer):
    expert = serializers.IntegerField(source="expert_id", read_only=True)
    username = serializers.CharField(source="expert.username", read_only=True)
    assigned_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = ExpertAssignment
        fields = ["id", "expert", "username", "role", "assigned_by", "created_at"]
        read_only_fields = fields


class PanelAssignSerializer(serializers.Serializer):
    lead = IdField(help_text="The panel lead's user id.")
    members = serializers.ListField(child=IdField(), required=False, default=list, max_length=50)


class ExpertGradeSerializer(serializers.ModelSerializer):
    expert = serializers.IntegerField(source="review.expert_id", read_only=True)
    role = serializers.CharField(source="review.assignment.role", read_only=True)
    submitted = serializers.BooleanField(source="review.is_submitted", read_only=True)

    class Meta:
        model = ExpertItemGrade
        fields = [
            "id",
            "expert",
            "role",
            "submitted",
            "item_code",
            "grade",
            "finding",
            "onsite_note",
            "evidence_checked",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class ExpertGradeInputSerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=ItemGrade.Value.choices)
    finding = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    onsite_note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    evidence_checked = serializers.ListField(
        child=IdField(), required=False, default=list, max_length=1000
    )
    version = IdField(required=False, help_text="The row's version read; stale: 409.")


class ExpertReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExpertReview
        fields = ["id", "expert", "round", "created_at", "submitted_at"]
        read_only_fields = fields


class ConsolidationSerializer(serializers.ModelSerializer):
    lead = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = Consolidation
        fields = ["id", "round", "lead", "status", "reopened_from", "created_at", "completed_at"]
        read_only_fields = fields


class ConsolidatedGradeSerializer(serializers.ModelSerializer):
    needs_reason = serializers.BooleanField(read_only=True)

    class Meta:
        model = ConsolidatedGrade
        fields = [
            "item_code",
            "position",
            "self_grade",
            "expert_grades",
            "majority_grade",
            "disagreement",
            "final_grade",
            "reason",
            "needs_reason",
            "updated_at",
        ]
        read_only_fields = fields


class ConsolidatedGradeInputSerializer(serializers.Serializer):
    final_grade = serializers.ChoiceField(choices=ItemGrade.Value.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class ResultSerializer(serializers.ModelSerializer):
    computed_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = AssessmentResult
        fields = [
            "id",
            "consolidation",
            "computed_level",
            "rule_sets",
            "inputs",
            "evaluation",
            "gap_plan",
            "agreement_self_review",
            "agreement_experts",
            "computed_by",
            "created_at",
        ]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    officer = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    is_override = serializers.BooleanField(read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "assessment",
            "result",
            "computed_level",
            "decided_level",
            "is_override",
            "override_reason",
            "officer",
            "batch_id",
            "created_at",
        ]
        read_only_fields = fields


class DecisionInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=Level.choices,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text='Omit or null to confirm the computed level; another level, or "" for '
        "none, overrides it and needs override_reason.",
    )
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class BatchDecisionSerializer(DecisionInputSerializer):
    assessment = IdField()


class BatchDecisionsSerializer(serializers.Serializer):
    # With many=True DRF hands max_length to the ListSerializer; the stubs do not know.
    decisions = BatchDecisionSerializer(  # type: ignore[call-arg]
        many=True, allow_empty=False, max_length=500
    )


class ExpertPhotoSerializer(serializers.ModelSerializer):
    item_code = serializers.CharField(source="grade.item_code", read_only=True)
    expert = serializers.IntegerField(source="taken_by_id", read_only=True)
    taken_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    sha256 = serializers.CharField(source="evidence.sha256", read_only=True)
    size = serializers.IntegerField(source="evidence.size", read_only=True)
    content_type = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ExpertPhoto
        fields = [
            "id",
            "item_code",
            "expert",
            "taken_by",
            "sha256",
            "size",
            "content_type",
            "caption",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    def get_content_type(self, obj: ExpertPhoto) -> str:
        return CONTENT_TYPES[obj.evidence.file_type]

    def get_url(self, obj: ExpertPhoto) -> str:
        return reverse(
            "api:expert-photo-file", kwargs={"assessment_id": obj.assessment_id, "pk": obj.pk}
        )


class ExpertPhotoUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, max_length=1000)
    caption = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)

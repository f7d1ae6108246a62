"""Assessments, their checklist, evidence, returns, snapshots and results."""

from __future__ import annotations

import copy
from typing import ClassVar

from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from accreditation.core.api import IdField
from accreditation.models import (
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    EvidenceAttachment,
    ItemGrade,
    User,
)
from accreditation.selectors.evidence import (
    EXPIRED,
    EXPIRES_SOON,
    EXPIRY_WARNING_DAYS,
    expiry_state,
)
from standards.api.serializers import (
    CriterionSerializer,
    EvaluationSerializer,
    FactsSerializer,
    GapPlanSerializer,
)
from standards.models import Edition, Level


class CycleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    name = serializers.CharField()


class InstitutionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class AssessmentSerializer(serializers.ModelSerializer):
    cycle = CycleRefSerializer(read_only=True)
    institution = InstitutionRefSerializer(read_only=True)
    edition = serializers.SlugRelatedField[Edition](slug_field="code", read_only=True)
    is_editable = serializers.BooleanField(read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "cycle",
            "institution",
            "edition",
            "target_level",
            "status",
            "version",
            "is_editable",
            "carried_from",
            "created_at",
            "submitted_at",
        ]
        read_only_fields = fields


class AssessmentOpenSerializer(serializers.Serializer):
    cycle = IdField(help_text="Cycle id.")
    institution = IdField(required=False, help_text="Institution id; defaults to the caller's own.")
    target_level = serializers.ChoiceField(choices=Level.choices)
    carry_forward = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Start from the last accepted grading (proposals to confirm).",
    )


class TargetLevelSerializer(serializers.Serializer):
    target_level = serializers.ChoiceField(choices=Level.choices)
    version = IdField(help_text="The assessment's version read.")


class ItemGradeSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item_code", read_only=True)
    updated_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    _fields_once: ClassVar[dict[str, serializers.Field]]  # set by the first get_fields()

    class Meta:
        model = ItemGrade
        fields = [
            "item",
            "grade",
            "na_reason",
            "metric_value",
            "note",
            "carry",
            "version",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, serializers.Field]:
        # The answer of every item save: introspect the model once per process (a
        # quarter of a millisecond per response otherwise), hand each instance copies.
        cls = type(self)
        if "_fields_once" not in cls.__dict__:
            cls._fields_once = super().get_fields()
        return copy.deepcopy(cls._fields_once)


class ItemGradeInputSerializer(serializers.Serializer):
    """A partial update of one item; omitted values keep their stored value."""

    version = IdField(help_text="The item's version read.")
    grade = serializers.ChoiceField(choices=ItemGrade.Value.choices, required=False)
    na_reason = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    metric_value = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class AttachmentInfoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    file_type = serializers.CharField()
    effective_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)
    revision = serializers.IntegerField()
    replaces = serializers.IntegerField(source="replaces_id", allow_null=True)
    superseded = serializers.BooleanField()
    expired = serializers.BooleanField(help_text="Past its expiry date (today).")
    expires_soon = serializers.BooleanField(
        help_text=f"Expires within {EXPIRY_WARNING_DAYS} days (not yet expired)."
    )


class ChecklistItemSerializer(serializers.Serializer):
    """The catalogue text of one item, as the checklist shows it."""

    code = serializers.CharField()
    title = serializers.CharField()
    chapter = serializers.CharField(source="section.chapter.code")
    section = serializers.CharField(source="section.code")
    tier = serializers.CharField()
    starred = serializers.BooleanField()
    kind = serializers.CharField()
    review_methods = serializers.JSONField()
    evidence_required = serializers.BooleanField()
    evidence_hint = serializers.CharField()
    metric_code = serializers.CharField()
    metric_label = serializers.CharField()
    metric_unit = serializers.CharField()
    criteria = CriterionSerializer(many=True, source="criteria.all")


class MetricSourceSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="Year of the statistical return.")
    sha256 = serializers.CharField(help_text="SHA-256 of the imported file.")
    row = serializers.IntegerField(allow_null=True, help_text="Row of the file.")


class ChecklistRowSerializer(serializers.Serializer):
    item = ChecklistItemSerializer(source="grade.item")
    grade = serializers.CharField(source="grade.grade")
    na_reason = serializers.CharField(source="grade.na_reason")
    metric_value = serializers.DecimalField(
        source="grade.metric_value", max_digits=14, decimal_places=4, allow_null=True
    )
    note = serializers.CharField(source="grade.note")
    carry = serializers.ChoiceField(
        source="grade.carry",
        choices=ItemGrade.Carry.choices,
        help_text="proposed: carried over from the last cycle, to confirm or change; "
        "changed/new: the item changed or is new since, graded afresh.",
    )
    version = serializers.IntegerField(source="grade.version")
    updated_at = serializers.DateTimeField(source="grade.updated_at", allow_null=True)
    auto_not_applicable = serializers.BooleanField()
    metric_source = MetricSourceSerializer(
        allow_null=True,
        help_text="Where an imported metric value came from; null when entered by hand.",
    )
    attachments = AttachmentInfoSerializer(many=True, help_text="The current evidence.")
    history = AttachmentInfoSerializer(many=True, help_text="Superseded revisions, oldest first.")
    review_comment = serializers.CharField()


class AttachmentSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="evidence.sha256", read_only=True)
    size = serializers.IntegerField(source="evidence.size", read_only=True)
    file_type = serializers.CharField(source="evidence.file_type", read_only=True)
    uploaded_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    replaces = serializers.IntegerField(source="replaces_id", read_only=True, allow_null=True)
    superseded = serializers.BooleanField(read_only=True)
    expired = serializers.SerializerMethodField(help_text="Past its expiry date (today).")
    expires_soon = serializers.SerializerMethodField(
        help_text=f"Expires within {EXPIRY_WARNING_DAYS} days (not yet expired)."
    )
    download = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceAttachment
        fields = [
            "id",
            "item_code",
            "name",
            "sha256",
            "size",
            "file_type",
            "uploaded_by",
            "created_at",
            "effective_on",
            "expires_on",
            "revision",
            "replaces",
            "superseded",
            "expired",
            "expires_soon",
            "download",
        ]
        read_only_fields = fields

    def get_expired(self, obj: EvidenceAttachment) -> bool:
        return expiry_state(obj.expires_on, on=timezone.localdate()) == EXPIRED

    def get_expires_soon(self, obj: EvidenceAttachment) -> bool:
        return expiry_state(obj.expires_on, on=timezone.localdate()) == EXPIRES_SOON

    def get_download(self, obj: EvidenceAttachment) -> str:
        return reverse(
            "api:evidence-download",
            kwargs={"assessment_id": obj.assessment_id, "pk": obj.pk},
        )


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, max_length=1000)
    item_codes = serializers.ListField(
        child=serializers.CharField(max_length=20),
        allow_empty=True,
        required=False,
        default=list,
        help_text="Items to attach the file to (repeat the form field).",
    )
    effective_on = serializers.DateField(
        required=False, help_text="When the document takes effect; default today."
    )
    expires_on = serializers.DateField(
        required=False, allow_null=True, help_text="The last day it is valid; default none."
    )


class EvidenceAttachSerializer(serializers.Serializer):
    item_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), allow_empty=True, max_length=1000
    )


class EvidenceReviseSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, max_length=1000)
    effective_on = serializers.DateField(
        required=False, help_text="When the new revision takes effect; default today."
    )
    expires_on = serializers.DateField(
        required=False, allow_null=True, help_text="The last day it is valid; default none."
    )


class EvidenceDatesSerializer(serializers.Serializer):
    effective_on = serializers.DateField()
    expires_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Null: no expiry."
    )


class EvidenceReuseSerializer(serializers.Serializer):
    # Taken out of the class by DRF's metaclass; the stubs see it shadow Field.source.
    source = IdField(  # type: ignore[assignment]
        help_text="An attachment of the institution (any assessment or cycle)."
    )
    item_codes = serializers.ListField(
        child=serializers.CharField(max_length=20), allow_empty=True, max_length=1000
    )


class ReturnSerializer(serializers.ModelSerializer):
    returned_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = AssessmentReturn
        fields = ["id", "from_status", "returned_by", "reason", "item_comments", "created_at"]
        read_only_fields = fields


class ReturnInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=10_000)
    item_comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=10_000),
        required=False,
        default=dict,
        help_text="Item code -> comment.",
    )


class SnapshotSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    provisional_level = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentSnapshot
        fields = ["sequence", "created_at", "created_by", "provisional_level"]
        read_only_fields = fields

    def get_provisional_level(self, obj: AssessmentSnapshot) -> str | None:
        return (obj.data.get("result") or {}).get("level")


class SnapshotDetailSerializer(SnapshotSerializer):
    # A declared field is taken out of the class by DRF's metaclass; the stubs cannot
    # tell and see it shadow Serializer.data.
    data = serializers.JSONField(  # type: ignore[assignment]
        read_only=True, help_text="The frozen submission."
    )

    class Meta(SnapshotSerializer.Meta):
        fields = [*SnapshotSerializer.Meta.fields, "data"]
        read_only_fields = fields


class SubmissionSerializer(serializers.Serializer):
    assessment = AssessmentSerializer()
    snapshot = SnapshotSerializer()


class ChapterProgressSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    total = serializers.IntegerField()
    applicable = serializers.IntegerField()
    answered = serializers.IntegerField()
    not_applicable = serializers.IntegerField()


class ProgressSerializer(serializers.Serializer):
    applicable = serializers.IntegerField()
    answered = serializers.IntegerField()
    complete = serializers.BooleanField()
    chapters = ChapterProgressSerializer(many=True)


class ProvisionalResultSerializer(serializers.Serializer):
    target_level = serializers.CharField()
    level = serializers.CharField(allow_null=True)
    evaluation = EvaluationSerializer()
    gap_plan = GapPlanSerializer()
    facts = FactsSerializer()
    facts_declared = serializers.BooleanField()

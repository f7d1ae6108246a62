"""Record sampling (病历抽查): frozen record lists, samples, their results."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accreditation.models import RecordList, RecordSample, SampledRecord, User
from accreditation.services.sampling import sample_summary


class RecordSerializer(serializers.Serializer):
    id = serializers.CharField()
    date = serializers.CharField()
    department = serializers.CharField()


class RecordListSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    count = serializers.SerializerMethodField()

    class Meta:
        model = RecordList
        fields = ["id", "item_code", "version", "count", "sha256", "uploaded_by", "created_at"]
        read_only_fields = fields

    def get_count(self, obj: RecordList) -> int:
        return len(obj.records)


class RecordListDetailSerializer(RecordListSerializer):
    records = RecordSerializer(many=True, read_only=True)

    class Meta(RecordListSerializer.Meta):
        fields = [*RecordListSerializer.Meta.fields, "records"]
        read_only_fields = fields


class RecordListUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, max_length=1000, help_text="An .xlsx with sheet 病历清单."
    )


class SampledRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = SampledRecord
        fields = ["position", "record_id", "outcome", "note", "updated_at"]
        read_only_fields = fields


class SampleSummarySerializer(serializers.Serializer):
    size = serializers.IntegerField()
    checked = serializers.IntegerField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="Passed among those checked.")


class RecordSampleSerializer(serializers.ModelSerializer):
    drawn_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    expert = serializers.IntegerField(source="drawn_by_id", read_only=True)
    list_version = serializers.IntegerField(source="record_list.version", read_only=True)
    list_sha256 = serializers.CharField(source="record_list.sha256", read_only=True)
    list_count = serializers.SerializerMethodField()
    results = SampledRecordSerializer(many=True, read_only=True)
    summary = serializers.SerializerMethodField()

    class Meta:
        model = RecordSample
        fields = [
            "id",
            "item_code",
            "expert",
            "drawn_by",
            "record_list",
            "list_version",
            "list_sha256",
            "list_count",
            "size",
            "seed",
            "algorithm",
            "drawn",
            "results",
            "summary",
            "created_at",
        ]
        read_only_fields = fields

    def get_list_count(self, obj: RecordSample) -> int:
        return len(obj.record_list.records)

    @extend_schema_field(SampleSummarySerializer)
    def get_summary(self, obj: RecordSample) -> dict:
        summary = sample_summary([r.outcome for r in obj.results.all()])
        return {
            "size": summary.size,
            "checked": summary.checked,
            "passed": summary.passed,
            "failed": summary.failed,
            "rate": summary.rate,
        }


class SampleDrawSerializer(serializers.Serializer):
    size = serializers.IntegerField(min_value=1, max_value=100_000)
    seed = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="Empty: a random seed, stored with the draw.",
    )


class SampledRecordInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["pass", "fail"])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class SampleVerifySerializer(serializers.Serializer):
    reproducible = serializers.BooleanField()
    algorithm = serializers.CharField()
    drawn = serializers.ListField(child=serializers.CharField())

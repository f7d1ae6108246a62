"""Institution facts with provenance, the statistical-return import and challenges."""

from __future__ import annotations

from rest_framework import serializers

from accreditation.models import FACT_KEYS, FactChallenge, FactImport, InstitutionFact


class FactImportSerializer(serializers.ModelSerializer):
    imported_by = serializers.CharField(source="imported_by.username", default=None)
    # Declared, not derived from the columns: the derived bounds differ per database.
    year = serializers.IntegerField(read_only=True)
    rows = serializers.IntegerField(read_only=True)
    values_written = serializers.IntegerField(read_only=True)

    class Meta:
        model = FactImport
        fields = [
            "id",
            "year",
            "file_name",
            "file_format",
            "file_sha256",
            "rows",
            "values_written",
            "imported_by",
            "imported_at",
        ]


class FactSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name")
    licence_number = serializers.CharField(source="institution.licence_number")
    file_sha256 = serializers.CharField(source="fact_import.file_sha256", default=None)
    # Declared, not derived from the columns: the derived bounds differ per database.
    year = serializers.IntegerField(read_only=True)
    source_row = serializers.IntegerField(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = InstitutionFact
        fields = [
            "id",
            "institution",
            "institution_name",
            "licence_number",
            "year",
            "key",
            "value",
            "source",
            "fact_import",
            "file_sha256",
            "source_row",
            "challenge",
            "version",
            "recorded_at",
        ]


class FactInputSerializer(serializers.Serializer):
    institution = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    key = serializers.ChoiceField(choices=FACT_KEYS)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)


class FactImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The return as .xlsx or .csv (by file name).")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    dry_run = serializers.BooleanField(default=False, help_text="Check everything, write nothing.")


class FactImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    metrics = serializers.IntegerField()
    dry_run = serializers.BooleanField()
    fact_import = FactImportSerializer(allow_null=True)


class ChallengeSerializer(serializers.ModelSerializer):
    key = serializers.CharField(source="fact.key")
    year = serializers.IntegerField(source="fact.year")
    institution = serializers.IntegerField(source="fact.institution_id")
    institution_name = serializers.CharField(source="fact.institution.name")
    raised_by = serializers.CharField(source="raised_by.username")
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = FactChallenge
        fields = [
            "id",
            "fact",
            "key",
            "year",
            "institution",
            "institution_name",
            "status",
            "disputed_value",
            "proposed_value",
            "reason",
            "raised_by",
            "raised_at",
            "due_on",
            "decided_by",
            "decided_at",
            "comment",
        ]


class ChallengeInputSerializer(serializers.Serializer):
    fact = serializers.IntegerField(min_value=1)
    proposed_value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    reason = serializers.CharField(max_length=2000)


class ChallengeDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

"""Regions, institutions and their facts, cycles."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from accreditation.api.serializers.common import RegionRefSerializer
from accreditation.core.api import IdField
from accreditation.models import (
    Cycle,
    CycleDeadline,
    CycleStandard,
    Institution,
    InstitutionFacts,
    Region,
    Stage,
    User,
)
from standards.models import Edition, Level, RuleSet


class RegionSerializer(serializers.ModelSerializer):
    # Declared fields leave the class (DRF's metaclass): no clash with Field.parent.
    parent = serializers.SlugRelatedField[Region](  # type: ignore[assignment]
        slug_field="code", read_only=True
    )

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "path"]
        read_only_fields = fields


class RegionCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)
    name = serializers.CharField(max_length=100)
    level = serializers.ChoiceField(choices=Region.Level.choices)
    parent = serializers.SlugRelatedField(  # type: ignore[assignment]  # as above
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )


class InstitutionSerializer(serializers.ModelSerializer):
    region = RegionRefSerializer(read_only=True)

    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "kind",
            "category_code",
            "licence_number",
            "region",
            "address",
            "contact_name",
            "contact_phone",
            "contact_email",
            "created_at",
        ]
        read_only_fields = fields


class InstitutionCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Institution.Kind.choices)
    licence_number = serializers.CharField(max_length=60)
    region = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    contact_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)


class FactsRecordSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = InstitutionFacts
        fields = [
            "id",
            "effective_from",
            "medical_staff",
            "service_population",
            "beds",
            "inpatient_ward",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class FactsInputSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    medical_staff = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
    service_population = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
    beds = serializers.IntegerField(min_value=0, max_value=2_000_000_000)
    inpatient_ward = serializers.BooleanField()


class CycleStandardSerializer(serializers.ModelSerializer):
    edition = serializers.SlugRelatedField[Edition](slug_field="code", read_only=True)
    rule_sets = serializers.SerializerMethodField()

    class Meta:
        model = CycleStandard
        fields = ["kind", "edition", "rule_sets"]
        read_only_fields = fields

    def get_rule_sets(self, obj: CycleStandard) -> dict[str, int | None]:
        return {
            "qualified": obj.qualified_rule_set_id,
            "basic": obj.basic_rule_set_id,
            "recommended": obj.recommended_rule_set_id,
        }


class DeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = CycleDeadline
        fields = ["stage", "due_on"]
        read_only_fields = fields


class CycleSerializer(serializers.ModelSerializer):
    province = RegionRefSerializer(read_only=True)
    standards = CycleStandardSerializer(many=True, read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "year",
            "name",
            "province",
            "status",
            "county_review_enabled",
            "basic_confirmed_by",
            "notice_days",
            "validity_years",
            "created_at",
            "standards",
            "deadlines",
        ]
        read_only_fields = fields


class CycleCreateSerializer(serializers.Serializer):
    province = serializers.SlugRelatedField(slug_field="code", queryset=Region.objects.all())
    year = serializers.IntegerField(min_value=2018, max_value=2100)
    name = serializers.CharField(max_length=200)
    county_review_enabled = serializers.BooleanField(default=True)
    basic_confirmed_by = serializers.ChoiceField(
        choices=Cycle.Confirmer.choices, default=Cycle.Confirmer.PROVINCE
    )
    notice_days = serializers.IntegerField(default=7, min_value=0, max_value=365)
    validity_years = serializers.IntegerField(default=3, min_value=0, max_value=100)


class CycleStandardInputSerializer(serializers.Serializer):
    edition = serializers.SlugRelatedField(slug_field="code", queryset=Edition.objects.all())
    rule_sets = serializers.DictField(
        child=serializers.PrimaryKeyRelatedField(
            queryset=RuleSet.objects.all(), pk_field=IdField()
        ),
        help_text="Level (qualified, basic, recommended) -> rule set id.",
    )

    def validate_rule_sets(self, value):
        unknown = sorted(set(value) - set(Level.values))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown levels: %(levels)s") % {"levels": ", ".join(unknown)}
            )
        return value


class DeadlineInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    due_on = serializers.DateField()

from __future__ import annotations

from rest_framework import serializers

from standards.models import Chapter, Criterion, Edition, Item, Level, RuleSet, Section
from standards.services.rulesets import CONTENT_FIELDS

# --- catalogue --------------------------------------------------------------------------


class EditionSerializer(serializers.ModelSerializer):
    items = serializers.IntegerField(source="item_count", read_only=True)

    class Meta:
        model = Edition
        fields = [
            "code",
            "kind",
            "year",
            "title",
            "status",
            "provisional",
            "source_note",
            "published_at",
            "items",
        ]
        read_only_fields = fields


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["code", "title", "position"]
        read_only_fields = fields


class ChapterSerializer(serializers.ModelSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta:
        model = Chapter
        fields = ["code", "title", "position", "sections"]
        read_only_fields = fields


class EditionDetailSerializer(EditionSerializer):
    chapters = ChapterSerializer(many=True, read_only=True)

    class Meta(EditionSerializer.Meta):
        fields = [*EditionSerializer.Meta.fields, "chapters"]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["grade", "text", "steps", "threshold_operator", "threshold_value"]
        read_only_fields = fields


class ItemSerializer(serializers.ModelSerializer):
    chapter = serializers.CharField(source="section.chapter.code", read_only=True)
    section = serializers.CharField(source="section.code", read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Item
        fields = [
            "code",
            "title",
            "chapter",
            "section",
            "position",
            "tier",
            "starred",
            "kind",
            "review_methods",
            "applicability",
            "evidence_required",
            "evidence_hint",
            "metric_code",
            "metric_label",
            "metric_unit",
            "criteria",
        ]
        read_only_fields = fields


class RuleSetSerializer(serializers.ModelSerializer):
    edition = serializers.CharField(source="edition.code", read_only=True)

    class Meta:
        model = RuleSet
        fields = [
            "id",
            "edition",
            "level",
            "province_code",
            "version",
            "status",
            # What a rule set decides: the fields a new version may change.
            *CONTENT_FIELDS,
            "published_at",
        ]
        read_only_fields = fields


# --- scoring results (the dictionaries of standards.scoring's ``as_dict``) ---------------


class TierTallySerializer(serializers.Serializer):
    applicable = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    none = serializers.IntegerField()
    C_or_better = serializers.IntegerField()
    B_or_better = serializers.IntegerField()
    A = serializers.IntegerField()
    share_C_or_better = serializers.FloatField()
    share_B_or_better = serializers.FloatField()
    share_A = serializers.FloatField()


class TallySerializer(serializers.Serializer):
    basic = TierTallySerializer()
    recommended = TierTallySerializer()


class SharesSerializer(serializers.Serializer):
    overall = TallySerializer()
    chapters = serializers.DictField(child=TallySerializer(), help_text="Per chapter code.")


class ConditionResultSerializer(serializers.Serializer):
    level = serializers.CharField()
    condition = serializers.CharField(
        help_text="eligibility, basic_C, basic_B, basic_A, recommended_C or must_pass."
    )
    passed = serializers.BooleanField()
    # Declared fields leave the class (DRF's metaclass): no clash with Field.required.
    required = serializers.FloatField(  # type: ignore[assignment]
        required=False, help_text="Share conditions only."
    )
    actual = serializers.FloatField(required=False)
    required_count = serializers.IntegerField(required=False)
    actual_count = serializers.IntegerField(required=False)
    denominator = serializers.IntegerField(required=False)
    items = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class LevelResultSerializer(serializers.Serializer):
    level = serializers.CharField()
    reached = serializers.BooleanField()
    eligible = serializers.BooleanField()
    rule_version = serializers.IntegerField()
    rule_set_id = serializers.IntegerField(allow_null=True)
    conditions = ConditionResultSerializer(many=True)


class EvaluationSerializer(serializers.Serializer):
    edition = serializers.CharField()
    level = serializers.CharField(allow_null=True, help_text="Highest level reached, or null.")
    shares = SharesSerializer()
    levels = LevelResultSerializer(many=True)
    reasons = serializers.ListField(child=serializers.CharField())
    auto_not_applicable = serializers.ListField(child=serializers.CharField())


UpgradeSerializer = type(
    "UpgradeSerializer",
    (serializers.Serializer,),
    {
        "__module__": __name__,
        "item": serializers.CharField(),
        # "from" is a keyword: declared through the class dictionary.
        "from": serializers.CharField(),
        "to": serializers.CharField(),
    },
)


class GapPlanSerializer(serializers.Serializer):
    target = serializers.CharField(allow_null=True)
    reachable = serializers.BooleanField()
    upgrades = UpgradeSerializer(many=True)
    items = serializers.IntegerField()
    steps = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)


class FactsSerializer(serializers.Serializer):
    medical_staff = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    service_population = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    beds = serializers.IntegerField(allow_null=True, required=False, min_value=0)
    inpatient_ward = serializers.BooleanField(allow_null=True, required=False)


class RuleSetRefSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    id = serializers.IntegerField(allow_null=True)
    provisional = serializers.BooleanField()


class WhatIfResultSerializer(EvaluationSerializer):
    """The output of ``manage.py evaluate``."""

    facts = FactsSerializer()
    rule_sets = serializers.DictField(child=RuleSetRefSerializer(), help_text="Per level.")
    gap_plan = GapPlanSerializer()


class WhatIfInputSerializer(serializers.Serializer):
    grades = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text="Item code -> none, C, B, A or NA; missing items count as none.",
    )
    facts = FactsSerializer(required=False, help_text="Each fact optional.")
    province_code = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=12
    )
    target = serializers.ChoiceField(
        choices=Level.choices, required=False, allow_null=True, default=None
    )


# --- administration --------------------------------------------------------------------


class CatalogueImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        max_length=255,
        help_text="An edition or rule-set file: YAML, JSON or Excel (docs/catalogue-format.md).",
    )


class ImportResultSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=["created", "replaced", "updated", "unchanged"])
    summary = serializers.CharField()
    created = serializers.IntegerField()
    changed = serializers.IntegerField()


class EditionCloneSerializer(serializers.Serializer):
    new_code = serializers.CharField(max_length=40)


class ExportQuerySerializer(serializers.Serializer):
    file_format = serializers.ChoiceField(choices=["yaml", "json", "xlsx"], default="yaml")

"""FilterSets of every list. Region filters take a division code and match the region
and everything below it."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accreditation.models import (
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    AuditEvent,
    Cycle,
    EvidenceAttachment,
    Institution,
    InstitutionFacts,
    ItemGrade,
    Region,
    User,
)


@extend_schema_field(OpenApiTypes.STR)
class WithinRegionFilter(filters.ModelChoiceFilter):
    """A division code; matches objects in that region or below it."""

    def __init__(self, *args, path_field: str, **kwargs):
        kwargs.setdefault("queryset", Region.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("help_text", "Division code: this region and everything below it.")
        super().__init__(*args, **kwargs)
        self.path_field = path_field

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"{self.path_field}__startswith": value.path})


class RegionFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent__code", help_text="Parent division code.")
    within = WithinRegionFilter(path_field="path")
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["code", "level", "parent", "within", "name"]


class InstitutionFilter(filters.FilterSet):
    region = WithinRegionFilter(path_field="region__path")
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Institution
        fields = ["kind", "category_code", "licence_number", "region", "name"]


class FactsFilter(filters.FilterSet):
    effective_from = filters.DateFromToRangeFilter()

    class Meta:
        model = InstitutionFacts
        fields = ["effective_from"]


class CycleFilter(filters.FilterSet):
    province = filters.CharFilter(field_name="province__code", help_text="Province code.")

    class Meta:
        model = Cycle
        fields = ["year", "province", "status"]


class AssessmentFilter(filters.FilterSet):
    institution = filters.NumberFilter(field_name="institution_id", help_text="Institution id.")
    year = filters.NumberFilter(field_name="cycle__year")
    edition = filters.CharFilter(field_name="edition__code")
    region = WithinRegionFilter(path_field="institution__region__path")
    status = filters.MultipleChoiceFilter(choices=Assessment.Status.choices)
    submitted_at = filters.IsoDateTimeFromToRangeFilter()

    class Meta:
        model = Assessment
        fields = [
            "cycle",
            "year",
            "institution",
            "edition",
            "region",
            "status",
            "target_level",
            "submitted_at",
        ]


class ItemGradeFilter(filters.FilterSet):
    code = filters.CharFilter(field_name="item_code")
    chapter = filters.CharFilter(field_name="item__section__chapter__code")
    section = filters.CharFilter(field_name="item__section__code")
    tier = filters.CharFilter(field_name="item__tier")
    graded = filters.BooleanFilter(
        method="filter_graded", help_text="true: items with a grade; false: ungraded ones."
    )

    class Meta:
        model = ItemGrade
        fields = ["code", "chapter", "section", "tier", "grade", "graded"]

    def filter_graded(self, qs, name, value):
        ungraded = {"grade": ItemGrade.Value.UNGRADED}
        return qs.exclude(**ungraded) if value else qs.filter(**ungraded)


class AttachmentFilter(filters.FilterSet):
    file_type = filters.CharFilter(field_name="evidence__file_type")

    class Meta:
        model = EvidenceAttachment
        fields = ["item_code", "file_type"]


class ReturnFilter(filters.FilterSet):
    class Meta:
        model = AssessmentReturn
        fields = ["from_status"]


class SnapshotFilter(filters.FilterSet):
    class Meta:
        model = AssessmentSnapshot
        fields = ["sequence"]


class AuditEventFilter(filters.FilterSet):
    actor = filters.CharFilter(field_name="actor__username", help_text="User name.")
    created_at = filters.IsoDateTimeFromToRangeFilter()

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "target_type", "target_id", "created_at"]


class UserFilter(filters.FilterSet):
    institution = filters.NumberFilter(field_name="institution_id", help_text="Institution id.")
    region = WithinRegionFilter(path_field="region__path")

    class Meta:
        model = User
        fields = ["username", "role", "institution", "region", "is_active"]

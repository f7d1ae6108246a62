"""FilterSets of every list. Region filters take a division code and match the region
and everything below it."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from viewflow.workflow.models import Task

from accreditation.core.api import FilterSet, IdFilter
from accreditation.models import (
    INSTITUTION_OWES,
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    AuditEvent,
    CertificateBatch,
    CertificateRecord,
    ConsistencyCheck,
    ConsolidatedGrade,
    Cycle,
    Decision,
    EvidenceAttachment,
    ExpertAssignment,
    ExpertItemGrade,
    ExpertPhoto,
    FactChallenge,
    Finding,
    Institution,
    InstitutionFact,
    InstitutionFacts,
    ItemGrade,
    LookBack,
    Objection,
    PublicNotice,
    Recognition,
    Reduction,
    Region,
    ReviewRound,
    User,
)
from workflows import driver
from workflows.steps import COUNTY_STEPS, INSTITUTION_STEPS, OFFICER_STEPS, PERSONAL_STEPS, Step


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


class RegionFilter(FilterSet):
    parent = filters.CharFilter(field_name="parent__code", help_text="Parent division code.")
    within = WithinRegionFilter(path_field="path")
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["code", "level", "parent", "within", "name"]


class InstitutionFilter(FilterSet):
    region = WithinRegionFilter(path_field="region__path")
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Institution
        fields = ["kind", "category_code", "licence_number", "region", "name"]


class FactsFilter(FilterSet):
    effective_from = filters.DateFromToRangeFilter()

    class Meta:
        model = InstitutionFacts
        fields = ["effective_from"]


class CycleFilter(FilterSet):
    province = filters.CharFilter(field_name="province__code", help_text="Province code.")

    class Meta:
        model = Cycle
        fields = ["year", "province", "status"]


class AssessmentFilter(FilterSet):
    institution = IdFilter(field_name="institution_id", help_text="Institution id.")
    year = IdFilter(field_name="cycle__year")
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


class ItemGradeFilter(FilterSet):
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


class AttachmentFilter(FilterSet):
    file_type = filters.CharFilter(field_name="evidence__file_type")
    current = filters.BooleanFilter(
        field_name="replaced_at",
        lookup_expr="isnull",
        label="True: the current evidence only; false: superseded revisions only.",
    )

    class Meta:
        model = EvidenceAttachment
        fields = ["item_code", "file_type", "current"]


class ReturnFilter(FilterSet):
    class Meta:
        model = AssessmentReturn
        fields = ["from_status"]


class SnapshotFilter(FilterSet):
    class Meta:
        model = AssessmentSnapshot
        fields = ["sequence"]


class AuditEventFilter(FilterSet):
    actor = filters.CharFilter(field_name="actor__username", help_text="User name.")
    created_at = filters.IsoDateTimeFromToRangeFilter()

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "target_type", "target_id", "created_at"]


class UserFilter(FilterSet):
    institution = IdFilter(field_name="institution_id", help_text="Institution id.")
    region = WithinRegionFilter(path_field="region__path")

    class Meta:
        model = User
        fields = ["username", "role", "institution", "region", "is_active"]


# --- the review process -------------------------------------------------------------


#: The human steps, by who takes them (the order of the schema's enum).
STEPS = [*COUNTY_STEPS, *INSTITUTION_STEPS, *OFFICER_STEPS, *PERSONAL_STEPS]


class TaskFilter(FilterSet):
    step = filters.ChoiceFilter(choices=[(s.value, s.value) for s in STEPS], method="filter_step")
    assessment = IdFilter(field_name="process__assessmentprocess__assessment_id")

    class Meta:
        model = Task
        fields = ["step", "assessment"]

    def filter_step(self, qs, name, value):
        return qs.filter(flow_task__in=driver.nodes(Step(value)))


class ExpertFilter(FilterSet):
    home_region = WithinRegionFilter(path_field="expert_profile__home_region__path")
    specialty = filters.CharFilter(field_name="expert_profile__specialty", lookup_expr="icontains")

    class Meta:
        model = User
        fields = ["username", "home_region", "specialty"]


class RoundFilter(FilterSet):
    class Meta:
        model = ReviewRound
        fields = ["stage", "outcome"]


class PanelFilter(FilterSet):
    class Meta:
        model = ExpertAssignment
        fields = ["role"]


class ExpertGradeFilter(FilterSet):
    expert = IdFilter(field_name="review__expert_id", help_text="Expert user id.")

    class Meta:
        model = ExpertItemGrade
        fields = ["expert", "item_code", "grade"]


class ExpertPhotoFilter(FilterSet):
    expert = IdFilter(field_name="taken_by_id", help_text="Expert user id.")
    item_code = filters.CharFilter(field_name="grade__item_code")

    class Meta:
        model = ExpertPhoto
        fields = ["expert", "item_code"]


class ConsolidatedGradeFilter(FilterSet):
    class Meta:
        model = ConsolidatedGrade
        fields = ["item_code", "disagreement", "final_grade"]


class DecisionFilter(FilterSet):
    class Meta:
        model = Decision
        fields = ["decided_level", "batch_id"]


# --- notices, recognitions, checks --------------------------------------------------


class NoticeFilter(FilterSet):
    region = WithinRegionFilter(path_field="region__path")

    class Meta:
        model = PublicNotice
        fields = ["cycle", "region", "status", "document_number"]


class ObjectionFilter(FilterSet):
    assessment = IdFilter(field_name="entry__assessment_id")

    class Meta:
        model = Objection
        fields = ["assessment", "status"]


class RecognitionFilter(FilterSet):
    region = WithinRegionFilter(path_field="institution__region__path")
    institution = IdFilter(field_name="institution_id", help_text="Institution id.")

    class Meta:
        model = Recognition
        fields = ["cycle", "institution", "region", "level", "status"]


class CertificateFilter(FilterSet):
    institution = IdFilter(field_name="recognition__institution_id", help_text="Institution id.")

    class Meta:
        model = CertificateRecord
        fields = ["number", "status", "institution"]


class CertificateBatchFilter(FilterSet):
    class Meta:
        model = CertificateBatch
        fields = ["notice", "status"]


class LookBackFilter(FilterSet):
    class Meta:
        model = LookBack
        fields = ["outcome"]


class CheckFilter(FilterSet):
    region = WithinRegionFilter(path_field="region__path")

    class Meta:
        model = ConsistencyCheck
        fields = ["cycle", "region", "status"]


class ReductionFilter(FilterSet):
    region = WithinRegionFilter(path_field="region__path")

    class Meta:
        model = Reduction
        fields = ["region", "check_run"]


class InstitutionFactFilter(FilterSet):
    institution = IdFilter(field_name="institution_id", help_text="Institution id.")
    region = WithinRegionFilter(path_field="institution__region__path")

    class Meta:
        model = InstitutionFact
        fields = ["institution", "region", "year", "key", "source"]


class FactChallengeFilter(FilterSet):
    institution = IdFilter(field_name="fact__institution_id", help_text="Institution id.")
    overdue = filters.BooleanFilter(
        method="filter_overdue", help_text="Only open challenges past their answer date."
    )

    class Meta:
        model = FactChallenge
        fields = ["institution", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        q = Q(status=FactChallenge.Status.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)


class FindingFilter(FilterSet):
    assessment = IdFilter(field_name="assessment_id", help_text="Assessment id.")
    institution = IdFilter(field_name="assessment__institution_id", help_text="Institution id.")
    cycle = IdFilter(field_name="assessment__cycle_id", help_text="Cycle id.")
    region = WithinRegionFilter(path_field="assessment__institution__region__path")
    status = filters.MultipleChoiceFilter(choices=Finding.Status.choices)
    source = filters.MultipleChoiceFilter(choices=Finding.Source.choices)
    overdue = filters.BooleanFilter(
        method="filter_overdue", help_text="Only findings whose next step is past its date."
    )

    class Meta:
        model = Finding
        fields = ["assessment", "institution", "cycle", "region", "status", "source", "overdue"]

    def filter_overdue(self, queryset, name, value):
        q = Q(status__in=INSTITUTION_OWES, due_on__lt=timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)

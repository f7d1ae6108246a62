"""Django admin for administrators: browse everything, edit only descriptive fields.

Structural changes (new regions, institutions, users, cycles; anything in an
assessment's life) go through the services, which check permissions and transitions.
What the admin may still change is recorded in the audit log like any other change,
and nothing can be deleted here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from accreditation.core.audit import audit_record
from accreditation.models import (
    Assessment,
    AssessmentResult,
    AssessmentSnapshot,
    AuditEvent,
    CertificateRecord,
    ConflictPolicy,
    ConsistencyCheck,
    Consolidation,
    Cycle,
    CycleDeadline,
    CycleStandard,
    DeadlineNotice,
    Decision,
    Evidence,
    ExpertAssignment,
    ExpertProfile,
    Institution,
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


def _json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set) or hasattr(value, "__iter__"):
        return [_json(v) for v in value]
    return str(value)


class AuditedAdmin(admin.ModelAdmin):
    """Records every admin save in the audit log; never deletes."""

    def save_model(self, request, obj, form, change):
        changed = list(form.changed_data)
        before = {name: _json(form.initial.get(name)) for name in changed} if change else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"admin.{obj._meta.model_name}.{'change' if change else 'add'}",
            target=obj,
            before=before,
            after={name: _json(form.cleaned_data.get(name)) for name in changed},
        )

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browse only: these records change through the services and the workflow."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    readonly_fields = ("code", "level", "parent", "path")
    list_select_related = ("parent",)

    def has_add_permission(self, request):
        return False


class FactsInline(admin.TabularInline):
    model = InstitutionFacts
    extra = 0
    can_delete = False
    readonly_fields = (
        "effective_from",
        "medical_staff",
        "service_population",
        "beds",
        "inpatient_ward",
        "recorded_by",
    )

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Institution)
class InstitutionAdmin(AuditedAdmin):
    list_display = ("name", "kind", "licence_number", "category_code", "region")
    list_filter = ("kind", "category_code")
    search_fields = ("name", "licence_number")
    readonly_fields = ("kind", "licence_number", "category_code", "region")
    list_select_related = ("region",)
    inlines = [FactsInline]

    def has_add_permission(self, request):
        return False


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "institution", "region", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("institution", "region")
    readonly_fields = ("role", "institution", "region", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "institution", "region")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )

    def has_add_permission(self, request):
        return False


@admin.register(ExpertProfile)
class ExpertProfileAdmin(ReadOnlyAdmin):
    list_display = ("user", "employer", "home_region", "specialty")
    list_select_related = ("user", "employer", "home_region")


class CycleStandardInline(admin.TabularInline):
    model = CycleStandard
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CycleDeadlineInline(admin.TabularInline):
    model = CycleDeadline
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ("name", "year", "province", "status", "county_review_enabled")
    list_filter = ("status", "year")
    inlines = [CycleStandardInline, CycleDeadlineInline]


class ItemGradeInline(admin.TabularInline):
    model = ItemGrade
    fields = ("item_code", "grade", "na_reason", "metric_value", "note", "version")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("institution", "cycle", "target_level", "status", "submitted_at")
    list_filter = ("status", "target_level", "cycle")
    search_fields = ("institution__name",)
    list_select_related = ("institution", "cycle")
    inlines = [ItemGradeInline]


@admin.register(AssessmentSnapshot)
class AssessmentSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "created_at")
    list_select_related = ("assessment__institution",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("sha256", "size", "file_type", "original_name")
    search_fields = ("sha256",)


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "expert", "role", "created_at")
    list_select_related = ("assessment__institution", "expert")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "target_type", "target_id", "target_label")
    list_filter = ("action", "target_type")
    search_fields = ("target_label", "action", "target_id")
    list_select_related = ("actor",)
    date_hierarchy = "created_at"


# The review workflow: browse only, except the provinces' conflict-of-interest rules.


@admin.register(ConflictPolicy)
class ConflictPolicyAdmin(AuditedAdmin):
    list_display = ("province", "same_institution", "same_county", "declared", "previous_cycle")

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and getattr(request.user, "role", "") == "administrator"

    has_add_permission = has_change_permission


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "stage", "number", "outcome", "opened_at", "closed_by")
    list_filter = ("stage", "outcome")
    list_select_related = ("assessment__institution", "closed_by")


@admin.register(Consolidation)
class ConsolidationAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "lead", "status", "created_at", "completed_at")
    list_select_related = ("assessment__institution", "lead")


@admin.register(AssessmentResult)
class AssessmentResultAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "computed_level", "created_at")
    list_select_related = ("assessment__institution",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "computed_level", "decided_level", "officer", "batch_id")
    list_select_related = ("assessment__institution", "officer")


@admin.register(PublicNotice)
class PublicNoticeAdmin(ReadOnlyAdmin):
    list_display = ("document_number", "region", "starts_on", "ends_on", "status")
    list_select_related = ("region",)


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("notice", "entry", "received_on", "status", "resolved_by")
    list_select_related = ("notice", "resolved_by")


@admin.register(Recognition)
class RecognitionAdmin(ReadOnlyAdmin):
    list_display = ("institution", "cycle", "level", "status", "valid_until")
    list_filter = ("level", "status", "cycle")
    search_fields = ("institution__name", "notice_document_number")
    list_select_related = ("institution", "cycle")


@admin.register(CertificateRecord)
class CertificateRecordAdmin(ReadOnlyAdmin):
    list_display = ("number", "version", "status", "issued_at")
    search_fields = ("number",)


@admin.register(ConsistencyCheck)
class ConsistencyCheckAdmin(ReadOnlyAdmin):
    list_display = ("region", "cycle", "sample_share", "population", "status")
    list_select_related = ("region", "cycle")


@admin.register(Reduction)
class ReductionAdmin(ReadOnlyAdmin):
    list_display = ("region", "applied_by", "applied_at")
    list_select_related = ("region", "applied_by")


@admin.register(LookBack)
class LookBackAdmin(ReadOnlyAdmin):
    list_display = ("recognition", "outcome", "recorded_by", "recorded_at")
    list_select_related = ("recognition__institution", "recorded_by")


@admin.register(DeadlineNotice)
class DeadlineNoticeAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "stage", "kind", "due_on", "recipient", "created_at")
    list_filter = ("stage", "kind")
    list_select_related = ("assessment__institution", "recipient")

"""Admin for the catalogue. Everything is browsable; an edition's tree and a rule set
are editable only while they are drafts (otherwise the pages are read-only and nothing
can be deleted). Publishing, retiring and cloning go through ``standards.services``;
direct edits of drafts are audited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accreditation.core.audit import AuditAction, audit_record
from standards.models import Chapter, Criterion, Edition, Item, PublicationStatus, RuleSet, Section
from standards.services import (
    edition_clone,
    edition_publish,
    edition_retire,
    ruleset_publish,
    ruleset_retire,
)


def _edition_of(obj: Model) -> Edition | RuleSet:
    """The object whose status decides whether ``obj`` may be edited."""
    if isinstance(obj, Edition | RuleSet):
        return obj
    if isinstance(obj, Chapter | Item):
        return obj.edition
    if isinstance(obj, Section):
        return obj.chapter.edition
    if isinstance(obj, Criterion):
        return obj.item.edition
    raise TypeError(f"not a catalogue object: {obj!r}")


def is_editable(obj: Model | None) -> bool:
    return obj is None or _edition_of(obj).status == PublicationStatus.DRAFT


def _actor(request: HttpRequest) -> AbstractBaseUser | None:
    """The staff member acting (the admin lets no anonymous visitor this far)."""
    return request.user if isinstance(request.user, AbstractBaseUser) else None


def _audit(request: HttpRequest, obj: Model, verb: str, fields: list[str] | None = None) -> None:
    audit_record(
        actor=_actor(request),
        # One member per catalogue model and verb: a model without them fails here.
        action=AuditAction(f"{obj._meta.model_name}.admin_{verb}"),
        target=obj,
        after={"fields": fields} if fields is not None else None,
        note="admin",
    )


class DraftOnlyMixin(admin.options.BaseModelAdmin):
    """Change and delete only while the governing edition or rule set is a draft."""

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and is_editable(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and is_editable(obj)


class DraftOnlyInline(DraftOnlyMixin, admin.options.InlineModelAdmin):
    """For inlines ``obj`` is the parent being edited."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_add_permission(request, obj) and is_editable(obj)


class CatalogueAdmin(DraftOnlyMixin, admin.ModelAdmin):
    """Audits every add, change and delete made through the admin."""

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would skip the draft check
        return actions

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit(request, obj, "change" if change else "add", list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        _audit(request, obj, "delete")
        super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                _audit(request, deleted.instance, "delete")
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            _audit(request, obj, "add")
        for obj, fields in formset.changed_objects:
            _audit(request, obj, "change", list(fields))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        drafts = {
            "edition": Edition.objects.filter(status=PublicationStatus.DRAFT),
            "chapter": Chapter.objects.filter(edition__status=PublicationStatus.DRAFT),
            "section": Section.objects.filter(chapter__edition__status=PublicationStatus.DRAFT),
        }
        if db_field.name in drafts and self.model is not RuleSet:
            kwargs["queryset"] = drafts[db_field.name]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _run(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    service: Any,
    done: str,
    *,
    argument: str,
) -> None:
    """Call ``service`` for each selected object, reporting each outcome."""
    for obj in queryset:
        try:
            service(actor=_actor(request), **{argument: obj})
        except ValidationError as exc:
            for message in exc.messages:
                modeladmin.message_user(request, message, messages.ERROR)
        else:
            modeladmin.message_user(request, f"{obj}: {done}.", messages.SUCCESS)


class ChapterInline(DraftOnlyInline, admin.TabularInline):
    model = Chapter
    fields = ("code", "title", "position")


@admin.register(Edition)
class EditionAdmin(CatalogueAdmin):
    list_display = ("code", "kind", "year", "title", "status", "provisional", "published_at")
    list_filter = ("kind", "status", "provisional")
    search_fields = ("code", "title")
    readonly_fields = ("status", "published_at", "cloned_from", "created_at", "updated_at")
    inlines = (ChapterInline,)
    actions = ("publish", "retire", "clone")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("cloned_from")

    @admin.action(description=_("Publish the selected draft editions"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(self, request, queryset, edition_publish, "published", argument="edition")

    @admin.action(description=_("Retire the selected published editions"), permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(self, request, queryset, edition_retire, "retired", argument="edition")

    @admin.action(description=_("Clone the selected editions as drafts"), permissions=["add"])
    def clone(self, request: HttpRequest, queryset: QuerySet) -> None:
        for edition in queryset:
            new_code = clone_code(edition.code)
            try:
                edition_clone(actor=_actor(request), edition=edition, new_code=new_code)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(
                    request, f"{edition.code}: cloned as draft {new_code}.", messages.SUCCESS
                )


def clone_code(code: str) -> str:
    """The first free ``<code>-copy``, ``<code>-copy2``... (at most 40 characters)."""
    n = 1
    while True:
        suffix = "-copy" if n == 1 else f"-copy{n}"
        candidate = code[: 40 - len(suffix)] + suffix
        if not Edition.objects.filter(code=candidate).exists():
            return candidate
        n += 1


class SectionInline(DraftOnlyInline, admin.TabularInline):
    model = Section
    fields = ("code", "title", "position")


@admin.register(Chapter)
class ChapterAdmin(CatalogueAdmin):
    list_display = ("code", "title", "edition", "position")
    list_filter = ("edition",)
    search_fields = ("code", "title")
    list_select_related = ("edition",)
    inlines = (SectionInline,)


class ItemInline(DraftOnlyInline, admin.TabularInline):
    model = Item
    fields = ("code", "title", "position", "tier", "starred", "kind")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # an item needs its criteria: add it on the item page


@admin.register(Section)
class SectionAdmin(CatalogueAdmin):
    list_display = ("code", "title", "chapter", "position")
    list_filter = ("chapter__edition",)
    search_fields = ("code", "title")
    list_select_related = ("chapter", "chapter__edition")
    inlines = (ItemInline,)


class CriterionInline(DraftOnlyInline, admin.StackedInline):
    model = Criterion
    fields = ("grade", "text", "threshold_operator", "threshold_value", "steps")
    max_num = 3
    show_change_link = False


@admin.register(Item)
class ItemAdmin(CatalogueAdmin):
    list_display = ("code", "title", "tier", "starred", "kind", "edition")
    list_filter = ("edition", "tier", "kind", "starred")
    search_fields = ("code", "title")
    list_select_related = ("edition",)
    readonly_fields = ("edition",)
    inlines = (CriterionInline,)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        assert isinstance(obj, Item)  # this admin's model
        obj.edition = obj.section.chapter.edition  # the item's edition is its section's
        super().save_model(request, obj, form, change)


@admin.register(RuleSet)
class RuleSetAdmin(CatalogueAdmin):
    list_display = ("edition", "level", "province_code", "version", "status", "provisional")
    list_filter = ("edition", "level", "status", "province_code")
    list_select_related = ("edition",)
    readonly_fields = ("status", "published_at", "created_at", "updated_at")
    actions = ("publish", "retire")

    @admin.action(description=_("Publish the selected draft rule sets"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(self, request, queryset, ruleset_publish, "published", argument="rule_set")

    @admin.action(description=_("Retire the selected published rule sets"), permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet) -> None:
        _run(self, request, queryset, ruleset_retire, "retired", argument="rule_set")

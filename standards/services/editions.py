"""Writes to editions: import from file data, publish, retire, clone. Each service is
one transaction, checks the transition, and records an audit row."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from standards.importers.edition import edition_from_document
from standards.importers.errors import Checker, MappingLocator
from standards.importers.fields import EDITION_CODE
from standards.importers.types import ChapterData, EditionData, ItemData, SectionData
from standards.models import (
    Chapter,
    Criterion,
    Edition,
    Item,
    PublicationStatus,
    RuleSet,
    Section,
)
from standards.selectors import edition_document
from standards.services.common import (
    CREATED,
    REPLACED,
    UNCHANGED,
    UPDATED,
    ImportResult,
    file_status_target,
    prefixed,
    publication_status_set,
    transition_check,
)


def edition_summary(data: EditionData) -> dict[str, Any]:
    """The audit payload describing an edition's header and size."""
    return {
        "code": data.code,
        "kind": data.kind,
        "year": data.year,
        "title": data.title,
        "status": data.status,
        "provisional": data.provisional,
        "chapters": len(data.chapters),
        "sections": sum(len(ch.sections) for ch in data.chapters),
        "items": len(data.items()),
    }


def _codes(codes: list[str], limit: int = 10) -> str:
    more = f" and {len(codes) - limit} more" if len(codes) > limit else ""
    return ", ".join(codes[:limit]) + more


def edition_diff(old: EditionData, new: EditionData) -> list[str]:
    """What differs between two versions of an edition, as short phrases."""
    changes = [
        f"{name} changed"
        for name in ("kind", "year", "title", "provisional", "source_note")
        if getattr(old, name) != getattr(new, name)
    ]
    old_items = {i.code: i for i in old.items()}
    new_items = {i.code: i for i in new.items()}
    added = [code for code in new_items if code not in old_items]
    removed = [code for code in old_items if code not in new_items]
    changed = [code for code, i in new_items.items() if code in old_items and old_items[code] != i]
    for label, codes in (("added", added), ("removed", removed), ("changed", changed)):
        if codes:
            changes.append(f"items {label}: {_codes(codes)}")

    def outline(data: EditionData) -> list[tuple[Any, ...]]:
        return [
            (ch.code, ch.title, sec.code, sec.title, tuple(i.code for i in sec.items))
            for ch in data.chapters
            for sec in ch.sections
        ]

    if not added and not removed and outline(old) != outline(new):
        changes.append("chapters, sections or item order changed")
    return changes


def _tree_create(*, edition: Edition, chapters: tuple[ChapterData, ...]) -> None:
    """Insert chapters, sections, items and criteria with one bulk insert per table."""
    chapter_rows = [
        Chapter(edition=edition, code=ch.code, title=ch.title, position=n)
        for n, ch in enumerate(chapters, start=1)
    ]
    Chapter.objects.bulk_create(chapter_rows)
    section_rows: list[Section] = []
    section_data: list[SectionData] = []
    for chapter, ch in zip(chapter_rows, chapters, strict=True):
        for n, sec in enumerate(ch.sections, start=1):
            section_rows.append(
                Section(chapter=chapter, code=sec.code, title=sec.title, position=n)
            )
            section_data.append(sec)
    Section.objects.bulk_create(section_rows)
    item_rows: list[Item] = []
    item_data: list[ItemData] = []
    for section, sec in zip(section_rows, section_data, strict=True):
        for item in sec.items:
            item_rows.append(
                Item(
                    edition=edition,
                    section=section,
                    code=item.code,
                    title=item.title,
                    position=len(item_rows) + 1,
                    tier=item.tier,
                    starred=item.starred,
                    kind=item.kind,
                    review_methods=list(item.review_methods),
                    applicability=item.applicability.as_dict() if item.applicability else None,
                    evidence_required=item.evidence_required,
                    evidence_hint=item.evidence_hint,
                    metric_code=item.metric.code if item.metric else "",
                    metric_label=item.metric.label if item.metric else "",
                    metric_unit=item.metric.unit if item.metric else "",
                )
            )
            item_data.append(item)
    Item.objects.bulk_create(item_rows)
    Criterion.objects.bulk_create(
        Criterion(
            item=row,
            grade=crit.grade,
            text=crit.text,
            steps=[{"code": s.code, "text": s.text} for s in crit.steps],
            threshold_operator=crit.threshold.op if crit.threshold else "",
            threshold_value=crit.threshold.value if crit.threshold else None,
        )
        for row, item in zip(item_rows, item_data, strict=True)
        for crit in item.criteria
    )


def _must_pass_kept(*, edition: Edition, data: EditionData, source: str) -> None:
    """Refuse a replacement that drops items the edition's rule sets require."""
    codes = {item.code for item in data.items()}
    missing = [
        _("%(rule_set)s requires item %(item)s, which the new content removes")
        % {"rule_set": rs, "item": mp["item"]}
        for rs in RuleSet.objects.filter(edition=edition).select_related("edition")
        for mp in rs.must_pass
        if mp["item"] not in codes
    ]
    if missing:
        raise ValidationError(
            [
                prefixed(
                    source,
                    _("Edition %(code)s: %(problem)s.") % {"code": edition.code, "problem": m},
                )
                for m in missing
            ]
        )


@transaction.atomic
def edition_import(*, actor: AbstractBaseUser | None, data: EditionData) -> ImportResult:
    """Create or update the edition ``data.code`` from validated file data.

    Guarantees: all or nothing; identical content writes nothing (no rows, no audit);
    a new edition is created with its whole tree; a draft with different content is
    replaced; the file's status is applied when it is a later status than the stored
    one (an edition already further on keeps its status).

    Raises ``ValidationError`` when the edition is published or retired and the
    content differs, when a replacement drops an item a rule set requires, or when
    the status change is not allowed.
    """
    label = _("Edition %(code)s") % {"code": data.code}
    edition = Edition.objects.select_for_update().filter(code=data.code).first()
    size = edition_summary(data)
    if edition is None:
        edition = Edition.objects.create(
            code=data.code,
            kind=data.kind,
            year=data.year,
            title=data.title,
            status=data.status,
            provisional=data.provisional,
            source_note=data.source_note,
            published_at=None if data.status == PublicationStatus.DRAFT else timezone.now(),
        )
        _tree_create(edition=edition, chapters=data.chapters)
        audit_record(
            actor=actor,
            action=AuditAction.EDITION_IMPORT,
            target=edition,
            after=size,
            note=data.source,
        )
        return ImportResult(
            CREATED,
            f"edition {data.code} created ({size['chapters']} chapters, {size['sections']} "
            f"sections, {size['items']} items, {data.status})",
            created=1,
        )

    current = edition_document(edition=edition)
    try:
        target = file_status_target(label=label, current=edition.status, wanted=data.status)
    except ValidationError as exc:
        raise ValidationError([prefixed(data.source, m) for m in exc.messages]) from exc
    if current.same_content(data):
        if target is None:
            return ImportResult(UNCHANGED, f"edition {data.code} unchanged ({edition.status})")
        publication_status_set(actor=actor, obj=edition, target=target, note=data.source)
        return ImportResult(
            UPDATED, f"edition {data.code} content unchanged, now {target}", changed=1
        )

    changes = edition_diff(current, data)
    if not edition.is_editable:
        raise ValidationError(
            prefixed(
                data.source,
                _(
                    "%(label)s is %(status)s, so its content cannot change (%(changes)s). "
                    "Import it under a new edition code, or clone %(code)s to a draft and "
                    "import into that."
                )
                % {
                    "label": label,
                    "status": edition.status,
                    "changes": "; ".join(changes),
                    "code": data.code,
                },
            )
        )
    _must_pass_kept(edition=edition, data=data, source=data.source)
    Chapter.objects.filter(edition=edition).delete()
    for name in ("kind", "year", "title", "provisional", "source_note"):
        setattr(edition, name, getattr(data, name))
    edition.save()
    _tree_create(edition=edition, chapters=data.chapters)
    audit_record(
        actor=actor,
        action=AuditAction.EDITION_REPLACE,
        target=edition,
        before=edition_summary(current),
        after={**size, "status": edition.status, "changes": changes},
        note=data.source,
    )
    if target is not None:
        publication_status_set(actor=actor, obj=edition, target=target, note=data.source)
    return ImportResult(
        REPLACED,
        f"edition {data.code} draft replaced ({'; '.join(changes)})",
        changed=1,
    )


def edition_problems(*, edition: Edition) -> list[str]:
    """Everything the file format would reject in the stored edition (an admin may have
    edited a draft into an inconsistent state). Empty when it is publishable."""
    from standards.exporters import edition_to_document

    document = edition_to_document(edition_document(edition=edition))
    checker = Checker(_("Edition %(code)s") % {"code": edition.code}, MappingLocator(document))
    edition_from_document(document, checker)
    return checker.errors


@transaction.atomic
def edition_publish(*, actor: AbstractBaseUser | None, edition: Edition) -> Edition:
    """Publish a draft edition; from then on its content is immutable.

    Raises ``ValidationError`` unless the edition is a draft whose content passes every
    check of the file format (C/B/A criteria on every item, consistent codes...)."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    transition_check(
        label=_("Edition %(code)s") % {"code": edition.code},
        current=edition.status,
        target=PublicationStatus.PUBLISHED,
    )
    problems = edition_problems(edition=edition)
    if problems:
        raise ValidationError(problems)
    publication_status_set(actor=actor, obj=edition, target=PublicationStatus.PUBLISHED)
    return edition


@transaction.atomic
def edition_retire(*, actor: AbstractBaseUser | None, edition: Edition) -> Edition:
    """Retire a published edition. Raises ``ValidationError`` for any other status."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    transition_check(
        label=_("Edition %(code)s") % {"code": edition.code},
        current=edition.status,
        target=PublicationStatus.RETIRED,
    )
    publication_status_set(actor=actor, obj=edition, target=PublicationStatus.RETIRED)
    return edition


@transaction.atomic
def edition_clone(*, actor: AbstractBaseUser | None, edition: Edition, new_code: str) -> Edition:
    """A draft copy of ``edition`` (any status) under ``new_code``: header, chapters,
    sections, items and criteria; ``cloned_from`` points at the original. Rule sets
    are not copied. Raises ``ValidationError`` when ``new_code`` is malformed or taken."""
    if not EDITION_CODE.match(new_code) or len(new_code) > 40:
        raise ValidationError(
            _("%(code)r is not a valid edition code (letters, digits and dashes, at most 40).")
            % {"code": new_code}
        )
    if Edition.objects.filter(code=new_code).exists():
        raise ValidationError(
            _("Edition %(code)s already exists; choose another code.") % {"code": new_code}
        )
    data = edition_document(edition=edition)
    clone = Edition.objects.create(
        code=new_code,
        kind=data.kind,
        year=data.year,
        title=data.title,
        provisional=data.provisional,
        source_note=data.source_note,
        status=PublicationStatus.DRAFT,
        cloned_from=edition,
    )
    _tree_create(edition=clone, chapters=data.chapters)
    audit_record(
        actor=actor,
        action=AuditAction.EDITION_CLONE,
        target=clone,
        after={**edition_summary(data), "code": new_code, "status": PublicationStatus.DRAFT},
        note=f"cloned from {edition.code}",
    )
    return clone

"""Carrying an institution's last accepted grading into its assessment of a new cycle:
grades, N/A reasons, metric values and evidence links become proposals the staff
confirm or change; items that are new or whose text changed are flagged and never
carried."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import DomainError, NotEditable
from accreditation.models import (
    Assessment,
    ConsolidatedGrade,
    Consolidation,
    EvidenceAttachment,
    ItemGrade,
    User,
)
from accreditation.permissions import Action, require
from accreditation.selectors.assessments import last_accepted_assessment
from accreditation.services.common import lock_assessment, refuse_unless_editable
from standards.crosswalks import code_map

Carry = ItemGrade.Carry


@dataclass(frozen=True, slots=True)
class CarryResult:
    """What a carry-forward did: the assessment it came from, the items proposed, the
    items flagged (text changed, new) and the evidence links copied."""

    source: Assessment
    proposed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    evidence: int = 0


def assessment_carry_forward(*, actor: User, assessment: Assessment) -> CarryResult:
    """Fill a freshly opened assessment from the institution's last accepted grading
    (``selectors.assessments.last_accepted_assessment``): each item found in the older
    edition by its code (or the crosswalk's) with the same text takes the final consolidated grade,
    the N/A reason and metric value the institution gave, and its evidence links,
    marked ``proposed`` until the staff save it; items whose text changed are marked
    ``changed`` and new items ``new``, both left ungraded.

    Raises ``PermissionDenied`` unless ``actor`` is staff of the institution;
    ``NotEditable`` unless the assessment is a draft nobody has graded yet;
    ``DomainError`` ``nothing_to_carry`` without an accepted earlier grading, and
    ``incompatible_editions`` when that grading used a standard for another kind of
    institution. Nothing is written on a refusal."""
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment, "cycle", "edition", "institution")
        require(actor, Action.ASSESSMENT_EDIT, locked)
        grades = list(ItemGrade.objects.filter(assessment=locked).order_by("id"))
        started = any(g.version > 1 or g.grade or g.carry for g in grades)
        if locked.status != Assessment.Status.DRAFT or started or locked.carried_from_id:
            raise NotEditable(
                _("Only a new, ungraded draft can start from the last cycle's grading.")
            )
        source = last_accepted_assessment(
            institution_id=locked.institution_id, before_year=locked.cycle.year
        )
        if source is None:
            raise DomainError(
                _("The institution has no accepted grading from an earlier cycle to carry over."),
                code="nothing_to_carry",
            )
        if source.edition.kind != locked.edition.kind:
            raise DomainError(
                _(
                    "The last accepted grading (%(year)s) used %(old)s, a standard for another "
                    "kind of institution than %(new)s; nothing can be carried over."
                )
                % {
                    "year": source.cycle.year,
                    "old": source.edition.code,
                    "new": locked.edition.code,
                },
                code="incompatible_editions",
                details={"from": source.edition.code, "to": locked.edition.code},
            )
        mapping = code_map(source.edition, locked.edition)
        consolidation = (
            Consolidation.objects.filter(assessment=source, status=Consolidation.Status.COMPLETED)
            .order_by("-id")
            .first()
        )
        final = dict(
            ConsolidatedGrade.objects.filter(consolidation=consolidation).values_list(
                "item_code", "final_grade"
            )
        )
        own = {g.item_code: g for g in ItemGrade.objects.filter(assessment=source)}
        attachments: dict[str, list[EvidenceAttachment]] = {}
        current = EvidenceAttachment.objects.filter(assessment=source, replaced_at__isnull=True)
        for attachment in current.order_by("id"):
            attachments.setdefault(attachment.item_code, []).append(attachment)
        result = CarryResult(source=source)
        copies = []
        for grade in grades:
            code = grade.item_code
            old_code = mapping.old_code(code)
            if old_code is None:
                grade.carry = Carry.NEW
                result.new.append(code)
                continue
            if code in mapping.changed:
                grade.carry = Carry.CHANGED
                result.changed.append(code)
                continue
            previous = own.get(old_code)
            grade.grade = final.get(old_code) or (previous.grade if previous else "")
            if grade.grade == ItemGrade.Value.NA:
                grade.na_reason = previous.na_reason if previous else ""
            grade.metric_value = previous.metric_value if previous else None
            grade.carry = Carry.PROPOSED
            result.proposed.append(code)
            for attachment in attachments.get(old_code, ()):
                copies.append(_copy(attachment, locked, code, actor))
        ItemGrade.objects.bulk_update(grades, ["grade", "na_reason", "metric_value", "carry"])
        EvidenceAttachment.objects.bulk_create(copies, ignore_conflicts=True)
        locked.carried_from = source
        locked.version += 1
        locked.save(update_fields=["carried_from", "version"])
        audit_record(
            actor=actor,
            action=AuditAction.ASSESSMENT_CARRY_FORWARD,
            target=locked,
            after={
                "from_assessment": source.pk,
                "from_edition": source.edition.code,
                "proposed": len(result.proposed),
                "changed": result.changed,
                "new": result.new,
                "evidence": len(copies),
            },
        )
    return replace(result, evidence=len(copies))


def _copy(
    attachment: EvidenceAttachment, assessment: Assessment, item_code: str, actor: User
) -> EvidenceAttachment:
    """A link to the same stored file on the new assessment (no new upload), with the
    document's dates: an expired one is flagged on the checklist and at submission."""
    return EvidenceAttachment(
        assessment=assessment,
        item_code=item_code,
        evidence_id=attachment.evidence_id,
        name=attachment.name,
        uploaded_by=actor,
        effective_on=attachment.effective_on,
        expires_on=attachment.expires_on,
    )


def carried_confirm(
    *, actor: User, assessment: Assessment, item_codes: list[str] | None = None
) -> list[str]:
    """Confirm carried-over proposals as they stand (all, or ``item_codes``), one
    audit row for the lot. Returns the codes confirmed. Raises ``PermissionDenied``
    unless staff of the institution; ``NotEditable`` unless editable."""
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.ASSESSMENT_EDIT, locked)
        refuse_unless_editable(locked)
        rows = ItemGrade.objects.filter(assessment=locked, carry=Carry.PROPOSED)
        if item_codes is not None:
            rows = rows.filter(item_code__in=item_codes)
        codes = list(rows.order_by("id").values_list("item_code", flat=True))
        if codes:
            ItemGrade.objects.filter(assessment=locked, item_code__in=codes).update(
                carry=Carry.CONFIRMED,
                version=F("version") + 1,
                updated_by=actor,
                updated_at=timezone.now(),
            )
            audit_record(
                actor=actor,
                action=AuditAction.CARRIED_CONFIRM,
                target=locked,
                after={"items": codes},
            )
    return codes

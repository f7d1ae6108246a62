"""Writes of the self-assessment: open, grade items, change the target. Submission is
in ``services.submission``, evidence files in ``services.evidence``, returns for
correction in ``services.reviews`` (re-exported here).

Every service takes the acting user, checks permission first, runs in one
transaction, locks the assessment row, refuses illegal status changes using
``ALLOWED_TRANSITIONS`` and writes one audit row per change.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import ConflictError, DomainError
from accreditation.core.text import unstorable_text
from accreditation.models import (
    Assessment,
    Cycle,
    CycleStandard,
    Institution,
    ItemGrade,
    User,
)
from accreditation.permissions import Action, require
from accreditation.selectors.visibility import assessment_scope, assessments_visible_to
from accreditation.services.carry import assessment_carry_forward
from accreditation.services.common import lock_assessment, refuse_unless_editable
from accreditation.services.reviews import assessment_return as assessment_return
from standards.models import Item

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

Status = Assessment.Status
Value = ItemGrade.Value

MAX_NOTE_CHARS = 4000
MAX_REASON_CHARS = 2000
METRIC_LIMIT = Decimal(10) ** 10


def _refuse_unless_cycle_open(cycle: Cycle) -> None:
    if not cycle.is_open:
        raise DomainError(_("The cycle is closed."), code="cycle_closed")


def _standard_for(cycle: Cycle, institution: Institution) -> CycleStandard:
    standard = (
        CycleStandard.objects.select_related(
            "edition", "qualified_rule_set", "basic_rule_set", "recommended_rule_set"
        )
        .filter(cycle=cycle, kind=institution.standard_kind)
        .first()
    )
    if standard is None:
        raise DomainError(
            _("The cycle has no standard for this kind of institution yet."), code="no_standard"
        )
    return standard


def _check_target(standard: CycleStandard, target_level: str) -> None:
    if target_level not in standard.rule_sets():
        raise ValidationError(
            {"target_level": _("This cycle does not award that level to this institution.")}
        )


def assessment_open(
    *,
    actor: User,
    cycle: Cycle,
    institution: Institution,
    target_level: str,
    carry_forward: bool = False,
) -> Assessment:
    """Open the institution's assessment for ``cycle`` with the declared target level,
    under the edition the cycle applies to the institution's kind; one ungraded row is
    created per item of that edition. With ``carry_forward`` the rows start from the
    last accepted grading (``services.carry.assessment_carry_forward``), in the same
    transaction: when it is refused, nothing is opened.

    Raises ``PermissionDenied`` unless ``actor`` is staff of the institution;
    ``DomainError`` with code ``cycle_closed``, ``outside_cycle``, ``no_standard`` or
    ``already_open``; ``ValidationError`` when the cycle does not award the target."""
    require(actor, Action.ASSESSMENT_OPEN, institution)
    _refuse_unless_cycle_open(cycle)
    if not cycle.province.contains(institution.region):
        raise DomainError(
            _("The institution is not in this cycle's province."), code="outside_cycle"
        )
    standard = _standard_for(cycle, institution)
    _check_target(standard, target_level)
    items = list(
        Item.objects.filter(edition=standard.edition).order_by("position").values_list("pk", "code")
    )
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                cycle=cycle,
                institution=institution,
                edition=standard.edition,
                target_level=target_level,
                opened_by=actor,
            )
            ItemGrade.objects.bulk_create(
                ItemGrade(assessment=assessment, item_id=pk, item_code=code) for pk, code in items
            )
            audit_record(
                actor=actor,
                action=AuditAction.ASSESSMENT_OPEN,
                target=assessment,
                after={
                    "cycle": cycle.pk,
                    "institution": institution.pk,
                    "edition": standard.edition.code,
                    "target_level": target_level,
                    "items": len(items),
                },
            )
            if carry_forward:
                assessment_carry_forward(actor=actor, assessment=assessment)
                assessment.refresh_from_db()
    except IntegrityError:
        raise DomainError(
            _("This institution already has an assessment in this cycle."), code="already_open"
        ) from None
    return assessment


def assessment_target_level_set(
    *, actor: User, assessment: Assessment, target_level: str, expected_version: int
) -> Assessment:
    """Change the declared target level of an editable assessment. Raises
    ``ConflictError`` when ``expected_version`` is stale, ``NotEditable`` after
    submission, ``ValidationError`` when the cycle does not award the level."""
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment, "cycle", "institution")
        require(actor, Action.ASSESSMENT_EDIT, locked)
        refuse_unless_editable(locked)
        if locked.version != expected_version:
            raise ConflictError(
                _("Someone else changed this assessment; review the current values."),
                current={"target_level": locked.target_level, "version": locked.version},
            )
        _check_target(_standard_for(locked.cycle, locked.institution), target_level)
        before = locked.target_level
        locked.target_level = target_level
        locked.version += 1
        locked.save(update_fields=["target_level", "version"])
        audit_record(
            actor=actor,
            action=AuditAction.ASSESSMENT_TARGET_LEVEL,
            target=locked,
            before={"target_level": before},
            after={"target_level": target_level},
        )
    return locked


def _clean_metric(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"metric_value": _("Enter a number.")}) from None
    if not number.is_finite() or abs(number) >= METRIC_LIMIT:
        raise ValidationError({"metric_value": _("Enter a number below ten billion.")})
    if number != number.quantize(Decimal("0.0001")):
        raise ValidationError({"metric_value": _("At most four decimal places.")})
    return number


class Keep(Enum):
    """The type of :data:`KEEP`."""

    KEEP = "keep"


#: A value ``item_grade_save`` leaves as stored (a PATCH that omits the field).
KEEP = Keep.KEEP


def _clean_item_values(
    grade: str | Keep, na_reason: str | Keep, metric_value: Any, note: str | Keep
) -> tuple[str | Keep, str | Keep, Decimal | Keep | None, str | Keep]:
    """The values that were sent, cleaned; ``KEEP`` stays ``KEEP``. A reason sent
    without the N/A grade is dropped; when the grade is kept, the caller decides once
    the stored grade is known (:func:`_merge_item_values`)."""
    sent = {"na_reason": na_reason, "note": note}
    errors: dict[str, str] = unstorable_text(**{k: v for k, v in sent.items() if v is not KEEP})
    if grade is not KEEP and grade not in Value.values:
        errors["grade"] = _("Choose none, C, B, A or not applicable.")
    if na_reason is not KEEP:
        na_reason = (na_reason or "").strip() if grade in (Value.NA, KEEP) else ""
        if grade == Value.NA and len(na_reason) > MAX_REASON_CHARS:
            errors["na_reason"] = _("The reason is too long.")
    elif grade is not KEEP and grade != Value.NA:
        na_reason = ""
    if note is not KEEP:
        note = (note or "").strip()
        if len(note) > MAX_NOTE_CHARS:
            errors["note"] = _("The note is too long.")
    if errors:
        raise ValidationError(errors)
    metric = metric_value if metric_value is KEEP else _clean_metric(metric_value)
    return grade, na_reason, metric, note


def _merge_item_values(
    row: ItemGrade,
    grade: str | Keep,
    na_reason: str | Keep,
    metric: Decimal | Keep | None,
    note: str | Keep,
) -> tuple[str, str, Decimal | None, str]:
    """The cleaned values with ``KEEP`` replaced by the stored ones."""
    grade = row.grade if grade is KEEP else grade
    if grade != Value.NA:
        na_reason = ""
    elif na_reason is KEEP:
        na_reason = row.na_reason
    elif len(na_reason) > MAX_REASON_CHARS:  # sent with the grade kept as N/A
        raise ValidationError({"na_reason": _("The reason is too long.")})
    return (
        grade,
        na_reason,
        row.metric_value if metric is KEEP else metric,
        row.note if note is KEEP else note,
    )


class _MetricCode(TypedDict):
    metric_code: str


def _locked_grade(
    actor: User, assessment_id: int, item_code: str
) -> WithAnnotations[ItemGrade, _MetricCode] | None:
    """The item's row with its assessment, both locked, or None when the item is
    unknown or the assessment is out of ``actor``'s scope (nothing is locked then).

    The lock order is the assessment's, then the row's, as in every other service
    (``lock_assessment`` first, then grades), so saves and submissions cannot deadlock;
    PostgreSQL takes the locks in the order of ``FOR UPDATE OF`` and re-reads both rows
    if another transaction changed them while this one waited."""
    scope = assessment_scope(actor, via="assessment__")
    if scope is None:
        return None
    rows = (
        ItemGrade.objects.select_related("assessment")
        .select_for_update(of=("assessment", "self"))
        .annotate(metric_code=F("item__metric_code"))
        .filter(scope, assessment_id=assessment_id, item_code=item_code)
        .order_by()  # one row at most; the default order would join cycle and institution
    )
    return next(iter(rows[:1]), None)


def item_grade_save(
    *,
    actor: User,
    assessment: Assessment | int,
    item_code: str,
    expected_version: int,
    grade: str | Keep,
    na_reason: str | Keep = "",
    metric_value: Decimal | int | str | Keep | None = None,
    note: str | Keep = "",
) -> ItemGrade:
    """Save the institution's grade, N/A reason, metric value and note for one item of
    ``assessment`` (the object or its id: the service reads it again, under lock, and
    decides scope and permission on that row). ``KEEP`` leaves a value as stored.

    Optimistic concurrency: the write is one ``UPDATE ... WHERE version =
    expected_version``; on a stale version nothing is written and ``ConflictError``
    carries the stored values and version. A save that changes nothing writes nothing.
    An N/A reason is kept only with the N/A grade; a metric value only on items that
    have a metric. A save is four queries (PostgreSQL and SQLite): the locked read of
    the row with its assessment, the UPDATE, the audit row and the COMMIT (plus BEGIN on
    SQLite); refusals may read once more to tell which one applies.

    Raises ``Assessment.DoesNotExist`` when the assessment does not exist or is out of
    ``actor``'s scope (``selectors.visibility``), then, in this order,
    ``ValidationError`` for invalid values, ``PermissionDenied`` unless ``actor`` is
    staff of the institution, ``NotEditable`` unless the assessment is a draft or
    returned, ``ValidationError`` for an unknown item, ``ConflictError`` on a stale
    version, ``ValidationError`` for a metric value on an item without a metric."""
    assessment_id = assessment if isinstance(assessment, int) else assessment.pk
    with transaction.atomic():
        row = _locked_grade(actor, assessment_id, item_code)
        # Without the row, everything below refuses: no lock needed to say which way.
        locked = (
            row.assessment
            if row is not None
            else assessments_visible_to(actor).get(pk=assessment_id)  # DoesNotExist: 404
        )
        sent = _clean_item_values(grade, na_reason, metric_value, note)
        require(actor, Action.ASSESSMENT_EDIT, locked)
        refuse_unless_editable(locked)
        if row is None:
            raise ValidationError({"item_code": _("No such item in this assessment.")})
        if row.version != expected_version:
            raise ConflictError(
                _("Someone else saved this item meanwhile; review the current values."),
                current=row.values(),
            )
        values = _merge_item_values(row, *sent)
        if values[2] is not None and not row.metric_code:
            raise ValidationError({"metric_value": _("This item has no metric.")})
        before = row.values()
        # Saving a carried-over proposal confirms it, even unchanged.
        carry = ItemGrade.Carry.CONFIRMED if row.carry == ItemGrade.Carry.PROPOSED else row.carry
        if (row.grade, row.na_reason, row.metric_value, row.note, row.carry) == (*values, carry):
            return row
        now = timezone.now()
        grade, na_reason, metric, note = values
        updated = ItemGrade.objects.filter(pk=row.pk, version=expected_version).update(
            grade=grade,
            na_reason=na_reason,
            metric_value=metric,
            note=note,
            carry=carry,
            version=F("version") + 1,
            updated_by=actor,
            updated_at=now,
        )
        if not updated:  # pragma: no cover - only without row locks (a racing writer)
            row.refresh_from_db()
            raise ConflictError(
                _("Someone else saved this item meanwhile; review the current values."),
                current=row.values(),
            )
        row.grade, row.na_reason, row.metric_value, row.note = values
        row.carry = carry
        row.version = expected_version + 1
        row.updated_by, row.updated_at = actor, now
        after = row.values()
        audit_record(
            actor=actor,
            action=AuditAction.ITEM_GRADE_SAVE,
            target=locked,
            before={k: v for k, v in before.items() if k != "version"},
            after={k: v for k, v in after.items() if k != "version"},
            note=item_code,
        )
    return row

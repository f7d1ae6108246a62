"""Writes of the self-assessment: open, grade items, change the target. Submission is
in ``services.submission``, evidence files in ``services.evidence``, returns for
correction in ``services.reviews`` (re-exported here).

Every service takes the acting user, checks permission first, runs in one
transaction, locks the assessment row, refuses illegal status changes using
``ALLOWED_TRANSITIONS`` and writes one audit row per change.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.errors import ConflictError, DomainError
from accreditation.models import (
    Assessment,
    Cycle,
    CycleStandard,
    Institution,
    ItemGrade,
    User,
)
from accreditation.permissions import Action, require
from accreditation.services.audit import audit_record
from accreditation.services.common import (
    lock_assessment,
    refuse_unless_editable,
    unstorable_text,
)
from accreditation.services.reviews import assessment_return as assessment_return
from standards.models import Item

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
    *, actor: User, cycle: Cycle, institution: Institution, target_level: str
) -> Assessment:
    """Open the institution's assessment for ``cycle`` with the declared target level,
    under the edition the cycle applies to the institution's kind; one ungraded row is
    created per item of that edition.

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
                action="assessment.open",
                target=assessment,
                after={
                    "cycle": cycle.pk,
                    "institution": institution.pk,
                    "edition": standard.edition.code,
                    "target_level": target_level,
                    "items": len(items),
                },
            )
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
            action="assessment.target_level",
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


def _clean_item_values(
    grade: str, na_reason: str, metric_value: Any, note: str
) -> tuple[str, str, Decimal | None, str]:
    errors: dict[str, str] = unstorable_text(na_reason=na_reason, note=note)
    if grade not in Value.values:
        errors["grade"] = _("Choose none, C, B, A or not applicable.")
    na_reason = (na_reason or "").strip() if grade == Value.NA else ""
    if len(na_reason) > MAX_REASON_CHARS:
        errors["na_reason"] = _("The reason is too long.")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        errors["note"] = _("The note is too long.")
    if errors:
        raise ValidationError(errors)
    return grade, na_reason, _clean_metric(metric_value), note


def item_grade_save(
    *,
    actor: User,
    assessment: Assessment,
    item_code: str,
    expected_version: int,
    grade: str,
    na_reason: str = "",
    metric_value: Decimal | int | str | None = None,
    note: str = "",
) -> ItemGrade:
    """Save the institution's grade, N/A reason, metric value and note for one item.

    Optimistic concurrency: the write is one ``UPDATE ... WHERE version =
    expected_version``; on a stale version nothing is written and ``ConflictError``
    carries the stored values and version. A save that changes nothing writes nothing.
    An N/A reason is kept only with the N/A grade; a metric value only on items that
    have a metric. At most six queries including the permission check and the audit row.

    Raises ``PermissionDenied`` unless ``actor`` is staff of the institution,
    ``NotEditable`` unless the assessment is a draft or returned, ``ValidationError``
    for an unknown item or invalid values."""
    grade, na_reason, metric, note = _clean_item_values(grade, na_reason, metric_value, note)
    require(actor, Action.ASSESSMENT_EDIT, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment)
        require(actor, Action.ASSESSMENT_EDIT, locked)
        refuse_unless_editable(locked)
        row = (
            ItemGrade.objects.select_related("item")
            .filter(assessment_id=locked.pk, item_code=item_code)
            .first()
        )
        if row is None:
            raise ValidationError({"item_code": _("No such item in this assessment.")})
        if row.version != expected_version:
            raise ConflictError(
                _("Someone else saved this item meanwhile; review the current values."),
                current=row.values(),
            )
        if metric is not None and not row.item.metric_code:
            raise ValidationError({"metric_value": _("This item has no metric.")})
        before = row.values()
        if (row.grade, row.na_reason, row.metric_value, row.note) == (
            grade,
            na_reason,
            metric,
            note,
        ):
            return row
        now = timezone.now()
        updated = ItemGrade.objects.filter(pk=row.pk, version=expected_version).update(
            grade=grade,
            na_reason=na_reason,
            metric_value=metric,
            note=note,
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
        row.grade, row.na_reason, row.metric_value, row.note = grade, na_reason, metric, note
        row.version = expected_version + 1
        row.updated_by, row.updated_at = actor, now
        after = row.values()
        audit_record(
            actor=actor,
            action="item_grade.save",
            target=locked,
            before={k: v for k, v in before.items() if k != "version"},
            after={k: v for k, v in after.items() if k != "version"},
            note=item_code,
        )
    return row

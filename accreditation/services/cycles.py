"""Writes of cycles: the yearly campaign, its standards and deadlines."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.core.audit import audit_record
from accreditation.core.errors import InvalidTransition, NotEditable
from accreditation.models import (
    Assessment,
    Cycle,
    CycleDeadline,
    CycleStandard,
    Region,
    Stage,
    User,
)
from accreditation.permissions import Action, require
from standards.models import Edition, PublicationStatus, RuleSet

LEVEL_FIELDS = {
    "qualified": "qualified_rule_set",
    "basic": "basic_rule_set",
    "recommended": "recommended_rule_set",
}


def cycle_create(
    *,
    actor: User | None,
    province: Region,
    year: int,
    name: str,
    county_review_enabled: bool = True,
    basic_confirmed_by: str = Cycle.Confirmer.PROVINCE,
    notice_days: int = 7,
    validity_years: int = 3,
) -> Cycle:
    """Open a cycle for ``province`` and ``year``. ``actor`` None means a command-line
    operator. Raises ``ValidationError`` for a non-province region, a second cycle in
    the same year, notice days outside 5..7 or an unknown confirmer; ``PermissionDenied``
    unless the actor is an administrator or an officer of that province (or national)."""
    if actor is not None:
        require(actor, Action.CYCLE_MANAGE, province)
    errors: dict[str, str] = {}
    if province.level != Region.Level.PROVINCE:
        errors["province"] = _("A cycle belongs to a province.")
    elif Cycle.objects.filter(province=province, year=year).exists():
        errors["year"] = _("This province already has a cycle for this year.")
    if not 5 <= notice_days <= 7:
        errors["notice_days"] = _("The public notice lasts 5 to 7 days.")
    if basic_confirmed_by not in Cycle.Confirmer.values:
        errors["basic_confirmed_by"] = _("Choose the city or the province.")
    if validity_years < 1:
        errors["validity_years"] = _("At least one year.")
    if not name.strip():
        errors["name"] = _("A name is required.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cycle = Cycle.objects.create(
            province=province,
            year=year,
            name=name.strip(),
            county_review_enabled=county_review_enabled,
            basic_confirmed_by=basic_confirmed_by,
            notice_days=notice_days,
            validity_years=validity_years,
        )
        audit_record(
            actor=actor,
            action="cycle.create",
            target=cycle,
            after={
                "province": province.code,
                "year": year,
                "county_review_enabled": county_review_enabled,
                "basic_confirmed_by": basic_confirmed_by,
                "notice_days": notice_days,
                "validity_years": validity_years,
            },
        )
    return cycle


def cycle_standard_set(
    *,
    actor: User | None,
    cycle: Cycle,
    edition: Edition,
    rule_sets: dict[str, RuleSet],
) -> CycleStandard:
    """Choose the edition and, per level, the rule set that the cycle applies to the
    edition's institution kind. Levels absent from ``rule_sets`` are not awarded.

    Raises ``ValidationError`` unless the edition and every rule set are published, the
    rule sets belong to the edition and to their level, and every level a rule set
    includes is chosen too; ``NotEditable`` once an assessment of this kind is open
    (results must stay reproducible); ``PermissionDenied`` as for ``cycle_create``."""
    if actor is not None:
        require(actor, Action.CYCLE_MANAGE, cycle)
    errors: dict[str, str] = {}
    if edition.status != PublicationStatus.PUBLISHED:
        errors["edition"] = _("Only a published edition can be used in a cycle.")
    if not rule_sets:
        errors["rule_sets"] = _("Choose at least one level's rule set.")
    for level, rule_set in rule_sets.items():
        if level not in LEVEL_FIELDS:
            errors[f"rule_sets.{level}"] = _("Unknown level.")
        elif rule_set.edition_id != edition.pk or rule_set.level != level:
            errors[f"rule_sets.{level}"] = _("This rule set is for another edition or level.")
        elif rule_set.status != PublicationStatus.PUBLISHED:
            errors[f"rule_sets.{level}"] = _("Only a published rule set can be used.")
        else:
            for included in rule_set.includes:
                if included not in rule_sets:
                    errors[f"rule_sets.{level}"] = _(
                        "This rule set includes the %(level)s conditions; choose that level too."
                    ) % {"level": included}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            CycleStandard.objects.select_for_update().filter(cycle=cycle, kind=edition.kind).first()
        )
        if (
            current is not None
            and Assessment.objects.filter(cycle=cycle, edition_id=current.edition_id).exists()
        ):
            raise NotEditable(
                _("Assessments are open under this standard; it can no longer change.")
            )
        values = {field: rule_sets.get(level) for level, field in LEVEL_FIELDS.items()}
        before = None
        if current is not None:
            before = {"edition": current.edition_id} | {
                f: getattr(current, f"{f}_id") for f in LEVEL_FIELDS.values()
            }
        standard, _created = CycleStandard.objects.update_or_create(
            cycle=cycle, kind=edition.kind, defaults={"edition": edition, **values}
        )
        audit_record(
            actor=actor,
            action="cycle_standard.set",
            target=cycle,
            before=before,
            after={"kind": edition.kind, "edition": edition.pk}
            | {f: (rs.pk if rs else None) for f, rs in values.items()},
        )
    return standard


def cycle_deadline_set(
    *, actor: User | None, cycle: Cycle, stage: str, due_on: dt.date
) -> CycleDeadline:
    """Set (or move) the deadline of one stage. Raises ``ValidationError`` for an
    unknown stage; ``PermissionDenied`` as for ``cycle_create``."""
    if actor is not None:
        require(actor, Action.CYCLE_MANAGE, cycle)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    with transaction.atomic():
        current = CycleDeadline.objects.filter(cycle=cycle, stage=stage).first()
        deadline, _created = CycleDeadline.objects.update_or_create(
            cycle=cycle, stage=stage, defaults={"due_on": due_on}
        )
        audit_record(
            actor=actor,
            action="cycle_deadline.set",
            target=cycle,
            before={"stage": stage, "due_on": current.due_on.isoformat()} if current else None,
            after={"stage": stage, "due_on": due_on.isoformat()},
        )
    return deadline


def cycle_close(*, actor: User | None, cycle: Cycle) -> Cycle:
    """Close an open cycle: no assessment can be opened or submitted in it any more.
    Raises ``InvalidTransition`` when it is closed already."""
    if actor is not None:
        require(actor, Action.CYCLE_MANAGE, cycle)
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.status != Cycle.Status.OPEN:
            raise InvalidTransition(_("The cycle is closed already."))
        locked.status = Cycle.Status.CLOSED
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="cycle.close",
            target=locked,
            before={"status": Cycle.Status.OPEN},
            after={"status": Cycle.Status.CLOSED},
        )
    return locked

"""Writes of institutions and their dated facts."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.text import text_errors
from accreditation.models import Institution, InstitutionFacts, Region, User
from accreditation.models.institutions import CATEGORY_CODE
from accreditation.permissions import Action, require


def institution_create(
    *,
    actor: User | None,
    name: str,
    kind: str,
    licence_number: str,
    region: Region,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> Institution:
    """Register an institution; the licence category code follows from ``kind``.
    ``actor`` None means a command-line operator. Raises ``ValidationError`` for an
    unknown kind, a taken licence number, a region above county level, or a text
    too long for its field;
    ``PermissionDenied`` unless the actor is an administrator."""
    if actor is not None:
        require(actor, Action.INSTITUTION_MANAGE)
    texts = {
        "name": name.strip(),
        "licence_number": licence_number.strip(),
        "address": address,
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "contact_email": contact_email,
    }
    errors = text_errors(Institution, **texts)
    if kind not in Institution.Kind.values:
        errors["kind"] = _("Unknown institution kind.")
    if not name.strip():
        errors["name"] = _("A name is required.")
    if not licence_number.strip():
        errors["licence_number"] = _("A practice-licence number is required.")
    elif Institution.objects.filter(licence_number=licence_number.strip()).exists():
        errors["licence_number"] = _("An institution with this licence number exists.")
    if region.level not in (Region.Level.COUNTY, Region.Level.TOWNSHIP):
        errors["region"] = _("An institution belongs to a county or a township.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        institution = Institution.objects.create(
            **texts, kind=kind, category_code=CATEGORY_CODE[kind], region=region
        )
        audit_record(
            actor=actor,
            action=AuditAction.INSTITUTION_CREATE,
            target=institution,
            after={
                "name": institution.name,
                "kind": kind,
                "licence_number": institution.licence_number,
                "region": region.code,
            },
        )
    return institution


#: Fields of an institution that may change after registration (not kind, licence, region).
DETAIL_FIELDS = ("name", "address", "contact_name", "contact_phone", "contact_email")


def institution_details_set(
    *,
    actor: User | None,
    institution: Institution,
    name: str,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> bool:
    """Change the descriptive fields (name, address, contacts). Returns whether anything
    changed; nothing is written, not even an audit row, when nothing did. Raises
    ``ValidationError`` for an empty name or a text too long for its field;
    ``PermissionDenied`` unless the actor is an administrator (``actor`` None: command
    line)."""
    if actor is not None:
        require(actor, Action.INSTITUTION_MANAGE)
    wanted = {
        "name": name.strip(),
        "address": address,
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "contact_email": contact_email,
    }
    errors = text_errors(Institution, **wanted)
    if not name.strip():
        errors["name"] = _("A name is required.")
    if errors:
        raise ValidationError(errors)
    changed = {k: v for k, v in wanted.items() if getattr(institution, k) != v}
    if not changed:
        return False
    with transaction.atomic():
        before = {k: getattr(institution, k) for k in changed}
        for key, value in changed.items():
            setattr(institution, key, value)
        institution.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            action=AuditAction.INSTITUTION_DETAILS_SET,
            target=institution,
            before=before,
            after=changed,
        )
    return True


def facts_unchanged(row: InstitutionFacts | None, **values: object) -> bool:
    """Whether ``row`` already holds these facts (the ``institution_facts_record``
    arguments other than actor, institution and date)."""
    return row is not None and all(getattr(row, k) == v for k, v in values.items())


def _facts_dict(row: InstitutionFacts) -> dict:
    return {
        "effective_from": row.effective_from.isoformat(),
        "medical_staff": row.medical_staff,
        "service_population": row.service_population,
        "beds": row.beds,
        "inpatient_ward": row.inpatient_ward,
    }


def institution_facts_record(
    *,
    actor: User | None,
    institution: Institution,
    effective_from: dt.date,
    medical_staff: int,
    service_population: int,
    beds: int,
    inpatient_ward: bool,
) -> InstitutionFacts:
    """Record the facts in force from ``effective_from``, replacing a snapshot with the
    same date. Snapshots already frozen into submissions are unaffected. Raises
    ``ValidationError`` for negative numbers or a ward without beds; ``PermissionDenied``
    unless the actor is the institution's staff or an administrator."""
    if actor is not None:
        require(actor, Action.FACTS_RECORD, institution)
    errors: dict[str, str] = {}
    for field, value in (
        ("medical_staff", medical_staff),
        ("service_population", service_population),
        ("beds", beds),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[field] = _("Enter a whole number, zero or more.")
    if inpatient_ward and not errors and beds == 0:
        errors["beds"] = _("An inpatient ward needs beds.")
    if errors:
        raise ValidationError(errors)
    values: dict[str, object] = {
        "medical_staff": medical_staff,
        "service_population": service_population,
        "beds": beds,
        "inpatient_ward": bool(inpatient_ward),
        "recorded_by": actor,
    }
    with transaction.atomic():
        row = (
            InstitutionFacts.objects.select_for_update()
            .filter(institution=institution, effective_from=effective_from)
            .first()
        )
        before = _facts_dict(row) if row else None
        if row is None:
            row = InstitutionFacts.objects.create(
                institution=institution, effective_from=effective_from, **values
            )
        else:
            for name, new in values.items():
                setattr(row, name, new)
            row.save()
        audit_record(
            actor=actor,
            action=AuditAction.FACTS_RECORD,
            target=institution,
            before=before,
            after=_facts_dict(row),
        )
    return row

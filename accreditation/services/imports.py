"""Spreadsheet imports of the institution list and the expert pool.

Each import reads the whole sheet, checks every row (cell types first, then against
the database) and reports every problem with its sheet, row and column. Only when
there is none does it write, in one transaction, through the ordinary services
(``institution_create``, ``institution_facts_record``, ``user_create``,
``expert_profile_set`` ...), so the audit log and the rules are the same as for a
single change. Rows are matched by natural key (licence number, username): importing
the same file again changes nothing and writes no audit rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.conf import setting
from accreditation.excel import experts as expert_sheet
from accreditation.excel import institutions as institution_sheet
from accreditation.excel.reading import ImportRefused, Source, Table
from accreditation.models import ExpertProfile, Institution, InstitutionFacts, Region, User
from accreditation.permissions import Action, require
from accreditation.services.institutions import (
    facts_unchanged,
    institution_create,
    institution_details_set,
    institution_facts_record,
)
from accreditation.services.people import expert_profile_set, user_create, user_details_set

INSTITUTION_REGION_LEVELS = (Region.Level.COUNTY, Region.Level.TOWNSHIP)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did, by row: created, updated, or already as in the file."""

    rows: int
    created: int
    updated: int
    unchanged: int

    @property
    def summary(self) -> str:
        return (
            f"{self.rows} row(s): {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def _limits(max_rows: int | None, max_bytes: int | None) -> dict[str, int]:
    return {
        "max_rows": max_rows or setting("IMPORT_MAX_ROWS"),
        "max_bytes": max_bytes or setting("IMPORT_MAX_BYTES"),
    }


def _write_all(
    table: Table, plans: list[Any], write: Callable[[Any], str], columns: dict[str, str]
) -> ImportResult:
    """Apply ``write`` to every plan in one transaction; any ``ValidationError`` from a
    service becomes a row error and rolls everything back. ``columns`` maps a service's
    field name to the sheet column key."""
    outcomes = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for plan in plans:
            try:
                outcomes[write(plan)] += 1
            except ValidationError as exc:
                fields = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                for name, messages in fields.items():
                    table.error(plan.row.row, columns.get(name, ""), " ".join(messages))
        if table.errors:
            raise ImportRefused(table.errors)  # rolls the transaction back
    return ImportResult(rows=len(plans), **outcomes)


# ------------------------------------------------------------------------ institutions


class _FactValues(TypedDict):
    medical_staff: int
    service_population: int
    beds: int
    inpatient_ward: bool


@dataclass
class _InstitutionPlan:
    row: institution_sheet.InstitutionRow
    region: Region
    existing: Institution | None
    facts: InstitutionFacts | None


def institutions_import(
    *,
    actor: User | None,
    source: Source,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> ImportResult:
    """Import sheet 机构名单: create the institutions not yet registered (by licence
    number), update the name, address and contacts of those that are, and record the
    facts where the row has them and they differ from the snapshot of that date.

    All or nothing: raises :class:`ImportRefused` listing every problem (unreadable
    file, missing sheet or column, bad cell, unknown region or one above county
    level, a registered institution whose kind or region differs) and writes nothing.
    ``PermissionDenied`` unless the actor is an administrator (None: command line).
    Limits default to ``ACCREDITATION["IMPORT_MAX_ROWS"]`` and ``["IMPORT_MAX_BYTES"]``.
    """
    if actor is not None:
        require(actor, Action.INSTITUTION_MANAGE)
    sheet = institution_sheet.parse(source, **_limits(max_rows, max_bytes))
    table = sheet.table
    regions = {
        region.code: region
        for region in Region.objects.filter(code__in={row.region_code for row in sheet.rows})
    }
    existing = {
        inst.licence_number: inst
        for inst in Institution.objects.filter(
            licence_number__in=[row.licence_number for row in sheet.rows]
        ).select_related("region")
    }
    facts = {
        (row.institution_id, row.effective_from): row
        for row in InstitutionFacts.objects.filter(
            institution__in=list(existing.values()),
            effective_from__in={row.facts.effective_from for row in sheet.rows if row.facts},
        )
    }
    plans: list[_InstitutionPlan] = []
    for row in sheet.rows:
        region = regions.get(row.region_code)
        if region is None:
            table.error(
                row.row,
                "region_code",
                _("No region has the code %(code)s.") % {"code": row.region_code},
            )
            continue
        if region.level not in INSTITUTION_REGION_LEVELS:
            table.error(
                row.row,
                "region_code",
                _("%(region)s is not a county or township.") % {"region": region},
            )
            continue
        current = existing.get(row.licence_number)
        if current is not None and current.kind != row.kind:
            table.error(
                row.row,
                "kind",
                _("The registered institution is a %(kind)s; an import cannot change it.")
                % {"kind": institution_sheet.KIND_LABELS[current.kind]},
            )
            continue
        if current is not None and current.region_id != region.pk:
            table.error(
                row.row,
                "region_code",
                _("The registered institution is in %(region)s; an import cannot move it.")
                % {"region": current.region},
            )
            continue
        known = facts.get((current.pk, row.facts.effective_from)) if current and row.facts else None
        plans.append(_InstitutionPlan(row, region, current, known))
    if table.errors:
        raise ImportRefused(table.errors)

    def write(plan: _InstitutionPlan) -> str:
        row = plan.row
        details = {
            "name": row.name,
            "address": row.address,
            "contact_name": row.contact_name,
            "contact_phone": row.contact_phone,
            "contact_email": row.contact_email,
        }
        if plan.existing is None:
            institution = institution_create(
                actor=actor,
                kind=row.kind,
                licence_number=row.licence_number,
                region=plan.region,
                **details,
            )
            outcome = "created"
        else:
            institution = plan.existing
            changed = institution_details_set(actor=actor, institution=institution, **details)
            outcome = "updated" if changed else "unchanged"
        if row.facts is not None:
            values: _FactValues = {
                "medical_staff": row.facts.medical_staff,
                "service_population": row.facts.service_population,
                "beds": row.facts.beds,
                "inpatient_ward": row.facts.inpatient_ward,
            }
            if not facts_unchanged(plan.facts, **values):
                institution_facts_record(
                    actor=actor,
                    institution=institution,
                    effective_from=row.facts.effective_from,
                    **values,
                )
                if outcome == "unchanged":
                    outcome = "updated"
        return outcome

    return _write_all(
        table, plans, write, {"region": "region_code", "effective_from": "effective_from"}
    )


# ----------------------------------------------------------------------------- experts


@dataclass
class _ExpertPlan:
    row: expert_sheet.ExpertRow
    user: User | None
    home_region: Region
    employer: Institution | None
    conflicts: list[Institution]


def _profile_unchanged(plan: _ExpertPlan) -> bool:
    try:
        profile = plan.user.expert_profile if plan.user else None
    except ExpertProfile.DoesNotExist:
        return False
    if profile is None:
        return False
    return (
        profile.home_region_id == plan.home_region.pk
        and profile.employer_id == (plan.employer.pk if plan.employer else None)
        and profile.specialty == plan.row.specialty
        and {i.pk for i in profile.declared_conflicts.all()} == {i.pk for i in plan.conflicts}
    )


def experts_import(
    *,
    actor: User | None,
    source: Source,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> ImportResult:
    """Import sheet 专家库: create the experts not yet registered (by username) with
    no usable password (they set one through a password reset), update the name,
    e-mail and expert profile (home region, employer, specialty, declared conflicts)
    of those that are.

    All or nothing: raises :class:`ImportRefused` listing every problem (unreadable
    file, missing sheet or column, bad cell, unknown region, unknown employer or
    conflict licence number, a username that belongs to a user who is not an expert)
    and writes nothing. ``PermissionDenied`` unless the actor is an administrator.
    """
    if actor is not None:
        require(actor, Action.USER_MANAGE)
    sheet = expert_sheet.parse(source, **_limits(max_rows, max_bytes))
    table = sheet.table
    regions = {
        region.code: region
        for region in Region.objects.filter(code__in={row.home_region_code for row in sheet.rows})
    }
    licences = {row.employer_licence for row in sheet.rows if row.employer_licence}
    licences.update(code for row in sheet.rows for code in row.declared_conflicts)
    institutions = {
        inst.licence_number: inst
        for inst in Institution.objects.filter(licence_number__in=licences)
    }
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[row.username for row in sheet.rows])
        .select_related("expert_profile")
        .prefetch_related("expert_profile__declared_conflicts")
    }
    plans: list[_ExpertPlan] = []
    for row in sheet.rows:
        ok = True
        user = users.get(row.username)
        if user is not None and user.role != User.Role.EXPERT:
            table.error(
                row.row,
                "username",
                _("%(username)s is a user who is not an expert.") % {"username": row.username},
            )
            ok = False
        region = regions.get(row.home_region_code)
        if region is None:
            table.error(
                row.row,
                "home_region_code",
                _("No region has the code %(code)s.") % {"code": row.home_region_code},
            )
            ok = False
        employer = institutions.get(row.employer_licence) if row.employer_licence else None
        if row.employer_licence and employer is None:
            table.error(
                row.row,
                "employer_licence",
                _("No institution has the licence number %(value)s.")
                % {"value": row.employer_licence},
            )
            ok = False
        unknown = [code for code in row.declared_conflicts if code not in institutions]
        if unknown:
            table.error(
                row.row,
                "declared_conflicts",
                _("No institution has the licence number(s) %(value)s.")
                % {"value": ", ".join(unknown)},
            )
            ok = False
        if ok and region is not None:  # no region: refused above
            conflicts = [institutions[code] for code in row.declared_conflicts]
            plans.append(_ExpertPlan(row, user, region, employer, conflicts))
    if table.errors:
        raise ImportRefused(table.errors)

    def write(plan: _ExpertPlan) -> str:
        row = plan.row
        if plan.user is None:
            user = user_create(
                actor=actor,
                username=row.username,
                password=None,
                role=User.Role.EXPERT,
                full_name=row.full_name,
                email=row.email,
            )
            outcome = "created"
        else:
            user = plan.user
            changed = user_details_set(
                actor=actor, user=user, full_name=row.full_name, email=row.email
            )
            outcome = "updated" if changed else "unchanged"
        if plan.user is None or not _profile_unchanged(plan):
            expert_profile_set(
                actor=actor,
                expert=user,
                home_region=plan.home_region,
                employer=plan.employer,
                specialty=row.specialty,
                declared_conflicts=plan.conflicts,
            )
            if outcome == "unchanged":
                outcome = "updated"
        return outcome

    return _write_all(table, plans, write, {"username": "username", "email": "email"})

"""Institution facts with provenance: the statistical-return import, manual entries and
challenges (the institution disputes a value; the county accepts or rejects it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.conf import setting
from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import InvalidTransition, NotEditable
from accreditation.excel import statistical_return as sheet_format
from accreditation.excel.reading import ImportRefused
from accreditation.models import (
    CHALLENGE_TRANSITIONS,
    EDITABLE_STATUSES,
    FACT_KEYS,
    FactChallenge,
    FactChallengeNotice,
    FactImport,
    FactSource,
    Institution,
    InstitutionFact,
    ItemGrade,
    MetricSource,
    User,
)
from accreditation.permissions import Action, may, require
from accreditation.services.notifications import email_on_commit

#: Days the county has to answer a challenge. PROVISIONAL: no public rule found.
CHALLENGE_ANSWER_DAYS = 15
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True, slots=True)
class FactImportResult:
    """What an import did (or, for a dry run, would do)."""

    rows: int
    created: int
    updated: int
    unchanged: int
    metrics: int
    dry_run: bool
    fact_import: FactImport | None


def _check_year(year: int) -> None:
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})


def facts_import(
    *,
    actor: User | None,
    data: bytes,
    file_format: str,
    year: int,
    file_name: str = "",
    dry_run: bool = False,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> FactImportResult:
    """Import the annual statistical return for ``year``: one row per institution (by
    licence number), each fact value stored with its provenance (this import, its row)
    and each ``指标:<code>`` value written to the institution's editable assessment of
    that year's cycle, with its source.

    All or nothing: raises :class:`ImportRefused` listing every problem (file, header,
    cell, unknown institution, an institution outside the actor's region, a value under
    an open challenge, an unknown item code or an assessment no longer editable) and
    writes nothing. With ``dry_run`` everything is checked and nothing is written.
    ``PermissionDenied`` unless the actor is an officer or an administrator (None: the
    command line). A constant number of queries, whatever the number of rows."""
    if actor is not None:
        require(actor, Action.FACTS_IMPORT)
    _check_year(year)
    sheet = sheet_format.parse(
        data,
        file_format=file_format,
        max_rows=max_rows or setting("IMPORT_MAX_ROWS"),
        max_bytes=max_bytes or setting("IMPORT_MAX_BYTES"),
    )
    table = sheet.table
    institutions = {
        inst.licence_number: inst
        for inst in Institution.objects.filter(
            licence_number__in=[row.licence_number for row in sheet.rows]
        ).select_related("region")
    }
    existing = {
        (fact.institution_id, fact.key): fact
        for fact in InstitutionFact.objects.filter(
            institution__in=list(institutions.values()), year=year
        )
    }
    challenged = set(
        FactChallenge.objects.filter(
            fact__in=list(existing.values()), status=FactChallenge.Status.OPEN
        ).values_list("fact_id", flat=True)
    )
    grades: dict[tuple[int, str], ItemGrade] = {}
    if sheet.metric_columns:
        for stored in ItemGrade.objects.filter(
            assessment__institution__in=list(institutions.values()),
            assessment__cycle__year=year,
            item_code__in=list(sheet.metric_columns),
        ).select_related("assessment"):
            grades[(stored.assessment.institution_id, stored.item_code)] = stored
    creates: list[InstitutionFact] = []
    updates: list[InstitutionFact] = []
    metric_updates: list[tuple[ItemGrade, int, Decimal]] = []
    unchanged = 0
    for row in sheet.rows:
        inst = institutions.get(row.licence_number)
        if inst is None:
            table.error(
                row.row,
                "licence_number",
                _("No institution has the licence number %(value)s.")
                % {"value": row.licence_number},
            )
            continue
        if actor is not None and not may(actor, Action.FACTS_REGIONAL, inst):
            table.error(
                row.row,
                "licence_number",
                _("%(name)s is outside your region.") % {"name": inst.name},
            )
            continue
        for key, value in row.facts.items():
            fact = existing.get((inst.pk, key))
            if fact is None:
                creates.append(
                    InstitutionFact(
                        institution=inst,
                        year=year,
                        key=key,
                        value=value,
                        source=FactSource.IMPORT,
                        source_row=row.row,
                        recorded_by=actor,
                    )
                )
            elif fact.pk in challenged and fact.value != value:
                table.error(
                    row.row,
                    key,
                    _("The value is under an open challenge; decide the challenge first."),
                )
            elif fact.value == value:
                unchanged += 1
            else:
                fact.value = value
                fact.source = FactSource.IMPORT
                fact.source_row = row.row
                fact.challenge = None
                fact.recorded_by = actor
                fact.version += 1
                updates.append(fact)
        for code, value in row.metrics.items():
            found = grades.get((inst.pk, code))
            column = sheet.metric_columns[code]
            if found is None:
                table.error(
                    row.row,
                    column,
                    _("%(name)s has no assessment in %(year)d with an item %(code)s.")
                    % {"name": inst.name, "year": year, "code": code},
                )
            elif found.assessment.status not in EDITABLE_STATUSES:
                table.error(
                    row.row,
                    column,
                    _("The assessment is under review; its metric values can no longer change."),
                )
            else:
                found.metric_value = value
                found.version += 1
                found.updated_by = actor
                found.updated_at = timezone.now()
                metric_updates.append((found, row.row, value))
    if table.errors:
        raise ImportRefused(table.errors)
    result = {
        "rows": len(sheet.rows),
        "created": len(creates),
        "updated": len(updates),
        "unchanged": unchanged,
        "metrics": len(metric_updates),
    }
    if dry_run:
        return FactImportResult(**result, dry_run=True, fact_import=None)
    with transaction.atomic():
        record = FactImport.objects.create(
            year=year,
            file_name=file_name[:200],
            file_format=file_format,
            file_sha256=sheet.sha256,
            rows=len(sheet.rows),
            values_written=len(creates) + len(updates) + len(metric_updates),
            imported_by=actor,
        )
        for fact in (*creates, *updates):
            fact.fact_import = record
        InstitutionFact.objects.bulk_create(creates)
        InstitutionFact.objects.bulk_update(
            updates,
            ["value", "source", "source_row", "challenge", "recorded_by", "version", "fact_import"],
        )
        if metric_updates:
            metric_grades = [grade for grade, _row, _value in metric_updates]
            ItemGrade.objects.bulk_update(
                metric_grades,
                ["metric_value", "version", "updated_by", "updated_at"],
            )
            MetricSource.objects.filter(grade__in=metric_grades).delete()
            MetricSource.objects.bulk_create(
                MetricSource(
                    grade=grade,
                    source=FactSource.IMPORT,
                    fact_import=record,
                    source_row=number,
                    value=value,
                )
                for grade, number, value in metric_updates
            )
        audit_record(
            actor=actor,
            action=AuditAction.FACTS_IMPORT,
            target=record,
            after={**result, "year": year, "sha256": sheet.sha256, "format": file_format},
            note=file_name[:200],
        )
    return FactImportResult(**result, dry_run=False, fact_import=record)


def fact_set(
    *, actor: User, institution: Institution, year: int, key: str, value: Decimal
) -> InstitutionFact:
    """Enter one fact by hand (provenance: manual). ``ValidationError`` for an unknown
    key, a bad year or a negative value; ``NotEditable`` while a challenge is open;
    ``PermissionDenied`` unless a county reviewer or officer in scope or an administrator."""
    require(actor, Action.FACTS_REGIONAL, institution)
    _check_year(year)
    if key not in FACT_KEYS:
        raise ValidationError({"key": _("Unknown fact.")})
    value = _value(value, "value")
    with transaction.atomic():
        fact = (
            InstitutionFact.objects.select_for_update()
            .filter(institution=institution, year=year, key=key)
            .first()
        )
        before = None
        if fact is None:
            fact = InstitutionFact(institution=institution, year=year, key=key)
        else:
            if fact.challenges.filter(status=FactChallenge.Status.OPEN).exists():
                raise NotEditable(_("The value is under an open challenge; decide it first."))
            before = {"value": str(fact.value), **fact.provenance()}
            fact.version += 1
        fact.value = value
        fact.source = FactSource.MANUAL
        fact.fact_import = None
        fact.source_row = None
        fact.challenge = None
        fact.recorded_by = actor
        fact.save()
        audit_record(
            actor=actor,
            action=AuditAction.FACTS_RECORD,
            target=fact,
            before=before,
            after={"key": key, "year": year, "value": str(value), "source": fact.source},
        )
    return fact


def _value(value: object, field: str) -> Decimal:
    try:
        return sheet_format.number(value)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None


def fact_challenge_raise(
    *, actor: User, fact: InstitutionFact, proposed_value: object, reason: str
) -> FactChallenge:
    """The institution disputes ``fact``: a reason and the value it proposes. The county
    answers by ``due_on`` (:data:`CHALLENGE_ANSWER_DAYS` days). ``ValidationError`` for
    an empty reason or a proposed value that is no number or equals the current one;
    ``NotEditable`` when a challenge of this fact is already open; ``PermissionDenied``
    unless the actor is the institution's staff."""
    require(actor, Action.FACT_CHALLENGE, fact.institution)
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the value is wrong.")
    try:
        proposed = sheet_format.number(proposed_value)
        if proposed == fact.value:
            errors["proposed_value"] = _("The proposed value is the current value.")
    except ValueError as exc:
        errors["proposed_value"] = str(exc)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = InstitutionFact.objects.select_for_update().get(pk=fact.pk)
        if locked.challenges.filter(status=FactChallenge.Status.OPEN).exists():
            raise NotEditable(_("This value is already challenged; wait for the answer."))
        challenge = FactChallenge.objects.create(
            fact=locked,
            disputed_value=locked.value,
            proposed_value=proposed,
            reason=reason,
            raised_by=actor,
            due_on=timezone.localdate() + dt.timedelta(days=CHALLENGE_ANSWER_DAYS),
        )
        audit_record(
            actor=actor,
            action=AuditAction.FACT_CHALLENGE_RAISE,
            target=challenge,
            after={
                "fact": locked.pk,
                "key": locked.key,
                "disputed": str(locked.value),
                "proposed": str(proposed),
                "reason": reason,
            },
        )
    return challenge


def _decide(*, actor: User, challenge: FactChallenge, status: str, comment: str) -> FactChallenge:
    require(actor, Action.FACTS_REGIONAL, challenge.fact.institution)
    with transaction.atomic():
        locked = (
            FactChallenge.objects.select_for_update().select_related("fact").get(pk=challenge.pk)
        )
        if status not in CHALLENGE_TRANSITIONS[locked.status]:
            raise InvalidTransition(
                _("This challenge was already answered (%(status)s).")
                % {"status": locked.get_status_display()}
            )
        locked.status = status
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.comment = comment
        locked.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        fact = locked.fact
        before = {"value": str(fact.value), **fact.provenance()}
        if status == FactChallenge.Status.ACCEPTED:
            fact.value = locked.proposed_value
            fact.source = FactSource.CHALLENGE
            fact.challenge = locked
            fact.fact_import = None
            fact.source_row = None
            fact.recorded_by = actor
            fact.version += 1
            fact.save()
        audit_record(
            actor=actor,
            action=(
                AuditAction.FACT_CHALLENGE_ACCEPT
                if status == FactChallenge.Status.ACCEPTED
                else AuditAction.FACT_CHALLENGE_REJECT
            ),
            target=locked,
            before=before,
            after={"value": str(fact.value), **fact.provenance(), "comment": comment},
        )
    return locked


def fact_challenge_accept(
    *, actor: User, challenge: FactChallenge, comment: str = ""
) -> FactChallenge:
    """Accept the challenge: the fact takes the proposed value, its provenance becomes
    the challenge. ``InvalidTransition`` unless open; ``PermissionDenied`` unless a
    county reviewer or officer in scope or an administrator."""
    return _decide(
        actor=actor, challenge=challenge, status=FactChallenge.Status.ACCEPTED, comment=comment
    )


def fact_challenge_reject(*, actor: User, challenge: FactChallenge, comment: str) -> FactChallenge:
    """Reject the challenge with a comment (required: ``ValidationError``); the value
    stays. Same refusals as :func:`fact_challenge_accept`."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the challenge is rejected.")})
    return _decide(
        actor=actor, challenge=challenge, status=FactChallenge.Status.REJECTED, comment=comment
    )


#: Days before a challenge's answer date when the county is reminded.
CHALLENGE_REMINDER_DAYS = 3


def fact_challenge_reminders_send(
    *, on: dt.date | None = None, days_before: int = CHALLENGE_REMINDER_DAYS
) -> list[FactChallengeNotice]:
    """For every open challenge: from ``days_before`` days before its answer date
    remind the county reviewers covering the institution; after it, notify them that
    it is overdue. Each (challenge, kind, reviewer) is sent once. Returns the notices
    created. A constant number of queries, whatever the number of challenges."""
    on = on or timezone.localdate()
    with transaction.atomic():
        challenges = list(
            FactChallenge.objects.filter(
                status=FactChallenge.Status.OPEN, due_on__lte=on + dt.timedelta(days=days_before)
            )
            .select_related("fact__institution__region")
            .order_by("id")
        )
        if not challenges:
            return []
        sent = set(
            FactChallengeNotice.objects.filter(challenge__in=challenges).values_list(
                "challenge_id", "kind", "recipient_id"
            )
        )
        reviewers = list(
            User.objects.filter(
                role=User.Role.COUNTY_REVIEWER, is_active=True, region__isnull=False
            ).select_related("region")
        )
        created: list[FactChallengeNotice] = []
        by_recipient: dict[User, list[FactChallenge]] = {}
        for challenge in challenges:
            kind = (
                FactChallengeNotice.Kind.OVERDUE
                if on > challenge.due_on
                else FactChallengeNotice.Kind.REMINDER
            )
            path = challenge.fact.institution.region.path
            for user in reviewers:
                assert user.region is not None
                if not path.startswith(user.region.path) or (challenge.pk, kind, user.pk) in sent:
                    continue
                created.append(
                    FactChallengeNotice(
                        challenge=challenge, kind=kind, recipient=user, email=user.email
                    )
                )
                by_recipient.setdefault(user, []).append(challenge)
        FactChallengeNotice.objects.bulk_create(created)
        for user, items in by_recipient.items():
            lines = "\n".join(
                f"- {c.fact.institution.name} {c.fact.year} {c.fact.key}: {c.due_on.isoformat()}"
                for c in items
            )
            email_on_commit(
                recipients=[user],
                subject=_("Fact challenges to answer: %(count)d") % {"count": len(items)},
                body=lines,
            )
    return created

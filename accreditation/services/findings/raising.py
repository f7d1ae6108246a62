"""Raising findings: one at a time from any source, or the gap plan's items after
consolidation; withdrawing one raised in error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction
from accreditation.core.errors import DomainError, InvalidTransition
from accreditation.core.text import text_errors
from accreditation.models import (
    Assessment,
    AssessmentResult,
    AssessmentReturn,
    ConsistencySample,
    Finding,
    ItemGrade,
    LookBack,
    Objection,
    User,
)
from accreditation.permissions import Action, require
from accreditation.services.common import lock_assessment
from accreditation.services.findings.common import (
    FINDING_PLAN_DAYS,
    NOT_YET,
    REQUIRED_GRADES,
    Source,
    Status,
    clean_text,
    finding_audit,
    finding_status_set,
    future_date,
    grade_found,
    last_consolidation,
    lock_finding,
    text_problems,
)
from standards.models import Level


def _check_link(
    assessment: Assessment,
    source: str,
    *,
    lookback: LookBack | None,
    objection: Objection | None,
    assessment_return: AssessmentReturn | None,
    consistency_sample: ConsistencySample | None,
) -> dict[str, str]:
    """Errors when the linked record is missing for its source, of another source, or
    belongs to another assessment."""
    errors: dict[str, str] = {}
    links = {
        "lookback": (lookback, Source.LOOKBACK),
        "objection": (objection, Source.OBJECTION),
        "assessment_return": (assessment_return, Source.COUNTY),
        "consistency_sample": (consistency_sample, Source.CONSISTENCY),
    }
    for field, (obj, own_source) in links.items():
        if obj is not None and source != own_source:
            errors[field] = _("This record goes with findings of another source.")
    if lookback is not None and lookback.recognition.assessment_id != assessment.pk:
        errors["lookback"] = _("This look-back is about another assessment.")
    if source == Source.LOOKBACK and lookback is None:
        errors["lookback"] = _("Name the look-back.")
    if objection is not None:
        if objection.entry.assessment_id != assessment.pk:
            errors["objection"] = _("This objection is about another assessment.")
        elif objection.status != Objection.Status.UPHELD:
            errors["objection"] = _("Only an upheld objection becomes a finding.")
    if source == Source.OBJECTION and objection is None:
        errors["objection"] = _("Name the upheld objection.")
    if assessment_return is not None and assessment_return.assessment_id != assessment.pk:
        errors["assessment_return"] = _("This return is about another assessment.")
    if consistency_sample is not None and (
        consistency_sample.recognition.assessment_id != assessment.pk
    ):
        errors["consistency_sample"] = _("This sample is about another assessment.")
    if source == Source.CONSISTENCY and consistency_sample is None:
        errors["consistency_sample"] = _("Name the re-scored sample.")
    return errors


def finding_raise(
    *,
    actor: User,
    assessment: Assessment,
    source: str,
    description: str,
    item_code: str = "",
    required_grade: str = "",
    due_on: dt.date | str | None = None,
    lookback: LookBack | None = None,
    objection: Objection | None = None,
    assessment_return: AssessmentReturn | None = None,
    consistency_sample: ConsistencySample | None = None,
) -> Finding:
    """Raise a finding on ``assessment``: the item (blank: the institution as a whole),
    the source and the record it comes from, what was found and the grade required.
    The institution answers with a plan by ``due_on`` (by default
    :data:`FINDING_PLAN_DAYS` days from today).

    Raises ``PermissionDenied`` unless ``actor`` is a county reviewer or officer
    covering the institution, or the panel lead; ``ValidationError`` by field (unknown
    source or item, empty or too long description, grade not C/B/A, a past date, a
    record of another source or another assessment); ``InvalidTransition`` on a draft
    or withdrawn assessment, or a panel finding before the consolidation; and
    ``DomainError`` (``duplicate``) when the item already has an unresolved finding
    from this source."""
    require(actor, Action.FINDING_RAISE, assessment)
    description, item_code = clean_text(description), clean_text(item_code)
    errors = text_problems(description=description)
    errors.update(text_errors(Finding, item_code=item_code))
    if source not in Source.values:
        errors["source"] = _(
            "Choose county review, expert panel, upheld objection, look-back or consistency check."
        )
    if required_grade not in ("", *REQUIRED_GRADES):
        errors["required_grade"] = _("Choose C, B or A.")
    if (
        item_code
        and not ItemGrade.objects.filter(assessment=assessment, item_code=item_code).exists()
    ):
        errors["item_code"] = _("No such item in this assessment.")
    due = future_date(due_on, "due_on", errors)
    if source in Source.values:
        errors.update(
            _check_link(
                assessment,
                source,
                lookback=lookback,
                objection=objection,
                assessment_return=assessment_return,
                consistency_sample=consistency_sample,
            )
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_assessment(assessment, "institution__region", "cycle")
        require(actor, Action.FINDING_RAISE, locked)
        if locked.status in NOT_YET:
            raise InvalidTransition(
                _("Findings are raised on a submitted assessment."),
                details={"status": locked.status},
            )
        if source == Source.PANEL and last_consolidation(locked) is None:
            raise InvalidTransition(
                _("The panel has not consolidated this assessment yet."),
                details={"status": locked.status},
            )
        finding = create_finding(
            actor,
            locked,
            source=source,
            item_code=item_code,
            description=description,
            required_grade=required_grade,
            due_on=due or timezone.localdate() + dt.timedelta(days=FINDING_PLAN_DAYS),
            lookback=lookback,
            objection=objection,
            assessment_return=assessment_return,
            consistency_sample=consistency_sample,
        )
    return finding


def create_finding(
    actor: User,
    locked: Assessment,
    *,
    source: str,
    item_code: str,
    description: str,
    required_grade: str,
    due_on: dt.date,
    current_grade: str | None = None,
    lookback: LookBack | None = None,
    objection: Objection | None = None,
    assessment_return: AssessmentReturn | None = None,
    consistency_sample: ConsistencySample | None = None,
) -> Finding:
    """Insert a checked finding and its audit row, inside the caller's transaction
    with ``locked`` locked. ``current_grade`` defaults to the item's grade after the
    last consolidation (or the self-assessment's). Raises ``DomainError``
    (``duplicate``) when the item already has an unresolved finding from ``source``."""
    if current_grade is None:
        current_grade = grade_found(locked, item_code) if item_code else ""
    try:
        with transaction.atomic():
            finding = Finding.objects.create(
                assessment=locked,
                raised_by=actor,
                source=source,
                item_code=item_code,
                description=description,
                current_grade=current_grade,
                required_grade=required_grade,
                due_on=due_on,
                lookback=lookback,
                objection=objection,
                assessment_return=assessment_return,
                consistency_sample=consistency_sample,
            )
    except IntegrityError:
        raise DomainError(
            _("Item %(item)s already has an unresolved finding from this source.")
            % {"item": item_code},
            code="duplicate",
            details={"item_code": item_code, "source": source},
        ) from None
    code = item_code
    finding_audit(
        actor,
        AuditAction.FINDING_RAISE,
        finding,
        after={
            "item": code,
            "source": finding.source,
            "found": finding.current_grade,
            "required": finding.required_grade,
            "due_on": finding.due_on.isoformat(),
        },
        note=finding.description[:200],
    )
    return finding


def findings_from_gap_plan(
    *,
    actor: User,
    assessment: Assessment,
    item_codes: Sequence[str] | None = None,
    due_on: dt.date | str | None = None,
) -> list[Finding]:
    """Raise a panel finding for each item of the latest result's gap plan (the items
    whose upgrade reaches the target level), or for the chosen ``item_codes`` among
    them; items that already have an unresolved panel finding are skipped. Returns the
    findings raised.

    Same refusals as :func:`finding_raise`, and ``DomainError`` (``no_result``) without
    a computed result, ``ValidationError`` (``item_codes``) for codes outside the plan."""
    require(actor, Action.FINDING_RAISE, assessment)
    errors: dict[str, str] = {}
    due = future_date(due_on, "due_on", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_assessment(assessment, "institution__region", "cycle")
        require(actor, Action.FINDING_RAISE, locked)
        result = AssessmentResult.objects.filter(assessment=locked).order_by("-id").first()
        if result is None:
            raise DomainError(
                _("No result has been computed for this assessment yet."), code="no_result"
            )
        upgrades = {u["item"]: u for u in result.gap_plan.get("upgrades", [])}
        chosen = list(upgrades) if item_codes is None else list(dict.fromkeys(item_codes))
        outside = [code for code in chosen if code not in upgrades]
        if outside:
            raise ValidationError(
                {"item_codes": _("Not in the gap plan: %(codes)s.") % {"codes": ", ".join(outside)}}
            )
        taken = set(
            Finding.objects.filter(assessment=locked, source=Source.PANEL, item_code__in=chosen)
            .exclude(status__in=(Status.CLOSED, Status.WITHDRAWN))
            .values_list("item_code", flat=True)
        )
        level = result.gap_plan.get("target") or locked.target_level
        due = due or timezone.localdate() + dt.timedelta(days=FINDING_PLAN_DAYS)
        raised = []
        for code in chosen:
            if code in taken:
                continue
            upgrade = upgrades[code]
            raised.append(
                create_finding(
                    actor,
                    locked,
                    source=Source.PANEL,
                    item_code=code,
                    description=_(
                        "Graded %(found)s after consolidation; %(required)s is needed to reach "
                        "the %(level)s level."
                    )
                    % {
                        "found": upgrade["from"] or _("not met"),
                        "required": upgrade["to"],
                        "level": Level(level).label if level in Level.values else level,
                    },
                    current_grade=upgrade["from"],
                    required_grade=upgrade["to"] if upgrade["to"] in REQUIRED_GRADES else "",
                    due_on=due,
                )
            )
    return raised


def finding_withdraw(*, actor: User, finding: Finding, reason: str) -> Finding:
    """Withdraw a finding raised in error, before its plan is accepted. Raises
    ``PermissionDenied`` unless the raiser or an officer covering the institution;
    ``ValidationError`` without a reason; ``InvalidTransition`` once a plan is
    accepted."""
    require(actor, Action.FINDING_DECIDE, finding)
    reason = clean_text(reason)
    errors = text_problems(reason=reason)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_finding(finding)
        require(actor, Action.FINDING_DECIDE, locked)
        previous = finding_status_set(locked, Status.WITHDRAWN)
        finding_audit(
            actor, AuditAction.FINDING_WITHDRAW, locked, before={"status": previous}, note=reason
        )
    return locked

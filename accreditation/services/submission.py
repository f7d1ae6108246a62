"""Submitting a self-assessment: completeness checks, the frozen snapshot, and the
review process it starts (or, on resubmission, resumes at the stage that returned
it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction
from accreditation.core.errors import DomainError, IncompleteError, InvalidTransition, Problem
from accreditation.models import (
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    ItemGrade,
    ReviewStage,
    User,
)
from accreditation.permissions import Action, require
from accreditation.selectors.assessments import AttachmentInfo, assessment_attachments
from accreditation.selectors.evidence import EXPIRED, expiry_state
from accreditation.selectors.scoring import (
    ScoringInputs,
    assessment_scoring_inputs,
    provisional_result,
    today,
)
from accreditation.services.common import (
    assessment_transition,
    check_transition,
    lock_assessment,
)
from standards.scoring import auto_not_applicable
from workflows import driver
from workflows.steps import Step

Status = Assessment.Status
Value = ItemGrade.Value
SNAPSHOT_SCHEMA = 1


def completeness_problems(
    *,
    rows: Iterable[Mapping[str, Any]],
    inputs: ScoringInputs,
    attachments: Mapping[str, list[AttachmentInfo]],
    on: dt.date | None = None,
) -> list[Problem]:
    """Every reason the grading cannot be submitted, in catalogue order: facts not
    declared; current evidence expired on ``on`` (default today; whatever the item's
    grade); applicable items without a grade; graded items that require evidence and
    have none; N/A claims without a reason; carried-over proposals not yet confirmed.
    ``rows`` are item grades in catalogue order with ``item_code``, ``grade``,
    ``na_reason``, ``evidence_required`` and optionally ``carry``; ``attachments`` the
    current evidence by item (superseded revisions are skipped). Pure."""
    on = on or today()
    problems: list[Problem] = []
    if inputs.facts_row is None:
        problems.append(
            Problem(
                "facts_missing", _("Declare the institution's facts (staff, population, beds).")
            )
        )
    auto = set(auto_not_applicable(inputs.edition, inputs.facts))
    for row in rows:
        code, grade = row["item_code"], row["grade"]
        if row.get("carry") == ItemGrade.Carry.PROPOSED:
            problems.append(
                Problem(
                    "carried_unconfirmed",
                    _(
                        "Item %(item)s was carried over from the last cycle; confirm it or "
                        "change it."
                    )
                    % {"item": code},
                    code,
                )
            )
        for info in attachments.get(code, ()):
            if not info.superseded and expiry_state(info.expires_on, on=on) == EXPIRED:
                assert info.expires_on is not None  # expired implies a date
                problems.append(
                    Problem(
                        "evidence_expired",
                        _(
                            "Evidence «%(name)s» for item %(item)s expired on %(date)s; "
                            "upload a current revision or remove it."
                        )
                        % {"name": info.name, "item": code, "date": info.expires_on.isoformat()},
                        code,
                    )
                )
        if code in auto:
            continue
        if grade == Value.NA:
            if not row["na_reason"]:
                problems.append(
                    Problem(
                        "na_reason_missing",
                        _("Item %(item)s is claimed not applicable without a reason.")
                        % {"item": code},
                        code,
                    )
                )
            continue
        if grade == Value.UNGRADED:
            problems.append(
                Problem("ungraded", _("Item %(item)s has no grade.") % {"item": code}, code)
            )
        if row["evidence_required"] and not any(
            not info.superseded for info in attachments.get(code, ())
        ):
            problems.append(
                Problem(
                    "evidence_missing",
                    _("Item %(item)s requires evidence; none is attached.") % {"item": code},
                    code,
                )
            )
    return problems


def _snapshot_data(
    assessment: Assessment,
    rows: Sequence[Mapping[str, Any]],
    inputs: ScoringInputs,
    attachments: Mapping[str, list[AttachmentInfo]],
    submitted_at: Any,
) -> dict[str, Any]:
    result = provisional_result(inputs=inputs, target_level=assessment.target_level)
    facts_row = inputs.facts_row
    assert facts_row is not None  # completeness_problems refused a missing one
    return {
        "schema": SNAPSHOT_SCHEMA,
        "assessment": {
            "id": assessment.pk,
            "cycle": assessment.cycle_id,
            "institution": assessment.institution_id,
            "institution_name": assessment.institution.name,
            "institution_kind": assessment.institution.kind,
            "target_level": assessment.target_level,
            "submitted_at": submitted_at.isoformat(),
        },
        "edition": {
            "id": assessment.edition_id,
            "code": assessment.edition.code,
            "status": assessment.edition.status,
        },
        "rule_sets": {
            level: {
                "id": rs.pk,
                "version": rs.version,
                "province_code": rs.province_code,
                "provisional": rs.provisional,
            }
            for level, rs in inputs.rule_sets.items()
        },
        "facts": {
            "id": facts_row.pk,
            "effective_from": facts_row.effective_from.isoformat(),
            **inputs.facts.as_dict(),
        },
        "grades": {
            row["item_code"]: {
                "grade": row["grade"],
                "na_reason": row["na_reason"],
                "metric_value": None if row["metric_value"] is None else str(row["metric_value"]),
                "note": row["note"],
                "version": row["version"],
            }
            for row in rows
        },
        "evidence": {
            code: [
                {
                    "sha256": a.sha256,
                    "name": a.name,
                    "size": a.size,
                    "type": a.file_type,
                    "effective_on": a.effective_on.isoformat() if a.effective_on else None,
                    "expires_on": a.expires_on.isoformat() if a.expires_on else None,
                    "revision": a.revision,
                }
                for a in items
                if not a.superseded
            ]
            for code, items in attachments.items()
        },
        "result": result.as_dict(),
    }


def assessment_submit(*, actor: User, assessment: Assessment) -> AssessmentSnapshot:
    """Submit a draft or returned assessment.

    Checks completeness (expired evidence included) and, when anything is missing,
    raises ``IncompleteError`` listing every problem at once (nothing changes). On
    success freezes an immutable :class:`AssessmentSnapshot` (grades, facts in force
    today, the current evidence with hashes, dates and revisions, edition and rule-set
    versions, provisional result), marks the assessment submitted and
    refuses further edits until it is returned.

    The first submission starts the assessment's review process; a resubmission
    completes the correction step, and the process goes back to the stage that
    returned the assessment (see :func:`assessment_resubmit`).

    Raises ``PermissionDenied`` unless ``actor`` is staff of the institution;
    ``InvalidTransition`` from any status but draft or returned; ``DomainError`` with
    code ``cycle_closed`` when the cycle is closed."""
    require(actor, Action.ASSESSMENT_SUBMIT, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment, "cycle", "institution", "edition")
        require(actor, Action.ASSESSMENT_SUBMIT, locked)
        check_transition(locked, Status.SUBMITTED)
        if not locked.cycle.is_open:
            raise DomainError(_("The cycle is closed."), code="cycle_closed")
        on = today()
        inputs = assessment_scoring_inputs(assessment=locked, on=on)
        rows = list(
            ItemGrade.objects.filter(assessment=locked)
            .order_by("item__position")
            .values(
                "item_code",
                "grade",
                "na_reason",
                "metric_value",
                "note",
                "version",
                "carry",
                evidence_required=F("item__evidence_required"),
            )
        )
        attachments = assessment_attachments(assessment=locked, on=on)
        problems = completeness_problems(rows=rows, inputs=inputs, attachments=attachments, on=on)
        if problems:
            raise IncompleteError(
                _("The assessment is not complete: %(count)d problems.") % {"count": len(problems)},
                problems=problems,
            )
        now = timezone.now()
        sequence = AssessmentSnapshot.objects.filter(assessment=locked).count() + 1
        snapshot = AssessmentSnapshot.objects.create(
            assessment=locked,
            sequence=sequence,
            created_by=actor,
            data=_snapshot_data(locked, rows, inputs, attachments, now),
        )
        locked.submitted_at = now
        before = assessment_transition(
            locked,
            Status.SUBMITTED,
            actor=actor,
            action=AuditAction.ASSESSMENT_SUBMIT,
            fields=("submitted_at",),
            after={
                "snapshot": snapshot.pk,
                "sequence": sequence,
                "provisional_level": snapshot.data["result"]["level"],
            },
        )
        if before == Status.RETURNED:
            _resume_review(locked, actor, snapshot, now)
        else:
            driver.process_start(assessment=locked, actor=actor)
    return snapshot


#: The correction step of the review process, per stage that returned the assessment.
CORRECTION_STEPS: dict[str, Step] = {
    ReviewStage.COUNTY: Step.COUNTY_CORRECTION,
    ReviewStage.EXPERT: Step.EXPERT_CORRECTION,
}


def _resume_review(
    assessment: Assessment, actor: User, snapshot: AssessmentSnapshot, now: Any
) -> None:
    returned = AssessmentReturn.objects.filter(assessment=assessment).order_by("-id").first()
    if returned is None or not returned.stage:
        raise DomainError(_("This assessment has no return to answer."), code="no_return")
    returned.resubmitted_at = now
    returned.resubmission = snapshot
    returned.save(update_fields=["resubmitted_at", "resubmission"])
    driver.task_complete(
        assessment=assessment, actor=actor, names=(CORRECTION_STEPS[returned.stage],)
    )


def assessment_resubmit(*, actor: User, assessment: Assessment) -> AssessmentSnapshot:
    """Resubmit a returned assessment after correction. It goes back to the same stage
    it was returned from (a new round of the county or the expert review); the return
    records when and which snapshot answered it. Otherwise as :func:`assessment_submit`.

    Raises ``InvalidTransition`` unless the assessment is returned."""
    require(actor, Action.ASSESSMENT_SUBMIT, assessment)
    current = Assessment.objects.only("status").get(pk=assessment.pk).status
    if current != Status.RETURNED:
        raise InvalidTransition(
            _("Only a returned assessment can be resubmitted."),
            details={"from": current, "to": Status.SUBMITTED},
        )
    return assessment_submit(actor=actor, assessment=assessment)

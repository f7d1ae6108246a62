"""The institution's rectification plan and evidence of effect, and the reviewer's
acceptance, return, verification and reopening."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction
from accreditation.core.errors import InvalidTransition
from accreditation.core.text import text_errors
from accreditation.models import (
    Finding,
    RectificationEvidence,
    RectificationFile,
    RectificationPlan,
    User,
)
from accreditation.permissions import Action, require
from accreditation.services.evidence import inspect_upload, store_inspected
from accreditation.services.findings.common import (
    Status,
    check_finding_transition,
    clean_text,
    finding_audit,
    finding_status_set,
    future_date,
    lock_finding,
    refuse_when_resolved,
    text_problems,
)


def _check_plan_date(locked: Finding, due: dt.date | None, errors: dict[str, str]) -> None:
    lookback = locked.lookback
    if lookback is not None and lookback.rectify_by and due and due > lookback.rectify_by:
        errors["due_on"] = _(
            "The look-back requires rectification by %(date)s; choose that date or earlier."
        ) % {"date": lookback.rectify_by.isoformat()}


def plan_submit(
    *,
    actor: User,
    finding: Finding,
    root_cause: str,
    actions: str,
    owner: str,
    due_on: dt.date | str | None,
) -> RectificationPlan:
    """The institution's rectification plan for an open finding: the root cause, the
    actions, the person responsible (``owner``) and the date by which it is done.

    Raises ``PermissionDenied`` unless ``actor`` is staff of the institution;
    ``ValidationError`` by field for a missing root cause, actions, owner or date, a
    past date or one after a look-back's deadline; ``NotEditable`` for a closed or
    withdrawn finding; ``InvalidTransition`` when a plan is already submitted or
    accepted."""
    require(actor, Action.FINDING_RESPOND, finding.assessment)
    root_cause, actions, owner = clean_text(root_cause), clean_text(actions), clean_text(owner)
    errors = text_problems(root_cause=root_cause, actions=actions)
    if not owner:
        errors["owner"] = _("Name the person responsible.")
    else:
        errors.update(text_errors(RectificationPlan, owner=owner))
    due = future_date(due_on, "due_on", errors)
    if due is None and "due_on" not in errors:
        errors["due_on"] = _("Give the date by which the plan is carried out.")
    with transaction.atomic():
        locked = lock_finding(finding)
        require(actor, Action.FINDING_RESPOND, locked.assessment)
        _check_plan_date(locked, due, errors)
        if errors:
            raise ValidationError(errors)
        assert due is not None  # a missing date is an error above
        refuse_when_resolved(locked)
        finding_status_set(locked, Status.PLAN_SUBMITTED)
        plan = RectificationPlan.objects.create(
            finding=locked,
            root_cause=root_cause,
            actions=actions,
            owner=owner,
            due_on=due,
            submitted_by=actor,
        )
        finding_audit(
            actor,
            AuditAction.PLAN_SUBMIT,
            locked,
            plan,
            after={"plan": plan.pk, "owner": owner, "due_on": plan.due_on.isoformat()},
        )
    return plan


def _pending_plan(locked: Finding) -> RectificationPlan:
    plan = locked.plans.filter(outcome=RectificationPlan.Outcome.PENDING).order_by("-id").first()
    if plan is None:
        raise InvalidTransition(
            _("There is no plan awaiting a decision."), details={"status": locked.status}
        )
    return plan


def _decide_plan(actor: User, finding: Finding, outcome: str, comment: str) -> RectificationPlan:
    require(actor, Action.FINDING_DECIDE, finding)
    with transaction.atomic():
        locked = lock_finding(finding)
        require(actor, Action.FINDING_DECIDE, locked)
        refuse_when_resolved(locked)
        accepted = outcome == RectificationPlan.Outcome.ACCEPTED
        check_finding_transition(locked, Status.PLAN_ACCEPTED if accepted else Status.OPEN)
        plan = _pending_plan(locked)
        plan.outcome = outcome
        plan.decided_by = actor
        plan.decided_at = timezone.now()
        plan.comment = comment
        plan.save(update_fields=["outcome", "decided_by", "decided_at", "comment"])
        if accepted:
            locked.due_on = plan.due_on
            finding_status_set(locked, Status.PLAN_ACCEPTED, "due_on")
        else:
            # The institution revises the plan; the original plan deadline stands unless
            # it has passed, when a week is given.
            locked.due_on = max(locked.due_on, timezone.localdate() + dt.timedelta(days=7))
            finding_status_set(locked, Status.OPEN, "due_on")
        finding_audit(
            actor,
            AuditAction.PLAN_ACCEPT if accepted else AuditAction.PLAN_RETURN,
            locked,
            plan,
            after={"plan": plan.pk, "due_on": locked.due_on.isoformat()},
            note=comment,
        )
    return plan


def plan_accept(*, actor: User, finding: Finding, comment: str = "") -> RectificationPlan:
    """Accept the submitted plan: the institution now owes evidence of effect by the
    plan's date. Raises ``PermissionDenied`` unless the reviewer who raised the
    finding or an officer covering the institution; ``NotEditable`` for a closed
    finding; ``InvalidTransition`` without a submitted plan."""
    comment = clean_text(comment)
    errors = text_problems(required=False, comment=comment)
    if errors:
        raise ValidationError(errors)
    return _decide_plan(actor, finding, RectificationPlan.Outcome.ACCEPTED, comment)


def plan_return(*, actor: User, finding: Finding, comment: str) -> RectificationPlan:
    """Return the submitted plan with a comment (required): the finding is open again
    for a revised plan. Same refusals as :func:`plan_accept`."""
    comment = clean_text(comment)
    errors = text_problems(comment=comment)
    if errors:
        raise ValidationError(errors)
    return _decide_plan(actor, finding, RectificationPlan.Outcome.RETURNED, comment)


def rectification_evidence_submit(
    *,
    actor: User,
    finding: Finding,
    description: str,
    files: Iterable[File] = (),
) -> RectificationEvidence:
    """The institution's evidence of effect for the accepted plan: what was done, with
    files (checked like any evidence and stored once per content).

    Raises, storing nothing: ``PermissionDenied`` unless staff of the institution;
    ``ValidationError`` without a description; ``EvidenceRejected`` for a refused
    file; ``NotEditable`` for a closed or withdrawn finding; ``InvalidTransition``
    unless a plan has been accepted and no evidence awaits verification."""
    require(actor, Action.FINDING_RESPOND, finding.assessment)
    description = clean_text(description)
    errors = text_problems(description=description)
    if errors:
        raise ValidationError(errors)
    uploads = [(file, inspect_upload(file)) for file in files]
    written: list[str] = []
    try:
        with transaction.atomic():
            locked = lock_finding(finding)
            require(actor, Action.FINDING_RESPOND, locked.assessment)
            refuse_when_resolved(locked)
            finding_status_set(locked, Status.EVIDENCE_SUBMITTED)
            plan = (
                locked.plans.filter(outcome=RectificationPlan.Outcome.ACCEPTED)
                .order_by("-id")
                .first()
            )
            assert plan is not None  # plan_accepted always has one
            submission = RectificationEvidence.objects.create(
                finding=locked, plan=plan, description=description, submitted_by=actor
            )
            names = []
            for file, inspected in uploads:
                evidence, path = store_inspected(inspected, file)
                if path:
                    written.append(path)
                _, created = RectificationFile.objects.get_or_create(
                    submission=submission, evidence=evidence, defaults={"name": inspected.name}
                )
                if created:
                    names.append(inspected.name)
            finding_audit(
                actor,
                AuditAction.RECTIFICATION_EVIDENCE_SUBMIT,
                locked,
                submission,
                after={"evidence": submission.pk, "files": names},
            )
    except BaseException:
        for path in written:
            default_storage.delete(path)
        raise
    return submission


def _pending_evidence(locked: Finding) -> RectificationEvidence:
    evidence = (
        locked.evidence.filter(outcome=RectificationEvidence.Outcome.PENDING)
        .order_by("-id")
        .first()
    )
    if evidence is None:
        raise InvalidTransition(
            _("There is no evidence awaiting verification."), details={"status": locked.status}
        )
    return evidence


def finding_verify(*, actor: User, finding: Finding, comment: str = "") -> Finding:
    """Verify the evidence of effect: the finding is closed. Raises
    ``PermissionDenied`` unless the reviewer who raised it or an officer covering the
    institution; ``InvalidTransition`` without evidence awaiting verification."""
    return _verify(actor, finding, RectificationEvidence.Outcome.VERIFIED, clean_text(comment))


def finding_reopen(*, actor: User, finding: Finding, comment: str) -> Finding:
    """Reopen: the evidence does not show the effect (``comment`` says why, required);
    the institution submits evidence again, by the plan's date or within a week if it
    has passed. Same refusals as :func:`finding_verify`."""
    comment = clean_text(comment)
    errors = text_problems(comment=comment)
    if errors:
        raise ValidationError(errors)
    return _verify(actor, finding, RectificationEvidence.Outcome.REOPENED, comment)


def _verify(actor: User, finding: Finding, outcome: str, comment: str) -> Finding:
    require(actor, Action.FINDING_DECIDE, finding)
    errors = text_problems(required=False, comment=comment)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_finding(finding)
        require(actor, Action.FINDING_DECIDE, locked)
        refuse_when_resolved(locked)
        verified = outcome == RectificationEvidence.Outcome.VERIFIED
        check_finding_transition(locked, Status.CLOSED if verified else Status.PLAN_ACCEPTED)
        evidence = _pending_evidence(locked)
        evidence.outcome = outcome
        evidence.decided_by = actor
        evidence.decided_at = timezone.now()
        evidence.comment = comment
        evidence.save(update_fields=["outcome", "decided_by", "decided_at", "comment"])
        if verified:
            locked.closed_at = timezone.now()
            finding_status_set(locked, Status.CLOSED, "closed_at")
        else:
            locked.due_on = max(locked.due_on, timezone.localdate() + dt.timedelta(days=7))
            finding_status_set(locked, Status.PLAN_ACCEPTED, "due_on")
        finding_audit(
            actor,
            AuditAction.FINDING_VERIFY if verified else AuditAction.FINDING_REOPEN,
            locked,
            evidence,
            after={"evidence": evidence.pk},
            note=comment,
        )
    return locked

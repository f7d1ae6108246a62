"""Expert panels: an officer assigns a lead and members, refusing conflicted experts."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import ConflictOfInterest, WrongStep
from accreditation.models import Assessment, ConflictRule, ExpertAssignment, User
from accreditation.permissions import Action, require
from accreditation.selectors.people import conflict_rules_for
from accreditation.services.common import lock_assessment
from accreditation.services.notifications import email_on_commit
from workflows import driver
from workflows.steps import Step

Status = Assessment.Status
RULE_LABELS = {**dict(ConflictRule.choices), "no_profile": "The expert has no expert profile"}


def panel_assign(
    *, actor: User, assessment: Assessment, lead: User, members: Sequence[User] = ()
) -> list[ExpertAssignment]:
    """Assign the expert panel (a lead and members) of an assessment in expert review;
    the process then gives every panel member, the lead included, their own grading
    step.

    Every expert is checked against the province's conflict-of-interest rules
    (same institution, employer in the same county, declared conflict, reviewed this
    institution in the previous cycle); one conflict refuses the whole panel with
    ``ConflictOfInterest``, whose message names each expert and rule and whose
    ``details["conflicts"]`` lists ``{"expert", "rules"}``.

    Raises ``PermissionDenied`` unless ``actor`` is an officer at the reviewing level
    covering the institution; ``WrongStep`` unless the process waits for a panel;
    ``ValidationError`` for a panel that is not made of distinct expert reviewers."""
    require(actor, Action.PANEL_ASSIGN, assessment)
    experts = [lead, *members]
    errors: dict[str, str] = {}
    if len({e.pk for e in experts}) != len(experts):
        errors["members"] = _("Each expert can sit on the panel once.")
    not_experts = [e.username for e in experts if e.role != User.Role.EXPERT or not e.is_active]
    if not_experts:
        errors["members"] = _("Not active expert reviewers: %(names)s") % {
            "names": ", ".join(not_experts)
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_assessment(assessment, "cycle", "institution__region")
        require(actor, Action.PANEL_ASSIGN, locked)
        if (
            locked.status != Status.EXPERT_REVIEW
            or not driver.open_tasks(assessment=locked, names=(Step.ASSIGN_PANEL,)).exists()
        ):
            raise WrongStep(
                _("The assessment is not waiting for a panel."),
                details={"open": driver.open_step_names(assessment=locked)},
            )
        conflicts = [
            (expert, rules)
            for expert in experts
            if (rules := conflict_rules_for(expert=expert, assessment=locked))
        ]
        if conflicts:
            described = "; ".join(
                f"{expert.username}: " + ", ".join(str(RULE_LABELS[r]) for r in rules)
                for expert, rules in conflicts
            )
            raise ConflictOfInterest(
                _("Conflict of interest: %(conflicts)s.") % {"conflicts": described},
                details={
                    "conflicts": [
                        {"expert": expert.pk, "username": expert.username, "rules": rules}
                        for expert, rules in conflicts
                    ]
                },
            )
        assignments = [
            ExpertAssignment.objects.create(
                assessment=locked,
                expert=expert,
                role=ExpertAssignment.Role.LEAD if expert is lead else ExpertAssignment.Role.MEMBER,
                assigned_by=actor,
            )
            for expert in experts
        ]
        audit_record(
            actor=actor,
            action=AuditAction.PANEL_ASSIGN,
            target=locked,
            after={"lead": lead.pk, "members": [m.pk for m in members]},
        )
        driver.task_complete(assessment=locked, actor=actor, names=(Step.ASSIGN_PANEL,))
        email_on_commit(
            recipients=experts,
            subject=_("You are on an expert panel"),
            body=_("Please grade the assessment of %(name)s.") % {"name": locked.institution.name},
        )
    return assignments

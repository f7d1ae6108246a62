"""Rectification (整改): findings raised on an assessment, the institution's plans and
evidence of effect, the reviewer's decisions, and the reminders.

A finding moves along ``FINDING_TRANSITIONS``: ``open`` (the institution owes a plan
by ``due_on``) -> ``plan_submitted`` -> ``plan_accepted`` (the institution owes evidence
of effect by the plan's date) -> ``evidence_submitted`` -> ``closed``; a returned plan
goes back to ``open``, a reopened rectification back to ``plan_accepted``. Every
service checks permission first, locks the finding, refuses an illegal transition and
writes one audit row on the finding's assessment."""

from accreditation.services.findings.common import FINDING_PLAN_DAYS, last_consolidation
from accreditation.services.findings.lookbacks import (
    RectifyItem,
    lookback_conclude,
    lookbacks_expired_conclude,
)
from accreditation.services.findings.raising import (
    finding_raise,
    finding_withdraw,
    findings_from_gap_plan,
)
from accreditation.services.findings.rectification import (
    finding_reopen,
    finding_verify,
    plan_accept,
    plan_return,
    plan_submit,
    rectification_evidence_submit,
)
from accreditation.services.findings.reminders import finding_reminders_send

__all__ = [
    "FINDING_PLAN_DAYS",
    "RectifyItem",
    "finding_raise",
    "finding_reminders_send",
    "finding_reopen",
    "finding_verify",
    "finding_withdraw",
    "findings_from_gap_plan",
    "last_consolidation",
    "lookback_conclude",
    "lookbacks_expired_conclude",
    "plan_accept",
    "plan_return",
    "plan_submit",
    "rectification_evidence_submit",
]

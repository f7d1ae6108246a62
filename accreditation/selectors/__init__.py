"""Every non-trivial read. Visibility first (``visibility``), then reads of one
assessment (``assessments``), scoring inputs and results (``scoring``), the audit
trail (``audit``) and people (``people``)."""

from accreditation.selectors.assessments import (
    AttachmentInfo,
    ChapterProgress,
    ChecklistRow,
    Progress,
    assessment_attachments,
    assessment_checklist,
    assessment_progress,
    assessment_snapshots,
    checklist_grades,
    latest_return,
)
from accreditation.selectors.audit import audit_events_by_user, audit_events_for_assessment
from accreditation.selectors.dashboard import RegionDashboard, RegionFigures, region_dashboard
from accreditation.selectors.people import expert_conflicts
from accreditation.selectors.scoring import (
    ProvisionalResult,
    ScoringInputs,
    assessment_grades,
    assessment_provisional_result,
    assessment_scoring_inputs,
    cycle_standard_for,
    facts_in_force,
    provisional_result,
)
from accreditation.selectors.visibility import (
    assessment_get_for_user,
    assessments_visible_to,
    attachment_get_for_user,
    attachments_visible_to,
    audit_events_visible_to,
    cycles_visible_to,
    editions_visible_to,
    institutions_visible_to,
    regions_visible_to,
    rule_sets_visible_to,
    users_visible_to,
)

__all__ = [
    "AttachmentInfo",
    "ChapterProgress",
    "ChecklistRow",
    "Progress",
    "ProvisionalResult",
    "RegionDashboard",
    "RegionFigures",
    "ScoringInputs",
    "assessment_attachments",
    "assessment_checklist",
    "assessment_get_for_user",
    "assessment_grades",
    "assessment_progress",
    "assessment_provisional_result",
    "assessment_scoring_inputs",
    "assessment_snapshots",
    "assessments_visible_to",
    "attachment_get_for_user",
    "attachments_visible_to",
    "audit_events_by_user",
    "audit_events_for_assessment",
    "audit_events_visible_to",
    "checklist_grades",
    "cycle_standard_for",
    "cycles_visible_to",
    "editions_visible_to",
    "expert_conflicts",
    "facts_in_force",
    "institutions_visible_to",
    "latest_return",
    "provisional_result",
    "region_dashboard",
    "regions_visible_to",
    "rule_sets_visible_to",
    "users_visible_to",
]

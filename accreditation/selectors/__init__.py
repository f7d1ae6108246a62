"""Every non-trivial read. Visibility first (``visibility``), then reads of one
assessment (``assessments``), scoring inputs and results (``scoring``), the inputs of
a whole province or nation for rescoring (``rescoring``), the audit trail (``audit``)
and people (``people``)."""

from accreditation.selectors.assessments import (
    AttachmentInfo,
    ChapterProgress,
    ChecklistRow,
    Progress,
    assessment_attachments,
    assessment_checklist,
    assessment_progress,
    assessment_snapshots,
    latest_return,
)
from accreditation.selectors.audit import audit_events_by_user, audit_events_for_assessment
from accreditation.selectors.people import expert_conflicts
from accreditation.selectors.rescoring import (
    AssessmentScoringInput,
    grade_counts_by_assessment,
    scoring_inputs_stream,
)
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
    institutions_visible_to,
)

__all__ = [
    "AssessmentScoringInput",
    "AttachmentInfo",
    "ChapterProgress",
    "ChecklistRow",
    "Progress",
    "ProvisionalResult",
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
    "cycle_standard_for",
    "expert_conflicts",
    "facts_in_force",
    "grade_counts_by_assessment",
    "institutions_visible_to",
    "latest_return",
    "provisional_result",
    "scoring_inputs_stream",
]

from accreditation.models.assessments import (
    ALLOWED_TRANSITIONS,
    EDITABLE_STATUSES,
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    AssessmentStatus,
    ItemGrade,
)
from accreditation.models.audit import AuditEvent
from accreditation.models.cycles import Cycle, CycleDeadline, CycleStandard, Stage
from accreditation.models.evidence import Evidence, EvidenceAttachment
from accreditation.models.institutions import Institution, InstitutionFacts
from accreditation.models.people import ExpertProfile, User
from accreditation.models.regions import Region
from accreditation.models.reviews import ExpertAssignment

__all__ = [
    "ALLOWED_TRANSITIONS",
    "EDITABLE_STATUSES",
    "Assessment",
    "AssessmentReturn",
    "AssessmentSnapshot",
    "AssessmentStatus",
    "AuditEvent",
    "Cycle",
    "CycleDeadline",
    "CycleStandard",
    "Evidence",
    "EvidenceAttachment",
    "ExpertAssignment",
    "ExpertProfile",
    "Institution",
    "InstitutionFacts",
    "ItemGrade",
    "Region",
    "Stage",
    "User",
]

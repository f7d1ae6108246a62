from accreditation.core.audit import AuditEvent
from accreditation.models.assessments import (
    ALLOWED_TRANSITIONS,
    EDITABLE_STATUSES,
    STAGE_STATUSES,
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    AssessmentStatus,
    ItemGrade,
)
from accreditation.models.batches import CertificateBatch
from accreditation.models.checks import (
    ConsistencyCheck,
    ConsistencySample,
    LookBack,
    RecognitionAction,
    Reduction,
    ReductionEntry,
)
from accreditation.models.cycles import Cycle, CycleDeadline, CycleStandard, DeadlineNotice, Stage
from accreditation.models.evidence import Evidence, EvidenceAttachment
from accreditation.models.facts import (
    CHALLENGE_TRANSITIONS,
    FACT_DEFINITIONS,
    FACT_KEYS,
    FactChallenge,
    FactImport,
    FactSource,
    InstitutionFact,
    MetricSource,
)
from accreditation.models.institutions import Institution, InstitutionFacts
from accreditation.models.notices import (
    OBJECTION_TRANSITIONS,
    Objection,
    PublicNotice,
    PublicNoticeEntry,
)
from accreditation.models.people import ExpertProfile, User
from accreditation.models.recognitions import (
    RECOGNITION_TRANSITIONS,
    CertificateRecord,
    CertificateSequence,
    Recognition,
)
from accreditation.models.regions import Region
from accreditation.models.results import (
    AssessmentResult,
    ConsolidatedGrade,
    Consolidation,
    Decision,
)
from accreditation.models.reviews import (
    ConflictPolicy,
    ConflictRule,
    CountyReview,
    ExpertAssignment,
    ExpertItemGrade,
    ExpertPhoto,
    ExpertReview,
    ReviewRound,
    ReviewStage,
)
from accreditation.models.sampling import RecordList, RecordSample, SampledRecord
from accreditation.models.sessions import UserSession

__all__ = [
    "ALLOWED_TRANSITIONS",
    "CHALLENGE_TRANSITIONS",
    "EDITABLE_STATUSES",
    "FACT_DEFINITIONS",
    "FACT_KEYS",
    "OBJECTION_TRANSITIONS",
    "RECOGNITION_TRANSITIONS",
    "STAGE_STATUSES",
    "Assessment",
    "AssessmentResult",
    "AssessmentReturn",
    "AssessmentSnapshot",
    "AssessmentStatus",
    "AuditEvent",
    "CertificateBatch",
    "CertificateRecord",
    "CertificateSequence",
    "ConflictPolicy",
    "ConflictRule",
    "ConsistencyCheck",
    "ConsistencySample",
    "ConsolidatedGrade",
    "Consolidation",
    "CountyReview",
    "Cycle",
    "CycleDeadline",
    "CycleStandard",
    "DeadlineNotice",
    "Decision",
    "Evidence",
    "EvidenceAttachment",
    "ExpertAssignment",
    "ExpertItemGrade",
    "ExpertPhoto",
    "ExpertProfile",
    "ExpertReview",
    "FactChallenge",
    "FactImport",
    "FactSource",
    "Institution",
    "InstitutionFact",
    "InstitutionFacts",
    "ItemGrade",
    "LookBack",
    "MetricSource",
    "Objection",
    "PublicNotice",
    "PublicNoticeEntry",
    "Recognition",
    "RecognitionAction",
    "RecordList",
    "RecordSample",
    "Reduction",
    "ReductionEntry",
    "Region",
    "ReviewRound",
    "ReviewStage",
    "SampledRecord",
    "Stage",
    "User",
    "UserSession",
]

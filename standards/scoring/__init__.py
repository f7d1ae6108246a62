"""The scoring engine: pure, typed, no ORM. See ``engine`` (levels and reasons),
``gap`` (the minimal upgrade plan) and ``agreement`` (rate and weighted kappa)."""

from standards.scoring.agreement import Agreement, agreement
from standards.scoring.engine import (
    ConditionResult,
    Evaluation,
    LevelResult,
    auto_not_applicable,
    evaluate,
    validate_grades,
)
from standards.scoring.gap import GapPlan, Upgrade, gap_plan
from standards.scoring.types import (
    GRADE_ORDER,
    LEVELS,
    NA,
    VALID_GRADES,
    Condition,
    EditionSpec,
    Facts,
    ItemSpec,
    MustPass,
    RuleSpec,
    ScoringInputError,
    Tally,
    TierTally,
)

__all__ = [
    "GRADE_ORDER",
    "LEVELS",
    "NA",
    "VALID_GRADES",
    "Agreement",
    "Condition",
    "ConditionResult",
    "EditionSpec",
    "Evaluation",
    "Facts",
    "GapPlan",
    "ItemSpec",
    "LevelResult",
    "MustPass",
    "RuleSpec",
    "ScoringInputError",
    "Tally",
    "TierTally",
    "Upgrade",
    "agreement",
    "auto_not_applicable",
    "evaluate",
    "gap_plan",
    "validate_grades",
]

"""Names of the choice sets in the OpenAPI schema (``SPECTACULAR_SETTINGS
["ENUM_NAME_OVERRIDES"]`` points here): several models have a field called ``status``,
``kind``, ``level`` or ``grade`` with different choices."""

from accreditation.models import (
    Assessment,
    Cycle,
    ExpertAssignment,
    Institution,
    ItemGrade,
    Region,
    ReviewRound,
    User,
)

AssessmentStatus = Assessment.Status
CycleStatus = Cycle.Status
InstitutionKindChoices = Institution.Kind
RegionLevel = Region.Level
ItemGradeValue = ItemGrade.Value
UserRole = User.Role
PanelRole = ExpertAssignment.Role
RoundOutcome = ReviewRound.Outcome

"""Plain, validated dataclasses for catalogue files: what the readers produce and the
services and exporters consume. No ORM, no Django.

Equality is by content only: ``where`` (the location an object came from, used in
error messages) and ``source`` (the file name) never take part in comparisons, so an
edition read from a file compares equal to the same edition read from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from standards.importers.errors import Checker

EDITION_FORMAT = "jiceng-standard/1"
RULESET_FORMAT = "jiceng-ruleset/1"

#: Kinds of catalogue file.
EDITION = "edition"
RULESET = "ruleset"

GRADES: tuple[str, ...] = ("C", "B", "A")
FACTS: tuple[str, ...] = ("medical_staff", "service_population", "beds", "inpatient_ward")
BOOLEAN_FACTS: frozenset[str] = frozenset({"inpatient_ward"})
CONDITION_OPS: tuple[str, ...] = (">=", ">", "<=", "<", "==", "!=")
THRESHOLD_OPS: tuple[str, ...] = (">=", ">", "<=", "<", "==")

ConditionValue = int | float | bool


@dataclass(frozen=True, slots=True)
class ConditionData:
    """``fact op value``; ``value`` is a bool for ``inpatient_ward``, a number otherwise."""

    fact: str
    op: str
    value: ConditionValue

    def as_dict(self) -> dict[str, ConditionValue | str]:
        return {"fact": self.fact, "op": self.op, "value": self.value}

    def __str__(self) -> str:
        value = str(self.value).lower() if isinstance(self.value, bool) else self.value
        return f"{self.fact} {self.op} {value}"


@dataclass(frozen=True, slots=True)
class StepData:
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class ThresholdData:
    op: str
    value: Decimal

    def __str__(self) -> str:
        return f"{self.op} {number_out(self.value)}"


@dataclass(frozen=True, slots=True)
class CriterionData:
    grade: str
    text: str
    threshold: ThresholdData | None = None
    steps: tuple[StepData, ...] = ()


@dataclass(frozen=True, slots=True)
class MetricData:
    code: str
    label: str
    unit: str = ""


@dataclass(frozen=True, slots=True)
class ItemData:
    code: str
    title: str
    tier: str
    criteria: tuple[CriterionData, ...]  # always C, B, A in that order
    starred: bool = False
    kind: str = "documentary"
    review_methods: tuple[str, ...] = ()
    applicability: ConditionData | None = None
    evidence_required: bool = True
    evidence_hint: str = ""
    metric: MetricData | None = None
    where: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class SectionData:
    code: str
    title: str
    items: tuple[ItemData, ...]


@dataclass(frozen=True, slots=True)
class ChapterData:
    code: str
    title: str
    sections: tuple[SectionData, ...]


@dataclass(frozen=True, slots=True)
class EditionData:
    code: str
    kind: str
    year: int
    title: str
    chapters: tuple[ChapterData, ...]
    status: str = "draft"
    provisional: bool = False
    source_note: str = ""
    source: str = field(default="", compare=False)

    def items(self) -> list[ItemData]:
        return [item for ch in self.chapters for sec in ch.sections for item in sec.items]

    def same_content(self, other: EditionData) -> bool:
        """Equal apart from the publication status."""
        return replace(self, status=other.status) == other


@dataclass(frozen=True, slots=True)
class MustPassData:
    item: str
    grade: str


@dataclass(frozen=True, slots=True)
class RuleSetData:
    level: str
    version: int
    min_basic_c: Decimal
    min_basic_b: Decimal
    min_basic_a: Decimal
    province_code: str = ""
    status: str = "draft"
    provisional: bool = False
    source_note: str = ""
    min_recommended_c: Decimal | None = None
    includes: tuple[str, ...] = ()
    na_excluded: bool = True
    eligibility_combine: str = "all"
    eligibility: tuple[ConditionData, ...] = ()
    must_pass: tuple[MustPassData, ...] = ()
    where: str = field(default="", compare=False)

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.level, self.province_code, self.version)

    def label(self, edition: str) -> str:
        scope = f"province {self.province_code}" if self.province_code else "national"
        return f"Rule set {edition} {self.level} v{self.version} ({scope})"

    def same_content(self, other: RuleSetData) -> bool:
        """Equal apart from the publication status."""
        return replace(self, status=other.status) == other


@dataclass(frozen=True, slots=True)
class RuleSetFileData:
    edition: str
    rule_sets: tuple[RuleSetData, ...]
    source: str = field(default="", compare=False)


def number_out(value: Decimal) -> int | float:
    """A stored decimal as the plainest JSON/YAML number: 20 rather than 20.0000."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


@dataclass
class Document:
    """A catalogue file read (YAML, JSON or an Excel workbook) but not yet validated:
    its kind (:data:`EDITION` or :data:`RULESET`) and data. ``checker`` may already hold
    problems the reader found (unreadable Excel cells); validation adds to them."""

    kind: str
    data: Any
    checker: Checker

    @property
    def edition_code(self) -> str | None:
        """For a rule-set file, the edition it names (unvalidated)."""
        code = self.data.get("edition") if isinstance(self.data, dict) else None
        return code if isinstance(code, str) else None

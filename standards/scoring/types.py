"""Typed inputs of the scoring engine. Plain dataclasses: no ORM, no Django.

Selectors (``standards.selectors``) build these from the database in a constant number
of queries; tests and the command line build them directly.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

NONE = "none"
C = "C"
B = "B"
A = "A"
NA = "NA"

#: Grades in ascending order; the index is the number of grade steps above "none".
GRADE_ORDER: tuple[str, ...] = (NONE, C, B, A)
GRADE_RANK: dict[str, int] = {g: i for i, g in enumerate(GRADE_ORDER)}
VALID_GRADES: frozenset[str] = frozenset((*GRADE_ORDER, NA))

BASIC = "basic"
RECOMMENDED = "recommended"
TIERS: tuple[str, ...] = (BASIC, RECOMMENDED)

QUALIFIED = "qualified"
BASIC_LEVEL = "basic"
RECOMMENDED_LEVEL = "recommended"
#: Outcome levels, lowest first.
LEVELS: tuple[str, ...] = (QUALIFIED, BASIC_LEVEL, RECOMMENDED_LEVEL)
LEVEL_RANK: dict[str, int] = {lv: i for i, lv in enumerate(LEVELS)}

FACT_NAMES: frozenset[str] = frozenset(
    {"medical_staff", "service_population", "beds", "inpatient_ward"}
)
OPERATORS: dict[str, Any] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}


class ScoringInputError(ValueError):
    """Raised for inputs the engine cannot score; ``errors`` lists every problem."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class Facts:
    """Institution facts in force for an assessment. ``None`` means not declared."""

    medical_staff: int | None = None
    service_population: int | None = None
    beds: int | None = None
    inpatient_ward: bool | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Facts:
        errors = [f"facts: unknown fact {name!r}" for name in sorted(set(data) - FACT_NAMES)]
        for name in sorted(FACT_NAMES & set(data)):
            value = data[name]
            if value is None:
                continue
            if name == "inpatient_ward":
                if not isinstance(value, bool):
                    errors.append(f"facts.{name}: expected true or false, got {value!r}")
            elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                errors.append(f"facts.{name}: expected a whole number >= 0, got {value!r}")
        if errors:
            raise ScoringInputError(errors)
        return cls(**{k: data[k] for k in FACT_NAMES if k in data})

    def as_dict(self) -> dict[str, Any]:
        return {
            "medical_staff": self.medical_staff,
            "service_population": self.service_population,
            "beds": self.beds,
            "inpatient_ward": self.inpatient_ward,
        }


@dataclass(frozen=True, slots=True)
class Condition:
    """``fact op value``, e.g. ``beds > 0``."""

    fact: str
    op: str
    value: int | float | bool

    def __post_init__(self) -> None:
        if self.fact not in FACT_NAMES:
            raise ScoringInputError([f"condition: unknown fact {self.fact!r}"])
        if self.op not in OPERATORS:
            raise ScoringInputError([f"condition: unknown operator {self.op!r}"])

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Condition:
        return cls(fact=data["fact"], op=data["op"], value=data["value"])

    def evaluate(self, facts: Facts) -> bool | None:
        """True or False, or None when the fact is not declared."""
        actual = getattr(facts, self.fact)
        if actual is None:
            return None
        return bool(OPERATORS[self.op](actual, self.value))

    def as_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "op": self.op, "value": self.value}

    def __str__(self) -> str:
        return f"{self.fact} {self.op} {self.value}"


@dataclass(frozen=True, slots=True)
class ItemSpec:
    code: str
    chapter: str
    tier: str
    applicability: Condition | None = None


@dataclass(frozen=True, slots=True)
class MustPass:
    item: str
    grade: str


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """The conditions for one level. Shares are exact fractions in [0, 1]."""

    level: str
    min_basic_c: Fraction
    min_basic_b: Fraction
    min_basic_a: Fraction
    min_recommended_c: Fraction | None = None
    includes: tuple[str, ...] = ()
    na_excluded: bool = True
    eligibility: tuple[Condition, ...] = ()
    eligibility_combine: str = "all"
    must_pass: tuple[MustPass, ...] = ()
    version: int = 1
    rule_set_id: int | None = None
    provisional: bool = False


class EditionSpec:
    """An edition's items in catalogue order, compiled once for fast evaluation.

    Instances are immutable after construction and safe to cache per process: a
    published edition never changes.
    """

    __slots__ = (
        "_codes",
        "_conditional",
        "_offsets",
        "_rows",
        "chapters",
        "code",
        "index",
        "items",
    )

    def __init__(self, code: str, items: tuple[ItemSpec, ...] | list[ItemSpec]):
        self.code = code
        self.items: tuple[ItemSpec, ...] = tuple(items)
        for item in self.items:
            if item.tier not in TIERS:
                raise ScoringInputError([f"item {item.code}: unknown tier {item.tier!r}"])
        self.chapters: tuple[str, ...] = tuple(dict.fromkeys(i.chapter for i in self.items))
        self.index: dict[str, ItemSpec] = {item.code: item for item in self.items}
        if len(self.index) != len(self.items):
            raise ScoringInputError([f"edition {code}: duplicate item codes"])
        chapter_pos = {ch: i for i, ch in enumerate(self.chapters)}
        # One row per item: (code, offset into the flat count array, tier index).
        # The offset addresses counts[(chapter * 2 + tier) * 5 + grade].
        self._rows: tuple[tuple[str, int, int], ...] = tuple(
            (
                item.code,
                (chapter_pos[item.chapter] * 2 + TIERS.index(item.tier)) * 5,
                TIERS.index(item.tier),
            )
            for item in self.items
        )
        self._conditional: tuple[ItemSpec, ...] = tuple(
            item for item in self.items if item.applicability is not None
        )
        self._codes: tuple[str, ...] = tuple(row[0] for row in self._rows)
        self._offsets: tuple[int, ...] = tuple(row[1] for row in self._rows)


@dataclass(slots=True)
class TierTally:
    """Counts of one tier's items by grade. ``applicable`` excludes N/A items."""

    none: int = 0
    c: int = 0
    b: int = 0
    a: int = 0
    na: int = 0

    @property
    def applicable(self) -> int:
        return self.none + self.c + self.b + self.a

    @property
    def at_least_c(self) -> int:
        return self.c + self.b + self.a

    @property
    def at_least_b(self) -> int:
        return self.b + self.a

    @property
    def at_a(self) -> int:
        return self.a

    def share(self, count: int, *, na_excluded: bool = True) -> Fraction:
        denominator = self.applicable if na_excluded else self.applicable + self.na
        return Fraction(count, denominator) if denominator else Fraction(0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "applicable": self.applicable,
            "not_applicable": self.na,
            "none": self.none,
            "C_or_better": self.at_least_c,
            "B_or_better": self.at_least_b,
            "A": self.at_a,
            "share_C_or_better": round(float(self.share(self.at_least_c)), 4),
            "share_B_or_better": round(float(self.share(self.at_least_b)), 4),
            "share_A": round(float(self.share(self.at_a)), 4),
        }


@dataclass(slots=True)
class Tally:
    basic: TierTally = field(default_factory=TierTally)
    recommended: TierTally = field(default_factory=TierTally)

    def as_dict(self) -> dict[str, Any]:
        return {"basic": self.basic.as_dict(), "recommended": self.recommended.as_dict()}

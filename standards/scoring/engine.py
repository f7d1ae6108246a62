"""Evaluate one grading of an edition against a rule set: shares, level, reasons.

Contract of :func:`evaluate`:

* Shares count cumulative grades: an A counts towards B-or-better and C-or-better.
* A share condition ``share >= p`` over ``N`` items passes when at least ``ceil(p * N)``
  items reach the grade, computed in exact integer arithmetic (80% of 100 needs 80
  items; 79 fails). A condition over an empty denominator passes only when ``p`` is 0.
* Items whose applicability condition is false for the declared facts count as N/A
  (listed in ``auto_not_applicable``); an undeclared fact keeps the item applicable.
* N/A items leave the denominator when the rule set says so; otherwise they stay in
  it as not met.
* A level is reached when the institution is eligible, every condition of its rule set
  holds, and so does every condition of the rule sets it includes. The result is the
  highest level reached; levels are not assumed to nest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from standards.scoring.types import (
    BASIC,
    GRADE_ORDER,
    GRADE_RANK,
    LEVEL_RANK,
    LEVELS,
    NA,
    RECOMMENDED,
    VALID_GRADES,
    EditionSpec,
    Facts,
    RuleSpec,
    ScoringInputError,
    Tally,
    TierTally,
)

# Grade string -> slot in a 5-wide count block: none, C, B, A, NA. A missing grade is none.
_SLOT: dict[str | None, int] = {None: 0, "none": 0, "C": 1, "B": 2, "A": 3, NA: 4}

_BELOW_C = frozenset({0})
_BELOW_B = frozenset({0, 1})
_BELOW_A = frozenset({0, 1, 2})

# Condition codes, stable for callers and translations.
ELIGIBILITY = "eligibility"
BASIC_C = "basic_C"
BASIC_B = "basic_B"
BASIC_A = "basic_A"
RECOMMENDED_C = "recommended_C"
MUST_PASS = "must_pass"

_GRADE_LABEL = {
    BASIC_C: "C-or-better",
    BASIC_B: "B-or-better",
    BASIC_A: "A",
    RECOMMENDED_C: "recommended-tier C-or-better",
}


class _Lazy:
    """A value computed on first read. Reasons are formatted only when someone reads
    them; scoring a whole cycle never pays for the text."""

    __slots__ = ("_args", "_func", "_value")

    def __init__(self, func: Any, *args: Any):
        self._func = func
        self._args = args
        self._value: Any = _Lazy

    def get(self) -> Any:
        if self._value is _Lazy:
            self._value = self._func(*self._args)
            self._func, self._args = None, ()  # drop the references
        return self._value


def _resolve(value: Any) -> Any:
    return value.get() if isinstance(value, _Lazy) else value


# Result objects are plain slotted dataclasses (not frozen: a frozen __init__ costs a
# microsecond per object on the hot path). Treat them as read-only.
@dataclass(slots=True)
class ConditionResult:
    """One condition of one level's rule set, with the figures that decided it.
    ``items`` lists the items holding it back, in catalogue order."""

    level: str
    code: str
    passed: bool
    required_share: Fraction | None = None
    actual_count: int = 0
    required_count: int = 0
    denominator: int = 0
    holding: Any = ()
    explanation: Any = ""

    @property
    def items(self) -> tuple[str, ...]:
        return _resolve(self.holding)

    @property
    def detail(self) -> str:
        return _resolve(self.explanation)

    @property
    def actual_share(self) -> Fraction | None:
        if self.required_share is None:
            return None
        return Fraction(self.actual_count, self.denominator) if self.denominator else Fraction(0)

    def describe(self) -> str:
        """One English sentence, e.g. "B-or-better 52.0% < 60.0% required (52/100 items)"."""
        if self.code in _GRADE_LABEL:
            actual = self.actual_share or Fraction(0)
            required = self.required_share or Fraction(0)
            sign = ">=" if self.passed else "<"
            text = (
                f"{_GRADE_LABEL[self.code]} {float(actual):.1%} {sign} {float(required):.1%} "
                f"required ({self.actual_count}/{self.denominator} items, "
                f"{self.required_count} needed)"
            )
            if self.items and not self.passed:
                below = "C" if self.code in (BASIC_C, RECOMMENDED_C) else self.code[-1]
                text += f"; items below {below}: {', '.join(self.items)}"
            return text
        return self.detail

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"level": self.level, "condition": self.code, "passed": self.passed}
        if self.required_share is not None:
            data.update(
                required=round(float(self.required_share), 4),
                actual=round(float(self.actual_share or 0), 4),
                required_count=self.required_count,
                actual_count=self.actual_count,
                denominator=self.denominator,
            )
        data["items"] = list(self.items)
        data["message"] = self.describe()
        return data


@dataclass(slots=True)
class LevelResult:
    level: str
    reached: bool
    eligible: bool
    rule_version: int
    rule_set_id: int | None
    conditions: tuple[ConditionResult, ...]

    @property
    def failures(self) -> tuple[ConditionResult, ...]:
        return tuple(c for c in self.conditions if not c.passed)


@dataclass(slots=True)
class Evaluation:
    edition: str
    level: str | None
    overall: Tally
    chapters: dict[str, Tally]
    levels: tuple[LevelResult, ...]
    auto_not_applicable: tuple[str, ...]

    def level_result(self, level: str) -> LevelResult | None:
        for result in self.levels:
            if result.level == level:
                return result
        return None

    def reasons(self) -> list[str]:
        """Why each level above the result was not reached, one line per failed condition."""
        reached_rank = LEVEL_RANK[self.level] if self.level else -1
        return [
            f"{result.level}: {failure.describe()}"
            for result in self.levels
            if LEVEL_RANK[result.level] > reached_rank
            for failure in result.failures
        ]

    def shares_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.as_dict(),
            "chapters": {code: tally.as_dict() for code, tally in self.chapters.items()},
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "level": self.level,
            "shares": self.shares_dict(),
            "levels": [
                {
                    "level": r.level,
                    "reached": r.reached,
                    "eligible": r.eligible,
                    "rule_version": r.rule_version,
                    "rule_set_id": r.rule_set_id,
                    "conditions": [c.as_dict() for c in r.conditions],
                }
                for r in self.levels
            ],
            "reasons": self.reasons(),
            "auto_not_applicable": list(self.auto_not_applicable),
        }


def validate_grades(edition: EditionSpec, grades: Mapping[str, str]) -> list[str]:
    """Every problem with a grading: unknown item codes and unknown grade values."""
    errors = []
    for code, grade in grades.items():
        if code not in edition.index:
            errors.append(f"grades: unknown item code {code!r}")
        if grade not in VALID_GRADES:
            errors.append(
                f"grades[{code!r}]: unknown grade {grade!r} (expected one of none, C, B, A, NA)"
            )
    return errors


def auto_not_applicable(edition: EditionSpec, facts: Facts) -> tuple[str, ...]:
    """Codes of the items whose applicability condition is false for these facts."""
    return tuple(
        item.code
        for item in edition._conditional
        if item.applicability is not None and item.applicability.evaluate(facts) is False
    )


def effective_grades(
    edition: EditionSpec, facts: Facts, grades: Mapping[str, str]
) -> tuple[Mapping[str, str], tuple[str, ...]]:
    """The grading with condition-based N/A applied, and the codes that were applied."""
    auto = auto_not_applicable(edition, facts)
    if auto:
        grades = {**grades, **dict.fromkeys(auto, NA)}
    return grades, auto


def _required(share: Fraction, denominator: int) -> int:
    if not denominator:
        return 1 if share else 0
    return -(-(share.numerator * denominator) // share.denominator)


def count_grades(edition: EditionSpec, grades: Mapping[str, str]) -> list[int]:
    """Flat counts per chapter, tier and grade slot:
    ``counts[(chapter * 2 + tier) * 5 + slot]`` with slots none, C, B, A, N/A."""
    counts = [0] * (len(edition.chapters) * 10)
    # zip/map/Counter run in C: this is the hot loop of every rescoring.
    tallied = Counter(zip(edition._offsets, map(grades.get, edition._codes), strict=True))
    slot_of = _SLOT
    try:
        for (offset, grade), n in tallied.items():
            counts[offset + slot_of[grade]] += n
    except KeyError as exc:
        raise ScoringInputError(validate_grades(edition, grades) or [str(exc)]) from None
    return counts


def _codes_below(
    edition: EditionSpec, grades: Mapping[str, str], tier: int, slots: frozenset[int]
) -> tuple[str, ...]:
    """Codes of the tier's items whose grade falls in ``slots``, in catalogue order."""
    get = grades.get
    return tuple(code for code, _, t in edition._rows if t == tier and _SLOT[get(code)] in slots)


def _tier(counts: list[int], offset: int) -> TierTally:
    return TierTally(
        none=counts[offset],
        c=counts[offset + 1],
        b=counts[offset + 2],
        a=counts[offset + 3],
        na=counts[offset + 4],
    )


def _eligibility_text(rule: RuleSpec, facts: Facts, outcomes: list[bool | None]) -> str:
    parts = []
    for cond, outcome in zip(rule.eligibility, outcomes, strict=True):
        actual = getattr(facts, cond.fact)
        state = "not declared" if outcome is None else ("met" if outcome else "not met")
        parts.append(f"{cond.fact} {actual if actual is not None else '?'} ({cond} {state})")
    joiner = " and " if rule.eligibility_combine == "all" else " or "
    passed = (all if rule.eligibility_combine == "all" else any)(o is True for o in outcomes)
    return f"eligibility {'met' if passed else 'not met'}: " + joiner.join(parts)


def _eligibility(rule: RuleSpec, facts: Facts) -> ConditionResult | None:
    if not rule.eligibility:
        return None
    outcomes = [cond.evaluate(facts) for cond in rule.eligibility]
    combine = all if rule.eligibility_combine == "all" else any
    passed = combine(o is True for o in outcomes)
    return ConditionResult(
        level=rule.level,
        code=ELIGIBILITY,
        passed=passed,
        explanation=_Lazy(_eligibility_text, rule, facts, outcomes),
    )


def _rule_conditions(
    rule: RuleSpec,
    facts: Facts,
    basic: TierTally,
    recommended: TierTally,
    edition: EditionSpec,
    grades: Mapping[str, str],
) -> list[ConditionResult]:
    results: list[ConditionResult] = []
    eligibility = _eligibility(rule, facts)
    if eligibility is not None:
        results.append(eligibility)
    n_basic = basic.applicable if rule.na_excluded else basic.applicable + basic.na
    for code, share, count, below in (
        (BASIC_C, rule.min_basic_c, basic.at_least_c, _BELOW_C),
        (BASIC_B, rule.min_basic_b, basic.at_least_b, _BELOW_B),
        (BASIC_A, rule.min_basic_a, basic.at_a, _BELOW_A),
    ):
        need = _required(share, n_basic)
        passed = count >= need
        holding = () if passed else _Lazy(_codes_below, edition, grades, 0, below)
        results.append(
            ConditionResult(rule.level, code, passed, share, count, need, n_basic, holding)
        )
    if rule.min_recommended_c is not None:
        n_rec = (
            recommended.applicable if rule.na_excluded else recommended.applicable + recommended.na
        )
        need = _required(rule.min_recommended_c, n_rec)
        passed = recommended.at_least_c >= need
        holding = () if passed else _Lazy(_codes_below, edition, grades, 1, _BELOW_C)
        results.append(
            ConditionResult(
                rule.level,
                RECOMMENDED_C,
                passed,
                rule.min_recommended_c,
                recommended.at_least_c,
                need,
                n_rec,
                holding,
            )
        )
    if rule.must_pass:
        failing = []
        for requirement in rule.must_pass:
            grade = grades.get(requirement.item) or "none"
            if grade != NA and GRADE_RANK[grade] < GRADE_RANK[requirement.grade]:
                failing.append((requirement.item, grade, requirement.grade))
        results.append(
            ConditionResult(
                level=rule.level,
                code=MUST_PASS,
                passed=not failing,
                holding=tuple(item for item, _, _ in failing),
                explanation=(
                    "must-pass items below the required grade: "
                    + ", ".join(f"{item} ({grade} < {need})" for item, grade, need in failing)
                    if failing
                    else "must-pass items met"
                ),
            )
        )
    return results


def _closure(level: str, rules: Mapping[str, RuleSpec]) -> list[RuleSpec]:
    """The rule set of ``level`` followed by every rule set it includes, transitively."""
    ordered: list[RuleSpec] = []
    pending = [level]
    seen: set[str] = set()
    while pending:
        current = pending.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if current not in rules:
            raise ScoringInputError(
                [f"rule set for level {level!r} includes {current!r}, which is missing"]
            )
        ordered.append(rules[current])
        pending.extend(rules[current].includes)
    return ordered


def evaluate(
    edition: EditionSpec,
    rules: Mapping[str, RuleSpec],
    facts: Facts,
    grades: Mapping[str, str],
) -> Evaluation:
    """Score one grading. ``rules`` maps level code to its rule set; absent levels are
    not considered. ``grades`` maps item code to none/C/B/A/NA; missing items are none.

    Raises :class:`ScoringInputError` listing every unknown grade value. Unknown item
    codes are ignored here; call :func:`validate_grades` at the boundary to refuse them.
    """
    grades, auto = effective_grades(edition, facts, grades)
    counts = count_grades(edition, grades)

    overall = Tally()
    chapters: dict[str, Tally] = {}
    for index, chapter in enumerate(edition.chapters):
        tally = Tally(_tier(counts, index * 10), _tier(counts, index * 10 + 5))
        chapters[chapter] = tally
        for total, part in ((overall.basic, tally.basic), (overall.recommended, tally.recommended)):
            total.none += part.none
            total.c += part.c
            total.b += part.b
            total.a += part.a
            total.na += part.na

    own: dict[str, list[ConditionResult]] = {
        level: _rule_conditions(
            rule,
            facts,
            overall.basic,
            overall.recommended,
            edition,
            grades,
        )
        for level, rule in rules.items()
    }
    level_results = []
    reached_level = None
    for level in LEVELS:
        if level not in rules:
            continue
        rule = rules[level]
        conditions = tuple(c for r in _closure(level, rules) for c in own[r.level])
        eligible = all(c.passed for c in conditions if c.code == ELIGIBILITY)
        reached = all(c.passed for c in conditions)
        if reached:
            reached_level = level
        level_results.append(
            LevelResult(level, reached, eligible, rule.version, rule.rule_set_id, conditions)
        )
    return Evaluation(
        edition=edition.code,
        level=reached_level,
        overall=overall,
        chapters=chapters,
        levels=tuple(level_results),
        auto_not_applicable=auto,
    )


__all__ = [
    "BASIC",
    "BASIC_A",
    "BASIC_B",
    "BASIC_C",
    "ELIGIBILITY",
    "GRADE_ORDER",
    "MUST_PASS",
    "RECOMMENDED",
    "RECOMMENDED_C",
    "ConditionResult",
    "Evaluation",
    "LevelResult",
    "evaluate",
    "validate_grades",
]

"""Scoring inputs and the live provisional result of an assessment, in a constant
number of queries (three, plus one the first time a published edition is compiled)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accreditation.models import Assessment, CycleStandard, InstitutionFacts, ItemGrade
from standards.models import RuleSet
from standards.scoring import (
    EditionSpec,
    Evaluation,
    Facts,
    GapPlan,
    RuleSpec,
    evaluate,
    gap_plan,
)
from standards.scoring.types import LEVEL_RANK
from standards.selectors import edition_spec, rule_spec


@dataclass(frozen=True, slots=True)
class ScoringInputs:
    edition: EditionSpec
    rule_sets: dict[str, RuleSet]
    rules: dict[str, RuleSpec]
    facts_row: InstitutionFacts | None
    facts: Facts
    #: Item code -> grade for the graded items; ungraded items are absent (count as none).
    grades: dict[str, str]


@dataclass(frozen=True, slots=True)
class ProvisionalResult:
    target_level: str
    evaluation: Evaluation
    plan: GapPlan
    facts: Facts
    facts_declared: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "target_level": self.target_level,
            "level": self.evaluation.level,
            "evaluation": self.evaluation.as_dict(),
            "gap_plan": self.plan.as_dict(),
            "facts": self.facts.as_dict(),
            "facts_declared": self.facts_declared,
        }


def today() -> dt.date:
    return timezone.localdate()


def facts_in_force(*, institution_id: int, on: dt.date | None = None) -> InstitutionFacts | None:
    """The latest facts snapshot with ``effective_from <= on`` (default today). One query."""
    return (
        InstitutionFacts.objects.filter(
            institution_id=institution_id, effective_from__lte=on or today()
        )
        .order_by("-effective_from")
        .first()
    )


def cycle_standard_for(*, assessment: Assessment) -> CycleStandard:
    """The cycle's edition and rule sets for this assessment. One query."""
    return CycleStandard.objects.select_related(
        "edition",
        "qualified_rule_set",
        "basic_rule_set",
        "recommended_rule_set",
    ).get(cycle_id=assessment.cycle_id, edition_id=assessment.edition_id)


def assessment_grades(*, assessment: Assessment) -> dict[str, str]:
    """Item code -> grade of the graded items. One query."""
    return dict(
        ItemGrade.objects.filter(assessment=assessment)
        .exclude(grade=ItemGrade.Value.UNGRADED)
        .values_list("item_code", "grade")
    )


def assessment_scoring_inputs(
    *, assessment: Assessment, on: dt.date | None = None
) -> ScoringInputs:
    """Everything the engine needs, with the facts in force on ``on`` (default today)."""
    standard = cycle_standard_for(assessment=assessment)
    rule_sets = standard.rule_sets()
    facts_row = facts_in_force(institution_id=assessment.institution_id, on=on)
    return ScoringInputs(
        edition=edition_spec(edition=standard.edition),
        rule_sets=rule_sets,
        rules={level: rule_spec(rs) for level, rs in rule_sets.items()},
        facts_row=facts_row,
        facts=facts_row.as_facts() if facts_row else Facts(),
        grades=assessment_grades(assessment=assessment),
    )


def provisional_result(*, inputs: ScoringInputs, target_level: str) -> ProvisionalResult:
    """Pure: the level the grading reaches now and the smallest plan towards the
    declared target (or, once the target is reached, towards the next level up)."""
    evaluation = evaluate(inputs.edition, inputs.rules, inputs.facts, inputs.grades)
    reached = LEVEL_RANK[evaluation.level] if evaluation.level else -1
    if target_level in inputs.rules and LEVEL_RANK[target_level] > reached:
        plan = gap_plan(
            inputs.edition, inputs.rules, inputs.facts, inputs.grades, target=target_level
        )
    else:
        plan = gap_plan(
            inputs.edition,
            inputs.rules,
            inputs.facts,
            inputs.grades,
            current_level=evaluation.level,
        )
    return ProvisionalResult(
        target_level=target_level,
        evaluation=evaluation,
        plan=plan,
        facts=inputs.facts,
        facts_declared=inputs.facts_row is not None,
    )


def assessment_provisional_result(*, assessment: Assessment) -> ProvisionalResult:
    """The live provisional result with its gap plan, from the current grades and the
    facts in force today. Not a decision: experts and officers decide."""
    inputs = assessment_scoring_inputs(assessment=assessment)
    return provisional_result(inputs=inputs, target_level=assessment.target_level)

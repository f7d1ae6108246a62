"""What-if evaluation of a hypothetical grading, shared by ``manage.py evaluate`` and
the API, so both answer the same shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accreditation.core.errors import DomainError
from standards.models import Edition
from standards.scoring import Facts, ScoringInputError, evaluate, gap_plan, validate_grades
from standards.selectors import edition_spec, rule_specs_in_force


def what_if_evaluation(
    *,
    edition: Edition,
    grades: Any,
    facts: Any = None,
    province_code: str = "",
    target: str | None = None,
) -> dict[str, Any]:
    """Level, shares, reasons and the gap plan of ``grades`` (item code -> none, C, B,
    A or NA; missing items count as none) under ``edition`` and the rule sets in force
    for ``province_code`` (the national ones by default), with ``facts`` (the four
    institution facts, each optional). The gap plan aims at ``target`` or, by default,
    the next level up. Pure apart from reading the catalogue (two queries at most).

    Raises ``ValidationError`` listing every bad entry under ``grades``, ``facts`` or
    ``target``, and ``DomainError`` (``rules_unusable``) when the rule sets in force do
    not fit together; nothing is stored."""
    spec = edition_spec(edition=edition)
    errors: dict[str, list[str]] = {}
    if not isinstance(grades, Mapping):
        errors["grades"] = ["grades: expected an object mapping item code to grade"]
        grades = {}
    elif problems := validate_grades(spec, grades):
        errors["grades"] = problems
    parsed = Facts()
    if facts is not None and not isinstance(facts, Mapping):
        errors["facts"] = ["facts: expected an object"]
    elif facts:
        try:
            parsed = Facts.from_mapping(facts)
        except ScoringInputError as exc:
            errors["facts"] = exc.errors
    rules = rule_specs_in_force(edition=edition, province_code=province_code)
    if target and target not in rules:
        errors["target"] = [f"no rule set for level {target!r}"]
    if errors:
        raise ValidationError(errors)

    try:
        result = evaluate(spec, rules, parsed, grades)
        plan = gap_plan(
            spec, rules, parsed, grades, target=target or None, current_level=result.level
        )
    except ScoringInputError as exc:
        # The rule sets in force do not fit together (e.g. 推荐 includes a retired 基本).
        raise DomainError(
            _("The rule sets in force for this edition cannot be applied: %(errors)s")
            % {"errors": "; ".join(exc.errors)},
            code="rules_unusable",
            details={"errors": exc.errors},
        ) from None
    output = result.as_dict()
    output["facts"] = parsed.as_dict()
    output["rule_sets"] = {
        level: {"version": r.version, "id": r.rule_set_id, "provisional": r.provisional}
        for level, r in rules.items()
    }
    output["gap_plan"] = plan.as_dict()
    return output

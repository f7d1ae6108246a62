"""The computed result: the consolidated grading scored with the cycle's rule sets."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.core.audit import audit_record
from accreditation.core.errors import DomainError, NotEditable
from accreditation.models import (
    Assessment,
    AssessmentResult,
    Consolidation,
    ExpertReview,
    User,
)
from accreditation.permissions import Action, require
from accreditation.selectors.scoring import ScoringInputs, cycle_standard_for, provisional_result
from accreditation.services.common import lock_assessment
from standards.scoring import Facts, agreement, auto_not_applicable
from standards.selectors import edition_spec, rule_spec

Status = Assessment.Status


def _pairwise(reviews: list[ExpertReview], codes: list[str]) -> dict[str, Any]:
    pairs = []
    for first, second in combinations(reviews, 2):
        a = {g.item_code: g.grade for g in first.grades.all()}
        b = {g.item_code: g.grade for g in second.grades.all()}
        pairs.append(
            {"experts": [first.expert_id, second.expert_id], **agreement(a, b, codes).as_dict()}
        )
    rates = [p["rate"] for p in pairs if p["rate"] is not None]
    kappas = [p["kappa"] for p in pairs if p["kappa"] is not None]
    return {
        "pairs": pairs,
        "mean_rate": round(sum(rates) / len(rates), 4) if rates else None,
        "mean_kappa": round(sum(kappas) / len(kappas), 4) if kappas else None,
    }


def result_compute(*, actor: User | None, assessment: Assessment) -> AssessmentResult:
    """Score the latest completed consolidation with the rule sets the cycle applies,
    on the facts frozen in the reviewed submission. Stores the computed level, the rule
    sets (ids and versions), the exact inputs, the reasons, the gap plan, and the
    agreement (rate and weighted kappa) between the self-assessment and the review and
    between every pair of experts. Run by the review process after the consolidation;
    may be run again by the lead or an officer while the decision is pending.

    Raises ``PermissionDenied`` unless ``actor`` is the panel lead or an officer at the
    reviewing level; ``NotEditable`` unless the assessment is in consolidation;
    ``DomainError`` (``no_consolidation``) before the consolidation is completed."""
    require(actor, Action.RESULT_COMPUTE, assessment)
    with transaction.atomic():
        locked = lock_assessment(assessment, "cycle", "institution__region")
        require(actor, Action.RESULT_COMPUTE, locked)
        if locked.status != Status.CONSOLIDATION:
            raise NotEditable(_("The assessment is not awaiting a result."))
        consolidation = (
            Consolidation.objects.filter(assessment=locked)
            .select_related("round__snapshot")
            .order_by("-id")
            .first()
        )
        if consolidation is None or consolidation.status != Consolidation.Status.COMPLETED:
            raise DomainError(_("The consolidation is not completed."), code="no_consolidation")
        standard = cycle_standard_for(assessment=locked)
        rule_sets = standard.rule_sets()
        edition = edition_spec(edition=standard.edition)
        snapshot = consolidation.round.snapshot.data
        facts = Facts.from_mapping(
            {k: v for k, v in snapshot["facts"].items() if k not in ("id", "effective_from")}
        )
        rows = list(consolidation.grades.order_by("position"))
        codes = [row.item_code for row in rows]
        final = {row.item_code: row.final_grade for row in rows}
        inputs = ScoringInputs(
            edition=edition,
            rule_sets=rule_sets,
            rules={level: rule_spec(rs) for level, rs in rule_sets.items()},
            facts_row=None,
            facts=facts,
            grades=final,
        )
        outcome = provisional_result(inputs=inputs, target_level=locked.target_level)
        auto_na = set(auto_not_applicable(edition, facts))
        own = {
            code: (row["grade"] or ("NA" if code in auto_na else ""))
            for code, row in snapshot["grades"].items()
        }
        reviews = list(
            ExpertReview.objects.filter(round=consolidation.round)
            .prefetch_related("grades")
            .order_by("assignment__role", "assignment_id")
        )
        level = outcome.evaluation.level or ""
        result = AssessmentResult.objects.create(
            assessment=locked,
            consolidation=consolidation,
            computed_level=level,
            rule_sets={
                lv: {"id": rs.pk, "version": rs.version, "provisional": rs.provisional}
                for lv, rs in rule_sets.items()
            },
            inputs={
                "edition": standard.edition.code,
                "facts": facts.as_dict(),
                "grades": final,
                "target_level": locked.target_level,
            },
            evaluation=outcome.evaluation.as_dict(),
            gap_plan=outcome.plan.as_dict(),
            agreement_self_review=agreement(own, final, codes).as_dict(),
            agreement_experts=_pairwise(reviews, codes),
            computed_by=actor,
        )
        audit_record(
            actor=actor,
            action="result.compute",
            target=result,
            assessment=locked,
            after={"level": level, "consolidation": consolidation.pk},
        )
    return result

"""The review's steps: the county review, the panel and the experts' grades, the
consolidation and the result."""

from __future__ import annotations

from accreditation.models import Assessment
from accreditation.services.consolidation import consolidation_complete, consolidation_grade_set
from accreditation.services.experts import expert_grade_save, expert_review_submit
from accreditation.services.panels import panel_assign
from accreditation.services.results import result_compute
from accreditation.services.reviews import (
    assessment_return,
    county_review_forward,
    county_review_start,
)
from accreditation.services.submission import assessment_resubmit
from tests.faults.scenarios.base import Scenario, Step, reread
from tests.workflows.helpers import (
    at_consolidation,
    at_decision,
    at_expert_review,
    grade_all,
    submitted,
)

# The county review ----------------------------------------------------------------------


def county_claim(world, experts) -> Step:
    submitted(world.assessment_a, world.staff_a)
    return lambda: county_review_start(
        actor=world.reviewer_a, assessment=reread(world.assessment_a)
    )


def county_forward(world, experts) -> Step:
    submitted(world.assessment_a, world.staff_a)
    return lambda: county_review_forward(
        actor=world.reviewer_a,
        assessment=reread(world.assessment_a),
        comment="材料齐全",
        item_comments={"1.1.1": "制度完整"},
    )


def county_return(world, experts) -> Step:
    submitted(world.assessment_a, world.staff_a)
    return lambda: assessment_return(
        actor=world.reviewer_a,
        assessment=reread(world.assessment_a),
        reason="缺少附件",
        item_comments={"1.1.1": "请补充"},
    )


def county_resubmit(world, experts) -> Step:
    a = world.assessment_a
    submitted(a, world.staff_a)
    assessment_return(actor=world.reviewer_a, assessment=a, reason="缺少附件")
    return lambda: assessment_resubmit(actor=world.staff_a, assessment=reread(a))


# The expert review ------------------------------------------------------------------------


def panel(world, experts) -> Step:
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    return lambda: panel_assign(
        actor=world.officer_province,
        assessment=reread(world.assessment_a),
        lead=experts.lead,
        members=[experts.member],
    )


def panel_return(world, experts) -> Step:
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    return lambda: assessment_return(
        actor=world.officer_province, assessment=reread(world.assessment_a), reason="资料不实"
    )


def expert_resubmit(world, experts) -> Step:
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    assessment_return(actor=world.officer_province, assessment=a, reason="资料不实")
    return lambda: assessment_resubmit(actor=world.staff_a, assessment=reread(a))


def _panel(world, experts) -> Assessment:
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province, assessment=a, lead=experts.lead, members=[experts.member]
    )
    return a


def expert_grade(world, experts) -> Step:
    a = _panel(world, experts)
    return lambda: expert_grade_save(
        actor=experts.member,
        assessment=reread(a),
        item_code="1.1.1",
        grade="B",
        finding="制度不全",
        onsite_note="现场查看",
    )


def expert_submit_first(world, experts) -> Step:
    a = _panel(world, experts)
    grade_all(experts.lead, a, "A")
    return lambda: expert_review_submit(actor=experts.lead, assessment=reread(a))


def expert_submit_last(world, experts) -> Step:
    a = _panel(world, experts)
    grade_all(experts.lead, a, "A")
    grade_all(experts.member, a, "B")
    expert_review_submit(actor=experts.lead, assessment=a)
    return lambda: expert_review_submit(actor=experts.member, assessment=reread(a))


# The consolidation and the result ---------------------------------------------------------


def consolidation_grade(world, experts) -> Step:
    a = world.assessment_a
    at_consolidation(world, experts, a, world.officer_province, grades=("A", "B"))
    return lambda: consolidation_grade_set(
        actor=experts.lead, assessment=reread(a), item_code="1.1.1", final_grade="C", reason="不足"
    )


def consolidation_return(world, experts) -> Step:
    a = world.assessment_a
    at_consolidation(world, experts, a, world.officer_province)
    return lambda: assessment_return(actor=experts.lead, assessment=reread(a), reason="需补充")


def consolidation_done(world, experts) -> Step:
    a = world.assessment_a
    at_consolidation(world, experts, a, world.officer_province)
    return lambda: consolidation_complete(actor=experts.lead, assessment=reread(a))


def result_recompute(world, experts) -> Step:
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    return lambda: result_compute(actor=world.officer_province, assessment=reread(a))


REVIEW: tuple[Scenario, ...] = (
    Scenario("county_review_start", county_claim),
    Scenario("county_review_forward", county_forward),
    Scenario("assessment_return (county)", county_return),
    Scenario("assessment_resubmit (county)", county_resubmit),
    Scenario("panel_assign", panel),
    Scenario("assessment_return (panel)", panel_return),
    Scenario("assessment_resubmit (expert)", expert_resubmit),
    Scenario("expert_grade_save", expert_grade),
    Scenario("expert_review_submit (first)", expert_submit_first),
    Scenario("expert_review_submit (last, join)", expert_submit_last),
    Scenario("consolidation_grade_set", consolidation_grade),
    Scenario("assessment_return (consolidation)", consolidation_return),
    Scenario("consolidation_complete", consolidation_done),
    Scenario("result_compute", result_recompute),
)

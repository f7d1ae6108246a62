"""Every state-changing step of the self-assessment and of the review process, as a
table: how to bring the world to the step, and the call that takes it.

``arrange(world, experts)`` drives the world there through the services and returns
the step: a call without arguments that re-reads what it needs (so a failed attempt
leaves no stale objects behind) and calls the service. A step may run other services in
the same transaction (the flow's automatic steps: the next review round, the
consolidation, the result, the recognition and its certificate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accreditation.models import (
    Assessment,
    EvidenceAttachment,
    ItemGrade,
    Objection,
    PublicNotice,
    Recognition,
)
from accreditation.services.assessments import (
    assessment_open,
    assessment_target_level_set,
    item_grade_save,
)
from accreditation.services.consistency import (
    consistency_check_complete,
    consistency_check_run,
    consistency_rescore_record,
)
from accreditation.services.consolidation import consolidation_complete, consolidation_grade_set
from accreditation.services.cycles import cycle_close
from accreditation.services.decisions import DecisionInput, decision_record, decisions_record
from accreditation.services.evidence import evidence_attach, evidence_detach, evidence_upload
from accreditation.services.experts import expert_grade_save, expert_review_submit
from accreditation.services.institutions import institution_facts_record
from accreditation.services.notices import (
    objection_record,
    objection_resolve,
    public_notice_close,
    public_notice_open,
)
from accreditation.services.panels import panel_assign
from accreditation.services.reductions import ReductionItem, lookback_record, reduction_apply
from accreditation.services.results import result_compute
from accreditation.services.reviews import (
    assessment_return,
    county_review_forward,
    county_review_start,
)
from accreditation.services.submission import assessment_resubmit, assessment_submit
from tests import files
from tests.accreditation.helpers import complete
from tests.factories import FactsFactory, InstitutionFactory, StaffFactory
from tests.workflows.helpers import (
    CODES,
    at_consolidation,
    at_decision,
    at_expert_review,
    grade_all,
    on_notice,
    recognise_all,
    submitted,
)

Step = Callable[[], Any]


@dataclass(frozen=True)
class Scenario:
    name: str
    arrange: Callable[[Any, Any], Step]


def _get(assessment: Assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def _on_notice(world, experts, a) -> PublicNotice:
    return on_notice(world, experts, a, world.officer_province, world.province)


def _b_world(world):
    """The world seen from institution B (its staff, county reviewer and assessment)."""
    b = type("W", (), {**world.__dict__})
    b.staff_a, b.reviewer_a, b.assessment_a = world.staff_b, world.reviewer_b, world.assessment_b
    return b


# The self-assessment ------------------------------------------------------------------


def open_(world, experts) -> Step:
    institution = InstitutionFactory(name="新开镇卫生院", region=world.county_a)
    FactsFactory(institution=institution)
    staff = StaffFactory(username="staff_new", institution=institution)
    return lambda: assessment_open(
        actor=staff, cycle=world.cycle, institution=institution, target_level="basic"
    )


def target_level(world, experts) -> Step:
    a = world.assessment_a
    return lambda: assessment_target_level_set(
        actor=world.staff_a,
        assessment=_get(a),
        target_level="recommended",
        expected_version=_get(a).version,
    )


def item_save(world, experts) -> Step:
    a = world.assessment_a

    def step():
        version = ItemGrade.objects.get(assessment=a, item_code="1.1.4").version
        return item_grade_save(
            actor=world.staff_a,
            assessment=_get(a),
            item_code="1.1.4",
            expected_version=version,
            grade="B",
            metric_value="12",
            note="床位 12 张",
        )

    return step


def facts(world, experts) -> Step:
    return lambda: institution_facts_record(
        actor=world.staff_a,
        institution=world.institution_a,
        effective_from=timezone.localdate(),
        medical_staff=8,
        service_population=9000,
        beds=0,
        inpatient_ward=False,
    )


def upload(world, experts) -> Step:
    return lambda: evidence_upload(
        actor=world.staff_a,
        assessment=_get(world.assessment_a),
        item_codes=["1.1.1", "2.1.1"],
        file=files.upload(files.PDF + b"fault", "制度.pdf"),
    )


def _uploaded(world) -> EvidenceAttachment:
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=files.upload(files.PDF + b"attach", "制度.pdf"),
    )
    return attachment


def attach(world, experts) -> Step:
    attachment = _uploaded(world)
    return lambda: evidence_attach(
        actor=world.staff_a,
        attachment=EvidenceAttachment.objects.get(pk=attachment.pk),
        item_codes=["1.1.3", "2.1.1"],
    )


def detach(world, experts) -> Step:
    attachment = _uploaded(world)
    return lambda: evidence_detach(
        actor=world.staff_a, attachment=EvidenceAttachment.objects.get(pk=attachment.pk)
    )


def submit(world, experts) -> Step:
    a = world.assessment_a
    complete(a, world.staff_a, grade="A")
    return lambda: assessment_submit(actor=world.staff_a, assessment=_get(a))


# The county review ----------------------------------------------------------------------


def county_claim(world, experts) -> Step:
    submitted(world.assessment_a, world.staff_a)
    return lambda: county_review_start(actor=world.reviewer_a, assessment=_get(world.assessment_a))


def county_forward(world, experts) -> Step:
    submitted(world.assessment_a, world.staff_a)
    return lambda: county_review_forward(
        actor=world.reviewer_a,
        assessment=_get(world.assessment_a),
        comment="材料齐全",
        item_comments={"1.1.1": "制度完整"},
    )


def county_return(world, experts) -> Step:
    submitted(world.assessment_a, world.staff_a)
    return lambda: assessment_return(
        actor=world.reviewer_a,
        assessment=_get(world.assessment_a),
        reason="缺少附件",
        item_comments={"1.1.1": "请补充"},
    )


def county_resubmit(world, experts) -> Step:
    a = world.assessment_a
    submitted(a, world.staff_a)
    assessment_return(actor=world.reviewer_a, assessment=a, reason="缺少附件")
    return lambda: assessment_resubmit(actor=world.staff_a, assessment=_get(a))


# The expert review ------------------------------------------------------------------------


def panel(world, experts) -> Step:
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    return lambda: panel_assign(
        actor=world.officer_province,
        assessment=_get(world.assessment_a),
        lead=experts.lead,
        members=[experts.member],
    )


def panel_return(world, experts) -> Step:
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    return lambda: assessment_return(
        actor=world.officer_province, assessment=_get(world.assessment_a), reason="资料不实"
    )


def expert_resubmit(world, experts) -> Step:
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    assessment_return(actor=world.officer_province, assessment=a, reason="资料不实")
    return lambda: assessment_resubmit(actor=world.staff_a, assessment=_get(a))


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
        assessment=_get(a),
        item_code="1.1.1",
        grade="B",
        finding="制度不全",
        onsite_note="现场查看",
    )


def expert_submit_first(world, experts) -> Step:
    a = _panel(world, experts)
    grade_all(experts.lead, a, "A")
    return lambda: expert_review_submit(actor=experts.lead, assessment=_get(a))


def expert_submit_last(world, experts) -> Step:
    a = _panel(world, experts)
    grade_all(experts.lead, a, "A")
    grade_all(experts.member, a, "B")
    expert_review_submit(actor=experts.lead, assessment=a)
    return lambda: expert_review_submit(actor=experts.member, assessment=_get(a))


def consolidation_grade(world, experts) -> Step:
    a = world.assessment_a
    at_consolidation(world, experts, a, world.officer_province, grades=("A", "B"))
    return lambda: consolidation_grade_set(
        actor=experts.lead, assessment=_get(a), item_code="1.1.1", final_grade="C", reason="不足"
    )


def consolidation_return(world, experts) -> Step:
    a = world.assessment_a
    at_consolidation(world, experts, a, world.officer_province)
    return lambda: assessment_return(actor=experts.lead, assessment=_get(a), reason="需补充")


def consolidation_done(world, experts) -> Step:
    a = world.assessment_a
    at_consolidation(world, experts, a, world.officer_province)
    return lambda: consolidation_complete(actor=experts.lead, assessment=_get(a))


def result_recompute(world, experts) -> Step:
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    return lambda: result_compute(actor=world.officer_province, assessment=_get(a))


# Decisions, the public notice and recognition ------------------------------------------


def decide(world, experts) -> Step:
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    return lambda: decision_record(actor=world.officer_province, assessment=_get(a))


def decide_no_level(world, experts) -> Step:
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    return lambda: decision_record(
        actor=world.officer_province, assessment=_get(a), level="", override_reason="弄虚作假"
    )


def decide_batch(world, experts) -> Step:
    a, b = world.assessment_a, world.assessment_b
    at_decision(world, experts, a, world.officer_province)
    at_decision(_b_world(world), experts, b, world.officer_province)
    return lambda: decisions_record(
        actor=world.officer_province,
        decisions=[DecisionInput(_get(a)), DecisionInput(_get(b), "basic", "抽查")],
    )


def notice_open(world, experts) -> Step:
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    decision_record(actor=world.officer_province, assessment=a)
    return lambda: public_notice_open(
        actor=world.officer_province,
        cycle=world.cycle,
        region=world.province,
        assessments=[_get(a)],
        starts_on=timezone.localdate() - dt.timedelta(days=8),
        document_number="卫公示〔2026〕1号",
    )


def objection_new(world, experts) -> Step:
    a = world.assessment_a
    notice = _on_notice(world, experts, a)
    return lambda: objection_record(
        actor=world.officer_province,
        notice=PublicNotice.objects.get(pk=notice.pk),
        assessment=_get(a),
        content="门诊量数据不实",
        objector="匿名",
        received_on=notice.starts_on,
    )


def _objection(world, experts) -> Objection:
    a = world.assessment_a
    notice = _on_notice(world, experts, a)
    return objection_record(
        actor=world.officer_province,
        notice=notice,
        assessment=a,
        content="床位数不实",
        received_on=notice.starts_on,
    )


def objection_dismiss(world, experts) -> Step:
    objection = _objection(world, experts)
    return lambda: objection_resolve(
        actor=world.officer_province,
        objection=Objection.objects.get(pk=objection.pk),
        upheld=False,
        reason="经核实属实",
    )


def objection_uphold(world, experts) -> Step:
    objection = _objection(world, experts)
    return lambda: objection_resolve(
        actor=world.officer_province,
        objection=Objection.objects.get(pk=objection.pk),
        upheld=True,
        reason="核实床位不足",
    )


def notice_close(world, experts) -> Step:
    notice = _on_notice(world, experts, world.assessment_a)
    return lambda: public_notice_close(
        actor=world.officer_province, notice=PublicNotice.objects.get(pk=notice.pk)
    )


# After recognition ---------------------------------------------------------------------


def _recognised(world, experts) -> dict[int, Recognition]:
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [
            (world.assessment_a, world.staff_a, world.reviewer_a, "A"),
            (world.assessment_b, world.staff_b, world.reviewer_b, "A"),
        ],
    )
    return {r.assessment_id: r for r in Recognition.objects.all()}


def reduction(world, experts) -> Step:
    recognitions = _recognised(world, experts)
    a, b = recognitions[world.assessment_a.pk], recognitions[world.assessment_b.pk]
    return lambda: reduction_apply(
        actor=world.officer_province,
        region=world.province,
        reason="一致性核查未通过",
        items=[
            ReductionItem(Recognition.objects.get(pk=a.pk), "downgrade", "basic"),
            ReductionItem(Recognition.objects.get(pk=b.pk), "revoke"),
        ],
    )


def _lookback(outcome: str, to_level: str = "") -> Callable[[Any, Any], Step]:
    def arrange(world, experts) -> Step:
        recognition = _recognised(world, experts)[world.assessment_a.pk]
        return lambda: lookback_record(
            actor=world.officer_province,
            recognition=Recognition.objects.get(pk=recognition.pk),
            outcome=outcome,
            reason="回头看",
            to_level=to_level,
            findings="发现问题",
        )

    return arrange


def check_run(world, experts) -> Step:
    _recognised(world, experts)
    return lambda: consistency_check_run(
        actor=world.officer_national, cycle=world.cycle, region=world.province, sample_share="1"
    )


def check_rescore(world, experts) -> Step:
    recognition = _recognised(world, experts)[world.assessment_a.pk]
    check = consistency_check_run(
        actor=world.officer_national, cycle=world.cycle, region=world.province, sample_share="1"
    )
    return lambda: consistency_rescore_record(
        actor=world.officer_national,
        check=check,
        recognition=Recognition.objects.get(pk=recognition.pk),
        grades=dict.fromkeys(CODES, "B"),
    )


def check_complete(world, experts) -> Step:
    recognitions = _recognised(world, experts)
    check = consistency_check_run(
        actor=world.officer_national, cycle=world.cycle, region=world.province, sample_share="1"
    )
    for recognition in recognitions.values():
        consistency_rescore_record(
            actor=world.officer_national,
            check=check,
            recognition=recognition,
            grades=dict.fromkeys(CODES, "A"),
        )
    return lambda: consistency_check_complete(actor=world.officer_national, check=check)


def close_cycle(world, experts) -> Step:
    return lambda: cycle_close(actor=world.administrator, cycle=world.cycle)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("assessment_open", open_),
    Scenario("assessment_target_level_set", target_level),
    Scenario("item_grade_save", item_save),
    Scenario("institution_facts_record", facts),
    Scenario("evidence_upload", upload),
    Scenario("evidence_attach", attach),
    Scenario("evidence_detach", detach),
    Scenario("assessment_submit", submit),
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
    Scenario("decision_record", decide),
    Scenario("decision_record (no level)", decide_no_level),
    Scenario("decisions_record (batch)", decide_batch),
    Scenario("public_notice_open", notice_open),
    Scenario("objection_record", objection_new),
    Scenario("objection_resolve (dismissed)", objection_dismiss),
    Scenario("objection_resolve (upheld)", objection_uphold),
    Scenario("public_notice_close (recognition_grant)", notice_close),
    Scenario("reduction_apply", reduction),
    Scenario("lookback_record (confirm)", _lookback("confirm")),
    Scenario("lookback_record (downgrade)", _lookback("downgrade", "basic")),
    Scenario("lookback_record (revoke)", _lookback("revoke")),
    Scenario("consistency_check_run", check_run),
    Scenario("consistency_rescore_record", check_rescore),
    Scenario("consistency_check_complete", check_complete),
    Scenario("cycle_close", close_cycle),
)

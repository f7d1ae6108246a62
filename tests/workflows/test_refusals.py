"""A refusal at every step for the wrong user: ``PermissionDenied``, and nothing
changed, the review process's tasks included."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accreditation.models import (
    Recognition,
)
from accreditation.services.consolidation import consolidation_complete, consolidation_grade_set
from accreditation.services.decisions import decision_record
from accreditation.services.experts import expert_grade_save, expert_review_submit
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
from accreditation.services.submission import assessment_resubmit
from tests.workflows.helpers import (
    at_consolidation,
    at_decision,
    at_expert_review,
    grade_all,
    recognise_all,
    state,
    submitted,
)


def refuse(call, users):
    before = state()
    for user in users:
        with pytest.raises(PermissionDenied):
            call(user)
        assert state() == before, user.username


def people(world, experts, *names):
    pool = {**world.__dict__, **experts.__dict__}
    return [pool[name] for name in names]


def test_county_review_steps(world, experts):
    a = world.assessment_a
    submitted(a, world.staff_a)
    wrong = people(
        world,
        experts,
        "staff_a",
        "reviewer_b",
        "officer_other_city",
        "lead",
        "expert",
        "administrator",
    )
    refuse(lambda u: county_review_start(actor=u, assessment=a), wrong)
    refuse(lambda u: county_review_forward(actor=u, assessment=a), wrong)
    refuse(lambda u: assessment_return(actor=u, assessment=a, reason="x"), wrong)


def test_correction_step(world, experts):
    a = world.assessment_a
    submitted(a, world.staff_a)
    assessment_return(actor=world.reviewer_a, assessment=a, reason="补充")
    refuse(
        lambda u: assessment_resubmit(actor=u, assessment=a),
        people(
            world, experts, "staff_b", "reviewer_a", "officer_province", "lead", "administrator"
        ),
    )


def test_panel_step(world, experts):
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    wrong = people(
        world,
        experts,
        "reviewer_a",
        "officer_city",  # the province confirms in this cycle
        "officer_other_city",
        "staff_a",
        "lead",
        "administrator",
    )
    refuse(lambda u: panel_assign(actor=u, assessment=a, lead=experts.lead), wrong)
    refuse(lambda u: assessment_return(actor=u, assessment=a, reason="x"), wrong)


def test_expert_steps(world, experts):
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province, assessment=a, lead=experts.lead, members=[experts.member]
    )
    grade_all(experts.member, a, "A")
    wrong = people(world, experts, "third", "expert", "officer_province", "staff_a", "reviewer_a")
    refuse(lambda u: expert_grade_save(actor=u, assessment=a, item_code="1.1.1", grade="C"), wrong)
    refuse(lambda u: expert_review_submit(actor=u, assessment=a), wrong)


def test_consolidation_steps(world, experts):
    a = world.assessment_a
    at_consolidation(world, experts, a, world.officer_province, grades=("A", "B"))
    wrong = people(world, experts, "member", "third", "officer_province", "staff_a", "reviewer_a")
    refuse(
        lambda u: consolidation_grade_set(
            actor=u, assessment=a, item_code="1.1.1", final_grade="A", reason="x"
        ),
        wrong,
    )
    refuse(lambda u: consolidation_complete(actor=u, assessment=a), wrong)
    refuse(
        lambda u: assessment_return(actor=u, assessment=a, reason="x"),
        people(world, experts, "member", "reviewer_a", "officer_city", "staff_a"),
    )


def test_result_and_decision_steps(world, experts):
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    refuse(
        lambda u: result_compute(actor=u, assessment=a),
        people(world, experts, "member", "staff_a", "reviewer_a", "officer_other_city"),
    )
    refuse(
        lambda u: decision_record(actor=u, assessment=a),
        people(world, experts, "officer_city", "lead", "reviewer_a", "staff_a", "administrator"),
    )


def test_notice_steps(world, experts):
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    decision_record(actor=world.officer_province, assessment=a)
    wrong = people(
        world, experts, "officer_other_city", "officer_city", "lead", "reviewer_a", "staff_a"
    )
    refuse(
        lambda u: public_notice_open(
            actor=u,
            cycle=world.cycle,
            region=world.province,
            assessments=[a],
            starts_on=timezone.localdate() - dt.timedelta(days=8),
            document_number="卫公示〔2026〕7号",
        ),
        wrong,
    )
    notice = public_notice_open(
        actor=world.officer_province,
        cycle=world.cycle,
        region=world.province,
        assessments=[a],
        starts_on=timezone.localdate() - dt.timedelta(days=8),
        document_number="卫公示〔2026〕7号",
    )
    refuse(
        lambda u: objection_record(
            actor=u, notice=notice, assessment=a, content="x", received_on=notice.starts_on
        ),
        wrong,
    )
    objection = objection_record(
        actor=world.officer_province,
        notice=notice,
        assessment=a,
        content="x",
        received_on=notice.starts_on,
    )
    refuse(
        lambda u: objection_resolve(actor=u, objection=objection, upheld=True, reason="x"), wrong
    )
    refuse(lambda u: public_notice_close(actor=u, notice=notice), wrong)


def test_after_recognition(world, experts):
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    recognition = Recognition.objects.get()
    wrong = people(
        world, experts, "officer_city", "officer_other_city", "lead", "staff_a", "administrator"
    )
    refuse(
        lambda u: lookback_record(actor=u, recognition=recognition, outcome="revoke", reason="x"),
        wrong,
    )
    refuse(
        lambda u: reduction_apply(
            actor=u,
            region=world.province,
            reason="x",
            items=[ReductionItem(recognition, "revoke")],
        ),
        wrong,
    )

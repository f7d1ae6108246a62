"""The join fires once, and a failure anywhere in a step leaves no half state."""

import threading
from unittest import mock

import pytest
from django.db import DatabaseError, IntegrityError, connection, connections
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accreditation.models import Consolidation, ExpertReview, Recognition
from accreditation.services.experts import expert_review_submit
from accreditation.services.notices import public_notice_close
from accreditation.services.panels import panel_assign
from accreditation.services.reviews import county_review_forward
from tests.workflows.helpers import (
    at_expert_review,
    fresh,
    grade_all,
    on_notice,
    state,
    steps,
    submitted,
)
from workflows.flows import AssessmentFlow


def tasks_of(assessment, node):
    return list(
        Task.objects.filter(
            process__assessmentprocess__assessment=assessment, flow_task=node
        ).values_list("status", flat=True)
    )


@pytest.fixture
def graded_panel(world, experts):
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province, assessment=a, lead=experts.lead, members=[experts.member]
    )
    grade_all(experts.lead, a, "A")
    grade_all(experts.member, a, "B")
    return a


def test_the_join_waits_for_every_expert_and_fires_once(world, experts, graded_panel):
    a = graded_panel
    expert_review_submit(actor=experts.lead, assessment=a)
    assert tasks_of(a, AssessmentFlow.join_experts) == [STATUS.STARTED]
    assert tasks_of(a, AssessmentFlow.consolidate) == []
    expert_review_submit(actor=experts.member, assessment=a)
    assert tasks_of(a, AssessmentFlow.join_experts) == [STATUS.DONE]
    assert tasks_of(a, AssessmentFlow.begin_consolidation) == [STATUS.DONE]
    assert tasks_of(a, AssessmentFlow.consolidate) == [STATUS.ASSIGNED]
    assert Consolidation.objects.filter(assessment=a).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need a server database")
@pytest.mark.django_db(transaction=True)
def test_two_experts_submitting_at_the_same_moment_fire_the_join_once(world, experts):
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province, assessment=a, lead=experts.lead, members=[experts.member]
    )
    grade_all(experts.lead, a, "A")
    grade_all(experts.member, a, "A")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def submit(expert):
        try:
            barrier.wait(timeout=10)
            expert_review_submit(actor=expert, assessment=a)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(e,)) for e in (experts.lead, experts.member)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert ExpertReview.objects.filter(assessment=a, submitted_at__isnull=False).count() == 2
    assert tasks_of(a, AssessmentFlow.join_experts) == [STATUS.DONE]
    assert tasks_of(a, AssessmentFlow.consolidate) == [STATUS.ASSIGNED]
    assert Consolidation.objects.filter(assessment=a).count() == 1
    assert fresh(a).status == "consolidation"


def test_a_failure_in_the_joined_step_undoes_the_last_submission(world, experts, graded_panel):
    a = graded_panel
    expert_review_submit(actor=experts.lead, assessment=a)
    before = state()
    with (
        mock.patch(
            "accreditation.services.common.audit_record",  # consolidation_open's transition
            side_effect=DatabaseError("disk full"),
        ),
        pytest.raises(DatabaseError),
    ):
        expert_review_submit(actor=experts.member, assessment=a)
    assert state() == before
    assert ExpertReview.objects.get(expert=experts.member).submitted_at is None
    assert tasks_of(a, AssessmentFlow.join_experts) == [STATUS.STARTED]
    # And the step can be taken again once the database recovers.
    expert_review_submit(actor=experts.member, assessment=a)
    assert steps(a) == ["consolidate"]


def test_a_failure_while_forwarding_leaves_the_county_review_open(world):
    a = world.assessment_a
    submitted(a, world.staff_a)
    before = state()
    with (
        mock.patch(
            # the status change's audit row (services.common.assessment_transition)
            "accreditation.services.common.audit_record",
            side_effect=DatabaseError("lost"),
        ),
        pytest.raises(DatabaseError),
    ):
        county_review_forward(actor=world.reviewer_a, assessment=a)
    assert state() == before
    assert (fresh(a).status, steps(a)) == ("submitted", ["county_review"])


def test_a_failure_issuing_a_certificate_keeps_the_notice_open(world, experts):
    a = world.assessment_a
    notice = on_notice(world, experts, a, world.officer_province, world.province)
    before = state()
    with (
        mock.patch(
            "accreditation.services.recognitions.certificate_number_allocate",
            side_effect=IntegrityError("duplicate number"),
        ),
        pytest.raises(IntegrityError),
    ):
        public_notice_close(actor=world.officer_province, notice=notice)
    assert state() == before
    notice.refresh_from_db()
    assert (notice.status, fresh(a).status, steps(a)) == ("open", "public_notice", ["in_notice"])
    assert not Recognition.objects.exists()

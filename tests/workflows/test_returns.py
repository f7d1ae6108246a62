import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from accreditation.core.errors import WrongStep
from accreditation.models import AssessmentReturn, AuditEvent, ExpertReview, ReviewRound
from accreditation.selectors.reviews import review_history
from accreditation.services.assessments import item_grade_save
from accreditation.services.consolidation import consolidation_complete
from accreditation.services.experts import expert_review_submit
from accreditation.services.panels import panel_assign
from accreditation.services.reviews import assessment_return, county_review_forward
from accreditation.services.submission import assessment_resubmit
from tests.workflows.helpers import (
    at_consolidation,
    at_expert_review,
    fresh,
    grade_all,
    steps,
    submitted,
)


def rounds(assessment):
    return list(
        ReviewRound.objects.filter(assessment=assessment)
        .order_by("id")
        .values_list("stage", "number", "outcome")
    )


def test_county_return_and_resubmission_go_back_to_the_county_with_history(
    world, django_capture_on_commit_callbacks
):
    a = world.assessment_a
    world.staff_a.email = "staff@hekou.example.cn"
    world.staff_a.save()
    submitted(a, world.staff_a, grade="B")
    with django_capture_on_commit_callbacks(execute=True):
        returned = assessment_return(
            actor=world.reviewer_a,
            assessment=a,
            reason="制度文件缺失",
            item_comments={"1.1.1": "请上传制度文件"},
        )
    assert (returned.stage, returned.from_status) == ("county", "submitted")
    assert mail.outbox[-1].to == ["staff@hekou.example.cn"]
    assert (fresh(a).status, steps(a)) == ("returned", ["county_correction"])

    item_grade_save(
        actor=world.staff_a, assessment=a, item_code="1.1.1", expected_version=2, grade="A"
    )
    second = assessment_resubmit(actor=world.staff_a, assessment=a)
    assert (fresh(a).status, steps(a)) == ("submitted", ["county_review"])
    returned.refresh_from_db()
    assert (returned.resubmission_id, returned.resubmitted_at is not None) == (second.pk, True)
    assert rounds(a) == [("county", 1, "returned"), ("county", 2, "open")]

    county_review_forward(actor=world.reviewer_a, assessment=a)
    history = review_history(viewer=world.staff_a, assessment=a)
    assert [(h.round.number, h.round.outcome) for h in history] == [
        (1, "returned"),
        (2, "forwarded"),
        (1, "open"),
    ]
    first = history[0]
    assert (first.county_review.decision, first.county_review.item_comments) == (
        "returned",
        {"1.1.1": "请上传制度文件"},
    )
    assert (first.returned.reason, first.round.closed_by) == ("制度文件缺失", world.reviewer_a)
    assert history[0].round.snapshot.sequence == 1
    assert history[1].round.snapshot.sequence == 2


def test_return_at_panel_assignment_comes_back_to_the_panel_assignment(world):
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    returned = assessment_return(actor=world.officer_province, assessment=a, reason="需现场整改")
    assert (returned.stage, returned.from_status) == ("expert", "expert_review")
    assert steps(a) == ["expert_correction"]
    assessment_resubmit(actor=world.staff_a, assessment=a)
    assert (fresh(a).status, steps(a)) == ("expert_review", ["assign_panel"])
    assert rounds(a) == [
        ("county", 1, "forwarded"),
        ("expert", 1, "returned"),
        ("expert", 2, "open"),
    ]


def test_return_from_consolidation_sends_the_panel_back_to_grading(world, experts):
    a = world.assessment_a
    at_consolidation(world, experts, a, world.officer_province)
    returned = assessment_return(
        actor=experts.lead, assessment=a, reason="现场核查发现问题", item_comments={"2.1.1": "整改"}
    )
    assert (returned.stage, returned.from_status, fresh(a).status) == (
        "expert",
        "consolidation",
        "returned",
    )
    assessment_resubmit(actor=world.staff_a, assessment=a)
    # The panel stays; each expert grades the new round.
    assert (fresh(a).status, steps(a)) == ("expert_review", ["expert_review"])
    assert rounds(a)[-2:] == [("expert", 1, "returned"), ("expert", 2, "open")]
    for expert in (experts.lead, experts.member):
        grade_all(expert, a, "B")
        expert_review_submit(actor=expert, assessment=a)
    consolidation_complete(actor=experts.lead, assessment=a)
    assert steps(a) == ["decide"]
    assert ExpertReview.objects.filter(assessment=a).count() == 4
    assert fresh(a).results.get().inputs["grades"]["2.1.1"] == "B"


def test_experts_grading_cannot_be_interrupted_by_a_return(world, experts):
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province, assessment=a, lead=experts.lead, members=[experts.member]
    )
    before = fresh(a)
    with pytest.raises(WrongStep) as excinfo:
        assessment_return(actor=world.officer_province, assessment=a, reason="x")
    assert excinfo.value.details == {"open": ["expert_review"]}
    assert (fresh(a).status, fresh(a).version) == (before.status, before.version)
    assert not AssessmentReturn.objects.exists()


def test_a_county_reviewer_cannot_return_at_the_expert_stage(world, experts):
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    with pytest.raises(PermissionDenied):
        assessment_return(actor=world.reviewer_a, assessment=a, reason="x")
    assert (fresh(a).status, steps(a)) == ("expert_review", ["assign_panel"])
    assert not AuditEvent.objects.filter(action="assessment.return").exists()


def test_resubmit_is_refused_unless_returned(world):
    from accreditation.core.errors import InvalidTransition

    submitted(world.assessment_a, world.staff_a)
    with pytest.raises(InvalidTransition):
        assessment_resubmit(actor=world.staff_a, assessment=world.assessment_a)


def test_another_county_reviewer_can_take_over_a_claimed_review(world):
    from viewflow.workflow.models import Task

    from accreditation.services.reviews import county_review_start
    from tests.factories import CountyReviewerFactory

    a = world.assessment_a
    submitted(a, world.staff_a)
    county_review_start(actor=world.reviewer_a, assessment=a)
    colleague = CountyReviewerFactory(username="reviewer_a2", region=world.county_a)
    county_review_forward(actor=colleague, assessment=a)
    task = Task.objects.get(
        process__assessmentprocess__assessment=a, flow_task_type="HUMAN", status="DONE"
    )
    assert (task.owner, fresh(a).status) == (colleague, "expert_review")

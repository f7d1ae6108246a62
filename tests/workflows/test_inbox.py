import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task

from accreditation.models import Cycle
from accreditation.services.assessments import assessment_open
from accreditation.services.panels import panel_assign
from accreditation.services.reviews import assessment_return, county_review_forward
from tests.factories import FactsFactory, InstitutionFactory, StaffFactory
from tests.workflows.helpers import fresh, submitted
from workflows.selectors import processes_visible_to, task_get_for_user, task_inbox


def inbox(user):
    return [(row.step, row.assessment_id) for row in task_inbox(user=user)]


@pytest.fixture
def both_submitted(world):
    submitted(world.assessment_a, world.staff_a)
    submitted(world.assessment_b, world.staff_b)
    return world.assessment_a, world.assessment_b


def test_each_user_sees_the_steps_in_their_scope(world, experts, both_submitted):
    a, b = both_submitted
    assert inbox(world.reviewer_a) == [("county_review", a.pk)]
    assert inbox(world.reviewer_b) == [("county_review", b.pk)]
    for nobody in (world.staff_a, world.officer_province, experts.lead, world.administrator):
        assert inbox(nobody) == []
    assert inbox(AnonymousUser()) == []

    assessment_return(actor=world.reviewer_a, assessment=a, reason="补充")
    assert inbox(world.staff_a) == inbox(world.staff_a2) == [("county_correction", a.pk)]
    assert inbox(world.staff_b) == []
    assert inbox(world.reviewer_a) == []

    county_review_forward(actor=world.reviewer_b, assessment=b)
    assert (
        inbox(world.officer_province) == inbox(world.officer_national) == [("assign_panel", b.pk)]
    )
    assert inbox(world.officer_city) == inbox(world.officer_other_city) == []
    Cycle.objects.filter(pk=world.cycle.pk).update(basic_confirmed_by="city")
    assert inbox(world.officer_other_city) == [("assign_panel", b.pk)]
    assert inbox(world.officer_city) == []

    panel_assign(
        actor=world.officer_other_city,
        assessment=fresh(b),
        lead=experts.lead,
        members=[experts.member],
    )
    assert inbox(experts.lead) == inbox(experts.member) == [("expert_review", b.pk)]
    assert inbox(experts.third) == inbox(world.officer_other_city) == []


def test_a_step_outside_the_inbox_cannot_be_fetched(world, both_submitted):
    a, _b = both_submitted
    task = Task.objects.get(process__assessmentprocess__assessment=a, flow_task_type="HUMAN")
    assert task_get_for_user(user=world.reviewer_a, task_id=task.pk) == task
    with pytest.raises(Task.DoesNotExist):
        task_get_for_user(user=world.reviewer_b, task_id=task.pk)


def test_processes_are_visible_within_scope(world, experts, both_submitted):
    a, b = both_submitted
    assert [p.assessment_id for p in processes_visible_to(world.staff_a)] == [a.pk]
    assert sorted(p.assessment_id for p in processes_visible_to(world.officer_province)) == sorted(
        [a.pk, b.pk]
    )
    assert [p.assessment_id for p in processes_visible_to(world.reviewer_b)] == [b.pk]
    assert list(processes_visible_to(experts.lead)) == []


def _more_submissions(world, count):
    for n in range(count):
        institution = InstitutionFactory(name=f"河口第{n}卫生院", region=world.county_a)
        FactsFactory(institution=institution)
        staff = StaffFactory(username=f"extra{n}", institution=institution)
        assessment = assessment_open(
            actor=staff, cycle=world.cycle, institution=institution, target_level="basic"
        )
        submitted(assessment, staff)


def queries_for(user) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        rows = task_inbox(user=user)
    return len(rows), len(captured)


def test_the_inbox_costs_the_same_queries_for_one_row_or_many(world):
    submitted(world.assessment_a, world.staff_a)
    reviewer = type(world.reviewer_a).objects.select_related("region").get(pk=world.reviewer_a.pk)
    rows_one, queries_one = queries_for(reviewer)
    _more_submissions(world, 3)
    rows_many, queries_many = queries_for(reviewer)
    assert (rows_one, rows_many) == (1, 4)
    assert queries_one == queries_many == 1

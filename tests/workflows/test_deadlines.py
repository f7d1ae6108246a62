import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accreditation.models import CycleDeadline, DeadlineNotice, User
from accreditation.selectors.deadlines import overdue_assessments
from accreditation.services.deadlines import deadline_reminders_send
from accreditation.services.panels import panel_assign
from tests.workflows.helpers import at_expert_review, grade_all, submitted

DUE = dt.date(2026, 6, 30)


@pytest.fixture
def emails(world, experts):
    for user in (world.staff_a, world.staff_a2, world.staff_b, world.reviewer_a, world.reviewer_b):
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])
    return world


def notices():
    return sorted(
        DeadlineNotice.objects.values_list("kind", "stage", "assessment_id", "recipient__username")
    )


def test_reminders_before_and_notices_after_each_once(
    emails, experts, django_capture_on_commit_callbacks
):
    world = emails
    CycleDeadline.objects.create(cycle=world.cycle, stage="self_assessment", due_on=DUE)
    a, b = world.assessment_a, world.assessment_b
    submitted(b, world.staff_b)  # B is past the self-assessment stage

    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_send(on=DUE - dt.timedelta(days=4)) == []
        created = deadline_reminders_send(on=DUE - dt.timedelta(days=3))
    assert notices() == [
        ("reminder", "self_assessment", a.pk, "staff_a"),
        ("reminder", "self_assessment", a.pk, "staff_a2"),
    ]
    assert len(created) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["staff_a2@example.cn", "staff_a@example.cn"]
    assert mail.outbox[0].subject == "Deadline approaching: Self-assessment (2026-06-30)"
    assert "河口镇卫生院" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_send(on=DUE) == []  # already reminded
        deadline_reminders_send(on=DUE + dt.timedelta(days=1))
        assert deadline_reminders_send(on=DUE + dt.timedelta(days=2)) == []
    assert [n for n in notices() if n[0] == "overdue"] == [
        ("overdue", "self_assessment", a.pk, "staff_a"),
        ("overdue", "self_assessment", a.pk, "staff_a2"),
    ]
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].subject == "Deadline passed: Self-assessment (2026-06-30)"


def test_reviewers_and_experts_who_still_have_to_act_are_reminded(emails, experts):
    world = emails
    CycleDeadline.objects.create(cycle=world.cycle, stage="county_review", due_on=DUE)
    CycleDeadline.objects.create(cycle=world.cycle, stage="expert_review", due_on=DUE)
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    submitted(world.assessment_b, world.staff_b)
    deadline_reminders_send(on=DUE)
    assert notices() == [
        ("reminder", "county_review", world.assessment_b.pk, "reviewer_b"),
        ("reminder", "expert_review", world.assessment_a.pk, "officer_province"),
    ]
    panel_assign(
        actor=world.officer_province,
        assessment=world.assessment_a,
        lead=experts.lead,
        members=[experts.member],
    )
    grade_all(experts.lead, world.assessment_a)
    from accreditation.services.experts import expert_review_submit

    expert_review_submit(actor=experts.lead, assessment=world.assessment_a)
    created = deadline_reminders_send(on=DUE + dt.timedelta(days=1))
    assert sorted((n.kind, n.recipient.username) for n in created) == [
        ("overdue", "member"),
        ("overdue", "reviewer_b"),
    ]


def test_the_command_runs_the_reminders(emails):
    CycleDeadline.objects.create(cycle=emails.cycle, stage="self_assessment", due_on=DUE)
    out = StringIO()
    call_command("send_deadline_reminders", "--date", "2026-07-01", stdout=out)
    assert out.getvalue().strip().splitlines() == [
        "0 reminders and 3 overdue notices sent.",
        "Rectification: 0 reminders and 0 overdue notices sent.",
        "Fact challenges: 0 notices sent.",
        "Look-backs concluded: 0 rectified, 0 revoked.",
    ]


def test_officers_see_overdue_assessments_in_their_scope(world):
    CycleDeadline.objects.create(cycle=world.cycle, stage="self_assessment", due_on=DUE)
    CycleDeadline.objects.create(
        cycle=world.cycle, stage="county_review", due_on=DUE + dt.timedelta(days=10)
    )
    submitted(world.assessment_b, world.staff_b)
    on = DUE + dt.timedelta(days=12)
    rows = overdue_assessments(viewer=world.officer_province, on=on)
    assert [(r.assessment.pk, r.stage, r.days_overdue) for r in rows] == [
        (world.assessment_a.pk, "self_assessment", 12),
        (world.assessment_b.pk, "county_review", 2),
    ]
    assert [r.assessment.pk for r in overdue_assessments(viewer=world.officer_city, on=on)] == [
        world.assessment_a.pk
    ]
    assert overdue_assessments(viewer=world.officer_province, on=DUE) == []
    for user in (world.staff_a, world.reviewer_a, world.administrator):
        with pytest.raises(PermissionDenied):
            overdue_assessments(viewer=user, on=on)
    officer = User.objects.select_related("region").get(pk=world.officer_province.pk)
    with CaptureQueriesContext(connection) as captured:
        overdue_assessments(viewer=officer, on=on)
    assert len(captured) == 2

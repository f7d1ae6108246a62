"""Rectification (整改): findings from the gap plan after consolidation, plans, evidence
of effect, verification; refusals that change nothing; reminders; look-backs that
require rectification by a deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accreditation.core.errors import DomainError, InvalidTransition, NotEditable
from accreditation.models import (
    AuditEvent,
    Finding,
    FindingNotice,
    LookBack,
    Recognition,
    RectificationEvidence,
    RectificationPlan,
)
from accreditation.services.findings import (
    RectifyItem,
    finding_raise,
    finding_reminders_send,
    finding_reopen,
    finding_verify,
    finding_withdraw,
    findings_from_gap_plan,
    lookback_conclude,
    lookbacks_expired_conclude,
    plan_accept,
    plan_return,
    plan_submit,
    rectification_evidence_submit,
)
from accreditation.services.reductions import lookback_record
from tests.files import PDF
from tests.workflows.helpers import at_decision, recognise_all

Status = Finding.Status
TODAY = timezone.localdate


def _counts() -> tuple[int, ...]:
    return (
        Finding.objects.count(),
        RectificationPlan.objects.count(),
        RectificationEvidence.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def below_target(world, experts):
    """Institution A's assessment consolidated at C throughout: below its basic target."""
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("C", "C"))
    return world.assessment_a


@pytest.fixture
def finding(world, below_target) -> Finding:
    return findings_from_gap_plan(actor=world.officer_province, assessment=below_target)[0]


def _plan(world, finding, **kw):
    values = {
        "root_cause": "制度未落实",
        "actions": "修订制度并培训",
        "owner": "王主任",
        "due_on": TODAY() + dt.timedelta(days=20),
    }
    return plan_submit(actor=world.staff_a, finding=finding, **(values | kw))


def test_the_gap_plan_becomes_findings_once(world, below_target):
    result = below_target.results.order_by("-id").first()
    upgrades = result.gap_plan["upgrades"]
    assert upgrades  # C throughout does not reach the basic level
    raised = findings_from_gap_plan(actor=world.officer_province, assessment=below_target)
    assert [f.item_code for f in raised] == [u["item"] for u in upgrades]
    first = raised[0]
    assert first.source == Finding.Source.PANEL
    assert first.current_grade == upgrades[0]["from"]
    assert first.required_grade == upgrades[0]["to"]
    assert first.status == Status.OPEN
    assert first.due_on == TODAY() + dt.timedelta(days=30)
    assert AuditEvent.objects.filter(action="finding.raise", assessment=below_target).count() == (
        len(raised)
    )
    # Raising again skips the items that already have an unresolved finding.
    assert findings_from_gap_plan(actor=world.officer_province, assessment=below_target) == []


def test_the_whole_loop_closes_the_finding(world, finding):
    plan = _plan(world, finding)
    finding.refresh_from_db()
    assert finding.status == Status.PLAN_SUBMITTED
    plan_accept(actor=world.officer_province, finding=finding, comment="同意")
    finding.refresh_from_db()
    assert finding.status == Status.PLAN_ACCEPTED
    assert finding.due_on == plan.due_on
    pdf = SimpleUploadedFile("效果.pdf", PDF)
    evidence = rectification_evidence_submit(
        actor=world.staff_a, finding=finding, description="已完成培训", files=[pdf]
    )
    assert [f.name for f in evidence.files.all()] == ["效果.pdf"]
    finding_reopen(actor=world.officer_province, finding=finding, comment="缺少签到表")
    finding.refresh_from_db()
    assert finding.status == Status.PLAN_ACCEPTED
    rectification_evidence_submit(actor=world.staff_a, finding=finding, description="补签到表")
    closed = finding_verify(actor=world.officer_province, finding=finding)
    assert closed.status == Status.CLOSED and closed.closed_at is not None
    actions = list(
        AuditEvent.objects.filter(assessment=finding.assessment, action__contains="rectif")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "rectification_plan.submit",
        "rectification_plan.accept",
        "rectification_evidence.submit",
        "rectification_evidence.submit",
    ]


def test_a_returned_plan_opens_the_finding_again(world, finding):
    _plan(world, finding)
    plan_return(actor=world.officer_province, finding=finding, comment="原因分析不足")
    finding.refresh_from_db()
    assert finding.status == Status.OPEN
    assert finding.plans.get().outcome == RectificationPlan.Outcome.RETURNED
    _plan(world, finding, root_cause="培训不到位")
    assert finding.plans.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"owner": ""}, "owner"),
        ({"owner": "   "}, "owner"),
        ({"due_on": None}, "due_on"),
        ({"due_on": "2020-01-01"}, "due_on"),
        ({"due_on": "next week"}, "due_on"),
        ({"root_cause": ""}, "root_cause"),
        ({"actions": "x" * 4001}, "actions"),
    ],
)
def test_a_plan_without_owner_or_date_is_refused_and_nothing_changes(
    world, finding, changes, field
):
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        _plan(world, finding, **changes)
    assert field in refused.value.message_dict
    assert _counts() == before
    finding.refresh_from_db()
    assert finding.status == Status.OPEN


def test_evidence_for_a_closed_finding_is_refused_and_nothing_changes(world, finding):
    _plan(world, finding)
    plan_accept(actor=world.officer_province, finding=finding)
    rectification_evidence_submit(actor=world.staff_a, finding=finding, description="完成")
    finding_verify(actor=world.officer_province, finding=finding)
    before = _counts()
    with pytest.raises(NotEditable, match="resolved"):
        rectification_evidence_submit(actor=world.staff_a, finding=finding, description="再交")
    with pytest.raises(NotEditable):
        _plan(world, finding)
    assert _counts() == before


def test_steps_out_of_order_are_refused(world, finding):
    with pytest.raises(InvalidTransition):
        plan_accept(actor=world.officer_province, finding=finding)
    with pytest.raises(InvalidTransition):
        rectification_evidence_submit(actor=world.staff_a, finding=finding, description="x")
    with pytest.raises(InvalidTransition):
        finding_verify(actor=world.officer_province, finding=finding)
    _plan(world, finding)
    with pytest.raises(InvalidTransition):
        _plan(world, finding)


def test_who_may_act(world, experts, finding):
    with pytest.raises(PermissionDenied):
        plan_submit(
            actor=world.staff_b,
            finding=finding,
            root_cause="r",
            actions="a",
            owner="o",
            due_on=TODAY() + dt.timedelta(days=5),
        )
    _plan(world, finding)
    for outsider in (world.staff_a, world.reviewer_b, world.officer_other_city, experts.member):
        with pytest.raises(PermissionDenied):
            plan_accept(actor=outsider, finding=finding)
    # The county reviewer covering the institution did not raise this one.
    with pytest.raises(PermissionDenied):
        plan_accept(actor=world.reviewer_a, finding=finding)
    plan_accept(actor=world.officer_national, finding=finding)  # an officer above


def test_raising_checks_its_input(world, below_target):
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        finding_raise(
            actor=world.reviewer_a,
            assessment=below_target,
            source="rumour",
            description="",
            item_code="9.9.9",
            required_grade="D",
            due_on="2020-01-01",
        )
    assert set(refused.value.message_dict) == {
        "source",
        "description",
        "item_code",
        "required_grade",
        "due_on",
    }
    with pytest.raises(ValidationError) as refused:
        finding_raise(
            actor=world.reviewer_a, assessment=below_target, source="objection", description="x"
        )
    assert "objection" in refused.value.message_dict
    assert _counts() == before
    with pytest.raises(PermissionDenied):
        finding_raise(
            actor=world.reviewer_b, assessment=below_target, source="county", description="x"
        )


def test_a_county_finding_and_its_duplicate(world, below_target):
    finding = finding_raise(
        actor=world.reviewer_a,
        assessment=below_target,
        source="county",
        item_code="1.1.1",
        description="台账不全",
        required_grade="B",
    )
    assert finding.current_grade == "C"  # the consolidated grade
    with pytest.raises(DomainError) as refused:
        finding_raise(
            actor=world.reviewer_a,
            assessment=below_target,
            source="county",
            item_code="1.1.1",
            description="again",
        )
    assert refused.value.code == "duplicate"
    # The raiser decides it; withdrawing frees the item for a new finding.
    finding_withdraw(actor=world.reviewer_a, finding=finding, reason="重复")
    finding_raise(
        actor=world.reviewer_a,
        assessment=below_target,
        source="county",
        item_code="1.1.1",
        description="again",
    )


def test_panel_findings_wait_for_the_consolidation(world):
    with pytest.raises(InvalidTransition):
        finding_raise(
            actor=world.officer_province,
            assessment=world.assessment_a,
            source="panel",
            description="x",
        )


def test_reminders_are_sent_once_and_overdue_notices_reach_the_raiser(
    world, finding, mailoutbox, django_capture_on_commit_callbacks
):
    soon = finding.due_on - dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        reminders = finding_reminders_send(on=soon)
    assert {n.recipient for n in reminders} == {world.staff_a, world.staff_a2}
    assert all(n.kind == FindingNotice.Kind.REMINDER for n in reminders)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in (world.staff_a, world.staff_a2) if u.email
    )
    assert finding_reminders_send(on=soon) == []
    late = finding_reminders_send(on=finding.due_on + dt.timedelta(days=1))
    assert {n.recipient for n in late} == {world.staff_a, world.staff_a2, world.officer_province}
    assert all(n.kind == FindingNotice.Kind.OVERDUE for n in late)
    # Once the plan is in, the institution owes nothing until it is accepted.
    _plan(world, finding)
    assert finding_reminders_send(on=finding.due_on + dt.timedelta(days=2)) == []


@pytest.fixture
def recognised(world, experts):
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    return Recognition.objects.get(assessment=world.assessment_a)


def _rectify(world, recognition, **kw):
    values = {
        "outcome": "rectify",
        "reason": "回头看发现问题",
        "rectify_by": TODAY() + dt.timedelta(days=60),
        "rectify_items": [RectifyItem(description="病历书写不规范", item_code="2.1.1")],
    }
    return lookback_record(actor=world.officer_province, recognition=recognition, **(values | kw))


def test_a_lookback_requiring_rectification_raises_findings(world, recognised):
    lookback = _rectify(world, recognised)
    assert lookback.rectification == LookBack.Rectification.PENDING
    (finding,) = lookback.rectification_findings.all()
    assert finding.source == Finding.Source.LOOKBACK
    assert finding.item_code == "2.1.1"
    assert finding.due_on == TODAY() + dt.timedelta(days=30)
    recognised.refresh_from_db()
    assert recognised.status == Recognition.Status.ACTIVE
    # A plan may not run past the look-back's deadline.
    with pytest.raises(ValidationError) as refused:
        _plan(world, finding, due_on=TODAY() + dt.timedelta(days=61))
    assert "due_on" in refused.value.message_dict
    with pytest.raises(InvalidTransition):
        lookback_conclude(actor=world.officer_province, lookback=lookback)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rectify_by": None}, "rectify_by"),
        ({"rectify_by": "2020-01-01"}, "rectify_by"),
        ({"rectify_items": []}, "items"),
        ({"rectify_items": [RectifyItem(description="")]}, "items[0].description"),
        ({"rectify_items": [RectifyItem(description="x", item_code="0")]}, "items[0].item_code"),
    ],
)
def test_a_lookback_rectification_needs_a_deadline_and_items(world, recognised, changes, field):
    before = (LookBack.objects.count(), *_counts())
    with pytest.raises(ValidationError) as refused:
        _rectify(world, recognised, **changes)
    assert field in refused.value.message_dict
    assert (LookBack.objects.count(), *_counts()) == before


def test_failing_the_rectification_revokes(world, recognised):
    lookback = _rectify(world, recognised)
    deadline = lookback.rectify_by
    assert lookbacks_expired_conclude(on=deadline) == []  # not yet past
    (concluded,) = lookbacks_expired_conclude(on=deadline + dt.timedelta(days=1))
    assert concluded.rectification == LookBack.Rectification.FAILED
    recognised.refresh_from_db()
    assert recognised.status == Recognition.Status.REVOKED
    assert AuditEvent.objects.filter(action="lookback.conclude").count() == 1


def test_a_completed_rectification_keeps_the_recognition(world, recognised):
    lookback = _rectify(world, recognised)
    finding = lookback.rectification_findings.get()
    _plan(world, finding)
    plan_accept(actor=world.officer_province, finding=finding)
    rectification_evidence_submit(actor=world.staff_a, finding=finding, description="已整改")
    finding_verify(actor=world.officer_province, finding=finding)
    concluded = lookback_conclude(actor=world.officer_province, lookback=lookback)
    assert concluded.rectification == LookBack.Rectification.RECTIFIED
    recognised.refresh_from_db()
    assert recognised.status == Recognition.Status.ACTIVE
    with pytest.raises(InvalidTransition):
        lookback_conclude(actor=world.officer_province, lookback=lookback)

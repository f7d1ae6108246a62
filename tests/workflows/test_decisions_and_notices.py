import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from viewflow.workflow.status import PROCESS

from accreditation.core.errors import DomainError, InvalidTransition
from accreditation.models import (
    AuditEvent,
    Consolidation,
    Decision,
    Objection,
    PublicNotice,
    Recognition,
)
from accreditation.services.consolidation import consolidation_complete
from accreditation.services.decisions import DecisionInput, decision_record, decisions_record
from accreditation.services.notices import (
    objection_record,
    objection_resolve,
    public_notice_close,
    public_notice_open,
)
from tests.workflows.helpers import at_decision, fresh, on_notice, steps
from workflows.models import AssessmentProcess

TODAY = timezone.localdate


def test_override_needs_a_reason_and_is_audited(world, experts):
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    with pytest.raises(ValidationError) as excinfo:
        decision_record(actor=world.officer_province, assessment=a, level="qualified")
    assert list(excinfo.value.message_dict) == ["override_reason"]
    assert (fresh(a).status, steps(a)) == ("consolidation", ["decide"])
    decision = decision_record(
        actor=world.officer_province, assessment=a, level="basic", override_reason="综合考虑"
    )
    assert (decision.computed_level, decision.decided_level, decision.is_override) == (
        "recommended",
        "basic",
        True,
    )
    event = AuditEvent.objects.get(action="decision.override")
    assert (event.before["computed_level"], event.after["decided_level"], event.note) == (
        "recommended",
        "basic",
        "综合考虑",
    )


def test_deciding_no_level_ends_the_application(world, experts):
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    decision_record(
        actor=world.officer_province, assessment=a, level="", override_reason="弄虚作假"
    )
    assert fresh(a).status == "not_recognised"
    assert AssessmentProcess.objects.get(assessment=a).status == PROCESS.DONE
    assert steps(a) == []


def test_a_list_is_decided_at_once_or_not_at_all(world, experts):
    from tests.workflows.helpers import at_consolidation

    a, b = world.assessment_a, world.assessment_b
    at_decision(world, experts, a, world.officer_province)
    with pytest.raises(DomainError) as excinfo:
        decisions_record(
            actor=world.officer_province,
            decisions=[DecisionInput(a), DecisionInput(b, level="basic")],
        )
    assert excinfo.value.code == "batch_refused"
    assert list(excinfo.value.details["refused"]) == [str(b.pk)]
    assert excinfo.value.details["refused"][str(b.pk)]["code"] == "invalid_transition"
    assert not Decision.objects.exists()
    assert (fresh(a).status, steps(a)) == ("consolidation", ["decide"])

    # Put B through the same path (its own county and staff).
    b_world = type("W", (), {**world.__dict__})
    b_world.staff_a, b_world.reviewer_a, b_world.assessment_a = world.staff_b, world.reviewer_b, b
    at_consolidation(b_world, experts, b, world.officer_province)
    consolidation_complete(actor=experts.lead, assessment=b)
    decisions = decisions_record(
        actor=world.officer_province,
        decisions=[DecisionInput(a), DecisionInput(b, level="basic", override_reason="抽查")],
    )
    assert [d.assessment_id for d in decisions] == [a.pk, b.pk]
    assert len({d.batch_id for d in decisions}) == 1
    assert [fresh(x).status for x in (a, b)] == ["decided", "decided"]


def test_objection_dismissed_then_recognised(world, experts):
    a = world.assessment_a
    notice = on_notice(world, experts, a, world.officer_province, world.province)
    objection = objection_record(
        actor=world.officer_province,
        notice=notice,
        assessment=a,
        content="门诊量数据不实",
        objector="匿名",
        received_on=notice.starts_on + dt.timedelta(days=1),
    )
    with pytest.raises(DomainError) as excinfo:
        public_notice_close(actor=world.officer_province, notice=notice)
    assert (excinfo.value.code, excinfo.value.details) == (
        "objections_open",
        {"objections": [objection.pk]},
    )
    assert (fresh(a).status, PublicNotice.objects.get().status) == ("public_notice", "open")
    with pytest.raises(ValidationError):
        objection_resolve(
            actor=world.officer_province, objection=objection, upheld=False, reason=""
        )
    objection_resolve(
        actor=world.officer_province, objection=objection, upheld=False, reason="经核实数据属实"
    )
    with pytest.raises(InvalidTransition):
        objection_resolve(
            actor=world.officer_province, objection=objection, upheld=True, reason="x"
        )
    public_notice_close(actor=world.officer_province, notice=notice)
    assert fresh(a).status == "recognised"
    assert Recognition.objects.get(assessment=a).level == "recommended"


def test_objection_upheld_sends_the_assessment_back_to_consolidation(world, experts):
    a = world.assessment_a
    notice = on_notice(world, experts, a, world.officer_province, world.province)
    first, second = (
        objection_record(
            actor=world.officer_province,
            notice=notice,
            assessment=a,
            content=text,
            received_on=notice.starts_on,
        )
        for text in ("床位数不实", "同一问题")
    )
    objection_resolve(
        actor=world.officer_province, objection=first, upheld=True, reason="核实床位不足"
    )
    assert (fresh(a).status, steps(a)) == ("consolidation", ["consolidate"])
    second.refresh_from_db()
    assert (second.status, second.resolved_by) == (Objection.Status.CLOSED, world.officer_province)
    assert notice.entries.get().status == "withdrawn"
    consolidations = list(Consolidation.objects.filter(assessment=a).order_by("id"))
    assert [(c.status, c.reopened_from_id) for c in consolidations] == [
        ("completed", None),
        ("open", consolidations[0].pk),
    ]
    # Nothing to recognise any more: closing the notice recognises no one.
    public_notice_close(actor=world.officer_province, notice=notice)
    assert not Recognition.objects.exists()

    from accreditation.services.consolidation import consolidation_grade_set

    consolidation_grade_set(
        actor=experts.lead, assessment=a, item_code="1.1.3", final_grade="C", reason="床位不足"
    )
    consolidation_complete(actor=experts.lead, assessment=a)
    assert steps(a) == ["decide"]
    decision_record(actor=world.officer_province, assessment=a)
    second_notice = public_notice_open(
        actor=world.officer_province,
        cycle=world.cycle,
        region=world.province,
        assessments=[a],
        starts_on=TODAY() - dt.timedelta(days=7),
        document_number="卫公示〔2026〕2号",
    )
    public_notice_close(actor=world.officer_province, notice=second_notice)
    recognition = Recognition.objects.get(assessment=a)
    assert (recognition.notice_document_number, fresh(a).status) == (
        "卫公示〔2026〕2号",
        "recognised",
    )


def test_nothing_is_recognised_before_the_window_closes(world, experts):
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    decision_record(actor=world.officer_province, assessment=a)
    notice = public_notice_open(
        actor=world.officer_province,
        cycle=world.cycle,
        region=world.province,
        assessments=[a],
        starts_on=TODAY() - dt.timedelta(days=6),
        document_number="卫公示〔2026〕9号",
    )
    assert notice.ends_on == TODAY()
    with pytest.raises(DomainError) as excinfo:
        public_notice_close(actor=world.officer_province, notice=notice)
    assert excinfo.value.code == "notice_window_open"
    assert (fresh(a).status, steps(a)) == ("public_notice", ["in_notice"])
    assert not Recognition.objects.exists()


def test_objections_are_recorded_only_in_the_window_and_for_listed_institutions(world, experts):
    a = world.assessment_a
    notice = on_notice(world, experts, a, world.officer_province, world.province)
    for received_on in (
        notice.starts_on - dt.timedelta(days=1),
        notice.ends_on + dt.timedelta(days=1),
    ):
        with pytest.raises(DomainError) as excinfo:
            objection_record(
                actor=world.officer_province,
                notice=notice,
                assessment=a,
                content="x",
                received_on=received_on,
            )
        assert excinfo.value.code == "outside_window"
    with pytest.raises(DomainError) as excinfo:
        objection_record(
            actor=world.officer_province,
            notice=notice,
            assessment=world.assessment_b,
            content="x",
            received_on=notice.starts_on,
        )
    assert excinfo.value.code == "not_listed"
    assert not Objection.objects.exists()


def test_a_notice_lists_only_decided_assessments_of_its_level(world, experts):
    a = world.assessment_a  # recommended: the province issues it
    at_decision(world, experts, a, world.officer_province)
    with pytest.raises(DomainError) as excinfo:
        public_notice_open(
            actor=world.officer_province,
            cycle=world.cycle,
            region=world.province,
            assessments=[a],
            starts_on=TODAY(),
            document_number="卫公示〔2026〕5号",
        )
    assert excinfo.value.details == {"refused": {str(a.pk): "not_decided"}}
    decision_record(actor=world.officer_province, assessment=a)
    with pytest.raises(DomainError) as excinfo:
        public_notice_open(
            actor=world.officer_city,
            cycle=world.cycle,
            region=world.city,
            assessments=[a],
            starts_on=TODAY(),
            document_number="东卫公示〔2026〕1号",
        )
    assert excinfo.value.details == {"refused": {str(a.pk): "wrong_issuing_level"}}
    assert not PublicNotice.objects.exists()
    assert (fresh(a).status, steps(a)) == ("decided", ["await_notice"])

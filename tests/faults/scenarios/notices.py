"""The decision's steps, the public notice's and its objections'."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accreditation.models import Objection, PublicNotice
from accreditation.services.decisions import DecisionInput, decision_record, decisions_record
from accreditation.services.notices import (
    objection_record,
    objection_resolve,
    public_notice_close,
    public_notice_open,
)
from tests.faults.scenarios.base import Scenario, Step, b_world, provincial_notice, reread
from tests.workflows.helpers import at_decision


def decide(world, experts) -> Step:
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    return lambda: decision_record(actor=world.officer_province, assessment=reread(a))


def decide_no_level(world, experts) -> Step:
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    return lambda: decision_record(
        actor=world.officer_province, assessment=reread(a), level="", override_reason="弄虚作假"
    )


def decide_batch(world, experts) -> Step:
    a, b = world.assessment_a, world.assessment_b
    at_decision(world, experts, a, world.officer_province)
    at_decision(b_world(world), experts, b, world.officer_province)
    return lambda: decisions_record(
        actor=world.officer_province,
        decisions=[DecisionInput(reread(a)), DecisionInput(reread(b), "basic", "抽查")],
    )


def notice_open(world, experts) -> Step:
    a = world.assessment_a
    at_decision(world, experts, a, world.officer_province)
    decision_record(actor=world.officer_province, assessment=a)
    return lambda: public_notice_open(
        actor=world.officer_province,
        cycle=world.cycle,
        region=world.province,
        assessments=[reread(a)],
        starts_on=timezone.localdate() - dt.timedelta(days=8),
        document_number="卫公示〔2026〕1号",
    )


def objection_new(world, experts) -> Step:
    a = world.assessment_a
    notice = provincial_notice(world, experts, a)
    return lambda: objection_record(
        actor=world.officer_province,
        notice=PublicNotice.objects.get(pk=notice.pk),
        assessment=reread(a),
        content="门诊量数据不实",
        objector="匿名",
        received_on=notice.starts_on,
    )


def _objection(world, experts) -> Objection:
    a = world.assessment_a
    notice = provincial_notice(world, experts, a)
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
    notice = provincial_notice(world, experts, world.assessment_a)
    return lambda: public_notice_close(
        actor=world.officer_province, notice=PublicNotice.objects.get(pk=notice.pk)
    )


NOTICES: tuple[Scenario, ...] = (
    Scenario("decision_record", decide),
    Scenario("decision_record (no level)", decide_no_level),
    Scenario("decisions_record (batch)", decide_batch),
    Scenario("public_notice_open", notice_open),
    Scenario("objection_record", objection_new),
    Scenario("objection_resolve (dismissed)", objection_dismiss),
    Scenario("objection_resolve (upheld)", objection_uphold),
    Scenario("public_notice_close (recognition_grant)", notice_close),
)

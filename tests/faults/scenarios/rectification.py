"""The rectification steps (findings, plans, evidence of effect, verification,
look-backs that require rectification and their conclusion) and carrying a grading
into the next cycle."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accreditation.models import Assessment, Finding, LookBack, Recognition
from accreditation.services.assessments import assessment_open
from accreditation.services.carry import carried_confirm
from accreditation.services.decisions import decision_record
from accreditation.services.findings import (
    RectifyItem,
    findings_from_gap_plan,
    lookback_conclude,
    lookbacks_expired_conclude,
    plan_accept,
    plan_submit,
    rectification_evidence_submit,
)
from accreditation.services.reductions import lookback_record
from tests.faults.scenarios.base import Scenario, Step
from tests.files import PDF
from tests.workflows.helpers import at_decision, next_cycle, recognise_all


def _consolidated(world, experts):
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("C", "C"))


def _first() -> Finding:
    return Finding.objects.order_by("id").first()


def _planned(world, experts) -> None:
    _consolidated(world, experts)
    findings_from_gap_plan(actor=world.officer_province, assessment=world.assessment_a)
    plan_submit(
        actor=world.staff_a,
        finding=_first(),
        root_cause="制度未落实",
        actions="修订制度",
        owner="王主任",
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )


def from_gap_plan(world, experts) -> Step:
    _consolidated(world, experts)
    return lambda: findings_from_gap_plan(
        actor=world.officer_province, assessment=Assessment.objects.get(pk=world.assessment_a.pk)
    )


def plan(world, experts) -> Step:
    _consolidated(world, experts)
    findings_from_gap_plan(actor=world.officer_province, assessment=world.assessment_a)
    return lambda: plan_submit(
        actor=world.staff_a,
        finding=_first(),
        root_cause="原因",
        actions="措施",
        owner="王主任",
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )


def accept(world, experts) -> Step:
    _planned(world, experts)
    return lambda: plan_accept(actor=world.officer_province, finding=_first())


def evidence(world, experts) -> Step:
    _planned(world, experts)
    plan_accept(actor=world.officer_province, finding=_first())
    return lambda: rectification_evidence_submit(
        actor=world.staff_a,
        finding=_first(),
        description="已完成",
        files=[SimpleUploadedFile("效果.pdf", PDF)],
    )


def _recognised(world, experts) -> Recognition:
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    return Recognition.objects.get()


def lookback_rectify(world, experts) -> Step:
    recognition = _recognised(world, experts)
    return lambda: lookback_record(
        actor=world.officer_province,
        recognition=Recognition.objects.get(pk=recognition.pk),
        outcome="rectify",
        reason="回头看",
        rectify_by=timezone.localdate() + dt.timedelta(days=60),
        rectify_items=[RectifyItem("病历不规范", "2.1.1"), RectifyItem("台账不全")],
    )


def lookback_failed(world, experts) -> Step:
    lookback_rectify(world, experts)()
    deadline = LookBack.objects.get().rectify_by
    return lambda: lookbacks_expired_conclude(on=deadline + dt.timedelta(days=1))


def lookback_rectified(world, experts) -> Step:
    lookback_rectify(world, experts)()
    for finding in Finding.objects.all():
        Finding.objects.filter(pk=finding.pk).update(status="closed")
    return lambda: lookback_conclude(actor=world.officer_province, lookback=LookBack.objects.get())


def _decided(world, experts):
    _consolidated(world, experts)
    decision_record(actor=world.officer_province, assessment=world.assessment_a)
    return next_cycle(world)


def carry_open(world, experts) -> Step:
    cycle = _decided(world, experts)
    return lambda: assessment_open(
        actor=world.staff_a,
        cycle=cycle,
        institution=world.institution_a,
        target_level="basic",
        carry_forward=True,
    )


def confirm(world, experts) -> Step:
    cycle = _decided(world, experts)
    opened = assessment_open(
        actor=world.staff_a,
        cycle=cycle,
        institution=world.institution_a,
        target_level="basic",
        carry_forward=True,
    )
    return lambda: carried_confirm(
        actor=world.staff_a, assessment=Assessment.objects.get(pk=opened.pk)
    )


RECTIFICATION: tuple[Scenario, ...] = (
    Scenario("findings_from_gap_plan", from_gap_plan),
    Scenario("plan_submit", plan),
    Scenario("plan_accept", accept),
    Scenario("rectification_evidence_submit", evidence),
    Scenario("lookback_record (rectify)", lookback_rectify),
    Scenario("lookbacks_expired_conclude (revokes)", lookback_failed),
    Scenario("lookback_conclude (rectified)", lookback_rectified),
    Scenario("assessment_open (carry forward)", carry_open),
    Scenario("carried_confirm", confirm),
)

"""The steps after recognition: reductions, look-backs, certificates, consistency
checks, and closing the cycle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accreditation.models import CertificateRecord, Recognition
from accreditation.services.certificates import certificate_issue, certificate_reissue
from accreditation.services.consistency import (
    consistency_check_complete,
    consistency_check_run,
    consistency_rescore_record,
)
from accreditation.services.cycles import cycle_close
from accreditation.services.reductions import ReductionItem, lookback_record, reduction_apply
from tests.faults.scenarios.base import Scenario, Step
from tests.workflows.helpers import CODES, recognise_all


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


def _record(world, experts) -> CertificateRecord:
    recognition = _recognised(world, experts)[world.assessment_a.pk]
    return CertificateRecord.objects.get(recognition=recognition, status="valid")


def issue(world, experts) -> Step:
    record = _record(world, experts)
    return lambda: certificate_issue(
        actor=world.officer_province, certificate=CertificateRecord.objects.get(pk=record.pk)
    )


def reissue(world, experts) -> Step:
    record = _record(world, experts)
    certificate_issue(actor=world.officer_province, certificate=record)
    return lambda: certificate_reissue(
        actor=world.officer_province,
        certificate=CertificateRecord.objects.get(pk=record.pk),
        reason="机构更名",
    )


def close_cycle(world, experts) -> Step:
    return lambda: cycle_close(actor=world.administrator, cycle=world.cycle)


RECOGNITIONS: tuple[Scenario, ...] = (
    Scenario("reduction_apply", reduction),
    Scenario("lookback_record (confirm)", _lookback("confirm")),
    Scenario("lookback_record (downgrade)", _lookback("downgrade", "basic")),
    Scenario("lookback_record (revoke)", _lookback("revoke")),
    Scenario("certificate_issue", issue),
    Scenario("certificate_reissue", reissue),
    Scenario("consistency_check_run", check_run),
    Scenario("consistency_rescore_record", check_rescore),
    Scenario("consistency_check_complete", check_complete),
    Scenario("cycle_close", close_cycle),
)

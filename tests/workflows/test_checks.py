from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accreditation.core.errors import DomainError, InvalidTransition
from accreditation.models import CertificateRecord, LookBack, Recognition, ReductionEntry
from accreditation.services.consistency import (
    consistency_check_complete,
    consistency_check_run,
    consistency_rescore_record,
    sample_ids,
)
from accreditation.services.reductions import ReductionItem, lookback_record, reduction_apply
from tests.workflows.helpers import CODES, recognise_all


@pytest.fixture
def recognised(world, experts):
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
    return {r.assessment_id: r for r in Recognition.objects.select_related("institution__region")}


def test_samples_are_deterministic_for_a_seed():
    ids = list(range(1, 41))
    first = sample_ids(ids, Decimal("0.1"), "2026-990000")
    assert first == sample_ids(list(reversed(ids)), Decimal("0.1"), "2026-990000")
    assert len(first) == 4
    assert (
        sample_ids(ids, Decimal("0.01"), "x") != []
        and len(sample_ids(ids, Decimal("0.01"), "x")) == 1
    )
    assert sample_ids([], Decimal("0.5"), "x") == []
    assert sample_ids(ids, Decimal("1"), "x") == ids


def test_consistency_check_with_reduction(world, experts, recognised):
    rec_a = recognised[world.assessment_a.pk]
    rec_b = recognised[world.assessment_b.pk]
    assert (rec_a.level, rec_b.level) == ("recommended", "recommended")
    with pytest.raises(PermissionDenied):
        consistency_check_run(
            actor=world.officer_city, cycle=world.cycle, region=world.city, sample_share="0.5"
        )
    with pytest.raises(ValidationError):
        consistency_check_run(
            actor=world.officer_province, cycle=world.cycle, region=world.province, sample_share="0"
        )
    check = consistency_check_run(
        actor=world.officer_national, cycle=world.cycle, region=world.province, sample_share="1"
    )
    assert (check.population, check.seed) == (2, "2026-990000-990000")
    samples = {s.recognition_id: s for s in check.samples.all()}
    assert sorted(samples) == sorted([rec_a.pk, rec_b.pk])

    with pytest.raises(ValidationError):
        consistency_rescore_record(
            actor=world.officer_national, check=check, recognition=rec_a, grades={"1.1.1": "B"}
        )
    a_sample = consistency_rescore_record(
        actor=world.officer_national,
        check=check,
        recognition=rec_a,
        grades=dict.fromkeys(CODES, "B"),
    )
    assert (a_sample.rescored_level, a_sample.agreement["rate"]) == ("", 0.0)
    with pytest.raises(DomainError) as excinfo:
        consistency_check_complete(actor=world.officer_national, check=check)
    assert excinfo.value.code == "incomplete"
    consistency_rescore_record(
        actor=world.officer_national,
        check=check,
        recognition=rec_b,
        grades={**dict.fromkeys(CODES, "A"), "2.1.2": "B"},
    )
    check = consistency_check_complete(actor=world.officer_national, check=check)
    report = check.report
    assert (report["samples"], report["level_changes"]) == (2, 1)
    assert report["per_item"]["1.1.1"] == {"compared": 2, "agreed": 1, "rate": 0.5}
    assert report["per_item"]["2.1.2"] == {"compared": 2, "agreed": 0, "rate": 0.0}
    assert report["per_region"] == {
        "990000/990100/": {**report["per_region"]["990000/990100/"], "rate": 0.0},
        "990000/990200/": {**report["per_region"]["990000/990200/"], "rate": round(5 / 6, 4)},
    }
    assert report["overall"]["rate"] == round(5 / 12, 4)

    reduction = reduction_apply(
        actor=world.officer_national,
        region=world.province,
        check=check,
        reason="国家复核一致性差",
        items=[
            ReductionItem(rec_a, "downgrade", "basic"),
            ReductionItem(rec_b, "revoke"),
        ],
    )
    rec_a.refresh_from_db()
    rec_b.refresh_from_db()
    assert (rec_a.status, rec_b.status) == ("downgraded", "revoked")
    entry = ReductionEntry.objects.get(reduction=reduction, recognition=rec_a)
    replacement = entry.replacement
    assert (replacement.level, replacement.status, replacement.supersedes_id) == (
        "basic",
        "active",
        rec_a.pk,
    )
    assert (replacement.valid_until, replacement.notice_id) == (rec_a.valid_until, rec_a.notice_id)
    certificates = {c.recognition_id: c for c in CertificateRecord.objects.order_by("id")}
    new_certificate = certificates[replacement.pk]
    assert (new_certificate.number, new_certificate.version, new_certificate.status) == (
        "JC-99-2026-J-00001",
        2,
        "valid",
    )
    assert new_certificate.supersedes.status == "superseded"
    assert new_certificate.supersedes.recognition_id == rec_a.pk
    assert certificates[rec_b.pk].status == "revoked"
    assert sorted(c.number for c in CertificateRecord.objects.all()) == [
        "JC-99-2026-J-00001",
        "JC-99-2026-T-00001",
        "JC-99-2026-T-00002",
    ]


def test_a_reduction_is_all_or_nothing(world, experts, recognised):
    rec_a = recognised[world.assessment_a.pk]
    rec_b = recognised[world.assessment_b.pk]
    with pytest.raises(DomainError) as excinfo:
        reduction_apply(
            actor=world.officer_province,
            region=world.province,
            reason="核减",
            items=[
                ReductionItem(rec_a, "revoke"),
                ReductionItem(rec_b, "downgrade", "recommended"),
            ],
        )
    assert excinfo.value.code == "not_lower"
    assert set(Recognition.objects.values_list("status", flat=True)) == {"active"}
    assert set(CertificateRecord.objects.values_list("status", flat=True)) == {"valid"}


def test_lookback_revokes_one_institution(world, experts, recognised):
    rec_a = recognised[world.assessment_a.pk]
    with pytest.raises(PermissionDenied):  # issued by the province
        lookback_record(actor=world.officer_city, recognition=rec_a, outcome="revoke", reason="x")
    with pytest.raises(ValidationError):
        lookback_record(
            actor=world.officer_province, recognition=rec_a, outcome="revoke", reason=""
        )
    confirmed = lookback_record(
        actor=world.officer_province, recognition=rec_a, outcome="confirm", reason="回头看合格"
    )
    assert confirmed.replacement is None
    revoked = lookback_record(
        actor=world.officer_province,
        recognition=rec_a,
        outcome="revoke",
        reason="回头看发现弄虚作假",
        findings="病历造假",
    )
    rec_a.refresh_from_db()
    assert (rec_a.status, rec_a.status_reason) == ("revoked", "回头看发现弄虚作假")
    assert list(rec_a.certificates.values_list("status", flat=True)) == ["revoked"]
    assert [lb.outcome for lb in LookBack.objects.order_by("id")] == ["confirm", "revoke"]
    assert revoked.findings == "病历造假"
    with pytest.raises(InvalidTransition):
        lookback_record(
            actor=world.officer_province, recognition=rec_a, outcome="confirm", reason="x"
        )

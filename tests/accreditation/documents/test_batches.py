"""Batch issuance through the django-tasks API (immediate backend in tests):
progress, idempotency per recognition, resuming after a crash."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accreditation.core.errors import DomainError
from accreditation.models import CertificateBatch, CertificateRecord, Recognition
from accreditation.selectors.certificates import (
    certificate_batch_progress,
    certificate_batches_visible_to,
)
from accreditation.services import certificates
from accreditation.services.certificate_batches import (
    certificate_batch_resume,
    certificate_batch_start,
)
from accreditation.services.recognitions import recognition_change


def issued_per_recognition(notice) -> dict[int, int]:
    """Recognition id -> number of valid certificates with a file."""
    counts = {}
    for recognition in Recognition.objects.filter(notice=notice):
        counts[recognition.pk] = (
            CertificateRecord.objects.filter(recognition=recognition, status="valid")
            .exclude(sha256="")
            .count()
        )
    return counts


def test_a_batch_issues_one_certificate_per_recognition(world, notice):
    batch = certificate_batch_start(actor=world.officer_province, notice=notice)

    assert (batch.status, batch.total, batch.done, batch.failed, batch.runs) == (
        "completed",
        2,
        2,
        0,
        1,
    )
    assert batch.task_id
    assert set(issued_per_recognition(notice).values()) == {1}
    assert CertificateRecord.objects.count() == 2


def test_progress_is_visible_to_officers_over_the_region(world, notice):
    batch = certificate_batch_start(actor=world.officer_province, notice=notice)
    progress = certificate_batch_progress(user=world.officer_national, batch_id=batch.pk)
    assert (progress.total, progress.done, progress.failed, progress.percent) == (2, 2, 0, 100)
    assert progress.notice == notice.document_number
    for who in ("officer_city", "staff_a", "expert", "reviewer_a"):
        assert not certificate_batches_visible_to(getattr(world, who)).exists()
        with pytest.raises(CertificateBatch.DoesNotExist):
            certificate_batch_progress(user=getattr(world, who), batch_id=batch.pk)
    assert list(certificate_batches_visible_to(world.administrator)) == [batch]


def test_rerunning_creates_no_duplicates(world, notice):
    first = certificate_batch_start(actor=world.officer_province, notice=notice)
    files = dict(CertificateRecord.objects.values_list("pk", "sha256"))

    second = certificate_batch_start(actor=world.officer_province, notice=notice)
    resumed = certificate_batch_resume(actor=world.officer_province, batch=first)

    assert second.pk != first.pk and (second.done, second.status) == (2, "completed")
    assert resumed.runs == 1  # nothing left to do: not run again
    assert dict(CertificateRecord.objects.values_list("pk", "sha256")) == files
    assert set(issued_per_recognition(notice).values()) == {1}


def test_a_crash_mid_batch_resumes_where_it_stopped(world, notice, monkeypatch):
    real = certificates.render_certificate
    calls = []

    def crash_after_one(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise OSError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(certificates, "render_certificate", crash_after_one)
    batch = certificate_batch_start(actor=world.officer_province, notice=notice)

    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.failed) == ("failed", 1, 0)
    assert batch.errors[-1]["code"] == "crash" and "disk full" in batch.errors[-1]["message"]
    assert sorted(issued_per_recognition(notice).values()) == [0, 1]

    monkeypatch.setattr(certificates, "render_certificate", real)
    resumed = certificate_batch_resume(actor=world.officer_province, batch=batch)

    assert (resumed.status, resumed.done, resumed.failed, resumed.runs) == ("completed", 2, 0, 2)
    assert set(issued_per_recognition(notice).values()) == {1}
    assert CertificateRecord.objects.count() == 2
    assert len(calls) == 2  # the first certificate was not rendered again


def test_a_recognition_revoked_after_the_decision_fails_alone(world, notice):
    with transaction.atomic():
        recognition = Recognition.objects.select_for_update().get(
            assessment=world.assessment_b, status="active"
        )
        ids = [recognition.pk]
        batch = CertificateBatch.objects.create(
            notice=notice,
            region=notice.region,
            recognition_ids=[
                *Recognition.objects.filter(assessment=world.assessment_a).values_list(
                    "pk", flat=True
                ),
                *ids,
            ],
            total=2,
        )
        recognition_change(
            actor=world.officer_province, recognition=recognition, action="revoke", reason="撤销"
        )
    resumed = certificate_batch_resume(actor=world.officer_province, batch=batch)
    assert (resumed.status, resumed.done, resumed.failed) == ("completed", 1, 1)
    assert resumed.errors == [
        {
            "recognition": ids[0],
            "code": "no_valid_certificate",
            "message": resumed.errors[0]["message"],
        }
    ]


def test_only_officers_over_the_notice_region_start_a_batch(world, notice):
    for who in ("officer_city", "staff_a", "administrator"):
        with pytest.raises(PermissionDenied):
            certificate_batch_start(actor=getattr(world, who), notice=notice)
    assert not CertificateBatch.objects.exists()


def test_a_notice_without_active_recognitions_has_nothing_to_issue(world, notice):
    Recognition.objects.filter(notice=notice).update(status="superseded")
    with pytest.raises(DomainError) as info:
        certificate_batch_start(actor=world.officer_province, notice=notice)
    assert info.value.code == "nothing_to_issue"

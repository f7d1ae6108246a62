"""Batch issuance: the certificates of a notice's recognitions, in a background task.

:func:`certificate_batch_start` records the batch and enqueues
``accreditation.tasks.certificate_batch_run`` (django-tasks; the database backend runs
it in ``manage.py db_worker``). The task calls :func:`certificate_batch_process`, which
issues one certificate per recognition, each in its own transaction, and writes the
progress after each. Idempotent per recognition: a certificate that already has its
file is counted and skipped, so a rerun (:func:`certificate_batch_resume`) after a
crash continues where the last run stopped and creates no duplicates.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import audit_record
from accreditation.core.errors import DomainError
from accreditation.models import (
    CertificateBatch,
    CertificateRecord,
    PublicNotice,
    Recognition,
    User,
)
from accreditation.permissions import Action, require
from accreditation.services.certificates import certificate_issue

BStatus = CertificateBatch.Status
OPEN = (BStatus.PENDING, BStatus.RUNNING)


def _enqueue(batch: CertificateBatch) -> CertificateBatch:
    from accreditation.tasks import certificate_batch_run

    result = certificate_batch_run.enqueue(batch_id=batch.pk)
    CertificateBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])
    batch.refresh_from_db()
    return batch


def certificate_batch_start(*, actor: User, notice: PublicNotice) -> CertificateBatch:
    """Issue the certificates of every active recognition of ``notice`` in the
    background. Returns the new batch, or the batch already waiting or running for
    this notice (never two at once). Enqueue happens after the batch is committed.

    Raises ``PermissionDenied`` unless ``actor`` is an officer covering the notice's
    region; ``DomainError`` (``nothing_to_issue``) when the notice has no active
    recognition."""
    require(actor, Action.NOTICE_MANAGE, notice.region)
    with transaction.atomic():
        PublicNotice.objects.select_for_update().filter(pk=notice.pk).first()
        current = CertificateBatch.objects.filter(notice=notice, status__in=OPEN).first()
        if current is not None:
            return current
        ids = list(
            Recognition.objects.filter(notice=notice, status=Recognition.Status.ACTIVE)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if not ids:
            raise DomainError(
                _("The notice has no active recognition to issue."), code="nothing_to_issue"
            )
        batch = CertificateBatch.objects.create(
            notice=notice,
            region=notice.region,
            recognition_ids=ids,
            total=len(ids),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="certificate_batch.start",
            target=batch,
            after={"notice": notice.document_number, "total": len(ids)},
        )
    return _enqueue(batch)


def certificate_batch_resume(*, actor: User, batch: CertificateBatch) -> CertificateBatch:
    """Run a batch again: after a crash (``failed``), a worker lost mid-run (stuck in
    ``running``), or to retry the certificates that failed. Certificates already
    issued are skipped. A completed batch without failures is returned as it is.

    Raises ``PermissionDenied`` unless ``actor`` is an officer covering the region."""
    require(actor, Action.NOTICE_MANAGE, batch.region)
    with transaction.atomic():
        locked = CertificateBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == BStatus.COMPLETED and locked.failed == 0:
            return locked
        locked.status = BStatus.PENDING
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="certificate_batch.resume",
            target=locked,
            after={"done": locked.done, "failed": locked.failed},
        )
    return _enqueue(locked)


#: Problems that fail one certificate, not the batch.
ITEM_ERRORS = (DomainError, ValidationError, ValueError)


def certificate_batch_process(*, batch_id: int) -> CertificateBatch:
    """The work of the background task: for each recognition in order, issue its valid
    certificate unless it already has its file. ``done`` counts certificates with
    their file, ``failed`` those refused (revoked since, expired ...; listed in
    ``errors``); both are written after every certificate. An unexpected error (the
    storage, the database) stops the run: the batch is marked ``failed`` with the
    progress so far and the error is raised again for the task runner to record."""
    with transaction.atomic():
        batch = CertificateBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == BStatus.COMPLETED and batch.failed == 0:
            return batch
        batch.status = BStatus.RUNNING
        batch.started_at = timezone.now()
        batch.finished_at = None
        batch.done = batch.failed = 0
        batch.errors = []
        batch.runs = F("runs") + 1
        batch.save()
    records = {
        record.recognition_id: record
        for record in CertificateRecord.objects.filter(
            recognition_id__in=batch.recognition_ids, status=CertificateRecord.Status.VALID
        )
    }
    done = failed = 0
    errors: list[dict] = []
    progress = CertificateBatch.objects.filter(pk=batch_id)
    for recognition_id in batch.recognition_ids:
        record = records.get(recognition_id)
        try:
            if record is None:
                raise DomainError(
                    _("The recognition has no valid certificate (revoked or downgraded)."),
                    code="no_valid_certificate",
                )
            if not record.sha256:
                certificate_issue(actor=None, certificate=record)
            done += 1
        except ITEM_ERRORS as exc:
            failed += 1
            code = getattr(exc, "code", None) or "invalid"
            errors.append({"recognition": recognition_id, "code": code, "message": str(exc)})
        except Exception as exc:
            errors.append({"recognition": recognition_id, "code": "crash", "message": repr(exc)})
            progress.update(
                done=done,
                failed=failed,
                errors=errors,
                status=BStatus.FAILED,
                finished_at=timezone.now(),
            )
            raise
        progress.update(done=done, failed=failed, errors=errors)
    progress.update(status=BStatus.COMPLETED, finished_at=timezone.now())
    return CertificateBatch.objects.get(pk=batch_id)

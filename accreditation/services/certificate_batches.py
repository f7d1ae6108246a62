"""Batch issuance: the certificates of a notice's recognitions, in a background task.

:func:`certificate_batch_start` records the batch and, once that is committed,
enqueues ``accreditation.tasks.certificate_batch_run`` (django-tasks; the database
backend runs it in ``manage.py db_worker``). The task calls
``services.certificate_batch_runs.certificate_batch_process``, which issues one
certificate per recognition, each in its own transaction, and writes the progress
after each. Idempotent per recognition: a certificate that already has its file is
counted and skipped, so a rerun (:func:`certificate_batch_resume`) after a crash
continues where the last run stopped and creates no duplicates.

Imports go one way: this module -> ``accreditation.tasks`` ->
``certificate_batch_runs``.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import DomainError
from accreditation.models import (
    CertificateBatch,
    PublicNotice,
    Recognition,
    User,
)
from accreditation.permissions import Action, require
from accreditation.tasks import certificate_batch_run

BStatus = CertificateBatch.Status
OPEN = (BStatus.PENDING, BStatus.RUNNING)


def _enqueue_on_commit(batch_id: int) -> None:
    """Enqueue the batch's task once the transaction that records it commits (a worker
    must find the batch; a rolled-back batch is never run), and note the task's id."""

    def enqueue() -> None:
        result = certificate_batch_run.enqueue(batch_id=batch_id)
        CertificateBatch.objects.filter(pk=batch_id).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)


def certificate_batch_start(*, actor: User, notice: PublicNotice) -> CertificateBatch:
    """Issue the certificates of every active recognition of ``notice`` in the
    background. Returns the new batch (as it stands once enqueued), or the batch
    already waiting or running for this notice (never two at once). The task is
    enqueued when the caller's transaction commits.

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
            action=AuditAction.CERTIFICATE_BATCH_START,
            target=batch,
            after={"notice": notice.document_number, "total": len(ids)},
        )
        _enqueue_on_commit(batch.pk)
    batch.refresh_from_db()
    return batch


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
            action=AuditAction.CERTIFICATE_BATCH_RESUME,
            target=locked,
            after={"done": locked.done, "failed": locked.failed},
        )
        _enqueue_on_commit(locked.pk)
    locked.refresh_from_db()
    return locked

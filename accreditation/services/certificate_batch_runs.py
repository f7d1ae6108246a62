"""The work of one run of a certificate batch, the body of the background task
``accreditation.tasks.certificate_batch_run`` (``services.certificate_batches``
records and enqueues batches)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.errors import DomainError
from accreditation.models import CertificateBatch, CertificateRecord
from accreditation.services.certificates import certificate_issue

BStatus = CertificateBatch.Status


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

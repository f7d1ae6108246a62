"""Background tasks (django-tasks). Each is a thin wrapper over a service, so the
work is the same whichever backend runs it: the database backend in production
(``manage.py db_worker``), the immediate backend in tests."""

from __future__ import annotations

from django_tasks import task

from accreditation.services.certificate_batch_runs import certificate_batch_process


@task()
def certificate_batch_run(batch_id: int) -> dict[str, object]:
    """Issue the certificates of one batch (see ``certificate_batch_process``)."""
    batch = certificate_batch_process(batch_id=batch_id)
    return {"status": batch.status, "done": batch.done, "failed": batch.failed}

"""A worker process killed (SIGKILL, no clean-up of any kind) in the middle of a
certificate batch: the batch stays ``running`` with the progress it had committed, the
certificate being issued when it died leaves nothing behind, and resuming finishes the
batch without issuing any certificate twice.

The worker is a real second process on the same database, so this needs a server
database (PostgreSQL); the in-process crash variants are in
tests/accreditation/documents/test_batches.py and run everywhere."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from accreditation.models import CertificateBatch, CertificateRecord, Recognition
from accreditation.services.certificate_batches import certificate_batch_resume
from tests.accreditation.documents.conftest import notice  # noqa: F401 - shared fixture
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a second process needs a server database"
    ),
    pytest.mark.django_db(transaction=True),
]

#: The worker: issue the batch, and die at once on the second certificate.
WORKER = """
import os, signal, sys
import django
django.setup()
from accreditation.services import certificates
from accreditation.services.certificate_batch_runs import certificate_batch_process
real, calls = certificates.render_certificate, []
def render_then_die(*args, **kwargs):
    calls.append(1)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
certificates.render_certificate = render_then_die
certificate_batch_process(batch_id=int(sys.argv[1]))
"""


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def stored_certificates() -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "certificates"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_worker_killed_mid_batch_resumes_without_duplicates(world, notice):  # noqa: F811
    recognitions = list(
        Recognition.objects.filter(notice=notice).order_by("pk").values_list("pk", flat=True)
    )
    batch = CertificateBatch.objects.create(
        notice=notice, region=notice.region, recognition_ids=recognitions, total=2
    )
    before = stored_certificates()

    worker = subprocess.run(
        [sys.executable, "-c", WORKER, str(batch.pk)],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),  # this test's own folder
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert worker.returncode == -signal.SIGKILL, worker.stderr
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.runs) == ("running", 1, 1)
    issued = CertificateRecord.objects.exclude(sha256="")
    assert issued.count() == 1
    first = issued.get()
    # The second certificate died inside its transaction: no hash, no file.
    assert len(stored_certificates()) == len(before) + 1
    assert default_storage.exists(first.file.name)

    resumed = certificate_batch_resume(actor=world.officer_province, batch=batch)

    assert (resumed.status, resumed.done, resumed.failed, resumed.runs) == ("completed", 2, 0, 2)
    assert CertificateRecord.objects.count() == 2
    assert CertificateRecord.objects.exclude(sha256="").count() == 2
    assert CertificateRecord.objects.get(pk=first.pk).sha256 == first.sha256  # not redone
    assert len(stored_certificates()) == len(before) + 2

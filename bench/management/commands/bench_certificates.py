"""manage.py bench_certificates: certificates per second in one process, and a batch of
1,000 with storage and database writes. Not a test.

By default everything happens in one transaction that is rolled back and the files go
to a temporary folder, so the command is safe on any database (each certificate's
transaction is then a savepoint). With ``--keep`` (only on a throwaway database, e.g.
``make bench-certificates``) every certificate commits for real and the rows stay.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from contextlib import ExitStack

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from accreditation.models import (
    CertificateBatch,
    CertificateRecord,
    Recognition,
)
from accreditation.pdf import CertificateData, certificate_code, render_certificate
from accreditation.pdf.samples import sample_fields
from accreditation.selectors.certificates import certificate_secret
from accreditation.services.certificate_batches import certificate_batch_process
from accreditation.services.certificates import verification_url
from accreditation.services.pdf import configured_font
from bench.data import build_recognitions


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Print certificates per second (code + QR + PDF) in one process, and the time to "
        "issue a batch of N certificates including storage and database writes. Rolled "
        "back unless --keep (use --keep only on a throwaway database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--renders", type=int, default=200, help="timed pure renders")
        parser.add_argument("--batch", type=int, default=1000, help="certificates in the batch")
        parser.add_argument("--keep", action="store_true", help="commit (throwaway DB only)")

    def handle(self, *args, renders: int, batch: int, keep: bool, **options) -> None:
        started = time.perf_counter()
        font = configured_font()
        self.stdout.write(
            f"font: {font.name} ({font.source}, embedded={font.embedded}), "
            f"loaded in {time.perf_counter() - started:.2f} s"
        )
        self._renders(renders, font)
        with ExitStack() as stack:
            media = stack.enter_context(tempfile.TemporaryDirectory())
            stack.enter_context(override_settings(MEDIA_ROOT=media))
            if keep:
                self._batch(batch)
                return
            try:
                with transaction.atomic():
                    self._batch(batch)
                    raise _Rollback
            except _Rollback:
                self.stdout.write("(rolled back: nothing kept)")

    def _renders(self, count: int, font) -> None:
        secret = certificate_secret()
        times = []
        for n in range(count):
            start = time.perf_counter()
            fields = sample_fields(number=f"JC-98-2026-J-{n:05d}")
            code = certificate_code(fields, secret)
            render_certificate(CertificateData(fields, code, verification_url(code)), font=font)
            times.append(time.perf_counter() - start)
        mean = statistics.fmean(times[1:] or times)
        self.stdout.write(
            f"render (code + QR + PDF), {count} distinct certificates: mean "
            f"{mean * 1000:.1f} ms, {1 / mean:.0f} certificates per second (one process)"
        )

    def _batch(self, count: int) -> None:
        start = time.perf_counter()
        with transaction.atomic():
            notice = build_recognitions(count)
            batch = CertificateBatch.objects.create(
                notice=notice,
                region=notice.region,
                recognition_ids=list(
                    Recognition.objects.filter(notice=notice)
                    .order_by("id")
                    .values_list("id", flat=True)
                ),
                total=count,
            )
        self.stdout.write(f"set-up of {count} recognitions: {time.perf_counter() - start:.2f} s")
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            result = certificate_batch_process(batch_id=batch.pk)
        elapsed = time.perf_counter() - start
        size = (
            CertificateRecord.objects.filter(recognition__notice=notice).exclude(sha256="").count()
        )
        self.stdout.write(
            f"batch of {count} (render + file storage + record, audit and progress writes, "
            f"one transaction each): {elapsed:.2f} s, {count / elapsed:.0f} certificates per "
            f"second; {result.done} issued, {result.failed} failed, {size} stored; "
            f"{len(queries) / count:.1f} queries per certificate"
        )

"""manage.py bench_import: time importing a synthetic edition. Not a test; writes
nothing (every run is rolled back)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from standards.exporters import dump_yaml
from standards.importers import EditionData, read_file
from standards.samples import sample_edition_document
from standards.services import edition_import


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Build an N-item edition file in a temporary folder and import it --runs times "
        "under fresh codes; print mean parse time, import time and queries per import. "
        "All writes are rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=10)
        parser.add_argument("--items", type=int, default=100)

    def handle(self, *args, runs: int, items: int, **options) -> None:
        parse_times, import_times, query_counts = [], [], []
        with tempfile.TemporaryDirectory() as tmp:
            try:
                with transaction.atomic():
                    for run in range(runs):
                        code = f"BENCH-{run + 1}"
                        path = Path(tmp) / f"{code}.yaml"
                        document = sample_edition_document(code=code, items=items)
                        path.write_text(dump_yaml(document), encoding="utf-8")
                        started = time.perf_counter()
                        data = read_file(path)
                        parsed = time.perf_counter()
                        assert isinstance(data, EditionData)
                        with CaptureQueriesContext(connection) as queries:
                            edition_import(actor=None, data=data)
                        done = time.perf_counter()
                        parse_times.append(parsed - started)
                        import_times.append(done - parsed)
                        # The savepoints only exist because the benchmark rolls back.
                        query_counts.append(
                            sum(1 for q in queries if "SAVEPOINT" not in q["sql"].upper())
                        )
                    raise _Rollback
            except _Rollback:
                pass

        def mean(values: list[float]) -> float:
            return sum(values) / len(values)

        self.stdout.write(
            f"{runs} imports of a {items}-item edition ({connection.vendor}): "
            f"parse {mean(parse_times) * 1000:.1f} ms, "
            f"import {mean(import_times) * 1000:.1f} ms, "
            f"{mean(query_counts):.1f} queries per import"
        )

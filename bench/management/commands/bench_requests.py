"""manage.py bench_requests: request-level timings and query counts of the item save and
the 100-item checklist against a trivial authenticated request, in one run. Not a test.

The saves commit for real, so the command writes: the catalogue (if missing) and a
small world of its own (province 970000, one institution, its staff member, an open
THC-2022 assessment), found again by natural keys on later runs. ``make bench-requests``
runs it on a throwaway SQLite database, or on DATABASE_URL when that is set.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accreditation.models import ItemGrade, Region
from bench.data import CHECKLIST_PROVINCE, build_checklist
from bench.request_timing import (
    BenchError,
    figures,
    format_table,
    request_probes,
    run_rounds,
    signed_in_client,
)


class Command(BaseCommand):
    help = (
        "Time a trivial authenticated request (GET /api/v1/ping/), the item save (the "
        "API PATCH the checklist's autosave sends) and the 100-item checklist (web page "
        "and API list) through the test client with the full middleware stack and a "
        "signed-in session, interleaved round-robin; print median, p95, the ratio to "
        "the ping and queries per request beside the targets. Writes its own small "
        "world (province 970000): run it on a throwaway database (make bench-requests) "
        "or pass --shared-database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=300, help="timed rounds")
        parser.add_argument(
            "--warmup", type=int, default=5, help="untimed rounds that count the queries"
        )
        parser.add_argument(
            "--shared-database",
            action="store_true",
            help="add the bench world beside other data (refused otherwise)",
        )

    def handle(self, *args, rounds: int, warmup: int, shared_database: bool, **options):
        if rounds < 2 or warmup < 1:
            raise CommandError("At least 2 rounds and 1 warm-up round.")
        others = Region.objects.exclude(code__startswith=CHECKLIST_PROVINCE[:2])
        if others.exists() and not shared_database:
            raise CommandError(
                "This database holds other regions. Run on a throwaway database "
                "(make bench-requests) or pass --shared-database to add province "
                f"{CHECKLIST_PROVINCE} beside them."
            )
        load = os.getloadavg()[0]
        assessment, staff, created = build_checklist()
        items = ItemGrade.objects.filter(assessment=assessment).count()
        client = signed_in_client(staff)
        probes = request_probes(client, assessment)
        try:
            run_rounds(client, probes, rounds=rounds, warmup=warmup)
        except BenchError as exc:
            raise CommandError(str(exc)) from exc
        name = settings.DATABASES["default"]["NAME"]
        self.stdout.write(
            f"database: {connection.vendor} ({name}); {items}-item {assessment.edition.code} "
            f"checklist, {'created' if created else 'found again'}; {rounds} rounds after "
            f"{warmup} warm-up, round-robin, one process"
        )
        self.stdout.write(
            f"machine: {os.cpu_count()} cores, load average {load:.2f} before and "
            f"{os.getloadavg()[0]:.2f} after (above zero: other work shared the machine)"
        )
        self.stdout.write(format_table(figures(probes)))
        self.stdout.write(
            "queries: per request, counted in the warm-up rounds; every signed-in request pays "
            "the ping's (the session, read with its user); a save's include BEGIN and COMMIT"
        )

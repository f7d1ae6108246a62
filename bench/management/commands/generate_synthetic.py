"""Generate a synthetic national data set in bulk (for benchmarks and load tests)."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bench.synthetic import AlreadyGenerated, nation_plan, synthetic_generate
from bench.synthetic.plan import MAX_PROVINCES
from standards.models import Edition, InstitutionKind, PublicationStatus


class Command(BaseCommand):
    help = (
        "Build a synthetic nation: provinces -> cities -> counties with fictional division "
        "codes (9PP000), institutions (77% township, 23% community centres), their facts, "
        "users of every role, an open cycle per province under the published editions, "
        "and one assessment per institution at every stage with a grade per item. Bulk "
        "inserts (COPY on PostgreSQL), one transaction. Reproducible per --seed; refuses "
        "to run when the synthetic provinces exist already."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=31)
        parser.add_argument("--institutions", type=int, default=45_000, help="in total")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--year", type=int, default=None, help="cycle year (default: now)")
        parser.add_argument("--thc-edition", default="THC-2022", help="edition for townships")
        parser.add_argument("--chc-edition", default="CHC-2022", help="edition for communities")
        parser.add_argument(
            "--password",
            default=None,
            help="one password for every synthetic user (default: none can sign in)",
        )

    def handle(self, *args, **options):
        provinces, institutions = options["provinces"], options["institutions"]
        if not 1 <= provinces <= MAX_PROVINCES:
            raise CommandError(f"--provinces must be between 1 and {MAX_PROVINCES}.")
        if institutions < provinces:
            raise CommandError("--institutions must be at least one per province.")
        editions = self._editions(options)
        started = time.perf_counter()
        plan = nation_plan(provinces=provinces, institutions=institutions, seed=options["seed"])
        self.stdout.write(
            f"plan: {len(plan.regions):,} regions, {len(plan.institutions):,} institutions "
            f"(seed {options['seed']}) in {time.perf_counter() - started:.1f} s"
        )
        try:
            report = synthetic_generate(
                plan=plan,
                editions=editions,
                year=options["year"] or timezone.localdate().year,
                password=options["password"],
                progress=self.stdout.write,
            )
        except AlreadyGenerated as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {report.counts['institutions']:,} institutions, "
                f"{report.counts['assessments']:,} assessments and "
                f"{report.counts['item grades']:,} item grades in "
                f"{time.perf_counter() - started:.1f} s."
            )
        )

    def _editions(self, options) -> dict[str, Edition]:
        wanted = {
            InstitutionKind.THC: options["thc_edition"],
            InstitutionKind.CHC: options["chc_edition"],
        }
        found = self._find(wanted)
        if len(found) < len(wanted):
            self.stdout.write("Editions missing; loading the catalogue first (load_catalogue).")
            call_command("load_catalogue", stdout=self.stdout, stderr=self.stderr)
            found = self._find(wanted)
        missing = sorted(f"{code} ({kind})" for kind, code in wanted.items() if kind not in found)
        if missing:
            raise CommandError(
                f"Published editions missing: {', '.join(missing)}. Import them first "
                "(manage.py load_catalogue or import_standard)."
            )
        return found

    @staticmethod
    def _find(wanted: dict[str, str]) -> dict[str, Edition]:
        editions = Edition.objects.filter(
            code__in=wanted.values(), status=PublicationStatus.PUBLISHED
        )
        by_code = {e.code: e for e in editions}
        return {
            kind: by_code[code]
            for kind, code in wanted.items()
            if code in by_code and by_code[code].kind == kind
        }

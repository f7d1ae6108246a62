"""Benchmark: rescore every assessment of a province and of the nation through the pure
engine, against a plain SQL aggregate over the same rows in the same run (prints
figures; not a test)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count

from accreditation.models import Assessment, Cycle, Region
from bench.rescoring.inputs import grade_counts_by_assessment, scoring_inputs_stream
from bench.rescoring.parallel import default_workers, scored
from standards.scoring import evaluate


@dataclass
class Timing:
    assessments: int
    rows: int
    seconds: float
    levels: Counter | None = None
    #: Of ``seconds``, the time inside ``evaluate`` (the rest: reading and unpacking).
    evaluating: float = 0.0


def run_engine(**scope) -> Timing:
    """Score every assessment ``scoring_inputs_stream(**scope)`` gives; the time in
    ``evaluate()`` apart."""
    clock = time.perf_counter
    start = clock()
    levels: Counter = Counter()
    count = 0
    evaluating = 0.0
    for inputs in scoring_inputs_stream(**scope):
        before = clock()
        result = evaluate(inputs.edition, inputs.rules, inputs.facts, inputs.grades)
        evaluating += clock() - before
        levels[result.level] += 1
        count += 1
    return Timing(count, 0, clock() - start, levels, evaluating)


def run_parallel(workers: int, **scope) -> Timing:
    """Score every assessment in ``workers`` forked processes (``bench.rescoring.parallel``)."""
    start = time.perf_counter()
    levels = Counter(level for _, level in scored(workers=workers, **scope))
    return Timing(sum(levels.values()), 0, time.perf_counter() - start, levels)


def run_raw(**scope) -> Timing:
    start = time.perf_counter()
    rows = grade_counts_by_assessment(**scope)
    seconds = time.perf_counter() - start
    return Timing(len(rows), sum(sum(r[1:]) for r in rows), seconds)


class Command(BaseCommand):
    help = (
        "Score every assessment of a province and of the whole nation (one year's cycles) "
        "through the scoring engine, streaming inputs with scoring_inputs_stream, and time "
        "a raw SQL aggregate (grade counts per assessment) over the same rows in the same "
        "run. Prints rows, seconds, assessments/s and the ratio engine/raw; best of "
        "--repeat runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="cycle year (default: the latest)")
        parser.add_argument("--cycle", type=int, help="province scope: this cycle")
        parser.add_argument("--province", help="province scope: this division code")
        parser.add_argument(
            "--scope", choices=["province", "nation", "both"], default="both", help="what to run"
        )
        parser.add_argument("--repeat", type=int, default=3, help="runs per measure (best kept)")
        parser.add_argument(
            "--workers",
            type=int,
            default=default_workers(),
            help="PostgreSQL: processes scoring in parallel after one read (default: one "
            "per core; 1 skips the parallel run)",
        )

    def handle(self, *args, **options):
        year = (
            options["year"]
            or Cycle.objects.order_by("-year").values_list("year", flat=True).first()
        )
        if year is None:
            raise CommandError("No cycles. Generate data first (manage.py generate_synthetic).")
        self.stdout.write(
            f"database: {connection.vendor}; year {year}; best of {options['repeat']} runs"
        )
        if options["scope"] in ("province", "both"):
            label, scope = self._province_scope(options, year)
            self._measure(label, scope, options["repeat"], options["workers"])
        if options["scope"] in ("nation", "both"):
            self._measure(f"nation {year}", {"year": year}, options["repeat"], options["workers"])

    def _province_scope(self, options, year: int) -> tuple[str, dict]:
        if options["cycle"]:
            cycle = Cycle.objects.select_related("province").filter(pk=options["cycle"]).first()
            if cycle is None:
                raise CommandError(f"No cycle {options['cycle']}.")
            return f"cycle {cycle.pk} ({cycle.province.code})", {"cycle": cycle.pk}
        if options["province"]:
            region = Region.objects.filter(code=options["province"], level="province").first()
            if region is None:
                raise CommandError(f"No province {options['province']}.")
        else:
            busiest = (
                Assessment.objects.filter(cycle__year=year)
                .values("cycle__province")
                .annotate(n=Count("id"))
                .order_by("-n")
                .first()
            )
            if busiest is None:
                raise CommandError(f"No assessments in {year}.")
            region = Region.objects.get(pk=busiest["cycle__province"])
        return f"province {region.code}", {"year": year, "region": region}

    def _measure(self, label: str, scope: dict, repeat: int, workers: int) -> None:
        def best(run) -> Timing:
            return min((run() for _ in range(repeat)), key=lambda t: t.seconds)

        raw = best(lambda: run_raw(**scope))
        engines = {"engine, sequential": best(lambda: run_engine(**scope))}
        if connection.vendor == "postgresql" and workers > 1:
            engines[f"engine, {workers} processes"] = best(lambda: run_parallel(workers, **scope))
        self.stdout.write(f"{label}: {raw.assessments:,} assessments, {raw.rows:,} item grades")
        self.stdout.write(f"  raw SQL aggregate  {self._figures(raw)}")
        for name, engine in engines.items():
            if engine.assessments != raw.assessments:
                raise CommandError(
                    f"{label}: the {name} scored {engine.assessments} assessments, "
                    f"the SQL aggregate counted {raw.assessments}."
                )
            if engine.levels != next(iter(engines.values())).levels:
                raise CommandError(f"{label}: the {name} reached other levels.")
            ratio = engine.seconds / raw.seconds if raw.seconds else 0.0
            self.stdout.write(
                f"  {name}\n"
                f"                     {self._figures(engine)}\n"
                + (
                    f"    of which evaluate() {engine.evaluating:6.2f} s, reading and "
                    f"unpacking {engine.seconds - engine.evaluating:.2f} s\n"
                    if engine.evaluating
                    else ""
                )
                + f"    ratio engine/raw {ratio:.2f} (target <= 3)"
            )
        levels = ", ".join(
            f"{level or 'none'} {n:,}"
            for level, n in sorted(engine.levels.items(), key=lambda kv: str(kv[0]))
        )
        self.stdout.write(f"  levels reached: {levels}")

    @staticmethod
    def _figures(timing: Timing) -> str:
        rate = timing.assessments / timing.seconds if timing.seconds else 0.0
        return f"{timing.seconds:8.2f} s {rate:10,.0f} assessments/s"

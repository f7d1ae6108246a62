"""Benchmark of the pure scoring engine (prints figures; not a test).

python manage.py bench_scoring [--edition THC-2022] [--count 10000]
"""

import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from standards.models import Edition
from standards.scoring import Facts, evaluate, gap_plan
from standards.selectors import edition_spec, rule_specs_in_force

GRADE_WEIGHTS = {"none": 1, "C": 3, "B": 3, "A": 2, "NA": 1}


class Command(BaseCommand):
    help = "Time evaluations and gap plans over random gradings of an edition."

    def add_arguments(self, parser):
        parser.add_argument("--edition", default="THC-2022")
        parser.add_argument("--count", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        try:
            edition = Edition.objects.get(code=options["edition"])
        except Edition.DoesNotExist:
            raise CommandError(
                f"edition {options['edition']!r} is not loaded (run manage.py load_catalogue)"
            ) from None
        spec = edition_spec(edition=edition)
        rules = rule_specs_in_force(edition=edition)
        rng = random.Random(options["seed"])
        codes = [item.code for item in spec.items]
        population, weights = zip(*GRADE_WEIGHTS.items(), strict=True)
        cases = []
        for _ in range(options["count"]):
            grades = dict(zip(codes, rng.choices(population, weights, k=len(codes)), strict=True))
            facts = Facts(
                medical_staff=rng.randint(3, 80),
                service_population=rng.randint(3_000, 80_000),
                beds=rng.choice([0, 0, 10, 30, 60]),
                inpatient_ward=rng.random() < 0.6,
            )
            cases.append((facts, grades))

        eval_ns, plan_ns, levels = [], [], {}
        clock = time.perf_counter_ns
        for facts, grades in cases:
            start = clock()
            result = evaluate(spec, rules, facts, grades)
            middle = clock()
            gap_plan(spec, rules, facts, grades, current_level=result.level)
            end = clock()
            eval_ns.append(middle - start)
            plan_ns.append(end - middle)
            levels[result.level] = levels.get(result.level, 0) + 1

        def line(label, samples):
            ordered = sorted(samples)
            p95 = ordered[int(len(ordered) * 0.95)]
            return (
                f"{label:<12} mean {statistics.fmean(samples) / 1000:8.1f} us   "
                f"median {statistics.median(samples) / 1000:8.1f} us   p95 {p95 / 1000:8.1f} us"
            )

        self.stdout.write(
            f"edition {spec.code}: {len(codes)} items, {len(rules)} rule sets, "
            f"{len(cases)} random gradings"
        )
        self.stdout.write(line("evaluation", eval_ns) + "   (target <= 50 us)")
        self.stdout.write(line("gap plan", plan_ns) + "   (target <= 1000 us)")
        self.stdout.write(f"levels reached: {dict(sorted(levels.items(), key=str))}")

"""Benchmark: API throughput and latency under concurrent load, gunicorn and PostgreSQL on
loopback, locust in timed phases, every figure against the bare /healthz/ endpoint of
the same run (prints figures; not a test)."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.loadtest.endpoints import BASELINE, PHASES, WARM_UP
from bench.loadtest.prepare import bench_plan, data_set_build, database_refusal
from bench.loadtest.report import format_report
from bench.loadtest.runner import (
    free_port,
    gunicorn_server,
    locust_run,
    server_environment,
)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def _terminated(signum, frame):
    raise SystemExit(f"terminated by signal {signum}")


class Command(BaseCommand):
    help = (
        "Load benchmark against gunicorn (gunicorn.conf.py without worker recycling, "
        "debug off, plain http on 127.0.0.1) and the PostgreSQL database of "
        "DATABASE_URL: migrates, loads the "
        "catalogue, seeds the demo world and a synthetic province, issues API tokens, "
        "then runs locust headless for --run-time seconds per phase: /healthz/ (the "
        "baseline), /api/v1/ping/ with a token, and a mix of staff editing their own "
        "assessments with reviewers and officers reading lists. Prints requests/s, "
        "median and p95 per endpoint and as multiples of the baseline, and gunicorn's "
        "CPU time per request. Writes to the database: use a throwaway one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=20, help="concurrent simulated users")
        parser.add_argument(
            "--spawn-rate", type=int, help="users started per second (default: all at once)"
        )
        parser.add_argument("--run-time", type=int, default=20, help="seconds per phase")
        parser.add_argument(
            "--warm-up", type=int, default=5, help="seconds of unmeasured load first (0: none)"
        )
        parser.add_argument(
            "--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py's)"
        )
        parser.add_argument(
            "--max-requests",
            type=int,
            default=0,
            help="recycle a gunicorn worker after this many requests (default 0: never; "
            "at /healthz/'s rate gunicorn.conf.py's value would restart a worker every few "
            "seconds and charge Django's start-up to the baseline)",
        )
        parser.add_argument(
            "--institutions",
            type=int,
            default=2000,
            help="size of the synthetic province generated once (0: the demo world only)",
        )
        parser.add_argument(
            "--phases",
            default=",".join(phase.name for phase in PHASES),
            help=f"comma separated, of {', '.join(p.name for p in PHASES)} "
            f"({BASELINE.name} always runs first)",
        )
        parser.add_argument(
            "--output", type=Path, help="keep locust's CSV files and the logs in this folder"
        )

    def handle(self, *args, **options):
        phases = self._phases(options["phases"])
        users = options["users"]
        if users < 1 or options["run_time"] < 1:
            raise CommandError("--users and --run-time must be at least 1.")
        refusal = database_refusal()
        if refusal:
            raise CommandError(refusal)
        previous = signal.signal(signal.SIGTERM, _terminated)
        output = options["output"] or Path(tempfile.mkdtemp(prefix="bench-load-"))
        output.mkdir(parents=True, exist_ok=True)
        try:
            self._run(phases, users, output, options)
        except KeyboardInterrupt:
            raise CommandError("Interrupted; gunicorn and locust stopped.") from None
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        finally:
            signal.signal(signal.SIGTERM, previous)
            if options["output"] is None:
                shutil.rmtree(output, ignore_errors=True)

    def _phases(self, names: str):
        by_name = {phase.name: phase for phase in PHASES}
        wanted = {name.strip() for name in names.split(",") if name.strip()}
        unknown = wanted - set(by_name)
        if unknown:
            raise CommandError(f"Unknown phases: {', '.join(sorted(unknown))}.")
        return [phase for phase in PHASES if phase is BASELINE or phase.name in wanted]

    def _step(self, started: float, message: str) -> None:
        self.stdout.write(f"[{time.perf_counter() - started:5.1f} s] {message}")

    def _run(self, phases, users: int, output: Path, options) -> None:
        started = time.perf_counter()
        settings_dict = connection.settings_dict
        self._step(
            started,
            f"database {settings_dict['NAME']} on {settings_dict['HOST'] or 'local socket'}:"
            f"{settings_dict['PORT'] or 5432}; load average {_load()}",
        )
        for line in data_set_build(institutions=options["institutions"]):
            self._step(started, line)
        plan = bench_plan(users=users)
        if not (plan.staff and plan.reviewer and plan.officer):
            raise CommandError(
                "Nothing to simulate: the mix needs an editable assessment with its staff "
                "member, a county reviewer and a city or province officer."
            )
        plan_file = output / "plan.json"
        plan.write(plan_file)
        self._step(
            started,
            f"tokens for {len(plan.staff)} staff (own assessments), {len(plan.reviewer)} "
            f"reviewers, {len(plan.officer)} officers",
        )
        if len(plan.staff) < users:
            self.stdout.write(
                self.style.WARNING(
                    f"Only {len(plan.staff)} editable assessments: staff users share them, "
                    "and the edit conflicts (409) are counted apart."
                )
            )
        env = server_environment(
            os.environ,
            port=free_port(),
            workers=options["workers"],
            max_requests=options["max_requests"],
        )
        results = []
        with gunicorn_server(env, output / "gunicorn.log") as server:
            booted = server.log.read_text(errors="replace").count("Booting worker")
            threads = env.get("GUNICORN_THREADS", "gunicorn.conf.py's")
            self._step(started, f"gunicorn at {server.url}: {booted} workers, threads {threads}")
            runs = [(phase, options["run_time"]) for phase in phases]
            if options["warm_up"] > 0:
                runs.insert(0, (WARM_UP, options["warm_up"]))
            for phase, seconds in runs:
                self._step(started, f"{phase.name}: {users} users for {seconds} s")
                result = locust_run(
                    phase,
                    server=server,
                    users=users,
                    spawn_rate=options["spawn_rate"] or users,
                    seconds=seconds,
                    plan_file=plan_file,
                    output=output,
                )
                if phase is not WARM_UP:
                    results.append(result)
        self._step(started, "gunicorn stopped; load average " + _load())
        self.stdout.write("")
        self.stdout.write(format_report(results, BASELINE.name))
        if options["output"]:
            self.stdout.write(f"\nlocust's CSV files and the logs: {output}")

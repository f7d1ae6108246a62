"""gunicorn and locust as child processes of ``manage.py bench_load``. Each runs in
its own session (a terminal's Ctrl-C reaches only the benchmark, which then stops
them) and is stopped by its own id."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from accreditation.loadtest.endpoints import HEALTHZ, PLAN_ENV, Phase
from accreditation.loadtest.report import PhaseResult, parse_stats

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
GUNICORN_CONF = Path(settings.BASE_DIR) / "gunicorn.conf.py"
#: locust's warning when its own process is the bottleneck.
CLIENT_SATURATED = "CPU usage above"
#: gunicorn's line when a worker reaches max_requests and is replaced.
WORKER_RECYCLED = "Autorestarting worker"


def free_port() -> int:
    """A port free on 127.0.0.1 now (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(
    base: Mapping[str, str], *, port: int, workers: int | None, max_requests: int | None
) -> dict[str, str]:
    """The environment of the benchmark's gunicorn: production settings (debug off, a
    fresh secret key) except HTTPS, off so that plain http on loopback is served
    rather than redirected; bound to 127.0.0.1:``port``. ``workers`` and
    ``max_requests`` override gunicorn.conf.py's values when given."""
    env = dict(base)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ACCREDITATION_HTTPS="0",
        GUNICORN_BIND=f"127.0.0.1:{port}",
    )
    if workers:
        env["GUNICORN_WORKERS"] = str(workers)
    if max_requests is not None:
        env["GUNICORN_MAX_REQUESTS"] = str(max_requests)
    return env


def worker_restarts(server_log: Path) -> int:
    """How many times gunicorn has recycled a worker so far (max_requests)."""
    return server_log.read_text(errors="replace").count(WORKER_RECYCLED)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def _stop(process: subprocess.Popen, grace: float) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def gunicorn_server(env: dict[str, str], log: Path, timeout: float = 90) -> Iterator[str]:
    """Start ``gunicorn -c gunicorn.conf.py accreditation.wsgi`` with ``env``, yield its
    base URL once /healthz/ answers, and stop it (SIGTERM, then SIGKILL after the
    graceful timeout) however the block ends. Raises ``RuntimeError`` when it does not
    come up within ``timeout`` seconds."""
    base = f"http://{env['GUNICORN_BIND']}"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "accreditation.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + timeout
        while not _answers(base + HEALTHZ.url()):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not come up; its log ends:\n{_tail(log)}")
            time.sleep(0.25)
        yield base
    finally:
        _stop(process, grace=35)


def locust_command(
    phase: Phase, *, host: str, users: int, spawn_rate: int, seconds: int, csv_prefix: Path
) -> list[str]:
    """locust, headless and bounded: ``users`` simulated users of the phase's classes
    started at ``spawn_rate`` per second, stopped after ``seconds``."""
    return [
        sys.executable,
        "-m",
        "locust",
        "--locustfile",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "5",
        "--host",
        host,
        "--csv",
        str(csv_prefix),
        "--only-summary",
        "--exit-code-on-error",
        "0",
        *phase.user_classes,
    ]


def locust_run(
    phase: Phase,
    *,
    host: str,
    users: int,
    spawn_rate: int,
    seconds: int,
    plan_file: Path,
    output: Path,
    server_log: Path,
) -> PhaseResult:
    """Run one phase and read its statistics. Raises ``RuntimeError`` when locust
    fails or overruns its time by a minute."""
    prefix = output / phase.name
    log = output / f"{phase.name}-locust.log"
    env = {**os.environ, PLAN_ENV: str(plan_file), "PYTHONPATH": str(settings.BASE_DIR)}
    command = locust_command(
        phase, host=host, users=users, spawn_rate=spawn_rate, seconds=seconds, csv_prefix=prefix
    )
    load_before, restarts_before = os.getloadavg()[0], worker_restarts(server_log)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        returncode = process.wait(timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"locust overran phase {phase.name}; log:\n{_tail(log)}") from None
    finally:
        _stop(process, grace=10)
    stats_file = prefix.with_name(prefix.name + "_stats.csv")
    if returncode != 0 or not stats_file.exists():
        raise RuntimeError(f"locust failed in phase {phase.name} ({returncode}):\n{_tail(log)}")
    return PhaseResult(
        phase=phase.name,
        description=phase.description,
        stats=parse_stats(stats_file.read_text(encoding="utf-8")),
        load_before=load_before,
        load_after=os.getloadavg()[0],
        client_saturated=CLIENT_SATURATED in log.read_text(errors="replace"),
        worker_restarts=worker_restarts(server_log) - restarts_before,
    )

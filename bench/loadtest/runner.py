"""gunicorn and locust as child processes of ``manage.py bench_load``. Each runs in
its own session (a terminal's Ctrl-C reaches only the benchmark, which then stops
them) and is stopped by its own id."""

from __future__ import annotations

import os
import resource
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from bench.loadtest.endpoints import HEALTHZ, PLAN_ENV, Phase
from bench.loadtest.report import PhaseResult, parse_stats

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
    """The environment of the benchmark's gunicorn: production settings (the product's
    settings module, without the bench app; debug off, a fresh secret key) except HTTPS,
    off so that plain http on loopback is served rather than redirected; bound to
    127.0.0.1:``port``. ``workers`` and ``max_requests`` override gunicorn.conf.py's
    values when given."""
    env = dict(base)
    env.update(
        DJANGO_SETTINGS_MODULE="accreditation.settings",
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


def cpu_ticks(stat: str) -> tuple[int, int]:
    """From a /proc/PID/stat line: (parent pid, CPU clock ticks of the process and of
    its children it has reaped)."""
    fields = stat.rsplit(")", 1)[1].split()
    # After the command: state ppid ... utime (14th field) stime cutime cstime (17th).
    return int(fields[1]), sum(int(value) for value in fields[11:15])


def _stat(pid: int | str) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def worker_restarts(self) -> int:
        """How many times gunicorn has recycled a worker so far (max_requests)."""
        return worker_restarts(self.log)

    def cpu_seconds(self) -> float | None:
        """CPU time used so far by the master and every worker, live or recycled (a
        reaped worker's time is in the master's children's time); None without /proc."""
        master = _stat(self.process.pid)
        if master is None:
            return None
        ticks = cpu_ticks(master)[1]
        for pid in filter(str.isdigit, os.listdir("/proc")):
            stat = _stat(pid)
            if stat is not None and cpu_ticks(stat)[0] == self.process.pid:
                ticks += cpu_ticks(stat)[1]
        return ticks / os.sysconf("SC_CLK_TCK")


def worker_restarts(server_log: Path) -> int:
    """How many times gunicorn has recycled a worker, from its log."""
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
def gunicorn_server(env: dict[str, str], log: Path, timeout: float = 90) -> Iterator[Server]:
    """Start ``gunicorn -c gunicorn.conf.py accreditation.wsgi`` with ``env``, yield it
    once /healthz/ answers, and stop it (SIGTERM, then SIGKILL after the graceful
    timeout) however the block ends. Raises ``RuntimeError`` when it does not come up
    within ``timeout`` seconds."""
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
        yield Server(base, process, log)
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


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def locust_run(
    phase: Phase,
    *,
    server: Server,
    users: int,
    spawn_rate: int,
    seconds: int,
    plan_file: Path,
    output: Path,
) -> PhaseResult:
    """Run one phase against ``server`` and read its statistics, with the CPU time
    gunicorn and locust used meanwhile. Raises ``RuntimeError`` when locust fails or
    overruns its time by a minute."""
    prefix = output / phase.name
    log = output / f"{phase.name}-locust.log"
    env = {**os.environ, PLAN_ENV: str(plan_file), "PYTHONPATH": str(settings.BASE_DIR)}
    command = locust_command(
        phase,
        host=server.url,
        users=users,
        spawn_rate=spawn_rate,
        seconds=seconds,
        csv_prefix=prefix,
    )
    load_before, restarts_before = os.getloadavg()[0], server.worker_restarts()
    server_cpu_before, client_cpu_before = server.cpu_seconds(), _children_cpu_seconds()
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
    server_cpu = server.cpu_seconds()
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
        worker_restarts=server.worker_restarts() - restarts_before,
        server_cpu_seconds=(
            None
            if server_cpu is None or server_cpu_before is None
            else server_cpu - server_cpu_before
        ),
        client_cpu_seconds=_children_cpu_seconds() - client_cpu_before,
    )

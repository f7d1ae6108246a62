"""gunicorn's environment and locust's command line for the load benchmark."""

from pathlib import Path

from bench.loadtest.endpoints import PHASES
from bench.loadtest.runner import (
    LOCUSTFILE,
    cpu_ticks,
    free_port,
    locust_command,
    server_environment,
    worker_restarts,
)


def test_the_server_runs_production_settings_over_plain_http_on_loopback():
    base = {
        "DATABASE_URL": "postgres://db/x",
        "DJANGO_DEBUG": "1",
        "ACCREDITATION_HTTPS": "1",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    env = server_environment(base, port=8123, workers=None, max_requests=None)
    assert {k: env[k] for k in base} == {
        "DATABASE_URL": "postgres://db/x",
        "DJANGO_DEBUG": "0",
        "ACCREDITATION_HTTPS": "0",
        "DJANGO_SETTINGS_MODULE": "accreditation.settings",
    }
    assert env["GUNICORN_BIND"] == "127.0.0.1:8123"
    assert "GUNICORN_WORKERS" not in env and "GUNICORN_MAX_REQUESTS" not in env
    assert base == {
        "DATABASE_URL": "postgres://db/x",
        "DJANGO_DEBUG": "1",
        "ACCREDITATION_HTTPS": "1",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }


def test_each_server_gets_a_fresh_secret_key():
    first, second = (
        server_environment({}, port=1, workers=None, max_requests=None)["DJANGO_SECRET_KEY"]
        for _ in range(2)
    )
    assert first != second and len(first) >= 50


def test_workers_and_recycling_override_gunicorn_conf_when_given():
    env = server_environment({}, port=1, workers=3, max_requests=0)
    assert (env["GUNICORN_WORKERS"], env["GUNICORN_MAX_REQUESTS"]) == ("3", "0")


def test_locust_runs_headless_and_bounded_with_the_phase_user_classes():
    mix = PHASES[-1]
    command = locust_command(
        mix,
        host="http://127.0.0.1:8123",
        users=20,
        spawn_rate=20,
        seconds=15,
        csv_prefix=Path("/tmp/out/mix"),
    )
    assert command[1:] == [
        "-m", "locust", "--locustfile", str(LOCUSTFILE), "--headless",
        "--users", "20", "--spawn-rate", "20", "--run-time", "15s", "--stop-timeout", "5",
        "--host", "http://127.0.0.1:8123", "--csv", "/tmp/out/mix", "--only-summary",
        "--exit-code-on-error", "0", "MixUser",
    ]  # fmt: skip


def test_worker_restarts_counts_gunicorns_recycling_lines(tmp_path):
    log = tmp_path / "gunicorn.log"
    log.write_text(
        "[INFO] Booting worker with pid: 1\n"
        "[INFO] Autorestarting worker after current request.\n"
        '127.0.0.1 - - "GET /healthz/ HTTP/1.1" 200 16\n'
        "[INFO] Autorestarting worker after current request.\n"
    )
    assert worker_restarts(log) == 2


def test_free_port_is_a_port_number():
    assert 1024 <= free_port() <= 65535


def test_cpu_ticks_reads_the_parent_and_the_time_of_the_process_and_its_reaped_children():
    # pid (comm, with a space and a parenthesis) state ppid ... utime stime cutime cstime
    stat = "4242 (gunicorn: (x) y) S 4200 4242 4242 0 -1 4194560 100 0 0 0 700 50 30 20 20 0"
    assert cpu_ticks(stat) == (4200, 800)

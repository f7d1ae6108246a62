"""locust's statistics to the per-phase table, every row against the baseline."""

import pytest

from bench.loadtest.report import (
    PhaseResult,
    Stat,
    format_report,
    format_table,
    parse_stats,
    phase_rows,
    ratio,
    report_rows,
)

COLUMNS = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
)
HEALTHZ_CSV = COLUMNS + (
    "GET,anonymous /healthz/,8000,0,10,21.5,0.42,3366.3,16.0,800.0,0.0,"
    "10,12,19,24,34,46,69,87,3000,3400,3400\n"
    ",Aggregated,8000,0,10,21.5,0.42,3366.3,16.0,800.0,0.0,10,12,19,24,34,46,69,87,3000,3400,3400\n"
)
MIX_CSV = COLUMNS + (
    "GET,staff /api/v1/assessments/,300,0,40,44.0,9.9,210.0,393.0,30.0,0.0,"
    "40,45,50,55,70,90,120,150,200,210,210\n"
    "PATCH,staff /api/v1/assessments/{assessment}/items/{item}/,100,2,250,260.0,48.0,900.0,"
    "180.0,10.0,0.2,250,270,290,300,400,520,700,800,900,900,900\n"
    "GET,officer /api/v1/tasks/,0,0,0,0.0,0,0,0,0.0,0.0,"
    "N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\n"
    ",Aggregated,400,2,50,98.0,9.9,900.0,340.0,40.0,0.2,50,60,80,100,250,400,600,700,900,900,900\n"
)


def _results() -> list[PhaseResult]:
    return [
        PhaseResult("healthz", "bare", parse_stats(HEALTHZ_CSV), 1.0, 1.5, False, 0, 8.0, 4.0),
        PhaseResult("mix", "the mix", parse_stats(MIX_CSV), 1.5, 2.0, True, 3, 10.0),
    ]


def test_parse_stats_reads_every_row_with_the_aggregate_last():
    stats = parse_stats(MIX_CSV)
    assert [(s.method, s.name) for s in stats] == [
        ("GET", "staff /api/v1/assessments/"),
        ("PATCH", "staff /api/v1/assessments/{assessment}/items/{item}/"),
        ("GET", "officer /api/v1/tasks/"),
        ("", "Aggregated"),
    ]
    assert stats[1] == Stat(
        method="PATCH",
        name="staff /api/v1/assessments/{assessment}/items/{item}/",
        requests=100,
        failures=2,
        rps=10.0,
        median_ms=250.0,
        p95_ms=520.0,
        average_ms=260.0,
    )
    assert stats[2].p95_ms is None  # locust writes N/A for an endpoint never requested


def test_parse_stats_refuses_a_file_that_is_not_locusts():
    with pytest.raises(ValueError, match="not a locust stats file"):
        parse_stats("a,b\n1,2\n")


def test_ratio_is_none_without_a_baseline():
    assert (ratio(30.0, 800.0), ratio(None, 800.0), ratio(5.0, 0.0)) == (0.0375, None, None)


def test_rows_give_each_endpoint_and_each_phase_against_the_baseline():
    assert report_rows(_results(), "healthz") == [
        ("healthz", "GET anonymous /healthz/", "800.0", "10", "46", "0/8000", "1.00", "1.0"),
        ("mix", "GET staff /api/v1/assessments/", "30.0", "40", "90", "0/300", "0.04", "4.0"),
        (
            "mix",
            "PATCH staff /api/v1/assessments/{assessment}/items/{item}/",
            "10.0",
            "250",
            "520",
            "2/100",
            "0.01",
            "25.0",
        ),
        ("mix", "GET officer /api/v1/tasks/", "0.0", "0", "-", "0/0", "0.00", "0.0"),
        ("mix", "all", "40.0", "50", "400", "2/400", "0.05", "5.0"),
    ]


def test_the_table_pads_columns_and_right_aligns_numbers():
    table = format_table(
        [("ping", "GET token /api/v1/ping/", "400.5")], ("phase", "request", "req/s")
    )
    assert table.splitlines() == [
        "phase  request                  req/s",
        "-----  -----------------------  -----",
        "ping   GET token /api/v1/ping/  400.5",
    ]


def test_phase_rows_give_load_restarts_and_cpu_per_request_against_the_baseline():
    assert phase_rows(_results(), "healthz") == [
        ("healthz", "1.0-1.5", "0", "1.00", "1.0", "0.50", "no"),
        ("mix", "1.5-2.0", "3", "25.00", "25.0", "-", "yes"),
    ]


def test_the_report_has_both_tables_and_the_phase_descriptions():
    requests, phases, described = format_report(_results(), "healthz").split("\n\n")
    assert requests.splitlines()[0].split() == [
        "phase", "request", "req/s", "median", "ms", "p95", "ms", "failed", "req/s", "×",
        "median", "×",
    ]  # fmt: skip
    assert len(requests.splitlines()) == 2 + 5
    assert phases.splitlines()[0].startswith("phase    load avg  restarts  gunicorn CPU ms/req")
    assert described.splitlines() == ["healthz: bare", "mix: the mix"]

"""locust's statistics (``--csv``) per phase, and every row against the baseline phase
of the same run. Pure: text in, text out."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

#: The name locust gives its row over every request of a run.
AGGREGATED = "Aggregated"


@dataclass(frozen=True)
class Stat:
    """One row of locust's ``*_stats.csv``. Times in milliseconds; locust keeps them
    rounded to whole milliseconds below 100 ms and to two significant digits above."""

    method: str
    name: str
    requests: int
    failures: int
    rps: float
    median_ms: float
    p95_ms: float | None
    average_ms: float

    @property
    def label(self) -> str:
        return f"{self.method} {self.name}"


def _number(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def parse_stats(text: str) -> list[Stat]:
    """The rows of a locust ``*_stats.csv``, the aggregated row last (as locust writes
    it). Raises ``ValueError`` when the text is not such a file."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"Type", "Name", "Request Count", "Requests/s", "95%"} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"not a locust stats file (missing {', '.join(sorted(missing))})")
    return [
        Stat(
            method=row["Type"],
            name=row["Name"],
            requests=int(row["Request Count"]),
            failures=int(row["Failure Count"]),
            rps=float(row["Requests/s"]),
            median_ms=float(row["Median Response Time"]),
            p95_ms=_number(row["95%"]),
            average_ms=float(row["Average Response Time"]),
        )
        for row in reader
    ]


@dataclass
class PhaseResult:
    phase: str
    description: str
    stats: list[Stat]
    #: 1-minute load average before and after the phase.
    load_before: float = 0.0
    load_after: float = 0.0
    #: locust warned that its own process was above 90 % CPU.
    client_saturated: bool = False
    #: gunicorn workers recycled during the phase (max_requests).
    worker_restarts: int = 0
    #: CPU time of gunicorn (master and workers) and of locust during the phase.
    server_cpu_seconds: float | None = None
    client_cpu_seconds: float | None = None

    def cpu_ms_per_request(self, seconds: float | None) -> float | None:
        requests = self.total.requests
        return None if seconds is None or not requests else seconds * 1000 / requests

    @property
    def total(self) -> Stat:
        for stat in self.stats:
            if stat.name == AGGREGATED:
                return stat
        raise ValueError(f"phase {self.phase}: no aggregated row")


def ratio(value: float | None, baseline: float | None) -> float | None:
    """``value / baseline``, or None when either is missing or the baseline is 0."""
    if value is None or not baseline:
        return None
    return value / baseline


def _cell(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


HEADER = ("phase", "request", "req/s", "median ms", "p95 ms", "failed", "req/s ×", "median ×")


def report_rows(results: list[PhaseResult], baseline: str) -> list[tuple[str, ...]]:
    """One row per endpoint of every phase and one per phase over all its requests,
    with the throughput and median latency as multiples of the baseline phase's
    (``req/s ×``: below 1 is slower; ``median ×``: above 1 is slower)."""
    base = next(result for result in results if result.phase == baseline).total
    rows: list[tuple[str, ...]] = []
    for result in results:
        endpoints = [stat for stat in result.stats if stat.name != AGGREGATED]
        if len(endpoints) == 1:
            shown = [(endpoints[0].label, result.total)]
        else:
            shown = [*((stat.label, stat) for stat in endpoints), ("all", result.total)]
        for label, stat in shown:
            rows.append(
                (
                    result.phase,
                    label,
                    f"{stat.rps:.1f}",
                    f"{stat.median_ms:.0f}",
                    _cell(stat.p95_ms, 0),
                    f"{stat.failures}/{stat.requests}",
                    _cell(ratio(stat.rps, base.rps), 2),
                    _cell(ratio(stat.median_ms, base.median_ms), 1),
                )
            )
    return rows


def format_table(rows: list[tuple[str, ...]], header: tuple[str, ...] = HEADER) -> str:
    """Columns padded to their widest cell; numbers right-aligned."""
    table = [header, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = []
    for row in table:
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


PHASE_HEADER = (
    "phase",
    "load avg",
    "restarts",
    "gunicorn CPU ms/req",
    "CPU ×",
    "locust CPU ms/req",
    "locust saturated",
)


def phase_rows(results: list[PhaseResult], baseline: str) -> list[tuple[str, ...]]:
    """Per phase: the 1-minute load average before and after, gunicorn's recycled
    workers, the CPU time gunicorn spent per request (also as a multiple of the
    baseline's: less disturbed by other work on the machine than throughput) and
    locust's, and whether locust warned that it was itself the bottleneck."""
    base = next(result for result in results if result.phase == baseline)
    base_cpu = base.cpu_ms_per_request(base.server_cpu_seconds)
    rows = []
    for result in results:
        server_cpu = result.cpu_ms_per_request(result.server_cpu_seconds)
        rows.append(
            (
                result.phase,
                f"{result.load_before:.1f}-{result.load_after:.1f}",
                str(result.worker_restarts),
                _cell(server_cpu, 2),
                _cell(ratio(server_cpu, base_cpu), 1),
                _cell(result.cpu_ms_per_request(result.client_cpu_seconds), 2),
                "yes" if result.client_saturated else "no",
            )
        )
    return rows


def format_report(results: list[PhaseResult], baseline: str) -> str:
    """The requests table, the phases table, and what each phase ran."""
    described = [f"{result.phase}: {result.description}" for result in results]
    return "\n\n".join(
        [
            format_table(report_rows(results, baseline)),
            format_table(phase_rows(results, baseline), PHASE_HEADER),
            "\n".join(described),
        ]
    )

"""Request-level figures for ``manage.py bench_requests``: each request goes through
``django.test.Client`` with the full middleware stack, a signed-in session and real CSRF
checks, and every kind of request is timed in the same run, interleaved round-robin, so
that a busy machine slows them all alike. Prints figures; query budgets are asserted in
the tests, timings nowhere.

Queries are counted in the warm-up rounds, outside the timed requests: capturing them
formats every statement, which would slow the requests that query most. While timing,
DEBUG's query log is off for the same reason (the rest of the settings stay as they are).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accreditation.models import Assessment, ItemGrade, User

#: The brief's targets: a save costs at most 1.5 trivial authenticated requests and six
#: queries, a 100-item checklist at most ten queries whatever its size.
SAVE_RATIO = 1.5
SAVE_QUERIES = 6
CHECKLIST_QUERIES = 10


class BenchError(Exception):
    """A request answered something other than what the benchmark measures."""


@dataclass(frozen=True)
class Target:
    ratio: float | None = None
    queries: int | None = None


@dataclass
class Probe:
    """One kind of request: how to send it, its target, and what was measured."""

    name: str
    send: Callable[[Client], HttpResponse]
    target: Target = Target()
    times: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    name: str
    median_ms: float
    p95_ms: float
    ratio: float
    queries: tuple[int, int]
    target: Target

    def verdicts(self) -> list[str]:
        """One "target: PASS|ABOVE" per target (queries judged on the most seen)."""
        out = []
        if self.target.ratio is not None:
            verdict = "PASS" if self.ratio <= self.target.ratio else "ABOVE"
            out.append(f"≤ {self.target.ratio:g}× ping {verdict}")
        if self.target.queries is not None:
            verdict = "PASS" if self.queries[1] <= self.target.queries else "ABOVE"
            out.append(f"≤ {self.target.queries} queries {verdict}")
        return out


class _Save:
    """An optimistic-versioned save of one item that always changes the grade (A and B
    in turn), sending the version the previous answer reported."""

    def __init__(self, url: str, version: int, grade: str, *, csrf: str, method: str):
        self.url, self.version, self.method, self.csrf = url, version, method, csrf
        self.grade = grade

    def __call__(self, client: Client) -> HttpResponse:
        self.grade = "B" if self.grade == "A" else "A"
        body: dict = {"grade": self.grade, "version": self.version}
        if self.method == "post":  # the page's autosave sends every value
            body.update(na_reason="", metric_value="", note="")
        send = client.post if self.method == "post" else client.patch
        response = send(
            self.url,
            json.dumps(body),
            content_type="application/json",
            headers={"X-CSRFToken": self.csrf, "Accept": "application/json"},
        )
        data = response.json() if response.status_code == 200 else {}
        saved = data.get("item", data) if self.method == "post" else data
        if saved.get("version") != self.version + 1:
            raise BenchError(
                f"{self.method.upper()} {self.url} answered {response.status_code}: "
                f"{response.content[:300]!r}"
            )
        self.version += 1
        return response


def _get(url: str, status: int = 200) -> Callable[[Client], HttpResponse]:
    def send(client: Client) -> HttpResponse:
        response = client.get(url)
        if response.status_code != status:
            raise BenchError(f"GET {url} answered {response.status_code}")
        return response

    return send


def _savable(assessment: Assessment, skip: int) -> ItemGrade:
    """A row whose grade can change freely: an item without a metric, graded neither
    N/A nor left for another probe (``skip`` rows are passed over)."""
    rows = (
        ItemGrade.objects.filter(assessment=assessment, item__metric_code="")
        .exclude(grade="NA")
        .order_by("item__position")
    )
    return rows[skip]


def request_probes(client: Client, assessment: Assessment) -> list[Probe]:
    """The measured requests, in display order; the ping comes first (the baseline).
    ``client`` must be signed in as staff of ``assessment``'s institution."""
    checklist = reverse("web:checklist", args=[assessment.pk])
    _get(checklist)(client)  # sets the CSRF cookie, as a browser's first visit does
    csrf = client.cookies["csrftoken"].value
    api_row, web_row = _savable(assessment, 0), _savable(assessment, 1)
    api_items = f"/api/v1/assessments/{assessment.pk}/items/"
    return [
        Probe("GET /api/v1/ping/ (baseline)", _get("/api/v1/ping/")),
        Probe("GET /healthz/ (no session, no database)", _get("/healthz/")),
        Probe(
            "PATCH API item save",
            _Save(
                api_items + f"{api_row.item_code}/",
                api_row.version,
                api_row.grade,
                csrf=csrf,
                method="patch",
            ),
            Target(ratio=SAVE_RATIO, queries=SAVE_QUERIES),
        ),
        Probe(
            "POST web autosave",
            _Save(
                reverse("web:item_save", args=[assessment.pk, web_row.item_code]),
                web_row.version,
                web_row.grade,
                csrf=csrf,
                method="post",
            ),
            Target(ratio=SAVE_RATIO, queries=SAVE_QUERIES),
        ),
        Probe("GET web checklist page", _get(checklist), Target(queries=CHECKLIST_QUERIES)),
        Probe(
            "GET web checklist summary (after a save)",
            _get(reverse("web:checklist_summary", args=[assessment.pk])),
        ),
        Probe(
            "GET API checklist (page_size=100)",
            _get(api_items + "?page_size=100"),
            Target(queries=CHECKLIST_QUERIES),
        ),
    ]


def signed_in_client(user: User) -> Client:
    """A client with a real session row for ``user`` that enforces CSRF like a browser."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def run_rounds(client: Client, probes: list[Probe], *, rounds: int, warmup: int) -> None:
    """``warmup`` untimed rounds counting each request's queries, then ``rounds`` timed
    rounds; each round sends every probe once, starting one further along each time."""
    for n in range(warmup):
        for probe in probes:
            with CaptureQueriesContext(connection) as captured:
                probe.send(client)
            if n or warmup == 1:  # the first round fills per-process caches
                probe.queries.append(len(captured))
    clock = time.perf_counter
    with override_settings(DEBUG=False):
        for n in range(rounds):
            start = n % len(probes)
            for probe in probes[start:] + probes[:start]:
                before = clock()
                probe.send(client)
                probe.times.append(clock() - before)


def figures(probes: list[Probe]) -> list[Figure]:
    """Median, 95th percentile, ratio to the first probe's median, queries seen."""
    baseline = statistics.median(probes[0].times)
    out = []
    for probe in probes:
        median = statistics.median(probe.times)
        p95 = statistics.quantiles(probe.times, n=20, method="inclusive")[18]
        out.append(
            Figure(
                name=probe.name,
                median_ms=median * 1000,
                p95_ms=p95 * 1000,
                ratio=median / baseline,
                queries=(min(probe.queries), max(probe.queries)),
                target=probe.target,
            )
        )
    return out


def format_table(rows: list[Figure]) -> str:
    width = max(len(f.name) for f in rows)
    lines = [f"{'request':<{width}}  median ms  p95 ms  × ping  queries  targets"]
    for f in rows:
        low, high = f.queries
        queries = str(high) if low == high else f"{low}–{high}"
        lines.append(
            f"{f.name:<{width}}  {f.median_ms:9.2f}  {f.p95_ms:6.2f}  {f.ratio:6.2f}  "
            f"{queries:>7}  {'; '.join(f.verdicts())}".rstrip()
        )
    return "\n".join(lines)

"""bench_requests prints a row per measured request with its queries; the queries are
deterministic and held to budgets here, the times are not asserted."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from accreditation.models import ItemGrade, Region

ROW = re.compile(
    r"^(?P<name>\S.*?)\s+(?P<median>\d+\.\d\d)\s+(?P<p95>\d+\.\d\d)\s+(?P<ratio>\d+\.\d\d)"
    r"\s+(?P<queries>\d+)(?:\s+(?P<targets>.+))?$"
)

#: Per request, all included: the session read with its user (1, the ping's), then the save
#: service's five with BEGIN and COMMIT: the locked read of the row with its assessment
#: (which also decides scope), UPDATE and the audit row (test_item_save).
BUDGETS = {
    "GET /api/v1/ping/ (baseline)": 1,
    "GET /healthz/ (no session, no database)": 0,
    "PATCH API item save (the autosave)": 6,
    "GET web checklist page": 10,
    "GET web checklist summary (after a save)": 9,
    "GET API checklist (page_size=100)": 10,
}


def _rows(text: str) -> dict[str, re.Match]:
    return {m["name"]: m for m in map(ROW.match, text.splitlines()) if m}


def test_bench_requests_prints_every_request_within_its_query_budget(db):
    out = io.StringIO()
    call_command("bench_requests", "--rounds", "3", "--warmup", "2", stdout=out)
    text = out.getvalue()
    rows = _rows(text)
    assert set(rows) == set(BUDGETS), text
    for name, budget in BUDGETS.items():
        assert int(rows[name]["queries"]) <= budget, (name, text)
    assert float(rows["GET /api/v1/ping/ (baseline)"]["ratio"]) == 1.0
    assert rows["GET web checklist page"]["targets"] == "≤ 10 queries PASS"
    assert rows["GET API checklist (page_size=100)"]["targets"] == "≤ 10 queries PASS"
    save = rows["PATCH API item save (the autosave)"]
    targets = save["targets"]
    assert re.fullmatch(r"≤ 1\.5× ping (PASS|ABOVE); ≤ 6 queries PASS", targets), targets
    assert "100-item THC-2022 checklist, created; 3 rounds after 2 warm-up" in text


def test_every_save_writes_a_new_version(db):
    call_command("bench_requests", "--rounds", "2", "--warmup", "1", stdout=io.StringIO())
    before = ItemGrade.objects.aggregate(v=Sum("version"))["v"]
    call_command("bench_requests", "--rounds", "4", "--warmup", "1", stdout=io.StringIO())
    assert ItemGrade.objects.aggregate(v=Sum("version"))["v"] == before + 4 + 1


def test_bench_requests_refuses_a_database_with_other_regions(db):
    Region.objects.create(code="990000", name="示范省", level="province")
    with pytest.raises(CommandError, match="--shared-database"):
        call_command("bench_requests", "--rounds", "2", stdout=io.StringIO())
    out = io.StringIO()
    call_command(
        "bench_requests", "--rounds", "2", "--warmup", "1", "--shared-database", stdout=out
    )
    assert "GET web checklist page" in out.getvalue()

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_bench_import_reports_time_and_queries_and_writes_nothing(row_counts):
    before = row_counts()
    out = io.StringIO()

    call_command("bench_import", "--runs", "2", "--items", "10", stdout=out)

    assert re.fullmatch(
        r"2 imports of a 10-item edition \(\w+\): parse [\d.]+ ms, import [\d.]+ ms, "
        r"[\d.]+ queries per import\n",
        out.getvalue(),
    )
    assert row_counts() == before

"""Details that embed a list answer in a constant number of queries: a notice with few
entries or many, a consistency check with few samples or many."""

from __future__ import annotations

import pytest

from accreditation.models import (
    Assessment,
    ConsistencyCheck,
    ConsistencySample,
    PublicNoticeEntry,
    Recognition,
)
from tests.api.test_query_counts_review import _recognitions, recognised  # noqa: F401

SIZES = (2, 8)


def grow_entries(w, r: Recognition, n: int) -> None:
    """Entries on the recognition's notice: new institutions' assessments listed with
    the recognised one's decision."""
    for recognition in _recognitions(w, r, n):
        assessment = Assessment.objects.create(
            cycle=w.cycle,
            institution=recognition.institution,
            edition=r.assessment.edition,
            target_level="basic",
        )
        PublicNoticeEntry.objects.create(
            notice=r.notice, assessment=assessment, decision=r.decision, level="basic"
        )


def grow_samples(w, r: Recognition, n: int) -> None:
    check = ConsistencyCheck.objects.get_or_create(
        cycle=w.cycle,
        region=w.province,
        seed="nested",
        defaults={"sample_share": "1", "population": 1, "created_by": w.officer_province},
    )[0]
    for recognition in _recognitions(w, r, n):
        ConsistencySample.objects.create(check_run=check, recognition=recognition)


def _check_url(w, r) -> str:
    return f"/api/v1/checks/{ConsistencyCheck.objects.get(seed='nested').pk}/"


DETAILS = [
    ("notice", lambda w, r: f"/api/v1/notices/{r.notice_id}/", grow_entries, "entries", 2),
    ("check", _check_url, grow_samples, "samples", 3),
]


@pytest.mark.parametrize(
    ("name", "url", "grow", "key", "budget"), DETAILS, ids=[d[0] for d in DETAILS]
)
def test_detail_queries_stay_within_budget_at_two_sizes(
    world,
    recognised,  # noqa: F811
    as_user,
    django_assert_max_num_queries,
    name,
    url,
    grow,
    key,
    budget,
):
    client = as_user("officer_province")
    counts = []
    for size in SIZES:
        grow(world, recognised, size)
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(url(world, recognised))
        assert response.status_code == 200, response.content[:300]
        counts.append((len(captured), len(response.json()[key])))
    assert counts[1][1] > counts[0][1] >= SIZES[0]
    assert counts[1][0] == counts[0][0]

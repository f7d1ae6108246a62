"""The overdue list answers in a constant number of queries: the same budget holds with
few overdue assessments and with many."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accreditation.models import CycleDeadline
from tests.api.test_query_counts import grow_assessments

SIZES = (2, 12)


def test_overdue_queries_stay_within_budget_at_two_sizes(
    world, as_user, django_assert_max_num_queries
):
    CycleDeadline.objects.create(
        cycle=world.cycle,
        stage="self_assessment",
        due_on=timezone.localdate() - dt.timedelta(days=3),
    )
    client = as_user("officer_city")
    counts = []
    for size in SIZES:
        grow_assessments(world, size)
        with django_assert_max_num_queries(2) as captured:
            response = client.get("/api/v1/overdue/")
        assert response.status_code == 200, response.content[:300]
        counts.append((len(captured), response.json()["count"]))
    assert counts[1][1] > counts[0][1] >= SIZES[0]
    assert counts[1][0] == counts[0][0]

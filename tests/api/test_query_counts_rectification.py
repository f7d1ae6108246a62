"""The rectification reads answer in a constant number of queries: the same budget
holds with few findings (and plans, evidence, files) and with many."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accreditation.models import (
    Evidence,
    Finding,
    RectificationEvidence,
    RectificationFile,
    RectificationPlan,
)
from tests.workflows.helpers import at_decision

SIZES = (2, 8)


@pytest.fixture
def consolidated(world, experts):
    at_decision(world, experts, world.assessment_a, world.officer_province, grades=("C", "C"))
    return world.assessment_a


def grow(world, assessment, n: int) -> Finding:
    """``n`` findings, each with a plan; the first gets ``n`` evidence submissions of
    one file each."""
    evidence = Evidence.objects.create(
        sha256=f"{Evidence.objects.count():064d}",
        file="evidence/x.pdf",
        size=1,
        file_type="pdf",
        original_name="x.pdf",
    )
    for i in range(n):
        finding = Finding.objects.create(
            assessment=assessment,
            source="county",
            description=f"发现 {i}",
            due_on=timezone.localdate() + dt.timedelta(days=i - 3),
            raised_by=world.reviewer_a,
            status="plan_accepted",
        )
        RectificationPlan.objects.create(
            finding=finding,
            root_cause="r",
            actions="a",
            owner="o",
            due_on=finding.due_on,
            submitted_by=world.staff_a,
            outcome="accepted",
        )
    first = Finding.objects.order_by("id").first()
    plan = first.plans.first()
    for _ in range(n):
        submission = RectificationEvidence.objects.create(
            finding=first, plan=plan, description="d", submitted_by=world.staff_a
        )
        RectificationFile.objects.create(submission=submission, evidence=evidence, name="x.pdf")
    return first


@pytest.mark.parametrize(
    ("who", "url", "budget"),
    [
        ("staff_a", lambda w, f: "/api/v1/findings/", 3),
        ("officer_province", lambda w, f: "/api/v1/findings/?overdue=true", 3),
        ("reviewer_a", lambda w, f: f"/api/v1/findings/?assessment={f.assessment_id}", 3),
        ("staff_a", lambda w, f: f"/api/v1/findings/{f.pk}/", 5),
        (
            "officer_province",
            lambda w, f: f"/api/v1/assessments/{f.assessment_id}/finding-candidates/",
            5,
        ),
        (
            "officer_province",
            lambda w, f: f"/api/v1/regions/{w.province.code}/action-plans.xlsx",
            4,
        ),
        ("officer_province", lambda w, f: f"/api/v1/regions/{w.province.code}/dashboard/", 6),
    ],
    ids=["list", "overdue", "by-assessment", "detail", "candidates", "action-plans", "dashboard"],
)
def test_rectification_reads_stay_within_budget_at_two_sizes(
    world, consolidated, as_user, django_assert_max_num_queries, who, url, budget
):
    client = as_user(who)
    counts = []
    for size in SIZES:
        finding = grow(world, consolidated, size)
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(url(world, finding))
        assert response.status_code == 200, response.content[:300]
        counts.append(len(captured))
    assert counts[1] == counts[0]

"""The rectification pages answer in a constant number of queries: the findings list,
one finding (with many plans, or many evidence submissions and files) and an
assessment's findings hold the same budget with few rows and with many. States are
reached through the services; list rows are then added directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accreditation.models import Finding, RectificationPlan
from accreditation.services.assessments import assessment_open
from accreditation.services.findings import (
    finding_reopen,
    findings_from_gap_plan,
    plan_accept,
    plan_return,
    plan_submit,
    rectification_evidence_submit,
)
from tests.accreditation.conftest import World
from tests.factories import FactsFactory, InstitutionFactory, StaffFactory
from tests.files import PDF
from tests.workflows.conftest import Experts, experts  # noqa: F401
from tests.workflows.helpers import at_decision

pytestmark = pytest.mark.django_db

SIZES = (2, 6)
_seq = iter(range(10_000))


def _due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=20)


def _seed(w: World, e: Experts) -> Finding:
    at_decision(w, e, w.assessment_a, w.officer_province, grades=("C", "C"))
    return findings_from_gap_plan(actor=w.officer_province, assessment=w.assessment_a)[0]


def _plan(w: World, finding: Finding) -> None:
    plan_submit(
        actor=w.staff_a,
        finding=finding,
        root_cause="原因",
        actions="措施",
        owner="王主任",
        due_on=_due(),
    )


def grow_list(w: World, e: Experts, seed: Finding, n: int) -> None:
    """Findings on the assessments of new institutions in county A, one with a plan."""
    for _ in range(n):
        institution = InstitutionFactory(region=w.county_a)
        FactsFactory(institution=institution)
        staff = StaffFactory(institution=institution)
        assessment = assessment_open(
            actor=staff, cycle=w.cycle, institution=institution, target_level="basic"
        )
        finding = Finding.objects.create(
            assessment=assessment,
            source=Finding.Source.COUNTY,
            description=f"问题 {next(_seq)}",
            due_on=timezone.localdate() - dt.timedelta(days=1),
            raised_by=w.reviewer_a,
        )
        RectificationPlan.objects.create(
            finding=finding,
            root_cause="原因",
            actions="措施",
            owner="李医生",
            due_on=_due(),
            submitted_by=staff,
        )


def grow_plans(w: World, e: Experts, seed: Finding, n: int) -> None:
    """Plans submitted and returned: the history grows, the finding stays open."""
    for _ in range(n):
        _plan(w, seed)
        plan_return(actor=w.officer_province, finding=seed, comment="重改")


def _accepted_seed(w: World, e: Experts) -> Finding:
    finding = _seed(w, e)
    _plan(w, finding)
    plan_accept(actor=w.officer_province, finding=finding)
    return finding


def grow_evidence(w: World, e: Experts, seed: Finding, n: int) -> None:
    """Evidence submissions of two files each, reopened."""
    for _ in range(n):
        files = [SimpleUploadedFile(f"{next(_seq)}.pdf", PDF + str(next(_seq)).encode())]
        files.append(SimpleUploadedFile(f"{next(_seq)}.pdf", PDF + str(next(_seq)).encode()))
        rectification_evidence_submit(
            actor=w.staff_a, finding=seed, description="已整改", files=files
        )
        finding_reopen(actor=w.officer_province, finding=seed, comment="佐证不足")


def grow_assessment(w: World, e: Experts, seed: Finding, n: int) -> None:
    """Closed findings on the seed's assessment, each with a plan."""
    for _ in range(n):
        finding = Finding.objects.create(
            assessment=seed.assessment,
            source=Finding.Source.COUNTY,
            item_code=seed.item_code,
            description=f"问题 {next(_seq)}",
            status=Finding.Status.CLOSED,
            due_on=_due(),
            raised_by=w.reviewer_a,
        )
        RectificationPlan.objects.create(
            finding=finding,
            root_cause="原因",
            actions="措施",
            owner="李医生",
            due_on=_due(),
            submitted_by=w.staff_a,
            outcome=RectificationPlan.Outcome.ACCEPTED,
        )


@dataclass(frozen=True)
class Page:
    name: str
    who: str
    seed: Callable[[World, Experts], Finding]
    url: Callable[[World, Finding], str]
    grow: Callable[[World, Experts, Finding, int], None]
    budget: int


PAGES = [
    Page(
        "list-officer",
        "officer_province",
        _seed,
        lambda w, s: reverse("web:findings"),
        grow_list,
        3,
    ),
    Page("list-reviewer", "reviewer_a", _seed, lambda w, s: reverse("web:findings"), grow_list, 3),
    Page(
        "finding-plans",
        "staff_a",
        _seed,
        lambda w, s: reverse("web:finding", args=[s.pk]),
        grow_plans,
        5,
    ),
    Page(
        "finding-evidence",
        "officer_province",
        _accepted_seed,
        lambda w, s: reverse("web:finding", args=[s.pk]),
        grow_evidence,
        5,
    ),
    Page(
        "assessment",
        "officer_province",
        _seed,
        lambda w, s: reverse("web:assessment_findings", args=[s.assessment_id]),
        grow_assessment,
        8,
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_rectification_page_queries_stay_within_budget_at_two_sizes(
    client,
    world,
    experts,  # noqa: F811
    django_assert_max_num_queries,
    page,
):
    seed = page.seed(world, experts)
    client.force_login(getattr(world, page.who))
    counts, sizes = [], []
    for size in SIZES:
        page.grow(world, experts, seed, size)
        with (
            django_assert_max_num_queries(page.budget),
            CaptureQueriesContext(connection) as captured,
        ):
            response = client.get(page.url(world, seed))
        assert response.status_code == 200, response.content[:300]
        counts.append(len(captured))
        sizes.append(len(response.content))
    assert sizes[1] > sizes[0]  # the larger data set is on the page
    assert counts[1] == counts[0], counts

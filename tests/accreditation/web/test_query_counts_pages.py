"""The institution's, the county reviewer's, the expert's and the administrator's pages
answer in a constant number of queries: the same budget holds with few rows and with
many. (The checklist, its summary and the county review page have their own tests.)
States are reached through the services; rows are then added directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import (
    Assessment,
    AssessmentSnapshot,
    ConsolidatedGrade,
    Consolidation,
    CycleDeadline,
    ExpertAssignment,
    ExpertItemGrade,
    ExpertReview,
    ItemGrade,
)
from accreditation.services.assessments import assessment_open
from accreditation.services.experts import expert_review_submit
from accreditation.services.panels import panel_assign
from standards.models import Criterion, Item, Section
from standards.selectors import clear_spec_cache
from tests.accreditation.conftest import World
from tests.factories import FactsFactory, InstitutionFactory, StaffFactory, make_cycle
from tests.workflows.conftest import experts  # noqa: F401
from tests.workflows.helpers import at_expert_review, grade_all, submitted

pytestmark = pytest.mark.django_db

SIZES = (2, 8)


def _assessments(w: World, n: int, **fields) -> list[Assessment]:
    """``n`` assessments opened directly (no process) in county A's new institutions."""
    return [
        Assessment.objects.create(
            cycle=w.cycle,
            institution=InstitutionFactory(region=w.county_a),
            edition=w.assessment_a.edition,
            target_level="basic",
            **fields,
        )
        for _ in range(n)
    ]


def grow_home(w: World, n: int) -> None:
    """Past cycles with institution A's assessments, deadlines and snapshots."""
    start = AssessmentSnapshot.objects.filter(assessment=w.assessment_a).count()
    for i in range(start, start + n):
        cycle = make_cycle(province=w.province, year=2000 + i)
        Assessment.objects.create(
            cycle=cycle,
            institution=w.institution_a,
            edition=w.assessment_a.edition,
            target_level="basic",
        )
        CycleDeadline.objects.get_or_create(
            cycle=w.cycle,
            stage=["self_assessment", "county_review", "expert_review"][i % 3],
            defaults={"due_on": dt.date(2026, 6, 30)},
        )
        AssessmentSnapshot.objects.create(
            assessment=w.assessment_a, sequence=i + 1, created_by=w.staff_a, data={}
        )


def grow_queue(w: World, n: int) -> None:
    """Submitted assessments waiting for the county review, and others in the county."""
    for _ in range(n):
        institution = InstitutionFactory(region=w.county_a)
        FactsFactory(institution=institution)
        staff = StaffFactory(institution=institution)
        assessment = assessment_open(
            actor=staff, cycle=w.cycle, institution=institution, target_level="basic"
        )
        submitted(assessment, staff)
    _assessments(w, n)


def grow_assignments(w: World, n: int) -> None:
    for assessment in _assessments(w, n):
        ExpertAssignment.objects.create(assessment=assessment, expert=w.expert, role="member")


def grow_admin_list(w: World, n: int) -> None:
    _assessments(w, n)


def grow_items(w: World, n: int) -> None:
    """Assessment A's edition grows by ``n`` items: graded by the institution, by every
    expert review and, once consolidating, in the consolidation."""
    a = w.assessment_a
    section = Section.objects.filter(chapter__edition=a.edition).first()
    start = Item.objects.filter(edition=a.edition).count()
    reviews = list(ExpertReview.objects.filter(assessment=a))
    consolidation = Consolidation.objects.filter(assessment=a).last()
    for i in range(start, start + n):
        code = f"9.9.{i}"
        item = Item.objects.create(
            edition=a.edition,
            section=section,
            code=code,
            title="条款",
            position=100 + i,
            tier="basic",
        )
        for grade in "CBA":
            Criterion.objects.create(item=item, grade=grade, text=grade)
        ItemGrade.objects.create(assessment=a, item=item, item_code=code, grade="B")
        for review in reviews:
            ExpertItemGrade.objects.create(review=review, item_code=code, grade="B", finding="核查")
        if consolidation is not None:
            ConsolidatedGrade.objects.create(
                consolidation=consolidation,
                item_code=code,
                position=100 + i,
                self_grade="B",
                expert_grades={str(r.expert_id): "B" for r in reviews},
                majority_grade="B",
                final_grade="B",
            )
    clear_spec_cache()  # the edition changed under its compiled form


@pytest.fixture
def at_expert_review_(world, experts):  # noqa: F811
    """Assessment A graded by its panel's lead; the member's grading is still open."""
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province,
        assessment=world.assessment_a,
        lead=experts.lead,
        members=[experts.member],
    )
    grade_all(experts.lead, world.assessment_a, "A")
    grade_all(experts.member, world.assessment_a, "B")
    expert_review_submit(actor=experts.lead, assessment=world.assessment_a)
    return experts


@pytest.fixture
def at_consolidation_(world, at_expert_review_):
    expert_review_submit(actor=at_expert_review_.member, assessment=world.assessment_a)
    return at_expert_review_


@dataclass(frozen=True)
class Page:
    name: str
    who: str
    url: Callable[[Any], str]
    grow: Callable[[Any, int], None]
    budget: int
    state: str = ""


def _a(name: str) -> Callable[[Any], str]:
    return lambda w: reverse(name, args=[w.assessment_a.pk])


PAGES = [
    Page("institution-home", "staff_a", lambda w: reverse("web:institution_home"), grow_home, 14),
    Page("review-queue", "reviewer_a", lambda w: reverse("web:review_queue"), grow_queue, 5),
    Page("admin-home", "administrator", lambda w: reverse("web:home"), grow_admin_list, 3),
    Page("expert-tasks", "expert", lambda w: reverse("web:expert_tasks"), grow_assignments, 4),
    # 14 before record sampling: the item lists and the expert's own samples (2 more).
    Page("expert-scoring", "lead", _a("web:expert_scoring"), grow_items, 16, "expert_review"),
    Page(
        "expert-summary", "lead", _a("web:expert_scoring_summary"), grow_items, 8, "expert_review"
    ),
    Page(
        "expert-consolidation",
        "lead",
        _a("web:expert_consolidation"),
        grow_items,
        14,  # 9 before the on-site column: photos and record samples (5)
        "consolidation",
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_queries_stay_within_budget_at_two_sizes(
    client, world, request, django_assert_max_num_queries, page
):
    people = world
    if page.state:
        experts = request.getfixturevalue(
            "at_consolidation_" if page.state == "consolidation" else "at_expert_review_"
        )
        people = experts if hasattr(experts, page.who) else world
    client.force_login(getattr(people, page.who))
    counts, sizes = [], []
    for size in SIZES:
        page.grow(world, size)
        client.get(page.url(world))  # warm per-process caches (compiled editions)
        with (
            django_assert_max_num_queries(page.budget),
            CaptureQueriesContext(connection) as captured,
        ):
            response = client.get(page.url(world))
        assert response.status_code == 200, response.content[:300]
        counts.append(len(captured))
        sizes.append(len(response.content))
    assert sizes[1] > sizes[0]  # the larger data set is on the page
    assert counts[1] == counts[0], counts

"""Every list answers in a constant number of queries: the same budget holds with few
rows and with many."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from accreditation.core.audit import AuditAction, audit_record
from accreditation.models import (
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    Cycle,
    CycleDeadline,
    Evidence,
    EvidenceAttachment,
    Institution,
    ItemGrade,
    Region,
)
from standards.models import Chapter, Criterion, Edition, Item, Section
from tests.factories import (
    CountyFactory,
    FactsFactory,
    InstitutionFactory,
    RuleSetFactory,
    UserFactory,
    make_cycle,
    make_edition,
)

SIZES = (2, 12)


def _institutions(w, n: int, region: Region | None = None) -> list[Institution]:
    return [InstitutionFactory(region=region or w.county_a) for _ in range(n)]


def grow_assessments(w, n: int) -> None:
    for institution in _institutions(w, n):
        Assessment.objects.create(
            cycle=w.cycle,
            institution=institution,
            edition=w.assessment_a.edition,
            target_level="basic",
        )


def grow_regions(w, n: int) -> None:
    start = Region.objects.filter(parent=w.county_a).count()
    for i in range(start, start + n):
        Region.objects.create(
            code=f"{w.county_a.code}{i:03d}", name=f"镇{i}", level="township", parent=w.county_a
        )


def grow_facts(w, n: int) -> None:
    start = w.institution_a.facts_snapshots.count()
    for i in range(start, start + n):
        FactsFactory(
            institution=w.institution_a,
            effective_from=dt.date(2021, 1, 1) + dt.timedelta(days=i),
            recorded_by=w.staff_a,
        )


def grow_cycles(w, n: int) -> None:
    start = Cycle.objects.count()
    for i in range(start, start + n):
        cycle = make_cycle(province=w.province, year=2000 + i)
        CycleDeadline.objects.create(cycle=cycle, stage="self_assessment", due_on=dt.date.today())


def grow_users(w, n: int) -> None:
    for _ in range(n):
        UserFactory(role="county_reviewer", region=w.county_b)


def grow_audit_by_staff(w, n: int) -> None:
    for i in range(n):
        audit_record(
            actor=w.staff_a, action=AuditAction.ITEM_GRADE_SAVE, target=w.assessment_a, note=str(i)
        )


def grow_editions(w, n: int) -> None:
    for _ in range(n):
        make_edition()


def grow_items(w, n: int) -> None:
    edition = Edition.objects.filter(code="BIG").first() or make_edition(code="BIG", items=())
    if not Section.objects.filter(chapter__edition=edition).exists():
        chapter = Chapter.objects.create(edition=edition, code="1", title="章", position=1)
        Section.objects.create(chapter=chapter, code="1.1", title="节", position=1)
    section = Section.objects.get(chapter__edition=edition)
    start = Item.objects.filter(edition=edition).count()
    for i in range(start, start + n):
        item = Item.objects.create(
            edition=edition,
            section=section,
            code=f"1.1.{i}",
            title="条款",
            position=i,
            tier="basic",
        )
        for grade in "CBA":
            Criterion.objects.create(item=item, grade=grade, text=grade)


def grow_rule_sets(w, n: int) -> None:
    edition = w.assessment_a.edition
    start = edition.rule_sets.count()
    for i in range(start, start + n):
        RuleSetFactory(edition=edition, level="basic", version=10 + i, province_code="990000")


def grow_checklist(w, n: int) -> None:
    """Assessment A's checklist grows by ``n`` items, each graded with evidence."""
    section = Section.objects.filter(chapter__edition=w.assessment_a.edition).first()
    start = Item.objects.filter(edition=w.assessment_a.edition).count()
    evidence = _evidence(f"checklist-{start}")
    for i in range(start, start + n):
        item = Item.objects.create(
            edition=w.assessment_a.edition,
            section=section,
            code=f"9.9.{i}",
            title="条款",
            position=100 + i,
            tier="basic",
        )
        for grade in "CBA":
            Criterion.objects.create(item=item, grade=grade, text=grade)
        ItemGrade.objects.create(
            assessment=w.assessment_a, item=item, item_code=item.code, grade="B"
        )
        EvidenceAttachment.objects.create(
            assessment=w.assessment_a,
            item_code=item.code,
            evidence=evidence,
            name="x.pdf",
            uploaded_by=w.staff_a,
        )


def _evidence(seed: str) -> Evidence:
    digest = hashlib.sha256(seed.encode()).hexdigest()
    return Evidence.objects.create(
        sha256=digest, file=f"evidence/{digest}.pdf", size=1, file_type="pdf", original_name="x"
    )


def grow_evidence(w, n: int) -> None:
    start = EvidenceAttachment.objects.count()
    for i in range(start, start + n):
        EvidenceAttachment.objects.create(
            assessment=w.assessment_a,
            item_code="1.1.1",
            evidence=_evidence(str(i)),
            name=f"{i}.pdf",
            uploaded_by=w.staff_a2 if i % 2 else w.staff_a,
        )


def grow_returns(w, n: int) -> None:
    for i in range(n):
        AssessmentReturn.objects.create(
            assessment=w.assessment_a,
            from_status="submitted",
            returned_by=w.reviewer_a if i % 2 else w.officer_city,
            reason="补充材料",
        )


def grow_snapshots(w, n: int) -> None:
    start = AssessmentSnapshot.objects.filter(assessment=w.assessment_a).count()
    for i in range(start, start + n):
        AssessmentSnapshot.objects.create(
            assessment=w.assessment_a,
            sequence=i + 1,
            created_by=w.staff_a,
            data={"result": {"level": None}},
        )


def grow_dashboard(w, n: int) -> None:
    for _ in range(n):
        county = CountyFactory(parent=w.city)
        grow_assessments_in(w, county)


def grow_assessments_in(w, county: Region) -> None:
    for institution in _institutions(w, 2, county):
        Assessment.objects.create(
            cycle=w.cycle,
            institution=institution,
            edition=w.assessment_a.edition,
            target_level="basic",
        )


@dataclass(frozen=True)
class ListEndpoint:
    name: str
    who: str
    url: Callable[[Any], str]
    grow: Callable[[Any, int], None]
    budget: int
    paginated: bool = True


def a(suffix: str) -> Callable[[Any], str]:
    return lambda w: f"/api/v1/assessments/{w.assessment_a.pk}/{suffix}"


def grow_institutions(w, n: int) -> None:
    _institutions(w, n)


#: (name, who asks, url, how rows grow, query budget). Authentication is forced, so the
#: budget counts the work of the view alone.
LISTS = [
    ListEndpoint(
        "assessments", "officer_city", lambda w: "/api/v1/assessments/", grow_assessments, 2
    ),
    ListEndpoint("regions", "staff_a", lambda w: "/api/v1/regions/", grow_regions, 2),
    ListEndpoint(
        "institutions", "reviewer_a", lambda w: "/api/v1/institutions/", grow_institutions, 2
    ),
    ListEndpoint(
        "facts",
        "staff_a",
        lambda w: f"/api/v1/institutions/{w.institution_a.pk}/facts/",
        grow_facts,
        3,
    ),
    ListEndpoint("cycles", "staff_a", lambda w: "/api/v1/cycles/", grow_cycles, 4),
    ListEndpoint("users", "administrator", lambda w: "/api/v1/users/", grow_users, 2),
    ListEndpoint(
        "user-history",
        "staff_a",
        lambda w: f"/api/v1/users/{w.staff_a.pk}/history/",
        grow_audit_by_staff,
        3,
    ),
    ListEndpoint("editions", "staff_a", lambda w: "/api/v1/catalogue/editions/", grow_editions, 2),
    ListEndpoint(
        "items", "staff_a", lambda w: "/api/v1/catalogue/editions/BIG/items/", grow_items, 4
    ),
    ListEndpoint(
        "rule-sets", "staff_a", lambda w: "/api/v1/catalogue/rule-sets/", grow_rule_sets, 2
    ),
    ListEndpoint("checklist", "staff_a", a("items/"), grow_checklist, 6),
    ListEndpoint("evidence", "reviewer_a", a("evidence/"), grow_evidence, 3),
    ListEndpoint("returns", "reviewer_a", a("returns/"), grow_returns, 3),
    ListEndpoint("snapshots", "staff_a", a("snapshots/"), grow_snapshots, 3),
    ListEndpoint("history", "officer_city", a("history/"), grow_audit_by_staff, 3),
    ListEndpoint(
        "dashboard",
        "officer_city",
        lambda w: f"/api/v1/regions/{w.city.code}/dashboard/",
        grow_dashboard,
        5,
        paginated=False,
    ),
]


@pytest.mark.parametrize("endpoint", LISTS, ids=[e.name for e in LISTS])
def test_list_queries_stay_within_budget_at_two_sizes(
    world, as_user, django_assert_max_num_queries, endpoint
):
    client = as_user(endpoint.who)
    client.get(endpoint.url(world))  # warm per-process caches (compiled editions)
    counts = []
    for size in SIZES:
        endpoint.grow(world, size)
        with django_assert_max_num_queries(endpoint.budget) as captured:
            response = client.get(endpoint.url(world))
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        counts.append(
            (len(captured), body["count"] if endpoint.paginated else len(body["children"]))
        )
    assert counts[1][1] > counts[0][1] >= SIZES[0]


def test_item_save_answers_in_at_most_seven_queries(world, django_assert_max_num_queries):
    # The session and the user (as every signed-in request), then the save: SAVEPOINT
    # (BEGIN outside tests), the locked read, UPDATE, audit row, RELEASE (COMMIT). The
    # values a PATCH omits are kept by the service, not read by the view.
    client = APIClient()
    client.force_login(world.staff_a)
    url = f"/api/v1/assessments/{world.assessment_a.pk}/items/1.1.1/"
    with django_assert_max_num_queries(7):
        response = client.patch(url, {"grade": "B", "version": 1}, format="json")
    assert response.status_code == 200, response.content[:300]
    assert response.json()["version"] == 2
    assert ItemGrade.objects.get(assessment=world.assessment_a, item_code="1.1.1").grade == "B"

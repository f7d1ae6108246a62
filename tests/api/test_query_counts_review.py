"""The review-process lists answer in a constant number of queries: the same budget
holds with few rows and with many. A recognised assessment (through the services) is
the seed; rows are then added directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from accreditation.models import (
    AssessmentResult,
    AssessmentSnapshot,
    CertificateRecord,
    ConsistencyCheck,
    ConsistencySample,
    ConsolidatedGrade,
    Consolidation,
    Decision,
    ExpertAssignment,
    ExpertItemGrade,
    ExpertProfile,
    ExpertReview,
    LookBack,
    Objection,
    PublicNotice,
    PublicNoticeEntry,
    Recognition,
    Reduction,
    ReductionEntry,
    ReviewRound,
)
from tests.factories import ExpertFactory, InstitutionFactory
from tests.workflows.helpers import recognise_all, submitted

SIZES = (2, 8)


@pytest.fixture
def recognised(world, experts):
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    return Recognition.objects.select_related("decision", "notice", "assessment").get()


def _n(model, **filters) -> int:
    return model.objects.filter(**filters).count()


def grow_tasks(w, e, r, n):
    from accreditation.services.assessments import assessment_open
    from tests.factories import FactsFactory, StaffFactory

    for _ in range(n):
        institution = InstitutionFactory(region=w.county_b)
        FactsFactory(institution=institution)
        staff = StaffFactory(institution=institution)
        assessment = assessment_open(
            actor=staff, cycle=w.cycle, institution=institution, target_level="basic"
        )
        submitted(assessment, staff)


def grow_experts(w, e, r, n):
    for _ in range(n):
        ExpertProfile.objects.create(user=ExpertFactory(), home_region=w.county_b)


def grow_panel(w, e, r, n):
    for _ in range(n):
        ExpertAssignment.objects.create(assessment=w.assessment_a, expert=ExpertFactory())


def grow_rounds(w, e, r, n):
    snapshot = AssessmentSnapshot.objects.filter(assessment=w.assessment_a).first()
    start = ReviewRound.objects.filter(assessment=w.assessment_a, stage="county").count()
    for i in range(start, start + n):
        ReviewRound.objects.create(
            assessment=w.assessment_a,
            stage="county",
            number=100 + i,
            snapshot=snapshot,
            outcome="returned",
            closed_by=w.reviewer_a,
        )


def grow_expert_grades(w, e, r, n):
    review = ExpertReview.objects.filter(assessment=w.assessment_a).first()
    start = _n(ExpertItemGrade, review=review)
    for i in range(start, start + n):
        ExpertItemGrade.objects.create(review=review, item_code=f"9.9.{i}", grade="B")


def grow_consolidation(w, e, r, n):
    consolidation = Consolidation.objects.filter(assessment=w.assessment_a).last()
    start = _n(ConsolidatedGrade, consolidation=consolidation)
    for i in range(start, start + n):
        ConsolidatedGrade.objects.create(
            consolidation=consolidation, item_code=f"9.9.{i}", position=100 + i, final_grade="A"
        )


def grow_decisions(w, e, r, n):
    result = AssessmentResult.objects.filter(assessment=w.assessment_a).first()
    for _ in range(n):
        Decision.objects.create(
            assessment=w.assessment_a,
            result=result,
            computed_level="basic",
            decided_level="basic",
            officer=w.officer_province if _ % 2 else w.officer_national,
            batch_id=r.decision.batch_id,
        )


def grow_notices(w, e, r, n):
    start = PublicNotice.objects.count()
    for i in range(start, start + n):
        notice = PublicNotice.objects.create(
            cycle=w.cycle,
            region=w.province,
            issuing_level="province",
            document_number=f"卫公示〔2026〕{100 + i}号",
            starts_on=dt.date(2026, 5, 1),
            ends_on=dt.date(2026, 5, 7),
            days=7,
            opened_by=w.officer_province,
        )
        PublicNoticeEntry.objects.create(
            notice=notice, assessment=w.assessment_a, decision=r.decision, level="basic"
        )


def grow_objections(w, e, r, n):
    entry = PublicNoticeEntry.objects.get(notice=r.notice)
    for _ in range(n):
        Objection.objects.create(
            entry=entry,
            notice=r.notice,
            content="异议",
            received_on=r.notice.starts_on,
            recorded_by=w.officer_province,
        )


def _recognitions(w, r, n) -> list[Recognition]:
    made = []
    for _ in range(n):
        institution = InstitutionFactory(region=w.county_a)
        made.append(
            Recognition.objects.create(
                institution=institution,
                cycle=w.cycle,
                assessment=r.assessment,
                decision=r.decision,
                level="basic",
                issuing_region=w.province,
                issuing_body="示范省卫生健康委员会",
                notice=r.notice,
                notice_document_number=r.notice_document_number,
                recognised_on=r.recognised_on,
                valid_until=r.valid_until,
            )
        )
    return made


def grow_recognitions(w, e, r, n):
    start = CertificateRecord.objects.count()
    for i, recognition in enumerate(_recognitions(w, r, n)):
        CertificateRecord.objects.create(
            recognition=recognition, number=f"JC-99-2026-J-{900 + start + i:05d}"
        )


def grow_lookbacks(w, e, r, n):
    for _ in range(n):
        LookBack.objects.create(
            recognition=r, outcome="confirm", reason="属实", recorded_by=w.officer_province
        )


def grow_checks(w, e, r, n):
    for i in range(n):
        check = ConsistencyCheck.objects.create(
            cycle=w.cycle,
            region=w.province,
            sample_share="1",
            seed=f"s{i}",
            population=1,
            created_by=w.officer_province,
        )
        ConsistencySample.objects.create(check_run=check, recognition=r, rescored_by=None)


def grow_reductions(w, e, r, n):
    for recognition in _recognitions(w, r, n):
        reduction = Reduction.objects.create(
            region=w.province, reason="核减", applied_by=w.officer_province
        )
        ReductionEntry.objects.create(reduction=reduction, recognition=recognition, action="revoke")


@dataclass(frozen=True)
class ListEndpoint:
    name: str
    who: str
    url: Callable[[Any, Any], str]
    grow: Callable[[Any, Any, Any, int], None]
    budget: int


def a(suffix: str) -> Callable[[Any, Any], str]:
    return lambda w, r: f"/api/v1/assessments/{w.assessment_a.pk}/{suffix}"


#: (name, who asks, url, how rows grow, query budget). Authentication is forced.
LISTS = [
    ListEndpoint("tasks", "reviewer_b", lambda w, r: "/api/v1/tasks/", grow_tasks, 2),
    ListEndpoint("experts", "officer_province", lambda w, r: "/api/v1/experts/", grow_experts, 2),
    ListEndpoint("panel", "officer_city", a("panel/"), grow_panel, 3),
    ListEndpoint("rounds", "staff_a", a("rounds/"), grow_rounds, 3),
    ListEndpoint("expert-grades", "officer_city", a("expert-grades/"), grow_expert_grades, 6),
    ListEndpoint(
        "consolidation-items", "officer_city", a("consolidation/items/"), grow_consolidation, 5
    ),
    ListEndpoint("decisions", "staff_a", a("decisions/"), grow_decisions, 3),
    ListEndpoint("notices", "staff_a", lambda w, r: "/api/v1/notices/", grow_notices, 3),
    ListEndpoint(
        "objections",
        "officer_province",
        lambda w, r: f"/api/v1/notices/{r.notice_id}/objections/",
        grow_objections,
        3,
    ),
    ListEndpoint(
        "recognitions", "officer_city", lambda w, r: "/api/v1/recognitions/", grow_recognitions, 3
    ),
    ListEndpoint(
        "certificates", "officer_city", lambda w, r: "/api/v1/certificates/", grow_recognitions, 2
    ),
    ListEndpoint(
        "look-backs",
        "staff_a",
        lambda w, r: f"/api/v1/recognitions/{r.pk}/look-backs/",
        grow_lookbacks,
        3,
    ),
    ListEndpoint("checks", "officer_province", lambda w, r: "/api/v1/checks/", grow_checks, 3),
    ListEndpoint(
        "reductions", "officer_province", lambda w, r: "/api/v1/reductions/", grow_reductions, 3
    ),
]


@pytest.mark.parametrize("endpoint", LISTS, ids=[e.name for e in LISTS])
def test_review_list_queries_stay_within_budget_at_two_sizes(
    world, experts, recognised, as_user, django_assert_max_num_queries, endpoint
):
    client = as_user(endpoint.who)
    counts = []
    for size in SIZES:
        endpoint.grow(world, experts, recognised, size)
        with django_assert_max_num_queries(endpoint.budget) as captured:
            response = client.get(endpoint.url(world, recognised))
        assert response.status_code == 200, response.content[:300]
        counts.append((len(captured), response.json()["count"]))
    assert counts[1][1] > counts[0][1] >= SIZES[0]
    assert counts[1][0] == counts[0][0]

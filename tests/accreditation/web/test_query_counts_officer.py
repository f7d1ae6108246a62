"""The officer's pages answer in a constant number of queries: the same budget holds
with few rows and with many. (The dashboard and the decision list have their own
tests.) States are reached through the services; rows are then added directly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import (
    AssessmentResult,
    CertificateRecord,
    ConsistencyCheck,
    ConsistencySample,
    Decision,
    ExpertProfile,
    Objection,
    PublicNoticeEntry,
    Recognition,
)
from accreditation.services.assessments import assessment_open
from accreditation.services.consolidation import consolidation_complete
from accreditation.services.decisions import decision_record
from accreditation.services.experts import expert_review_submit
from accreditation.services.panels import panel_assign
from accreditation.services.reviews import county_review_forward
from tests.accreditation.conftest import World
from tests.accreditation.web.officer_setup import checked, on_notice, recognised
from tests.api.test_query_counts_review import (
    _recognitions,
    grow_checks,
    grow_lookbacks,
    grow_notices,
    grow_recognitions,
)
from tests.factories import (
    CountyFactory,
    ExpertFactory,
    FactsFactory,
    InstitutionFactory,
    StaffFactory,
)
from tests.workflows.conftest import Experts, experts  # noqa: F401
from tests.workflows.helpers import at_expert_review, grade_all, submitted

pytestmark = pytest.mark.django_db

SIZES = (2, 6)


def _opened(w: World, county: Any = None):
    """An open assessment of a new institution (in county A unless told)."""
    institution = InstitutionFactory(region=county or w.county_a)
    FactsFactory(institution=institution)
    staff = StaffFactory(institution=institution)
    return assessment_open(
        actor=staff, cycle=w.cycle, institution=institution, target_level="basic"
    )


def grow_waiting_panels(w: World, e: Experts, seed: Any, n: int) -> None:
    """Assessments forwarded by county A's reviewer, waiting for a panel."""
    for _ in range(n):
        assessment = _opened(w)
        submitted(assessment, assessment.institution.staff.get())
        county_review_forward(actor=w.reviewer_a, assessment=assessment, comment="材料齐全")


def grow_pool(w: World, e: Experts, seed: Any, n: int) -> None:
    """Experts with profiles: employed far away, or at institution A (a conflict)."""
    for i in range(n):
        profile = ExpertProfile.objects.create(
            user=ExpertFactory(),
            home_region=e.employer.region,
            employer=w.institution_a if i % 2 else e.employer,
        )
        profile.declared_conflicts.add(w.institution_b)


def grow_notices_and_waiting(w: World, e: Experts, r: Recognition, n: int) -> None:
    """Notices issued, and assessments decided through the services that wait for one."""
    grow_notices(w, e, r, n)
    for _ in range(n):
        assessment = _opened(w)
        at_expert_review(w, assessment, assessment.institution.staff.get(), w.reviewer_a)
        panel_assign(actor=w.officer_province, assessment=assessment, lead=e.lead)
        grade_all(e.lead, assessment, "A")
        expert_review_submit(actor=e.lead, assessment=assessment)
        consolidation_complete(actor=e.lead, assessment=assessment)
        decision_record(actor=w.officer_province, assessment=assessment)


def grow_entries(w: World, e: Experts, notice: Any, n: int) -> None:
    """Entries of institutions decided like A (sharing its result), each objected to."""
    entry = PublicNoticeEntry.objects.filter(notice=notice).first()
    result = AssessmentResult.objects.filter(assessment=entry.assessment).first()
    for _ in range(n):
        assessment = _opened(w)
        decision = Decision.objects.create(
            assessment=assessment,
            result=result,
            computed_level="basic",
            decided_level="basic",
            officer=w.officer_province,
            batch_id=entry.decision.batch_id,
        )
        added = PublicNoticeEntry.objects.create(
            notice=notice, assessment=assessment, decision=decision, level="basic"
        )
        Objection.objects.create(
            entry=added,
            notice=notice,
            content="异议",
            received_on=notice.starts_on,
            recorded_by=w.officer_province,
        )


def grow_certificates(w: World, e: Experts, r: Recognition, n: int) -> None:
    """Reissued certificates of the recognition, and look-backs."""
    start = CertificateRecord.objects.filter(recognition=r).count()
    first = CertificateRecord.objects.filter(recognition=r).first()
    for i in range(start, start + n):
        CertificateRecord.objects.create(
            recognition=r, number=f"{first.number}-{i}", version=i + 1, status="superseded"
        )
    grow_lookbacks(w, e, r, n)


def grow_samples(w: World, e: Experts, check: ConsistencyCheck, n: int) -> None:
    r = ConsistencySample.objects.filter(check_run=check).first().recognition
    for recognition in _recognitions(w, r, n):
        ConsistencySample.objects.create(check_run=check, recognition=recognition)


def grow_city_counties(w: World, e: Experts, seed: Any, n: int) -> None:
    """Counties under the city, each with two open assessments."""
    for _ in range(n):
        county = CountyFactory(parent=w.city)
        _opened(w, county)
        _opened(w, county)


def _panel_seed(w: World, e: Experts) -> None:
    at_expert_review(w, w.assessment_a, w.staff_a, w.reviewer_a)


def _recognised_seed(w: World, e: Experts):
    return Recognition.objects.select_related("decision", "notice", "assessment").get(
        pk=recognised(w, e).pk
    )


@dataclass(frozen=True)
class Page:
    name: str
    who: str
    seed: Callable[[World, Experts], Any]
    url: Callable[[World, Any], str]
    grow: Callable[[World, Experts, Any, int], None]
    budget: int


PAGES = [
    Page(
        "panels",
        "officer_province",
        _panel_seed,
        lambda w, s: reverse("web:officer_panels"),
        grow_waiting_panels,
        4,
    ),
    Page(
        "panel",
        "officer_province",
        _panel_seed,
        lambda w, s: reverse("web:officer_panel", args=[w.assessment_a.pk]),
        grow_pool,
        10,
    ),
    Page(
        "notices",
        "officer_province",
        _recognised_seed,
        lambda w, s: reverse("web:officer_notices"),
        grow_notices_and_waiting,
        8,
    ),
    Page(
        "notice",
        "officer_province",
        on_notice,
        lambda w, s: reverse("web:officer_notice", args=[s.pk]),
        grow_entries,
        7,
    ),
    Page(
        "recognitions",
        "officer_province",
        _recognised_seed,
        lambda w, s: reverse("web:officer_recognitions"),
        grow_recognitions,
        7,
    ),
    Page(
        "recognition",
        "officer_province",
        _recognised_seed,
        lambda w, s: reverse("web:officer_recognition", args=[s.pk]),
        grow_certificates,
        6,
    ),
    Page(
        "checks",
        "officer_province",
        _recognised_seed,
        lambda w, s: reverse("web:officer_checks"),
        grow_checks,
        6,
    ),
    Page(
        "check",
        "officer_province",
        checked,
        lambda w, s: reverse("web:officer_check", args=[s.pk]),
        grow_samples,
        6,
    ),
    Page(
        "region",
        "officer_province",
        lambda w, e: None,
        lambda w, s: reverse("web:officer_region", args=[w.city.pk]),
        grow_city_counties,
        9,
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_officer_page_queries_stay_within_budget_at_two_sizes(
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

"""County reviewers' pages: the queue, one assessment, claim, forward and return."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import (
    Assessment,
    AssessmentReturn,
    AuditEvent,
    CountyReview,
    ExpertAssignment,
    ItemGrade,
)
from accreditation.services.submission import assessment_submit
from tests.accreditation.conftest import World
from tests.accreditation.helpers import complete
from tests.accreditation.web.sized import large_assessment
from tests.factories import CountyReviewerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(world: World) -> Assessment:
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    complete(world.assessment_b, world.staff_b)
    assessment_submit(actor=world.staff_b, assessment=world.assessment_b)
    return world.assessment_a


def _view(assessment: Assessment) -> str:
    return reverse("web:review_assessment", args=[assessment.pk])


def _decide(assessment: Assessment) -> str:
    return reverse("web:review_decide", args=[assessment.pk])


def _state() -> tuple:
    return (
        list(Assessment.objects.order_by("pk").values_list("pk", "status", "version")),
        CountyReview.objects.count(),
        AssessmentReturn.objects.count(),
        AuditEvent.objects.count(),
        list(ItemGrade.objects.order_by("pk").values_list("pk", "grade", "version")),
    )


def test_queue_lists_the_submitted_assessments_of_the_county(client, world: World, submitted):
    client.force_login(world.reviewer_a)
    body = client.get(reverse("web:review_queue")).content.decode()
    assert world.institution_a.name in body
    assert world.institution_b.name not in body
    assert _view(world.assessment_a) in body


def test_assessment_view_shows_self_grades_evidence_and_comment_fields(
    client, world: World, submitted
):
    client.force_login(world.reviewer_a)
    response = client.get(_view(submitted))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<article class="item') == 6
    assert "自评：" in body and "self-grade--B" in body
    assert "证明材料.pdf" in body
    assert 'name="item-1.1.1"' in body
    assert 'value="forward"' in body and 'value="return"' in body
    assert "开始审核" in body


def test_claim_takes_the_review(client, world: World, submitted):
    client.force_login(world.reviewer_a)
    response = client.post(reverse("web:review_claim", args=[submitted.pk]))
    assert response.status_code == 302
    assert Assessment.objects.get(pk=submitted.pk).status == "county_review"


def test_forward_with_item_comments(client, world: World, submitted):
    client.force_login(world.reviewer_a)
    response = client.post(
        _decide(submitted),
        {"action": "forward", "comment": "材料齐全", "item-1.1.1": "制度完备", "item-1.1.2": " "},
    )
    assert response.status_code == 302
    assert response.url == reverse("web:review_queue")
    assert Assessment.objects.get(pk=submitted.pk).status == "expert_review"
    review = CountyReview.objects.get(assessment=submitted)
    assert (review.decision, review.comment, review.item_comments) == (
        "forwarded",
        "材料齐全",
        {"1.1.1": "制度完备"},
    )


def test_return_without_a_reason_keeps_everything_typed_and_changes_nothing(
    client, world: World, submitted
):
    client.force_login(world.reviewer_a)
    before = _state()
    response = client.post(
        _decide(submitted), {"action": "return", "comment": "", "item-1.1.3": "请补充床位文件"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "请说明退回原因" in body
    assert "请补充床位文件" in body
    assert _state() == before


def test_return_with_comments_reaches_the_institutions_checklist(client, world: World, submitted):
    client.force_login(world.reviewer_a)
    response = client.post(
        _decide(submitted),
        {"action": "return", "comment": "佐证材料不全", "item-1.1.3": "请补充床位核定文件"},
    )
    assert response.status_code == 302
    assert Assessment.objects.get(pk=submitted.pk).status == "returned"
    client.force_login(world.staff_a)
    body = client.get(reverse("web:checklist", args=[submitted.pk])).content.decode()
    assert "请补充床位核定文件" in body and "佐证材料不全" in body


def test_deciding_twice_is_refused_with_the_page_and_changes_nothing(
    client, world: World, submitted
):
    client.force_login(world.reviewer_a)
    client.post(_decide(submitted), {"action": "forward"})
    before = _state()
    response = client.post(_decide(submitted), {"action": "forward"})
    assert response.status_code == 409
    assert _state() == before


def test_an_unknown_action_is_refused(client, world: World, submitted):
    client.force_login(world.reviewer_a)
    before = _state()
    assert client.post(_decide(submitted), {"action": "approve"}).status_code == 400
    assert _state() == before


# --- permissions -----------------------------------------------------------------------


ENDPOINTS = {
    "queue": ("get", lambda a: reverse("web:review_queue"), {}, 200),
    "view": ("get", _view, {}, 200),
    "claim": ("post", lambda a: reverse("web:review_claim", args=[a.pk]), {}, 302),
    "decide": ("post", _decide, {"action": "forward"}, 302),
}


def _call(client, name: str, assessment: Assessment):
    method, url, data, _ok = ENDPOINTS[name]
    return getattr(client, method)(url(assessment), data)


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_anonymous_visitors_are_sent_to_login(client, submitted, name):
    before = _state()
    response = _call(client, name, submitted)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert _state() == before


@pytest.mark.parametrize("name", ["view", "claim", "decide"])
def test_a_reviewer_of_another_county_gets_404(client, world: World, submitted, name):
    client.force_login(world.reviewer_b)
    before = _state()
    assert _call(client, name, submitted).status_code == 404
    assert _state() == before


@pytest.mark.parametrize(
    "role", ["staff_a", "officer_city", "officer_national", "expert", "administrator"]
)
@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_other_roles_get_403(client, world: World, submitted, name, role):
    ExpertAssignment.objects.create(assessment=submitted, expert=world.expert)
    client.force_login(getattr(world, role))
    before = _state()
    assert _call(client, name, submitted).status_code == 403
    assert _state() == before


@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_the_county_reviewer_is_served(client, world: World, submitted, name):
    client.force_login(world.reviewer_a)
    assert _call(client, name, submitted).status_code == ENDPOINTS[name][3]


def test_the_review_page_runs_in_constant_queries(client, django_assert_max_num_queries):
    counts = []
    for size, year in ((10, 2030), (100, 2031)):
        assessment, _staff = large_assessment(size, year)
        ItemGrade.objects.filter(assessment=assessment).update(grade="C")
        client.force_login(CountyReviewerFactory(region=assessment.institution.region))
        with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as queries:
            response = client.get(_view(assessment))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

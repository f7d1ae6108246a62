"""Experts' pages: tasks, the scoring page with autosave, submission, and the lead's
consolidation with the disagreements first."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from accreditation.models import (
    Assessment,
    AuditEvent,
    ConsolidatedGrade,
    Consolidation,
    EvidenceAttachment,
    ExpertItemGrade,
    ExpertReview,
)
from accreditation.services.experts import expert_review_submit
from accreditation.services.panels import panel_assign
from tests.accreditation.conftest import World
from tests.workflows.conftest import Experts, experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import CODES, at_expert_review, grade_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(world: World, experts: Experts) -> Assessment:  # noqa: F811
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province,
        assessment=world.assessment_a,
        lead=experts.lead,
        members=[experts.member],
    )
    return world.assessment_a


def _save(client, assessment: Assessment, code: str, body: dict):
    url = reverse("web:expert_grade_save", args=[assessment.pk, code])
    return client.post(url, json.dumps(body), content_type="application/json")


def _state() -> tuple:
    return (
        list(Assessment.objects.order_by("pk").values_list("pk", "status", "version")),
        list(
            ExpertItemGrade.objects.order_by("pk").values_list("pk", "grade", "finding", "version")
        ),
        list(ExpertReview.objects.order_by("pk").values_list("pk", "submitted_at")),
        list(ConsolidatedGrade.objects.order_by("pk").values_list("pk", "final_grade", "reason")),
        AuditEvent.objects.count(),
    )


def test_tasks_list_the_grading_step(client, panel, experts):  # noqa: F811
    client.force_login(experts.lead)
    body = client.get(reverse("web:expert_tasks")).content.decode()
    assert panel.institution.name in body
    assert reverse("web:expert_scoring", args=[panel.pk]) in body


def test_home_routes_experts_to_their_tasks(client, experts):  # noqa: F811
    client.force_login(experts.lead)
    assert client.get("/").url == reverse("web:expert_tasks")


def test_scoring_page_shows_criteria_self_grade_and_evidence_beside_own_fields(
    client,
    panel,
    experts,  # noqa: F811
):
    client.force_login(experts.member)
    response = client.get(reverse("web:expert_scoring", args=[panel.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('<article class="item') == 6
    assert "C级要求" in body
    assert "self-grade--A" in body
    assert 'data-field="evidence_checked"' in body
    assert 'data-field="finding"' in body and 'data-field="onsite_note"' in body
    assert 'data-require-grade="1"' in body


def test_grade_save_stores_grade_finding_and_checked_evidence(client, panel, experts):  # noqa: F811
    attachment = EvidenceAttachment.objects.filter(assessment=panel, item_code="1.1.1").first()
    client.force_login(experts.member)
    response = _save(
        client,
        panel,
        "1.1.1",
        {
            "grade": "A",
            "finding": "制度齐全",
            "onsite_note": "现场查看",
            "evidence_checked": [attachment.pk],
            "version": 1,
        },
    )
    assert response.status_code == 200
    item = response.json()["item"]
    assert (item["grade"], item["version"], item["evidence_checked"]) == ("A", 2, [attachment.pk])
    row = ExpertItemGrade.objects.get(review__expert=experts.member, item_code="1.1.1")
    assert (row.grade, row.finding, row.onsite_note) == ("A", "制度齐全", "现场查看")


def test_grade_save_with_a_stale_version_is_a_conflict(client, panel, experts):  # noqa: F811
    client.force_login(experts.member)
    _save(client, panel, "1.1.1", {"grade": "A", "version": 1})
    before = _state()
    response = _save(client, panel, "1.1.1", {"grade": "C", "version": 1})
    assert response.status_code == 409
    assert response.json()["error"]["details"]["current"]["grade"] == "A"
    assert _state() == before


@pytest.mark.parametrize(
    "body",
    [
        {"grade": "", "version": 1},
        {"grade": "X", "version": 1},
        {"grade": "A", "version": "x"},
        {"grade": "A", "evidence_checked": [999999], "version": 1},
    ],
)
def test_grade_save_refuses_invalid_input(client, panel, experts, body):  # noqa: F811
    client.force_login(experts.member)
    response = _save(client, panel, "1.1.1", body)
    assert response.status_code == 400
    assert not ExpertItemGrade.objects.filter(grade__in=["A", "X"]).exists()


def test_submit_lists_every_ungraded_item_then_submits(client, panel, experts):  # noqa: F811
    client.force_login(experts.member)
    _save(client, panel, "1.1.1", {"grade": "A", "version": 1})
    response = client.post(reverse("web:expert_submit", args=[panel.pk]))
    assert response.status_code == 422
    body = response.content.decode()
    assert body.count('class="problem ') == 5
    assert reverse("web:expert_scoring", args=[panel.pk]) + "#item-1.1.2" in body
    grade_all(experts.member, panel, dict.fromkeys(CODES[1:], "B"))
    response = client.post(reverse("web:expert_submit", args=[panel.pk]))
    assert response.status_code == 302
    assert ExpertReview.objects.get(expert=experts.member).submitted_at is not None
    # Read-only now.
    body = client.get(reverse("web:expert_scoring", args=[panel.pk])).content.decode()
    assert 'data-editable="0"' in body


@pytest.fixture
def consolidating(panel, experts) -> Assessment:  # noqa: F811
    grade_all(experts.lead, panel, "A")
    grade_all(experts.member, panel, {**dict.fromkeys(CODES, "A"), "1.1.2": "C"})
    for expert in (experts.lead, experts.member):
        expert_review_submit(actor=expert, assessment=panel)
    return panel


def test_other_experts_grades_show_after_submitting(client, consolidating, experts):  # noqa: F811
    client.force_login(experts.lead)
    body = client.get(reverse("web:expert_scoring", args=[consolidating.pk])).content.decode()
    assert "member" in body


def test_consolidation_lists_disagreements_first(client, consolidating, experts):  # noqa: F811
    client.force_login(experts.lead)
    response = client.get(reverse("web:expert_consolidation", args=[consolidating.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    rows = [chunk.split('"', 1)[0] for chunk in body.split('id="row-')[1:]]
    disagreements = set(
        ConsolidatedGrade.objects.filter(disagreement=True).values_list("item_code", flat=True)
    )
    assert set(rows[: len(disagreements)]) == disagreements
    assert "consolidation__disagree" in body


def test_consolidation_refuses_a_departure_without_reason_keeping_what_was_typed(
    client,
    consolidating,
    experts,  # noqa: F811
):
    client.force_login(experts.lead)
    before = _state()
    response = client.post(
        reverse("web:expert_consolidation", args=[consolidating.pk]),
        {"final-1.1.1": "C", "reason-1.1.1": "", "final-2.1.1": "B", "reason-2.1.1": "现场抽查"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "consolidation__error" in body
    assert "现场抽查" in body
    row = ConsolidatedGrade.objects.get(item_code="1.1.1")
    assert row.final_grade == "A"
    assert ConsolidatedGrade.objects.get(item_code="2.1.1").final_grade == "B"  # saved
    assert _state()[0] == before[0]


def test_consolidation_completes(client, consolidating, experts):  # noqa: F811
    client.force_login(experts.lead)
    data = {}
    for row in ConsolidatedGrade.objects.all():
        data[f"final-{row.item_code}"] = row.final_grade or "A"
        data[f"reason-{row.item_code}"] = "" if row.majority_grade else "组长裁定"
    data["complete"] = "1"
    response = client.post(reverse("web:expert_consolidation", args=[consolidating.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Consolidation.objects.get(assessment=consolidating).status == "completed"


def test_a_member_cannot_consolidate(client, consolidating, experts):  # noqa: F811
    client.force_login(experts.member)
    body = client.get(reverse("web:expert_consolidation", args=[consolidating.pk])).content.decode()
    assert "<select" in body and "disabled" in body
    before = _state()
    response = client.post(
        reverse("web:expert_consolidation", args=[consolidating.pk]),
        {"final-1.1.1": "C", "reason-1.1.1": "x"},
    )
    assert response.status_code == 403
    assert _state() == before


# --- permissions -----------------------------------------------------------------------


def _endpoints(assessment: Assessment) -> dict:
    return {
        "tasks": ("get", reverse("web:expert_tasks"), None, False),
        "scoring": ("get", reverse("web:expert_scoring", args=[assessment.pk]), None, False),
        "summary": (
            "get",
            reverse("web:expert_scoring_summary", args=[assessment.pk]),
            None,
            True,
        ),
        "save": (
            "json",
            reverse("web:expert_grade_save", args=[assessment.pk, "1.1.1"]),
            {"grade": "A", "version": 1},
            True,
        ),
        "submit": ("post", reverse("web:expert_submit", args=[assessment.pk]), {}, False),
        "consolidation": (
            "get",
            reverse("web:expert_consolidation", args=[assessment.pk]),
            None,
            False,
        ),
    }


NAMES = ["tasks", "scoring", "summary", "save", "submit", "consolidation"]


def _call(client, endpoint):
    method, url, data, _json = endpoint
    if method == "json":
        return client.post(url, json.dumps(data), content_type="application/json")
    return getattr(client, method)(url, data or {})


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_visitors_are_refused(client, panel, name):
    endpoint = _endpoints(panel)[name]
    before = _state()
    response = _call(client, endpoint)
    if endpoint[3]:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert _state() == before


@pytest.mark.parametrize("name", [n for n in NAMES if n != "tasks"])
def test_an_expert_not_on_the_panel_gets_404(client, panel, experts, name):  # noqa: F811
    client.force_login(experts.third)
    before = _state()
    assert _call(client, _endpoints(panel)[name]).status_code == 404
    assert _state() == before


@pytest.mark.parametrize(
    "role", ["staff_a", "reviewer_a", "officer_province", "officer_national", "administrator"]
)
@pytest.mark.parametrize("name", NAMES)
def test_other_roles_get_403(client, world: World, panel, name, role):
    client.force_login(getattr(world, role))
    before = _state()
    assert _call(client, _endpoints(panel)[name]).status_code == 403
    assert _state() == before


@pytest.mark.parametrize("name", NAMES)
def test_a_panel_expert_is_served(client, panel, experts, name):  # noqa: F811
    client.force_login(experts.member)
    response = _call(client, _endpoints(panel)[name])
    assert response.status_code == {"submit": 422}.get(name, 200)

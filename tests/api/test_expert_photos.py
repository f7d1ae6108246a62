"""On-site photos as evidence of an expert's finding: uploaded by the assigned expert
while grading (type from the content, size limited, hashed, stored once), refused
clearly otherwise, and visible by the expert-grade rule (the lead at consolidation)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accreditation.models import AuditEvent, Evidence, ExpertPhoto
from accreditation.services.experts import expert_review_submit
from accreditation.services.panels import panel_assign
from tests import files
from tests.workflows.helpers import at_expert_review, grade_all

ITEM = "1.1.1"


@pytest.fixture
def panel(world, experts):
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    panel_assign(
        actor=world.officer_province,
        assessment=world.assessment_a,
        lead=experts.lead,
        members=[experts.member],
    )
    return world.assessment_a


@pytest.fixture
def stored(panel) -> int:
    """Evidence files stored before the test (the institution's own)."""
    return Evidence.objects.count()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(assessment, item=ITEM) -> str:
    return f"/api/v1/assessments/{assessment.pk}/expert-grades/{item}/photos/"


def send(client, assessment, content, name="photo.jpg", item=ITEM, **extra):
    return client.post(
        url(assessment, item), {"file": files.upload(content, name), **extra}, format="multipart"
    )


def test_the_assigned_expert_adds_a_photo_to_their_grade(panel, experts):
    lead = client_for(experts.lead)
    response = send(lead, panel, files.JPG, caption=" 药房温度记录缺失 ")
    assert response.status_code == 201, response.content
    body = response.json()
    photo = ExpertPhoto.objects.select_related("evidence").get()
    assert body["item_code"] == ITEM and body["caption"] == "药房温度记录缺失"
    assert body["content_type"] == "image/jpeg" and body["size"] == len(files.JPG)
    assert body["sha256"] == photo.evidence.sha256 and body["taken_by"] == "lead"
    assert photo.grade.review.expert == experts.lead
    audit = AuditEvent.objects.get(action="expert_photo.add")
    assert audit.actor == experts.lead and audit.after["sha256"] == photo.evidence.sha256
    listed = lead.get(url(panel)).json()["results"]
    assert [p["id"] for p in listed] == [photo.pk]
    download = lead.get(body["url"])
    assert download.status_code == 200 and download["Content-Type"] == "image/jpeg"
    assert b"".join(download.streaming_content) == files.JPG


def test_the_same_photo_again_is_not_added_twice(panel, experts, stored):
    lead = client_for(experts.lead)
    first = send(lead, panel, files.PNG, name="a.png")
    again = send(lead, panel, files.PNG, name="retry.png")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert ExpertPhoto.objects.count() == 1 == Evidence.objects.count() - stored
    assert AuditEvent.objects.filter(action="expert_photo.add").count() == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (files.PDF, "unsupported_type"),
        (files.HTML, "unsupported_type"),
        (files.EXE, "unsupported_type"),
        (b"", "empty"),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(
    panel, experts, stored, content, reason
):
    response = send(client_for(experts.lead), panel, content, name="photo.jpg")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "evidence_rejected" and error["details"]["reason"] == reason
    assert error["message"]
    assert not ExpertPhoto.objects.exists() and Evidence.objects.count() == stored
    assert not AuditEvent.objects.filter(action="expert_photo.add").exists()


def test_an_oversized_photo_is_refused_with_the_limit(panel, experts, stored, settings):
    settings.ACCREDITATION = {**settings.ACCREDITATION, "PHOTO_MAX_BYTES": len(files.JPG) - 1}
    response = send(client_for(experts.lead), panel, files.JPG)
    assert response.status_code == 400
    details = response.json()["error"]["details"]
    assert details == {"reason": "too_large", "limit": len(files.JPG) - 1}
    assert Evidence.objects.count() == stored


def test_a_caption_too_long_is_a_field_error(panel, experts, stored):
    response = send(client_for(experts.lead), panel, files.JPG, caption="注" * 201)
    assert response.status_code == 400
    assert "caption" in response.json()["error"]["fields"]
    assert Evidence.objects.count() == stored


def test_only_the_panel_while_grading_may_add_photos(panel, world, experts, stored):
    for user in (world.staff_a, world.reviewer_a, world.officer_province, experts.third):
        response = send(client_for(user), panel, files.JPG)
        assert response.status_code in (403, 404), (user.username, response.status_code)
    unknown = send(client_for(experts.lead), panel, files.JPG, item="9.9.9")
    assert unknown.status_code == 400 and "item_code" in unknown.json()["error"]["fields"]
    grade_all(experts.lead, panel)
    expert_review_submit(actor=experts.lead, assessment=panel)
    late = send(client_for(experts.lead), panel, files.JPG)
    # Submitted: the expert's grading step is closed.
    assert late.status_code == 409 and late.json()["error"]["code"] == "wrong_step"
    assert not ExpertPhoto.objects.exists() and Evidence.objects.count() == stored


def test_photos_follow_the_expert_grade_rule_and_reach_the_lead(panel, world, experts):
    lead, member = client_for(experts.lead), client_for(experts.member)
    mine = send(member, panel, files.PNG, name="m.png").json()
    send(lead, panel, files.JPG)
    listing = f"/api/v1/assessments/{panel.pk}/expert-photos/"
    # Before the lead submits, the member's photo is hidden from the lead like the grade.
    assert [p["taken_by"] for p in lead.get(listing).json()["results"]] == ["lead"]
    assert lead.get(mine["url"]).status_code == 404
    for expert in (experts.lead, experts.member):
        grade_all(expert, panel)
        expert_review_submit(actor=expert, assessment=panel)
    seen = lead.get(listing + f"?item_code={ITEM}").json()["results"]
    assert sorted(p["taken_by"] for p in seen) == ["lead", "member"]
    assert lead.get(mine["url"]).status_code == 200
    officer = client_for(world.officer_province).get(listing).json()["results"]
    assert len(officer) == 2
    assert client_for(world.staff_a).get(listing).status_code in (403, 404)


@pytest.mark.parametrize("count", [1, 6])
def test_the_photo_list_is_a_constant_number_of_queries(
    panel, experts, count, django_assert_max_num_queries
):
    lead = client_for(experts.lead)
    for n in range(count):
        assert send(lead, panel, files.JPG + bytes([n])).status_code == 201
    with django_assert_max_num_queries(9):
        response = lead.get(f"/api/v1/assessments/{panel.pk}/expert-photos/")
    assert len(response.json()["results"]) == count

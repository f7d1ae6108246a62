"""The offline app's views: the web manifest, the service worker (root scope, never
HTTP-cached) and the offline bundle (experts only, their own assignments only), with
the bundle's query budget at two sizes."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import User
from accreditation.services.assessments import assessment_open
from tests.accreditation.conftest import World
from tests.factories import ExpertAssignmentFactory, InstitutionFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_manifest_is_a_web_app_manifest_scoped_to_the_site(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/expert/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["icons"][0]["src"].endswith("accreditation/favicon.svg")


def test_manifest_name_is_chinese_by_default(client):
    data = json.loads(client.get("/manifest.webmanifest").content)
    assert data["short_name"] == "现场评审"


def test_service_worker_is_served_from_the_root_with_its_scope_and_no_http_cache(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'var CACHE = "accreditation-offline-v1";' in body
    assert '"/static/accreditation/checklist.js", ' in body
    assert '"/static/accreditation/offline.js"' in body
    assert 'addEventListener("fetch"' in body


def test_service_worker_refuses_writes(client):
    assert client.post("/sw.js").status_code == 405


def _bundle(client):
    return client.get(reverse("web:expert_offline_bundle"), HTTP_ACCEPT="application/json")


def test_bundle_lists_the_scoring_pages_of_the_experts_assignments_only(
    client, world: World, assigned_expert: User
):
    client.force_login(assigned_expert)
    response = _bundle(client)
    assert response.status_code == 200
    data = json.loads(response.content)
    b = world.assessment_b.pk
    assert data["pages"] == [
        "/expert/",
        f"/expert/assessments/{b}/",
        f"/expert/assessments/{b}/summary/",
    ]
    assert data["cache"] == "accreditation-offline-v1"
    assert "/static/accreditation/offline.js" in data["static"]


def test_bundle_is_empty_for_an_expert_without_assignments(client, world: World):
    client.force_login(world.expert)
    assert json.loads(_bundle(client).content)["pages"] == ["/expert/"]


def test_bundle_needs_a_sign_in(client, world: World):
    response = _bundle(client)
    assert response.status_code == 401
    assert json.loads(response.content)["error"]["code"] == "login_required"


@pytest.mark.parametrize("who", ["staff_a", "reviewer_a", "officer_province", "administrator"])
def test_bundle_is_refused_to_other_roles(client, world: World, who: str):
    client.force_login(getattr(world, who))
    response = _bundle(client)
    assert response.status_code == 403
    assert json.loads(response.content)["error"]["code"] == "permission_denied"


def test_bundle_is_not_given_to_an_unassigned_expert_for_the_scoring_page(client, world: World):
    """What the bundle would list, the expert could not fetch: the scoring page of an
    assessment they are not assigned to is refused."""
    client.force_login(world.expert)
    page = client.get(reverse("web:expert_scoring", args=[world.assessment_a.pk]))
    assert page.status_code in (403, 404)


def _assign(world: World, expert: User, count: int) -> None:
    for n in range(count):
        institution = InstitutionFactory(name=f"卫生院{n}", region=world.county_a)
        staff = StaffFactory(institution=institution)
        assessment = assessment_open(
            actor=staff, cycle=world.cycle, institution=institution, target_level="basic"
        )
        ExpertAssignmentFactory(assessment=assessment, expert=expert)


def test_bundle_queries_are_constant_in_the_number_of_assignments(client, world: World):
    expert = world.expert
    client.force_login(expert)
    counts = []
    for added in (1, 8):  # one assignment, then nine
        _assign(world, expert, added)
        with CaptureQueriesContext(connection) as queries:
            response = _bundle(client)
        assert response.status_code == 200
        counts.append(len(queries))
    assert len(json.loads(response.content)["pages"]) == 1 + 2 * 9
    # The session with its user, then the assignments: constant in the assignments.
    assert counts == [2, 2]

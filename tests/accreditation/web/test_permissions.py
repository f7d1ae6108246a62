"""Every page and endpoint against anonymous visitors, other institutions, wrong roles
and the right role; a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accreditation.models import (
    Assessment,
    AuditEvent,
    EvidenceAttachment,
    ExpertAssignment,
    ItemGrade,
)
from accreditation.services.evidence import evidence_upload
from tests import files
from tests.accreditation.conftest import World
from tests.files import upload

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable[[World, int], str]
    json: bool = False
    data: Callable[[World], dict] | None = None
    #: Status for the right role.
    ok: int = 200


def _attachment(world: World) -> int:
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "a.pdf"),
    )
    return attachment.pk


STAFF_ENDPOINTS = [
    Endpoint("institution_home", "get", lambda w, att: reverse("web:institution_home")),
    Endpoint(
        "assessment_open",
        "post",
        lambda w, att: reverse("web:assessment_open", args=[w.cycle.pk]),
        data=lambda w: {"target_level": "basic"},
        ok=302,
    ),
    Endpoint("checklist", "get", lambda w, att: reverse("web:checklist", args=[w.assessment_a.pk])),
    Endpoint(
        "checklist_summary",
        "get",
        lambda w, att: reverse("web:checklist_summary", args=[w.assessment_a.pk]),
        json=True,
    ),
    Endpoint(
        "item_last_save",
        "get",
        lambda w, att: reverse("web:item_last_save", args=[w.assessment_a.pk, "1.1.2"]),
        json=True,
    ),
    Endpoint(
        "evidence_upload",
        "post",
        lambda w, att: reverse("web:evidence_upload", args=[w.assessment_a.pk]),
        json=True,
        data=lambda w: {"item": "1.1.2", "file": upload(files.PNG, "b.png")},
    ),
    Endpoint(
        "evidence_detach",
        "post",
        lambda w, att: reverse("web:evidence_detach", args=[w.assessment_a.pk, att]),
        json=True,
    ),
    Endpoint(
        "target_level",
        "post",
        lambda w, att: reverse("web:target_level", args=[w.assessment_a.pk]),
        data=lambda w: {"target_level": "recommended", "version": w.assessment_a.version},
        ok=302,
    ),
    Endpoint(
        "submit",
        "post",
        lambda w, att: reverse("web:submit", args=[w.assessment_a.pk]),
        ok=422,  # incomplete: the problems page
    ),
]
BY_NAME = {e.name: e for e in STAFF_ENDPOINTS}
#: Endpoints about one assessment (the others have no object of another institution).
OBJECT_ENDPOINTS = [e.name for e in STAFF_ENDPOINTS if e.name != "institution_home"]


def _state() -> tuple:
    return (
        list(
            ItemGrade.objects.order_by("pk").values_list(
                "pk", "grade", "note", "metric_value", "version"
            )
        ),
        list(
            Assessment.objects.order_by("pk").values_list("pk", "status", "version", "target_level")
        ),
        list(EvidenceAttachment.objects.order_by("pk").values_list("pk", "item_code")),
        AuditEvent.objects.count(),
    )


def _call(client, endpoint: Endpoint, world: World, attachment: int):
    url = endpoint.url(world, attachment)
    data = endpoint.data(world) if endpoint.data else {}
    if endpoint.method == "get":
        return client.get(url)
    return client.post(url, data)


@pytest.mark.parametrize("name", list(BY_NAME))
def test_anonymous_visitors_are_sent_to_login_and_change_nothing(client, world: World, name):
    endpoint = BY_NAME[name]
    attachment = _attachment(world)
    before = _state()
    response = _call(client, endpoint, world, attachment)
    if endpoint.json:
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "login_required"
    else:
        assert response.status_code == 302
        assert response.url.startswith(LOGIN + "?next=")
    assert _state() == before


@pytest.mark.parametrize("name", OBJECT_ENDPOINTS)
def test_another_institution_gets_404_and_changes_nothing(client, world: World, name):
    endpoint = BY_NAME[name]
    attachment = _attachment(world)
    if name == "assessment_open":  # a cycle of another province
        from tests.factories import ProvinceFactory, make_cycle

        other = make_cycle(province=ProvinceFactory(code="980000"), year=2027)
        endpoint = Endpoint(
            name,
            "post",
            lambda w, att: reverse("web:assessment_open", args=[other.pk]),
            data=lambda w: {"target_level": "basic"},
        )
    client.force_login(world.staff_b)
    before = _state()
    response = _call(client, endpoint, world, attachment)
    assert response.status_code == 404
    if endpoint.json:
        assert response.json()["error"]["code"] == "not_found"
    assert _state() == before


@pytest.mark.parametrize(
    "role", ["reviewer_a", "officer_city", "officer_national", "expert", "administrator"]
)
@pytest.mark.parametrize("name", list(BY_NAME))
def test_other_roles_get_403_and_change_nothing(client, world: World, name, role):
    endpoint = BY_NAME[name]
    attachment = _attachment(world)
    ExpertAssignment.objects.create(assessment=world.assessment_a, expert=world.expert)
    client.force_login(getattr(world, role))
    before = _state()
    response = _call(client, endpoint, world, attachment)
    assert response.status_code == 403
    if endpoint.json:
        assert response.json()["error"]["code"] == "permission_denied"
    assert _state() == before


def test_a_user_without_a_role_gets_403(client, world: World):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("web:institution_home")).status_code == 403
    assert client.get(reverse("web:checklist", args=[world.assessment_a.pk])).status_code == 403


def test_an_inactive_staff_member_cannot_use_the_pages(client, world: World):
    world.staff_a.is_active = False
    world.staff_a.save()
    client.force_login(world.staff_a)
    response = client.get(reverse("web:checklist", args=[world.assessment_a.pk]))
    assert response.status_code in (302, 403)


@pytest.mark.parametrize("name", list(BY_NAME))
def test_the_right_role_is_served(client, world: World, name):
    endpoint = BY_NAME[name]
    attachment = _attachment(world)
    client.force_login(world.staff_a)
    response = _call(client, endpoint, world, attachment)
    assert response.status_code == endpoint.ok, response.content[:300]


# Evidence downloads: everyone who may see the assessment.


def _download(world: World, attachment: int) -> str:
    return reverse("web:evidence_download", args=[world.assessment_a.pk, attachment])


def test_download_sends_anonymous_visitors_to_login(client, world: World):
    response = client.get(_download(world, _attachment(world)))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("role", ["staff_b", "reviewer_b", "officer_other_city", "expert"])
def test_download_is_404_outside_the_users_scope(client, world: World, role):
    attachment = _attachment(world)
    client.force_login(getattr(world, role))
    assert client.get(_download(world, attachment)).status_code == 404


def test_download_is_404_through_another_assessment(client, world: World):
    attachment = _attachment(world)
    client.force_login(world.administrator)
    url = reverse("web:evidence_download", args=[world.assessment_b.pk, attachment])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "role",
    ["staff_a", "staff_a2", "reviewer_a", "officer_city", "officer_province", "administrator"],
)
def test_download_is_served_within_scope(client, world: World, role):
    attachment = _attachment(world)
    client.force_login(getattr(world, role))
    assert client.get(_download(world, attachment)).status_code == 200


def test_an_assigned_expert_may_download(client, world: World):
    attachment = _attachment(world)
    ExpertAssignment.objects.create(assessment=world.assessment_a, expert=world.expert)
    client.force_login(world.expert)
    assert client.get(_download(world, attachment)).status_code == 200


# Public pages need no sign-in.


def test_verification_pages_are_public(client, db):
    assert client.get(reverse("web:verify")).status_code == 200
    assert client.get(reverse("web:verify_code", args=["7K2QM9XD0C4VTR8A"])).status_code == 404

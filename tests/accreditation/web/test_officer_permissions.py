"""Every officer page against anonymous visitors, other roles, an officer of another
region and the right officer; a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import PublicNotice
from tests.accreditation.conftest import World
from tests.accreditation.web.officer_setup import on_notice, with_objection
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import state

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    url: Callable[[World, PublicNotice | None], str]
    data: Callable[[World], dict] | None = None
    #: Whether the page is about an object (a notice) that needs the review flow.
    notice: bool = False
    #: Status for the right officer.
    ok: int = 200
    #: Whether the page names an object outside another officer's region.
    scoped: bool = True


def _objection(notice: PublicNotice) -> int:
    return notice.objections.get().pk


PAGES = [
    Page("dashboard", "get", lambda w, n: reverse("web:officer_dashboard"), scoped=False),
    Page("region", "get", lambda w, n: reverse("web:officer_region", args=[w.city.pk])),
    Page("panels", "get", lambda w, n: reverse("web:officer_panels"), scoped=False),
    Page("panel", "get", lambda w, n: reverse("web:officer_panel", args=[w.assessment_a.pk])),
    Page(
        "panel_post",
        "post",
        lambda w, n: reverse("web:officer_panel", args=[w.assessment_a.pk]),
        data=lambda w: {"lead": w.expert.pk},
    ),
    Page("decisions", "get", lambda w, n: reverse("web:officer_decisions"), scoped=False),
    Page(
        "decisions_take",
        "post",
        lambda w, n: reverse("web:officer_decisions_take"),
        data=lambda w: {"one": w.assessment_a.pk},
        ok=302,
    ),
    Page("notices", "get", lambda w, n: reverse("web:officer_notices"), scoped=False),
    Page(
        "notice_open",
        "post",
        lambda w, n: reverse("web:officer_notice_open"),
        data=lambda w: {
            "cycle": w.cycle.pk,
            "region": w.province.pk,
            "assessments": [w.assessment_a.pk],
            f"g{w.cycle.pk}-{w.province.pk}-starts_on": timezone.localdate().isoformat(),
            f"g{w.cycle.pk}-{w.province.pk}-document_number": "卫公示〔2026〕9号",
        },
        ok=302,
    ),
    Page("notice", "get", lambda w, n: reverse("web:officer_notice", args=[n.pk]), notice=True),
    Page(
        "objection_add",
        "post",
        lambda w, n: reverse("web:officer_objection_add", args=[n.pk]),
        data=lambda w: {"assessment": w.assessment_a.pk, "content": "另一条意见"},
        notice=True,
        ok=302,
    ),
    Page(
        "objection_resolve",
        "post",
        lambda w, n: reverse("web:officer_objection_resolve", args=[n.pk, _objection(n)]),
        data=lambda w: {"o-outcome": "dismissed", "o-reason": "查无实据"},
        notice=True,
        ok=302,
    ),
    Page(
        "notice_close",
        "post",
        lambda w, n: reverse("web:officer_notice_close", args=[n.pk]),
        notice=True,
        ok=302,
    ),
]
BY_NAME = {p.name: p for p in PAGES}


def _setup(world: World, experts, page: Page) -> PublicNotice | None:  # noqa: F811
    if not page.notice:
        return None
    notice = on_notice(world, experts)
    with_objection(world, notice)
    return notice


def _call(client, page: Page, world: World, notice: PublicNotice | None):
    url = page.url(world, notice)
    data = page.data(world) if page.data else {}
    if page.name == "objection_resolve":
        data = {k.replace("o-", f"o{_objection(notice)}-"): v for k, v in data.items()}
    return client.get(url) if page.method == "get" else client.post(url, data)


@pytest.mark.parametrize("name", list(BY_NAME))
def test_anonymous_visitors_are_sent_to_login_and_change_nothing(
    client,
    world: World,
    experts,  # noqa: F811
    name,
):
    page = BY_NAME[name]
    notice = _setup(world, experts, page)
    before = state()
    response = _call(client, page, world, notice)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN + "?next=")
    assert state() == before


@pytest.mark.parametrize("role", ["staff_a", "reviewer_a", "expert", "administrator"])
@pytest.mark.parametrize("name", list(BY_NAME))
def test_other_roles_get_403_and_change_nothing(
    client,
    world: World,
    experts,  # noqa: F811
    name,
    role,
):
    page = BY_NAME[name]
    notice = _setup(world, experts, page)
    client.force_login(getattr(world, role))
    before = state()
    assert _call(client, page, world, notice).status_code == 403
    assert state() == before


@pytest.mark.parametrize("name", [p.name for p in PAGES if p.scoped])
def test_an_officer_of_another_region_gets_404_and_changes_nothing(
    client,
    world: World,
    experts,  # noqa: F811
    name,
):
    page = BY_NAME[name]
    notice = _setup(world, experts, page)
    client.force_login(world.officer_other_city)
    before = state()
    assert _call(client, page, world, notice).status_code == 404
    assert state() == before


def test_a_user_without_a_role_gets_403(client, world: World):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("web:officer_dashboard")).status_code == 403


def test_a_city_officer_may_not_assign_a_panel_the_province_reviews(client, world: World):
    """In the city officer's region, but the province reviews: 403, nothing changed."""
    client.force_login(world.officer_city)
    before = state()
    url = reverse("web:officer_panel", args=[world.assessment_a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"lead": world.expert.pk}).status_code == 403
    assert state() == before


def test_a_region_above_the_officers_own_is_404(client, world: World):
    client.force_login(world.officer_city)
    assert client.get(reverse("web:officer_region", args=[world.province.pk])).status_code == 404
    assert client.get(reverse("web:officer_region", args=[world.county_a.pk])).status_code == 200


@pytest.mark.parametrize("name", list(BY_NAME))
def test_the_right_officer_is_served(
    client,
    world: World,
    experts,  # noqa: F811
    name,
):
    page = BY_NAME[name]
    notice = _setup(world, experts, page)
    client.force_login(world.officer_province)
    response = _call(client, page, world, notice)
    assert response.status_code == page.ok, response.content[:300]


def test_a_national_officer_sees_every_province(client, world: World):
    client.force_login(world.officer_national)
    response = client.get(reverse("web:officer_dashboard"))
    assert response.status_code == 200
    assert world.province.name in response.content.decode()
    assert client.get(reverse("web:officer_region", args=[world.city.pk])).status_code == 200

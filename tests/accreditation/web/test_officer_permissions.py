"""Every officer page against anonymous visitors, other roles, an officer of another
region and the right officer; a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accreditation.models import PublicNotice
from tests.accreditation.conftest import World
from tests.accreditation.web.officer_setup import checked, on_notice, recognised, with_objection
from tests.workflows.conftest import experts  # noqa: F401 - shared fixture
from tests.workflows.helpers import CODES, state

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    url: Callable[[World, Any], str]
    data: Callable[[World, Any], dict] | None = None
    #: The object the page is about, reached through the review flow: "notice",
    #: "recognition" or "check".
    needs: str = ""
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
        data=lambda w, o: {"lead": w.expert.pk},
    ),
    Page("decisions", "get", lambda w, n: reverse("web:officer_decisions"), scoped=False),
    Page(
        "decisions_take",
        "post",
        lambda w, n: reverse("web:officer_decisions_take"),
        data=lambda w, o: {"one": w.assessment_a.pk},
        ok=302,
    ),
    Page("notices", "get", lambda w, n: reverse("web:officer_notices"), scoped=False),
    Page(
        "notice_open",
        "post",
        lambda w, n: reverse("web:officer_notice_open"),
        data=lambda w, o: {
            "cycle": w.cycle.pk,
            "region": w.province.pk,
            "assessments": [w.assessment_a.pk],
            f"g{w.cycle.pk}-{w.province.pk}-starts_on": timezone.localdate().isoformat(),
            f"g{w.cycle.pk}-{w.province.pk}-document_number": "卫公示〔2026〕9号",
        },
        ok=302,
    ),
    Page("notice", "get", lambda w, n: reverse("web:officer_notice", args=[n.pk]), needs="notice"),
    Page(
        "objection_add",
        "post",
        lambda w, n: reverse("web:officer_objection_add", args=[n.pk]),
        data=lambda w, o: {"assessment": w.assessment_a.pk, "content": "另一条意见"},
        needs="notice",
        ok=302,
    ),
    Page(
        "objection_resolve",
        "post",
        lambda w, n: reverse("web:officer_objection_resolve", args=[n.pk, _objection(n)]),
        data=lambda w, o: {"o-outcome": "dismissed", "o-reason": "查无实据"},
        needs="notice",
        ok=302,
    ),
    Page(
        "notice_close",
        "post",
        lambda w, n: reverse("web:officer_notice_close", args=[n.pk]),
        needs="notice",
        ok=302,
    ),
]
PAGES += [
    Page("recognitions", "get", lambda w, r: reverse("web:officer_recognitions"), scoped=False),
    Page(
        "recognitions_region",
        "get",
        lambda w, r: reverse("web:officer_recognitions") + f"?region={w.city.pk}",
    ),
    Page(
        "recognition",
        "get",
        lambda w, r: reverse("web:officer_recognition", args=[r.pk]),
        needs="recognition",
    ),
    Page(
        "lookback",
        "post",
        lambda w, r: reverse("web:officer_recognition", args=[r.pk]),
        data=lambda w, r: {"outcome": "revoke", "reason": "回头看不达标"},
        needs="recognition",
        ok=302,
    ),
    Page(
        "certificate_issue",
        "post",
        lambda w, r: reverse("web:officer_certificate_issue", args=[r.pk, r.certificates.get().pk]),
        needs="recognition",
        ok=302,
    ),
    Page(
        "certificate_reissue",
        "post",
        lambda w, r: reverse(
            "web:officer_certificate_reissue", args=[r.pk, r.certificates.get().pk]
        ),
        data=lambda w, r: {"reason": "机构更名"},
        needs="recognition",
        ok=302,
    ),
    Page(
        "notice_certificates",
        "post",
        lambda w, r: reverse("web:officer_notice_certificates", args=[r.notice_id]),
        needs="recognition",
        ok=302,
    ),
    Page("checks", "get", lambda w, c: reverse("web:officer_checks"), scoped=False),
    Page(
        "check_run",
        "post",
        lambda w, c: reverse("web:officer_check_run"),
        data=lambda w, c: {"cycle": w.cycle.pk, "region": w.city.pk, "sample_share": "1"},
        needs="recognition",
        ok=302,
    ),
    Page("check", "get", lambda w, c: reverse("web:officer_check", args=[c.pk]), needs="check"),
    Page(
        "check_rescore",
        "post",
        lambda w, c: reverse("web:officer_check_rescore", args=[c.pk, c.samples.get().pk]),
        data=lambda w, c: {f"grade-{code}": "B" for code in CODES},
        needs="check",
        ok=302,
    ),
    Page(
        "check_complete",
        "post",
        lambda w, c: reverse("web:officer_check_complete", args=[c.pk]),
        needs="check",
        ok=302,
    ),
    Page(
        "check_reduce",
        "post",
        lambda w, c: reverse("web:officer_check_reduce", args=[c.pk]),
        data=lambda w, c: {
            "samples": [c.samples.get().pk],
            f"action-{c.samples.get().pk}": "revoke",
            "reason": "核减",
        },
        needs="check",
        ok=302,
    ),
]
BY_NAME = {p.name: p for p in PAGES}


def _setup(world: World, experts, page: Page) -> Any:  # noqa: F811
    if page.needs == "notice":
        notice = on_notice(world, experts)
        with_objection(world, notice)
        return notice
    if page.needs == "recognition":
        return recognised(world, experts)
    if page.needs == "check":
        return checked(world, experts)
    return None


def _call(client, page: Page, world: World, obj: Any):
    url = page.url(world, obj)
    data = page.data(world, obj) if page.data else {}
    if page.name == "objection_resolve":
        data = {k.replace("o-", f"o{_objection(obj)}-"): v for k, v in data.items()}
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

"""The checklist's autosave: the API's item save (``PATCH
/api/v1/assessments/<id>/items/<code>/``) as the page's script sends it, signed in with
the session and carrying the CSRF token. Stored values, versions and conflicts;
refusals that change nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from accreditation.models import ItemGrade
from accreditation.services.submission import assessment_submit
from tests.accreditation.conftest import World
from tests.accreditation.helpers import complete, grade_all

pytestmark = pytest.mark.django_db


def _page_client(world: World, user) -> Client:
    """A browser-like client: signed in, CSRF enforced, the token from the checklist."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(reverse("web:checklist", args=[world.assessment_a.pk]))
    assert page.status_code == 200
    client.csrf_token = str(page.context["csrf_token"])
    return client


def _url(world: World, code: str) -> str:
    return reverse("api:item-grade", args=[world.assessment_a.pk, code])


def _patch(client: Client, url: str, body, *, csrf: bool = True):
    headers = {"X-CSRFToken": client.csrf_token} if csrf else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.patch(url, data, content_type="application/json", headers=headers)


def _row(world: World, code: str) -> ItemGrade:
    return ItemGrade.objects.get(assessment=world.assessment_a, item_code=code)


def test_the_checklist_saves_its_items_through_the_api(client, world: World):
    client.force_login(world.staff_a)
    response = client.get(reverse("web:checklist", args=[world.assessment_a.pk]))
    html = response.content.decode()
    assert 'data-save-api="1"' in html
    assert f'data-save-url="{_url(world, "1.1.4")}"' in html
    last_save = reverse("web:item_last_save", args=[world.assessment_a.pk, "1.1.4"])
    assert f'data-last-save-url="{last_save}"' in html


def test_autosave_stores_the_values_and_answers_the_new_version(world: World):
    client = _page_client(world, world.staff_a)
    response = _patch(
        client,
        _url(world, "1.1.4"),
        {"grade": "B", "na_reason": "", "metric_value": "20", "note": "  床位20张 ", "version": 1},
    )
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    assert {k: data[k] for k in ("item", "grade", "na_reason", "metric_value", "note")} == {
        "item": "1.1.4",
        "grade": "B",
        "na_reason": "",
        "metric_value": "20.0000",
        "note": "床位20张",
    }
    assert (data["version"], data["updated_by"]) == (2, "staff_a")
    row = _row(world, "1.1.4")
    assert (row.grade, row.version, row.updated_by_id) == ("B", 2, world.staff_a.pk)


def test_autosave_sends_an_empty_metric_as_null_and_clears_it(world: World):
    client = _page_client(world, world.staff_a)
    _patch(client, _url(world, "1.1.4"), {"grade": "B", "metric_value": "20", "version": 1})
    response = _patch(
        client, _url(world, "1.1.4"), {"grade": "B", "metric_value": None, "version": 2}
    )
    assert response.status_code == 200
    assert response.json()["metric_value"] is None
    assert _row(world, "1.1.4").metric_value is None


def test_autosave_with_a_stale_version_answers_409_with_the_other_persons_values(
    world: World,
):
    grade_all(world.assessment_a, world.staff_a2, {"1.1.1": "A"})
    client = _page_client(world, world.staff_a)
    response = _patch(client, _url(world, "1.1.1"), {"grade": "C", "version": 1})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "stale_version"
    assert error["details"]["current"]["grade"] == "A"
    assert error["details"]["current"]["version"] == 2
    assert _row(world, "1.1.1").grade == "A"
    # The conflict panel asks the page who saved the stored values.
    saved = client.get(reverse("web:item_last_save", args=[world.assessment_a.pk, "1.1.1"]))
    assert saved.status_code == 200
    assert saved.json()["updated_by"] == "staff_a2"
    assert saved.json()["version"] == 2
    # "Keep mine" re-sends with the new version.
    response = _patch(client, _url(world, "1.1.1"), {"grade": "C", "version": 2})
    assert response.status_code == 200
    assert _row(world, "1.1.1").grade == "C"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"grade": "D", "version": 1}, "grade"),
        ({"grade": "B", "metric_value": "abc", "version": 1}, "metric_value"),
        ({"grade": "B", "version": "x"}, "version"),
        ({"grade": "B"}, "version"),
    ],
)
def test_autosave_refuses_invalid_values_and_changes_nothing(world: World, body, field):
    client = _page_client(world, world.staff_a)
    before = _row(world, "1.1.4").values()
    response = _patch(client, _url(world, "1.1.4"), body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert _row(world, "1.1.4").values() == before


def test_autosave_refuses_malformed_json(world: World):
    client = _page_client(world, world.staff_a)
    response = _patch(client, _url(world, "1.1.1"), "not json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_autosave_refuses_an_unknown_item(world: World):
    client = _page_client(world, world.staff_a)
    response = _patch(client, _url(world, "9.9.9"), {"grade": "B", "version": 1})
    assert response.status_code == 400
    assert "item_code" in response.json()["error"]["fields"]


def test_autosave_after_submission_answers_409_not_editable(world: World):
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    client = _page_client(world, world.staff_a)
    version = _row(world, "1.1.1").version
    response = _patch(client, _url(world, "1.1.1"), {"grade": "A", "version": version})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_editable"
    assert _row(world, "1.1.1").grade == "B"


def test_autosave_without_the_csrf_token_is_refused_and_changes_nothing(world: World):
    client = _page_client(world, world.staff_a)
    before = _row(world, "1.1.1").values()
    response = _patch(client, _url(world, "1.1.1"), {"grade": "B", "version": 1}, csrf=False)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert _row(world, "1.1.1").values() == before


def test_autosave_after_the_session_ended_answers_401(world: World):
    client = _page_client(world, world.staff_a)
    client.logout()
    response = _patch(client, _url(world, "1.1.1"), {"grade": "B", "version": 1})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert _row(world, "1.1.1").grade == ""


def test_autosave_answers_in_at_most_six_queries(world: World, django_assert_max_num_queries):
    # The session with its user (one query, as every signed-in request), then the save:
    # SAVEPOINT (BEGIN outside tests), the locked read, UPDATE, audit row, RELEASE (COMMIT).
    client = _page_client(world, world.staff_a)
    with django_assert_max_num_queries(6):
        response = _patch(
            client,
            _url(world, "1.1.1"),
            {"grade": "B", "na_reason": "", "metric_value": None, "note": "", "version": 1},
        )
    assert response.status_code == 200, response.content[:300]
    assert _row(world, "1.1.1").version == 2

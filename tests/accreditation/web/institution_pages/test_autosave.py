"""Autosave of one item (the JSON endpoint): stored values, versions and conflicts,
refusals that change nothing."""

from __future__ import annotations

import pytest

from accreditation.services.submission import assessment_submit
from tests.accreditation.conftest import World
from tests.accreditation.helpers import complete, grade_all
from tests.accreditation.web.institution_pages.helpers import item_row, post_json, save_url

pytestmark = pytest.mark.django_db


def test_item_save_stores_the_values_and_answers_the_new_version(client, world: World):
    client.force_login(world.staff_a)
    response = post_json(
        client,
        save_url(world, "1.1.4"),
        {"grade": "B", "metric_value": "20", "note": "  床位20张 ", "version": 1},
    )
    assert response.status_code == 200
    assert response.json()["item"] == {
        "item": "1.1.4",
        "grade": "B",
        "na_reason": "",
        "metric_value": "20",
        "note": "床位20张",
        "version": 2,
    }
    row = item_row(world, "1.1.4")
    assert (row.grade, row.version, row.updated_by_id) == ("B", 2, world.staff_a.pk)


def test_item_save_with_a_stale_version_answers_409_with_the_other_persons_values(
    client, world: World
):
    grade_all(world.assessment_a, world.staff_a2, {"1.1.1": "A"})
    client.force_login(world.staff_a)
    response = post_json(client, save_url(world, "1.1.1"), {"grade": "C", "version": 1})
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "stale_version"
    assert data["current"]["grade"] == "A"
    assert data["current"]["version"] == 2
    assert data["current"]["updated_by"] == "staff_a2"
    assert item_row(world, "1.1.1").grade == "A"
    # "Keep mine" re-sends with the new version.
    response = post_json(client, save_url(world, "1.1.1"), {"grade": "C", "version": 2})
    assert response.status_code == 200
    assert item_row(world, "1.1.1").grade == "C"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"grade": "D", "version": 1}, "grade"),
        ({"grade": "B", "metric_value": "abc", "version": 1}, "metric_value"),
        ({"grade": "B", "version": "x"}, "version"),
        ({"grade": "B"}, "version"),
    ],
)
def test_item_save_refuses_invalid_values_and_changes_nothing(client, world: World, body, field):
    client.force_login(world.staff_a)
    before = item_row(world, "1.1.4").values()
    response = post_json(client, save_url(world, "1.1.4"), body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]
    assert item_row(world, "1.1.4").values() == before


def test_item_save_refuses_malformed_json(client, world: World):
    client.force_login(world.staff_a)
    response = client.post(save_url(world, "1.1.1"), "not json", content_type="application/json")
    assert response.status_code == 400


def test_item_save_refuses_an_unknown_item(client, world: World):
    client.force_login(world.staff_a)
    response = post_json(client, save_url(world, "9.9.9"), {"grade": "B", "version": 1})
    assert response.status_code == 400
    assert "item_code" in response.json()["errors"]


def test_item_save_after_submission_answers_409_not_editable(client, world: World):
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    client.force_login(world.staff_a)
    version = item_row(world, "1.1.1").version
    response = post_json(client, save_url(world, "1.1.1"), {"grade": "A", "version": version})
    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    assert item_row(world, "1.1.1").grade == "B"


def test_item_save_needs_get_to_be_refused(client, world: World):
    client.force_login(world.staff_a)
    assert client.get(save_url(world, "1.1.1")).status_code == 405


def test_item_save_answers_in_at_most_seven_queries(
    client, world: World, django_assert_max_num_queries
):
    # The session and the user (as every signed-in request), then the save: SAVEPOINT
    # (BEGIN outside tests), the locked read, UPDATE, audit row, RELEASE (COMMIT).
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(7):
        response = post_json(
            client,
            save_url(world, "1.1.1"),
            {"grade": "B", "na_reason": "", "metric_value": "", "note": "", "version": 1},
        )
    assert response.status_code == 200, response.content[:300]
    assert item_row(world, "1.1.1").version == 2

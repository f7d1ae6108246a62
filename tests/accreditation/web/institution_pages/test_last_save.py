"""Who saved an item last, for the checklist's conflict panel (the saves themselves go
through the API: tests/api/test_item_autosave.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accreditation.conftest import World
from tests.accreditation.helpers import grade_all

pytestmark = pytest.mark.django_db


def _url(world: World, code: str) -> str:
    return reverse("web:item_last_save", args=[world.assessment_a.pk, code])


def test_last_save_names_who_saved_the_item_and_when(client, world: World):
    grade_all(world.assessment_a, world.staff_a2, {"1.1.1": "A"})
    client.force_login(world.staff_a)
    response = client.get(_url(world, "1.1.1"))
    assert response.status_code == 200
    data = response.json()
    assert (data["item"], data["version"], data["updated_by"]) == ("1.1.1", 2, "staff_a2")
    assert len(data["updated_at"]) == 5 and data["updated_at"][2] == ":"


def test_last_save_of_an_item_never_saved_names_no_one(client, world: World):
    client.force_login(world.staff_a)
    data = client.get(_url(world, "1.1.2")).json()
    assert (data["version"], data["updated_by"], data["updated_at"]) == (1, "", "")


def test_last_save_of_an_unknown_item_is_404(client, world: World):
    client.force_login(world.staff_a)
    response = client.get(_url(world, "9.9.9"))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_last_save_is_a_read_in_two_queries_and_refuses_post(
    client, world: World, django_assert_max_num_queries
):
    client.force_login(world.staff_a)
    with django_assert_max_num_queries(4):  # session, user, the assessment, the row
        assert client.get(_url(world, "1.1.1")).status_code == 200
    assert client.post(_url(world, "1.1.1")).status_code == 405

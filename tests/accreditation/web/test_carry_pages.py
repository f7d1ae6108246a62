"""Carry-forward in the institution's pages: the open form offers last cycle's
accepted grading; the checklist marks proposals and changed items and confirms all
proposals at once."""

from __future__ import annotations

from django.test import Client

from accreditation.models import Assessment, ItemGrade
from tests.workflows.conftest import experts  # noqa: F401
from tests.workflows.helpers import CODES, next_cycle, recognise_all


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_open_from_last_cycle_then_confirm_all(world, experts):  # noqa: F811
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    cycle = next_cycle(world)
    client = login(world.staff_a)
    home = client.get("/institution/").content.decode()
    assert 'name="carry_forward"' in home
    assert "Start from the 2026 accepted grading" in home
    response = client.post(
        f"/institution/cycles/{cycle.pk}/open/", {"target_level": "basic", "carry_forward": "1"}
    )
    opened = Assessment.objects.get(cycle=cycle, institution=world.institution_a)
    assert response.status_code == 302
    assert opened.carried_from_id == world.assessment_a.pk
    page = client.get(f"/institution/assessments/{opened.pk}/").content.decode()
    assert page.count('data-carry="proposed"') == len(CODES)
    assert "Confirm all proposals as they stand" in page
    client.post(f"/institution/assessments/{opened.pk}/carried/confirm/")
    carries = set(ItemGrade.objects.filter(assessment=opened).values_list("carry", flat=True))
    assert carries == {ItemGrade.Carry.CONFIRMED}
    page = client.get(f"/institution/assessments/{opened.pk}/").content.decode()
    assert 'data-carry="proposed"' not in page


def test_no_offer_without_an_accepted_grading(world):
    next_cycle(world)
    home = login(world.staff_a).get("/institution/").content.decode()
    assert 'name="carry_forward"' not in home


def test_another_institution_cannot_confirm(world, experts):  # noqa: F811
    response = login(world.staff_b).post(
        f"/institution/assessments/{world.assessment_a.pk}/carried/confirm/"
    )
    assert response.status_code == 404

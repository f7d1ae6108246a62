"""URLs and small readers the institution page tests share."""

from __future__ import annotations

import json

from django.urls import reverse

from accreditation.models import ItemGrade
from tests.accreditation.conftest import World


def checklist_url(world: World) -> str:
    return reverse("web:checklist", args=[world.assessment_a.pk])


def save_url(world: World, code: str) -> str:
    """Where the checklist's script saves an item: the API."""
    return reverse("api:item-grade", args=[world.assessment_a.pk, code])


def patch_json(client, url: str, body: dict):
    return client.patch(url, json.dumps(body), content_type="application/json")


def item_row(world: World, code: str) -> ItemGrade:
    return ItemGrade.objects.get(assessment=world.assessment_a, item_code=code)

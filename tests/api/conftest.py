"""API tests run in the small world of the accreditation tests (one province, two
institutions, a user of every role, an open cycle and two open assessments)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.accreditation.conftest import World, assigned_expert, world  # noqa: F401
from tests.workflows.conftest import Experts, experts  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def as_user(world):  # noqa: F811
    """``as_user("staff_a")``: a client authenticated as that user of the world (or
    anonymous for None)."""

    def make(who: str | None) -> APIClient:
        client = APIClient()
        if who is not None:
            client.force_authenticate(getattr(world, who))
        return client

    return make

"""Sign-in throttling (django-axes) on the login page: after the configured number of
failures for a user name from one address, even the right password is refused, other
user names and addresses are not affected, and a success before the limit resets it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accreditation.models import User

PASSWORD = "a-long-test-password"  # the factories' password


def attempt(username: str, password: str, address: str = "10.0.0.1") -> int:
    response = Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )
    return response.status_code


def signed_in(username: str, address: str = "10.0.0.1") -> bool:
    client = Client(REMOTE_ADDR=address)
    client.post(reverse("login"), {"username": username, "password": PASSWORD})
    return "_auth_user_id" in client.session


@pytest.fixture
def staff(world) -> User:
    return world.staff_a


def test_the_limit_is_configured():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert "axes.middleware.AxesMiddleware" in settings.MIDDLEWARE
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_failures_up_to_the_limit_lock_the_user_name_out(staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(staff.username, "wrong") == 200  # the form again, with an error
    assert signed_in(staff.username)  # still possible before the limit; resets the count
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(staff.username, "wrong")
    assert attempt(staff.username, PASSWORD) == 429
    assert not signed_in(staff.username)


def test_a_lockout_is_per_user_name_and_address(staff, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(staff.username, "wrong")
    assert not signed_in(staff.username)
    assert signed_in(world.staff_b.username)  # another user from the same address
    assert signed_in(staff.username, address="10.0.0.2")  # the same user elsewhere


def test_an_unknown_user_name_is_throttled_too(db):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt("nobody", "guess") == 200
    assert attempt("nobody", "guess") == 429  # the failure that reaches the limit
    assert attempt("nobody", "guess") == 429

"""Signing in for a token, using it, revoking it; throttling and lockout; sessions
need CSRF for writes; users without a role see nothing."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accreditation.models import AuditEvent
from tests.factories import UserFactory

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "a-long-test-password"


def test_token_for_username_and_password_then_requests_with_it(world, api):
    response = api.post(TOKEN_URL, {"username": "staff_a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = Token.objects.get(user=world.staff_a)
    assert response.json() == {"token": token.key, "user": world.staff_a.pk}
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/v1/me/").json()["username"] == "staff_a"
    world.staff_a.refresh_from_db()
    assert world.staff_a.last_login is not None
    assert AuditEvent.objects.filter(action="api_token.issue", actor=world.staff_a).count() == 1


def test_second_sign_in_returns_the_same_token(world, api):
    first = api.post(TOKEN_URL, {"username": "staff_a", "password": PASSWORD}, format="json")
    second = api.post(TOKEN_URL, {"username": "staff_a", "password": PASSWORD}, format="json")
    assert first.json()["token"] == second.json()["token"]
    assert AuditEvent.objects.filter(action="api_token.issue").count() == 1


def test_wrong_password_is_a_400_with_no_token(world, api):
    response = api.post(TOKEN_URL, {"username": "staff_a", "password": "nope"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["non_field_errors"]
    assert not Token.objects.exists()


def test_inactive_user_gets_no_token(world, api):
    world.staff_a.is_active = False
    world.staff_a.save()
    response = api.post(TOKEN_URL, {"username": "staff_a", "password": PASSWORD}, format="json")
    assert response.status_code == 400


def test_missing_fields_are_reported_per_field(world, api):
    response = api.post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"username", "password"}


def test_repeated_failures_lock_the_user_name_out_in_the_error_shape(world, api, settings):
    settings.AXES_FAILURE_LIMIT = 3
    codes = [
        api.post(TOKEN_URL, {"username": "staff_a", "password": "x"}, format="json").status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]
    # Even the right password is refused while locked out.
    response = api.post(TOKEN_URL, {"username": "staff_a", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "locked_out"
    assert not Token.objects.exists()


def test_token_requests_are_throttled_per_address(world, api, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "token", "2/min")
    for _ in range(2):
        api.post(TOKEN_URL, {"username": "staff_a", "password": PASSWORD}, format="json")
    response = api.post(TOKEN_URL, {"username": "staff_a", "password": PASSWORD}, format="json")
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["details"]["wait"] > 0
    assert int(response["Retry-After"]) == error["details"]["wait"]


def test_revoked_token_answers_401(world, api):
    token = Token.objects.create(user=world.staff_a)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.post("/api/v1/auth/token/revoke/").status_code == 204
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_anonymous_answers_401_with_a_challenge(api, db):
    response = api.get("/api/v1/assessments/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


def test_session_writes_need_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.staff_a)
    url = f"/api/v1/assessments/{world.assessment_a.pk}/items/1.1.1/"
    assert client.get(url).status_code == 200
    response = client.patch(url, {"grade": "B", "version": 1}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "CSRF" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/assessments/",
        "/api/v1/institutions/",
        "/api/v1/regions/",
        "/api/v1/cycles/",
        "/api/v1/catalogue/editions/",
    ],
)
def test_a_user_without_a_role_sees_nothing(world, url):
    client = APIClient()
    client.force_authenticate(UserFactory(role=""))
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] == 0

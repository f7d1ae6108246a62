"""The baseline endpoints of the load benchmarks: /api/v1/ping/ (authenticated, the
user's name) and /healthz/ (nothing but "ok", no database)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_ping_answers_the_signed_in_users_name(as_user, world):
    response = as_user("staff_a").get("/api/v1/ping/")
    assert (response.status_code, response.json()) == (200, {"username": "staff_a"})


def test_ping_refuses_anonymous_requests(api, db):
    response = api.get("/api/v1/ping/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_healthz_answers_without_the_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz/")
    assert (response.status_code, response.json(), len(queries)) == (200, {"status": "ok"}, 0)
    assert client.post("/healthz/").status_code == 405

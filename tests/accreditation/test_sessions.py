"""Sessions read with their user (accreditation/sessions.py): one query per signed-in
request, and every check Django makes on a session still holds."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accreditation.models import UserSession
from accreditation.sessions import SessionStore
from tests.factories import CountyReviewerFactory, StaffFactory

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_signed_in_request_reads_the_session_and_its_user_in_one_query():
    client = signed_in(StaffFactory())
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/ping/")
    assert response.status_code == 200
    assert len(captured) == 1
    sql = captured[0]["sql"]
    assert "accreditation_session" in sql and "accreditation_user" in sql


def test_a_county_reviewer_s_region_comes_with_the_session():
    reviewer = CountyReviewerFactory()
    client = signed_in(reviewer)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/assessments/").status_code == 200
    assert not [q for q in captured if 'FROM "accreditation_region"' in q["sql"]]


def test_the_session_row_names_its_user_and_anonymous_rows_none():
    user = StaffFactory()
    client = signed_in(user)
    row = UserSession.objects.get(session_key=client.session.session_key)
    assert row.user_id == user.pk
    assert row.get_decoded()[SESSION_KEY] == str(user.pk)
    anonymous = SessionStore()
    anonymous["seen"] = True
    anonymous.create()
    assert UserSession.objects.get(session_key=anonymous.session_key).user_id is None


def test_a_password_changed_elsewhere_ends_the_session():
    user = StaffFactory()
    client = signed_in(user)
    key = client.session.session_key
    user.set_password("another-long-password")
    user.save()
    assert client.get(ME).status_code in (401, 403)
    assert not UserSession.objects.filter(session_key=key).exists()


def test_a_deactivated_user_is_anonymous():
    user = StaffFactory()
    client = signed_in(user)
    user.is_active = False
    user.save()
    assert client.get(ME).status_code in (401, 403)


def test_a_backend_no_longer_configured_signs_nobody_in(settings):
    client = signed_in(StaffFactory())
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend"]
    assert client.get(ME).status_code in (401, 403)


def test_a_rotated_secret_key_keeps_the_session_and_renews_its_hash(settings):
    user = StaffFactory()
    client = signed_in(user)
    old_key = client.session.session_key
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert client.get(ME).json()["username"] == user.username
    assert client.session.session_key != old_key  # cycled, as Django does
    assert client.get(ME).json()["username"] == user.username


def test_signing_out_and_deleting_the_user_remove_the_rows():
    user = StaffFactory()
    client = signed_in(user)
    client.logout()
    assert not UserSession.objects.exists()
    signed_in(user)
    signed_in(user)
    assert UserSession.objects.filter(user=user).count() == 2
    user.delete()
    assert not UserSession.objects.exists()

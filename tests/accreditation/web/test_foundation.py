"""The layout, sign-in and sign-out, the home page's routing, error pages and the
language switch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accreditation.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_chinese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body


def test_login_page_switches_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in body
    assert "Sign in" in body


def test_real_login_form_signs_in_and_routes_staff_to_their_start_page(client, world: World):
    response = client.post(
        reverse("login"), {"username": "staff_a", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert response.url == "/"
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("web:institution_home")


def test_wrong_password_shows_the_error_and_signs_nobody_in(client, world: World):
    response = client.post(reverse("login"), {"username": "staff_a", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, world: World):
    client.force_login(world.staff_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_home_redirects_anonymous_visitors_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("username", ["admin"])
def test_home_shows_other_roles_their_area(client, world: World, username):
    user = getattr(world, {"admin": "administrator"}.get(username, username))
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    assert user.get_role_display() in response.content.decode()


def test_home_routes_county_reviewers_to_their_queue(client, world: World):
    client.force_login(world.reviewer_a)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("web:review_queue")


@pytest.mark.parametrize(
    ("username", "page"),
    [
        ("officer_city", "web:officer_dashboard"),
        ("officer_national", "web:officer_dashboard"),
    ],
)
def test_home_routes_officers_to_their_dashboard(client, world: World, username, page):
    client.force_login(getattr(world, username))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse(page)


def test_header_shows_user_role_and_scope(client, world: World):
    client.force_login(world.staff_a)
    body = client.get(reverse("web:institution_home")).content.decode()
    assert "staff_a" in body
    assert "机构工作人员" in body
    assert world.institution_a.name in body


def test_user_without_a_role_is_told_to_ask_for_one(client, db):
    client.force_login(UserFactory(username="nobody"))
    response = client.get("/")
    assert response.status_code == 200
    assert "没有角色" in response.content.decode()


def test_unknown_page_renders_the_404_template(client, world: World):
    client.force_login(world.staff_a)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_forbidden_page_renders_the_403_template(client, world: World):
    client.force_login(world.reviewer_a)
    response = client.get(reverse("web:institution_home"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_pages_carry_no_inline_script_or_style(client, world: World):
    client.force_login(world.staff_a)
    for url in (
        reverse("web:institution_home"),
        reverse("web:checklist", args=[world.assessment_a.pk]),
    ):
        body = client.get(url).content.decode()
        assert "style=" not in body
        assert " onclick=" not in body and " onchange=" not in body
        for chunk in body.split("<script")[1:]:
            head = chunk.split(">", 1)[0]
            assert "src=" in head or 'type="application/json"' in head


def test_static_files_referenced_by_the_layout_exist(client, world: World):
    from django.contrib.staticfiles import finders

    for name in ("accreditation/app.css", "accreditation/app.js", "accreditation/checklist.js"):
        assert finders.find(name), name


def test_pages_are_served_under_the_strict_content_security_policy(client, world: World):
    client.force_login(world.staff_a)
    response = client.get(reverse("web:checklist", args=[world.assessment_a.pk]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy

"""The simulated users request only paths of the URLconf, with the right credentials.
locust runs in a child process (it patches the standard library with gevent); no
server is contacted: the users' HTTP client is replaced by a recorder."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve

from accreditation.models import ItemGrade
from bench.loadtest.endpoints import (
    ENDPOINTS,
    NEXT_GRADE,
    PHASES,
    STAFF_CHECKLIST,
    STAFF_ITEM_SAVE,
    WARM_UP,
    Credential,
    Plan,
)
from bench.loadtest.runner import LOCUSTFILE

RECORDER = Path(__file__).with_name("record_tasks.py")


def _plan(folder: Path) -> Path:
    path = folder / "plan.json"
    Plan(
        staff=[Credential("staff_a", "tok-staff", assessment=7)],
        reviewer=[Credential("reviewer_a", "tok-reviewer", region="990102")],
        officer=[Credential("officer_city", "tok-officer", region="990100")],
    ).write(path)
    return path


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> list[dict]:
    """Every task of every user class, run once; the requests they made."""
    done = subprocess.run(
        [sys.executable, str(RECORDER), str(_plan(tmp_path_factory.mktemp("plan")))],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(settings.BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_every_task_of_every_user_class_requests_a_path_of_the_urlconf(recorded):
    requests = recorded
    names = {endpoint.name: endpoint for endpoint in ENDPOINTS}
    assert {r["user"] for r in requests} == {"HealthzUser", "PingUser", "MixUser"}
    assert {r["name"] for r in requests} == set(names)
    for request in requests:
        endpoint = names[request["name"]]
        assert request["method"] == endpoint.method
        assert resolve(request["url"].split("?")[0]).view_name == endpoint.view, request


def test_each_request_carries_the_token_of_its_role_and_the_baseline_none(recorded):
    tokens = {(r["name"].split()[0], (r["headers"] or {}).get("Authorization")) for r in recorded}
    assert tokens == {
        ("anonymous", None),
        ("token", "Token tok-staff"),
        ("staff", "Token tok-staff"),
        ("reviewer", "Token tok-reviewer"),
        ("officer", "Token tok-officer"),
    }


def test_staff_save_an_item_they_read_with_its_version_and_a_changed_grade(recorded):
    staff = [r for r in recorded if r["name"].startswith("staff ")]
    assert [r["url"] for r in staff] == [
        "/api/v1/assessments/",
        "/api/v1/assessments/7/items/?page_size=100",
        "/api/v1/assessments/7/items/1.1.1/",
    ]
    # Of the checklist read, 1.1.2 is N/A and 1.1.3 applies automatically: skipped.
    assert staff[-1]["json"] == {"version": 3, "grade": "A"}


def test_every_endpoint_path_resolves_to_its_view():
    values = {"assessment": 12, "item": "1.2.3", "region": "990000"}
    for endpoint in ENDPOINTS:
        assert resolve(endpoint.path.format(**values)).view_name == endpoint.view, endpoint


def test_endpoint_urls_fill_the_ids_and_keep_the_query():
    assert STAFF_CHECKLIST.url(assessment=7) == "/api/v1/assessments/7/items/?page_size=100"
    assert STAFF_CHECKLIST.name == "staff /api/v1/assessments/{assessment}/items/?page_size=100"
    assert STAFF_ITEM_SAVE.url(assessment=7, item="2.1.4") == "/api/v1/assessments/7/items/2.1.4/"


def test_a_save_always_changes_the_grade_to_a_graded_value():
    graded = {ItemGrade.Value.C, ItemGrade.Value.B, ItemGrade.Value.A}
    assert set(NEXT_GRADE) == {choice.value for choice in ItemGrade.Value} - {"NA"}
    assert all(new != old and new in graded for old, new in NEXT_GRADE.items())


def test_the_baseline_runs_first_and_the_warm_up_covers_every_user_class():
    assert PHASES[0].name == "healthz"
    assert set(WARM_UP.user_classes) == {n for phase in PHASES for n in phase.user_classes}


def test_locust_lists_the_user_classes_of_the_phases():
    done = subprocess.run(
        [sys.executable, "-m", "locust", "--locustfile", str(LOCUSTFILE), "--list"],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(settings.BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert set(done.stdout.split()) >= set(WARM_UP.user_classes)


def test_a_plan_reads_back_what_was_written(tmp_path):
    path = _plan(tmp_path)
    assert Plan.read(path) == Plan(
        staff=[Credential("staff_a", "tok-staff", assessment=7)],
        reviewer=[Credential("reviewer_a", "tok-reviewer", region="990102")],
        officer=[Credential("officer_city", "tok-officer", region="990100")],
    )

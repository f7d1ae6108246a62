"""The simulated users of ``manage.py bench_load``. Loaded by locust only: importing
locust patches the standard library with gevent, so Django never imports this module.

Every user runs a closed loop without think time (the next request leaves when the
previous answer arrives), so a phase measures the server's capacity at that
concurrency. Each user takes its own credential from the plan file; institution staff
each edit their own assessment, so an edit conflict (409) means two users shared one
(more users than editable assessments) and is counted apart, not as a failure.
"""

from __future__ import annotations

import itertools
import os
import random
from collections import defaultdict
from pathlib import Path

from locust import FastHttpUser, constant, task

from accreditation.loadtest.endpoints import (
    HEALTHZ,
    NEXT_GRADE,
    OFFICER_ASSESSMENTS,
    OFFICER_DASHBOARD,
    OFFICER_INSTITUTIONS,
    PING,
    PLAN_ENV,
    REVIEWER_QUEUE,
    REVIEWER_TASKS,
    STAFF_ASSESSMENTS,
    STAFF_CHECKLIST,
    STAFF_ITEM_SAVE,
    Credential,
    Endpoint,
    Plan,
)

_plan: Plan | None = None
#: The next credential per role, so that concurrent users do not share one.
_next = defaultdict(itertools.count)


def _credential(role: str) -> Credential:
    global _plan
    if _plan is None:
        _plan = Plan.read(Path(os.environ[PLAN_ENV]))
    credentials = getattr(_plan, role)
    if not credentials:
        raise RuntimeError(f"The plan has no {role} credentials.")
    return credentials[next(_next[role]) % len(credentials)]


class HealthzUser(FastHttpUser):
    """The baseline: Django's bare JSON answer, no database, no session."""

    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get(HEALTHZ.url(), name=HEALTHZ.name)


class ApiUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    role = "staff"

    def on_start(self):
        self.credential = _credential(self.role)
        self.headers = {"Authorization": f"Token {self.credential.token}"}

    def get(self, endpoint: Endpoint, **values):
        return self.client.get(endpoint.url(**values), name=endpoint.name, headers=self.headers)


class PingUser(ApiUser):
    """The cheapest authenticated API request: token lookup, DRF, one JSON field."""

    @task
    def ping(self):
        self.get(PING)


class StaffUser(ApiUser):
    """Institution staff grading their own assessment: the list, the whole checklist,
    and saves of one item with the version last read."""

    weight = 3

    def on_start(self):
        super().on_start()
        self.assessment = self.credential.assessment
        #: item code -> [version, grade], from the last checklist read and saves.
        self.items: dict[str, list] = {}

    @task(1)
    def assessments(self):
        self.get(STAFF_ASSESSMENTS)

    @task(2)
    def checklist(self):
        response = self.get(STAFF_CHECKLIST, assessment=self.assessment)
        if response.status_code == 200:
            self.items = {
                row["item"]["code"]: [row["version"], row["grade"]]
                for row in response.json()["results"]
                if not row["auto_not_applicable"] and row["grade"] in NEXT_GRADE
            }

    @task(2)
    def save_item(self):
        if not self.items:
            self.checklist()
            return
        code = random.choice(list(self.items))
        version, grade = self.items[code]
        with self.client.patch(
            STAFF_ITEM_SAVE.url(assessment=self.assessment, item=code),
            json={"version": version, "grade": NEXT_GRADE[grade]},
            name=STAFF_ITEM_SAVE.name,
            headers=self.headers,
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                saved = response.json()
                self.items[code] = [saved["version"], saved["grade"]]
            elif response.status_code == 409:
                response.request_meta["name"] = STAFF_ITEM_SAVE.name + " (409 conflict)"
                response.success()
                self.items = {}  # read the checklist again


class ReviewerUser(ApiUser):
    """County reviewers reading their queue and their task inbox."""

    weight = 1
    role = "reviewer"

    @task
    def queue(self):
        self.get(REVIEWER_QUEUE)

    @task
    def inbox(self):
        self.get(REVIEWER_TASKS)


class OfficerUser(ApiUser):
    """City and province officers reading lists and their region's dashboard."""

    weight = 1
    role = "officer"

    @task
    def assessments(self):
        self.get(OFFICER_ASSESSMENTS)

    @task
    def institutions(self):
        self.get(OFFICER_INSTITUTIONS)

    @task
    def dashboard(self):
        self.get(OFFICER_DASHBOARD, region=self.credential.region)

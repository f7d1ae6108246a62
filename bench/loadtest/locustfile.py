"""The simulated users of ``manage.py bench_load``. Loaded by locust only: importing
locust patches the standard library with gevent, so Django never imports this module.

Every user runs a closed loop without think time (the next request leaves when the
previous answer arrives), so a phase measures the server's capacity at that
concurrency. Each user takes its own credentials from the plan file; as institution
staff each edits its own assessment, so an edit conflict (409) means two users shared
one (more users than editable assessments) and is counted apart, not as a failure.
"""

from __future__ import annotations

import itertools
import os
import random
from collections import defaultdict
from pathlib import Path

from locust import FastHttpUser, constant, task

from bench.loadtest.endpoints import (
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


def _headers(credential: Credential) -> dict[str, str]:
    return {"Authorization": f"Token {credential.token}"}


class PingUser(FastHttpUser):
    """The cheapest authenticated API request: token lookup, DRF, one JSON field."""

    wait_time = constant(0)

    def on_start(self):
        self.headers = _headers(_credential("staff"))

    @task
    def ping(self):
        self.client.get(PING.url(), name=PING.name, headers=self.headers)


class MixUser(FastHttpUser):
    """Every user runs the same weighted mix, so that the share of each request does
    not depend on which gunicorn worker a user's kept-alive connection landed on: as
    institution staff of its own assessment (list 1, the whole checklist 2, saving one
    item with the version last read 2), as a county reviewer (queue 1, task inbox 1)
    and as a city or province officer (assessments 1, institutions 1, dashboard 1).
    Half the requests are the staff's, a fifth are writes."""

    wait_time = constant(0)

    def on_start(self):
        self.staff = _credential("staff")
        self.reviewer = _credential("reviewer")
        self.officer = _credential("officer")
        #: item code -> [version, grade], from the last checklist read and saves.
        self.items: dict[str, list] = {}

    def get(self, endpoint: Endpoint, credential: Credential, **values):
        return self.client.get(
            endpoint.url(**values), name=endpoint.name, headers=_headers(credential)
        )

    @task(1)
    def staff_assessments(self):
        self.get(STAFF_ASSESSMENTS, self.staff)

    @task(2)
    def staff_checklist(self):
        response = self.get(STAFF_CHECKLIST, self.staff, assessment=self.staff.assessment)
        if response.status_code == 200:
            self.items = {
                row["item"]["code"]: [row["version"], row["grade"]]
                for row in response.json()["results"]
                if not row["auto_not_applicable"] and row["grade"] in NEXT_GRADE
            }

    @task(2)
    def staff_save(self):
        if not self.items:
            self.staff_checklist()
            return
        code = random.choice(list(self.items))
        version, grade = self.items[code]
        with self.client.patch(
            STAFF_ITEM_SAVE.url(assessment=self.staff.assessment, item=code),
            json={"version": version, "grade": NEXT_GRADE[grade]},
            name=STAFF_ITEM_SAVE.name,
            headers=_headers(self.staff),
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                saved = response.json()
                self.items[code] = [saved["version"], saved["grade"]]
            elif response.status_code == 409:
                response.request_meta["name"] = STAFF_ITEM_SAVE.name + " (409 conflict)"
                response.success()
                self.items = {}  # read the checklist again

    @task(1)
    def reviewer_queue(self):
        self.get(REVIEWER_QUEUE, self.reviewer)

    @task(1)
    def reviewer_inbox(self):
        self.get(REVIEWER_TASKS, self.reviewer)

    @task(1)
    def officer_assessments(self):
        self.get(OFFICER_ASSESSMENTS, self.officer)

    @task(1)
    def officer_institutions(self):
        self.get(OFFICER_INSTITUTIONS, self.officer)

    @task(1)
    def officer_dashboard(self):
        self.get(OFFICER_DASHBOARD, self.officer, region=self.officer.region)

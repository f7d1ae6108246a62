"""What the simulated users request, and the credentials file they read. Pure: no ORM,
no locust, so the tests can check every path against the URLconf."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Environment variable naming the credentials file for the locust process.
PLAN_ENV = "ACCREDITATION_LOADTEST_PLAN"

#: Items read per checklist request: the whole 100-item THC checklist in one page.
CHECKLIST_PAGE_SIZE = 100


@dataclass(frozen=True)
class Endpoint:
    """One request of the load mix. ``path`` may hold ``{assessment}``, ``{item}`` and
    ``{region}``; ``view`` is the URL name the path must resolve to."""

    role: str
    method: str
    path: str
    view: str
    query: str = ""

    @property
    def name(self) -> str:
        """The row in locust's statistics: role, path template and query."""
        return f"{self.role} {self.path}" + (f"?{self.query}" if self.query else "")

    def url(self, **values: object) -> str:
        return self.path.format(**values) + (f"?{self.query}" if self.query else "")


HEALTHZ = Endpoint("anonymous", "GET", "/healthz/", "web:healthz")
PING = Endpoint("token", "GET", "/api/v1/ping/", "api:ping")

STAFF_ASSESSMENTS = Endpoint("staff", "GET", "/api/v1/assessments/", "api:assessment-list")
STAFF_CHECKLIST = Endpoint(
    "staff",
    "GET",
    "/api/v1/assessments/{assessment}/items/",
    "api:checklist",
    f"page_size={CHECKLIST_PAGE_SIZE}",
)
STAFF_ITEM_SAVE = Endpoint(
    "staff", "PATCH", "/api/v1/assessments/{assessment}/items/{item}/", "api:item-grade"
)

REVIEWER_QUEUE = Endpoint(
    "reviewer", "GET", "/api/v1/assessments/", "api:assessment-list", "status=submitted"
)
REVIEWER_TASKS = Endpoint("reviewer", "GET", "/api/v1/tasks/", "api:task-list")

OFFICER_ASSESSMENTS = Endpoint("officer", "GET", "/api/v1/assessments/", "api:assessment-list")
OFFICER_INSTITUTIONS = Endpoint("officer", "GET", "/api/v1/institutions/", "api:institution-list")
OFFICER_DASHBOARD = Endpoint(
    "officer", "GET", "/api/v1/regions/{region}/dashboard/", "api:region-dashboard"
)

ENDPOINTS: tuple[Endpoint, ...] = (
    HEALTHZ,
    PING,
    STAFF_ASSESSMENTS,
    STAFF_CHECKLIST,
    STAFF_ITEM_SAVE,
    REVIEWER_QUEUE,
    REVIEWER_TASKS,
    OFFICER_ASSESSMENTS,
    OFFICER_INSTITUTIONS,
    OFFICER_DASHBOARD,
)


@dataclass(frozen=True)
class Phase:
    """One timed locust run: the user classes of ``locustfile`` it starts."""

    name: str
    description: str
    user_classes: tuple[str, ...]


BASELINE = Phase("healthz", "GET /healthz/: bare Django JSON, no database", ("HealthzUser",))
PHASES: tuple[Phase, ...] = (
    BASELINE,
    Phase("ping", "GET /api/v1/ping/ with an API token", ("PingUser",)),
    Phase(
        "mix",
        "each user: staff 5 (list 1, 100-item checklist 2, item save 2) : reviewer 2 : "
        "officer 3 (lists, dashboard)",
        ("MixUser",),
    ),
)


#: Unmeasured: every user class for a few seconds, so that each gunicorn worker has
#: loaded the URLconf and the views and opened its database connections.
WARM_UP = Phase(
    "warm-up",
    "every user class, unmeasured",
    tuple(dict.fromkeys(name for phase in PHASES for name in phase.user_classes)),
)


@dataclass
class Credential:
    username: str
    token: str
    #: The staff member's own editable assessment.
    assessment: int | None = None
    #: The reviewer's or officer's region (division code).
    region: str | None = None


@dataclass
class Plan:
    """The simulated users' credentials, one list per role. User *n* of a role takes
    entry *n* (wrapping around when there are more users than entries)."""

    staff: list[Credential] = field(default_factory=list)
    reviewer: list[Credential] = field(default_factory=list)
    officer: list[Credential] = field(default_factory=list)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Plan:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**{role: [Credential(**c) for c in rows] for role, rows in data.items()})


#: The grade a staff member's save puts on an item: always a change, so every save
#: writes (a save that changes nothing writes nothing).
NEXT_GRADE = {"": "C", "none": "C", "C": "B", "B": "A", "A": "C"}

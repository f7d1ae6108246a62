"""The load benchmark's database: refuse one that is not a throwaway PostgreSQL
database, build the data set, and issue the simulated users' API tokens."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection

from accreditation.models import EDITABLE_STATUSES, Assessment, Region, User
from accreditation.services.tokens import api_token_issue
from bench.loadtest.endpoints import Credential, Plan
from bench.synthetic.plan import province_code

#: Real division codes never start with 9; the demo (990000) and synthetic (9PP000)
#: regions always do.
FICTIONAL_PREFIX = "9"


def database_refusal() -> str | None:
    """Why the benchmark must not run against the default database, or None. Checked
    before migrating: the benchmark writes (tokens, item grades, audit rows)."""
    if connection.vendor != "postgresql":
        return (
            f"The load benchmark needs PostgreSQL; DATABASE_URL points at {connection.vendor}. "
            "SQLite serialises every write across gunicorn's processes, so its figures "
            "would say nothing about a deployment. Set DATABASE_URL=postgres://… to a "
            "throwaway database."
        )
    if Region._meta.db_table not in connection.introspection.table_names():
        return None
    real = Region.objects.exclude(code__startswith=FICTIONAL_PREFIX).values_list("code", flat=True)
    if real.exists():
        return (
            f"The database holds real regions (e.g. {real.first()}); the load benchmark "
            "writes item grades, tokens and audit rows. Point DATABASE_URL at a "
            "throwaway database."
        )
    return None


def data_set_build(*, institutions: int) -> list[str]:
    """Migrate, load the catalogue, seed the demo world and, unless ``institutions`` is
    0, one synthetic province of that many institutions (once: a province present
    already is kept as it is). Idempotent. Returns what was done, one line a step."""
    done = []
    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0)
    done.append("migrated")
    call_command("load_catalogue", stdout=quiet, stderr=quiet)
    call_command("seed_demo", stdout=quiet, stderr=quiet)
    done.append("catalogue and demo world present")
    if institutions:
        present = Region.objects.filter(code=province_code(0)).exists()
        if present:
            done.append(f"synthetic province {province_code(0)} present already; kept")
        else:
            call_command("generate_synthetic", provinces=1, institutions=institutions, stdout=quiet)
            done.append(f"synthetic province of {institutions:,} institutions generated")
    counts = (
        f"{Assessment.objects.count():,} assessments, "
        f"{Assessment.objects.filter(status__in=EDITABLE_STATUSES).count():,} editable, "
        f"{User.objects.count():,} users"
    )
    done.append(counts)
    return done


def _credential(user: User, **extra) -> Credential:
    return Credential(username=user.username, token=api_token_issue(user=user).key, **extra)


def bench_plan(*, users: int) -> Plan:
    """Credentials for up to ``users`` simulated users of each role: institution staff
    each with their own editable assessment (draft or returned, oldest first), county
    reviewers, and city and province officers (provinces first) with their region.
    Tokens are issued through the service (created and audited the first time)."""
    editable = list(
        Assessment.objects.filter(status__in=EDITABLE_STATUSES)
        .order_by("id")
        .values_list("id", "institution_id")
    )
    staff_of = {}
    for user in User.objects.filter(
        role=User.Role.INSTITUTION_STAFF,
        is_active=True,
        institution_id__in=[institution for _id, institution in editable],
    ).order_by("id"):
        staff_of.setdefault(user.institution_id, user)
    staff = [
        _credential(staff_of[institution], assessment=assessment)
        for assessment, institution in editable
        if institution in staff_of
    ][:users]
    reviewers = User.objects.filter(
        role=User.Role.COUNTY_REVIEWER, is_active=True, region__isnull=False
    ).select_related("region")
    officers = User.objects.filter(
        role=User.Role.OFFICER,
        is_active=True,
        region__level__in=[Region.Level.PROVINCE, Region.Level.CITY],
    ).select_related("region")
    first = {Region.Level.PROVINCE: 0, Region.Level.CITY: 1}
    return Plan(
        staff=staff,
        reviewer=[
            _credential(user, region=user.region.code) for user in reviewers.order_by("id")[:users]
        ],
        officer=[
            _credential(user, region=user.region.code)
            for user in sorted(officers, key=lambda u: (first[u.region.level], u.pk))[:users]
        ],
    )

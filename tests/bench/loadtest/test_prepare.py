"""The load benchmark's database checks and its simulated users' credentials."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from accreditation.models import Assessment, AuditEvent
from bench.loadtest.prepare import bench_plan, database_refusal
from tests.factories import ProvinceFactory

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="refusal of SQLite")


def test_the_plan_gives_each_staff_member_their_own_editable_assessment(world):
    plan = bench_plan(users=20)
    tokens = dict(Token.objects.values_list("user__username", "key"))
    assert [(c.username, c.token, c.assessment) for c in plan.staff] == [
        ("staff_a", tokens["staff_a"], world.assessment_a.pk),
        ("staff_b", tokens["staff_b"], world.assessment_b.pk),
    ]
    assert [(c.username, c.region) for c in plan.reviewer] == [
        ("reviewer_a", "990102"),
        ("reviewer_b", "990202"),
    ]
    # Provinces first; the national officer has no region dashboard to read.
    assert [(c.username, c.region) for c in plan.officer] == [
        ("officer_province", "990000"),
        ("officer_city", "990100"),
        ("officer_other_city", "990200"),
    ]
    assert AuditEvent.objects.filter(action="api_token.issue").count() == 7


def test_the_plan_skips_assessments_that_cannot_be_edited_and_stops_at_the_user_count(world):
    Assessment.objects.filter(pk=world.assessment_a.pk).update(status="submitted")
    plan = bench_plan(users=1)
    assert [c.username for c in plan.staff] == ["staff_b"]
    assert (len(plan.reviewer), len(plan.officer)) == (1, 1)


def test_a_second_plan_reuses_the_tokens(world):
    first, second = bench_plan(users=5), bench_plan(users=5)
    assert [c.token for c in first.staff] == [c.token for c in second.staff]


@sqlite_only
def test_sqlite_is_refused_with_the_reason(db):
    assert "needs PostgreSQL" in database_refusal()
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("bench_load")


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="checks a PostgreSQL database")
def test_a_database_with_real_regions_is_refused(db):
    assert database_refusal() is None
    ProvinceFactory(code="990000")
    assert database_refusal() is None
    ProvinceFactory(code="110000", name="北京市")
    assert "holds real regions (e.g. 110000)" in database_refusal()

"""Matrix cases of the registers: regions (and their dashboards), institutions (and
their facts) and cycles (standards, deadlines, close)."""

from __future__ import annotations

from tests.api.matrix_cases.base import ADMIN_201, ANON, ANYONE, READ_A, V1, Case, rule_set
from tests.factories import make_edition, make_rule_sets


def chc_edition(w) -> None:
    edition = make_edition(kind="chc", code="CHC-T")
    make_rule_sets(edition)


REGISTERS = [
    # --- regions ---------------------------------------------------------------------
    Case("regions", "get", lambda w: f"{V1}/regions/", ANYONE),
    Case("region", "get", lambda w: f"{V1}/regions/{w.county_a.code}/", ANYONE),
    Case(
        "region-create",
        "post",
        lambda w: f"{V1}/regions/",
        ADMIN_201,
        body=lambda w: {
            "code": "990103",
            "name": "新区",
            "level": "county",
            "parent": w.city.code,
        },
    ),
    Case(
        "dashboard-city",
        "get",
        lambda w: f"{V1}/regions/{w.city.code}/dashboard/",
        {ANON: 401, "officer_city": 200, "officer_other_city": 403, "reviewer_a": 403}
        | {"staff_a": 403, "expert": 403, "officer_province": 200, "administrator": 200},
    ),
    Case(
        "dashboard-county",
        "get",
        lambda w: f"{V1}/regions/{w.county_a.code}/dashboard/",
        {ANON: 401, "reviewer_a": 200, "reviewer_b": 403, "officer_city": 200}
        | {"officer_other_city": 403, "staff_a": 403},
    ),
    # --- institutions ----------------------------------------------------------------
    Case("institutions", "get", lambda w: f"{V1}/institutions/", ANYONE),
    Case(
        "institution",
        "get",
        lambda w: f"{V1}/institutions/{w.institution_a.pk}/",
        READ_A,
    ),
    Case(
        "institution-create",
        "post",
        lambda w: f"{V1}/institutions/",
        ADMIN_201,
        body=lambda w: {
            "name": "新建镇卫生院",
            "kind": "thc",
            "licence_number": "PDY-NEW-1",
            "region": w.county_a.code,
        },
    ),
    Case(
        "facts",
        "get",
        lambda w: f"{V1}/institutions/{w.institution_a.pk}/facts/",
        READ_A,
    ),
    Case(
        "facts-record",
        "post",
        lambda w: f"{V1}/institutions/{w.institution_a.pk}/facts/",
        {ANON: 401, "staff_a": 201, "staff_b": 404, "reviewer_a": 403, "expert": 404}
        | {"officer_city": 403, "administrator": 201},
        body=lambda w: {
            "effective_from": "2026-01-01",
            "medical_staff": 8,
            "service_population": 9000,
            "beds": 0,
            "inpatient_ward": False,
        },
    ),
    # --- cycles ----------------------------------------------------------------------
    Case("cycles", "get", lambda w: f"{V1}/cycles/", ANYONE),
    Case("cycle", "get", lambda w: f"{V1}/cycles/{w.cycle.pk}/", ANYONE),
    Case(
        "cycle-create",
        "post",
        lambda w: f"{V1}/cycles/",
        {ANON: 401, "staff_a": 403, "reviewer_a": 403, "officer_city": 403}
        | {"officer_province": 201, "officer_national": 201, "administrator": 201},
        body=lambda w: {"province": w.province.code, "year": 2030, "name": "2030年度"},
    ),
    Case(
        "cycle-standard",
        "post",
        lambda w: f"{V1}/cycles/{w.cycle.pk}/standards/",
        {ANON: 401, "staff_a": 403, "officer_city": 403, "officer_province": 200}
        | {"administrator": 200},
        prepare=chc_edition,
        body=lambda w: {
            "edition": "CHC-T",
            "rule_sets": {"basic": rule_set("CHC-T")},
        },
    ),
    Case(
        "cycle-standard-locked",
        "post",
        lambda w: f"{V1}/cycles/{w.cycle.pk}/standards/",
        {"officer_province": 409, "administrator": 409, "staff_a": 403},
        body=lambda w: {"edition": "THC-T", "rule_sets": {"basic": rule_set("THC-T")}},
    ),
    Case(
        "cycle-deadline",
        "post",
        lambda w: f"{V1}/cycles/{w.cycle.pk}/deadlines/",
        {ANON: 401, "staff_a": 403, "officer_city": 403, "officer_province": 200}
        | {"administrator": 200},
        body=lambda w: {"stage": "self_assessment", "due_on": "2026-06-30"},
    ),
    Case(
        "cycle-close",
        "post",
        lambda w: f"{V1}/cycles/{w.cycle.pk}/close/",
        {ANON: 401, "staff_a": 403, "reviewer_a": 403, "officer_other_city": 403}
        | {"officer_province": 200, "administrator": 200},
    ),
]

"""Matrix cases of the caller (``me``, token revoke), the users and the catalogue."""

from __future__ import annotations

from pathlib import Path

from standards.models import RuleSet
from tests.api.matrix_cases.base import ADMIN_201, ANON, ANYONE, V1, Case, rule_set
from tests.factories import make_edition
from tests.files import upload

CATALOGUE = Path(__file__).resolve().parents[2] / "standards" / "data"

ACCOUNTS = [
    # --- auth and the caller ---------------------------------------------------------
    Case("me", "get", lambda w: f"{V1}/me/", ANYONE),
    Case(
        "token-revoke",
        "post",
        lambda w: f"{V1}/auth/token/revoke/",
        {who: (204 if code == 200 else code) for who, code in ANYONE.items()},
    ),
    # --- users ---------------------------------------------------------------------
    Case("users", "get", lambda w: f"{V1}/users/", ANYONE),
    Case(
        "user-detail",
        "get",
        lambda w: f"{V1}/users/{w.staff_a.pk}/",
        {ANON: 401, "staff_a": 200, "staff_b": 404, "reviewer_a": 404, "administrator": 200},
    ),
    Case(
        "user-history",
        "get",
        lambda w: f"{V1}/users/{w.staff_a.pk}/history/",
        {ANON: 401, "staff_a": 200, "staff_b": 404, "reviewer_a": 404, "administrator": 200},
    ),
    Case(
        "user-create",
        "post",
        lambda w: f"{V1}/users/",
        ADMIN_201,
        body=lambda w: {
            "username": "new_reviewer",
            "password": "a-long-enough-secret-42",
            "role": "county_reviewer",
            "region": w.county_a.code,
        },
    ),
    # --- catalogue -------------------------------------------------------------------
    Case("editions", "get", lambda w: f"{V1}/catalogue/editions/", ANYONE),
    Case("edition", "get", lambda w: f"{V1}/catalogue/editions/THC-T/", ANYONE),
    Case("items", "get", lambda w: f"{V1}/catalogue/editions/THC-T/items/", ANYONE),
    Case("item", "get", lambda w: f"{V1}/catalogue/editions/THC-T/items/1.1.1/", ANYONE),
    Case("rule-sets", "get", lambda w: f"{V1}/catalogue/rule-sets/", ANYONE),
    Case(
        "rule-set",
        "get",
        lambda w: f"{V1}/catalogue/rule-sets/{w.cycle.standards.get().basic_rule_set_id}/",
        ANYONE,
    ),
    Case(
        "draft-edition",
        "get",
        lambda w: f"{V1}/catalogue/editions/DRAFT-T/",
        {ANON: 401, "staff_a": 404, "officer_national": 404, "administrator": 200},
        prepare=lambda w: make_edition(code="DRAFT-T", status="draft"),
    ),
    Case(
        "evaluate",
        "post",
        lambda w: f"{V1}/catalogue/editions/THC-T/evaluate/",
        ANYONE,
        body=lambda w: {"grades": {"1.1.1": "B"}, "facts": {"beds": 0}},
    ),
    Case(
        "catalogue-import",
        "post",
        lambda w: f"{V1}/catalogue/import/",
        {ANON: 401, "staff_a": 403, "officer_national": 403, "administrator": 200},
        multipart=True,
        body=lambda w: {"file": upload((CATALOGUE / "THC-TEST.yaml").read_bytes(), "T.yaml")},
    ),
    Case(
        "edition-publish",
        "post",
        lambda w: f"{V1}/catalogue/editions/DRAFT-T/publish/",
        {ANON: 401, "staff_a": 404, "officer_national": 404, "administrator": 200},
        prepare=lambda w: make_edition(code="DRAFT-T", status="draft"),
    ),
    Case(
        "edition-retire",
        "post",
        lambda w: f"{V1}/catalogue/editions/THC-T/retire/",
        {ANON: 401, "staff_a": 403, "officer_national": 403, "administrator": 200},
    ),
    Case(
        "edition-clone",
        "post",
        lambda w: f"{V1}/catalogue/editions/THC-T/clone/",
        {ANON: 401, "staff_a": 403, "reviewer_a": 403, "administrator": 201},
        body=lambda w: {"new_code": "THC-T-COPY"},
    ),
    Case("edition-export", "get", lambda w: f"{V1}/catalogue/editions/THC-T/export/", ANYONE),
    Case(
        "rule-set-publish",
        "post",
        lambda w: f"{V1}/catalogue/rule-sets/{rule_set('THC-T')}/publish/",
        {ANON: 401, "staff_a": 404, "officer_national": 404, "administrator": 200},
        prepare=lambda w: RuleSet.objects.filter(pk=rule_set("THC-T")).update(status="draft"),
    ),
    Case(
        "rule-set-retire",
        "post",
        lambda w: f"{V1}/catalogue/rule-sets/{rule_set('THC-T')}/retire/",
        {ANON: 401, "staff_a": 403, "officer_national": 403, "administrator": 200},
    ),
]

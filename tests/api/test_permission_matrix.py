"""The permission matrix over every endpoint of the issue-3 resources: anonymous,
another institution (or another region), the wrong role and the right role. Each case
asserts the status code, the error shape on refusal, and that a refusal changed
nothing (row counts, versions, statuses, stored files).

Scope answers 404 (the resource looks missing); a forbidden action on a visible
resource answers 403. Objects named in a request body that the caller cannot see answer
400 on that field, whether they exist or not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db.models import Sum
from rest_framework.authtoken.models import Token

from accreditation.models import (
    Assessment,
    AssessmentReturn,
    AssessmentSnapshot,
    AuditEvent,
    Cycle,
    CycleDeadline,
    CycleStandard,
    Evidence,
    EvidenceAttachment,
    Institution,
    InstitutionFacts,
    ItemGrade,
    Region,
    User,
)
from accreditation.services.submission import assessment_submit
from standards.models import Edition, Item, RuleSet
from tests import files
from tests.accreditation.helpers import complete
from tests.factories import make_edition, make_rule_sets
from tests.files import upload

ANON = "anonymous"
CATALOGUE = Path(__file__).resolve().parent.parent / "standards" / "data"
V1 = "/api/v1"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Any], str]
    expect: dict[str, int]
    body: Callable[[Any], Any] | None = None
    prepare: Callable[[Any], None] | None = None
    multipart: bool = False
    extra: dict = field(default_factory=dict)


def a_url(suffix: str = "") -> Callable[[Any], str]:
    return lambda w: f"{V1}/assessments/{w.assessment_a.pk}/{suffix}"


def attachment_url(suffix: str = "") -> Callable[[Any], str]:
    def build(w):
        pk = EvidenceAttachment.objects.filter(assessment=w.assessment_a).first().pk
        return f"{V1}/assessments/{w.assessment_a.pk}/evidence/{pk}/{suffix}"

    return build


def attach_evidence(w) -> None:
    from accreditation.services.evidence import evidence_upload

    evidence_upload(
        actor=w.staff_a,
        assessment=w.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "制度.pdf"),
    )


def submitted(w) -> None:
    complete(w.assessment_a, w.staff_a)
    assessment_submit(actor=w.staff_a, assessment=w.assessment_a)


def chc_edition(w) -> None:
    edition = make_edition(kind="chc", code="CHC-T")
    make_rule_sets(edition)


def next_year_cycle(w) -> None:
    from tests.factories import make_cycle

    make_cycle(province=w.province, editions={"thc": make_edition(code="THC-N")}, year=2027)


def open_body(w) -> dict:
    return {
        "cycle": Cycle.objects.get(year=2027).pk,
        "institution": w.institution_a.pk,
        "target_level": "basic",
    }


#: Reads of assessment A: everyone who sees A (the expert is assigned to B only).
READ_A = {ANON: 401, "staff_a": 200, "staff_b": 404, "expert": 404, "reviewer_a": 200}
READ_A |= {"officer_other_city": 404, "administrator": 200}
#: The institution's own edits of assessment A.
EDIT_A = {ANON: 401, "staff_a": 200, "staff_b": 404, "expert": 404, "reviewer_a": 403}
EDIT_A |= {"officer_city": 403, "administrator": 403}
#: Every authenticated user may read it.
ANYONE = {ANON: 401, "staff_a": 200, "expert": 200, "reviewer_a": 200, "administrator": 200}
#: Administrators only (catalogue-wide data).
ADMIN_201 = {ANON: 401, "staff_a": 403, "reviewer_a": 403, "officer_national": 403}
ADMIN_201 |= {"administrator": 201}


def created(expect: dict[str, int], status: int = 201) -> dict[str, int]:
    return {who: (status if code == 200 else code) for who, code in expect.items()}


CASES = [
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
        lambda w: f"{V1}/catalogue/rule-sets/{_rule_set('THC-T')}/publish/",
        {ANON: 401, "staff_a": 404, "officer_national": 404, "administrator": 200},
        prepare=lambda w: RuleSet.objects.filter(pk=_rule_set("THC-T")).update(status="draft"),
    ),
    Case(
        "rule-set-retire",
        "post",
        lambda w: f"{V1}/catalogue/rule-sets/{_rule_set('THC-T')}/retire/",
        {ANON: 401, "staff_a": 403, "officer_national": 403, "administrator": 200},
    ),
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
            "rule_sets": {"basic": _rule_set("CHC-T")},
        },
    ),
    Case(
        "cycle-standard-locked",
        "post",
        lambda w: f"{V1}/cycles/{w.cycle.pk}/standards/",
        {"officer_province": 409, "administrator": 409, "staff_a": 403},
        body=lambda w: {"edition": "THC-T", "rule_sets": {"basic": _rule_set("THC-T")}},
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
    # --- assessments -----------------------------------------------------------------
    Case("assessments", "get", lambda w: f"{V1}/assessments/", ANYONE),
    Case(
        "assessment-open",
        "post",
        lambda w: f"{V1}/assessments/",
        {ANON: 401, "staff_a": 201, "staff_b": 400, "expert": 400, "reviewer_a": 403}
        | {"administrator": 403},
        prepare=next_year_cycle,
        body=open_body,
    ),
    Case("assessment", "get", a_url(), READ_A),
    Case(
        "target-level",
        "patch",
        a_url(),
        EDIT_A,
        body=lambda w: {"target_level": "recommended", "version": 1},
    ),
    Case("checklist", "get", a_url("items/"), READ_A),
    Case("item", "get", a_url("items/1.1.1/"), READ_A),
    Case(
        "item-save",
        "patch",
        a_url("items/1.1.1/"),
        EDIT_A,
        body=lambda w: {"grade": "B", "version": 1},
    ),
    Case(
        "item-save-b",
        "patch",
        lambda w: f"{V1}/assessments/{w.assessment_b.pk}/items/1.1.1/",
        {"staff_b": 200, "staff_a": 404, "expert": 403, "reviewer_b": 403, "reviewer_a": 404},
        body=lambda w: {"grade": "C", "version": 1},
    ),
    Case("progress", "get", a_url("progress/"), READ_A),
    Case("result", "get", a_url("result/"), READ_A),
    Case(
        "submit",
        "post",
        a_url("submit/"),
        EDIT_A,
        prepare=lambda w: complete(w.assessment_a, w.staff_a),
    ),
    Case("returns", "get", a_url("returns/"), READ_A),
    Case(
        "return",
        "post",
        a_url("returns/"),
        {ANON: 401, "staff_a": 403, "staff_b": 404, "expert": 404, "reviewer_a": 201}
        | {"reviewer_b": 404, "officer_city": 201, "administrator": 403},
        prepare=submitted,
        body=lambda w: {"reason": "证明材料不清晰", "item_comments": {"1.1.1": "请重新上传"}},
    ),
    Case("snapshots", "get", a_url("snapshots/"), READ_A, prepare=submitted),
    Case("snapshot", "get", a_url("snapshots/1/"), READ_A, prepare=submitted),
    Case("history", "get", a_url("history/"), READ_A),
    # --- evidence --------------------------------------------------------------------
    Case("evidence", "get", a_url("evidence/"), READ_A, prepare=attach_evidence),
    Case(
        "evidence-upload",
        "post",
        a_url("evidence/"),
        created(EDIT_A),
        multipart=True,
        body=lambda w: {"file": upload(files.PNG, "照片.png"), "item_codes": ["1.1.1"]},
    ),
    Case("evidence-detail", "get", attachment_url(), READ_A, prepare=attach_evidence),
    Case(
        "evidence-detach",
        "delete",
        attachment_url(),
        created(EDIT_A, 204),
        prepare=attach_evidence,
    ),
    Case(
        "evidence-attach",
        "post",
        attachment_url("attach/"),
        created(EDIT_A),
        prepare=attach_evidence,
        body=lambda w: {"item_codes": ["2.1.1"]},
    ),
    Case(
        "evidence-download",
        "get",
        attachment_url("download/"),
        READ_A,
        prepare=attach_evidence,
    ),
]


def _rule_set(edition_code: str) -> int:
    return RuleSet.objects.get(edition__code=edition_code, level="basic").pk


def fingerprint() -> tuple:
    """Everything a refused request must leave alone."""
    counted = (
        Region,
        Institution,
        InstitutionFacts,
        User,
        Token,
        Cycle,
        CycleStandard,
        CycleDeadline,
        Assessment,
        AssessmentReturn,
        AssessmentSnapshot,
        Evidence,
        EvidenceAttachment,
        AuditEvent,
        Edition,
        Item,
        RuleSet,
    )
    media = Path(settings.MEDIA_ROOT)
    return (
        tuple(model.objects.count() for model in counted),
        tuple(Assessment.objects.order_by("pk").values_list("status", "version", "target_level")),
        ItemGrade.objects.aggregate(total=Sum("version"))["total"],
        tuple(Cycle.objects.order_by("pk").values_list("status", flat=True)),
        tuple(Edition.objects.order_by("pk").values_list("status", flat=True)),
        tuple(RuleSet.objects.order_by("pk").values_list("status", flat=True)),
        sorted(p.name for p in media.rglob("*")) if media.exists() else [],
    )


MATRIX = [pytest.param(case, who, id=f"{case.name}-{who}") for case in CASES for who in case.expect]


@pytest.mark.parametrize(("case", "who"), MATRIX)
def test_permission_matrix(world, assigned_expert, as_user, case, who):
    if case.prepare:
        case.prepare(world)
    if who != ANON:
        Token.objects.get_or_create(user=getattr(world, who))
    client = as_user(None if who == ANON else who)
    url = case.url(world)
    body = case.body(world) if case.body else None
    before = fingerprint()
    kwargs: dict[str, Any] = {"format": "multipart" if case.multipart else "json"}
    response = getattr(client, case.method)(url, body, **kwargs)
    expected = case.expect[who]
    content = b"" if response.streaming else response.content
    assert response.status_code == expected, content[:500]
    if expected >= 400:
        assert fingerprint() == before
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields", "details"}
        assert (
            error["code"]
            == {
                400: "invalid",
                401: "not_authenticated",
                403: "permission_denied",
                404: "not_found",
                409: "not_editable",
            }[expected]
        )

"""The permission matrix over the review-process endpoints: anonymous, out of scope
(404), the wrong role or level (403) and the right one (2xx), asserting the status, the
error shape, and that a refusal changed nothing (statuses, versions, tasks, expert
grades, recognitions, objections and the row counts of every review model).

The cycle confirms 基本标准 at the province, so the province's officer reviews and
decides; the city's officer sees the assessment but may not act at that level. The
panel is ``experts.lead`` and ``experts.member``; ``experts.third`` is on no panel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from accreditation.models import (
    ConsistencyCheck,
    ConsistencySample,
    Objection,
    PublicNotice,
    Recognition,
    Reduction,
)
from accreditation.services.consistency import consistency_check_run, consistency_rescore_record
from accreditation.services.decisions import decision_record
from accreditation.services.notices import objection_record
from accreditation.services.panels import panel_assign
from tests.workflows.helpers import (
    CODES,
    at_consolidation,
    at_decision,
    at_expert_review,
    grade_all,
    on_notice,
    recognise_all,
    state,
    submitted,
)

ANON = "anonymous"
V1 = "/api/v1"
DOC = "卫公示〔2026〕1号"


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Callable[[Any, Any], str]
    expect: dict[str, int]
    body: Callable[[Any, Any], Any] | None = None
    prepare: Callable[[Any, Any], None] | None = None


def who_is(world, experts, who: str):
    if who in ("lead", "member", "third"):
        return getattr(experts, who)
    return getattr(world, who)


def a(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: f"{V1}/assessments/{w.assessment_a.pk}/{suffix}"


# --- states -----------------------------------------------------------------------


def s_submitted(w, e):
    submitted(w.assessment_a, w.staff_a)


def s_expert_review(w, e):
    at_expert_review(w, w.assessment_a, w.staff_a, w.reviewer_a)


def s_panel(w, e):
    s_expert_review(w, e)
    panel_assign(
        actor=w.officer_province, assessment=w.assessment_a, lead=e.lead, members=[e.member]
    )


def s_lead_graded(w, e):
    s_panel(w, e)
    grade_all(e.lead, w.assessment_a, "A")


def s_consolidation(w, e):
    at_consolidation(w, e, w.assessment_a, w.officer_province)


def s_decision_pending(w, e):
    at_decision(w, e, w.assessment_a, w.officer_province)


def s_decided(w, e):
    s_decision_pending(w, e)
    decision_record(actor=w.officer_province, assessment=w.assessment_a)


def s_notice(w, e):
    on_notice(w, e, w.assessment_a, w.officer_province, w.province, number=DOC)


def s_objection(w, e):
    s_notice(w, e)
    notice = PublicNotice.objects.get()
    objection_record(
        actor=w.officer_province,
        notice=notice,
        assessment=w.assessment_a,
        content="材料造假",
        received_on=notice.starts_on + dt.timedelta(days=1),
    )


def s_recognised(w, e):
    recognise_all(
        w, e, w.officer_province, w.province, [(w.assessment_a, w.staff_a, w.reviewer_a, "A")]
    )


def s_check(w, e):
    s_recognised(w, e)
    consistency_check_run(
        actor=w.officer_province, cycle=w.cycle, region=w.province, sample_share="1"
    )


def s_rescored(w, e):
    s_check(w, e)
    consistency_rescore_record(
        actor=w.officer_province,
        check=ConsistencyCheck.objects.get(),
        recognition=Recognition.objects.get(),
        grades=dict.fromkeys(CODES, "A"),
    )


def notice_url(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: f"{V1}/notices/{PublicNotice.objects.get().pk}/{suffix}"


def recognition_url(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: f"{V1}/recognitions/{Recognition.objects.get().pk}/{suffix}"


def check_url(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: f"{V1}/checks/{ConsistencyCheck.objects.get().pk}/{suffix}"


#: Who sees assessment A (lead and member once on its panel).
SEES_A = {ANON: 401, "staff_a": 200, "staff_b": 404, "reviewer_a": 200, "third": 404}
SEES_A |= {"officer_other_city": 404, "officer_city": 200, "administrator": 200}
ANYONE = {ANON: 401, "staff_a": 200, "third": 200, "reviewer_a": 200, "administrator": 200}

CASES = [
    Case("tasks", "get", lambda w, e: f"{V1}/tasks/", ANYONE, prepare=s_submitted),
    Case("experts", "get", lambda w, e: f"{V1}/experts/", ANYONE),
    Case(
        "overdue",
        "get",
        lambda w, e: f"{V1}/overdue/",
        {ANON: 401, "officer_city": 200, "staff_a": 403, "reviewer_a": 403, "administrator": 403},
    ),
    Case(
        "county-start",
        "post",
        a("county-review/start/"),
        {ANON: 401, "reviewer_a": 200, "reviewer_b": 404, "staff_a": 403, "third": 404}
        | {"officer_city": 200, "administrator": 403},
        prepare=s_submitted,
    ),
    Case(
        "county-forward",
        "post",
        a("county-review/forward/"),
        {ANON: 401, "reviewer_a": 200, "reviewer_b": 404, "staff_a": 403, "administrator": 403},
        body=lambda w, e: {"comment": "齐全"},
        prepare=s_submitted,
    ),
    Case("rounds", "get", a("rounds/"), SEES_A, prepare=s_submitted),
    Case("panel", "get", a("panel/"), SEES_A | {"lead": 200}, prepare=s_panel),
    Case(
        "panel-assign",
        "post",
        a("panel/"),
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"reviewer_a": 403, "officer_other_city": 404, "administrator": 403},
        body=lambda w, e: {"lead": e.lead.pk, "members": [e.member.pk]},
        prepare=s_expert_review,
    ),
    Case(
        "expert-grades",
        "get",
        a("expert-grades/"),
        {ANON: 401, "lead": 200, "member": 200, "third": 404, "staff_a": 403}
        | {"reviewer_a": 403, "officer_city": 200, "administrator": 200},
        prepare=s_panel,
    ),
    Case(
        "expert-grade",
        "put",
        a("expert-grades/1.1.1/"),
        {ANON: 401, "lead": 200, "member": 200, "third": 404, "staff_a": 403}
        | {"officer_province": 403},
        body=lambda w, e: {"grade": "B", "finding": "核实"},
        prepare=s_panel,
    ),
    Case(
        "expert-submit",
        "post",
        a("expert-review/submit/"),
        {ANON: 401, "lead": 200, "member": 422, "third": 404, "staff_a": 403}
        | {"officer_province": 403},
        prepare=s_lead_graded,
    ),
    Case(
        "consolidation",
        "get",
        a("consolidation/"),
        {ANON: 401, "lead": 200, "member": 200, "third": 404, "staff_a": 403}
        | {"officer_city": 200, "reviewer_a": 403},
        prepare=s_consolidation,
    ),
    Case(
        "consolidation-items",
        "get",
        a("consolidation/items/"),
        {ANON: 401, "lead": 200, "member": 200, "third": 404, "staff_a": 403},
        prepare=s_consolidation,
    ),
    Case(
        "consolidation-item",
        "put",
        a("consolidation/items/1.1.1/"),
        {ANON: 401, "lead": 200, "member": 403, "officer_province": 403, "staff_a": 403}
        | {"third": 404},
        body=lambda w, e: {"final_grade": "B", "reason": "现场核实"},
        prepare=s_consolidation,
    ),
    Case(
        "consolidation-complete",
        "post",
        a("consolidation/complete/"),
        {ANON: 401, "lead": 200, "member": 403, "staff_a": 403, "officer_province": 403},
        prepare=s_consolidation,
    ),
    Case("result", "get", a("review-result/"), SEES_A, prepare=s_decision_pending),
    Case(
        "result-compute",
        "post",
        a("review-result/"),
        {ANON: 401, "lead": 201, "officer_province": 201, "officer_city": 403, "member": 403}
        | {"staff_a": 403},
        prepare=s_decision_pending,
    ),
    Case("decisions", "get", a("decisions/"), SEES_A, prepare=s_decided),
    Case(
        "decide",
        "post",
        a("decisions/"),
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403, "lead": 403}
        | {"officer_other_city": 404, "administrator": 403},
        body=lambda w, e: {},
        prepare=s_decision_pending,
    ),
    Case(
        "decide-batch",
        "post",
        lambda w, e: f"{V1}/decisions/batch/",
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"staff_b": 400},
        body=lambda w, e: {"decisions": [{"assessment": w.assessment_a.pk}]},
        prepare=s_decision_pending,
    ),
    Case("notices", "get", lambda w, e: f"{V1}/notices/", ANYONE, prepare=s_notice),
    Case("notice", "get", notice_url(), ANYONE, prepare=s_notice),
    Case(
        "notice-open",
        "post",
        lambda w, e: f"{V1}/notices/",
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"staff_b": 400},
        body=lambda w, e: {
            "cycle": w.cycle.pk,
            "region": w.province.code,
            "assessments": [w.assessment_a.pk],
            "starts_on": timezone.localdate().isoformat(),
            "document_number": DOC,
        },
        prepare=s_decided,
    ),
    Case(
        "notice-close",
        "post",
        notice_url("close/"),
        {ANON: 401, "officer_province": 200, "officer_city": 403, "staff_a": 403},
        prepare=s_notice,
    ),
    Case(
        "objections",
        "get",
        notice_url("objections/"),
        {ANON: 401, "officer_province": 200, "staff_a": 200, "administrator": 200},
        prepare=s_objection,
    ),
    Case(
        "objection-record",
        "post",
        notice_url("objections/"),
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"staff_b": 400},
        body=lambda w, e: {
            "assessment": w.assessment_a.pk,
            "content": "材料造假",
            "received_on": (PublicNotice.objects.get().starts_on).isoformat(),
        },
        prepare=s_notice,
    ),
    Case(
        "objection-resolve",
        "post",
        lambda w, e: (
            f"{V1}/notices/{PublicNotice.objects.get().pk}/objections/"
            f"{Objection.objects.get().pk}/resolve/"
        ),
        {ANON: 401, "officer_province": 200, "officer_city": 404, "staff_a": 404},
        body=lambda w, e: {"upheld": False, "reason": "查无实据"},
        prepare=s_objection,
    ),
    Case("recognitions", "get", lambda w, e: f"{V1}/recognitions/", ANYONE, prepare=s_recognised),
    Case("recognition", "get", recognition_url(), SEES_A, prepare=s_recognised),
    Case("look-backs", "get", recognition_url("look-backs/"), SEES_A, prepare=s_recognised),
    Case(
        "look-back",
        "post",
        recognition_url("look-backs/"),
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"staff_b": 404, "administrator": 403},
        body=lambda w, e: {"outcome": "confirm", "reason": "复核属实"},
        prepare=s_recognised,
    ),
    Case("certificates", "get", lambda w, e: f"{V1}/certificates/", ANYONE, prepare=s_recognised),
    Case(
        "certificate",
        "get",
        lambda w, e: f"{V1}/certificates/{Recognition.objects.get().certificates.get().number}/",
        SEES_A,
        prepare=s_recognised,
    ),
    Case(
        "certificate-download",
        "get",
        lambda w, e: (
            f"{V1}/certificates/{Recognition.objects.get().certificates.get().number}/download/"
        ),
        SEES_A,
        prepare=s_recognised,
    ),
    Case(
        "certificate-verify",
        "get",
        lambda w, e: (
            f"{V1}/public/certificates/{Recognition.objects.get().certificates.get().number}/"
        ),
        {ANON: 200, "staff_b": 200, "third": 200},
        prepare=s_recognised,
    ),
    Case(
        "certificate-verify-unknown",
        "get",
        lambda w, e: f"{V1}/public/certificates/JC-00-2000-T-99999/",
        {ANON: 404, "staff_a": 404},
    ),
    Case(
        "checks",
        "get",
        lambda w, e: f"{V1}/checks/",
        {ANON: 401, "officer_province": 200, "staff_a": 200},
        prepare=s_check,
    ),
    Case(
        "check-run",
        "post",
        lambda w, e: f"{V1}/checks/",
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"administrator": 403},
        body=lambda w, e: {"cycle": w.cycle.pk, "region": w.province.code, "sample_share": "1"},
        prepare=s_recognised,
    ),
    Case(
        "check",
        "get",
        check_url(),
        {ANON: 401, "officer_province": 200, "officer_city": 404, "staff_a": 404}
        | {"administrator": 200},
        prepare=s_check,
    ),
    Case(
        "check-rescore",
        "post",
        lambda w, e: (
            f"{V1}/checks/{ConsistencyCheck.objects.get().pk}/samples/"
            f"{Recognition.objects.get().pk}/rescore/"
        ),
        {ANON: 401, "officer_province": 200, "officer_city": 404, "staff_a": 404},
        body=lambda w, e: {"grades": dict.fromkeys(CODES, "B")},
        prepare=s_check,
    ),
    Case(
        "check-complete",
        "post",
        check_url("complete/"),
        {ANON: 401, "officer_province": 200, "officer_city": 404, "staff_a": 404},
        prepare=s_rescored,
    ),
    Case(
        "reductions",
        "get",
        lambda w, e: f"{V1}/reductions/",
        {ANON: 401, "officer_province": 200, "staff_a": 200},
    ),
    Case(
        "reduction",
        "post",
        lambda w, e: f"{V1}/reductions/",
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"staff_b": 400},
        body=lambda w, e: {
            "region": w.province.code,
            "reason": "一致性核查不符",
            "items": [{"recognition": Recognition.objects.get().pk, "action": "revoke"}],
        },
        prepare=s_recognised,
    ),
]


def fingerprint() -> tuple:
    return (
        state(),
        ConsistencyCheck.objects.count(),
        ConsistencySample.objects.exclude(rescored_at=None).count(),
        Reduction.objects.count(),
        tuple(ConsistencyCheck.objects.values_list("status", flat=True)),
    )


CODES_BY_STATUS = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    422: "incomplete",
}
MATRIX = [pytest.param(case, who, id=f"{case.name}-{who}") for case in CASES for who in case.expect]


@pytest.mark.parametrize(("case", "who"), MATRIX)
def test_review_permission_matrix(world, experts, as_user, api, case, who):
    if case.prepare:
        case.prepare(world, experts)
    client = api
    if who != ANON:
        client.force_authenticate(who_is(world, experts, who))
    url = case.url(world, experts)
    body = case.body(world, experts) if case.body else None
    before = fingerprint()
    response = getattr(client, case.method)(url, body, format="json")
    expected = case.expect[who]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == expected, content[:600]
    if expected >= 400:
        assert fingerprint() == before
        error = response.json()["error"]
        assert set(error) == {"code", "message", "fields", "details"}
        assert error["code"] == CODES_BY_STATUS[expected]

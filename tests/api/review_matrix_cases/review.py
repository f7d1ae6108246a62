"""Matrix cases of the review: tasks, the county review, the panel, the experts'
grades, the consolidation, the result and the decisions."""

from __future__ import annotations

from tests.api.review_matrix_cases.base import ANON, ANYONE, SEES_A, V1, Case, a
from tests.api.review_matrix_cases.states import (
    s_consolidation,
    s_decided,
    s_decision_pending,
    s_expert_review,
    s_lead_graded,
    s_panel,
    s_submitted,
)

REVIEW = [
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
]

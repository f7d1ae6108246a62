"""Matrix cases of the consistency checks and the reductions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accreditation.models import ConsistencyCheck, Recognition
from tests.api.review_matrix_cases.base import ANON, V1, Case
from tests.api.review_matrix_cases.states import s_check, s_recognised, s_rescored
from tests.workflows.helpers import CODES


def check_url(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: f"{V1}/checks/{ConsistencyCheck.objects.get().pk}/{suffix}"


CHECKS = [
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

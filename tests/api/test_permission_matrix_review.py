"""The permission matrix over the review-process endpoints: anonymous, out of scope
(404), the wrong role or level (403) and the right one (2xx), asserting the status, the
error shape, and that a refusal changed nothing (statuses, versions, tasks, expert
grades, recognitions, objections and the row counts of every review model).

The cycle confirms 基本标准 at the province, so the province's officer reviews and
decides; the city's officer sees the assessment but may not act at that level. The
panel is ``experts.lead`` and ``experts.member``; ``experts.third`` is on no panel.

The cases live by subject in ``tests/api/review_matrix_cases/``.
"""

from __future__ import annotations

import pytest

from accreditation.models import (
    CertificateBatch,
    CertificateRecord,
    ConsistencyCheck,
    ConsistencySample,
    Finding,
    LookBack,
    RectificationEvidence,
    RectificationPlan,
    Reduction,
)
from tests.api.review_matrix_cases import ANON, CASES
from tests.workflows.helpers import state


def who_is(world, experts, who: str):
    if who in ("lead", "member", "third"):
        return getattr(experts, who)
    return getattr(world, who)


def fingerprint() -> tuple:
    return (
        state(),
        ConsistencyCheck.objects.count(),
        ConsistencySample.objects.exclude(rescored_at=None).count(),
        Reduction.objects.count(),
        tuple(CertificateBatch.objects.values_list("status", "done", "runs")),
        tuple(CertificateRecord.objects.values_list("number", "status", "sha256")),
        tuple(ConsistencyCheck.objects.values_list("status", flat=True)),
        tuple(Finding.objects.order_by("pk").values_list("status", "version", "due_on")),
        RectificationPlan.objects.count(),
        RectificationEvidence.objects.count(),
        tuple(LookBack.objects.values_list("rectification", flat=True)),
    )


CODES_BY_STATUS = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    409: "not_issued",
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

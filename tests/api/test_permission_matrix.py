"""The permission matrix over every endpoint of the issue-3 resources: anonymous,
another institution (or another region), the wrong role and the right role. Each case
asserts the status code, the error shape on refusal, and that a refusal changed
nothing (row counts, versions, statuses, stored files).

Scope answers 404 (the resource looks missing); a forbidden action on a visible
resource answers 403. Objects named in a request body that the caller cannot see answer
400 on that field, whether they exist or not.

The cases live by subject in ``tests/api/matrix_cases/``.
"""

from __future__ import annotations

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
from standards.models import Edition, Item, RuleSet
from tests.api.matrix_cases import ANON, CASES


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

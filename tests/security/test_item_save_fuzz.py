"""Fuzzing the item save, in the service and through the checklist's JSON endpoint:
whatever arrives is saved or refused with a validation error, never a server error,
and a refusal writes nothing."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accreditation.core.errors import ConflictError
from accreditation.models import AuditEvent, ItemGrade
from accreditation.services.assessments import item_grade_save

GRADES = st.one_of(
    st.sampled_from(["", "none", "C", "B", "A", "NA", "a", "D", "NA ", "null", "0"]),
    st.text(max_size=5),
)
TEXTS = st.one_of(
    st.text(max_size=50),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1990, max_size=2100),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\u202e",
            "<script>alert(1)</script>",
            "𠀀" * 300,
            "\r\n" * 50,
            "=cmd|' /C calc'!A0",
        ]
    ),
)
METRICS = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            " ",
            "NaN",
            "-Infinity",
            "1e309",
            "1e-9",
            "-0",
            "0.00001",
            "12.3456",
            "١٢",
            "12,5",
            "9999999999.9999",
            "10000000000",
            "0x10",
            "1_000",
            "  7  ",
            "\x00",
        ]
    ),
    st.text(max_size=12),
)
CODES = st.sampled_from(["1.1.1", "1.1.2", "1.1.4", "2.1.2"])

fuzz = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _row(assessment, code):
    return ItemGrade.objects.filter(assessment=assessment, item_code=code).values().get()


@fuzz
@given(code=CODES, grade=GRADES, na_reason=TEXTS, metric=METRICS, note=TEXTS)
def test_the_service_saves_or_refuses_and_never_half_writes(
    world, code, grade, na_reason, metric, note
):
    a = world.assessment_a
    before = _row(a, code)
    audits = AuditEvent.objects.count()
    try:
        row = item_grade_save(
            actor=world.staff_a,
            assessment=a,
            item_code=code,
            expected_version=before["version"],
            grade=grade,
            na_reason=na_reason,
            metric_value=metric,
            note=note,
        )
    except ValidationError:
        assert _row(a, code) == before
        assert AuditEvent.objects.count() == audits
        return
    after = _row(a, code)
    assert after["grade"] == row.grade == grade
    if after == {**before, "version": after["version"], "updated_at": after["updated_at"]}:
        return  # nothing changed, nothing written
    assert after["version"] == before["version"] + 1
    assert AuditEvent.objects.count() == audits + 1
    if after["metric_value"] is not None:
        assert isinstance(after["metric_value"], Decimal) and after["metric_value"].is_finite()


def _json_value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float) and value != value:
        return "NaN"
    return value


BODIES = st.one_of(
    st.fixed_dictionaries(
        {"grade": GRADES, "na_reason": TEXTS, "metric_value": METRICS, "note": TEXTS},
        optional={"version": st.one_of(st.integers(), st.text(max_size=4), st.none())},
    ),
    st.dictionaries(
        st.text(max_size=10), st.one_of(st.none(), st.integers(), st.text()), max_size=5
    ),
    st.lists(st.integers(), max_size=3),
    st.text(max_size=20),
)


@fuzz
@given(code=st.one_of(CODES, st.sampled_from(["9.9.9", "1.1.1%00", "..%2F"])), body=BODIES)
def test_the_json_endpoint_never_answers_a_server_error(world, code, body):
    a = world.assessment_a
    client = Client(raise_request_exception=False)
    client.force_login(world.staff_a)
    before = list(ItemGrade.objects.filter(assessment=a).order_by("pk").values())
    if isinstance(body, dict) and "version" not in body:
        row = ItemGrade.objects.filter(assessment=a, item_code=code).first()
        body = {**body, "version": row.version if row else 1}
    if isinstance(body, dict):
        payload = json.dumps({k: _json_value(v) for k, v in body.items()}, default=str)
    else:
        payload = json.dumps(body)
    response = client.post(
        reverse("web:item_save", args=[a.pk, code]), payload, content_type="application/json"
    )
    assert response.status_code in (200, 400, 404, 409, 422), (response.status_code, body)
    if response.status_code != 200:
        assert list(ItemGrade.objects.filter(assessment=a).order_by("pk").values()) == before


def test_a_stale_version_is_a_conflict_not_a_write(world):
    a = world.assessment_a
    before = _row(a, "1.1.1")
    with pytest.raises(ConflictError):
        item_grade_save(
            actor=world.staff_a,
            assessment=a,
            item_code="1.1.1",
            expected_version=before["version"] + 5,
            grade="A",
        )
    assert _row(a, "1.1.1") == before

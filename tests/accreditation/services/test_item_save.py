from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accreditation.core.errors import ConflictError, NotEditable
from accreditation.models import Assessment, AuditEvent, ItemGrade
from accreditation.services.assessments import KEEP, item_grade_save


def grade_row(assessment, code="1.1.1") -> ItemGrade:
    return ItemGrade.objects.get(assessment=assessment, item_code=code)


def test_assessment_open_creates_one_ungraded_row_per_item(world):
    rows = list(
        ItemGrade.objects.filter(assessment=world.assessment_a)
        .order_by("item__position")
        .values_list("item_code", "grade", "version")
    )
    assert rows == [
        ("1.1.1", "", 1),
        ("1.1.2", "", 1),
        ("1.1.3", "", 1),
        ("1.1.4", "", 1),
        ("2.1.1", "", 1),
        ("2.1.2", "", 1),
    ]


def test_item_save_stores_values_and_bumps_version(world):
    saved = item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.4",
        expected_version=1,
        grade="B",
        metric_value="25",
        note="  实际开放25张  ",
    )
    row = grade_row(world.assessment_a, "1.1.4")
    assert (row.grade, row.metric_value, row.note, row.version) == (
        "B",
        Decimal("25"),
        "实际开放25张",
        2,
    )
    assert row.updated_by == world.staff_a
    assert saved.version == 2


def test_item_save_reads_once_writes_the_row_and_one_audit_row(world, django_assert_num_queries):
    # SAVEPOINT, the locked read of row and assessment, UPDATE, audit INSERT, RELEASE.
    with django_assert_num_queries(5) as captured:
        item_grade_save(
            actor=world.staff_a,
            assessment=world.assessment_a.pk,
            item_code="1.1.1",
            expected_version=1,
            grade="A",
        )
    statements = [q["sql"].split()[0] for q in captured.captured_queries]
    assert statements == ["SAVEPOINT", "SELECT", "UPDATE", "WITH", "RELEASE"]


def test_item_save_keeps_the_values_not_sent(world):
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.4",
        expected_version=1,
        grade="NA",
        na_reason="无此科室",
        note="kept",
    )
    saved = item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a.pk,
        item_code="1.1.4",
        expected_version=2,
        grade=KEEP,
        na_reason=KEEP,
        metric_value="25",
        note=KEEP,
    )
    row = grade_row(world.assessment_a, "1.1.4")
    assert (row.grade, row.na_reason, row.metric_value, row.note, row.version) == (
        "NA",
        "无此科室",
        Decimal("25"),
        "kept",
        3,
    )
    assert saved.version == 3


def test_item_save_drops_a_kept_na_reason_with_another_grade(world):
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.1",
        expected_version=1,
        grade="NA",
        na_reason="无此科室",
    )
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.1",
        expected_version=2,
        grade="B",
        na_reason=KEEP,
        note=KEEP,
    )
    row = grade_row(world.assessment_a)
    assert (row.grade, row.na_reason) == ("B", "")


def test_item_save_checks_a_reason_sent_with_the_na_grade_kept(world):
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.1",
        expected_version=1,
        grade="NA",
        na_reason="无此科室",
    )
    with pytest.raises(ValidationError) as excinfo:
        item_grade_save(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_code="1.1.1",
            expected_version=2,
            grade=KEEP,
            na_reason="x" * 2001,
        )
    assert list(excinfo.value.message_dict) == ["na_reason"]
    assert grade_row(world.assessment_a).na_reason == "无此科室"


def test_stale_save_is_refused_with_the_current_values(world):
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.1",
        expected_version=1,
        grade="B",
        note="first",
    )
    with pytest.raises(ConflictError) as excinfo:
        item_grade_save(
            actor=world.staff_a2,
            assessment=world.assessment_a,
            item_code="1.1.1",
            expected_version=1,
            grade="C",
            note="second",
        )
    assert excinfo.value.code == "stale_version"
    assert excinfo.value.current == {
        "item": "1.1.1",
        "grade": "B",
        "na_reason": "",
        "metric_value": None,
        "note": "first",
        "carry": "",
        "version": 2,
    }
    row = grade_row(world.assessment_a)
    assert (row.grade, row.note, row.version) == ("B", "first", 2)
    assert AuditEvent.objects.filter(action="item_grade.save").count() == 1


def test_item_save_keeps_na_reason_only_with_na(world):
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.2",
        expected_version=1,
        grade="C",
        na_reason="not relevant",
    )
    assert grade_row(world.assessment_a, "1.1.2").na_reason == ""
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.2",
        expected_version=2,
        grade="NA",
        na_reason="无此科室",
    )
    assert grade_row(world.assessment_a, "1.1.2").na_reason == "无此科室"


@pytest.mark.parametrize(
    ("code", "values", "field"),
    [
        ("1.1.1", {"grade": "D"}, "grade"),
        ("9.9.9", {"grade": "C"}, "item_code"),
        ("1.1.1", {"grade": "C", "metric_value": "12"}, "metric_value"),
        ("1.1.4", {"grade": "C", "metric_value": "twelve"}, "metric_value"),
        ("1.1.4", {"grade": "C", "metric_value": "1.23456"}, "metric_value"),
        ("1.1.4", {"grade": "C", "metric_value": "1e12"}, "metric_value"),
        ("1.1.4", {"grade": "C", "metric_value": "NaN"}, "metric_value"),
        ("1.1.1", {"grade": "C", "note": "x" * 4001}, "note"),
    ],
)
def test_item_save_refuses_invalid_values(world, code, values, field):
    with pytest.raises(ValidationError) as excinfo:
        item_grade_save(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_code=code,
            expected_version=1,
            **values,
        )
    assert list(excinfo.value.message_dict) == [field]
    assert not ItemGrade.objects.filter(assessment=world.assessment_a).exclude(grade="").exists()


def test_item_save_without_changes_writes_nothing(world):
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.1",
        expected_version=1,
        grade="C",
    )
    again = item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.1",
        expected_version=2,
        grade="C",
    )
    assert again.version == 2
    assert AuditEvent.objects.filter(action="item_grade.save").count() == 1


def test_item_save_writes_an_audit_row_with_before_and_after(world):
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.1",
        expected_version=1,
        grade="A",
        note="ok",
    )
    event = AuditEvent.objects.get(action="item_grade.save")
    assert event.actor == world.staff_a
    assert event.assessment_id == world.assessment_a.pk
    assert event.note == "1.1.1"
    assert event.before == {
        "item": "1.1.1",
        "grade": "",
        "na_reason": "",
        "metric_value": None,
        "note": "",
        "carry": "",
    }
    assert event.after == {
        "item": "1.1.1",
        "grade": "A",
        "na_reason": "",
        "metric_value": None,
        "note": "ok",
        "carry": "",
    }


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("staff_b", Assessment.DoesNotExist),
        ("reviewer_a", PermissionDenied),
        ("officer_city", PermissionDenied),
        ("officer_national", PermissionDenied),
        ("expert", Assessment.DoesNotExist),
        ("administrator", PermissionDenied),
    ],
)
def test_item_save_is_refused_to_everyone_but_own_staff(world, assigned_expert, who, refusal):
    """Out of scope the assessment does not exist (404); in scope, not allowed (403)."""
    with pytest.raises(refusal):
        item_grade_save(
            actor=getattr(world, who),
            assessment=world.assessment_a,
            item_code="1.1.1",
            expected_version=1,
            grade="A",
        )
    row = grade_row(world.assessment_a)
    assert (row.grade, row.version) == ("", 1)
    assert not AuditEvent.objects.filter(action="item_grade.save").exists()


def test_item_save_is_refused_after_submission(world):
    Assessment.objects.filter(pk=world.assessment_a.pk).update(status="submitted")
    with pytest.raises(NotEditable):
        item_grade_save(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_code="1.1.1",
            expected_version=1,
            grade="A",
        )
    assert grade_row(world.assessment_a).grade == ""

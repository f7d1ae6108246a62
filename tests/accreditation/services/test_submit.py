import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accreditation.core.errors import DomainError, IncompleteError, InvalidTransition, NotEditable
from accreditation.models import Assessment, AssessmentSnapshot, AuditEvent, Cycle, ItemGrade
from accreditation.services.assessments import assessment_return, item_grade_save
from accreditation.services.evidence import evidence_upload
from accreditation.services.submission import assessment_submit
from tests import files
from tests.accreditation.helpers import complete, grade_all
from tests.factories import FactsFactory
from tests.files import upload


def problems_of(excinfo) -> list[tuple[str, str]]:
    return [(p.code, p.item) for p in excinfo.value.problems]


def test_submit_lists_every_problem_at_once(world):
    grade_all(world.assessment_a, world.staff_a, {"1.1.4": "C"})
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.2",
        expected_version=1,
        grade="NA",
    )
    with pytest.raises(IncompleteError) as excinfo:
        assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assert excinfo.value.code == "incomplete"
    assert problems_of(excinfo) == [
        ("ungraded", "1.1.1"),
        ("evidence_missing", "1.1.1"),
        ("na_reason_missing", "1.1.2"),
        ("ungraded", "1.1.3"),
        ("evidence_missing", "1.1.3"),
        ("ungraded", "2.1.1"),
        ("evidence_missing", "2.1.1"),
        ("ungraded", "2.1.2"),
    ]
    assert excinfo.value.details["problems"][0] == {
        "code": "ungraded",
        "message": "Item 1.1.1 has no grade.",
        "item": "1.1.1",
    }
    assessment = Assessment.objects.get(pk=world.assessment_a.pk)
    assert (assessment.status, assessment.version, assessment.submitted_at) == ("draft", 1, None)
    assert not AssessmentSnapshot.objects.exists()


def test_submit_requires_declared_facts(world):
    world.institution_a.facts_snapshots.all().delete()
    complete(world.assessment_a, world.staff_a)
    with pytest.raises(IncompleteError) as excinfo:
        assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assert problems_of(excinfo) == [("facts_missing", "")]


def test_items_not_applicable_by_facts_need_no_grade_or_evidence(world):
    FactsFactory(
        institution=world.institution_a,
        effective_from=dt.date(2021, 1, 1),
        beds=0,
        inpatient_ward=False,
    )
    grade_all(
        world.assessment_a,
        world.staff_a,
        {"1.1.1": "C", "1.1.2": "C", "1.1.4": "C", "2.1.1": "C", "2.1.2": "C"},
    )
    evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1", "2.1.1"],
        file=upload(files.PDF),
    )
    snapshot = assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assert snapshot.data["grades"]["1.1.3"]["grade"] == ""
    assert snapshot.data["result"]["evaluation"]["auto_not_applicable"] == ["1.1.3"]


def test_submit_freezes_a_snapshot_and_marks_the_assessment_submitted(world):
    complete(world.assessment_a, world.staff_a, grade="B")
    snapshot = assessment_submit(actor=world.staff_a, assessment=world.assessment_a)

    assessment = Assessment.objects.get(pk=world.assessment_a.pk)
    assert (assessment.status, assessment.version) == ("submitted", 2)
    assert assessment.submitted_at is not None
    data = snapshot.data
    assert snapshot.sequence == 1
    assert data["schema"] == 1
    assert data["edition"] == {"id": assessment.edition_id, "code": "THC-T", "status": "published"}
    standard = world.cycle.standards.get()
    assert data["rule_sets"] == {
        "qualified": {
            "id": standard.qualified_rule_set_id,
            "version": 1,
            "province_code": "",
            "provisional": False,
        },
        "basic": {
            "id": standard.basic_rule_set_id,
            "version": 1,
            "province_code": "",
            "provisional": False,
        },
        "recommended": {
            "id": standard.recommended_rule_set_id,
            "version": 1,
            "province_code": "",
            "provisional": False,
        },
    }
    facts = world.institution_a.facts_snapshots.get()
    assert data["facts"] == {
        "id": facts.pk,
        "effective_from": "2020-01-01",
        "medical_staff": 40,
        "service_population": 30000,
        "beds": 20,
        "inpatient_ward": True,
    }
    assert data["grades"]["1.1.1"] == {
        "grade": "B",
        "na_reason": "",
        "metric_value": None,
        "note": "",
        "version": 2,
    }
    assert sorted(data["grades"]) == ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "2.1.1", "2.1.2"]
    sha = data["evidence"]["1.1.1"][0]["sha256"]
    assert data["evidence"]["1.1.1"] == [
        {
            "sha256": sha,
            "name": "证明材料.pdf",
            "size": len(files.PDF) + len(str(assessment.pk)),
            "type": "pdf",
            "effective_on": timezone.localdate().isoformat(),
            "expires_on": None,
            "revision": 1,
        }
    ]
    assert sorted(data["evidence"]) == ["1.1.1", "1.1.3", "2.1.1"]
    assert data["result"]["level"] is None
    assert data["result"]["target_level"] == "basic"
    assert data["result"]["gap_plan"]["upgrades"] == [{"item": "1.1.1", "from": "B", "to": "A"}]
    event = AuditEvent.objects.get(action="assessment.submit")
    assert (event.actor, event.assessment_id) == (world.staff_a, assessment.pk)
    assert event.before == {"status": "draft"}
    assert event.after == {
        "status": "submitted",
        "snapshot": snapshot.pk,
        "sequence": 1,
        "provisional_level": None,
    }


def test_after_submission_edits_are_refused_and_the_snapshot_stays(world):
    complete(world.assessment_a, world.staff_a)
    snapshot = assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    frozen = AssessmentSnapshot.objects.get(pk=snapshot.pk).data
    with pytest.raises(NotEditable):
        item_grade_save(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_code="1.1.1",
            expected_version=2,
            grade="A",
        )
    with pytest.raises(NotEditable):
        evidence_upload(
            actor=world.staff_a,
            assessment=world.assessment_a,
            item_codes=["1.1.2"],
            file=upload(files.PNG),
        )
    assert ItemGrade.objects.get(assessment=world.assessment_a, item_code="1.1.1").grade == "B"
    assert AssessmentSnapshot.objects.get(pk=snapshot.pk).data == frozen


def test_snapshot_rows_cannot_be_changed_or_deleted(world):
    complete(world.assessment_a, world.staff_a)
    snapshot = assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    snapshot.data = {"tampered": True}
    with pytest.raises(ValueError, match="immutable"):
        snapshot.save()
    with pytest.raises(ValueError, match="immutable"):
        snapshot.delete()
    assert AssessmentSnapshot.objects.get(pk=snapshot.pk).data["schema"] == 1


def test_submit_twice_is_an_invalid_transition(world):
    complete(world.assessment_a, world.staff_a)
    assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    with pytest.raises(InvalidTransition):
        assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assert AssessmentSnapshot.objects.count() == 1


def test_submit_is_refused_in_a_closed_cycle(world):
    complete(world.assessment_a, world.staff_a)
    Cycle.objects.filter(pk=world.cycle.pk).update(status="closed")
    with pytest.raises(DomainError) as excinfo:
        assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assert excinfo.value.code == "cycle_closed"
    assert Assessment.objects.get(pk=world.assessment_a.pk).status == "draft"


@pytest.mark.parametrize(
    "who", ["staff_b", "reviewer_a", "officer_city", "officer_national", "expert", "administrator"]
)
def test_submit_is_refused_to_everyone_but_own_staff(world, assigned_expert, who):
    complete(world.assessment_a, world.staff_a)
    with pytest.raises(PermissionDenied):
        assessment_submit(actor=getattr(world, who), assessment=world.assessment_a)
    assert Assessment.objects.get(pk=world.assessment_a.pk).status == "draft"
    assert not AssessmentSnapshot.objects.exists()


def test_returned_assessment_can_be_corrected_and_resubmitted(world):
    complete(world.assessment_a, world.staff_a)
    first = assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assessment_return(
        actor=world.reviewer_a,
        assessment=world.assessment_a,
        reason="材料不全",
        item_comments={"1.1.1": "请补充制度文件"},
    )
    item_grade_save(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_code="1.1.1",
        expected_version=2,
        grade="A",
    )
    second = assessment_submit(actor=world.staff_a, assessment=world.assessment_a)
    assert (first.sequence, second.sequence) == (1, 2)
    assert AssessmentSnapshot.objects.get(pk=first.pk).data["grades"]["1.1.1"]["grade"] == "B"
    assert second.data["grades"]["1.1.1"]["grade"] == "A"
    assessment = Assessment.objects.get(pk=world.assessment_a.pk)
    assert (assessment.status, assessment.version) == ("submitted", 4)

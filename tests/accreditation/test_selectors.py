import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accreditation.models import Assessment, EvidenceAttachment
from accreditation.selectors import (
    assessment_checklist,
    assessment_progress,
    assessment_provisional_result,
    attachment_get_for_user,
    attachments_visible_to,
    audit_events_by_user,
    audit_events_for_assessment,
    audit_events_visible_to,
    expert_conflicts,
    facts_in_force,
)
from accreditation.services.evidence import evidence_upload
from tests import files
from tests.accreditation.helpers import complete, grade_all
from tests.factories import CountyFactory, ExpertFactory, FactsFactory, InstitutionFactory
from tests.files import upload


def fresh(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_related("edition").get(pk=assessment.pk)


def test_progress_counts_answered_and_applicable_per_chapter(world):
    grade_all(world.assessment_a, world.staff_a, {"1.1.1": "C", "1.1.2": "NA", "2.1.2": "none"})
    progress = assessment_progress(assessment=fresh(world.assessment_a))
    assert progress.as_dict() == {
        "applicable": 5,
        "answered": 2,
        "chapters": [
            {
                "code": "1",
                "title": "第1章",
                "total": 4,
                "applicable": 3,
                "answered": 1,
                "not_applicable": 1,
            },
            {
                "code": "2",
                "title": "第2章",
                "total": 2,
                "applicable": 2,
                "answered": 1,
                "not_applicable": 0,
            },
        ],
    }
    assert not progress.complete


def test_progress_excludes_items_not_applicable_by_the_facts(world):
    FactsFactory(institution=world.institution_a, effective_from=dt.date(2024, 1, 1), beds=0)
    progress = assessment_progress(assessment=fresh(world.assessment_a))
    assert [(c.code, c.applicable, c.not_applicable) for c in progress.chapters] == [
        ("1", 3, 1),
        ("2", 2, 0),
    ]


def test_progress_and_checklist_use_a_constant_number_of_queries(
    world, django_assert_max_num_queries
):
    complete(world.assessment_a, world.staff_a)
    assessment = fresh(world.assessment_a)
    assessment_progress(assessment=assessment)  # compiles and caches the edition
    with django_assert_max_num_queries(3):
        assessment_progress(assessment=assessment)
    with django_assert_max_num_queries(4):
        rows = assessment_checklist(assessment=assessment)
        assert [r.grade.item.section.chapter.code for r in rows] == ["1", "1", "1", "1", "2", "2"]
        assert [len(r.grade.item.criteria.all()) for r in rows] == [3] * 6


def test_provisional_result_with_gap_plan_to_the_target(world):
    grade_all(
        world.assessment_a,
        world.staff_a,
        {"1.1.1": "B", "1.1.2": "B", "1.1.3": "B", "1.1.4": "C", "2.1.1": "none"},
    )
    result = assessment_provisional_result(assessment=fresh(world.assessment_a))
    assert result.evaluation.level is None
    assert result.plan.target == "basic"
    assert [u.as_dict() for u in result.plan.upgrades] == [
        {"item": "1.1.1", "from": "B", "to": "A"},
    ]
    assert result.as_dict()["facts_declared"] is True


def test_provisional_result_uses_only_the_queries_it_needs(world, django_assert_max_num_queries):
    assessment = fresh(world.assessment_a)
    assessment_provisional_result(assessment=assessment)
    with django_assert_max_num_queries(3):
        assessment_provisional_result(assessment=assessment)


def test_facts_in_force_is_the_latest_effective_snapshot(world):
    later = FactsFactory(institution=world.institution_a, effective_from=dt.date(2025, 7, 1))
    assert facts_in_force(
        institution_id=world.institution_a.pk, on=dt.date(2025, 6, 30)
    ).effective_from == dt.date(2020, 1, 1)
    assert facts_in_force(institution_id=world.institution_a.pk, on=dt.date(2025, 7, 1)) == later
    assert facts_in_force(institution_id=world.institution_a.pk, on=dt.date(2019, 1, 1)) is None


@pytest.fixture
def attachment_a(world) -> EvidenceAttachment:
    (attachment,) = evidence_upload(
        actor=world.staff_a,
        assessment=world.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF),
    )
    return attachment


def test_staff_cannot_read_another_institutions_evidence(world, attachment_a):
    assert list(attachments_visible_to(world.staff_b)) == []
    with pytest.raises(EvidenceAttachment.DoesNotExist):
        attachment_get_for_user(user=world.staff_b, attachment_id=attachment_a.pk)
    assert attachment_get_for_user(user=world.staff_a2, attachment_id=attachment_a.pk) == (
        attachment_a
    )
    assert list(attachments_visible_to(world.reviewer_a)) == [attachment_a]
    assert list(attachments_visible_to(world.reviewer_b)) == []


def test_audit_per_assessment_lists_every_change_newest_first(world, attachment_a):
    grade_all(world.assessment_a, world.staff_a2, {"1.1.1": "C"})
    events = audit_events_for_assessment(viewer=world.staff_a, assessment=world.assessment_a)
    assert [(e.action, e.actor.username) for e in events] == [
        ("item_grade.save", "staff_a2"),
        ("evidence.attach", "staff_a"),
        ("assessment.open", "staff_a"),
    ]


def test_staff_cannot_read_another_institutions_audit(world, attachment_a):
    with pytest.raises(PermissionDenied):
        audit_events_for_assessment(viewer=world.staff_b, assessment=world.assessment_a)
    assert {e.assessment_id for e in audit_events_visible_to(world.staff_b)} == {
        world.assessment_b.pk
    }


def test_audit_per_user(world, attachment_a):
    events = audit_events_by_user(viewer=world.staff_a, user=world.staff_a)
    assert [e.action for e in events] == ["evidence.attach", "assessment.open"]
    assert [
        e.action for e in audit_events_by_user(viewer=world.administrator, user=world.staff_b)
    ] == ["assessment.open"]
    with pytest.raises(PermissionDenied):
        audit_events_by_user(viewer=world.staff_b, user=world.staff_a)


def test_expert_conflicts(world):
    from accreditation.services.people import expert_profile_set

    expert = ExpertFactory()
    assert expert_conflicts(expert=expert, institution=world.institution_a) == [
        "The expert has no expert profile."
    ]
    elsewhere = InstitutionFactory(region=CountyFactory(parent=world.city))
    expert_profile_set(
        actor=None,
        expert=expert,
        home_region=world.county_a,
        employer=world.institution_b,
        declared_conflicts=[elsewhere],
    )
    assert expert_conflicts(expert=expert, institution=world.institution_a) == [
        "The expert's home region is the institution's county."
    ]
    assert expert_conflicts(expert=expert, institution=world.institution_b) == [
        "The expert works at this institution."
    ]
    assert expert_conflicts(expert=expert, institution=elsewhere) == [
        "The expert declared a conflict with this institution."
    ]

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accreditation.core.errors import ConflictError, DomainError, NotEditable
from accreditation.models import Assessment, AuditEvent, Cycle, ItemGrade
from accreditation.services.assessments import assessment_open, assessment_target_level_set
from tests.factories import (
    CityFactory,
    CountyFactory,
    InstitutionFactory,
    ProvinceFactory,
    StaffFactory,
)


@pytest.fixture
def newcomer(world):
    institution = InstitutionFactory(region=world.county_a)
    return StaffFactory(institution=institution)


def test_open_records_the_edition_target_and_audit(world, newcomer):
    assessment = assessment_open(
        actor=newcomer,
        cycle=world.cycle,
        institution=newcomer.institution,
        target_level="recommended",
    )
    assert (assessment.status, assessment.version, assessment.target_level) == (
        "draft",
        1,
        "recommended",
    )
    assert assessment.edition.code == "THC-T"
    assert ItemGrade.objects.filter(assessment=assessment).count() == 6
    event = AuditEvent.objects.get(action="assessment.open", assessment=assessment)
    assert event.actor == newcomer
    assert event.after == {
        "cycle": world.cycle.pk,
        "institution": newcomer.institution.pk,
        "edition": "THC-T",
        "target_level": "recommended",
        "items": 6,
    }


def test_open_twice_is_refused(world):
    with pytest.raises(DomainError) as excinfo:
        assessment_open(
            actor=world.staff_a,
            cycle=world.cycle,
            institution=world.institution_a,
            target_level="basic",
        )
    assert excinfo.value.code == "already_open"
    assert Assessment.objects.filter(institution=world.institution_a).count() == 1


def test_open_for_another_institution_is_refused(world, newcomer):
    with pytest.raises(PermissionDenied):
        assessment_open(
            actor=world.staff_a,
            cycle=world.cycle,
            institution=newcomer.institution,
            target_level="basic",
        )
    assert not Assessment.objects.filter(institution=newcomer.institution).exists()


def test_open_in_a_closed_cycle_is_refused(world, newcomer):
    Cycle.objects.filter(pk=world.cycle.pk).update(status="closed")
    world.cycle.refresh_from_db()
    with pytest.raises(DomainError) as excinfo:
        assessment_open(
            actor=newcomer,
            cycle=world.cycle,
            institution=newcomer.institution,
            target_level="basic",
        )
    assert excinfo.value.code == "cycle_closed"


def test_open_outside_the_cycle_province_is_refused(world):
    elsewhere = CountyFactory(parent=CityFactory(parent=ProvinceFactory(code="980000")))
    staff = StaffFactory(institution=InstitutionFactory(region=elsewhere))
    with pytest.raises(DomainError) as excinfo:
        assessment_open(
            actor=staff, cycle=world.cycle, institution=staff.institution, target_level="basic"
        )
    assert excinfo.value.code == "outside_cycle"


def test_open_without_a_standard_for_the_kind_is_refused(world):
    staff = StaffFactory(institution=InstitutionFactory(region=world.county_a, kind="chc"))
    with pytest.raises(DomainError) as excinfo:
        assessment_open(
            actor=staff, cycle=world.cycle, institution=staff.institution, target_level="basic"
        )
    assert excinfo.value.code == "no_standard"


def test_open_with_a_level_the_cycle_does_not_award_is_refused(world, newcomer):
    world.cycle.standards.update(recommended_rule_set=None)
    with pytest.raises(ValidationError) as excinfo:
        assessment_open(
            actor=newcomer,
            cycle=world.cycle,
            institution=newcomer.institution,
            target_level="recommended",
        )
    assert list(excinfo.value.message_dict) == ["target_level"]


def test_target_level_change_with_version_check(world):
    changed = assessment_target_level_set(
        actor=world.staff_a,
        assessment=world.assessment_a,
        target_level="recommended",
        expected_version=1,
    )
    assert (changed.target_level, changed.version) == ("recommended", 2)
    with pytest.raises(ConflictError) as excinfo:
        assessment_target_level_set(
            actor=world.staff_a2,
            assessment=world.assessment_a,
            target_level="qualified",
            expected_version=1,
        )
    assert excinfo.value.current == {"target_level": "recommended", "version": 2}
    event = AuditEvent.objects.get(action="assessment.target_level")
    assert (event.before, event.after) == (
        {"target_level": "basic"},
        {"target_level": "recommended"},
    )


def test_target_level_change_refused_after_submission_and_to_others(world):
    with pytest.raises(PermissionDenied):
        assessment_target_level_set(
            actor=world.staff_b,
            assessment=world.assessment_a,
            target_level="recommended",
            expected_version=1,
        )
    Assessment.objects.filter(pk=world.assessment_a.pk).update(status="submitted")
    with pytest.raises(NotEditable):
        assessment_target_level_set(
            actor=world.staff_a,
            assessment=world.assessment_a,
            target_level="recommended",
            expected_version=1,
        )
    assert Assessment.objects.get(pk=world.assessment_a.pk).target_level == "basic"

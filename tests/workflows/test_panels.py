import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accreditation.core.errors import ConflictOfInterest, WrongStep
from accreditation.models import (
    AuditEvent,
    ConflictPolicy,
    Cycle,
    ExpertAssignment,
    ExpertProfile,
)
from accreditation.services.panels import panel_assign
from accreditation.services.reviews import county_review_forward
from tests.factories import CountyFactory, InstitutionFactory, make_cycle, make_edition
from tests.workflows.helpers import at_expert_review, fresh, steps, submitted


@pytest.fixture
def waiting(world, experts):
    at_expert_review(world, world.assessment_a, world.staff_a, world.reviewer_a)
    return world.assessment_a


def assert_nothing_assigned(assessment):
    assert not ExpertAssignment.objects.filter(assessment=assessment).exists()
    assert steps(assessment) == ["assign_panel"]
    assert not AuditEvent.objects.filter(action="panel.assign").exists()


def test_same_institution_is_refused_naming_the_rule(world, experts, waiting):
    ExpertProfile.objects.filter(user=experts.member).update(employer=world.institution_a)
    with pytest.raises(ConflictOfInterest) as excinfo:
        panel_assign(
            actor=world.officer_province,
            assessment=waiting,
            lead=experts.lead,
            members=[experts.member],
        )
    assert excinfo.value.code == "conflict_of_interest"
    assert excinfo.value.details == {
        "conflicts": [
            {
                "expert": experts.member.pk,
                "username": "member",
                "rules": ["same_institution", "same_county"],
            }
        ]
    }
    assert str(excinfo.value) == (
        "Conflict of interest: member: The expert works at this institution, "
        "The expert's employer is in the institution's county."
    )
    assert_nothing_assigned(waiting)


def test_employer_in_the_same_county_is_refused(world, experts, waiting):
    neighbour = InstitutionFactory(name="河口县中心卫生院", region=world.county_a)
    ExpertProfile.objects.filter(user=experts.lead).update(employer=neighbour)
    with pytest.raises(ConflictOfInterest) as excinfo:
        panel_assign(actor=world.officer_province, assessment=waiting, lead=experts.lead)
    assert excinfo.value.details["conflicts"][0]["rules"] == ["same_county"]
    assert_nothing_assigned(waiting)


def test_declared_conflict_is_refused(world, experts, waiting):
    experts.third.expert_profile.declared_conflicts.add(world.institution_a)
    with pytest.raises(ConflictOfInterest) as excinfo:
        panel_assign(
            actor=world.officer_province,
            assessment=waiting,
            lead=experts.lead,
            members=[experts.member, experts.third],
        )
    assert [(c["username"], c["rules"]) for c in excinfo.value.details["conflicts"]] == [
        ("third", ["declared"])
    ]
    assert_nothing_assigned(waiting)


def test_reviewing_the_institution_in_the_previous_cycle_is_refused(world, experts, waiting):
    from accreditation.models import Assessment

    last_year = make_cycle(
        province=world.province, editions={"thc": make_edition(code="THC-PREV")}, year=2025
    )
    old = Assessment.objects.create(
        cycle=last_year,
        institution=world.institution_a,
        edition=last_year.standards.get().edition,
        target_level="basic",
    )
    ExpertAssignment.objects.create(assessment=old, expert=experts.lead, role="lead")
    with pytest.raises(ConflictOfInterest) as excinfo:
        panel_assign(actor=world.officer_province, assessment=waiting, lead=experts.lead)
    assert excinfo.value.details["conflicts"][0]["rules"] == ["previous_cycle"]
    assert_nothing_assigned(waiting)


def test_a_province_can_switch_rules_off(world, experts, waiting):
    experts.lead.expert_profile.declared_conflicts.add(world.institution_a)
    ConflictPolicy.objects.create(province=world.province, declared=False)
    panel_assign(actor=world.officer_province, assessment=waiting, lead=experts.lead)
    assert steps(waiting) == ["expert_review"]


def test_an_expert_without_a_profile_is_refused(world, experts, waiting):
    ExpertProfile.objects.filter(user=experts.member).delete()
    with pytest.raises(ConflictOfInterest) as excinfo:
        panel_assign(
            actor=world.officer_province,
            assessment=waiting,
            lead=experts.lead,
            members=[experts.member],
        )
    assert excinfo.value.details["conflicts"][0]["rules"] == ["no_profile"]
    assert_nothing_assigned(waiting)


def test_only_expert_reviewers_sit_on_a_panel(world, experts, waiting):
    with pytest.raises(ValidationError) as excinfo:
        panel_assign(
            actor=world.officer_province,
            assessment=waiting,
            lead=experts.lead,
            members=[world.reviewer_a, experts.lead],
        )
    assert list(excinfo.value.message_dict) == ["members"]
    assert_nothing_assigned(waiting)


def test_a_recommended_target_is_assigned_by_the_province_not_the_city(world, experts):
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a, target="recommended")
    Cycle.objects.filter(pk=world.cycle.pk).update(basic_confirmed_by="city")
    with pytest.raises(PermissionDenied):
        panel_assign(actor=world.officer_city, assessment=fresh(a), lead=experts.lead)
    assert_nothing_assigned(a)
    panel_assign(actor=world.officer_province, assessment=fresh(a), lead=experts.lead)
    assert steps(a) == ["expert_review"]


def test_a_city_confirms_basic_when_the_cycle_says_so(world, experts):
    Cycle.objects.filter(pk=world.cycle.pk).update(basic_confirmed_by="city")
    a = world.assessment_a
    at_expert_review(world, a, world.staff_a, world.reviewer_a)
    with pytest.raises(PermissionDenied):
        panel_assign(actor=world.officer_other_city, assessment=fresh(a), lead=experts.lead)
    panel_assign(actor=world.officer_city, assessment=fresh(a), lead=experts.lead)
    assert ExpertAssignment.objects.get(assessment=a).role == "lead"


def test_a_panel_is_assigned_only_when_the_process_waits_for_one(world, experts):
    submitted(world.assessment_a, world.staff_a)
    with pytest.raises(WrongStep):
        panel_assign(actor=world.officer_province, assessment=world.assessment_a, lead=experts.lead)
    county_review_forward(actor=world.reviewer_a, assessment=world.assessment_a)
    panel_assign(actor=world.officer_province, assessment=world.assessment_a, lead=experts.lead)
    with pytest.raises(WrongStep):
        panel_assign(
            actor=world.officer_province, assessment=world.assessment_a, lead=experts.third
        )
    assert ExpertAssignment.objects.filter(assessment=world.assessment_a).count() == 1


def test_without_county_review_the_submission_goes_straight_to_the_panel(world, experts):
    Cycle.objects.filter(pk=world.cycle.pk).update(county_review_enabled=False)
    submitted(world.assessment_b, world.staff_b)
    assert (fresh(world.assessment_b).status, steps(world.assessment_b)) == (
        "expert_review",
        ["assign_panel"],
    )


def test_conflict_with_an_institution_elsewhere_is_no_conflict(world, experts, waiting):
    elsewhere = InstitutionFactory(region=CountyFactory(parent=world.city, code="990109"))
    experts.lead.expert_profile.declared_conflicts.add(elsewhere)
    panel_assign(actor=world.officer_province, assessment=waiting, lead=experts.lead)
    assert steps(waiting) == ["expert_review"]

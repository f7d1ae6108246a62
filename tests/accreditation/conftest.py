"""A small world: one province, two cities, three counties, institutions in two of
them, one user of every role, an open cycle, and an open assessment per institution."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accreditation.models import Assessment, Cycle, Institution, Region, User
from accreditation.services.assessments import assessment_open
from tests.factories import (
    AdministratorFactory,
    CityFactory,
    CountyFactory,
    CountyReviewerFactory,
    ExpertAssignmentFactory,
    ExpertFactory,
    FactsFactory,
    InstitutionFactory,
    OfficerFactory,
    ProvinceFactory,
    StaffFactory,
    make_cycle,
    make_edition,
)


@dataclass
class World:
    province: Region
    city: Region
    other_city: Region
    county_a: Region
    county_b: Region
    institution_a: Institution
    institution_b: Institution
    staff_a: User
    staff_a2: User
    staff_b: User
    reviewer_a: User
    reviewer_b: User
    officer_city: User
    officer_other_city: User
    officer_province: User
    officer_national: User
    expert: User
    administrator: User
    cycle: Cycle
    assessment_a: Assessment
    assessment_b: Assessment


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(code="990000", name="示范省")
    city = CityFactory(parent=province, code="990100", name="东川市")
    other_city = CityFactory(parent=province, code="990200", name="西岭市")
    county_a = CountyFactory(parent=city, code="990102", name="河口县")
    county_b = CountyFactory(parent=other_city, code="990202", name="石门县")
    institution_a = InstitutionFactory(name="河口镇卫生院", region=county_a)
    institution_b = InstitutionFactory(name="石门镇卫生院", region=county_b)
    for institution in (institution_a, institution_b):
        FactsFactory(institution=institution)
    staff_a = StaffFactory(username="staff_a", institution=institution_a)
    staff_b = StaffFactory(username="staff_b", institution=institution_b)
    cycle = make_cycle(province=province, editions={"thc": make_edition(code="THC-T")})
    world = World(
        province=province,
        city=city,
        other_city=other_city,
        county_a=county_a,
        county_b=county_b,
        institution_a=institution_a,
        institution_b=institution_b,
        staff_a=staff_a,
        staff_a2=StaffFactory(username="staff_a2", institution=institution_a),
        staff_b=staff_b,
        reviewer_a=CountyReviewerFactory(username="reviewer_a", region=county_a),
        reviewer_b=CountyReviewerFactory(username="reviewer_b", region=county_b),
        officer_city=OfficerFactory(username="officer_city", region=city),
        officer_other_city=OfficerFactory(username="officer_other_city", region=other_city),
        officer_province=OfficerFactory(username="officer_province", region=province),
        officer_national=OfficerFactory(username="officer_national"),
        expert=ExpertFactory(username="expert"),
        administrator=AdministratorFactory(username="admin"),
        cycle=cycle,
        assessment_a=assessment_open(
            actor=staff_a, cycle=cycle, institution=institution_a, target_level="basic"
        ),
        assessment_b=assessment_open(
            actor=staff_b, cycle=cycle, institution=institution_b, target_level="basic"
        ),
    )
    return world


@pytest.fixture
def assigned_expert(world: World) -> User:
    """The world's expert, assigned to institution B's assessment only."""
    ExpertAssignmentFactory(assessment=world.assessment_b, expert=world.expert)
    return world.expert

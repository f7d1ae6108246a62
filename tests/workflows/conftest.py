"""The accreditation world plus an expert pool with profiles: a lead, a member and a
third expert, all employed far from the world's institutions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accreditation.models import ExpertProfile, Institution, User
from tests.accreditation.conftest import World, world  # noqa: F401 - shared fixture
from tests.factories import CityFactory, CountyFactory, ExpertFactory, InstitutionFactory


@dataclass
class Experts:
    lead: User
    member: User
    third: User
    employer: Institution


@pytest.fixture
def experts(world: World) -> Experts:  # noqa: F811
    far_city = CityFactory(parent=world.province, code="990300", name="北山市")
    far_county = CountyFactory(parent=far_city, code="990301", name="北山县")
    employer = InstitutionFactory(name="北山县人民医院卫生院", region=far_county)
    people = []
    for name in ("lead", "member", "third"):
        user = ExpertFactory(username=name, email=f"{name}@experts.example.cn")
        ExpertProfile.objects.create(user=user, employer=employer, home_region=far_county)
        people.append(user)
    return Experts(*people, employer=employer)

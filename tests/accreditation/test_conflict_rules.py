"""conflict_rules_by_expert: every rule for many experts at once, in a constant number
of queries (the panel page's pool). Each rule's meaning is tested through panel_assign
in tests/workflows/test_panels.py."""

from __future__ import annotations

import pytest

from accreditation.models import Assessment, ExpertAssignment, ExpertProfile
from accreditation.selectors.people import conflict_rules_by_expert, conflict_rules_for
from tests.factories import ExpertFactory, InstitutionFactory, make_cycle, make_edition
from tests.workflows.conftest import experts  # noqa: F401


def _pool(world, experts, extra: int) -> list:  # noqa: F811
    """One expert per rule (and one without a profile), then ``extra`` free experts."""
    at_a = ExpertFactory(username="at_a")
    ExpertProfile.objects.create(
        user=at_a, employer=world.institution_a, home_region=world.county_a
    )
    neighbour = ExpertFactory(username="neighbour")
    ExpertProfile.objects.create(
        user=neighbour,
        employer=InstitutionFactory(region=world.county_a),
        home_region=world.county_a,
    )
    experts.third.expert_profile.declared_conflicts.add(world.institution_a)
    last_year = make_cycle(
        province=world.province, editions={"thc": make_edition(code="THC-PREV")}, year=2025
    )
    old = Assessment.objects.create(
        cycle=last_year,
        institution=world.institution_a,
        edition=last_year.standards.get().edition,
        target_level="basic",
    )
    ExpertAssignment.objects.create(assessment=old, expert=experts.member, role="lead")
    free = []
    for _ in range(extra):
        user = ExpertFactory()
        ExpertProfile.objects.create(user=user, employer=experts.employer, home_region=world.city)
        free.append(user)
    return [experts.lead, experts.member, experts.third, at_a, neighbour, ExpertFactory(), *free]


@pytest.mark.parametrize("extra", [0, 10])
def test_conflict_rules_by_expert_answers_each_rule_in_four_queries(
    world,
    experts,  # noqa: F811
    django_assert_max_num_queries,
    extra,
):
    pool = _pool(world, experts, extra)
    assessment = Assessment.objects.select_related("cycle", "institution__region").get(
        pk=world.assessment_a.pk
    )
    with django_assert_max_num_queries(4):
        found = conflict_rules_by_expert(experts=pool, assessment=assessment)
    assert [found[e.pk] for e in pool[:6]] == [
        [],
        ["previous_cycle"],
        ["declared"],
        ["same_institution", "same_county"],
        ["same_county"],
        ["no_profile"],
    ]
    assert all(found[e.pk] == [] for e in pool[6:])
    assert all(found[e.pk] == conflict_rules_for(expert=e, assessment=assessment) for e in pool)

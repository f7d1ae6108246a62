"""The scope rule answers as a predicate (what ``permissions.may`` checks) and as a
query filter (what the visibility selectors list) and the two cannot disagree: for
every user of the demo world (every role, a national officer, experts with and without
assignments, an inactive user, one without a role, an anonymous visitor), every
region, institution, assessment and item row passes the predicate exactly when the
filter returns it."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from accreditation.models import Assessment, Institution, ItemGrade, Region, User
from accreditation.permissions import Action, may
from accreditation.scope import Reach, Scope, user_scope
from accreditation.selectors import assessments_visible_to, institutions_visible_to
from accreditation.selectors.visibility import assessment_scope
from tests.factories import ExpertAssignmentFactory, UserFactory, make_edition, make_rule_sets

Role = User.Role


def _pks(qs, q) -> set[int]:
    return set() if q is None else set(qs.filter(q).values_list("pk", flat=True))


def assert_predicate_and_filter_agree(user) -> Scope:
    scope = user_scope(user)
    regions = list(Region.objects.all())
    institutions = list(Institution.objects.select_related("region"))
    assessments = list(Assessment.objects.select_related("institution__region"))
    rows = list(ItemGrade.objects.select_related("assessment__institution__region"))

    passing = {r.pk for r in regions if scope.covers_path(r.path)}
    assert passing == _pks(Region.objects.all(), scope.path_q("path"))

    passing = {i.pk for i in institutions if scope.reaches_institution(i)}
    assert passing == _pks(Institution.objects.all(), scope.institution_q())
    assert passing == {i.pk for i in institutions if may(user, Action.INSTITUTION_VIEW, i)}
    assert passing == set(institutions_visible_to(user).values_list("pk", flat=True))
    # Through a relation, as the recognitions' and certificates' selectors filter.
    through = {a.pk for a in assessments if scope.reaches_institution(a.institution)}
    assert through == _pks(Assessment.objects.all(), scope.institution_q("institution"))

    passing = {a.pk for a in assessments if scope.reaches_assessment(a)}
    assert passing == _pks(Assessment.objects.all(), scope.assessment_q())
    assert passing == {a.pk for a in assessments if may(user, Action.ASSESSMENT_VIEW, a)}
    assert passing == set(assessments_visible_to(user).values_list("pk", flat=True))
    # From a row inside the assessment, as the item save reads row and assessment at once.
    inside = {g.pk for g in rows if scope.reaches_assessment(g.assessment)}
    assert inside == _pks(ItemGrade.objects.all(), assessment_scope(user, via="assessment__"))
    return scope


@pytest.fixture
def demo_world(db):
    for code, kind in (("THC-2022", "thc"), ("CHC-2022", "chc")):
        make_rule_sets(make_edition(code=code, kind=kind))
    call_command("seed_demo", stdout=io.StringIO())
    opened = list(Assessment.objects.order_by("id"))
    expert_li, expert_zhao = (User.objects.get(username=n) for n in ("expert_li", "expert_zhao"))
    for assessment in opened[:3]:
        ExpertAssignmentFactory(assessment=assessment, expert=expert_li)
    ExpertAssignmentFactory(assessment=opened[-1], expert=expert_zhao)
    UserFactory(username="inactive_officer", role=Role.OFFICER, is_active=False)
    UserFactory(username="no_role", role="")


def test_predicate_and_filter_agree_for_every_user_of_the_demo_world(demo_world):
    users = list(User.objects.select_related("region").order_by("username"))
    assert {u.role for u in users} == {*Role.values, ""}
    assert Assessment.objects.count() >= 10 and ItemGrade.objects.exists()
    reaches = {}
    for user in [*users, AnonymousUser()]:
        scope = assert_predicate_and_filter_agree(user)
        reaches[getattr(user, "username", "") or "anonymous"] = scope.reach

    # Every kind of reach was exercised, each on users whose scope is neither all nor none.
    assert set(reaches.values()) == set(Reach)
    assert reaches["officer_national"] == reaches["demo_admin"] == Reach.EVERYTHING
    assert reaches["officer_dongchuan"] == reaches["reviewer_hekou"] == Reach.REGION
    assert reaches["hk_binjiang"] == Reach.INSTITUTION
    assert reaches["expert_li"] == reaches["expert_sun"] == Reach.ASSIGNMENTS
    assert reaches["inactive_officer"] == reaches["no_role"] == reaches["anonymous"]
    assert reaches["anonymous"] == Reach.NOTHING


def test_each_reach_sees_what_its_role_should(demo_world):
    def visible(username: str) -> set[str]:
        user = User.objects.get(username=username)
        return set(institutions_visible_to(user).values_list("licence_number", flat=True))

    everything = set(Institution.objects.values_list("licence_number", flat=True))
    assert visible("demo_admin") == visible("officer_national") == everything
    assert visible("officer_province") == everything  # the demo has one province
    assert visible("officer_dongchuan") == {n for n in everything if n.startswith("PDY9901")}
    assert visible("reviewer_hekou") == {n for n in everything if n.startswith("PDY990102")}
    assert visible("hk_binjiang") == {"PDY99010201"}
    assert len(visible("expert_li")) == 3 and visible("expert_sun") == set()
    assert visible("no_role") == visible("inactive_officer") == set()


def test_a_regional_scope_covers_its_own_region_and_below_only():
    scope = Scope(Reach.REGION, path="990000/990100/")
    assert scope.covers_path("990000/990100/")
    assert scope.covers_path("990000/990100/990102/")
    assert not scope.covers_path("990000/")
    assert not scope.covers_path("990000/990200/")
    assert not scope.covers_path("990000/9901000/")  # a sibling whose code shares a prefix
    assert not Scope(Reach.INSTITUTION, institution_id=1).covers_path("990000/")
    assert not Scope(Reach.ASSIGNMENTS, user_id=1).covers_path("990000/")
    assert Scope(Reach.EVERYTHING).covers_path("")

"""The permission matrix: ``may`` and the visibility selectors agree, deny by default,
and every role sees exactly its scope."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from accreditation.models import Assessment, User
from accreditation.permissions import Action, may, require
from accreditation.selectors import (
    assessment_get_for_user,
    assessments_visible_to,
    institutions_visible_to,
)
from tests.factories import UserFactory

ALL_USERS = [
    "staff_a",
    "staff_a2",
    "staff_b",
    "reviewer_a",
    "reviewer_b",
    "officer_city",
    "officer_other_city",
    "officer_province",
    "officer_national",
    "expert",
    "administrator",
]
#: Who sees institution A's assessment and who sees B's (the expert is assigned to B).
SEES_A = {
    "staff_a",
    "staff_a2",
    "reviewer_a",
    "officer_city",
    "officer_province",
    "officer_national",
    "administrator",
}
SEES_B = {
    "staff_b",
    "reviewer_b",
    "officer_other_city",
    "officer_province",
    "officer_national",
    "expert",
    "administrator",
}


@pytest.mark.parametrize("who", ALL_USERS)
def test_assessment_visibility_matrix(world, assigned_expert, who):
    user = getattr(world, who)
    visible = set(assessments_visible_to(user).values_list("pk", flat=True))
    expected = set()
    if who in SEES_A:
        expected.add(world.assessment_a.pk)
    if who in SEES_B:
        expected.add(world.assessment_b.pk)
    assert visible == expected
    assert may(user, Action.ASSESSMENT_VIEW, world.assessment_a) == (who in SEES_A)
    assert may(user, Action.ASSESSMENT_VIEW, world.assessment_b) == (who in SEES_B)


@pytest.mark.parametrize("who", ALL_USERS)
def test_institution_visibility_matches_may(world, assigned_expert, who):
    user = getattr(world, who)
    visible = set(institutions_visible_to(user).values_list("pk", flat=True))
    for institution in (world.institution_a, world.institution_b):
        assert (institution.pk in visible) == may(user, Action.INSTITUTION_VIEW, institution)


def test_expert_sees_nothing_unassigned(world):
    assert list(assessments_visible_to(world.expert)) == []
    assert list(institutions_visible_to(world.expert)) == []
    assert not may(world.expert, Action.ASSESSMENT_VIEW, world.assessment_a)


def test_out_of_scope_fetch_looks_like_a_missing_one(world):
    with pytest.raises(Assessment.DoesNotExist):
        assessment_get_for_user(user=world.staff_b, assessment_id=world.assessment_a.pk)
    with pytest.raises(Assessment.DoesNotExist):
        assessment_get_for_user(user=world.staff_b, assessment_id=999_999)
    fetched = assessment_get_for_user(user=world.staff_a, assessment_id=world.assessment_a.pk)
    assert fetched == world.assessment_a


@pytest.mark.parametrize(
    "user",
    [
        AnonymousUser(),
        None,
        "no_role",
        "inactive_admin",
    ],
)
def test_deny_by_default(world, user):
    if user == "no_role":
        user = UserFactory(role="")
    elif user == "inactive_admin":
        user = UserFactory(role=User.Role.ADMINISTRATOR, is_active=False)
    assert list(assessments_visible_to(user)) == []
    assert list(institutions_visible_to(user)) == []
    for action in Action:
        assert not may(user, action, world.assessment_a)
    with pytest.raises(PermissionDenied):
        require(user, Action.ASSESSMENT_VIEW, world.assessment_a)


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (Action.ASSESSMENT_EDIT, {"staff_a", "staff_a2"}),
        (Action.ASSESSMENT_SUBMIT, {"staff_a", "staff_a2"}),
        (
            Action.ASSESSMENT_RETURN,
            {"reviewer_a", "officer_city", "officer_province", "officer_national"},
        ),
    ],
)
def test_action_matrix_on_assessment_a(world, assigned_expert, action, allowed):
    granted = {who for who in ALL_USERS if may(getattr(world, who), action, world.assessment_a)}
    assert granted == allowed


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (Action.ASSESSMENT_OPEN, {"staff_a", "staff_a2"}),
        (Action.FACTS_RECORD, {"staff_a", "staff_a2", "administrator"}),
        (Action.INSTITUTION_MANAGE, {"administrator"}),
    ],
)
def test_action_matrix_on_institution_a(world, action, allowed):
    granted = {who for who in ALL_USERS if may(getattr(world, who), action, world.institution_a)}
    assert granted == allowed


def test_cycle_management_is_for_administrators_and_province_or_national_officers(world):
    granted = {
        who for who in ALL_USERS if may(getattr(world, who), Action.CYCLE_MANAGE, world.cycle)
    }
    assert granted == {"officer_province", "officer_national", "administrator"}


def test_history_of_a_user_is_for_that_user_and_administrators(world):
    granted = {
        who for who in ALL_USERS if may(getattr(world, who), Action.HISTORY_VIEW, world.staff_a)
    }
    assert granted == {"staff_a", "administrator"}

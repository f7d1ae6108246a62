"""Reads of experts, their assignments and panels for the expert's and the officer's
pages. One query each."""

from __future__ import annotations

from collections.abc import Iterable

from accreditation.models import Assessment, ExpertAssignment, User
from accreditation.selectors.visibility import experts_visible_to


def expert_assignments_for_user(*, user: User) -> list[ExpertAssignment]:
    """Every assignment of the expert ``user``, newest cycle first, then by institution,
    with the assessment's institution and cycle."""
    return list(
        ExpertAssignment.objects.filter(expert=user)
        .select_related("assessment__institution", "assessment__cycle")
        .order_by("-assessment__cycle__year", "assessment__institution__name")
    )


def expert_assignment_get_for_user(*, user: User, assessment: Assessment) -> ExpertAssignment:
    """The expert's assignment to the assessment. Raises
    ``ExpertAssignment.DoesNotExist`` when ``user`` is not on its panel."""
    return ExpertAssignment.objects.get(assessment=assessment, expert=user)


def expert_is_panel_lead(*, user: User, assessment: Assessment) -> bool:
    """Whether ``user`` leads the assessment's panel."""
    return ExpertAssignment.objects.filter(
        assessment=assessment, expert=user, role=ExpertAssignment.Role.LEAD
    ).exists()


def usernames_by_id(*, user_ids: Iterable[int]) -> dict[int, str]:
    """User id -> username, for the ids given (other panel members beside their
    grades); ids that do not exist are left out."""
    return dict(User.objects.filter(pk__in=list(user_ids)).values_list("pk", "username"))


def expert_pool_for_user(*, user: User) -> list[User]:
    """The active experts ``user`` may assign (``visibility.experts_visible_to``), by
    name, with their profile's employer and home region (for the conflict checks)."""
    return list(
        experts_visible_to(user)
        .select_related("expert_profile__employer", "expert_profile__home_region")
        .order_by("last_name", "first_name", "username")
    )


def experts_get_for_user(*, user: User, ids: Iterable[int]) -> dict[int, User]:
    """Expert id -> expert for the ids given that ``user`` may see; others left out."""
    return {e.pk: e for e in experts_visible_to(user).filter(pk__in=list(ids))}

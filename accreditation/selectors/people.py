"""Reads about people: expert conflicts of interest."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from accreditation.models import (
    Assessment,
    ConflictPolicy,
    ConflictRule,
    ExpertAssignment,
    ExpertProfile,
    Institution,
    User,
)


def expert_conflicts(*, expert: User, institution: Institution) -> list[str]:
    """Why ``expert`` must not review ``institution``; empty when there is no conflict.
    Conflicts: works there, lives in the same county (or below it), or declared it.
    An expert without a profile is always in conflict (nothing can be checked)."""
    try:
        profile = ExpertProfile.objects.select_related("home_region").get(user=expert)
    except ExpertProfile.DoesNotExist:
        return [_("The expert has no expert profile.")]
    reasons = []
    if profile.employer_id == institution.pk:
        reasons.append(_("The expert works at this institution."))
    home = profile.home_region.path
    institution_path = institution.region.path
    # Same county: the home region and the institution share a county-level ancestor.
    home_county = "/".join(home.split("/")[:3])
    if len(home.split("/")) > 3 and institution_path.startswith(home_county + "/"):
        reasons.append(_("The expert's home region is the institution's county."))
    if profile.declared_conflicts.filter(pk=institution.pk).exists():
        reasons.append(_("The expert declared a conflict with this institution."))
    return reasons


def _county_prefix(path: str) -> str | None:
    """The county-level ancestor path of a region path, or None above county level."""
    parts = path.split("/")
    return "/".join(parts[:3]) + "/" if len(parts) > 3 else None


def conflict_rules_for(*, expert: User, assessment: Assessment) -> list[str]:
    """The conflict-of-interest rules (``ConflictRule`` codes) that forbid ``expert``
    to review ``assessment``, under the province's policy (every rule when the
    province has none). An expert without a profile cannot be checked and is refused
    as ``no_profile``."""
    return conflict_rules_by_expert(experts=[expert], assessment=assessment)[expert.pk]


def conflict_rules_by_expert(
    *, experts: Iterable[User], assessment: Assessment
) -> dict[int, list[str]]:
    """:func:`conflict_rules_for` of every one of ``experts``, by primary key, in at
    most four queries whatever their number (``assessment`` with its cycle and its
    institution's region loaded)."""
    ids = [expert.pk for expert in experts]
    cycle = assessment.cycle
    institution = assessment.institution
    policy = ConflictPolicy.objects.filter(province_id=cycle.province_id).first()
    active = set(policy.rules() if policy else ConflictRule.values)
    profiles = {
        p.user_id: p
        for p in ExpertProfile.objects.select_related("employer__region").filter(user_id__in=ids)
    }
    declared: set[int] = set()
    if ConflictRule.DECLARED in active and profiles:
        declared = set(
            ExpertProfile.objects.filter(
                user_id__in=list(profiles), declared_conflicts=institution
            ).values_list("user_id", flat=True)
        )
    previous: set[int] = set()
    if ConflictRule.PREVIOUS_CYCLE in active and profiles:
        previous = set(
            ExpertAssignment.objects.filter(
                expert_id__in=list(profiles),
                assessment__institution=institution,
                assessment__cycle__province_id=cycle.province_id,
                assessment__cycle__year=cycle.year - 1,
            ).values_list("expert_id", flat=True)
        )
    county = _county_prefix(institution.region.path)
    found: dict[int, list[str]] = {}
    for pk in ids:
        profile = profiles.get(pk)
        if profile is None:
            found[pk] = ["no_profile"]
            continue
        rules: list[str] = []
        if ConflictRule.SAME_INSTITUTION in active and profile.employer_id == institution.pk:
            rules.append(ConflictRule.SAME_INSTITUTION)
        if (
            ConflictRule.SAME_COUNTY in active
            and county
            and profile.employer is not None
            and profile.employer.region.path.startswith(county)
        ):
            rules.append(ConflictRule.SAME_COUNTY)
        if pk in declared:
            rules.append(ConflictRule.DECLARED)
        if pk in previous:
            rules.append(ConflictRule.PREVIOUS_CYCLE)
        found[pk] = rules
    return found

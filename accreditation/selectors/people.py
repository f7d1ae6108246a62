"""Reads about people: expert conflicts of interest."""

from __future__ import annotations

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
    cycle = assessment.cycle
    institution = assessment.institution
    policy = ConflictPolicy.objects.filter(province_id=cycle.province_id).first()
    active = set(policy.rules() if policy else ConflictRule.values)
    profile = ExpertProfile.objects.select_related("employer__region").filter(user=expert).first()
    if profile is None:
        return ["no_profile"]
    rules: list[str] = []
    if ConflictRule.SAME_INSTITUTION in active and profile.employer_id == institution.pk:
        rules.append(ConflictRule.SAME_INSTITUTION)
    county = _county_prefix(institution.region.path)
    if (
        ConflictRule.SAME_COUNTY in active
        and county
        and profile.employer is not None
        and profile.employer.region.path.startswith(county)
    ):
        rules.append(ConflictRule.SAME_COUNTY)
    if (
        ConflictRule.DECLARED in active
        and profile.declared_conflicts.filter(pk=institution.pk).exists()
    ):
        rules.append(ConflictRule.DECLARED)
    if (
        ConflictRule.PREVIOUS_CYCLE in active
        and ExpertAssignment.objects.filter(
            expert=expert,
            assessment__institution=institution,
            assessment__cycle__province_id=cycle.province_id,
            assessment__cycle__year=cycle.year - 1,
        ).exists()
    ):
        rules.append(ConflictRule.PREVIOUS_CYCLE)
    return rules

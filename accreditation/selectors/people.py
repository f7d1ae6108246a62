"""Reads about people: expert conflicts of interest."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accreditation.models import ExpertProfile, Institution, User


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

"""Which regions, institutions and assessments a user reaches: the one scope rule.

:func:`user_scope` reads the rule off the user once (role, institution, region); the
:class:`Scope` it returns answers both as a predicate on an object (``covers_path``,
``reaches_institution``, ``reaches_assessment``), which ``permissions`` uses, and as a
query filter (``path_q``, ``institution_q``, ``assessment_q``), which the visibility
selectors, the workflow inboxes and the officer's pages use. Both read the same few
fields of the same object, so a permission check and a list cannot disagree;
``tests/accreditation/test_scope.py`` checks every user of the demo world against every
region, institution and assessment in it.

By role:

* administrators: everything;
* institution staff: their own institution and its assessments;
* county reviewers: their region and everything below it;
* officers: their region and below it; everything when national (no region);
* experts: the assessments they are assigned to and those assessments' institutions;
  no region as such;
* anyone else (anonymous, inactive, no role; a county reviewer without a region, which
  a database constraint forbids anyway): nothing.

Which *actions* a role may take inside its scope is ``permissions``' business.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Q

from accreditation.models import Assessment, ExpertAssignment, Institution, User

Role = User.Role


class Reach(StrEnum):
    NOTHING = "nothing"
    EVERYTHING = "everything"
    INSTITUTION = "institution"  # ``institution_id``
    REGION = "region"  # ``path`` and below
    ASSIGNMENTS = "assignments"  # the assessments of the expert ``user_id``


@dataclass(frozen=True, slots=True)
class Scope:
    """What one user reaches. Build it with :func:`user_scope`.

    The filters return ``None`` for "nothing", so that callers answer ``qs.none()``
    without a query, and ``Q()`` for "everything"."""

    reach: Reach
    path: str = ""
    institution_id: int | None = None
    user_id: int | None = None

    # --- predicates -----------------------------------------------------------------

    def covers_path(self, path: str) -> bool:
        """Whether the region with this ``path`` (``"990000/990100/"``), or anything
        sitting in it, lies within reach by region. Staff and experts reach
        institutions and assessments, never a region as such."""
        if self.reach == Reach.EVERYTHING:
            return True
        return self.reach == Reach.REGION and path.startswith(self.path)

    def reaches_institution(self, institution: Institution) -> bool:
        """Whether the institution is in scope. One query for experts (their
        assignments), and ``institution.region`` for a regional scope."""
        if self.reach == Reach.INSTITUTION:
            return institution.pk == self.institution_id
        if self.reach == Reach.ASSIGNMENTS:
            return ExpertAssignment.objects.filter(
                expert_id=self.user_id, assessment__institution=institution
            ).exists()
        if self.reach == Reach.REGION:
            return self.covers_path(institution.region.path)
        return self.reach == Reach.EVERYTHING

    def reaches_assessment(self, assessment: Assessment) -> bool:
        """Whether the assessment is in scope. No query for staff (the item save relies
        on it) and for everything; one for experts; ``institution.region`` for a
        regional scope."""
        if self.reach == Reach.INSTITUTION:
            return assessment.institution_id == self.institution_id
        if self.reach == Reach.ASSIGNMENTS:
            return ExpertAssignment.objects.filter(
                assessment=assessment, expert_id=self.user_id
            ).exists()
        if self.reach == Reach.REGION:
            return self.covers_path(assessment.institution.region.path)
        return self.reach == Reach.EVERYTHING

    # --- filters --------------------------------------------------------------------

    def path_q(self, field: str) -> Q | None:
        """:meth:`covers_path` as a filter on the region path ``field`` (``"path"`` on
        regions, ``"institution__region__path"`` from an assessment, ...)."""
        if self.reach == Reach.EVERYTHING:
            return Q()
        if self.reach == Reach.REGION:
            return Q(**{f"{field}__startswith": self.path})
        return None

    def institution_q(self, institution: str = "") -> Q | None:
        """:meth:`reaches_institution` as a filter on the institution reached through
        the relation ``institution`` (``""`` on institutions themselves,
        ``"institution"`` from a recognition). No joins that repeat rows."""
        pk = f"{institution}__pk" if institution else "pk"
        if self.reach == Reach.INSTITUTION:
            return Q(**{pk: self.institution_id})
        if self.reach == Reach.ASSIGNMENTS:
            assigned = ExpertAssignment.objects.filter(expert_id=self.user_id).values(
                "assessment__institution_id"
            )
            return Q(**{f"{pk}__in": assigned})
        prefix = f"{institution}__" if institution else ""
        return self.path_q(f"{prefix}region__path")

    def assessment_q(self, via: str = "") -> Q | None:
        """:meth:`reaches_assessment` as a filter on the assessment reached through
        ``via`` (``""`` on assessments, ``"assessment__"`` from a row inside one), so a
        service can read that row and its assessment in one query. An expert has at
        most one assignment per assessment, so the join repeats no row."""
        if self.reach == Reach.INSTITUTION:
            return Q(**{f"{via}institution_id": self.institution_id})
        if self.reach == Reach.ASSIGNMENTS:
            return Q(**{f"{via}expert_assignments__expert_id": self.user_id})
        return self.path_q(f"{via}institution__region__path")


NOTHING = Scope(Reach.NOTHING)
EVERYTHING = Scope(Reach.EVERYTHING)


def user_scope(user: Any) -> Scope:
    """The scope of ``user`` by role (see the module docstring). Reads ``user.region``
    for county reviewers and officers with a region; nothing else."""
    if not (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role
    ):
        return NOTHING
    role = user.role
    if role == Role.ADMINISTRATOR:
        return EVERYTHING
    if role == Role.INSTITUTION_STAFF:
        if user.institution_id is None:
            return NOTHING
        return Scope(Reach.INSTITUTION, institution_id=user.institution_id)
    if role in (Role.COUNTY_REVIEWER, Role.OFFICER):
        if user.region_id is not None:
            return Scope(Reach.REGION, path=user.region.path)
        return EVERYTHING if role == Role.OFFICER else NOTHING
    if role == Role.EXPERT:
        return Scope(Reach.ASSIGNMENTS, user_id=user.pk)
    return NOTHING

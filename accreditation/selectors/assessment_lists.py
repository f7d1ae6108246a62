"""Lists of assessments for the pages, each within the viewer's scope
(``visibility.assessments_visible_to``) and in one query."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from accreditation.models import Assessment, Institution
from accreditation.selectors.visibility import assessments_visible_to


def assessments_recent_for_user(
    *, user: Any, limit: int, exclude_ids: Collection[int] = ()
) -> list[Assessment]:
    """At most ``limit`` assessments ``user`` may see, newest cycle first, then by
    institution name, with cycle and institution (and its region); those in
    ``exclude_ids`` left out."""
    qs = assessments_visible_to(user)
    if exclude_ids:
        qs = qs.exclude(pk__in=list(exclude_ids))
    return list(
        qs.select_related("cycle", "institution__region").order_by(
            "-cycle__year", "institution__name"
        )[:limit]
    )


def assessments_get_for_user(*, user: Any, ids: Collection[int]) -> list[Assessment]:
    """The assessments with these ids that ``user`` may see, by institution name, with
    cycle and institution (and its region). Ids out of scope or unknown are left out:
    compare the lengths to refuse them."""
    return list(
        assessments_visible_to(user)
        .filter(pk__in=list(ids))
        .select_related("cycle", "institution__region")
        .order_by("institution__name")
    )


def assessments_of_institution(*, institution: Institution) -> list[Assessment]:
    """Every assessment of the institution (one per cycle), with cycle and edition. For
    the institution's own staff: the caller has checked that."""
    return list(
        Assessment.objects.filter(institution=institution).select_related("cycle", "edition")
    )

"""Reads of consistency checks for the officer's pages: the checks of the officer's
region, one check, its samples and reductions. A constant number of queries each."""

from __future__ import annotations

from typing import Any

from accreditation.models import ConsistencyCheck, ConsistencySample, Reduction
from accreditation.selectors.visibility import checks_visible_to


def checks_recent_for_user(*, user: Any, limit: int) -> list[ConsistencyCheck]:
    """At most ``limit`` checks ``user`` may see, with region and cycle."""
    return list(checks_visible_to(user).select_related("region", "cycle")[:limit])


def check_get_for_user(*, user: Any, check_id: int) -> ConsistencyCheck | None:
    """One check ``user`` may see, with region and the cycle's province; None when it
    does not exist or is out of scope."""
    return (
        checks_visible_to(user)
        .select_related("region", "cycle__province")
        .filter(pk=check_id)
        .first()
    )


def check_samples_with_results(*, check: ConsistencyCheck) -> list[ConsistencySample]:
    """The check's samples in the order drawn, each with its recognition, institution,
    region and the decided result (whose recorded grades the re-score is set against)."""
    return list(
        check.samples.select_related(
            "recognition__institution__region", "recognition__decision__result"
        ).order_by("id")
    )


def check_samples_by_id(*, check: ConsistencyCheck) -> dict[int, ConsistencySample]:
    """Sample id -> sample with its recognition, institution and region."""
    return {s.pk: s for s in check.samples.select_related("recognition__institution__region")}


def check_sample_get(*, check: ConsistencyCheck, sample_id: int) -> ConsistencySample | None:
    """One sample of the check with its recognition; None when it has no such sample."""
    return check.samples.select_related("recognition").filter(pk=sample_id).first()


def check_reductions(*, check: ConsistencyCheck) -> list[Reduction]:
    """The reductions (核减) applied after the check, latest first, with their entries."""
    return list(check.reductions.prefetch_related("entries").order_by("-id"))

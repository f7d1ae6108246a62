"""Reads of public notices (公示) for the officer's pages: the notices of the officer's
region, one notice, its entries, objections and certificate batch, and the decided
assessments waiting for a notice. A constant number of queries each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accreditation.models import (
    Assessment,
    CertificateBatch,
    Cycle,
    Decision,
    Objection,
    PublicNotice,
    PublicNoticeEntry,
    Region,
)
from accreditation.scope import user_scope
from accreditation.selectors.assessment_lists import assessments_get_for_user
from accreditation.selectors.officer import officer_steps
from accreditation.selectors.regions import regions_by_path
from accreditation.selectors.visibility import notices_visible_to, objections_visible_to


def notices_for_officer(*, viewer: Any) -> QuerySet[PublicNotice]:
    """Notices issued in the officer's region (every notice for national officers),
    with region and cycle. Notices are public; an officer acts on their region's."""
    in_scope = user_scope(viewer).path_q("region__path")
    qs = notices_visible_to(viewer).select_related("region", "cycle")
    return qs.none() if in_scope is None else qs.filter(in_scope)


def notices_recent_for_officer(*, viewer: Any, limit: int) -> list[PublicNotice]:
    """At most ``limit`` of :func:`notices_for_officer`, latest first."""
    return list(notices_for_officer(viewer=viewer).order_by("-starts_on", "-id")[:limit])


def notice_get_for_officer(*, viewer: Any, notice_id: int) -> PublicNotice:
    """One of :func:`notices_for_officer`. Raises ``PublicNotice.DoesNotExist`` when it
    does not exist or lies outside the officer's region."""
    return notices_for_officer(viewer=viewer).get(pk=notice_id)


def notice_entries(*, notice: PublicNotice) -> list[PublicNoticeEntry]:
    """The notice's entries with their assessment, institution, region and decision."""
    return list(notice.entries.select_related("assessment__institution__region", "decision"))


def notice_objections(*, viewer: Any, notice: PublicNotice) -> list[Objection]:
    """The objections to the notice that ``viewer`` may see, in the order received."""
    return list(objections_visible_to(viewer).filter(notice=notice).order_by("id"))


def objection_get_for_user(
    *, user: Any, notice: PublicNotice, objection_id: int
) -> Objection | None:
    """One objection to ``notice`` if ``user`` may see it; None otherwise."""
    return objections_visible_to(user).filter(pk=objection_id, notice=notice).first()


def notice_latest_batch(*, notice: PublicNotice) -> CertificateBatch | None:
    """The notice's latest certificate batch; None before the first."""
    return notice.certificate_batches.order_by("-id").first()


@dataclass(frozen=True, slots=True)
class AwaitingGroup:
    """Decided assessments of one cycle that one commission (a city or the province)
    publishes: ``rows`` are (assessment, decided level), by institution name."""

    cycle: Cycle
    region: Region
    rows: tuple[tuple[Assessment, str], ...]


def _issuing_path(institution_path: str, level: str) -> str:
    parts = institution_path.split("/")
    return "/".join(parts[: 1 if level == Region.Level.PROVINCE else 2]) + "/"


def notices_awaiting_for_officer(*, viewer: Any) -> list[AwaitingGroup]:
    """Decided assessments waiting for their notice at the officer's level in their
    region, grouped by cycle and by the commission that publishes their level (the
    cycle's review level for the decided level). Four queries."""
    tasks = officer_steps(viewer=viewer, step="await_notice")
    ids = [t.assessment_id for t in tasks]
    assessments = assessments_get_for_user(user=viewer, ids=ids)
    decisions: dict[int, Decision] = {}
    for decision in Decision.objects.filter(assessment_id__in=ids).order_by("-id"):
        decisions.setdefault(decision.assessment_id, decision)
    paths = {}
    for a in assessments:
        level = a.cycle.review_level(decisions[a.pk].decided_level) if a.pk in decisions else ""
        paths[a.pk] = _issuing_path(a.institution.region.path, level) if level else ""
    regions = regions_by_path(paths=paths.values())
    groups: dict[tuple[int, str], list] = defaultdict(list)
    for a in assessments:
        if paths[a.pk] in regions:
            groups[(a.cycle_id, paths[a.pk])].append((a, decisions[a.pk].decided_level))
    return [
        AwaitingGroup(cycle=rows[0][0].cycle, region=regions[path], rows=tuple(rows))
        for (_cycle_id, path), rows in groups.items()
    ]

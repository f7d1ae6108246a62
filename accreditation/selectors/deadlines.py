"""Overdue assessments for officers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from accreditation.models import STAGE_STATUSES, Assessment, Cycle, CycleDeadline
from accreditation.permissions import Action, require
from accreditation.selectors.visibility import assessments_visible_to


@dataclass(frozen=True, slots=True)
class OverdueRow:
    assessment: Assessment  # with .institution and .cycle loaded
    stage: str
    due_on: dt.date
    days_overdue: int


def overdue_assessments(*, viewer: Any, on: dt.date | None = None) -> list[OverdueRow]:
    """Assessments in the officer's scope still at a stage whose deadline has passed
    (open cycles only), longest overdue first. Two queries whatever the number of
    rows. Raises ``PermissionDenied`` unless ``viewer`` is an officer."""
    require(viewer, Action.OVERDUE_VIEW)
    on = on or timezone.localdate()
    deadlines = {
        (d.cycle_id, d.stage): d.due_on
        for d in CycleDeadline.objects.filter(cycle__status=Cycle.Status.OPEN, due_on__lt=on)
    }
    if not deadlines:
        return []
    q = Q(pk__in=[])
    for cycle_id, stage in deadlines:
        q |= Q(cycle_id=cycle_id, status__in=STAGE_STATUSES[stage])
    rows = []
    for assessment in (
        assessments_visible_to(viewer).filter(q).select_related("institution", "cycle")
    ):
        for stage, statuses in STAGE_STATUSES.items():
            due_on = deadlines.get((assessment.cycle_id, stage))
            if due_on is not None and assessment.status in statuses:
                rows.append(OverdueRow(assessment, stage, due_on, (on - due_on).days))
    rows.sort(key=lambda r: (-r.days_overdue, r.assessment.institution.name, r.assessment.pk))
    return rows

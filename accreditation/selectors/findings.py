"""Reads of rectification (整改): findings in a user's scope, one finding with its plans
and evidence, the gap plan offered as the starting list, overdue findings, and the
findings of one assessment for its report. Each in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.excel.action_plans import ActionPlanRow, ActionPlans
from accreditation.models import (
    INSTITUTION_OWES,
    Assessment,
    AssessmentResult,
    AssessmentReturn,
    ConsistencySample,
    Cycle,
    Finding,
    LookBack,
    Objection,
    RectificationEvidence,
    RectificationFile,
    RectificationPlan,
    Region,
)
from accreditation.permissions import Action, require
from accreditation.scope import user_scope
from standards.models import Item


def findings_visible_to(user: Any) -> QuerySet[Finding]:
    """Findings on assessments ``user`` may see (none for anyone else)."""
    q = user_scope(user).assessment_q(via="assessment__")
    if q is None:
        return Finding.objects.none()
    return Finding.objects.filter(q)


def is_overdue(finding: Finding, on: dt.date | None = None) -> bool:
    """The institution owes the next step and its date has passed."""
    return finding.status in INSTITUTION_OWES and finding.due_on < (on or timezone.localdate())


def finding_list(
    *, viewer: Any, filters: Mapping[str, Any] | None = None, on: dt.date | None = None
) -> QuerySet[Finding]:
    """Findings in ``viewer``'s scope with their assessment, institution, region, cycle
    and raiser joined (one query per page). ``filters``: ``assessment`` (id),
    ``status``, ``source``, ``region`` (a region path prefix), ``cycle`` (id),
    ``overdue`` (True: only those whose date has passed)."""
    filters = filters or {}
    rows = findings_visible_to(viewer).select_related(
        "assessment__institution__region", "assessment__cycle", "raised_by"
    )
    if filters.get("assessment"):
        rows = rows.filter(assessment_id=filters["assessment"])
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("source"):
        rows = rows.filter(source=filters["source"])
    if filters.get("cycle"):
        rows = rows.filter(assessment__cycle_id=filters["cycle"])
    if filters.get("region"):
        rows = rows.filter(assessment__institution__region__path__startswith=filters["region"])
    if filters.get("overdue"):
        rows = rows.filter(status__in=INSTITUTION_OWES, due_on__lt=on or timezone.localdate())
    return rows.order_by("due_on", "id")


def finding_detail(*, viewer: Any, pk: int) -> Finding:
    """One finding in scope with its plans, evidence submissions and their files
    (``Finding.DoesNotExist`` outside the scope). Four queries."""
    return (
        findings_visible_to(viewer)
        .select_related(
            "assessment__institution__region",
            "assessment__cycle",
            "assessment__edition",
            "raised_by",
            "lookback",
        )
        .prefetch_related(
            Prefetch(
                "plans",
                queryset=RectificationPlan.objects.select_related(
                    "submitted_by", "decided_by"
                ).order_by("id"),
            ),
            Prefetch(
                "evidence",
                queryset=RectificationEvidence.objects.select_related("submitted_by", "decided_by")
                .prefetch_related(
                    Prefetch(
                        "files",
                        queryset=RectificationFile.objects.select_related("evidence").order_by(
                            "id"
                        ),
                    )
                )
                .order_by("id"),
            ),
        )
        .get(pk=pk)
    )


def rectification_file_for(*, viewer: Any, pk: int) -> RectificationFile:
    """A file of an evidence submission on a finding in scope (DoesNotExist else)."""
    q = user_scope(viewer).assessment_q(via="submission__finding__assessment__")
    if q is None:
        raise RectificationFile.DoesNotExist
    return RectificationFile.objects.select_related("evidence").filter(q).get(pk=pk)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An item of the gap plan: its grade after consolidation, the grade that reaches
    the target, and the unresolved finding already raised on it, if any."""

    item_code: str
    title: str
    from_grade: str
    to_grade: str
    finding: Finding | None


@dataclass(frozen=True, slots=True)
class CandidateList:
    target: str | None
    reachable: bool
    items: tuple[Candidate, ...]


def finding_candidates(*, assessment: Assessment) -> CandidateList | None:
    """The latest result's gap plan as the starting list of findings ("these N items
    reach the target level"), or None before any result. Three queries."""
    result = AssessmentResult.objects.filter(assessment=assessment).order_by("-id").first()
    if result is None:
        return None
    plan = result.gap_plan
    upgrades = plan.get("upgrades", [])
    codes = [u["item"] for u in upgrades]
    titles = dict(
        Item.objects.filter(edition_id=assessment.edition_id, code__in=codes).values_list(
            "code", "title"
        )
    )
    raised = {
        f.item_code: f
        for f in Finding.objects.filter(
            assessment=assessment, source=Finding.Source.PANEL, item_code__in=codes
        ).exclude(status__in=(Finding.Status.CLOSED, Finding.Status.WITHDRAWN))
    }
    return CandidateList(
        target=plan.get("target"),
        reachable=bool(plan.get("reachable")),
        items=tuple(
            Candidate(
                u["item"], titles.get(u["item"], ""), u["from"], u["to"], raised.get(u["item"])
            )
            for u in upgrades
        ),
    )


def assessment_findings(*, assessment: Assessment) -> list[Finding]:
    """The findings of one assessment in order, with their latest plan (``latest_plan``
    attribute, or None), for pages and the report. Two queries."""
    findings = list(
        Finding.objects.filter(assessment=assessment)
        .select_related("raised_by")
        .prefetch_related(Prefetch("plans", queryset=RectificationPlan.objects.order_by("id")))
        .order_by("id")
    )
    for finding in findings:
        plans = list(finding.plans.all())
        finding.latest_plan = plans[-1] if plans else None  # type: ignore[attr-defined]
    return findings


@dataclass(frozen=True, slots=True)
class OverdueFinding:
    finding: Finding  # with assessment, institution and cycle loaded
    days_overdue: int


def overdue_findings(*, viewer: Any, on: dt.date | None = None) -> list[OverdueFinding]:
    """Findings in the officer's scope whose plan or evidence of effect is overdue,
    longest overdue first. One query. ``PermissionDenied`` unless an officer."""
    require(viewer, Action.OVERDUE_VIEW)
    on = on or timezone.localdate()
    rows = finding_list(viewer=viewer, filters={"overdue": True}, on=on)
    out = [OverdueFinding(f, (on - f.due_on).days) for f in rows]
    out.sort(key=lambda r: (-r.days_overdue, r.finding.assessment.institution.name, r.finding.pk))
    return out


def finding_counts_q(on: dt.date) -> dict[str, Q]:
    """Filters of the three dashboard counts: open (unresolved), overdue, closed."""
    return {
        "open": Q(
            status__in=[
                Finding.Status.OPEN,
                Finding.Status.PLAN_SUBMITTED,
                Finding.Status.PLAN_ACCEPTED,
                Finding.Status.EVIDENCE_SUBMITTED,
            ]
        ),
        "overdue": Q(status__in=INSTITUTION_OWES, due_on__lt=on),
        "closed": Q(status=Finding.Status.CLOSED),
    }


def action_plans_for(
    *,
    viewer: Any,
    region: Region,
    cycle: Cycle | None = None,
    year: int | None = None,
    on: dt.date | None = None,
) -> ActionPlans:
    """The action plans (整改台账) of ``region`` and below: every finding with its latest
    plan, by institution then item; only those of ``cycle``'s or of ``year``'s
    assessments when given. Two queries. ``PermissionDenied`` unless ``viewer`` may
    export the region's figures."""
    require(viewer, Action.REGION_REPORT, region)
    on = on or timezone.localdate()
    rows = Finding.objects.filter(
        assessment__institution__region__path__startswith=region.path
    ).select_related("assessment__institution__region", "assessment__cycle")
    if cycle is not None:
        rows = rows.filter(assessment__cycle=cycle)
    if year is not None:
        rows = rows.filter(assessment__cycle__year=year)
    rows = rows.prefetch_related(
        Prefetch("plans", queryset=RectificationPlan.objects.order_by("id"))
    ).order_by("assessment__institution__region__path", "assessment__institution__name", "id")
    out = []
    for finding in rows:
        plans = list(finding.plans.all())
        plan = plans[-1] if plans else None
        institution = finding.assessment.institution
        out.append(
            ActionPlanRow(
                region=institution.region.name,
                institution_name=institution.name,
                year=finding.assessment.cycle.year,
                item_code=finding.item_code,
                source=finding.source,
                description=finding.description,
                current_grade=finding.current_grade,
                required_grade=finding.required_grade,
                status=finding.status,
                due_on=finding.due_on,
                overdue=is_overdue(finding, on),
                root_cause=plan.root_cause if plan else "",
                actions=plan.actions if plan else "",
                owner=plan.owner if plan else "",
                plan_due_on=plan.due_on if plan else None,
                plan_outcome=plan.outcome if plan else "",
            )
        )
    return ActionPlans(region=region.name, on=on, rows=tuple(out))


def finding_links(*, assessment: Assessment, ids: Mapping[str, int | None]) -> dict[str, Any]:
    """The records a new finding names (``lookback``, ``objection``,
    ``assessment_return``, ``consistency_sample``), read among those of ``assessment``;
    an id of another assessment's record (or none) is a 400 on its field. One query per
    record named."""
    sources: dict[str, QuerySet[Any]] = {
        "lookback": LookBack.objects.filter(recognition__assessment=assessment).select_related(
            "recognition"
        ),
        "objection": Objection.objects.filter(entry__assessment=assessment).select_related("entry"),
        "assessment_return": AssessmentReturn.objects.filter(assessment=assessment),
        "consistency_sample": ConsistencySample.objects.filter(
            recognition__assessment=assessment
        ).select_related("recognition"),
    }
    out: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field_name, queryset in sources.items():
        pk = ids.get(field_name)
        if pk is None:
            continue
        found = queryset.filter(pk=pk).first()
        if found is None:
            errors[field_name] = [_("Not found among this assessment's records.")]
        out[field_name] = found
    if errors:
        raise ValidationError(errors)
    return out

"""What each user may see of the review processes: their task inbox and the
processes in their scope. viewflow filters nothing by itself; these apply the scope
rule (``accreditation.scope``) that ``accreditation.permissions`` checks as query
filters, in a constant number of
queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from viewflow.workflow.models import Task

from accreditation.models import Cycle, User
from accreditation.scope import user_scope
from accreditation.selectors.visibility import assessments_visible_to
from workflows.driver import OPEN_STATUSES, nodes
from workflows.models import AssessmentProcess
from workflows.steps import (
    COUNTY_STEPS,
    INSTITUTION_STEPS,
    OFFICER_STEPS,
    PERSONAL_STEPS,
    Step,
)

Role = User.Role
_A = "process__assessmentprocess__assessment__"


@dataclass(frozen=True, slots=True)
class InboxRow:
    task_id: int
    step: Step
    title: str
    status: str
    created: dt.datetime
    owner_id: int | None
    assessment_id: int
    assessment_status: str
    institution: str
    target_level: str


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.role)


def _scope(user: User) -> Q | None:
    """Tasks of assessments in the user's region (None: nothing)."""
    return user_scope(user).path_q(f"{_A}institution__region__path")


def _officer_level(user: User) -> Q:
    """Officer steps belong to the level that reviews the target level, or above: a
    city officer sees only what the cycle leaves to the city (not 推荐标准)."""
    region = user.region
    if region is None or region.level == "province":
        return Q()
    if region.level == "city":
        return ~Q(**{f"{_A}target_level": "recommended"}) & Q(
            **{f"{_A}cycle__basic_confirmed_by": Cycle.Confirmer.CITY}
        )
    return Q(pk__in=[])


def inbox_tasks(*, user: Any) -> QuerySet[Task]:
    """Open human steps ``user`` may take, oldest first: county reviews in their
    county; corrections of their institution; panel, decision and notice steps at
    their level in their region; their own expert reviews and consolidations."""
    qs = Task.objects.filter(status__in=OPEN_STATUSES, flow_task_type="HUMAN")
    if not _active(user):
        return qs.none()
    role = user.role
    if role == Role.INSTITUTION_STAFF and user.institution_id:
        q = Q(flow_task__in=nodes(*INSTITUTION_STEPS)) & Q(
            **{f"{_A}institution_id": user.institution_id}
        )
    elif role == Role.COUNTY_REVIEWER and (scope := _scope(user)) is not None:
        q = Q(flow_task__in=nodes(*COUNTY_STEPS)) & scope
    elif role == Role.OFFICER and (scope := _scope(user)) is not None:
        q = Q(flow_task__in=nodes(*OFFICER_STEPS)) & scope & _officer_level(user)
    elif role == Role.EXPERT:
        q = Q(flow_task__in=nodes(*PERSONAL_STEPS)) & Q(owner=user)
    else:
        return qs.none()
    return qs.filter(q).order_by("created", "id")


def task_inbox(*, user: Any) -> list[InboxRow]:
    """:func:`inbox_tasks` as rows for a list page. One query."""
    rows = inbox_tasks(user=user).select_related(f"{_A}institution")
    return [
        InboxRow(
            task_id=task.pk,
            step=Step(task.flow_task.name),
            title=str(task.flow_task.task_title),
            status=task.status,
            created=task.created,
            owner_id=task.owner_id,
            assessment_id=task.process.assessmentprocess.assessment_id,
            assessment_status=task.process.assessmentprocess.assessment.status,
            institution=task.process.assessmentprocess.assessment.institution.name,
            target_level=task.process.assessmentprocess.assessment.target_level,
        )
        for task in rows
    ]


def processes_visible_to(user: Any) -> QuerySet[AssessmentProcess]:
    """Review processes of the assessments ``user`` may see."""
    return AssessmentProcess.objects.filter(
        assessment__in=assessments_visible_to(user).values("pk")
    )


def task_get_for_user(*, user: Any, task_id: int) -> Task:
    """One open step from the user's inbox. Raises ``Task.DoesNotExist`` both when it
    does not exist and when it is not theirs to take."""
    return inbox_tasks(user=user).get(pk=task_id)

"""Drive an assessment's review process from the services.

Services are the only entry point: each one locks the assessment row, decides, writes
and audits, then calls :func:`task_complete` for the step it stands for (or
:func:`process_start` on the first submission) inside the same transaction. Here the
flow lock is taken (``select_for_update`` on the process row: always after the
assessment row, so the lock order never inverts), the open task is re-read under the
lock, assigned and checked with ``can_execute`` (viewflow checks no permissions in
code paths), and executed; the flow then runs its gateways and automatic steps, which
call services in turn. Any error rolls the whole transaction back, task states
included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from accreditation.core.errors import WrongStep
from accreditation.models import Assessment, User
from workflows.models import AssessmentProcess

if TYPE_CHECKING:
    from workflows.flows import AssessmentFlow

#: Task statuses of a step that is still waiting to be done.
OPEN_STATUSES: tuple[str, ...] = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
#: Steps that belong to one person (assigned when created). Every other step belongs to
#: whoever the services allow; one of them taking it only says who is working on it, and
#: another such person may take it over.
PERSONAL_STEPS: frozenset[str] = frozenset({"expert_review", "consolidate"})


def flow_class() -> type[AssessmentFlow]:
    # Imported late: the flow's automatic steps call services, and services call here.
    from workflows.flows import AssessmentFlow

    return AssessmentFlow


def nodes(*names: str) -> list[Any]:
    flow = flow_class()
    return [getattr(flow, name) for name in names]


def process_start(*, assessment: Assessment, actor: User) -> AssessmentProcess:
    """Start the review process of a freshly submitted assessment. The caller holds
    the assessment lock; the one-to-one key refuses a second process."""
    return flow_class().start.run(assessment=assessment, actor=actor)


def process_id(assessment: Assessment) -> int | None:
    return (
        AssessmentProcess.objects.filter(assessment=assessment).values_list("pk", flat=True).first()
    )


def open_tasks(*, assessment: Assessment, names: Iterable[str] | None = None) -> QuerySet[Task]:
    """The assessment's human steps waiting to be done, oldest first (a join waiting
    for its branches is not a step anyone can take)."""
    qs = Task.objects.filter(
        process__assessmentprocess__assessment=assessment,
        status__in=OPEN_STATUSES,
        flow_task_type="HUMAN",
    )
    if names is not None:
        qs = qs.filter(flow_task__in=nodes(*names))
    return qs.order_by("id")


def open_step_names(*, assessment: Assessment) -> list[str]:
    """Node names of the open steps, e.g. ``["county_review"]``."""
    return sorted({task.flow_task.name for task in open_tasks(assessment=assessment)})


def _wrong_step(assessment: Assessment, names: Iterable[str]) -> WrongStep:
    current = open_step_names(assessment=assessment)
    return WrongStep(
        _("The review of this assessment is not waiting for this step."),
        details={"expected": sorted(names), "open": current},
    )


def _locked_task(
    process_pk: int, assessment: Assessment, names: tuple[str, ...], owner: User | None
) -> Task:
    qs = Task.objects.filter(
        process_id=process_pk, status__in=OPEN_STATUSES, flow_task__in=nodes(*names)
    )
    if owner is not None:
        qs = qs.filter(owner=owner)
    task = qs.order_by("id").first()
    if task is None:
        raise _wrong_step(assessment, names)
    return task


def _take(task: Task, actor: User) -> Any:
    """The task's activation, the task assigned to ``actor`` (taken over from another
    holder unless the step is personal). Raises ``PermissionDenied`` when it cannot be
    executed by ``actor``."""
    activation = task.flow_task.activation_class(task)
    if task.owner_id is None:
        activation.assign(actor)
    elif task.owner_id != actor.pk and task.flow_task.name not in PERSONAL_STEPS:
        activation.reassign(actor)
    if not task.flow_task.can_execute(actor, task):
        raise PermissionDenied(_("This step belongs to someone else."))
    return activation


def task_claim(*, assessment: Assessment, actor: User, names: tuple[str, ...]) -> Task:
    """Assign the open step to ``actor`` without completing it (the service has checked
    that ``actor`` may take it)."""
    pk = process_id(assessment)
    if pk is None:
        raise _wrong_step(assessment, names)
    with flow_class().lock(pk):
        task = _locked_task(pk, assessment, names, None)
        _take(task, actor)
    return task


def task_complete(
    *,
    assessment: Assessment,
    actor: User,
    names: tuple[str, ...],
    data: dict[str, Any] | None = None,
    own_task_only: bool = False,
) -> Task:
    """Complete the open step (one of ``names``) as ``actor`` and let the flow move on.

    Call inside the service's transaction, after the assessment row is locked. With
    ``own_task_only`` only a task assigned to ``actor`` qualifies (one expert's task
    among the panel's). A step someone else took is taken over unless it is personal
    (``PERSONAL_STEPS``). Raises ``WrongStep`` when no such step is open and
    ``PermissionDenied`` when a personal step belongs to someone else."""
    pk = process_id(assessment)
    if pk is None:
        raise _wrong_step(assessment, names)
    with flow_class().lock(pk):
        task = _locked_task(pk, assessment, names, actor if own_task_only else None)
        activation = _take(task, actor)
        if task.status == STATUS.ASSIGNED:
            activation.start(None)
        if data:
            task.data = {**task.data, **data}
        activation.execute()
    return task

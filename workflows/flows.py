"""The review process of one assessment, from submission to recognition.

Flows wire; they do not decide. Human steps are ``View`` tasks completed by the
accreditation services (``workflows.driver.task_complete``), never by viewflow's own
task views, which are not mounted. Gateways route on the state the services wrote
(the assessment's status, the panel, the decision); automatic steps call services.

::

    start ─ county_gate ─┬─ begin_county_review ─ county_review ─ county_outcome ─┐
                         │        ^                                  │ returned   │
                         │        └──────── county_correction ◄──────┘            │
                         └─ begin_expert_review ─ panel_gate ◄─────────────────────┘
                                ^                  │ no panel        │ panel
                                │            assign_panel ─ panel_outcome ─┐
                                │                                  │returned│
                                └────────── expert_correction ◄────┘        │
                                                   ^                        │
      split_experts (one expert_review per panel member) ◄───────────────────┘
        ─ join_experts (locked) ─ begin_consolidation ─ consolidate ─ consolidation_outcome
        ─ compute_result ─ decide ─ decision_outcome ─┬─ close_not_recognised ─ end
                                                      └─ await_notice ─ in_notice
        ─ notice_outcome ─┬─ recognise ─ end
                          └─ consolidate (objection upheld)

Locking: ``SelectForUpdateLock(nowait=False)`` takes ``SELECT ... FOR UPDATE`` on the
process row for every step (viewflow's default is no lock at all), so experts finishing
at the same moment queue on the row and the join runs exactly once. Services take the
assessment row lock first, then the process lock, always in that order.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation

from accreditation.models import Assessment, ExpertAssignment, ReviewStage, User
from accreditation.selectors.reviews import latest_decision, panel_lead
from accreditation.services.consolidation import consolidation_open
from accreditation.services.decisions import assessment_not_recognised
from accreditation.services.recognitions import recognition_grant
from accreditation.services.results import result_compute
from accreditation.services.reviews import review_stage_begin
from workflows.models import AssessmentProcess
from workflows.nodes import PerItemSplit
from workflows.steps import Step

Status = Assessment.Status

#: Human steps are completed through the services; viewflow's task views are not used.
SERVICE_TASK = None


def step(name: Step) -> flow.View:
    """A human step, completed through the services, titled with its ``Step`` label.
    The flow attribute it is assigned to must be named ``name`` (checked below)."""
    return flow.View(SERVICE_TASK).Annotation(title=name.label)


def _assessment(activation: Activation) -> Assessment:
    """The assessment, read afresh: services change it while the flow runs."""
    return Assessment.objects.select_related("cycle").get(pk=activation.process.assessment_id)


def _actor(activation: Activation) -> User | None:
    """The person whose step led here: the owner of the nearest human task before
    this one. Automatic steps act on their behalf."""
    task = activation.task
    for _step in range(6):
        previous = task.previous.select_related("owner").order_by("-id").first()
        if previous is None:
            return None
        if previous.owner_id is not None:
            return previous.owner
        task = previous
    return None


class AssessmentFlow(flow.Flow):
    """Review of an assessment

    County review, expert review at the city or the province, consolidation, the
    computed result, the commission's decision, the public notice and recognition.
    """

    process_class = AssessmentProcess
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = flow.StartHandle(this.start_process).Next(this.county_gate)

    county_gate = (
        flow.If(this.county_review_enabled)
        .Annotation(title=_("County review switched on?"))
        .Then(this.begin_county_review)
        .Else(this.begin_expert_review)
    )
    begin_county_review = flow.Function(this.open_county_round).Next(this.county_review)
    county_review = step(Step.COUNTY_REVIEW).Next(this.county_outcome)
    county_outcome = flow.If(this.returned).Then(this.county_correction).Else(this.panel_gate)
    county_correction = step(Step.COUNTY_CORRECTION).Next(this.begin_county_review)

    begin_expert_review = flow.Function(this.open_expert_round).Next(this.panel_gate)
    panel_gate = (
        flow.If(this.panel_in_place)
        .Annotation(title=_("Panel in place?"))
        .Then(this.split_experts)
        .Else(this.assign_panel)
    )
    assign_panel = step(Step.ASSIGN_PANEL).Next(this.panel_outcome)
    panel_outcome = flow.If(this.returned).Then(this.expert_correction).Else(this.split_experts)
    expert_correction = step(Step.EXPERT_CORRECTION).Next(this.begin_expert_review)

    split_experts = PerItemSplit().Next(this.expert_review, data_source=this.panel_members)
    expert_review = step(Step.EXPERT_REVIEW).Assign(this.assigned_expert).Next(this.join_experts)
    join_experts = flow.Join().Next(this.begin_consolidation)
    begin_consolidation = flow.Function(this.open_consolidation).Next(this.consolidate)
    consolidate = step(Step.CONSOLIDATE).Assign(this.lead_of_panel).Next(this.consolidation_outcome)
    consolidation_outcome = (
        flow.If(this.returned).Then(this.expert_correction).Else(this.compute_result)
    )
    compute_result = flow.Function(this.compute).Next(this.decide)

    decide = step(Step.DECIDE).Next(this.decision_outcome)
    decision_outcome = (
        flow.If(this.level_decided).Then(this.await_notice).Else(this.close_not_recognised)
    )
    close_not_recognised = flow.Function(this.not_recognised).Next(this.end)
    await_notice = step(Step.AWAIT_NOTICE).Next(this.in_notice)
    in_notice = step(Step.IN_NOTICE).Next(this.notice_outcome)
    notice_outcome = flow.If(this.notice_cleared).Then(this.recognise).Else(this.consolidate)
    recognise = flow.Function(this.grant_recognition).Next(this.end)

    end = flow.End()

    # Start -------------------------------------------------------------------------

    def start_process(
        self, activation: Activation, *, assessment: Assessment, actor: User
    ) -> AssessmentProcess:
        activation.process.assessment = assessment
        activation.task.owner = actor
        return activation.process

    # Gateways: they read what the services decided -----------------------------------

    def county_review_enabled(self, activation: Activation) -> bool:
        return _assessment(activation).cycle.county_review_enabled

    def returned(self, activation: Activation) -> bool:
        return _assessment(activation).status == Status.RETURNED

    def panel_in_place(self, activation: Activation) -> bool:
        return panel_lead(assessment_id=activation.process.assessment_id) is not None

    def level_decided(self, activation: Activation) -> bool:
        decision = latest_decision(assessment_id=activation.process.assessment_id)
        return decision is not None and bool(decision.decided_level)

    def notice_cleared(self, activation: Activation) -> bool:
        return _assessment(activation).status == Status.PUBLIC_NOTICE

    # Task data and owners ----------------------------------------------------------------

    def panel_members(self, activation: Activation) -> list[dict[str, Any]]:
        """One expert_review task per panel member, the lead first."""
        assignments = ExpertAssignment.objects.filter(
            assessment_id=activation.process.assessment_id
        ).order_by("role", "id")
        return [{"expert": a.expert_id, "assignment": a.pk} for a in assignments]

    def assigned_expert(self, activation: Activation) -> User:
        return User.objects.get(pk=activation.task.data["expert"])

    def lead_of_panel(self, activation: Activation) -> User | None:
        return panel_lead(assessment_id=activation.process.assessment_id)

    # Automatic steps: each calls one service ---------------------------------------------

    def open_county_round(self, activation: Activation) -> None:
        review_stage_begin(assessment=_assessment(activation), stage=ReviewStage.COUNTY)

    def open_expert_round(self, activation: Activation) -> None:
        review_stage_begin(assessment=_assessment(activation), stage=ReviewStage.EXPERT)

    def open_consolidation(self, activation: Activation) -> None:
        consolidation_open(assessment=_assessment(activation))

    def compute(self, activation: Activation) -> None:
        result_compute(actor=_actor(activation), assessment=_assessment(activation))

    def not_recognised(self, activation: Activation) -> None:
        assessment_not_recognised(actor=_actor(activation), assessment=_assessment(activation))

    def grant_recognition(self, activation: Activation) -> None:
        recognition_grant(actor=_actor(activation), assessment=_assessment(activation))


def _check_steps() -> None:
    """Every human node is a ``Step`` under its own name and title, and every ``Step`` a
    node."""
    views = {
        name: node for name, node in vars(AssessmentFlow).items() if isinstance(node, flow.View)
    }
    mistitled = [
        n for n, node in views.items() if n in Step.values and node.task_title != Step(n).label
    ]
    if set(views) != set(Step.values) or mistitled:
        raise ImproperlyConfigured(
            f"AssessmentFlow's human steps {sorted(views)} differ from Step {sorted(Step.values)}"
        )


_check_steps()

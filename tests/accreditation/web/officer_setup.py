"""Review states for the officer's pages, reached through the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accreditation.models import Assessment, Objection, PublicNotice, User
from accreditation.services.consolidation import consolidation_complete
from accreditation.services.decisions import decision_record
from accreditation.services.experts import expert_review_submit
from accreditation.services.notices import objection_record, public_notice_open
from accreditation.services.panels import panel_assign
from tests.accreditation.conftest import World
from tests.workflows.conftest import Experts
from tests.workflows.helpers import at_expert_review, grade_all


def awaiting_panel(world: World, assessment: Assessment, staff: User, reviewer: User) -> None:
    at_expert_review(world, assessment, staff, reviewer)


def awaiting_decision(
    world: World, experts: Experts, assessment: Assessment, staff: User, reviewer: User
) -> None:
    """Submitted, forwarded, graded by a one-expert panel and consolidated: the computed
    result waits for the provincial officer's decision."""
    at_expert_review(world, assessment, staff, reviewer)
    panel_assign(actor=world.officer_province, assessment=assessment, lead=experts.lead)
    grade_all(experts.lead, assessment, "A")
    expert_review_submit(actor=experts.lead, assessment=assessment)
    consolidation_complete(actor=experts.lead, assessment=assessment)


def on_notice(
    world: World,
    experts: Experts,
    *,
    starts_on: dt.date | None = None,
    number: str = "卫公示〔2026〕1号",
) -> PublicNotice:
    """Institution A decided and listed on a provincial notice (default: started two
    days ago, so the window is open)."""
    a = world.assessment_a
    awaiting_decision(world, experts, a, world.staff_a, world.reviewer_a)
    decision_record(actor=world.officer_province, assessment=a)
    return public_notice_open(
        actor=world.officer_province,
        cycle=world.cycle,
        region=world.province,
        assessments=[a],
        starts_on=starts_on or timezone.localdate() - dt.timedelta(days=2),
        document_number=number,
    )


def with_objection(world: World, notice: PublicNotice) -> Objection:
    return objection_record(
        actor=world.officer_province,
        notice=notice,
        assessment=world.assessment_a,
        content="服务记录不实",
        objector="群众来信",
    )


def recognised(world: World, experts: Experts):
    """Institution A recognised (notice run eight days ago, closed), with its
    certificate record."""
    from accreditation.models import Recognition
    from accreditation.services.notices import public_notice_close

    notice = on_notice(world, experts, starts_on=timezone.localdate() - dt.timedelta(days=8))
    public_notice_close(actor=world.officer_province, notice=notice)
    return Recognition.objects.get(assessment=world.assessment_a)


def checked(world: World, experts: Experts):
    """A consistency check of the province sampling every recognition (A's)."""
    from accreditation.services.consistency import consistency_check_run

    recognised(world, experts)
    return consistency_check_run(
        actor=world.officer_province, cycle=world.cycle, region=world.province, sample_share=1
    )

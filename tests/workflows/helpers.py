"""Drive an assessment through the review process with the services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from viewflow.workflow.models import Task

from accreditation.models import (
    Assessment,
    AssessmentResult,
    AuditEvent,
    CertificateRecord,
    Consolidation,
    CountyReview,
    Decision,
    ExpertAssignment,
    ExpertItemGrade,
    ExpertReview,
    ItemGrade,
    LookBack,
    Objection,
    PublicNotice,
    Recognition,
    ReviewRound,
    User,
)
from accreditation.services.assessments import assessment_target_level_set
from accreditation.services.consolidation import consolidation_complete
from accreditation.services.decisions import decision_record
from accreditation.services.experts import expert_grade_save, expert_review_submit
from accreditation.services.notices import public_notice_open
from accreditation.services.panels import panel_assign
from accreditation.services.reviews import county_review_forward
from accreditation.services.submission import assessment_submit
from tests.accreditation.helpers import complete
from workflows import driver

CODES = ("1.1.1", "1.1.2", "1.1.3", "1.1.4", "2.1.1", "2.1.2")


def fresh(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_related("cycle", "institution__region").get(pk=assessment.pk)


def steps(assessment: Assessment) -> list[str]:
    return driver.open_step_names(assessment=assessment)


def submitted(assessment: Assessment, staff: User, *, grade: str = "A", target: str = "") -> None:
    if target:
        version = Assessment.objects.get(pk=assessment.pk).version
        assessment_target_level_set(
            actor=staff, assessment=assessment, target_level=target, expected_version=version
        )
    complete(assessment, staff, grade=grade)
    assessment_submit(actor=staff, assessment=assessment)


def grade_all(expert: User, assessment: Assessment, grades: dict[str, str] | str = "A") -> None:
    if isinstance(grades, str):
        grades = dict.fromkeys(CODES, grades)
    for code, grade in grades.items():
        expert_grade_save(
            actor=expert, assessment=assessment, item_code=code, grade=grade, finding="核查"
        )


def at_expert_review(world, assessment: Assessment, staff: User, reviewer: User, **kw) -> None:
    submitted(assessment, staff, **kw)
    county_review_forward(actor=reviewer, assessment=assessment, comment="材料齐全")


def at_consolidation(world, experts, assessment, officer, grades=("A", "A"), **kw) -> None:
    """Submitted, forwarded, panel (lead + member) assigned, both reviews submitted."""
    at_expert_review(world, assessment, world.staff_a, world.reviewer_a, **kw)
    panel_assign(actor=officer, assessment=assessment, lead=experts.lead, members=[experts.member])
    for expert, grade in zip((experts.lead, experts.member), grades, strict=True):
        grade_all(expert, assessment, grade)
        expert_review_submit(actor=expert, assessment=assessment)


def at_decision(world, experts, assessment, officer, **kw) -> None:
    at_consolidation(world, experts, assessment, officer, **kw)
    consolidation_complete(actor=experts.lead, assessment=assessment)


def on_notice(world, experts, assessment, officer, region, *, number="卫公示〔2026〕1号", **kw):
    at_decision(world, experts, assessment, officer, **kw)
    decision_record(actor=officer, assessment=assessment)
    return public_notice_open(
        actor=officer,
        cycle=world.cycle,
        region=region,
        assessments=[assessment],
        starts_on=timezone.localdate() - dt.timedelta(days=8),
        document_number=number,
    )


def item_grades(assessment: Assessment) -> dict[str, str]:
    return dict(ItemGrade.objects.filter(assessment=assessment).values_list("item_code", "grade"))


def recognise_all(world, experts, officer, region, entries, *, number="卫公示〔2026〕1号"):
    """Take each (assessment, staff, county reviewer, grade) through the review and
    recognise them all on one notice."""
    from accreditation.services.notices import public_notice_close

    for assessment, staff, reviewer, grade in entries:
        at_expert_review(world, assessment, staff, reviewer, grade=grade)
        panel_assign(actor=officer, assessment=assessment, lead=experts.lead)
        grade_all(experts.lead, assessment, grade)
        expert_review_submit(actor=experts.lead, assessment=assessment)
        consolidation_complete(actor=experts.lead, assessment=assessment)
        decision_record(actor=officer, assessment=assessment)
    notice = public_notice_open(
        actor=officer,
        cycle=world.cycle,
        region=region,
        assessments=[e[0] for e in entries],
        starts_on=timezone.localdate() - dt.timedelta(days=8),
        document_number=number,
    )
    public_notice_close(actor=officer, notice=notice)
    return notice


#: What a refused or failed step must leave untouched.
MODELS = (
    AssessmentResult,
    AuditEvent,
    CertificateRecord,
    Consolidation,
    CountyReview,
    Decision,
    ExpertAssignment,
    ExpertReview,
    LookBack,
    Objection,
    PublicNotice,
    Recognition,
    ReviewRound,
)


def state() -> tuple:
    """Statuses and versions of assessments, process tasks, expert grades,
    recognitions and objections, and the row counts of every review model."""
    return (
        list(Assessment.objects.order_by("pk").values_list("pk", "status", "version")),
        list(Task.objects.order_by("pk").values_list("pk", "status", "owner_id")),
        list(ExpertItemGrade.objects.order_by("pk").values_list("pk", "grade", "version")),
        list(Recognition.objects.order_by("pk").values_list("pk", "status")),
        list(Objection.objects.order_by("pk").values_list("pk", "status")),
        {model.__name__: model.objects.count() for model in MODELS},
    )


def next_cycle(world, edition=None, year: int = 2027):
    """The province's cycle of ``year`` under ``edition``; without one (or with this
    year's) it applies this year's edition and rule sets."""
    from accreditation.models import Cycle
    from tests.factories import make_cycle

    if edition is not None and edition.pk != world.assessment_a.edition_id:
        return make_cycle(province=world.province, editions={"thc": edition}, year=year)
    cycle = Cycle.objects.create(province=world.province, year=year, name=f"{year} cycle")
    standard = world.cycle.standards.get()
    standard.pk, standard.cycle = None, cycle
    standard.save()
    return cycle

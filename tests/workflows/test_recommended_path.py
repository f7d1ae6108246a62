import datetime as dt

from django.core import mail
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from accreditation.models import (
    AssessmentResult,
    AuditEvent,
    CertificateRecord,
    Decision,
    ExpertAssignment,
    Recognition,
    ReviewRound,
)
from accreditation.selectors.reviews import expert_grades_for
from accreditation.services.consolidation import consolidation_complete
from accreditation.services.decisions import decision_record
from accreditation.services.experts import expert_review_submit
from accreditation.services.notices import public_notice_close, public_notice_open
from accreditation.services.panels import panel_assign
from accreditation.services.recognitions import add_years
from accreditation.services.reviews import county_review_forward, county_review_start
from tests.workflows.helpers import fresh, grade_all, steps, submitted
from workflows.flows import AssessmentFlow
from workflows.models import AssessmentProcess


def test_recommended_level_from_submission_to_certificate(
    world, experts, django_capture_on_commit_callbacks
):
    a = world.assessment_a
    submitted(a, world.staff_a, grade="A", target="recommended")
    process = AssessmentProcess.objects.get(assessment=a)
    assert (fresh(a).status, steps(a)) == ("submitted", ["county_review"])

    county_review_start(actor=world.reviewer_a, assessment=a)
    assert fresh(a).status == "county_review"
    county_review_forward(actor=world.reviewer_a, assessment=a, item_comments={"1.1.1": "属实"})
    assert (fresh(a).status, steps(a)) == ("expert_review", ["assign_panel"])

    # 推荐标准 is reviewed by the province.
    with django_capture_on_commit_callbacks(execute=True):
        panel_assign(
            actor=world.officer_province, assessment=a, lead=experts.lead, members=[experts.member]
        )
    expert_tasks = Task.objects.filter(
        process=process, flow_task=AssessmentFlow.expert_review
    ).order_by("id")
    assert [(t.owner, t.status) for t in expert_tasks] == [
        (experts.lead, STATUS.ASSIGNED),
        (experts.member, STATUS.ASSIGNED),
    ]
    assert [t.data["expert"] for t in expert_tasks] == [experts.lead.pk, experts.member.pk]
    assert {t.data["assignment"] for t in expert_tasks} == set(
        ExpertAssignment.objects.filter(assessment=a).values_list("pk", flat=True)
    )
    assert sorted(mail.outbox[-1].to + mail.outbox[-2].to) == [
        "lead@experts.example.cn",
        "member@experts.example.cn",
    ]

    grade_all(experts.lead, a, "A")
    expert_review_submit(actor=experts.lead, assessment=a)
    assert (fresh(a).status, steps(a)) == ("expert_review", ["expert_review"])
    assert [g.expert_id for g in expert_grades_for(viewer=experts.member, assessment=a)] == []
    grade_all(experts.member, a, "A")
    expert_review_submit(actor=experts.member, assessment=a)
    assert (fresh(a).status, steps(a)) == ("consolidation", ["consolidate"])
    assert Task.objects.get(process=process, flow_task=AssessmentFlow.consolidate).owner == (
        experts.lead
    )

    consolidation_complete(actor=experts.lead, assessment=a)
    result = AssessmentResult.objects.get(assessment=a)
    assert result.computed_level == "recommended"
    assert result.computed_by == experts.lead
    assert sorted(result.rule_sets) == ["basic", "qualified", "recommended"]
    assert result.inputs["grades"] == dict.fromkeys(
        ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "2.1.1", "2.1.2"], "A"
    )
    assert result.agreement_self_review["rate"] == 1.0
    assert result.agreement_experts["pairs"][0]["experts"] == [experts.lead.pk, experts.member.pk]
    assert result.agreement_experts["mean_rate"] == 1.0
    assert steps(a) == ["decide"]

    decision = decision_record(actor=world.officer_province, assessment=a)
    assert (decision.computed_level, decision.decided_level, decision.is_override) == (
        "recommended",
        "recommended",
        False,
    )
    assert (fresh(a).status, steps(a)) == ("decided", ["await_notice"])

    today = timezone.localdate()
    notice = public_notice_open(
        actor=world.officer_province,
        cycle=world.cycle,
        region=world.province,
        assessments=[a],
        starts_on=today - dt.timedelta(days=8),
        document_number="示卫公示〔2026〕3号",
    )
    assert (notice.days, notice.ends_on) == (7, today - dt.timedelta(days=2))
    assert (fresh(a).status, steps(a)) == ("public_notice", ["in_notice"])

    public_notice_close(actor=world.officer_province, notice=notice)
    recognition = Recognition.objects.get(assessment=a)
    assert (recognition.level, recognition.status, recognition.issuing_body) == (
        "recommended",
        "active",
        "示范省卫生健康委员会",
    )
    assert recognition.notice_document_number == "示卫公示〔2026〕3号"
    assert (recognition.recognised_on, recognition.valid_until) == (today, add_years(today, 3))
    certificate = CertificateRecord.objects.get(recognition=recognition)
    assert (certificate.number, certificate.version, certificate.status) == (
        "JC-99-2026-T-00001",
        1,
        "valid",
    )
    assert fresh(a).status == "recognised"
    process.refresh_from_db()
    assert (process.status, steps(a)) == (PROCESS.DONE, [])
    assert list(
        ReviewRound.objects.filter(assessment=a).values_list("stage", "number", "outcome")
    ) == [("county", 1, "forwarded"), ("expert", 1, "completed")]
    assert Decision.objects.get(assessment=a).officer == world.officer_province
    actions = list(
        AuditEvent.objects.filter(assessment=a).order_by("id").values_list("action", flat=True)
    )
    assert actions[actions.index("assessment.submit") :] == [
        "assessment.submit",
        "review.round_open",
        "county_review.start",
        "county_review.forward",
        "panel.assign",
        *["expert_grade.save"] * 6,
        "expert_review.submit",
        *["expert_grade.save"] * 6,
        "expert_review.submit",
        "consolidation.open",
        "consolidation.complete",
        "result.compute",
        "decision.confirm",
        "notice.list",
        "recognition.grant",
        "certificate.issue",
    ]

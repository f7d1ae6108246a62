"""The review states the cases start from, reached through the services (``w`` the
world, ``e`` the experts)."""

from __future__ import annotations

import datetime as dt

from accreditation.models import ConsistencyCheck, PublicNotice, Recognition
from accreditation.services.certificate_batches import certificate_batch_start
from accreditation.services.certificates import certificate_issue
from accreditation.services.consistency import consistency_check_run, consistency_rescore_record
from accreditation.services.decisions import decision_record
from accreditation.services.notices import objection_record
from accreditation.services.panels import panel_assign
from tests.api.review_matrix_cases.base import DOC
from tests.workflows.helpers import (
    CODES,
    at_consolidation,
    at_decision,
    at_expert_review,
    grade_all,
    on_notice,
    recognise_all,
    submitted,
)


def s_submitted(w, e):
    submitted(w.assessment_a, w.staff_a)


def s_expert_review(w, e):
    at_expert_review(w, w.assessment_a, w.staff_a, w.reviewer_a)


def s_panel(w, e):
    s_expert_review(w, e)
    panel_assign(
        actor=w.officer_province, assessment=w.assessment_a, lead=e.lead, members=[e.member]
    )


def s_lead_graded(w, e):
    s_panel(w, e)
    grade_all(e.lead, w.assessment_a, "A")


def s_consolidation(w, e):
    at_consolidation(w, e, w.assessment_a, w.officer_province)


def s_decision_pending(w, e):
    at_decision(w, e, w.assessment_a, w.officer_province)


def s_decided(w, e):
    s_decision_pending(w, e)
    decision_record(actor=w.officer_province, assessment=w.assessment_a)


def s_notice(w, e):
    on_notice(w, e, w.assessment_a, w.officer_province, w.province, number=DOC)


def s_objection(w, e):
    s_notice(w, e)
    notice = PublicNotice.objects.get()
    objection_record(
        actor=w.officer_province,
        notice=notice,
        assessment=w.assessment_a,
        content="材料造假",
        received_on=notice.starts_on + dt.timedelta(days=1),
    )


def s_recognised(w, e):
    recognise_all(
        w, e, w.officer_province, w.province, [(w.assessment_a, w.staff_a, w.reviewer_a, "A")]
    )


def s_issued(w, e):
    s_recognised(w, e)
    certificate_issue(
        actor=w.officer_province, certificate=Recognition.objects.get().certificates.get()
    )


def s_batch(w, e):
    s_recognised(w, e)
    certificate_batch_start(actor=w.officer_province, notice=PublicNotice.objects.get())


def s_check(w, e):
    s_recognised(w, e)
    consistency_check_run(
        actor=w.officer_province, cycle=w.cycle, region=w.province, sample_share="1"
    )


def s_rescored(w, e):
    s_check(w, e)
    consistency_rescore_record(
        actor=w.officer_province,
        check=ConsistencyCheck.objects.get(),
        recognition=Recognition.objects.get(),
        grades=dict.fromkeys(CODES, "A"),
    )

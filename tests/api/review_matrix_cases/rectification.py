"""Matrix cases of rectification (整改): findings, the gap plan's starting list, plans,
evidence of effect and their decisions, files, a region's action plans, and the
conclusion of a look-back that required rectification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accreditation.models import Finding, LookBack, Recognition, RectificationFile
from accreditation.services.findings import (
    RectifyItem,
    findings_from_gap_plan,
    plan_accept,
    plan_submit,
    rectification_evidence_submit,
)
from accreditation.services.reductions import lookback_record
from tests.api.review_matrix_cases.base import ANON, SEES_A, V1, Case, a
from tests.api.review_matrix_cases.states import s_recognised
from tests.files import PDF
from tests.workflows.helpers import at_decision


def s_gap(w, e):
    """Consolidated at C throughout: below the basic target, a gap plan to follow."""
    at_decision(w, e, w.assessment_a, w.officer_province, grades=("C", "C"))


def s_finding(w, e):
    s_gap(w, e)
    findings_from_gap_plan(actor=w.officer_province, assessment=w.assessment_a)


def s_plan(w, e):
    s_finding(w, e)
    plan_submit(
        actor=w.staff_a,
        finding=Finding.objects.order_by("id").first(),
        root_cause="制度未落实",
        actions="修订制度",
        owner="王主任",
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )


def s_accepted(w, e):
    s_plan(w, e)
    plan_accept(actor=w.officer_province, finding=Finding.objects.order_by("id").first())


def s_evidence(w, e):
    s_accepted(w, e)
    rectification_evidence_submit(
        actor=w.staff_a,
        finding=Finding.objects.order_by("id").first(),
        description="已完成",
        files=[SimpleUploadedFile("效果.pdf", PDF)],
    )


def s_rectifying(w, e):
    s_recognised(w, e)
    lookback_record(
        actor=w.officer_province,
        recognition=Recognition.objects.get(),
        outcome="rectify",
        reason="回头看",
        rectify_by=timezone.localdate() + dt.timedelta(days=60),
        rectify_items=[RectifyItem(description="病历不规范", item_code="2.1.1")],
    )


def finding_url(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: f"{V1}/findings/{Finding.objects.order_by('id').first().pk}/{suffix}"


DECIDER = {ANON: 401, "officer_province": 200, "staff_a": 403, "reviewer_a": 403}
DECIDER |= {"staff_b": 404, "officer_other_city": 404, "administrator": 403}
INSTITUTION = {ANON: 401, "staff_a": 200, "staff_a2": 200, "staff_b": 404}
INSTITUTION |= {"reviewer_a": 403, "officer_province": 403, "administrator": 403}

RECTIFICATION = [
    Case(
        "findings",
        "get",
        lambda w, e: f"{V1}/findings/",
        {ANON: 401, "staff_a": 200, "staff_b": 200, "reviewer_a": 200, "administrator": 200},
        prepare=s_finding,
    ),
    Case("finding", "get", finding_url(), SEES_A, prepare=s_finding),
    Case(
        "finding-raise",
        "post",
        lambda w, e: f"{V1}/findings/",
        {ANON: 401, "reviewer_a": 201, "officer_city": 201, "staff_a": 403, "staff_b": 400}
        | {"officer_other_city": 400, "administrator": 403, "third": 400},
        body=lambda w, e: {
            "assessment": w.assessment_a.pk,
            "source": "county",
            "item_code": "1.1.1",
            "description": "台账不全",
        },
        prepare=s_gap,
    ),
    Case("finding-candidates", "get", a("finding-candidates/"), SEES_A, prepare=s_gap),
    Case(
        "finding-candidates-raise",
        "post",
        a("finding-candidates/"),
        {ANON: 401, "officer_province": 201, "lead": 201, "staff_a": 403, "staff_b": 404}
        | {"administrator": 403, "officer_other_city": 404},
        body=lambda w, e: {},
        prepare=s_gap,
    ),
    Case(
        "finding-plan",
        "post",
        finding_url("plan/"),
        INSTITUTION,
        body=lambda w, e: {
            "root_cause": "培训不足",
            "actions": "组织培训",
            "owner": "李医生",
            "due_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        },
        prepare=s_finding,
    ),
    Case("finding-plan-accept", "post", finding_url("plan/accept/"), DECIDER, prepare=s_plan),
    Case(
        "finding-plan-return",
        "post",
        finding_url("plan/return/"),
        DECIDER,
        body=lambda w, e: {"comment": "原因分析不足"},
        prepare=s_plan,
    ),
    Case(
        "finding-evidence",
        "post",
        finding_url("evidence/"),
        INSTITUTION,
        body=lambda w, e: {"description": "已完成培训"},
        prepare=s_accepted,
    ),
    Case("finding-verify", "post", finding_url("verify/"), DECIDER, prepare=s_evidence),
    Case(
        "finding-reopen",
        "post",
        finding_url("reopen/"),
        DECIDER,
        body=lambda w, e: {"comment": "缺签到表"},
        prepare=s_evidence,
    ),
    Case(
        "finding-withdraw",
        "post",
        finding_url("withdraw/"),
        DECIDER | {"officer_city": 200},
        body=lambda w, e: {"reason": "重复"},
        prepare=s_finding,
    ),
    Case(
        "rectification-file",
        "get",
        lambda w, e: f"{V1}/rectification-files/{RectificationFile.objects.get().pk}/",
        SEES_A,
        prepare=s_evidence,
    ),
    Case(
        "action-plans",
        "get",
        lambda w, e: f"{V1}/regions/990000/action-plans.xlsx",
        {ANON: 401, "officer_province": 200, "administrator": 200, "officer_city": 403}
        | {"staff_a": 403, "reviewer_a": 403},
        prepare=s_finding,
    ),
    Case(
        "look-back-conclude",
        "post",
        lambda w, e: f"{V1}/look-backs/{LookBack.objects.get().pk}/conclude/",
        {ANON: 401, "officer_city": 403, "staff_a": 403, "staff_b": 404},
        prepare=s_rectifying,
    ),
]

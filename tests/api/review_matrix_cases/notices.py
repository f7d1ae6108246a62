"""Matrix cases of the public notices and their objections."""

from __future__ import annotations

from django.utils import timezone

from accreditation.models import Objection, PublicNotice
from tests.api.review_matrix_cases.base import ANON, ANYONE, DOC, V1, Case, notice_url
from tests.api.review_matrix_cases.states import s_decided, s_notice, s_objection

NOTICES = [
    Case("notices", "get", lambda w, e: f"{V1}/notices/", ANYONE, prepare=s_notice),
    Case("notice", "get", notice_url(), ANYONE, prepare=s_notice),
    Case(
        "notice-open",
        "post",
        lambda w, e: f"{V1}/notices/",
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"staff_b": 400},
        body=lambda w, e: {
            "cycle": w.cycle.pk,
            "region": w.province.code,
            "assessments": [w.assessment_a.pk],
            "starts_on": timezone.localdate().isoformat(),
            "document_number": DOC,
        },
        prepare=s_decided,
    ),
    Case(
        "notice-close",
        "post",
        notice_url("close/"),
        {ANON: 401, "officer_province": 200, "officer_city": 403, "staff_a": 403},
        prepare=s_notice,
    ),
    Case(
        "objections",
        "get",
        notice_url("objections/"),
        {ANON: 401, "officer_province": 200, "staff_a": 200, "administrator": 200},
        prepare=s_objection,
    ),
    Case(
        "objection-record",
        "post",
        notice_url("objections/"),
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"staff_b": 400},
        body=lambda w, e: {
            "assessment": w.assessment_a.pk,
            "content": "材料造假",
            "received_on": (PublicNotice.objects.get().starts_on).isoformat(),
        },
        prepare=s_notice,
    ),
    Case(
        "objection-resolve",
        "post",
        lambda w, e: (
            f"{V1}/notices/{PublicNotice.objects.get().pk}/objections/"
            f"{Objection.objects.get().pk}/resolve/"
        ),
        {ANON: 401, "officer_province": 200, "officer_city": 404, "staff_a": 404},
        body=lambda w, e: {"upheld": False, "reason": "查无实据"},
        prepare=s_objection,
    ),
]

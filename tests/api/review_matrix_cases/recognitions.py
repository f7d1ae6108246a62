"""Matrix cases of the recognitions: look-backs, certificates (issue, reissue,
download), certificate batches and the public verification."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accreditation.models import CertificateBatch, Recognition
from tests.api.review_matrix_cases.base import ANON, ANYONE, SEES_A, V1, Case, notice_url
from tests.api.review_matrix_cases.states import s_batch, s_issued, s_recognised


def recognition_url(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: f"{V1}/recognitions/{Recognition.objects.get().pk}/{suffix}"


def certificate_url(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: (
        f"{V1}/certificates/{Recognition.objects.get().certificates.get().number}/{suffix}"
    )


def batch_url(suffix: str = "") -> Callable[[Any, Any], str]:
    return lambda w, e: f"{V1}/certificate-batches/{CertificateBatch.objects.get().pk}/{suffix}"


RECOGNITIONS = [
    Case("recognitions", "get", lambda w, e: f"{V1}/recognitions/", ANYONE, prepare=s_recognised),
    Case("recognition", "get", recognition_url(), SEES_A, prepare=s_recognised),
    Case("look-backs", "get", recognition_url("look-backs/"), SEES_A, prepare=s_recognised),
    Case(
        "look-back",
        "post",
        recognition_url("look-backs/"),
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"staff_b": 404, "administrator": 403},
        body=lambda w, e: {"outcome": "confirm", "reason": "复核属实"},
        prepare=s_recognised,
    ),
    Case("certificates", "get", lambda w, e: f"{V1}/certificates/", ANYONE, prepare=s_recognised),
    Case(
        "certificate",
        "get",
        lambda w, e: f"{V1}/certificates/{Recognition.objects.get().certificates.get().number}/",
        SEES_A,
        prepare=s_recognised,
    ),
    Case("certificate-download", "get", certificate_url("download/"), SEES_A, prepare=s_issued),
    Case(
        "certificate-issue",
        "post",
        certificate_url("issue/"),
        {ANON: 401, "officer_province": 200, "officer_city": 403, "staff_a": 403}
        | {"staff_b": 404, "administrator": 403},
        prepare=s_recognised,
    ),
    Case(
        "certificate-reissue",
        "post",
        certificate_url("reissue/"),
        {ANON: 401, "officer_province": 201, "officer_city": 403, "staff_a": 403}
        | {"staff_b": 404},
        body=lambda w, e: {"reason": "机构名称变更"},
        prepare=s_issued,
    ),
    Case(
        "certificate-batches",
        "get",
        lambda w, e: f"{V1}/certificate-batches/",
        {ANON: 401, "officer_province": 200, "staff_a": 200},
        prepare=s_batch,
    ),
    Case(
        "certificate-batch",
        "get",
        batch_url(),
        {ANON: 401, "officer_province": 200, "officer_city": 404, "staff_a": 404},
        prepare=s_batch,
    ),
    Case(
        "certificate-batch-start",
        "post",
        notice_url("certificate-batch/"),
        {ANON: 401, "officer_province": 202, "officer_city": 403, "staff_a": 403}
        | {"administrator": 403},
        prepare=s_recognised,
    ),
    Case(
        "certificate-batch-resume",
        "post",
        batch_url("resume/"),
        {ANON: 401, "officer_province": 202, "officer_city": 404, "staff_a": 404},
        prepare=s_batch,
    ),
    Case(
        "certificate-verify",
        "get",
        lambda w, e: (
            f"{V1}/public/certificates/{Recognition.objects.get().certificates.get().number}/"
        ),
        {ANON: 200, "staff_b": 200, "third": 200},
        prepare=s_recognised,
    ),
    Case(
        "certificate-verify-unknown",
        "get",
        lambda w, e: f"{V1}/public/certificates/JC-00-2000-T-99999/",
        {ANON: 404, "staff_a": 404},
    ),
]

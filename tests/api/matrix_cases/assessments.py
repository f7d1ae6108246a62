"""Matrix cases of assessment A: opening, the checklist and its items, submission,
returns, snapshots, history, and its evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accreditation.models import Cycle, EvidenceAttachment
from accreditation.services.submission import assessment_submit
from tests import files
from tests.accreditation.helpers import complete
from tests.api.matrix_cases.base import ANON, ANYONE, EDIT_A, READ_A, V1, Case, created
from tests.factories import make_edition
from tests.files import upload


def a_url(suffix: str = "") -> Callable[[Any], str]:
    return lambda w: f"{V1}/assessments/{w.assessment_a.pk}/{suffix}"


def attachment_url(suffix: str = "") -> Callable[[Any], str]:
    def build(w):
        pk = EvidenceAttachment.objects.filter(assessment=w.assessment_a).first().pk
        return f"{V1}/assessments/{w.assessment_a.pk}/evidence/{pk}/{suffix}"

    return build


def attach_evidence(w) -> None:
    from accreditation.services.evidence import evidence_upload

    evidence_upload(
        actor=w.staff_a,
        assessment=w.assessment_a,
        item_codes=["1.1.1"],
        file=upload(files.PDF, "制度.pdf"),
    )


def submitted(w) -> None:
    complete(w.assessment_a, w.staff_a)
    assessment_submit(actor=w.staff_a, assessment=w.assessment_a)


def next_year_cycle(w) -> None:
    from tests.factories import make_cycle

    make_cycle(province=w.province, editions={"thc": make_edition(code="THC-N")}, year=2027)


def open_body(w) -> dict:
    return {
        "cycle": Cycle.objects.get(year=2027).pk,
        "institution": w.institution_a.pk,
        "target_level": "basic",
    }


ASSESSMENTS = [
    # --- assessments -----------------------------------------------------------------
    Case("assessments", "get", lambda w: f"{V1}/assessments/", ANYONE),
    Case(
        "assessment-open",
        "post",
        lambda w: f"{V1}/assessments/",
        {ANON: 401, "staff_a": 201, "staff_b": 400, "expert": 400, "reviewer_a": 403}
        | {"administrator": 403},
        prepare=next_year_cycle,
        body=open_body,
    ),
    Case("assessment", "get", a_url(), READ_A),
    Case(
        "target-level",
        "patch",
        a_url(),
        EDIT_A,
        body=lambda w: {"target_level": "recommended", "version": 1},
    ),
    Case("checklist", "get", a_url("items/"), READ_A),
    Case("item", "get", a_url("items/1.1.1/"), READ_A),
    Case(
        "item-save",
        "patch",
        a_url("items/1.1.1/"),
        EDIT_A,
        body=lambda w: {"grade": "B", "version": 1},
    ),
    Case(
        "item-save-b",
        "patch",
        lambda w: f"{V1}/assessments/{w.assessment_b.pk}/items/1.1.1/",
        {"staff_b": 200, "staff_a": 404, "expert": 403, "reviewer_b": 403, "reviewer_a": 404},
        body=lambda w: {"grade": "C", "version": 1},
    ),
    Case("progress", "get", a_url("progress/"), READ_A),
    Case("result", "get", a_url("result/"), READ_A),
    Case(
        "submit",
        "post",
        a_url("submit/"),
        EDIT_A,
        prepare=lambda w: complete(w.assessment_a, w.staff_a),
    ),
    Case("returns", "get", a_url("returns/"), READ_A),
    Case(
        "return",
        "post",
        a_url("returns/"),
        {ANON: 401, "staff_a": 403, "staff_b": 404, "expert": 404, "reviewer_a": 201}
        | {"reviewer_b": 404, "officer_city": 201, "administrator": 403},
        prepare=submitted,
        body=lambda w: {"reason": "证明材料不清晰", "item_comments": {"1.1.1": "请重新上传"}},
    ),
    Case("snapshots", "get", a_url("snapshots/"), READ_A, prepare=submitted),
    Case("snapshot", "get", a_url("snapshots/1/"), READ_A, prepare=submitted),
    Case("history", "get", a_url("history/"), READ_A),
    # --- evidence --------------------------------------------------------------------
    Case("evidence", "get", a_url("evidence/"), READ_A, prepare=attach_evidence),
    Case(
        "evidence-upload",
        "post",
        a_url("evidence/"),
        created(EDIT_A),
        multipart=True,
        body=lambda w: {"file": upload(files.PNG, "照片.png"), "item_codes": ["1.1.1"]},
    ),
    Case("evidence-detail", "get", attachment_url(), READ_A, prepare=attach_evidence),
    Case(
        "evidence-detach",
        "delete",
        attachment_url(),
        created(EDIT_A, 204),
        prepare=attach_evidence,
    ),
    Case(
        "evidence-attach",
        "post",
        attachment_url("attach/"),
        created(EDIT_A),
        prepare=attach_evidence,
        body=lambda w: {"item_codes": ["2.1.1"]},
    ),
    Case(
        "evidence-download",
        "get",
        attachment_url("download/"),
        READ_A,
        prepare=attach_evidence,
    ),
    Case(
        "evidence-revise",
        "post",
        attachment_url("revise/"),
        created(EDIT_A),
        prepare=attach_evidence,
        multipart=True,
        body=lambda w: {"file": upload(files.PNG, "新版.png"), "expires_on": "2030-12-31"},
    ),
    Case(
        "evidence-dates",
        "put",
        attachment_url("dates/"),
        EDIT_A,
        prepare=attach_evidence,
        body=lambda w: {"effective_on": "2026-01-01", "expires_on": "2030-12-31"},
    ),
    Case(
        "evidence-reuse",
        "post",
        a_url("evidence/reuse/"),
        created(EDIT_A),
        prepare=attach_evidence,
        body=lambda w: {
            "source": EvidenceAttachment.objects.filter(assessment=w.assessment_a).first().pk,
            "item_codes": ["2.1.1"],
        },
    ),
]
